//! The webhook secret: what `setWebhook` takes as `secret_token` and Telegram sends back in
//! every request, so a listener knows a request came from Telegram.

use std::fmt;
use std::str::FromStr;

use http::HeaderMap;

use super::{SECRET_HEADER, WebhookError};

/// The longest secret Telegram accepts.
pub const MAX_SECRET_LEN: usize = 256;

/// The 64 characters a secret may hold; 64 divides 256, so a random byte maps to one of them
/// without bias.
const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";

/// A webhook secret: 1 to 256 characters of `A-Z`, `a-z`, `0-9`, `_` and `-`, as
/// [`setWebhook`](https://core.telegram.org/bots/api#setwebhook) requires.
///
/// It never prints: `Debug` shows `WebhookSecret(<redacted>)`, there is no `Display`, and
/// the value is reached only through [`WebhookSecret::expose_secret`].
///
/// ```
/// use botapi_proto::webhook::WebhookSecret;
///
/// // 32 random bytes from the caller's generator give a 32-character secret (192 bits).
/// let secret = WebhookSecret::generate(&[7u8; 32])?;
/// assert_eq!(secret.expose_secret().len(), 32);
/// assert_eq!(format!("{secret:?}"), "WebhookSecret(<redacted>)");
/// assert!("has space".parse::<WebhookSecret>().is_err());
/// # Ok::<(), botapi_proto::webhook::SecretError>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct WebhookSecret(String);

impl WebhookSecret {
    /// Checks and wraps a secret.
    pub fn new(secret: impl Into<String>) -> Result<Self, SecretError> {
        let secret = secret.into();
        if secret.is_empty() {
            return Err(SecretError::Empty);
        }
        if secret.len() > MAX_SECRET_LEN {
            return Err(SecretError::TooLong { len: secret.len() });
        }
        if let Some(position) = secret.bytes().position(|b| !ALPHABET.contains(&b)) {
            return Err(SecretError::BadCharacter { position });
        }
        Ok(WebhookSecret(secret))
    }

    /// A secret made from `random` bytes, one character per byte (1 to 256 of them), which
    /// the caller draws from a cryptographic generator; the core has none. 32 bytes give 192
    /// bits.
    pub fn generate(random: &[u8]) -> Result<Self, SecretError> {
        let secret = random
            .iter()
            .map(|&b| char::from(ALPHABET[usize::from(b & 63)]))
            .collect::<String>();
        WebhookSecret::new(secret)
    }

    /// The secret itself, to pass to `setWebhook` or compare.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }

    /// Checks that `headers` carry this secret in [`SECRET_HEADER`], comparing in constant
    /// time so that timing tells nothing about how much of a guess was right.
    pub fn check(&self, headers: &HeaderMap) -> Result<(), WebhookError> {
        let given = headers
            .get(SECRET_HEADER)
            .ok_or(WebhookError::MissingSecret)?;
        if constant_time_eq(given.as_bytes(), self.0.as_bytes()) {
            Ok(())
        } else {
            Err(WebhookError::WrongSecret)
        }
    }
}

impl FromStr for WebhookSecret {
    type Err = SecretError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        WebhookSecret::new(s)
    }
}

impl fmt::Debug for WebhookSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("WebhookSecret(<redacted>)")
    }
}

/// Compares without returning early, so timing does not tell how much of a guess matched
/// (only whether the length did, and a secret's length is not what keeps it secret).
pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Why a string is not a webhook secret. It never quotes the secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SecretError {
    /// The secret is empty.
    Empty,
    /// The secret is longer than 256 characters.
    TooLong {
        /// Its length in bytes.
        len: usize,
    },
    /// A character other than `A-Za-z0-9_-`.
    BadCharacter {
        /// The byte offset of the first one.
        position: usize,
    },
}

impl fmt::Display for SecretError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SecretError::Empty => f.write_str("webhook secret is empty"),
            SecretError::TooLong { len } => write!(
                f,
                "webhook secret is {len} bytes long; at most {MAX_SECRET_LEN} are allowed"
            ),
            SecretError::BadCharacter { position } => write!(
                f,
                "webhook secret has a character other than A-Z, a-z, 0-9, _ and - at byte {position}"
            ),
        }
    }
}

impl std::error::Error for SecretError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_follow_the_rules() {
        assert_eq!(WebhookSecret::new(""), Err(SecretError::Empty));
        assert!(WebhookSecret::new("a").is_ok());
        assert!(WebhookSecret::new("A-z_09".repeat(40) + "abcdefghijklmnop").is_ok());
        assert_eq!(
            WebhookSecret::new("x".repeat(257)),
            Err(SecretError::TooLong { len: 257 })
        );
        for bad in ["a b", "a.b", "é", "a\n", "a/b", "a+b", "a=b"] {
            assert!(
                matches!(
                    WebhookSecret::new(bad),
                    Err(SecretError::BadCharacter { .. })
                ),
                "{bad:?}"
            );
        }
        let e = WebhookSecret::new("SENTINEL!").unwrap_err();
        assert!(!format!("{e} {e:?}").contains("SENTINEL"));
    }

    #[test]
    fn generated_secrets_use_every_character_evenly() {
        let all: Vec<u8> = (0..=255).collect();
        let secret = WebhookSecret::generate(&all).unwrap();
        let text = secret.expose_secret();
        for c in ALPHABET {
            assert_eq!(
                text.bytes().filter(|b| b == c).count(),
                4,
                "{}",
                char::from(*c)
            );
        }
        assert_eq!(WebhookSecret::generate(&[]), Err(SecretError::Empty));
        assert!(WebhookSecret::generate(&[0; 257]).is_err());
    }
}
