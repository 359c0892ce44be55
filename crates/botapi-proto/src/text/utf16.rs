//! Positions in UTF-16 code units, the unit Telegram counts entity offsets and lengths in,
//! and their conversion to byte positions in a Rust `str`.
//!
//! A character outside the Basic Multilingual Plane (most emoji, flags, many CJK
//! extensions) is one `char`, four UTF-8 bytes and two UTF-16 code units (a surrogate
//! pair). Counting bytes or `char`s instead shifts every entity after such a character.

use std::ops::Range;

use crate::types::MessageEntity;

use super::error::{RangeError, RangeProblem};

/// The length of `text` in UTF-16 code units.
///
/// ```
/// use botapi_proto::text::utf16_len;
///
/// assert_eq!(utf16_len("abc"), 3);
/// assert_eq!(utf16_len("Привет"), 6);
/// assert_eq!(utf16_len("👍"), 2);
/// assert_eq!(utf16_len("🇺🇦"), 4); // a flag is two regional indicators
/// ```
pub fn utf16_len(text: &str) -> usize {
    // Every UTF-8 sequence that does not start with a continuation byte is one code unit;
    // a four-byte sequence (lead byte 0xF0 and up) is a surrogate pair, one unit more.
    text.bytes()
        .map(|b| usize::from(b & 0xC0 != 0x80) + usize::from(b >= 0xF0))
        .sum()
}

/// The byte position in `text` of the UTF-16 position `units`, or `None` when it is past
/// the end or falls between the two halves of a surrogate pair.
///
/// ```
/// use botapi_proto::text::byte_offset;
///
/// let text = "a👍b";
/// assert_eq!(byte_offset(text, 1), Some(1));
/// assert_eq!(byte_offset(text, 2), None); // inside the emoji's surrogate pair
/// assert_eq!(byte_offset(text, 3), Some(5));
/// assert_eq!(byte_offset(text, 4), Some(6));
/// assert_eq!(byte_offset(text, 5), None);
/// ```
pub fn byte_offset(text: &str, units: usize) -> Option<usize> {
    Cursor::new(text).seek(units).ok()
}

/// The UTF-16 position of byte position `byte` in `text`, or `None` when `byte` is past
/// the end or not on a character boundary.
///
/// ```
/// use botapi_proto::text::utf16_offset;
///
/// assert_eq!(utf16_offset("a👍b", 5), Some(3));
/// assert_eq!(utf16_offset("a👍b", 2), None);
/// ```
pub fn utf16_offset(text: &str, byte: usize) -> Option<usize> {
    text.is_char_boundary(byte)
        .then(|| utf16_len(&text[..byte]))
}

/// The byte range of `entity` in `text`, checked: a negative offset or length, a range
/// past the end of the text or an end inside a surrogate pair is a [`RangeError`], never a
/// panic.
///
/// ```
/// use botapi_proto::text::entity_range;
/// use botapi_proto::types::{MessageEntity, MessageEntityType};
///
/// let text = "👍 ok";
/// let ok = MessageEntity::new(MessageEntityType::Bold, 3, 2);
/// assert_eq!(&text[entity_range(text, &ok)?], "ok");
///
/// let torn = MessageEntity::new(MessageEntityType::Bold, 1, 2);
/// assert!(entity_range(text, &torn).is_err());
/// # Ok::<(), botapi_proto::text::RangeError>(())
/// ```
pub fn entity_range(text: &str, entity: &MessageEntity) -> Result<Range<usize>, RangeError> {
    Cursor::new(text).range(entity.offset, entity.length)
}

/// Why a UTF-16 position has no byte position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Miss {
    /// Beyond the end of the text.
    PastEnd,
    /// Between the two halves of a surrogate pair.
    InsidePair,
}

/// Walks a text forwards, mapping UTF-16 positions to byte positions. Seeking backwards
/// starts again from the beginning, so a run of sorted positions costs one pass.
#[derive(Debug, Clone)]
pub(crate) struct Cursor<'a> {
    text: &'a str,
    byte: usize,
    unit: usize,
}

