//! Shared helpers for the conformance suite: one [`Adapter`] trait over the async and the
//! blocking client, so each case is written once and run through both.
//!
//! Errors from either adapter are brought into one shape, [`Failure`]: the core's error with a
//! common [`Transport`] error, plus the original error's `Display` and `Debug` text (checked
//! for the token by the secrecy cases).

use std::path::{Path, PathBuf};
use std::time::Duration;

use botapi_proto::download::Downloaded;
use botapi_proto::poll::{PollItem, Poller};
use botapi_proto::run::{Observer, Sender};
use botapi_proto::types::File;
use botapi_proto::{InputFile, Method};

pub use botapi_emulator::{DEFAULT_TOKEN, Emulator, Fault};

/// The kind of a transport error; both adapters use the core's.
pub type Kind = botapi_proto::TransportErrorKind;

/// A transport error in the common shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transport {
    /// Its kind.
    pub kind: Kind,
    /// The adapter's message (without the method name).
    pub message: String,
}

/// A failed call: the error in the common shape, and the adapter's own error as text.
#[derive(Debug)]
pub struct Failure {
    /// The error, its transport part converted to [`Transport`].
    pub error: botapi_proto::Error<Transport>,
    /// `format!("{e}")` of the adapter's error.
    pub display: String,
    /// `format!("{e:?}")` of the adapter's error.
    pub debug: String,
}

impl Failure {
    fn new(e: botapi_proto::Error<botapi_proto::TransportError>) -> Self {
        let display = format!("{e}");
        let debug = format!("{e:?} {e:#?}");
        let error = e.map_transport(|t| Transport {
            kind: t.kind(),
            message: t.message().to_owned(),
        });
        Failure {
            error,
            display,
            debug,
        }
    }

    /// The transport error; panics with the whole failure otherwise.
    pub fn transport(&self) -> &Transport {
        match &self.error {
            botapi_proto::Error::Transport(t) => t,
            other => panic!("expected a transport error, got {other:?}"),
        }
    }

    /// The API error; panics with the whole failure otherwise.
    pub fn api(&self) -> &botapi_proto::ApiError {
        match &self.error {
            botapi_proto::Error::Api(e) => e,
            other => panic!("expected an API error, got {other:?}"),
        }
    }

    /// The malformed-answer error; panics with the whole failure otherwise.
    pub fn malformed(&self) -> &botapi_proto::MalformedResponse {
        match &self.error {
            botapi_proto::Error::Malformed(e) => e,
            other => panic!("expected a malformed answer, got {other:?}"),
        }
    }

    /// Asserts that neither text of the error holds `secret`.
    pub fn assert_free_of(&self, secret: &str) {
        assert!(
            !self.display.contains(secret),
            "Display leaks the secret: {}",
            self.display
        );
        assert!(
            !self.debug.contains(secret),
            "Debug leaks the secret: {}",
            self.debug
        );
    }
}

/// What a call through an adapter gives.
pub type Outcome<R> = Result<R, Failure>;

/// Client settings a case may change.
#[derive(Debug, Clone, Copy, Default)]
pub struct Settings {
    /// Base timeout (the adapter's default when `None`).
    pub timeout: Option<Duration>,
    /// Body limit (the adapter's default when `None`).
    pub max_body_size: Option<usize>,
}

impl Settings {
    /// The defaults.
    pub fn new() -> Self {
        Settings::default()
    }

    /// With a base timeout.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// With a body limit.
    pub fn max_body_size(mut self, bytes: usize) -> Self {
        self.max_body_size = Some(bytes);
        self
    }
}

/// What a long-polling run through an adapter gave: the updates handed out, in order, and
/// the error that ended it early or that the clean stop met, if any.
#[derive(Debug)]
pub struct Run<U> {
    /// The updates handed out.
    pub updates: Vec<U>,
    /// Why polling ended before `count` updates, if it did.
    pub error: Option<Failure>,
    /// How the clean stop went, if one was asked for.
    pub stopped: Option<Outcome<()>>,
}

