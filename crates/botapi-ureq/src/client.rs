//! The client: a core client plus a ureq agent, a timeout and a body limit.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use botapi_proto::Method;
use http::HeaderValue;
use http::header::CONTENT_LENGTH;
use ureq::unversioned::transport::DefaultConnector;
use ureq::{Agent, AsSendBody, SendBody};

use crate::body::{ReadError, UploadReader, read_limited};
use crate::error::{self, Error, TransportError};
use crate::resolve::LiteralFirst;

pub use botapi_proto::{DEFAULT_MAX_BODY_SIZE, DEFAULT_TIMEOUT};

/// A blocking Bot API client over ureq: sends any [`Method`] and returns its typed result.
///
/// Cloning is cheap and clones share the agent's connection pool, so one client can serve
/// several threads. Every call runs under a whole-request timeout (the base timeout plus the
/// method's [`timeout_hint`](Method::timeout_hint)) and reads at most
/// [`max_body_size`](Builder::max_body_size) bytes of the answer.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    proto: botapi_proto::Client,
    agent: Agent,
    /// Whether every request needs its own configuration: a user's agent may turn statuses
    /// into errors or have another timeout; ours is built with the right ones.
    configure_each: bool,
    timeout: Duration,
    max_body_size: usize,
}

/// Configures a [`Client`]: its timeout, its body limit, and optionally the ureq agent it
/// sends through.
#[must_use]
pub struct Builder {
    proto: botapi_proto::Client,
    agent: Option<Agent>,
    timeout: Duration,
    max_body_size: usize,
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
            timeout: DEFAULT_TIMEOUT,
            max_body_size: DEFAULT_MAX_BODY_SIZE,
        }
    }

    /// The core client: the bot's token and the server's URL.
    pub fn proto(&self) -> &botapi_proto::Client {
        &self.inner.proto
    }

    /// The base timeout of every call.
    pub fn timeout(&self) -> Duration {
        self.inner.timeout
    }

    /// The largest answer body this client reads.
    pub fn max_body_size(&self) -> usize {
        self.inner.max_body_size
    }

    /// Calls `method` and returns its result, blocking the thread until it is there.
    ///
    /// Fails with [`Error::Encode`](botapi_proto::Error::Encode) if the request cannot be
    /// built, [`Error::Api`](botapi_proto::Error::Api) when the Bot API refuses it,
    /// [`Error::Malformed`](botapi_proto::Error::Malformed) when the answer is not a Bot API
    /// answer, and [`Error::Transport`](botapi_proto::Error::Transport) when there is no
    /// complete answer (see [`TransportErrorKind`](crate::TransportErrorKind)).
    pub fn send<M: Method + ?Sized>(&self, method: &M) -> Result<M::Response, Error> {
        let inner = &*self.inner;
        let name = method.method_name();
        let request = inner.proto.encode(method)?;
        let hint = request.timeout_hint();
        let timeout = inner.timeout.saturating_add(hint.unwrap_or_default());
        let exchange = inner.exchange(name, request.into_http(), timeout, hint.is_some());
        let (status, body) = exchange.map_err(Error::Transport)?;
        Ok(inner.proto.decode(method, status, &body)?)
    }
}

impl Inner {
    /// Sends the request and reads the answer's status and body.
    fn exchange(
        &self,
        name: &str,
        request: http::Request<botapi_proto::Body>,
        timeout: Duration,
        has_hint: bool,
    ) -> Result<(http::StatusCode, Vec<u8>), TransportError> {
        let (mut parts, body) = request.into_parts();
        let sent = match body.to_bytes() {
            Some(bytes) => {
                let request = http::Request::from_parts(parts, bytes.as_ref());
                self.run(request, timeout, has_hint)
            }
            None => {
                let (reader, length) = UploadReader::open(body.chunks())
                    .map_err(|message| error::file(&message, name, &self.proto))?;
                parts
                    .headers
                    .insert(CONTENT_LENGTH, HeaderValue::from(length));
                let body = SendBody::from_owned_reader(reader);
                self.run(http::Request::from_parts(parts, body), timeout, has_hint)
            }
        };
        let fail = |e| error::from_ureq(e, name, timeout, self.max_body_size, &self.proto);
        let mut response = sent.map_err(fail)?;
        let status = response.status();
        match read_limited(response.body_mut(), self.max_body_size) {
            Ok(body) => Ok((status, body)),
            Err(ReadError::TooLarge) => Err(TransportError::body_too_large(
                name,
                self.max_body_size,
                &self.proto,
            )),
            Err(ReadError::Ureq(e)) => Err(fail(e)),
        }
    }

    fn run<S: AsSendBody>(
        &self,
        request: http::Request<S>,
        timeout: Duration,
        has_hint: bool,
    ) -> Result<http::Response<ureq::Body>, ureq::Error> {
        let request = if self.configure_each || has_hint {
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
        self.timeout = base;
        self
    }

    /// The largest answer body to read, in bytes (default [`DEFAULT_MAX_BODY_SIZE`]).
    pub fn max_body_size(mut self, bytes: usize) -> Self {
        self.max_body_size = bytes;
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
        let agent = self.agent.unwrap_or_else(|| default_agent(self.timeout));
        Client {
            inner: Arc::new(Inner {
                proto: self.proto,
                agent,
                configure_each,
                timeout: self.timeout,
                max_body_size: self.max_body_size,
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

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("proto", &self.inner.proto)
            .field("timeout", &self.inner.timeout)
            .field("max_body_size", &self.inner.max_body_size)
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for Builder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Builder")
            .field("proto", &self.proto)
            .field("timeout", &self.timeout)
            .field("max_body_size", &self.max_body_size)
            .field("custom_agent", &self.agent.is_some())
            .finish()
    }
}
