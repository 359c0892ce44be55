//! What the text module needs to know about entity types: which of them Telegram lets
//! nest in which, and the order and shape in which Telegram hands entities back.

use crate::types::{MessageEntity, MessageEntityType};

/// How an entity type behaves when entities nest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    /// Bold, italic, underline, strikethrough, spoiler: may contain and be part of any
    /// entity except `code` and `pre`. Telegram merges touching ones of one type and cuts
    /// them where another entity begins or ends.
    Style,
    /// `code` and `pre`: contain nothing, and are part of nothing but a quote.
    Code,
    /// `blockquote` and `expandable_blockquote`: may contain anything, no other quote.
    Quote,
    /// Everything else (links, mentions, custom emoji, dates, and the entities Telegram
    /// finds on its own): none may contain another.
    Other,
}

pub(crate) fn class(kind: &MessageEntityType) -> Class {
    use MessageEntityType as T;
    match kind {
        T::Bold | T::Italic | T::Underline | T::Strikethrough | T::Spoiler => Class::Style,
        T::Code | T::Pre => Class::Code,
        T::Blockquote | T::ExpandableBlockquote => Class::Quote,
        _ => Class::Other,
    }
}

/// Where Telegram puts an entity among others that start at the same place with the same
/// length (lower first). The values are the Telegram library's own priorities.
fn priority(entity: &MessageEntity) -> u8 {
    use MessageEntityType as T;
    match &entity.r#type {
        T::Blockquote | T::ExpandableBlockquote => 0,
        T::Pre if entity.language.is_some() => 10,
        T::Pre => 11,
        T::Code => 20,
        T::DateTime => 30,
        T::TextLink | T::TextMention => 49,
        T::Bold => 90,
        T::Italic => 91,
        T::Underline => 92,
        T::Strikethrough => 93,
        T::Spoiler => 94,
        T::CustomEmoji => 99,
        _ => 50,
    }
}

/// Sorts entities the way Telegram returns them: by offset, longer first, then by type.
/// The sort is stable, so entities equal in all three keep their order.
pub(crate) fn sort(entities: &mut [MessageEntity]) {
    entities.sort_by_key(order_key);
}

/// The key of [`sort`].
pub(crate) fn order_key(entity: &MessageEntity) -> (i64, std::cmp::Reverse<i64>, u8) {
    (
        entity.offset,
        std::cmp::Reverse(entity.length),
        priority(entity),
    )
}

/// Brings well-nested entities into the shape Telegram stores: style entities of one type
/// that touch or overlap become one, then each is cut where another kind of entity begins
/// or ends inside it; the result is [sorted](sort).
pub(crate) fn normalize(entities: Vec<MessageEntity>) -> Vec<MessageEntity> {
    let (styles, mut out): (Vec<_>, Vec<_>) = entities
        .into_iter()
        .partition(|e| class(&e.r#type) == Class::Style);
    let mut cuts: Vec<i64> = out
        .iter()
        .flat_map(|e| [e.offset, e.offset + e.length])
        .collect();
    cuts.sort_unstable();
    cuts.dedup();
    for kind in [
        MessageEntityType::Bold,
        MessageEntityType::Italic,
        MessageEntityType::Underline,
        MessageEntityType::Strikethrough,
        MessageEntityType::Spoiler,
    ] {
        let mut ranges: Vec<(i64, i64)> = styles
            .iter()
            .filter(|e| e.r#type == kind)
            .map(|e| (e.offset, e.offset + e.length))
            .collect();
        ranges.sort_unstable();
        let mut merged: Vec<(i64, i64)> = Vec::new();
        for (start, end) in ranges {
            match merged.last_mut() {
                Some(last) if start <= last.1 => last.1 = last.1.max(end),
                _ => merged.push((start, end)),
            }
        }
        for (start, end) in merged {
            let mut from = start;
            for &cut in cuts.iter().filter(|&&c| start < c && c < end) {
                out.push(MessageEntity::new(kind.clone(), from, cut - from));
                from = cut;
            }
            out.push(MessageEntity::new(kind.clone(), from, end - from));
        }
    }
    sort(&mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use MessageEntityType as T;

    fn e(kind: T, offset: i64, length: i64) -> MessageEntity {
        MessageEntity::new(kind, offset, length)
    }

    #[test]
    fn sorted_by_offset_then_longer_then_type() {
        let mut list = vec![
            e(T::Italic, 0, 3),
            e(T::Bold, 0, 3),
            e(T::Blockquote, 0, 3),
            e(T::Bold, 0, 5),
            e(T::TextLink, 1, 1),
        ];
        sort(&mut list);
        let kinds: Vec<_> = list.iter().map(|e| (e.r#type.as_str(), e.length)).collect();
        assert_eq!(
            kinds,
            [
                ("bold", 5),
                ("blockquote", 3),
                ("bold", 3),
                ("italic", 3),
                ("text_link", 1)
            ]
        );
    }

    #[test]
    fn styles_merge_and_are_cut_around_other_entities() {
        let link = e(T::TextLink, 2, 3).url("https://example.com/");
        let out = normalize(vec![
            e(T::Bold, 0, 4),
            e(T::Bold, 4, 6),
            link.clone(),
            e(T::Italic, 3, 1),
        ]);
        assert_eq!(
            out,
            vec![
                e(T::Bold, 0, 2),
                link,
                e(T::Bold, 2, 3),
                e(T::Italic, 3, 1),
                e(T::Bold, 5, 5),
            ]
        );
    }

    #[test]
    fn nested_styles_of_one_type_become_one() {
        assert_eq!(
            normalize(vec![e(T::Bold, 0, 4), e(T::Bold, 1, 2)]),
            vec![e(T::Bold, 0, 4)]
        );
    }
}
