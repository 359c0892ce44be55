//! Keeping the bot token out of text that came from elsewhere (server bodies, transport
//! error messages) before it is stored in an error.

use std::borrow::Cow;
use std::fmt;

use serde_json::Value;

use crate::token::Token;

/// Removes one bot token's secret from text. It is the one tool every part of botapi uses
/// for that: the decoder on server bodies, the transport errors on library messages, the
/// command line on everything it prints.
///
/// It holds the token but can only hide it: there is no way to get the secret back out, so
/// handing a `Redactor` to a logger or a printer gives it nothing to leak. Cloning is cheap.
///
/// ```
/// use botapi_proto::Token;
///
/// let redactor = "123456:SECRETsecret".parse::<Token>()?.redactor();
/// assert_eq!(
///     redactor.redact("GET /bot123456:SECRETsecret/getMe failed"),
///     "GET /bot123456:<redacted>/getMe failed"
/// );
/// assert_eq!(format!("{redactor:?}"), "Redactor(123456:<redacted>)");
/// # Ok::<(), botapi_proto::TokenError>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Redactor {
    token: Token,
}

impl Redactor {
    pub(crate) fn new(token: Token) -> Self {
        Redactor { token }
    }

    /// `text` with every occurrence of the secret replaced by `<redacted>`; borrowed when
    /// there was none.
    pub fn redact<'a>(&self, text: &'a str) -> Cow<'a, str> {
        redact(text, &self.token)
    }

    /// The bot id, which is not secret.
    pub fn bot_id(&self) -> i64 {
        self.token.bot_id()
    }

    pub(crate) fn token(&self) -> &Token {
        &self.token
    }
}

impl fmt::Debug for Redactor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Redactor").field(&self.token).finish()
    }
}

/// What replaces the secret.
pub(crate) const REDACTED: &str = "<redacted>";

/// How many characters of a body an error keeps.
const SNIPPET_CHARS: usize = 160;

/// `text` with every occurrence of the token's secret replaced by `<redacted>`.
pub(crate) fn redact<'a>(text: &'a str, token: &Token) -> Cow<'a, str> {
    let secret = token.secret();
    if contains(text, secret) {
        Cow::Owned(text.replace(secret, REDACTED))
    } else {
        Cow::Borrowed(text)
    }
}

/// Whether `text` holds `secret`. Error texts are short, and setting up `str::contains`
/// for a 35-character needle costs more than checking each place the first byte occurs;
/// long texts still go through `str::contains`, which stays linear whatever the text.
fn contains(text: &str, secret: &str) -> bool {
    if text.len() > 512 {
        return text.contains(secret);
    }
    let (text, secret) = (text.as_bytes(), secret.as_bytes());
    let Some((&first, _)) = secret.split_first() else {
        return true;
    };
    if text.len() < secret.len() {
        return false;
    }
    text[..=text.len() - secret.len()]
        .iter()
        .enumerate()
        .any(|(at, &b)| b == first && text[at..].starts_with(secret))
}

/// Redacts every string inside a JSON value, in place.
pub(crate) fn redact_value(value: &mut Value, token: &Token) {
    match value {
        Value::String(s) => {
            if let Cow::Owned(clean) = redact(s, token) {
                *s = clean;
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| redact_value(v, token)),
        Value::Object(map) => {
            // A secret in a key is as bad as in a value; rebuild the map only when needed.
            if map.keys().any(|k| k.contains(token.secret())) {
                let old = std::mem::take(map);
                for (k, v) in old {
                    map.insert(redact(&k, token).into_owned(), v);
                }
            }
            map.values_mut().for_each(|v| redact_value(v, token));
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

/// The start of a body as text, token removed: at most [`SNIPPET_CHARS`] characters,
/// invalid UTF-8 shown as U+FFFD, an ellipsis when cut.
pub(crate) fn snippet(body: &[u8], token: &Token) -> String {
    // Redact before cutting, over enough bytes that a secret straddling the cut is whole.
    let window = SNIPPET_CHARS * 4 + token.secret().len();
    let head = &body[..body.len().min(window)];
    let text = String::from_utf8_lossy(head);
    let clean = redact(&text, token);
    let mut out: String = clean.chars().take(SNIPPET_CHARS).collect();
    if out.len() < clean.len() || head.len() < body.len() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token() -> Token {
        Token::new("42:SENTINELsecret").unwrap()
    }

    #[test]
    fn the_secret_is_found_anywhere_in_short_and_long_texts() {
        let secret = "SENTINELsecret";
        for len in [0, 1, 13, 14, 15, 100, 511, 512, 513, 2000] {
            let filler = "S".repeat(len);
            for at in [0, len / 2, len] {
                let text = format!("{}{secret}{}", &filler[..at], &filler[at..]);
                assert!(contains(&text, secret), "{len} {at}");
                assert_eq!(contains(&filler, secret), filler.contains(secret), "{len}");
            }
        }
        assert!(!contains("SENTINELsecre", secret));
        assert!(contains("é SENTINELsecret", secret));
    }

    #[test]
    fn snippet_redacts_across_the_cut() {
        let mut body = vec![b'x'; SNIPPET_CHARS - 3];
        body.extend_from_slice(b"42:SENTINELsecret and more");
        let s = snippet(&body, &token());
        assert!(!s.contains("SENTINEL"), "{s}");
        assert!(s.ends_with('…'));
    }

    #[test]
    fn snippet_survives_invalid_utf8() {
        let s = snippet(b"\xff\xfeok", &token());
        assert_eq!(s, "\u{fffd}\u{fffd}ok");
    }

    #[test]
    fn values_lose_the_secret_in_keys_and_strings() {
        let mut v = serde_json::json!({"SENTINELsecret": ["a SENTINELsecret b"]});
        redact_value(&mut v, &token());
        assert!(!v.to_string().contains("SENTINEL"), "{v}");
    }
}
