//! One shape for every transport's failures, so code that handles errors is the same whichever
//! adapter sends the request, and so no transport can keep a token-bearing message by mistake.

use std::fmt;
use std::time::Duration;

use crate::client::Client;

/// A request that did not complete: no answer, or only part of one.
///
/// Transports build it from their HTTP library's error. It holds only text, and the only way
/// to build one runs that text through [`Client::redact`], because HTTP libraries like to
/// quote the request URL, which holds the bot token. `Display` gives the method and a message
/// an operator can act on ("connect: Connection refused", "TLS handshake: …", "timed out
/// after 30.5 s", "body larger than 10485760 bytes").
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
    /// A failure of `kind` while calling `method`, described by `message`, which is stored with
    /// `client`'s token removed.
    pub fn new(kind: TransportErrorKind, method: &str, message: &str, client: &Client) -> Self {
        TransportError {
            kind,
            method: method.to_owned(),
            message: client.redact(message).into_owned(),
        }
    }

    /// The whole-request timeout of `after` ran out.
    pub fn timeout(method: &str, after: Duration, client: &Client) -> Self {
        let message = format!("timed out after {} s", after.as_secs_f64());
        Self::new(TransportErrorKind::Timeout, method, &message, client)
    }

    /// The answer's body was larger than `limit` bytes.
    pub fn body_too_large(method: &str, limit: usize, client: &Client) -> Self {
        let message = format!("body larger than {limit} bytes");
        Self::new(
            TransportErrorKind::BodyTooLarge { limit },
            method,
            &message,
            client,
        )
    }

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
        let client = Client::new(Token::new("7:SENTINELsecret").unwrap());
        let e = TransportError::new(
            TransportErrorKind::Connect,
            "getMe",
            "error sending request for url (https://api.telegram.org/bot7:SENTINELsecret/getMe)",
            &client,
        );
        assert_eq!(e.kind(), TransportErrorKind::Connect);
        assert_eq!(
            e.to_string(),
            "getMe: error sending request for url (https://api.telegram.org/bot7:<redacted>/getMe)"
        );
        assert!(!format!("{e:?}").contains("SENTINEL"));
        let e = TransportError::timeout("getUpdates", Duration::from_millis(30_500), &client);
        assert_eq!(e.to_string(), "getUpdates: timed out after 30.5 s");
        let e = TransportError::body_too_large("getMe", 10, &client);
        assert_eq!(e.kind(), TransportErrorKind::BodyTooLarge { limit: 10 });
    }
}
