//! One call in flight. The core creates it when it builds a request; the transport carries
//! it beside the request and hands it back with the answer. It knows everything the core
//! needs to finish the call (which method, which result type, which token to keep out of
//! errors, how long the server may hold the request), so the transport never passes the
//! method back and never needs the client.

use std::borrow::Cow;
use std::fmt;
use std::path::Path;
use std::time::Duration;

use http::StatusCode;

use crate::api_url::ApiUrl;
use crate::decode::MethodName;
use crate::error::{DecodeError, EncodeError, Error};
use crate::method::ResponseReader;
use crate::redact::{REDACTED, Redactor};
use crate::transport_error::{TransportError, TransportErrorKind};

/// What a transport knows about the call it is carrying: the method, the timeout it needs,
/// and the redactor that keeps the token out of its errors.
///
/// Every transport failure is built here ([`CallContext::transport_error`] and the helpers
/// beside it), so that each is named after its method and free of the token.
#[derive(Clone, PartialEq, Eq)]
pub struct CallContext {
    /// Borrowed for every generated method, whose name is fixed ([`Method::static_name`](crate::Method::static_name)).
    method: Cow<'static, str>,
    api_url: ApiUrl,
    redactor: Redactor,
    timeout_hint: Option<Duration>,
    read_only: bool,
    /// For a file download, the `file_path` that follows `/file/bot{token}/` in the URL.
    file_path: Option<String>,
}

impl CallContext {
    pub(crate) fn new(
        method: Cow<'static, str>,
        api_url: ApiUrl,
        redactor: Redactor,
        timeout_hint: Option<Duration>,
        read_only: bool,
    ) -> Self {
        CallContext {
            method,
            api_url,
            redactor,
            timeout_hint,
            read_only,
            file_path: None,
        }
    }

    /// The context of a file download: named `download` in errors, with the file's URL.
    pub(crate) fn for_download(api_url: ApiUrl, redactor: Redactor, file_path: &str) -> Self {
        let mut context =
            CallContext::new(Cow::Borrowed("download"), api_url, redactor, None, true);
        context.file_path = Some(file_path.to_owned());
        context
    }

    /// The Bot API method, such as `getMe`.
    pub fn method_name(&self) -> &str {
        &self.method
    }

    /// How long the server may hold this request on purpose (the long-poll `timeout` of
    /// `getUpdates`), if at all.
    pub fn timeout_hint(&self) -> Option<Duration> {
        self.timeout_hint
    }

    /// The whole-request timeout for a transport whose usual timeout is `base`: `base` plus
    /// the [`timeout_hint`](CallContext::timeout_hint), so a long poll never times out
    /// before the server answers.
    pub fn timeout(&self, base: Duration) -> Duration {
        base.saturating_add(self.timeout_hint.unwrap_or_default())
    }

    /// Whether the method only reads ([`Method::is_read_only`](crate::Method::is_read_only)),
    /// so that sending it again after any failure is harmless.
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// The redactor for this call's token.
    pub fn redactor(&self) -> &Redactor {
        &self.redactor
    }

    /// The request URL with the token's secret replaced by `<redacted>`: safe to log.
    pub fn redacted_url(&self) -> String {
        if let Some(file_path) = &self.file_path {
            let (url, id) = (&self.api_url, self.redactor.bot_id());
            return format!("{url}/file/bot{id}:{REDACTED}/{file_path}");
        }
        format!(
            "{}/bot{}:{REDACTED}/{}",
            self.api_url,
            self.redactor.bot_id(),
            self.method
        )
    }

    /// A transport failure of `kind` described by `message` (a library's error text, say),
    /// with the token removed.
    pub fn transport_error(&self, kind: TransportErrorKind, message: &str) -> TransportError {
        TransportError::new(kind, &self.method, message, &self.redactor)
    }

    /// The whole-request timeout of `after` ran out.
    pub fn timed_out(&self, after: Duration) -> TransportError {
        let message = format!("timed out after {} s", after.as_secs_f64());
        self.transport_error(TransportErrorKind::Timeout, &message)
    }

    /// The answer's body was larger than `limit` bytes.
    pub fn body_too_large(&self, limit: usize) -> TransportError {
        let message = format!("body larger than {limit} bytes");
        self.transport_error(TransportErrorKind::BodyTooLarge { limit }, &message)
    }

    /// The upload file at `path` could not be opened or read.
    pub fn file_unreadable(&self, path: &Path, error: &std::io::Error) -> TransportError {
        let message = format!("cannot read {}: {error}", path.display());
        self.transport_error(TransportErrorKind::File, &message)
    }

    /// A transport that only sends bodies held in memory met a request that streams a file.
    pub fn streaming_required<E>(&self) -> Error<E> {
        Error::Encode(EncodeError::StreamingRequired {
            method: self.method.clone().into_owned(),
        })
    }
}

impl fmt::Debug for CallContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CallContext")
            .field("url", &self.redacted_url())
            .field("timeout_hint", &self.timeout_hint)
            .field("read_only", &self.read_only)
            .finish()
    }
}

/// A call in flight whose answer reads as `R`: made by
/// [`Client::prepare`](crate::Client::prepare) together with the request, and what turns the
/// answer into the typed result.
///
/// ```
/// use botapi_proto::{Client, Token, methods::GetMe};
///
/// let client = Client::new("123456:ABC-def".parse::<Token>()?);
/// let (request, pending) = client.prepare(&GetMe::new())?;
/// assert_eq!(request.uri().path(), "/bot123456:ABC-def/getMe");
/// assert_eq!(pending.method_name(), "getMe");
///
/// // Whatever carried the request comes back with a status and a body.
/// let body = br#"{"ok":true,"result":{"id":123456,"is_bot":true,"first_name":"Echo"}}"#;
/// let me = pending.decode(http::StatusCode::OK, body)?;
/// assert_eq!(me.first_name, "Echo");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[must_use = "a pending call decodes the answer to its request"]
pub struct Pending<R> {
    context: CallContext,
    reader: ResponseReader<R>,
}

impl<R> Pending<R> {
    pub(crate) fn new(context: CallContext, reader: ResponseReader<R>) -> Self {
        Pending { context, reader }
    }

    /// What the transport needs to know about this call.
    pub fn context(&self) -> &CallContext {
        &self.context
    }

    /// The Bot API method, such as `getMe`.
    pub fn method_name(&self) -> &str {
        self.context.method_name()
    }

    /// The whole-request timeout for a transport whose usual timeout is `base`; see
    /// [`CallContext::timeout`].
    pub fn timeout(&self, base: Duration) -> Duration {
        self.context.timeout(base)
    }
}

impl<R> Pending<R> {
    /// Reads the answer from its HTTP status and body.
    ///
    /// Never panics, whatever the bytes. The envelope decides between success and failure,
    /// since proxies and Telegram do not always agree on status codes; the status is kept in
    /// errors.
    pub fn decode(&self, status: StatusCode, body: &[u8]) -> Result<R, DecodeError> {
        let name = MethodName::from(&self.context.method);
        let token = self.context.redactor.token();
        self.reader.read(name, status, body, token)
    }

    /// Finishes the call with what the transport got: the answer, decoded, or the
    /// transport's own failure, passed through.
    pub fn finish<B: AsRef<[u8]>, E>(
        &self,
        answer: Result<http::Response<B>, Error<E>>,
    ) -> Result<R, Error<E>> {
        let response = answer?;
        Ok(self.decode(response.status(), response.body().as_ref())?)
    }
}

impl<R> fmt::Debug for Pending<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Pending").field(&self.context).finish()
    }
}