impl<'a> Cursor<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        Cursor {
            text,
            byte: 0,
            unit: 0,
        }
    }

    /// The byte position of UTF-16 position `units`.
    pub(crate) fn seek(&mut self, units: usize) -> Result<usize, Miss> {
        if units < self.unit {
            self.byte = 0;
            self.unit = 0;
        }
        while self.unit < units {
            let Some(c) = self.text[self.byte..].chars().next() else {
                return Err(Miss::PastEnd);
            };
            let next = self.unit + c.len_utf16();
            if next > units {
                return Err(Miss::InsidePair);
            }
            self.unit = next;
            self.byte += c.len_utf8();
        }
        Ok(self.byte)
    }

    /// The byte range of an entity's `offset` and `length`, checked.
    pub(crate) fn range(&mut self, offset: i64, length: i64) -> Result<Range<usize>, RangeError> {
        let error = |problem| RangeError {
            offset,
            length,
            problem,
        };
        if offset < 0 || length < 0 {
            return Err(error(RangeProblem::Negative));
        }
        let too_far = || {
            error(RangeProblem::PastEnd {
                text_len: utf16_len(self.text),
            })
        };
        let (Ok(start), Some(end)) = (usize::try_from(offset), offset.checked_add(length)) else {
            return Err(too_far());
        };
        let Ok(end) = usize::try_from(end) else {
            return Err(too_far());
        };
        let inside = |at| error(RangeProblem::InsideSurrogatePair { at });
        let start = match self.seek(start) {
            Ok(byte) => byte,
            Err(Miss::PastEnd) => return Err(too_far()),
            // A range past the end is reported as such, wherever it starts.
            Err(Miss::InsidePair) if end > utf16_len(self.text) => return Err(too_far()),
            Err(Miss::InsidePair) => return Err(inside(start)),
        };
        let end = match self.seek(end) {
            Ok(byte) => byte,
            Err(Miss::PastEnd) => return Err(too_far()),
            Err(Miss::InsidePair) => return Err(inside(end)),
        };
        Ok(start..end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_count_surrogate_pairs_twice() {
        assert_eq!(utf16_len(""), 0);
        assert_eq!(utf16_len("héllo"), 5);
        assert_eq!(utf16_len("日本"), 2);
        assert_eq!(utf16_len("👨‍👩‍👧"), 8); // three people and two joiners
        for s in ["a", "é", "€", "😀", "𝄞", "a😀b€"] {
            assert_eq!(utf16_len(s), s.encode_utf16().count(), "{s}");
        }
    }

    #[test]
    fn seeking_backwards_starts_again() {
        let mut cursor = Cursor::new("ab😀cd");
        assert_eq!(cursor.seek(5), Ok(7));
        assert_eq!(cursor.seek(1), Ok(1));
        assert_eq!(cursor.seek(3), Err(Miss::InsidePair));
        assert_eq!(cursor.seek(4), Ok(6));
        assert_eq!(cursor.seek(7), Err(Miss::PastEnd));
    }

    #[test]
    fn ranges_are_checked() {
        let mut cursor = Cursor::new("x😀");
        assert_eq!(cursor.range(0, 3), Ok(0..5));
        assert_eq!(cursor.range(3, 0), Ok(5..5));
        let problem = |offset, length| {
            Cursor::new("x😀")
                .range(offset, length)
                .unwrap_err()
                .problem
        };
        assert_eq!(problem(-1, 1), RangeProblem::Negative);
        assert_eq!(problem(0, -1), RangeProblem::Negative);
        assert_eq!(problem(0, 4), RangeProblem::PastEnd { text_len: 3 });
        assert_eq!(problem(i64::MAX, 1), RangeProblem::PastEnd { text_len: 3 });
        assert_eq!(problem(1, i64::MAX), RangeProblem::PastEnd { text_len: 3 });
        assert_eq!(problem(2, 1), RangeProblem::InsideSurrogatePair { at: 2 });
        assert_eq!(problem(0, 2), RangeProblem::InsideSurrogatePair { at: 2 });
    }

    #[test]
    fn byte_and_unit_positions_convert_both_ways() {
        let text = "я😀z";
        for (unit, byte) in [(0, 0), (1, 2), (3, 6), (4, 7)] {
            assert_eq!(byte_offset(text, unit), Some(byte));
            assert_eq!(utf16_offset(text, byte), Some(unit));
        }
        assert_eq!(utf16_offset(text, 1), None);
        assert_eq!(utf16_offset(text, 8), None);
    }
}
