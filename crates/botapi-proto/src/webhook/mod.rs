//! Webhooks as protocol: checking and reading what Telegram posts (the secret header, then
//! the update, read the same lenient way the poller reads one), the secret's rules
//! ([`WebhookSecret`]), what a listener answers to any request ([`ListenerRules`]), and an
//! answer that carries a method call ([`WebhookReply`]). Receiving HTTP is the server's job:
//! `botapi-webhook` (also `botapi_hyper::webhook`) is one.
//!
//! ```
//! use botapi_proto::poll::PolledUpdate;
//! use botapi_proto::webhook::{SECRET_HEADER, read_update};
//!
//! let mut headers = http::HeaderMap::new();
//! headers.insert(SECRET_HEADER, "s3cret".parse()?);
//! let body = br#"{"update_id": 9, "message": {"message_id": 1, "date": 0, "chat": {"id": 1, "type": "private"}}}"#;
//! let update = read_update(&headers, body, Some("s3cret"))?;
//! assert_eq!(update.update_id(), Some(9));
//! assert!(matches!(update, PolledUpdate::Update(_)));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod listener;
mod reply;
mod secret;

use std::fmt;

use http::HeaderMap;

use crate::poll::{PolledUpdate, read_update as read_lenient};

pub use listener::{DEFAULT_MAX_WEBHOOK_BODY, ListenerRules, accepted};
pub use reply::{ReplyError, WebhookReply, allowed_in_reply};
use secret::constant_time_eq;
pub use secret::{MAX_SECRET_LEN, SecretError, WebhookSecret};

/// The header carrying the `secret_token` given to `setWebhook`.
pub const SECRET_HEADER: &str = "x-telegram-bot-api-secret-token";

/// Checks the secret and reads the update in a webhook request.
///
/// With `expected_secret` set, the request must carry exactly that value in
/// [`SECRET_HEADER`] (compared in constant time); requests without it did not come from
/// Telegram and should be refused. An update that does not fit this version's types comes
/// back as [`PolledUpdate::Unreadable`]; answer such a request with success anyway, or
/// Telegram will send it again and again.
pub fn read_update(
    headers: &HeaderMap,
    body: &[u8],
    expected_secret: Option<&str>,
) -> Result<PolledUpdate, WebhookError> {
    if let Some(expected) = expected_secret {
        let given = headers
            .get(SECRET_HEADER)
            .ok_or(WebhookError::MissingSecret)?;
        if !constant_time_eq(given.as_bytes(), expected.as_bytes()) {
            return Err(WebhookError::WrongSecret);
        }
    }
    read_body(body)
}

/// Reads an update from a webhook body: any JSON object, leniently.
fn read_body(body: &[u8]) -> Result<PolledUpdate, WebhookError> {
    let text = std::str::from_utf8(body).map_err(|_| WebhookError::NotJson)?;
    match read_lenient(text) {
        Ok(PolledUpdate::Unreadable(raw)) if !raw.raw.is_object() => Err(WebhookError::NotAnUpdate),
        Ok(update) => Ok(update),
        Err(_) => Err(WebhookError::NotJson),
    }
}

/// Why a webhook request was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum WebhookError {
    /// The secret header is absent.
    MissingSecret,
    /// The secret header does not match.
    WrongSecret,
    /// The body is not JSON.
    NotJson,
    /// The body is JSON but not an object.
    NotAnUpdate,
    /// The request is not a `POST`.
    MethodNotAllowed,
    /// The body is larger than the listener's limit.
    TooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// The body did not arrive in time.
    BodyTimedOut,
    /// The program no longer takes updates (it is stopping); Telegram will send the update
    /// again later.
    NotReceiving,
}

impl fmt::Display for WebhookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            WebhookError::MissingSecret => "webhook request has no secret token header",
            WebhookError::WrongSecret => "webhook request has the wrong secret token",
            WebhookError::NotJson => "webhook body is not JSON",
            WebhookError::NotAnUpdate => "webhook body is not an update object",
            WebhookError::MethodNotAllowed => "webhook requests must be POST",
            WebhookError::TooLarge { limit } => {
                return write!(f, "webhook body is larger than {limit} bytes");
            }
            WebhookError::BodyTimedOut => "webhook body did not arrive in time",
            WebhookError::NotReceiving => "the bot is not taking updates now",
        })
    }
}

impl std::error::Error for WebhookError {}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(secret: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(SECRET_HEADER, secret.parse().unwrap());
        h
    }

    #[test]
    fn the_secret_must_match_exactly() {
        let body = br#"{"update_id":1}"#;
        assert_eq!(
            read_update(&HeaderMap::new(), body, Some("abc")),
            Err(WebhookError::MissingSecret)
        );
        assert_eq!(
            read_update(&headers("abd"), body, Some("abc")),
            Err(WebhookError::WrongSecret)
        );
        assert_eq!(
            read_update(&headers("abcd"), body, Some("abc")),
            Err(WebhookError::WrongSecret)
        );
        assert!(read_update(&headers("abc"), body, Some("abc")).is_ok());
        assert!(read_update(&HeaderMap::new(), body, None).is_ok());
    }

    #[test]
    fn bodies_are_read_leniently() {
        let odd = read_update(
            &HeaderMap::new(),
            br#"{"update_id":3,"message":{"chat":5}}"#,
            None,
        )
        .unwrap();
        assert!(matches!(odd, PolledUpdate::Unreadable(ref u) if u.update_id == Some(3)));
        assert_eq!(
            read_update(&HeaderMap::new(), b"<html>", None),
            Err(WebhookError::NotJson)
        );
        assert_eq!(
            read_update(&HeaderMap::new(), b"[1]", None),
            Err(WebhookError::NotAnUpdate)
        );
    }
}
