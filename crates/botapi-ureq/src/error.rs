//! The transport's own failures, as text an operator can act on, with the token removed.
//!
//! ureq errors may quote the request URI, which holds the bot token, so none is kept: each is
//! turned into a message and passed through [`botapi_proto::Client::redact`] before it is
//! stored.

use std::error::Error as StdError;
use std::fmt;
use std::io;
use std::time::Duration;

use crate::body::UploadError;

/// Everything [`Client::send`](crate::Client::send) can end in: the core's encode, API and
/// malformed-answer errors, or a [`TransportError`].
pub type Error = botapi_proto::Error<TransportError>;

/// The request did not complete: no answer, or only part of one.
///
/// `Display` gives the method and a message an operator can act on ("connection refused",
/// "dns error", "TLS handshake: …", "timed out after 30.5 s", "body larger than … bytes").
/// The bot token never appears in it, nor in `Debug`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct TransportError {
    kind: TransportErrorKind,
    method: String,
    message: String,
}

/// What kind of failure a [`TransportError`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// No connection could be made: refused, unreachable, or the host name did not resolve.
    /// Nothing was sent.
    Connect,
    /// The TLS handshake failed (a bad certificate, or a server that does not speak TLS).
    /// Nothing was sent.
    Tls,
    /// The whole request (connect, send, answer and body) took longer than the timeout.
    Timeout,
    /// The answer's body is larger than the configured limit; it was not read past it.
    BodyTooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// The connection failed while the request or the answer was in flight (closed early,
    /// reset).
    Io,
    /// The server broke the HTTP protocol, or the request could not be sent as HTTP.
    Http,
    /// A file to upload could not be read. Nothing, or only part of the request, was sent.
    File,
}

impl TransportError {
    /// What kind of failure this is.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// The Bot API method that was being called.
    pub fn method(&self) -> &str {
        &self.method
    }

    /// The message without the method name.
    pub fn message(&self) -> &str {
        &self.message
    }

    pub(crate) fn new(
        kind: TransportErrorKind,
        method: &str,
        message: impl Into<String>,
        proto: &botapi_proto::Client,
    ) -> Self {
        TransportError {
            kind,
            method: method.to_owned(),
            message: proto.redact(&message.into()).into_owned(),
        }
    }

    pub(crate) fn timeout(method: &str, after: Duration, proto: &botapi_proto::Client) -> Self {
        let message = format!("timed out after {} s", after.as_secs_f64());
        Self::new(TransportErrorKind::Timeout, method, message, proto)
    }

    pub(crate) fn body_too_large(method: &str, limit: usize, proto: &botapi_proto::Client) -> Self {
        let message = format!("body larger than {limit} bytes");
        Self::new(
            TransportErrorKind::BodyTooLarge { limit },
            method,
            message,
            proto,
        )
    }

    pub(crate) fn file(message: String, method: &str, proto: &botapi_proto::Client) -> Self {
        Self::new(TransportErrorKind::File, method, message, proto)
    }

    /// Sorts a ureq error. `timeout` is the whole-request timeout the call ran under, `limit`
    /// the body limit.
    pub(crate) fn from_ureq(
        e: ureq::Error,
        method: &str,
        timeout: Duration,
        limit: usize,
        proto: &botapi_proto::Client,
    ) -> Self {
        use TransportErrorKind as Kind;
        let (kind, message) = match e {
            ureq::Error::Timeout(_) => return Self::timeout(method, timeout, proto),
            ureq::Error::BodyExceedsLimit(_) => return Self::body_too_large(method, limit, proto),
            ureq::Error::HostNotFound => {
                (Kind::Connect, "connect: dns error: host not found".into())
            }
            ureq::Error::ConnectionFailed => (Kind::Connect, "connect: connection failed".into()),
            ureq::Error::Rustls(e) => (Kind::Tls, format!("TLS handshake: {e}")),
            ureq::Error::Tls(_) | ureq::Error::Pem(_) | ureq::Error::TlsRequired => {
                (Kind::Tls, format!("TLS: {e}"))
            }
            ureq::Error::Io(io) => return Self::from_io(&io, method, proto),
            other => (Kind::Http, format!("HTTP: {other}")),
        };
        Self::new(kind, method, message, proto)
    }

    /// An IO error: an upload file that failed, TLS under the socket, or the socket itself.
    fn from_io(e: &io::Error, method: &str, proto: &botapi_proto::Client) -> Self {
        use TransportErrorKind as Kind;
        let inner = e.get_ref();
        let (kind, message) =
            if let Some(upload) = inner.and_then(|i| i.downcast_ref::<UploadError>()) {
                (Kind::File, upload.to_string())
            } else if let Some(tls) = inner.and_then(|i| i.downcast_ref::<rustls::Error>()) {
                (Kind::Tls, format!("TLS handshake: {tls}"))
            } else if let Some(wrapped) = inner.and_then(|i| i.downcast_ref::<ureq::Error>()) {
                (Kind::Http, format!("HTTP: {wrapped}"))
            } else {
                // std reports a failed name lookup with an uncategorized kind; its message is the
                // only sign that the failure happened before any connection was tried.
                let lookup = e.to_string().starts_with("failed to lookup address");
                match e.kind() {
                    _ if lookup => (Kind::Connect, format!("connect: dns error: {e}")),
                    io::ErrorKind::ConnectionRefused
                    | io::ErrorKind::AddrNotAvailable
                    | io::ErrorKind::NetworkUnreachable
                    | io::ErrorKind::HostUnreachable => (Kind::Connect, format!("connect: {e}")),
                    io::ErrorKind::TimedOut => (Kind::Timeout, format!("timed out: {e}")),
                    _ => (Kind::Io, format!("connection: {}", text_of(e))),
                }
            };
        Self::new(kind, method, message, proto)
    }
}

/// An error's message followed by its sources'.
fn text_of(e: &(dyn StdError + 'static)) -> String {
    let mut text = e.to_string();
    let mut next = e.source();
    for _ in 0..16 {
        let Some(source) = next else { break };
        let message = source.to_string();
        if !text.ends_with(&message) {
            text.push_str(": ");
            text.push_str(&message);
        }
        next = source.source();
    }
    text
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.method, self.message)
    }
}

impl StdError for TransportError {}