/// A client under test, driven from plain (blocking) test code.
pub trait Adapter: Sized {
    /// Its name in messages.
    const NAME: &'static str;

    /// A client for `proto` with `settings`, sending one attempt per call.
    fn build(proto: botapi_proto::Client, settings: Settings) -> Self {
        Self::build_sending(proto, settings, Sender::new())
    }

    /// A client for `proto` with `settings`, sending every call through `sender`.
    fn build_sending(proto: botapi_proto::Client, settings: Settings, sender: Sender) -> Self;

    /// Calls `method` and waits for the outcome.
    fn send<M: Method + Sync + ?Sized>(&self, method: &M) -> Outcome<M::Response>;

    /// Downloads `file` into memory through the adapter's writer download.
    fn download(&self, file: &File, max_size: u64) -> Downloaded<Vec<u8>>;

    /// Downloads `file` to `path` through the adapter's temporary-file download.
    fn download_to_path(&self, file: &File, path: &Path, max_size: u64) -> Downloaded;

    /// An upload read from `data` through the adapter's own reader type, announcing `len`.
    fn reader_upload(name: &str, data: Vec<u8>, len: Option<u64>) -> InputFile;

    /// Long-polls with the adapter's runner until `count` updates were handed out or
    /// polling ended, then stops cleanly if `stop`, or drops the runner if not.
    fn run_updates<U: PollItem + Send + 'static>(
        &self,
        poller: Poller<U>,
        observer: Option<Observer>,
        count: usize,
        stop: bool,
    ) -> Run<U>;

    /// A default client for the emulator's default bot.
    fn for_emulator(emulator: &Emulator) -> Self {
        Self::build(emulator.client(), Settings::new())
    }
}

/// `botapi-hyper`, with a runtime of its own to wait on.
pub struct Hyper {
    runtime: tokio::runtime::Runtime,
    client: botapi_hyper::Client,
}

impl Hyper {
    /// The async client.
    pub fn client(&self) -> &botapi_hyper::Client {
        &self.client
    }

    /// The runtime the client runs on.
    pub fn runtime(&self) -> &tokio::runtime::Runtime {
        &self.runtime
    }
}

impl Adapter for Hyper {
    const NAME: &'static str = "botapi-hyper";

    fn build_sending(proto: botapi_proto::Client, settings: Settings, sender: Sender) -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("a tokio runtime");
        let mut builder = botapi_hyper::Client::builder(proto).sender(sender);
        if let Some(timeout) = settings.timeout {
            builder = builder.timeout(timeout);
        }
        if let Some(bytes) = settings.max_body_size {
            builder = builder.max_body_size(bytes);
        }
        // hyper-util's pool spawns connection tasks: build inside the runtime.
        let client = {
            let _guard = runtime.enter();
            builder.build()
        };
        Hyper { runtime, client }
    }

    fn send<M: Method + Sync + ?Sized>(&self, method: &M) -> Outcome<M::Response> {
        self.runtime
            .block_on(self.client.send(method))
            .map_err(Failure::new)
    }

    fn download(&self, file: &File, max_size: u64) -> Downloaded<Vec<u8>> {
        let mut out = Vec::new();
        let future = self.client.download(file, &mut out, max_size);
        self.runtime.block_on(future).map(|_| out)
    }

    fn download_to_path(&self, file: &File, path: &Path, max_size: u64) -> Downloaded {
        // Spawned, which needs the future to be Send, as users' spawned downloads do.
        let (client, file, path) = (self.client.clone(), file.clone(), path.to_owned());
        let task = self
            .runtime
            .spawn(async move { client.download_to_path(&file, &path, max_size).await });
        self.runtime.block_on(task).expect("the download task")
    }

    fn reader_upload(name: &str, data: Vec<u8>, len: Option<u64>) -> InputFile {
        botapi_hyper::upload_reader(name, std::io::Cursor::new(data), len)
    }

    fn run_updates<U: PollItem + Send + 'static>(
        &self,
        poller: Poller<U>,
        observer: Option<Observer>,
        count: usize,
        stop: bool,
    ) -> Run<U> {
        let mut updates = self.client.updates(poller);
        if let Some(observer) = observer {
            updates = updates.observe(observer);
        }
        self.runtime.block_on(async move {
            let mut run = Run {
                updates: Vec::new(),
                error: None,
                stopped: None,
            };
            while run.updates.len() < count {
                match updates.next().await {
                    Some(Ok(update)) => run.updates.push(update),
                    Some(Err(e)) => run.error = Some(Failure::new(e)),
                    None => break,
                }
            }
            if stop {
                run.stopped = Some(updates.stop().await.map_err(Failure::new));
            }
            run
        })
    }
}

