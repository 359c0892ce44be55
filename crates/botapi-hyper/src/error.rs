//! The transport's own failures, as text an operator can act on, with the token removed.
//!
//! hyper and hyper-util errors may quote the request URI, which holds the bot token, so none
//! is kept: their messages are flattened into a string and passed through
//! [`botapi_proto::Client::redact`] before they are stored.

use std::error::Error as StdError;
use std::fmt;
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

    /// Sorts a hyper-util client error and keeps its text.
    pub(crate) fn from_client(
        e: &hyper_util::client::legacy::Error,
        method: &str,
        proto: &botapi_proto::Client,
    ) -> Self {
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
            Self::classify_hyper(e, chain)
        };
        Self::new(kind, method, message, proto)
    }

    /// A hyper error while reading the answer's body.
    pub(crate) fn from_hyper(e: &hyper::Error, method: &str, proto: &botapi_proto::Client) -> Self {
        let (kind, message) = Self::classify_hyper(e, chain_text(Some(e)));
        Self::new(kind, method, message, proto)
    }

    fn classify_hyper(e: &(dyn StdError + 'static), chain: String) -> (TransportErrorKind, String) {
        match find::<hyper::Error>(e) {
            Some(h) if h.is_parse() || h.is_parse_status() || h.is_user() => {
                (TransportErrorKind::Http, format!("HTTP: {chain}"))
            }
            _ => (TransportErrorKind::Io, format!("connection: {chain}")),
        }
    }

    pub(crate) fn file(message: String, method: &str, proto: &botapi_proto::Client) -> Self {
        Self::new(TransportErrorKind::File, method, message, proto)
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.method, self.message)
    }
}

impl StdError for TransportError {}

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
