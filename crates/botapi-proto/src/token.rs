//! The bot token: validated on the way in, never printed on the way out.

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use crate::redact::Redactor;

/// A bot token of the form `<bot id>:<secret>`, as issued by @BotFather.
///
/// The token is part of every request path, so it is checked before it is used: the bot id
/// must be decimal digits and the secret must only hold `A-Z`, `a-z`, `0-9`, `_` and `-`.
/// Anything that could change the path (`/`, `?`, `#`, `%`, whitespace, control characters)
/// is refused.
///
/// `Token` has no `Display` and no `Serialize`; its `Debug` shows only the bot id, as
/// `123456:<redacted>`. The secret is reachable only through [`Token::expose_secret`],
/// so every place that leaks it is easy to find.
///
/// ```
/// use botapi_proto::Token;
///
/// let token: Token = "123456:ABC-def_ghi".parse()?;
/// assert_eq!(token.bot_id(), 123456);
/// assert_eq!(format!("{token:?}"), "123456:<redacted>");
/// assert!("123456:abc/def".parse::<Token>().is_err());
/// # Ok::<(), botapi_proto::TokenError>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Token {
    // Shared, so that every request in flight can carry the token for redaction without a copy.
    full: Arc<str>,
    colon: usize,
    bot_id: i64,
}

impl Token {
    /// Checks `token` and wraps it. See the type documentation for the accepted form.
    pub fn new(token: impl Into<String>) -> Result<Self, TokenError> {
        let full: String = token.into();
        let colon = check(&full)?;
        let bot_id = full[..colon]
            .parse()
            .map_err(|_| TokenError::BotIdOutOfRange)?;
        Ok(Token {
            full: full.into(),
            colon,
            bot_id,
        })
    }

    /// The numeric bot id, the part before the colon. It is not secret.
    pub fn bot_id(&self) -> i64 {
        self.bot_id
    }

    /// The whole token, `<bot id>:<secret>`. Only request encoding and explicit user code
    /// should call this; never print what it returns.
    pub fn expose_secret(&self) -> &str {
        &self.full
    }

    /// The secret alone (after the colon). Used to redact it from text that a server sent.
    pub(crate) fn secret(&self) -> &str {
        &self.full[self.colon + 1..]
    }

    /// Something that removes this token's secret from text, and cannot reveal it.
    pub fn redactor(&self) -> Redactor {
        Redactor::new(self.clone())
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:<redacted>", self.bot_id)
    }
}

impl FromStr for Token {
    type Err = TokenError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Token::new(s)
    }
}

/// Checks the shape of a token and returns the position of its colon.
fn check(token: &str) -> Result<usize, TokenError> {
    if token.is_empty() {
        return Err(TokenError::Empty);
    }
    // Report the first character that could alter a request path before anything else:
    // it is the most useful thing to tell someone who pasted a URL instead of a token.
    if let Some((position, c)) = token.char_indices().find(|&(_, c)| !is_token_char(c)) {
        return Err(TokenError::InvalidCharacter {
            position,
            class: CharClass::of(c),
        });
    }
    let colon = token.find(':').ok_or(TokenError::MissingColon)?;
    let (id, secret) = (&token[..colon], &token[colon + 1..]);
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
        return Err(TokenError::InvalidBotId);
    }
    if secret.is_empty() {
        return Err(TokenError::EmptySecret);
    }
    if let Some(offset) = secret.find(':') {
        let position = colon + 1 + offset;
        return Err(TokenError::InvalidCharacter {
            position,
            class: CharClass::Colon,
        });
    }
    Ok(colon)
}

fn is_token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | ':')
}

/// Why a string is not a valid bot token. The message never repeats the token.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TokenError {
    /// The string is empty.
    Empty,
    /// There is no `:` between the bot id and the secret.
    MissingColon,
    /// The part before the colon is not a decimal number.
    InvalidBotId,
    /// The bot id does not fit in an `i64`.
    BotIdOutOfRange,
    /// Nothing follows the colon.
    EmptySecret,
    /// A character that a token never holds; `position` is its byte offset.
    InvalidCharacter {
        /// Byte offset of the character in the input.
        position: usize,
        /// What kind of character it is (the character itself is not kept).
        class: CharClass,
    },
}

