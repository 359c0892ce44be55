//! Turning hyper's failures into the core's [`TransportError`], as text an operator can act
//! on, with the token removed.
//!
//! hyper and hyper-util errors may quote the request URI, which holds the bot token, so none
//! is kept: their messages are flattened into a string and passed through
//! [`botapi_proto::Client::redact`] before they are stored.

use std::error::Error as StdError;

pub use botapi_proto::{TransportError, TransportErrorKind};

use crate::body::UploadError;

/// Everything [`Client::send`](crate::Client::send) can end in: the core's encode, API and
/// malformed-answer errors, or a [`TransportError`]. The same type as `botapi_ureq::Error`.
pub type Error = botapi_proto::Error<TransportError>;

/// Sorts a hyper-util client error and keeps its text.
pub(crate) fn from_client(
    e: &hyper_util::client::legacy::Error,
    method: &str,
    proto: &botapi_proto::Client,
) -> TransportError {
    // hyper-util's own text ("client error (Connect)") says less than its sources.
    let chain = chain_text(e.source());
    let (kind, message) = if let Some(upload) = find::<UploadError>(e) {
        (TransportErrorKind::File, upload.to_string())
    } else if let Some(tls) = find::<rustls::Error>(e) {
        let phase = if e.is_connect() {
            "TLS handshake"
        } else {
            "TLS"
        };
        (TransportErrorKind::Tls, format!("{phase}: {tls}"))
    } else if e.is_connect() {
        (TransportErrorKind::Connect, format!("connect: {chain}"))
    } else {
        classify_hyper(e, chain)
    };
    TransportError::new(kind, method, &message, proto)
}

/// A hyper error while reading the answer's body.
pub(crate) fn from_hyper(
    e: &hyper::Error,
    method: &str,
    proto: &botapi_proto::Client,
) -> TransportError {
    let (kind, message) = classify_hyper(e, chain_text(Some(e)));
    TransportError::new(kind, method, &message, proto)
}

fn classify_hyper(e: &(dyn StdError + 'static), chain: String) -> (TransportErrorKind, String) {
    match find::<hyper::Error>(e) {
        Some(h) if h.is_parse() || h.is_parse_status() || h.is_user() => {
            (TransportErrorKind::Http, format!("HTTP: {chain}"))
        }
        _ => (TransportErrorKind::Io, format!("connection: {chain}")),
    }
}

/// An upload file that could not be read.
pub(crate) fn file(message: &str, method: &str, proto: &botapi_proto::Client) -> TransportError {
    TransportError::new(TransportErrorKind::File, method, message, proto)
}

/// The messages of `first` and its sources, joined by `: `. `io::Error` hides the error it
/// wraps from `source()`, so it is opened explicitly; a message already at the end of the
/// text is not repeated.
fn chain_text(first: Option<&(dyn StdError + 'static)>) -> String {
    let mut text = String::new();
    walk(first, &mut |e| {
        let message = e.to_string();
        if !message.is_empty() && !text.ends_with(&message) {
            if !text.is_empty() {
                text.push_str(": ");
            }
            text.push_str(&message);
        }
    });
    if text.is_empty() {
        text.push_str("unknown error");
    }
    text
}

/// The first error of type `T` in the chain starting at `first`.
fn find<'a, T: StdError + 'static>(first: &'a (dyn StdError + 'static)) -> Option<&'a T> {
    let mut found = None;
    walk(Some(first), &mut |e| {
        if found.is_none() {
            found = e.downcast_ref::<T>();
        }
    });
    found
}

fn walk<'a>(
    mut next: Option<&'a (dyn StdError + 'static)>,
    visit: &mut dyn FnMut(&'a (dyn StdError + 'static)),
) {
    // Bounded, in case a library builds a cycle.
    for _ in 0..32 {
        let Some(e) = next else { return };
        // An io::Error wrapping another error shows the inner error's text and returns the
        // inner error's *source* from `source()`: step into the inner error instead.
        if let Some(inner) = e
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
        {
            let inner: &(dyn StdError + 'static) = inner;
            next = Some(inner);
            continue;
        }
        visit(e);
        next = e.source();
    }
}
