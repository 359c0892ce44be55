//! One shape for every transport's failures, so code that handles errors is the same whichever
//! adapter sends the request, and so no transport can keep a token-bearing message by mistake.

use std::fmt;

use crate::redact::Redactor;

/// A request that did not complete: no answer, or only part of one.
///
/// Transports build it through the [`CallContext`](crate::CallContext) of the call that
/// failed, from their HTTP library's error. It holds only text, and every way to build one
/// runs that text through the call's [`Redactor`], because HTTP libraries like to quote the
/// request URL, which holds the bot token. `Display` gives the method and a message an
/// operator can act on ("connect: Connection refused", "TLS handshake: …", "timed out after
/// 30.5 s", "body larger than 10485760 bytes").
///
/// [`TransportError::may_have_reached_server`] tells retry logic whether the server may have
/// executed the call.
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
    /// No connection could be made: refused, unreachable, the host name did not resolve, or
    /// connecting took too long. Nothing was sent.
    Connect,
    /// The TLS handshake failed (a bad certificate, or a server that does not speak TLS).
    /// Nothing was sent.
    Tls,
    /// The whole request (connect, send, answer and body) took longer than the timeout. The
    /// request may have been sent and executed.
    Timeout,
    /// The answer's body is larger than the configured limit; it was not read past it.
    BodyTooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// The connection failed while the request or the answer was in flight (closed early,
    /// reset). The request may have been executed.
    Io,
    /// The server broke the HTTP protocol, or the request could not be sent as HTTP.
    Http,
    /// A file to upload could not be read. The request never went out whole, so the server
    /// cannot have executed it.
    File,
}

impl TransportErrorKind {
    /// Whether a failure of this kind leaves open that the server received the whole request
    /// and executed it. `false` only for failures that happen before the request can have
    /// gone out whole: connecting, the TLS handshake, reading an upload file.
    ///
    /// A call that changes something (`sendMessage`) must not be sent again on its own after
    /// a failure for which this is `true`: it may post twice.
    pub fn may_have_reached_server(self) -> bool {
        match self {
            TransportErrorKind::Connect | TransportErrorKind::Tls | TransportErrorKind::File => {
                false
            }
            TransportErrorKind::Timeout
            | TransportErrorKind::BodyTooLarge { .. }
            | TransportErrorKind::Io
            | TransportErrorKind::Http => true,
        }
    }

    /// A stable lower-case word for the kind (`connect`, `tls`, `timeout`, `body_too_large`,
    /// `io`, `http`, `file`), for logs and scripts.
    pub fn as_str(self) -> &'static str {
        match self {
            TransportErrorKind::Connect => "connect",
            TransportErrorKind::Tls => "tls",
            TransportErrorKind::Timeout => "timeout",
            TransportErrorKind::BodyTooLarge { .. } => "body_too_large",
            TransportErrorKind::Io => "io",
            TransportErrorKind::Http => "http",
            TransportErrorKind::File => "file",
        }
    }
}

impl TransportError {
    /// A failure of `kind` while calling `method`, described by `message`, which is stored
    /// with `redactor`'s secret removed. Transports usually call
    /// [`CallContext::transport_error`](crate::CallContext::transport_error) instead.
    pub fn new(kind: TransportErrorKind, method: &str, message: &str, redactor: &Redactor) -> Self {
        TransportError {
            kind,
            method: method.to_owned(),
            message: redactor.redact(message).into_owned(),
        }
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// Whether the server may have received and executed the request; see
    /// [`TransportErrorKind::may_have_reached_server`].
    pub fn may_have_reached_server(&self) -> bool {
        self.kind.may_have_reached_server()
    }

    /// The Bot API method that was being called.
    pub fn method(&self) -> &str {
        &self.method
    }

    /// The message without the method name.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.method, self.message)
    }
}

impl std::error::Error for TransportError {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Token;

    #[test]
    fn messages_lose_the_token_on_the_way_in() {
        let redactor = Token::new("7:SENTINELsecret").unwrap().redactor();
        let e = TransportError::new(
            TransportErrorKind::Connect,
            "getMe",
            "error sending request for url (https://api.telegram.org/bot7:SENTINELsecret/getMe)",
            &redactor,
        );
        assert_eq!(e.kind(), TransportErrorKind::Connect);
        assert_eq!(
            e.to_string(),
            "getMe: error sending request for url (https://api.telegram.org/bot7:<redacted>/getMe)"
        );
        assert!(!format!("{e:?}").contains("SENTINEL"));
    }

    #[test]
    fn only_failures_before_sending_are_known_not_to_have_run() {
        use TransportErrorKind as K;
        let before = [K::Connect, K::Tls, K::File];
        let maybe = [K::Timeout, K::BodyTooLarge { limit: 1 }, K::Io, K::Http];
        assert!(before.iter().all(|k| !k.may_have_reached_server()));
        assert!(maybe.iter().all(|k| k.may_have_reached_server()));
        let words: Vec<_> = before.iter().chain(&maybe).map(|k| k.as_str()).collect();
        assert_eq!(
            words,
            [
                "connect",
                "tls",
                "file",
                "timeout",
                "body_too_large",
                "io",
                "http"
            ]
        );
    }
}