/// The kind of a character refused in a token. The character itself is not kept, so that an
/// error message cannot echo part of a secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum CharClass {
    /// `/`, which would add a path segment.
    Slash,
    /// `?`, which would start a query.
    QuestionMark,
    /// `#`, which would start a fragment.
    Hash,
    /// `%`, which would start a percent-escape.
    Percent,
    /// A second `:`.
    Colon,
    /// Space, tab, newline or other white space.
    Whitespace,
    /// A control character.
    Control,
    /// Any other character outside `A-Z a-z 0-9 _ -`.
    Other,
}

impl CharClass {
    fn of(c: char) -> Self {
        match c {
            '/' => CharClass::Slash,
            '?' => CharClass::QuestionMark,
            '#' => CharClass::Hash,
            '%' => CharClass::Percent,
            ':' => CharClass::Colon,
            c if c.is_whitespace() => CharClass::Whitespace,
            c if c.is_control() => CharClass::Control,
            _ => CharClass::Other,
        }
    }

    fn describe(self) -> &'static str {
        match self {
            CharClass::Slash => "'/'",
            CharClass::QuestionMark => "'?'",
            CharClass::Hash => "'#'",
            CharClass::Percent => "'%'",
            CharClass::Colon => "a second ':'",
            CharClass::Whitespace => "white space",
            CharClass::Control => "a control character",
            CharClass::Other => "a character outside A-Z, a-z, 0-9, '_' and '-'",
        }
    }
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("invalid bot token: ")?;
        match self {
            TokenError::Empty => f.write_str("it is empty"),
            TokenError::MissingColon => f.write_str("expected <bot id>:<secret>, found no ':'"),
            TokenError::InvalidBotId => f.write_str("the part before ':' must be decimal digits"),
            TokenError::BotIdOutOfRange => f.write_str("the bot id is too large"),
            TokenError::EmptySecret => f.write_str("nothing follows ':'"),
            TokenError::InvalidCharacter { position, class } => {
                write!(f, "{} at byte {position}", class.describe())
            }
        }
    }
}

impl std::error::Error for TokenError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_botfather_shape() {
        let t = Token::new("110201543:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw").unwrap();
        assert_eq!(t.bot_id(), 110201543);
        assert_eq!(t.secret(), "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw");
        assert_eq!(
            t.expose_secret(),
            "110201543:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
        );
    }

    #[test]
    fn refuses_what_could_change_the_path() {
        let cases = [
            ("", TokenError::Empty),
            ("123456", TokenError::MissingColon),
            ("abc:def", TokenError::InvalidBotId),
            (":def", TokenError::InvalidBotId),
            ("123:", TokenError::EmptySecret),
            ("99999999999999999999:x", TokenError::BotIdOutOfRange),
        ];
        for (input, expected) in cases {
            assert_eq!(Token::new(input).unwrap_err(), expected, "{input:?}");
        }
        for (input, class) in [
            ("123:ab/c", CharClass::Slash),
            ("123:ab?c", CharClass::QuestionMark),
            ("123:ab#c", CharClass::Hash),
            ("123:ab%2Fc", CharClass::Percent),
            ("123:ab c", CharClass::Whitespace),
            ("123:abc\n", CharClass::Whitespace),
            ("123:ab\u{7}c", CharClass::Control),
            ("123:ab:c", CharClass::Colon),
            ("123:abé", CharClass::Other),
        ] {
            match Token::new(input).unwrap_err() {
                TokenError::InvalidCharacter { class: got, .. } => {
                    assert_eq!(got, class, "{input:?}")
                }
                other => panic!("{input:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn debug_hides_the_secret() {
        let t = Token::new("42:SENTINELsecret").unwrap();
        let shown = format!("{t:?} {t:#?}");
        assert!(!shown.contains("SENTINEL"), "{shown}");
        assert!(shown.contains("42:<redacted>"));
    }

    #[test]
    fn error_messages_do_not_echo_input() {
        let err = Token::new("42:SENTINEL/x").unwrap_err();
        assert!(!err.to_string().contains("SENTINEL"));
        assert_eq!(err.to_string(), "invalid bot token: '/' at byte 11");
    }
}
