//! The client: a core client plus a pooled hyper-util client, a timeout and a body limit.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use botapi_proto::poll::{PollItem, PolledUpdate, Poller};
use botapi_proto::{Body, CallContext, Method, run::*, transport::AsyncTransport};
use bytes::Bytes;
use hyper::body::Incoming;
use hyper_util::client::legacy::connect::{Connect, HttpConnector};
use hyper_util::client::legacy::{self, ResponseFuture};
use hyper_util::rt::{TokioExecutor, TokioTimer};
use tokio::time::{Instant, Sleep, sleep};

use crate::body::{RequestBody, read_limited};
use crate::error::{self, Error, TransportError};

pub use botapi_proto::{DEFAULT_MAX_BODY_SIZE, DEFAULT_TIMEOUT, Limits};

/// The clock the drivers nap on: tokio's `Instant::now` and `tokio::time::sleep` (so a paused
/// test runtime pauses it too).
pub const CLOCK: AsyncFnClock<Sleep> = AsyncFnClock::new(|| Instant::now().into_std(), sleep);

/// Long polling through a [`Client`], one update per `next().await` (see [`Client::updates`]).
pub type Updates<U = PolledUpdate> = AsyncUpdates<Client, AsyncFnClock<Sleep>, U>;

/// An async Bot API client over hyper: sends any [`Method`] and returns its typed result.
///
/// Cloning is cheap and clones share the connection pool, so one client can serve a whole
/// program. Every call runs under a whole-request timeout (the base timeout plus the method's
/// [`timeout_hint`](Method::timeout_hint)) and reads at most
/// [`max_body_size`](Builder::max_body_size) bytes of the answer.
///
/// The client needs a tokio runtime with timers enabled (`#[tokio::main]` has them).
#[derive(Clone, Debug)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

#[derive(Debug)]
pub(crate) struct Inner {
    proto: botapi_proto::Client,
    http: Box<dyn SendHttp>,
    pub(crate) limits: Limits,
    sender: Sender,
}

/// Configures a [`Client`]: its timeout, its body limit, and optionally the hyper-util client
/// or connector it sends through.
#[must_use]
#[derive(Debug)]
pub struct Builder {
    proto: botapi_proto::Client,
    http: Option<Box<dyn SendHttp>>,
    limits: Limits,
    sender: Sender,
}

/// A hyper-util client with its connector type erased.
trait SendHttp: fmt::Debug + Send + Sync + 'static {
    fn request(&self, request: http::Request<RequestBody>) -> ResponseFuture;
}

impl<C: Connect + Clone + Send + Sync + 'static> SendHttp for legacy::Client<C, RequestBody> {
    fn request(&self, request: http::Request<RequestBody>) -> ResponseFuture {
        legacy::Client::request(self, request)
    }
}

impl Client {
    /// A client with the default settings: HTTPS through rustls (ring provider, Mozilla's
    /// root certificates from `webpki-roots`), HTTP/1.1 or HTTP/2 as the server's ALPN
    /// chooses, plain `http://` for local servers, a 30 s base timeout and a 10 MiB body limit.
    pub fn new(proto: botapi_proto::Client) -> Client {
        Client::builder(proto).build()
    }

