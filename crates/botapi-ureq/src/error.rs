//! Sorting ureq's failures into the core's transport error kinds. The text of each goes
//! through the call's redactor, since ureq errors may quote the request URI and its token.

use std::io;
use std::time::Duration;

use botapi_proto::CallContext;
use botapi_proto::transport::{UploadError, io_failure};
pub use botapi_proto::{TransportError, TransportErrorKind};

/// Everything [`Client::send`](crate::Client::send) can end in: the core's encode, API and
/// malformed-answer errors, or a [`TransportError`]. The same type as `botapi_hyper::Error`.
pub type Error = botapi_proto::Error<TransportError>;

/// Sorts a ureq error. `timeout` is the whole-request timeout the call ran under, `limit` the
/// body limit.
pub(crate) fn from_ureq(
    e: ureq::Error,
    call: &CallContext,
    timeout: Duration,
    limit: usize,
) -> TransportError {
    use TransportErrorKind as Kind;
    let (kind, message) = match e {
        ureq::Error::Timeout(_) => return call.timed_out(timeout),
        ureq::Error::BodyExceedsLimit(_) => return call.body_too_large(limit),
        ureq::Error::Io(io) => return from_io(&io, call),
        ureq::Error::HostNotFound => (Kind::Connect, "connect: dns error: host not found".into()),
        ureq::Error::ConnectionFailed => (Kind::Connect, "connect: connection failed".into()),
        ureq::Error::Rustls(e) => (Kind::Tls, format!("TLS handshake: {e}")),
        ureq::Error::Tls(_) | ureq::Error::Pem(_) | ureq::Error::TlsRequired => {
            (Kind::Tls, format!("TLS: {e}"))
        }
        other => (Kind::Http, format!("HTTP: {other}")),
    };
    call.transport_error(kind, &message)
}

/// An IO error: an upload file that failed, TLS under the socket, or the socket itself.
fn from_io(e: &io::Error, call: &CallContext) -> TransportError {
    use TransportErrorKind as Kind;
    if let Some(upload) = UploadError::find_in(e) {
        return upload.to_transport_error(call);
    }
    let inner = e.get_ref();
    let (kind, message) = if let Some(tls) = inner.and_then(|i| i.downcast_ref::<rustls::Error>()) {
        (Kind::Tls, format!("TLS handshake: {tls}"))
    } else if let Some(wrapped) = inner.and_then(|i| i.downcast_ref::<ureq::Error>()) {
        (Kind::Http, format!("HTTP: {wrapped}"))
    } else {
        io_failure(e)
    };
    call.transport_error(kind, &message)
}
