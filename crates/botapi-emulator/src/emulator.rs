//! The handle tests hold: starting the server on its own thread, configuring it, reaching
//! its faults and log, and stopping it.

use std::fmt;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::thread::JoinHandle;
use std::time::Duration;

use botapi_proto::types::{Update, UpdateKind, User};
use botapi_proto::{ApiUrl, Client, Token};
use bytes::Bytes;
use serde_json::{Map, Value};
use tokio::sync::{Notify, oneshot};

use crate::DEFAULT_TOKEN;
use crate::bots::Bots;
use crate::delivery;
use crate::faults::{Fault, Faults};
use crate::files::Files;
use crate::flood::{Flood, FloodControl};
use crate::log::{RecordedRequest, RequestLog};
use crate::server;
use crate::state::{Shared, lock};

/// [`DEFAULT_TOKEN`] as a [`Token`].
pub fn default_token() -> Token {
    // A constant this crate wrote; it is a valid token, which a unit test checks.
    DEFAULT_TOKEN
        .parse()
        .expect("DEFAULT_TOKEN is a well-formed bot token")
}

/// How long the real cloud refuses a bot after `logOut`.
pub const DEFAULT_LOGOUT_LOCKOUT: Duration = Duration::from_secs(10 * 60);

/// The bot registered under [`DEFAULT_TOKEN`] when no other is: id 1234567890, first name
/// "Emulator Bot", username `emulator_bot`, and the `getMe`-only capability fields filled in.
pub fn default_bot() -> User {
    let mut user = User::new(1234567890, true, "Emulator Bot");
    user.username = Some("emulator_bot".into());
    user.can_join_groups = Some(true);
    user.can_read_all_group_messages = Some(false);
    user.supports_inline_queries = Some(false);
    user.can_connect_to_business = Some(false);
    user.has_main_web_app = Some(false);
    user
}

/// A running emulator. Dropping it (or calling [`Emulator::stop`]) stops the server, closes
/// every connection and joins its thread.
///
/// `Debug` shows the address and the bot ids, never a token.
pub struct Emulator {
    shared: Arc<Shared>,
    addr: SocketAddr,
    first_token: Token,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
    /// The directory of local mode's files, removed on stop.
    local_dir: Option<PathBuf>,
}

impl Emulator {
    /// Starts an emulator with the default settings (see [`Builder`]).
    pub fn start() -> io::Result<Emulator> {
        Builder::default().start()
    }

    /// A builder to register bots and change settings before starting.
    pub fn builder() -> Builder {
        Builder::default()
    }

