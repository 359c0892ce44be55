//! What the reader reports when the text does not fit.

use std::fmt;

use serde::de;

/// Why reading stopped: the text ended early, was not JSON, or was JSON of the wrong shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ReadErrorKind {
    /// The text ended inside a value.
    Eof,
    /// The text is not JSON (or goes past a limit, such as nesting depth).
    Syntax,
    /// The JSON is well formed but not what the type expects.
    Data,
}

/// An error from [`super::Reader`]: its kind, the byte offset where it was raised and the
/// message. Boxed, so that a `Result` on the success path stays one word wide.
pub(crate) struct ReadError(Box<Inner>);

struct Inner {
    kind: ReadErrorKind,
    /// Byte offset into the text; `None` until the reader places an error a visitor raised.
    at: Option<usize>,
    message: String,
}

impl ReadError {
    pub(crate) fn new(kind: ReadErrorKind, at: usize, message: impl Into<String>) -> Self {
        ReadError(Box::new(Inner {
            kind,
            at: Some(at),
            message: message.into(),
        }))
    }

    pub(crate) fn kind(&self) -> ReadErrorKind {
        self.0.kind
    }

    /// Where in the text the error was raised (the byte offset just after what was read).
    pub(crate) fn offset(&self) -> Option<usize> {
        self.0.at
    }

    /// The message, without any position.
    pub(crate) fn message(&self) -> &str {
        &self.0.message
    }

    /// Gives an error a visitor raised the place the reader has reached.
    pub(crate) fn placed(mut self, at: usize) -> Self {
        self.0.at.get_or_insert(at);
        self
    }

    /// The `(line, column)` of the offset in `text`, counted as serde_json counts them:
    /// lines from 1, the column as the number of bytes before the offset on its line.
    pub(crate) fn line_column(&self, text: &str) -> Option<(usize, usize)> {
        let at = self.0.at?.min(text.len());
        let before = &text.as_bytes()[..at];
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |newline| newline + 1);
        let line = 1 + before[..line_start].iter().filter(|&&b| b == b'\n').count();
        Some((line, at - line_start))
    }
}

impl de::Error for ReadError {
    fn custom<T: fmt::Display>(message: T) -> Self {
        ReadError(Box::new(Inner {
            kind: ReadErrorKind::Data,
            at: None,
            message: message.to_string(),
        }))
    }

    fn invalid_type(unexpected: de::Unexpected<'_>, expected: &dyn de::Expected) -> Self {
        Self::custom(format_args!(
            "invalid type: {}, expected {expected}",
            AsJson(unexpected)
        ))
    }

    fn invalid_value(unexpected: de::Unexpected<'_>, expected: &dyn de::Expected) -> Self {
        Self::custom(format_args!(
            "invalid value: {}, expected {expected}",
            AsJson(unexpected)
        ))
    }
}

/// What was found, in serde_json's words: `null` rather than "unit value", and floats
/// written as serde_json writes them.
struct AsJson<'a>(de::Unexpected<'a>);

impl fmt::Display for AsJson<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            de::Unexpected::Unit => f.write_str("null"),
            de::Unexpected::Float(value) => match serde_json::Number::from_f64(value) {
                Some(number) => write!(f, "floating point `{number}`"),
                None => self.0.fmt(f),
            },
            unexpected => unexpected.fmt(f),
        }
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.message)
    }
}

impl fmt::Debug for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReadError")
            .field("kind", &self.0.kind)
            .field("at", &self.0.at)
            .field("message", &self.0.message)
            .finish()
    }
}

impl std::error::Error for ReadError {}
