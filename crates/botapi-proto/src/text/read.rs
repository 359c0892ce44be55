//! Reading entities back: each entity of a received text with the part of the text it
//! covers, whatever offsets the server sent.

use std::iter::FusedIterator;

use crate::types::MessageEntity;

use super::error::RangeError;
use super::utf16::Cursor;

/// Each entity with the text it covers, in the order the entities were given.
///
/// Offsets come from the network, so none is trusted: an entity whose range is negative,
/// runs past the end, or starts or ends inside a surrogate pair is **reported** as a
/// [`RangeError`] in its place, and the iteration goes on with the next entity. Nothing
/// here panics. Call `.flatten()` to skip the bad ones.
///
/// Entities sorted by offset (as Telegram sends them) are read in one pass over the text.
///
/// ```
/// use botapi_proto::text::{EntityTexts, RangeProblem};
/// use botapi_proto::types::{MessageEntity, MessageEntityType as T};
///
/// let text = "🎉 Party at 8";
/// let entities = [
///     MessageEntity::new(T::Bold, 3, 5),  // "Party"
///     MessageEntity::new(T::Bold, 1, 2),  // starts inside the emoji
///     MessageEntity::new(T::Bold, 12, 9), // runs past the end
/// ];
/// let mut read = EntityTexts::new(text, &entities);
/// assert_eq!(read.next().unwrap()?.1, "Party");
/// assert_eq!(read.next().unwrap().unwrap_err().problem, RangeProblem::InsideSurrogatePair { at: 1 });
/// assert!(read.next().unwrap().is_err());
/// assert!(read.next().is_none());
///
/// let good: Vec<&str> = EntityTexts::new(text, &entities).flatten().map(|(_, s)| s).collect();
/// assert_eq!(good, ["Party"]);
/// # Ok::<(), botapi_proto::text::RangeError>(())
/// ```
#[derive(Debug, Clone)]
pub struct EntityTexts<'a> {
    text: &'a str,
    entities: std::slice::Iter<'a, MessageEntity>,
    cursor: Cursor<'a>,
}

impl<'a> EntityTexts<'a> {
    /// The entities of `text`.
    pub fn new(text: &'a str, entities: &'a [MessageEntity]) -> Self {
        EntityTexts {
            text,
            entities: entities.iter(),
            cursor: Cursor::new(text),
        }
    }
}

impl<'a> Iterator for EntityTexts<'a> {
    type Item = Result<(&'a MessageEntity, &'a str), RangeError>;

    fn next(&mut self) -> Option<Self::Item> {
        let entity = self.entities.next()?;
        let text = self.text;
        Some(
            self.cursor
                .range(entity.offset, entity.length)
                .map(|range| (entity, &text[range])),
        )
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.entities.size_hint()
    }
}

impl ExactSizeIterator for EntityTexts<'_> {}

impl FusedIterator for EntityTexts<'_> {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::RangeProblem;
    use crate::types::MessageEntityType as T;

    #[test]
    fn unsorted_entities_are_read_too() {
        let text = "ab😀cd";
        let entities = [
            MessageEntity::new(T::Bold, 4, 2),
            MessageEntity::new(T::Italic, 0, 4),
            MessageEntity::new(T::Code, 2, 2),
        ];
        let read: Vec<_> = EntityTexts::new(text, &entities)
            .map(|r| r.map(|(e, s)| (e.r#type.as_str(), s)))
            .collect();
        assert_eq!(
            read,
            [
                Ok(("bold", "cd")),
                Ok(("italic", "ab😀")),
                Ok(("code", "😀"))
            ]
        );
    }

    #[test]
    fn every_bad_range_is_reported_in_place() {
        let entities = [
            MessageEntity::new(T::Bold, -3, 1),
            MessageEntity::new(T::Bold, 0, i64::MIN),
            MessageEntity::new(T::Bold, i64::MAX, i64::MAX),
            MessageEntity::new(T::Bold, 0, 0),
        ];
        let problems: Vec<_> = EntityTexts::new("", &entities)
            .map(|r| r.map(|(_, s)| s).map_err(|e| e.problem))
            .collect();
        assert_eq!(
            problems,
            [
                Err(RangeProblem::Negative),
                Err(RangeProblem::Negative),
                Err(RangeProblem::PastEnd { text_len: 0 }),
                Ok(""),
            ]
        );
    }
}