    /// The base URL to give a client: `http://127.0.0.1:<port>`.
    pub fn api_url(&self) -> ApiUrl {
        let host = match self.addr.ip() {
            IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
            ip => ip,
        };
        let url = format!("http://{}", SocketAddr::new(host, self.addr.port()));
        // An `http://` URL made of an IP address and a port is always a valid base.
        ApiUrl::new(&url).expect("an http URL of a socket address is a valid API URL")
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// A core client for the first registered bot (the default bot unless others were
    /// registered), pointed at this emulator.
    pub fn client(&self) -> Client {
        Client::new(self.first_token.clone()).with_api_url(self.api_url())
    }

    /// The next `times` calls of `method` (matched without regard to case) get `fault`
    /// instead of the normal answer. Faults queued for a method are used in the order
    /// queued, before any queued with [`Emulator::inject_any`].
    pub fn inject(&self, method: &str, fault: Fault, times: usize) {
        lock(&self.shared.faults).push(Some(method), fault, times);
    }

    /// The next `times` calls of any method get `fault`.
    pub fn inject_any(&self, fault: Fault, times: usize) {
        lock(&self.shared.faults).push(None, fault, times);
    }

    /// Queues `update` for the first registered bot (the default bot unless others were
    /// registered) and returns its `update_id`. Without an integer `update_id`, the update
    /// gets the next one (1, 2, 3, … for a new bot); one it holds is kept, and later ids
    /// continue above it. A `getUpdates` waiting for this bot answers at once.
    ///
    /// The update's kind is its first field other than `update_id`; `getUpdates` hands it
    /// out when `allowed_updates` allows that kind (by default every kind but
    /// `chat_member`, `message_reaction` and `message_reaction_count`, as on the real
    /// server). Anything else in it is sent as it is, so a test can push what the core does
    /// not know.
    ///
    /// # Panics
    /// When `update` is not a JSON object: a mistake in the test, not something a client
    /// could cause.
    ///
    /// ```
    /// use botapi_emulator::Emulator;
    /// use serde_json::json;
    ///
    /// let emulator = Emulator::start()?;
    /// let text = json!({"message_id": 1, "date": 0, "chat": {"id": 7, "type": "private"}, "text": "hi"});
    /// assert_eq!(emulator.push_update(json!({"message": text})), 1);
    /// assert_eq!(emulator.push_update(json!({"update_id": 10, "edited_message": text})), 10);
    /// assert_eq!(emulator.push_update(json!({"message": text})), 11);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn push_update(&self, update: Value) -> i64 {
        let update = object(update);
        let id = {
            let mut bots = lock(&self.shared.bots);
            // `Builder::shared` refuses to start without a bot.
            let bot = bots.first_mut().expect("an emulator always has a bot");
            bot.updates.push(update)
        };
        self.shared.updates_changed.notify_waiters();
        id
    }

    /// [`Emulator::push_update`] for the bot whose id (the digits before `:` in its token)
    /// is `bot_id`; `None` when no bot has that id.
    ///
    /// # Panics
    /// When `update` is not a JSON object.
    pub fn push_update_for(&self, bot_id: i64, update: Value) -> Option<i64> {
        let update = object(update);
        let id = lock(&self.shared.bots)
            .by_id_mut(bot_id)
            .map(|bot| bot.updates.push(update))?;
        self.shared.updates_changed.notify_waiters();
        Some(id)
    }

    /// Queues an update of this kind for the first registered bot, with the next
    /// `update_id`, which it returns; the typed form of [`Emulator::push_update`].
    pub fn push_update_kind(&self, kind: UpdateKind) -> i64 {
        let mut update = match serde_json::to_value(Update::new(0, kind)) {
            Ok(Value::Object(map)) => map,
            // An Update always serializes to an object; keep the id assignment regardless.
            _ => Map::new(),
        };
        update.remove("update_id");
        self.push_update(Value::Object(update))
    }

    /// Stores `data` as a file of the first registered bot, as if it had uploaded it, and
    /// returns its `file_id` for `getFile`. The file name gives the `file_path`'s extension.
    pub fn store_file(&self, file_name: &str, data: impl Into<Bytes>) -> String {
        let owner = self.first_token.bot_id();
        lock(&self.shared.files).store(owner, Some(file_name), data.into())
    }

    /// In local mode, the directory the files are written to (`getFile` answers absolute
    /// paths in it).
    pub fn local_dir(&self) -> Option<&Path> {
        self.local_dir.as_deref()
    }

    /// Forgets every fault not yet applied.
    pub fn clear_faults(&self) {
        lock(&self.shared.faults).clear();
    }

    /// Every request received so far, in order of arrival.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.log.snapshot()
    }

    /// Empties the request log.
    pub fn clear_requests(&self) {
        self.shared.log.clear();
    }

    /// Stops the server; the same as dropping it.
    pub fn stop(self) {}

    fn shut_down(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
        if let Some(dir) = self.local_dir.take() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// The object an update must be.
fn object(update: Value) -> Map<String, Value> {
    match update {
        Value::Object(map) => map,
        other => panic!("an update must be a JSON object, not {other}"),
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        self.shut_down();
    }
}

impl fmt::Debug for Emulator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let bots = lock(&self.shared.bots);
        let ids: Vec<i64> = bots.tokens().map(Token::bot_id).collect();
        f.debug_struct("Emulator")
            .field("addr", &self.addr)
            .field("bot_ids", &ids)
            .finish_non_exhaustive()
    }
}