/// `botapi-ureq`.
pub struct Ureq {
    client: botapi_ureq::Client,
}

impl Ureq {
    /// The blocking client.
    pub fn client(&self) -> &botapi_ureq::Client {
        &self.client
    }
}

impl Adapter for Ureq {
    const NAME: &'static str = "botapi-ureq";

    fn build_sending(proto: botapi_proto::Client, settings: Settings, sender: Sender) -> Self {
        let mut builder = botapi_ureq::Client::builder(proto).sender(sender);
        if let Some(timeout) = settings.timeout {
            builder = builder.timeout(timeout);
        }
        if let Some(bytes) = settings.max_body_size {
            builder = builder.max_body_size(bytes);
        }
        Ureq {
            client: builder.build(),
        }
    }

    fn send<M: Method + Sync + ?Sized>(&self, method: &M) -> Outcome<M::Response> {
        self.client.send(method).map_err(Failure::new)
    }

    fn download(&self, file: &File, max_size: u64) -> Downloaded<Vec<u8>> {
        let mut out = Vec::new();
        self.client.download(file, &mut out, max_size).map(|_| out)
    }

    fn download_to_path(&self, file: &File, path: &Path, max_size: u64) -> Downloaded {
        self.client.download_to_path(file, path, max_size)
    }

    fn reader_upload(name: &str, data: Vec<u8>, len: Option<u64>) -> InputFile {
        InputFile::reader(name, std::io::Cursor::new(data), len)
    }

    fn run_updates<U: PollItem + Send + 'static>(
        &self,
        poller: Poller<U>,
        observer: Option<Observer>,
        count: usize,
        stop: bool,
    ) -> Run<U> {
        let mut updates = self.client.updates(poller);
        if let Some(observer) = observer {
            updates = updates.observe(observer);
        }
        let mut run = Run {
            updates: Vec::new(),
            error: None,
            stopped: None,
        };
        while run.updates.len() < count {
            match updates.next() {
                Some(Ok(update)) => run.updates.push(update),
                Some(Err(e)) => run.error = Some(Failure::new(e)),
                None => break,
            }
        }
        if stop {
            run.stopped = Some(updates.stop().map_err(Failure::new));
        }
        run
    }
}

/// Writes each case as a `#[test]` once per adapter: `conformance!(get_me, close);` expects
/// generic functions `fn get_me<A: Adapter>()` in scope and makes `hyper::get_me` and
/// `ureq::get_me`.
#[macro_export]
macro_rules! conformance {
    ($($case:ident),* $(,)?) => {
        mod hyper {
            $(
                #[test]
                fn $case() {
                    super::$case::<$crate::Hyper>();
                }
            )*
        }
        mod ureq {
            $(
                #[test]
                fn $case() {
                    super::$case::<$crate::Ureq>();
                }
            )*
        }
    };
}

/// The shared corpus of real Bot API payloads, when this checkout has one beside it.
pub fn corpus_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/corpus"));
    dir.is_dir().then_some(dir)
}

/// A free loopback port with nothing listening on it: bound, then closed.
pub fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
    let port = listener.local_addr().expect("a bound address").port();
    drop(listener);
    port
}

/// The README's Rust examples, compiled and run as doctests of this crate, so the README
/// cannot drift from the code.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeExamples;
