//! One way to send a method whichever adapter was chosen: both sit behind the core's
//! [`BlockingTransport`] trait as a trait object, so each method's typed code (encode, decode,
//! print) is compiled once, not once per adapter.
//!
//! The command is synchronous: ureq is called directly, and hyper runs on a current-thread
//! tokio runtime that exists only when hyper is chosen.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use botapi_proto::download::Downloaded;
use botapi_proto::types::File;

use botapi_proto::http;
use botapi_proto::run::Sender;
use botapi_proto::transport::{AsyncTransport, BlockingTransport};
use botapi_proto::{Body, CallContext, Method, TransportError};
use bytes::Bytes;

use crate::cli::TransportName;
use crate::failure::Failure;

/// A configured adapter and the bot it speaks for, ready to send.
pub(crate) struct Connection {
    proto: botapi_proto::Client,
    transport: Box<dyn BlockingTransport<Error = TransportError>>,
    name: TransportName,
    timeout: Duration,
    /// How calls are sent: one attempt unless `--retries` asks for more.
    sender: Sender,
    /// The same adapter, for downloads (which are not calls).
    downloads: Downloads,
}

/// The adapter a download goes through.
enum Downloads {
    Ureq(botapi_ureq::Client),
    Hyper(BlockingHyper),
}

impl Connection {
    /// Builds the adapter `name` for `proto`, with `timeout` bounding each whole call.
    pub(crate) fn new(
        name: TransportName,
        proto: botapi_proto::Client,
        timeout: Duration,
    ) -> Result<Self, Failure> {
        let (transport, downloads): (Box<dyn BlockingTransport<Error = TransportError>>, _) =
            match name {
                TransportName::Ureq => {
                    let client = botapi_ureq::Client::builder(proto.clone())
                        .timeout(timeout)
                        .build();
                    (Box::new(client.clone()), Downloads::Ureq(client))
                }
                TransportName::Hyper => {
                    let hyper = BlockingHyper::new(proto.clone(), timeout)?;
                    (Box::new(hyper.clone()), Downloads::Hyper(hyper))
                }
            };
        Ok(Connection {
            proto,
            transport,
            name,
            timeout,
            sender: Sender::new(),
            downloads,
        })
    }

    /// What builds the same connection again (on another thread: a connection stays on
    /// the thread that built it).
    pub(crate) fn recipe(&self) -> Recipe {
        Recipe {
            name: self.name,
            proto: self.proto.clone(),
            timeout: self.timeout,
        }
    }

    /// Sends every call through `sender` (its retry policy) from now on.
    pub(crate) fn with_sender(mut self, sender: Sender) -> Self {
        self.sender = sender;
        self
    }

    /// The bot and its server.
    pub(crate) fn proto(&self) -> &botapi_proto::Client {
        &self.proto
    }

    /// Downloads `file` to `path` through a temporary file beside it.
    pub(crate) fn download_to_path(&self, file: &File, path: &Path, max_size: u64) -> Downloaded {
        match &self.downloads {
            Downloads::Ureq(client) => client.download_to_path(file, path, max_size),
            Downloads::Hyper(hyper) => hyper
                .inner
                .runtime
                .block_on(hyper.inner.client.download_to_path(file, path, max_size)),
        }
    }

    /// The adapter, as an owned transport that borrows it (what the core's runners take).
    pub(crate) fn transport(&self) -> Borrowed<'_> {
        Borrowed(&*self.transport)
    }

    /// Which adapter this is.
    pub(crate) fn name(&self) -> TransportName {
        self.name
    }

    /// Sends `method` and waits for its typed result: one attempt, or as many as the
    /// [sender](Connection::with_sender)'s policy allows; the failure is the last attempt's.
    pub(crate) fn send<M: Method + ?Sized>(&self, method: &M) -> Result<M::Response, Failure> {
        let clock = &botapi_ureq::CLOCK;
        self.sender
            .send_blocking(&self.proto, &*self.transport, clock, method)
            .map_err(Failure::from)
    }
}

/// Which adapter, for which bot, with which timeout: what [`Connection::new`] takes.
#[derive(Debug, Clone)]
pub(crate) struct Recipe {
    name: TransportName,
    proto: botapi_proto::Client,
    timeout: Duration,
}

impl Recipe {
    /// A connection as described.
    pub(crate) fn connect(self) -> Result<Connection, Failure> {
        Connection::new(self.name, self.proto, self.timeout)
    }
}

/// A borrowed adapter that is itself a transport.
pub(crate) struct Borrowed<'a>(&'a dyn BlockingTransport<Error = TransportError>);

impl BlockingTransport for Borrowed<'_> {
    type Error = TransportError;

    fn round_trip(
        &self,
        request: http::Request<Body>,
        call: &CallContext,
    ) -> Result<http::Response<Bytes>, botapi_proto::Error<TransportError>> {
        self.0.round_trip(request, call)
    }
}

/// The async adapter driven from blocking code, on a runtime of its own. Clones share it.
#[derive(Clone)]
struct BlockingHyper {
    inner: Arc<HyperOnRuntime>,
}

struct HyperOnRuntime {
    runtime: tokio::runtime::Runtime,
    client: botapi_hyper::Client,
}

impl BlockingHyper {
    fn new(proto: botapi_proto::Client, timeout: Duration) -> Result<Self, Failure> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Failure::Transport {
                kind: "runtime",
                message: format!("cannot start the async runtime for hyper: {e}"),
            })?;
        // Built inside the runtime, so anything the connector sets up finds it.
        let client = {
            let _inside = runtime.enter();
            botapi_hyper::Client::builder(proto)
                .timeout(timeout)
                .build()
        };
        Ok(BlockingHyper {
            inner: Arc::new(HyperOnRuntime { runtime, client }),
        })
    }
}

impl BlockingTransport for BlockingHyper {
    type Error = TransportError;

    fn round_trip(
        &self,
        request: http::Request<Body>,
        call: &CallContext,
    ) -> Result<http::Response<Bytes>, botapi_proto::Error<TransportError>> {
        let inner = &*self.inner;
        inner
            .runtime
            .block_on(inner.client.round_trip(request, call))
    }
}
