//! The errors of the text module: what the builder refuses, what is wrong with an entity's
//! range, and why a text cannot be split.

use std::fmt;

use crate::types::MessageEntityType;

/// Why [`Text`](super::Text) could not be turned into entities, HTML or MarkdownV2.
///
/// Each variant is something Telegram refuses or silently drops, or (for quotes) something
/// one of the three forms cannot express, so the builder refuses it up front instead.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum BuildError {
    /// A styled piece with no text: Telegram drops empty entities.
    Empty {
        /// The piece's entity type.
        kind: MessageEntityType,
    },
    /// A piece inside another that Telegram does not allow it in: `code` and `pre` only
    /// inside quotes; links, mentions, custom emoji, dates and quotes not inside each other;
    /// a quote not inside another quote.
    Nesting {
        /// The inner piece's entity type.
        inner: MessageEntityType,
        /// The entity type of the piece it is inside.
        outer: MessageEntityType,
    },
    /// A quote that does not begin a line: it must start the text or follow a line break
    /// (one outside `code` and `pre`, where a line break is only text to MarkdownV2).
    QuoteStartsMidLine {
        /// `blockquote` or `expandable_blockquote`.
        kind: MessageEntityType,
    },
    /// A quote that does not end a line: it must end the text, end with a line break of
    /// its own, or be followed by a line break outside any styled piece. (MarkdownV2 can
    /// end a quote only at a line break.)
    QuoteEndsMidLine {
        /// `blockquote` or `expandable_blockquote`.
        kind: MessageEntityType,
    },
    /// A `pre` language that is empty or holds white space, a backtick or a control
    /// character.
    InvalidLanguage {
        /// The language given.
        language: String,
    },
    /// A link with an empty URL.
    EmptyUrl,
    /// A text mention of a user id that is not positive.
    InvalidUserId {
        /// The id given.
        id: i64,
    },
    /// A custom emoji id that is not a positive decimal integer without leading zeros.
    InvalidCustomEmojiId {
        /// The id given.
        id: String,
    },
    /// A date and time entity whose Unix time is not positive.
    InvalidUnixTime {
        /// The time given.
        unix_time: i64,
    },
    /// A date and time format that is empty or not `r`, `R`, or a combination of `t`, `T`,
    /// `d`, `D`, `w` and `W`.
    InvalidDateTimeFormat {
        /// The format given.
        format: String,
    },
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::Empty { kind } => {
                write!(
                    f,
                    "a {kind} piece has no text; Telegram drops empty entities"
                )
            }
            BuildError::Nesting { inner, outer } => {
                write!(
                    f,
                    "Telegram does not allow a {inner} entity inside a {outer} entity"
                )
            }
            BuildError::QuoteStartsMidLine { kind } => write!(
                f,
                "a {kind} must begin a line: put it at the start of the text or after a line break"
            ),
            BuildError::QuoteEndsMidLine { kind } => write!(
                f,
                "a {kind} must end a line: end the text with it, end it with a line break, or \
                 follow it with a plain line break"
            ),
            BuildError::InvalidLanguage { language } => write!(
                f,
                "{language:?} is not a usable pre language: it must be non-empty, without white \
                 space, backticks or control characters"
            ),
            BuildError::EmptyUrl => f.write_str("a link needs a non-empty URL"),
            BuildError::InvalidUserId { id } => {
                write!(f, "a text mention needs a positive user id, not {id}")
            }
            BuildError::InvalidCustomEmojiId { id } => write!(
                f,
                "{id:?} is not a custom emoji id: it must be a positive decimal integer"
            ),
            BuildError::InvalidUnixTime { unix_time } => write!(
                f,
                "a date and time entity needs a positive Unix time, not {unix_time}"
            ),
            BuildError::InvalidDateTimeFormat { format } => write!(
                f,
                "{format:?} is not a date and time format: use r, R, or letters from tTdDwW"
            ),
        }
    }
}

impl std::error::Error for BuildError {}

/// What is wrong with an entity's range, found while reading it against its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RangeError {
    /// The entity's `offset`, as received.
    pub offset: i64,
    /// The entity's `length`, as received.
    pub length: i64,
    /// What is wrong with them.
    pub problem: RangeProblem,
}

/// The ways an entity's range can be wrong. When several apply, the first listed is
/// reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RangeProblem {
    /// The offset or the length is negative.
    Negative,
    /// The range ends beyond the text.
    PastEnd {
        /// The text's length in UTF-16 code units.
        text_len: usize,
    },
    /// The range starts or ends between the two halves of a surrogate pair.
    InsideSurrogatePair {
        /// The UTF-16 position that falls inside the pair.
        at: usize,
    },
}

impl fmt::Display for RangeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (offset, length) = (self.offset, self.length);
        write!(f, "entity at UTF-16 offset {offset} with length {length} ")?;
        match self.problem {
            RangeProblem::Negative => f.write_str("has a negative offset or length"),
            RangeProblem::PastEnd { text_len } => {
                write!(
                    f,
                    "ends past the end of the text ({text_len} UTF-16 code units)"
                )
            }
            RangeProblem::InsideSurrogatePair { at } => write!(
                f,
                "cuts the character at UTF-16 position {at} in half (inside a surrogate pair)"
            ),
        }
    }
}

impl std::error::Error for RangeError {}

/// Why a text could not be split.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SplitError {
    /// The limit is zero, so no part could hold anything.
    ZeroLimit,
    /// An entity's range does not fit the text.
    Entity {
        /// The entity's position in the list.
        index: usize,
        /// What is wrong with its range.
        error: RangeError,
    },
}

impl fmt::Display for SplitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SplitError::ZeroLimit => f.write_str("cannot split a text into parts of 0 characters"),
            SplitError::Entity { index, error } => {
                write!(f, "cannot split the text: entity {index}: {error}")
            }
        }
    }
}

impl std::error::Error for SplitError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SplitError::Entity { error, .. } => Some(error),
            SplitError::ZeroLimit => None,
        }
    }
}
