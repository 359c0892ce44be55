//! Turning ureq's failures into the core's [`TransportError`], as text an operator can act
//! on, with the token removed.
//!
//! ureq errors may quote the request URI, which holds the bot token, so none is kept: each is
//! turned into a message and passed through [`botapi_proto::Client::redact`] before it is
//! stored.

use std::error::Error as StdError;
use std::io;
use std::time::Duration;

pub use botapi_proto::{TransportError, TransportErrorKind};

use crate::body::UploadError;

/// Everything [`Client::send`](crate::Client::send) can end in: the core's encode, API and
/// malformed-answer errors, or a [`TransportError`]. The same type as `botapi_hyper::Error`.
pub type Error = botapi_proto::Error<TransportError>;

/// An upload file that could not be read.
pub(crate) fn file(message: &str, method: &str, proto: &botapi_proto::Client) -> TransportError {
    TransportError::new(TransportErrorKind::File, method, message, proto)
}

/// Sorts a ureq error. `timeout` is the whole-request timeout the call ran under, `limit` the
/// body limit.
pub(crate) fn from_ureq(
    e: ureq::Error,
    method: &str,
    timeout: Duration,
    limit: usize,
    proto: &botapi_proto::Client,
) -> TransportError {
    use TransportErrorKind as Kind;
    let (kind, message) = match e {
        ureq::Error::Timeout(_) => return TransportError::timeout(method, timeout, proto),
        ureq::Error::BodyExceedsLimit(_) => {
            return TransportError::body_too_large(method, limit, proto);
        }
        ureq::Error::HostNotFound => (Kind::Connect, "connect: dns error: host not found".into()),
        ureq::Error::ConnectionFailed => (Kind::Connect, "connect: connection failed".into()),
        ureq::Error::Rustls(e) => (Kind::Tls, format!("TLS handshake: {e}")),
        ureq::Error::Tls(_) | ureq::Error::Pem(_) | ureq::Error::TlsRequired => {
            (Kind::Tls, format!("TLS: {e}"))
        }
        ureq::Error::Io(io) => return from_io(&io, method, proto),
        other => (Kind::Http, format!("HTTP: {other}")),
    };
    TransportError::new(kind, method, &message, proto)
}

/// An IO error: an upload file that failed, TLS under the socket, or the socket itself.
fn from_io(e: &io::Error, method: &str, proto: &botapi_proto::Client) -> TransportError {
    use TransportErrorKind as Kind;
    let inner = e.get_ref();
    let (kind, message) = if let Some(upload) = inner.and_then(|i| i.downcast_ref::<UploadError>())
    {
        (Kind::File, upload.to_string())
    } else if let Some(tls) = inner.and_then(|i| i.downcast_ref::<rustls::Error>()) {
        (Kind::Tls, format!("TLS handshake: {tls}"))
    } else if let Some(wrapped) = inner.and_then(|i| i.downcast_ref::<ureq::Error>()) {
        (Kind::Http, format!("HTTP: {wrapped}"))
    } else {
        // std reports a failed name lookup with an uncategorized kind; its message is the only
        // sign that the failure happened before any connection was tried.
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
    TransportError::new(kind, method, &message, proto)
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
