//! The client: a core client plus a ureq agent, a timeout and a body limit.

use std::sync::Arc;
use std::time::Duration;

use botapi_proto::poll::{PollItem, PolledUpdate, Poller};
use botapi_proto::run::{BlockingUpdates, FnClock, Sender};
use botapi_proto::transport::{BlockingTransport, BodyReader};
use botapi_proto::{Body, CallContext, Method};
use bytes::Bytes;
use http::header::CONTENT_LENGTH;
use ureq::unversioned::transport::DefaultConnector;
use ureq::{Agent, AsSendBody, SendBody};

use crate::body::{open_file, read_limited};
use crate::error::{self, Error, TransportError};
use crate::resolve::LiteralFirst;

pub use botapi_proto::{DEFAULT_MAX_BODY_SIZE, DEFAULT_TIMEOUT, Limits};

/// The clock the drivers nap on: the system's monotonic time and `std::thread::sleep`.
pub const CLOCK: FnClock = FnClock::new(std::time::Instant::now, std::thread::sleep);

/// Long polling through a [`Client`]: an iterator of updates (see [`Client::updates`]).
pub type Updates<U = PolledUpdate> = BlockingUpdates<Client, FnClock, U>;

/// A blocking Bot API client over ureq: sends any [`Method`] and returns its typed result.
///
/// Cloning is cheap and clones share the agent's connection pool, so one client can serve
/// several threads. Every call runs under a whole-request timeout (the base timeout plus the
/// method's [`timeout_hint`](Method::timeout_hint)) and reads at most
/// [`max_body_size`](Builder::max_body_size) bytes of the answer.
#[derive(Clone, Debug)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

#[derive(Debug)]
pub(crate) struct Inner {
    proto: botapi_proto::Client,
    agent: Agent,
    /// Whether every request needs its own configuration: a user's agent may turn statuses
    /// into errors or have another timeout; ours is built with the right ones.
    configure_each: bool,
    pub(crate) limits: Limits,
    sender: Sender,
}

/// Configures a [`Client`]: its timeout, its body limit, and optionally the ureq agent it
/// sends through.
#[must_use]
#[derive(Debug)]
pub struct Builder {
    proto: botapi_proto::Client,
    agent: Option<Agent>,
    limits: Limits,
    sender: Sender,
}

impl Client {
    /// A client with the default settings: HTTPS through rustls (ring provider, Mozilla's
    /// root certificates from `webpki-roots`), plain `http://` for local servers, a 30 s base
    /// timeout and a 10 MiB body limit.
    pub fn new(proto: botapi_proto::Client) -> Client {
        Client::builder(proto).build()
    }

    /// Starts configuring a client for `proto`.
    pub fn builder(proto: botapi_proto::Client) -> Builder {
        Builder {
            proto,
            agent: None,
            limits: Limits::default(),
            sender: Sender::new(),
        }
    }

    /// The core client: the bot's token and the server's URL.
    pub fn proto(&self) -> &botapi_proto::Client {
        &self.inner.proto
    }

    /// The base timeout of every call and the largest answer body this client reads.
    pub fn limits(&self) -> Limits {
        self.inner.limits
    }

    /// Calls `method` and returns its result, blocking the thread until it is there. With
    /// a [`Sender`](Builder::sender) that has a throttle, the call first waits its turn; with
    /// a retry policy, a failure the policy allows is sent again after its wait (never a call
    /// that changes something once it may have run). Otherwise it is one attempt.
    ///
    /// Fails with [`Error::Encode`](botapi_proto::Error::Encode) if the request cannot be
    /// built, [`Error::Api`](botapi_proto::Error::Api) when the Bot API refuses it,
    /// [`Error::Malformed`](botapi_proto::Error::Malformed) when the answer is not a Bot API
    /// answer, and [`Error::Transport`](botapi_proto::Error::Transport) when there is no
    /// complete answer (see [`TransportErrorKind`](crate::TransportErrorKind)).
    pub fn send<M: Method + ?Sized>(&self, method: &M) -> Result<M::Response, Error> {
        let inner = &*self.inner;
        inner
            .sender
            .send_blocking(&inner.proto, self, &CLOCK, method)
    }