/// Settings for an [`Emulator`].
///
/// The default: one bot, [`DEFAULT_TOKEN`] with [`default_bot`]; listening on
/// `127.0.0.1:0` (a free port); a [`DEFAULT_LOGOUT_LOCKOUT`] of ten minutes; requests
/// recorded.
///
/// `Debug` shows bot ids, never a token.
#[derive(Clone)]
pub struct Builder {
    bots: Vec<(Token, User)>,
    custom_bots: bool,
    logout_lockout: Duration,
    bind: SocketAddr,
    record_requests: bool,
    local_mode: bool,
    deliver_webhooks: bool,
    flood_control: Option<FloodControl>,
}

impl Default for Builder {
    fn default() -> Self {
        Builder {
            bots: vec![(default_token(), default_bot())],
            custom_bots: false,
            logout_lockout: DEFAULT_LOGOUT_LOCKOUT,
            bind: SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 0),
            record_requests: true,
            local_mode: false,
            deliver_webhooks: false,
            flood_control: None,
        }
    }
}

impl Builder {
    /// Registers a bot: `token` answers with `user` to `getMe`. The first call replaces the
    /// default bot; later calls add more.
    #[must_use]
    pub fn bot(mut self, token: Token, user: User) -> Self {
        if !self.custom_bots {
            self.bots.clear();
            self.custom_bots = true;
        }
        self.bots.push((token, user));
        self
    }

    /// How long a bot is refused with 401 after `logOut` (ten minutes by default, as on the
    /// real cloud).
    #[must_use]
    pub fn logout_lockout(mut self, d: Duration) -> Self {
        self.logout_lockout = d;
        self
    }

    /// The address to listen on (`127.0.0.1:0` by default: loopback, a free port).
    #[must_use]
    pub fn bind(mut self, addr: SocketAddr) -> Self {
        self.bind = addr;
        self
    }

    /// Whether to keep every request for [`Emulator::requests`] (on by default). A
    /// long-running server that nobody inspects should turn it off, since the log grows
    /// with every request.
    #[must_use]
    pub fn record_requests(mut self, on: bool) -> Self {
        self.record_requests = on;
        self
    }

    /// Behave as a local Bot API server started with `--local` (off by default): files are
    /// written to a temporary directory (removed on stop) and `getFile` answers their
    /// absolute paths, which are not served over HTTP; `file://` inputs naming an existing
    /// file are accepted (the cloud refuses them); `setWebhook` takes `http` URLs on any
    /// port.
    #[must_use]
    pub fn local_mode(mut self, on: bool) -> Self {
        self.local_mode = on;
        self
    }

    /// Deliver updates to each bot's webhook (off by default: updates wait for
    /// `getUpdates`, which a set webhook refuses). With it on, `setWebhook` takes any `http`
    /// or `https` URL on any port, so a test can point it at a listener on loopback; see
    /// the crate docs for how delivery behaves.
    #[must_use]
    pub fn deliver_webhooks(mut self, on: bool) -> Self {
        self.deliver_webhooks = on;
        self
    }

    /// Enforces Telegram's flood limits on calls that post a message, answering 429 with
    /// `retry_after` as the real server does; `None` (the default in-process) turns flood
    /// control off, so tests send as fast as they like. The binary turns it on.
    #[must_use]
    pub fn flood_control(mut self, control: Option<FloodControl>) -> Self {
        self.flood_control = control;
        self
    }

