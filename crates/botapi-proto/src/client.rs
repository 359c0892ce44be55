//! The client value: where the Bot API is and which bot speaks. Encoding and decoding hang
//! off it because both need the token (one to build the URL, the other to keep the token
//! out of errors).

use std::borrow::Cow;
use std::fmt;

use http::StatusCode;
use serde::de::DeserializeOwned;

use crate::api_url::ApiUrl;
use crate::call::Pending;
use crate::decode::MethodName;
use crate::download::{Download, DownloadError};
use crate::error::{DecodeError, EncodeError, Error};
use crate::method::Method;
use crate::redact::{REDACTED, Redactor, redact};
use crate::request::{Body, Request};
use crate::token::Token;
use crate::transport::{AsyncTransport, BlockingTransport};
use crate::types::File;

/// A bot on a Bot API server: the base URL and the token. It does no IO; it builds requests
/// and reads answers, and any transport can carry them in between.
///
/// `Debug` shows the token as `123456:<redacted>`.
///
/// ```
/// use botapi_proto::{ApiUrl, Client, Token};
///
/// let token: Token = "123456:ABC-def".parse()?;
/// let cloud = Client::new(token.clone());
/// let local = Client::new(token).with_api_url("http://127.0.0.1:8081".parse()?);
/// assert_eq!(local.redacted_url("getMe"), "http://127.0.0.1:8081/bot123456:<redacted>/getMe");
/// # let _ = cloud;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Client {
    api_url: ApiUrl,
    token: Token,
}

impl Client {
    /// A client for `token` on Telegram's cloud Bot API.
    pub fn new(token: Token) -> Self {
        Client {
            api_url: ApiUrl::default(),
            token,
        }
    }

    /// The same bot on another server (a local Bot API server, a gateway).
    #[must_use]
    pub fn with_api_url(mut self, api_url: ApiUrl) -> Self {
        self.api_url = api_url;
        self
    }

    /// The server's base URL.
    pub fn api_url(&self) -> &ApiUrl {
        &self.api_url
    }

    /// The bot's token.
    pub fn token(&self) -> &Token {
        &self.token
    }

    /// Builds the HTTP request for `method`, and the [`Pending`] call that reads its answer:
    /// what a transport needs. The request is `POST {api_url}/bot{token}/{name}` with a JSON
    /// body, a `multipart/form-data` body when files are uploaded, or no body when there are
    /// no parameters.
    ///
    /// The request's URI holds the token: never print or log it (its `Debug` would show it);
    /// log [`CallContext::redacted_url`](crate::CallContext::redacted_url) instead.
    #[allow(clippy::type_complexity)]
    pub fn prepare<M: Method + ?Sized>(
        &self,
        method: &M,
    ) -> Result<(http::Request<Body>, Pending<M::Response>), EncodeError> {
        let (request, context) = crate::encode::encode(self, method)?;
        Ok((request, Pending::new(context, method.response_reader())))
    }

    /// Calls `method` through a blocking [transport](crate::transport): encodes, lets the
    /// transport carry the request, decodes. One attempt; nothing is retried.
    pub fn send<T, M>(&self, transport: &T, method: &M) -> Result<M::Response, Error<T::Error>>
    where
        T: BlockingTransport + ?Sized,
        M: Method + ?Sized,
    {
        let (request, pending) = self.prepare(method)?;
        pending.finish(transport.round_trip(request, pending.context()))
    }

    /// Calls `method` through an async [transport](crate::transport): encodes, lets the
    /// transport carry the request, decodes. One attempt; nothing is retried.
    pub async fn send_async<T, M>(
        &self,
        transport: &T,
        method: &M,
    ) -> Result<M::Response, Error<T::Error>>
    where
        T: AsyncTransport + ?Sized,
        M: Method + ?Sized,
    {
        let (request, pending) = self.prepare(method)?;
        let answer = transport.round_trip(request, pending.context()).await;
        pending.finish(answer)
    }

    /// Builds the request for `method`, wrapped so that it prints without the token. For
    /// driving the core by hand; transports use [`Client::prepare`].
    pub fn encode<M: Method + ?Sized>(&self, method: &M) -> Result<Request, EncodeError> {
        let (http, context) = crate::encode::encode(self, method)?;
        Ok(Request { http, context })
    }

    /// Reads the answer to `method` from its HTTP status and body. For driving the core by
    /// hand; transports use the [`Pending`] call from [`Client::prepare`].
    ///
    /// Never panics, whatever the bytes. The status is only reported in errors: the
    /// envelope decides between success and failure, since proxies and Telegram do not
    /// always agree on status codes.
    pub fn decode<M: Method + ?Sized>(
        &self,
        method: &M,
        status: StatusCode,
        body: &[u8],
    ) -> Result<M::Response, DecodeError> {
        let reader = method.response_reader();
        reader.read(MethodName::of(method), status, body, &self.token)
    }

    /// Like [`Client::decode`] for any result type, naming the method by string.
    ///
    /// A `&'static str` name is borrowed by any error for good
    /// ([`ApiError::method`](crate::ApiError)); a `String` is copied into an error only
    /// when there is one.
    pub fn decode_as<R: DeserializeOwned>(
        &self,
        method_name: impl Into<Cow<'static, str>>,
        status: StatusCode,
        body: &[u8],
    ) -> Result<R, DecodeError> {
        let name = method_name.into();
        crate::decode::decode(MethodName::from(&name), status, body, &self.token)
    }

    /// Calls `method` through a function that takes the request and gives back the
    /// response (or its own error). Tests, mocks and simple clients need no more than this.
    ///
    /// Requests that stream a file from disk cannot go through an in-memory transport and
    /// fail with [`EncodeError::StreamingRequired`].
    pub fn call<M, F, E>(&self, method: &M, transport: F) -> Result<M::Response, Error<E>>
    where
        M: Method + ?Sized,
        F: FnOnce(http::Request<Vec<u8>>) -> Result<http::Response<Vec<u8>>, E>,
    {
        let (request, pending) = self.prepare(method)?;
        let (parts, body) = request.into_parts();
        let body = body
            .to_vec()
            .ok_or_else(|| pending.context().streaming_required::<E>())?;
        let response = transport(http::Request::from_parts(parts, body));
        pending.finish(response.map_err(Error::Transport))
    }

    /// Plans the download of `file` (what `getFile` answered), refusing it if it is larger
    /// than `max_size` bytes: where its bytes are (over HTTP, or an absolute path on a local
    /// server's disk), how many to expect, and the checks the transport runs as they come.
    /// A `file_path` that could escape its place is refused here, before anything is sent;
    /// see [`download`](crate::download).
    pub fn download(&self, file: &File, max_size: u64) -> Result<Download, DownloadError> {
        Download::new(&self.api_url, self.redactor(), file, max_size)
    }

    /// The URL of `method` with the token replaced by `<redacted>`: safe to print.
    pub fn redacted_url(&self, method_name: &str) -> String {
        format!(
            "{}/bot{}:{REDACTED}/{method_name}",
            self.api_url,
            self.token.bot_id()
        )
    }

    /// The redactor for this client's token: what removes the secret from any text.
    pub fn redactor(&self) -> Redactor {
        self.token.redactor()
    }

    /// `text` with the token's secret replaced by `<redacted>`.
    pub fn redact<'a>(&self, text: &'a str) -> Cow<'a, str> {
        redact(text, &self.token)
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("api_url", &self.api_url)
            .field("token", &self.token)
            .finish()
    }
}