    /// Long-polls for updates as `poller` says: an iterator that hands out one update at a
    /// time, confirms only what it handed out, resends failed polls per the poller's policy
    /// and ends with the error that stops polling (401, 404, 409, …). Call
    /// [`stop`](BlockingUpdates::stop) to confirm cleanly.
    pub fn updates<U: PollItem>(&self, poller: Poller<U>) -> Updates<U> {
        Updates::new(self.inner.proto.clone(), self.clone(), CLOCK, poller)
    }
}

/// The client carries any request the core built; generic code can take it as a
/// [`BlockingTransport`].
impl BlockingTransport for Client {
    type Error = TransportError;

    fn round_trip(
        &self,
        request: http::Request<Body>,
        call: &CallContext,
    ) -> Result<http::Response<Bytes>, Error> {
        let inner = &*self.inner;
        let timeout = call.timeout(inner.limits.timeout);
        let limit = inner.limits.max_body_size;
        let (mut parts, body) = request.into_parts();
        let sent = match body.to_bytes() {
            Some(bytes) => inner.run(http::Request::from_parts(parts, bytes.as_ref()), timeout),
            None => {
                let reader = BodyReader::open(&body, call, open_file)?;
                if let Some(len) = reader.len() {
                    parts.headers.insert(CONTENT_LENGTH, len.into());
                }
                let body = SendBody::from_owned_reader(reader);
                inner.run(http::Request::from_parts(parts, body), timeout)
            }
        };
        let fail = |e| error::from_ureq(e, call, timeout, limit);
        let (parts, mut body) = sent.map_err(fail)?.into_parts();
        let body = read_limited(&mut body, limit).map_err(fail)?;
        Ok(http::Response::from_parts(parts, Bytes::from(body)))
    }
}

impl Inner {
    pub(crate) fn run<S: AsSendBody>(
        &self,
        request: http::Request<S>,
        timeout: Duration,
    ) -> Result<http::Response<ureq::Body>, ureq::Error> {
        // The agent this crate builds already has the base timeout and hands every status
        // over; a longer call or a user's agent needs its settings per request.
        let request = if self.configure_each || timeout != self.limits.timeout {
            self.agent
                .configure_request(request)
                .http_status_as_error(false)
                .timeout_global(Some(timeout))
                .build()
        } else {
            request
        };
        self.agent.run(request)
    }
}

impl Builder {
    /// The base timeout of every call, covering connect, send, answer and body (default
    /// 30 s). A method's [`timeout_hint`](Method::timeout_hint), such as a long poll's wait,
    /// is added to it.
    pub fn timeout(mut self, base: Duration) -> Self {
        self.limits.timeout = base;
        self
    }

    /// The largest answer body to read, in bytes (default [`DEFAULT_MAX_BODY_SIZE`]).
    pub fn max_body_size(mut self, bytes: usize) -> Self {
        self.limits.max_body_size = bytes;
        self
    }

    /// Sends every call through `sender`: its retry policy and throttle (by default, one
    /// attempt and no throttle). Clones of the client share it, and so its throttle.
    pub fn sender(mut self, sender: Sender) -> Self {
        self.sender = sender;
        self
    }

    /// Sends through `agent` instead of one this crate builds: for proxies, custom TLS or
    /// pool settings. Every request overrides two of its settings: HTTP error statuses are
    /// returned as answers (the Bot API's error body says what went wrong), and the global
    /// timeout is this client's.
    ///
    /// With a timeout, ureq resolves the host name on a thread of its own for every request;
    /// the agent this crate builds skips that for IP addresses, a custom agent does not.
    pub fn agent(mut self, agent: Agent) -> Self {
        self.agent = Some(agent);
        self
    }

    /// Builds the client.
    pub fn build(self) -> Client {
        let configure_each = self.agent.is_some();
        let agent = self
            .agent
            .unwrap_or_else(|| default_agent(self.limits.timeout));
        Client {
            inner: Arc::new(Inner {
                proto: self.proto,
                agent,
                configure_each,
                limits: self.limits,
                sender: self.sender,
            }),
        }
    }
}

/// An agent that hands every status to the decoder, follows no redirect (a redirected POST
/// would lose its body) and times out after `timeout`. TLS is rustls with the ring provider
/// and webpki roots, ureq's defaults with its `rustls` feature. IP addresses skip the name
/// lookup (see [`LiteralFirst`]).
fn default_agent(timeout: Duration) -> Agent {
    let config = Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(timeout))
        .no_delay(true)
        .build();
    Agent::with_parts(config, DefaultConnector::default(), LiteralFirst::default())
}