    /// Binds and starts the server on a thread of its own with its own Tokio runtime, and
    /// returns once it is listening. Works from plain code and from inside a Tokio runtime
    /// alike, since it never blocks on the caller's runtime.
    pub fn start(self) -> io::Result<Emulator> {
        let local_dir = self.local_dir()?;
        let (shared, first_token) = self.shared(local_dir.clone())?;
        let deliver = self.deliver_webhooks;
        let listener = std::net::TcpListener::bind(self.bind)?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let (stop_tx, stop_rx) = oneshot::channel::<()>();
        let (ready_tx, ready_rx) = mpsc::channel::<io::Result<()>>();
        let server_shared = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name(format!("botapi-emulator-{}", addr.port()))
            .spawn(move || {
                let runtime = match tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    Ok(runtime) => runtime,
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                        return;
                    }
                };
                runtime.block_on(async move {
                    let listener = match tokio::net::TcpListener::from_std(listener) {
                        Ok(listener) => listener,
                        Err(e) => {
                            let _ = ready_tx.send(Err(e));
                            return;
                        }
                    };
                    let _ = ready_tx.send(Ok(()));
                    if deliver {
                        tokio::spawn(delivery::run(Arc::clone(&server_shared)));
                    }
                    let stop = async {
                        // A dropped sender stops the server too.
                        let _ = stop_rx.await;
                    };
                    server::run(server_shared, listener, stop).await;
                });
                // Dropping the runtime here, on this thread, cancels every connection.
            })?;
        let ready = ready_rx.recv().unwrap_or_else(|_| {
            Err(io::Error::other(
                "the emulator thread stopped before it was listening",
            ))
        });
        let mut emulator = Emulator {
            shared,
            addr,
            first_token,
            stop: Some(stop_tx),
            thread: Some(thread),
            local_dir,
        };
        match ready {
            Ok(()) => Ok(emulator),
            Err(e) => {
                emulator.shut_down();
                Err(e)
            }
        }
    }

    /// Serves on `listener` in the current Tokio runtime until the returned future is
    /// dropped (what the `botapi-emulator` binary does). There is no handle to inject
    /// faults or read the log; use [`Builder::start`] for that.
    pub async fn serve(self, listener: tokio::net::TcpListener) -> io::Result<()> {
        let (shared, _) = self.shared(self.local_dir()?)?;
        if self.deliver_webhooks {
            tokio::spawn(delivery::run(Arc::clone(&shared)));
        }
        server::run(shared, listener, std::future::pending()).await;
        Ok(())
    }

    /// A new directory for local mode's files, when on.
    fn local_dir(&self) -> io::Result<Option<PathBuf>> {
        if !self.local_mode {
            return Ok(None);
        }
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("botapi-emulator-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        // The absolute path getFile answers, whatever the temporary directory's form.
        Ok(Some(std::fs::canonicalize(dir)?))
    }

    /// The server's state, and the first bot's token.
    fn shared(&self, local_dir: Option<PathBuf>) -> io::Result<(Arc<Shared>, Token)> {
        let bots = self.bots.clone();
        let first = bots
            .first()
            .map(|(t, _)| t.clone())
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "no bot is registered"))?;
        let shared = Shared {
            bots: Mutex::new(Bots::new(bots, self.logout_lockout)),
            faults: Mutex::new(Faults::default()),
            flood: self.flood_control.map(|c| Mutex::new(Flood::new(c))),
            log: RequestLog::new(self.record_requests),
            updates_changed: Notify::new(),
            any_webhook_url: self.local_mode || self.deliver_webhooks,
            files: Mutex::new(Files::new(local_dir)),
        };
        Ok((Arc::new(shared), first))
    }
}

impl fmt::Debug for Builder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A token's Debug shows only its bot id.
        let ids: Vec<&Token> = self.bots.iter().map(|(token, _)| token).collect();
        f.debug_struct("Builder")
            .field("bots", &ids)
            .field("logout_lockout", &self.logout_lockout)
            .field("bind", &self.bind)
            .field("record_requests", &self.record_requests)
            .field("local_mode", &self.local_mode)
            .field("deliver_webhooks", &self.deliver_webhooks)
            .field("flood_control", &self.flood_control)
            .finish()
    }
}