    /// Starts configuring a client for `proto`.
    pub fn builder(proto: botapi_proto::Client) -> Builder {
        Builder {
            proto,
            http: None,
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

    /// Calls `method` and returns its result. With a [`Sender`](Builder::sender) that has a
    /// throttle, the call first waits its turn; with a retry policy, a failure the policy
    /// allows is sent again after its wait (never a call that changes something once it may
    /// have run). Otherwise it is one attempt.
    ///
    /// Fails with [`Error::Encode`](botapi_proto::Error::Encode) if the request cannot be
    /// built, [`Error::Api`](botapi_proto::Error::Api) when the Bot API refuses it,
    /// [`Error::Malformed`](botapi_proto::Error::Malformed) when the answer is not a Bot API
    /// answer, and [`Error::Transport`](botapi_proto::Error::Transport) when there is no
    /// complete answer (see [`TransportErrorKind`](crate::TransportErrorKind)).
    pub async fn send<M: Method + ?Sized>(&self, method: &M) -> Result<M::Response, Error> {
        let (sender, proto) = (&self.inner.sender, &self.inner.proto);
        sender.send_async(proto, self, &CLOCK, method).await
    }

    /// Long-polls for updates as `poller` says: `next().await` hands out one update at a
    /// time, only what was handed out is confirmed, failed polls are resent per the
    /// poller's policy, and the error that stops polling (401, 404, 409, …) comes out once.
    /// Call [`stop`](AsyncUpdates::stop) to confirm cleanly.
    pub fn updates<U: PollItem>(&self, poller: Poller<U>) -> Updates<U> {
        Updates::new(self.inner.proto.clone(), self.clone(), CLOCK, poller)
    }
}

/// The client carries any request the core built; generic code can take it as an
/// [`AsyncTransport`].
impl AsyncTransport for Client {
    type Error = TransportError;

    async fn round_trip(
        &self,
        request: http::Request<Body>,
        call: &CallContext,
    ) -> Result<http::Response<Bytes>, Error> {
        let timeout = call.timeout(self.inner.limits.timeout);
        let answer = tokio::time::timeout(timeout, self.inner.exchange(request, call)).await;
        Ok(answer.map_err(|_| call.timed_out(timeout))??)
    }
}

impl Inner {
    /// Sends the request and reads the answer with its whole body.
    async fn exchange(
        &self,
        request: http::Request<Body>,
        call: &CallContext,
    ) -> Result<http::Response<Bytes>, TransportError> {
        let (parts, body) = self.send(request, call).await?.into_parts();
        let body = read_limited(body, self.limits.max_body_size, call).await?;
        Ok(http::Response::from_parts(parts, body))
    }

    /// Sends the request and gives back the answer as its head arrives.
    pub(crate) async fn send(
        &self,
        request: http::Request<Body>,
        call: &CallContext,
    ) -> Result<http::Response<Incoming>, TransportError> {
        let (parts, body) = request.into_parts();
        let body = match body.to_bytes() {
            Some(bytes) => RequestBody::full(bytes),
            None => RequestBody::open(&body, call).await?,
        };
        let request = http::Request::from_parts(parts, body);
        let response = self.http.request(request).await;
        response.map_err(|e| error::from_client(&e, call))
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

    /// Sends through `client` instead of a client this crate builds: for proxies, custom TLS
    /// or pool settings. Build it with [`RequestBody`](crate::RequestBody) as its body type:
    ///
    /// ```no_run
    /// use hyper_util::client::legacy::{Client as HyperClient, connect::HttpConnector};
    /// use hyper_util::rt::TokioExecutor;
    ///
    /// let http: HyperClient<HttpConnector, botapi_hyper::RequestBody> =
    ///     HyperClient::builder(TokioExecutor::new()).build_http();
    /// let proto = botapi_proto::Client::new("123456:ABC-def".parse()?)
    ///     .with_api_url("http://127.0.0.1:8081".parse()?);
    /// let client = botapi_hyper::Client::builder(proto).hyper_client(http).build();
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn hyper_client<C>(mut self, client: legacy::Client<C, RequestBody>) -> Self
    where
        C: Connect + Clone + Send + Sync + 'static,
    {
        self.http = Some(Box::new(client));
        self
    }

    /// Connects through `connector` (a proxy tunnel, a custom TLS setup, …) with this
    /// crate's pool settings.
    pub fn connector<C: Connect + Clone + Send + Sync + 'static>(self, connector: C) -> Self {
        self.hyper_client(pooled_client(connector))
    }

    /// Builds the client.
    pub fn build(self) -> Client {
        let http = self.http.unwrap_or_else(|| {
            // The base URL never changes, so a plain `http://` server (a local Bot API server,
            // the emulator) gets a connector without the TLS layer.
            if self.proto.api_url().as_str().starts_with("http://") {
                Box::new(pooled_client(tcp_connector()))
            } else {
                Box::new(pooled_client(tls_connector()))
            }
        });
        Client {
            inner: Arc::new(Inner {
                proto: self.proto,
                http,
                limits: self.limits,
                sender: self.sender,
            }),
        }
    }
}

/// TCP with Nagle's algorithm off: requests are small and answered at once, so no write
/// should wait for an acknowledgement.
fn tcp_connector() -> HttpConnector {
    let mut tcp = HttpConnector::new();
    tcp.enforce_http(false);
    tcp.set_nodelay(true);
    tcp
}

/// HTTPS by rustls with the ring provider and webpki roots, HTTP/1.1 and HTTP/2 by ALPN.
fn tls_connector() -> hyper_rustls::HttpsConnector<HttpConnector> {
    let provider = rustls::crypto::ring::default_provider();
    hyper_rustls::HttpsConnectorBuilder::new()
        .with_provider_and_webpki_roots(provider)
        .expect("the ring provider supports the default TLS versions")
        .https_or_http()
        .enable_http1()
        .enable_http2()
        .wrap_connector(tcp_connector())
}

fn pooled_client<C>(connector: C) -> legacy::Client<C, RequestBody>
where
    C: Connect + Clone + Send + Sync + 'static,
{
    legacy::Client::builder(TokioExecutor::new())
        .timer(TokioTimer::new())
        .pool_timer(TokioTimer::new())
        .build(connector)
}
