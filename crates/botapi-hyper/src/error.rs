//! Sorting hyper's failures into the core's transport error kinds. The text of each goes
//! through the call's redactor, since hyper and hyper-util errors may quote the request URI
//! and its token.

use std::error::Error as StdError;

use botapi_proto::CallContext;
use botapi_proto::transport::{UploadError, error_text, find_source};
pub use botapi_proto::{TransportError, TransportErrorKind};

/// Everything [`Client::send`](crate::Client::send) can end in: the core's encode, API and
/// malformed-answer errors, or a [`TransportError`]. The same type as `botapi_ureq::Error`.
pub type Error = botapi_proto::Error<TransportError>;

/// Sorts a hyper-util client error.
pub(crate) fn from_client(
    e: &hyper_util::client::legacy::Error,
    call: &CallContext,
) -> TransportError {
    if let Some(upload) = find_source::<UploadError>(e) {
        return upload.to_transport_error(call);
    }
    // hyper-util's own text ("client error (Connect)") says less than its sources.
    let chain = e.source().map_or_else(|| e.to_string(), error_text);
    let (kind, message) = if let Some(tls) = find_source::<rustls::Error>(e) {
        let phase = if e.is_connect() {
            "TLS handshake"
        } else {
            "TLS"
        };
        (TransportErrorKind::Tls, format!("{phase}: {tls}"))
    } else if e.is_connect() {
        (TransportErrorKind::Connect, format!("connect: {chain}"))
    } else {
        return from_hyper(e, call);
    };
    call.transport_error(kind, &message)
}

/// A hyper error while the request or the answer was in flight.
pub(crate) fn from_hyper(e: &(dyn StdError + 'static), call: &CallContext) -> TransportError {
    let (kind, message) = match find_source::<hyper::Error>(e) {
        Some(h) if h.is_parse() || h.is_parse_status() || h.is_user() => {
            (TransportErrorKind::Http, format!("HTTP: {}", error_text(e)))
        }
        _ => (
            TransportErrorKind::Io,
            format!("connection: {}", error_text(e)),
        ),
    };
    call.transport_error(kind, &message)
}
