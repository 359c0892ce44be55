//! What the Bot API does to a text and its entities before it stores them, whether they
//! came from markup or from an `entities` parameter.
//!
//! - Empty entities are dropped.
//! - Links, mentions, custom emoji, dates, `code` and `pre` cannot overlap one another: of
//!   two that do, the later is dropped. Quotes cannot overlap one another, and one of the
//!   others that crosses a quote's edge is dropped.
//! - Bold, italic, underline, strikethrough and spoiler entities of one type that touch or
//!   overlap become one; each is then cut where any other entity begins or ends inside
//!   it, and the pieces inside `code` or `pre` are dropped.
//! - Spaces and line breaks are removed from the end of the text (entities are clipped),
//!   and from its start up to the first entity.
//!
//! Not modelled: replacing control characters with spaces and removing `\r` (the real
//! server does both), and finding mentions, hashtags, URLs and commands in the text.

use botapi_proto::types::{MessageEntity, MessageEntityType as T};

use super::sort;

/// The three ways entities behave when they meet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Style,
    Quote,
    Other,
}

fn class(entity: &MessageEntity) -> Class {
    match entity.r#type {
        T::Bold | T::Italic | T::Underline | T::Strikethrough | T::Spoiler => Class::Style,
        T::Blockquote | T::ExpandableBlockquote => Class::Quote,
        _ => Class::Other,
    }
}

fn end(entity: &MessageEntity) -> i64 {
    entity.offset + entity.length
}

/// Fixes `entities` as described in the [module docs](self), then trims `text`; returns
/// `None` when nothing but white space is left.
pub(super) fn fix(
    text: &str,
    entities: Vec<MessageEntity>,
) -> Option<(String, Vec<MessageEntity>)> {
    let entities = fix_entities(entities);
    trim(text, entities)
}

fn fix_entities(entities: Vec<MessageEntity>) -> Vec<MessageEntity> {
    let mut styles = Vec::new();
    let mut quotes = Vec::new();
    let mut others = Vec::new();
    for entity in entities.into_iter().filter(|e| e.length > 0) {
        match class(&entity) {
            Class::Style => styles.push(entity),
            Class::Quote => quotes.push(entity),
            Class::Other => others.push(entity),
        }
    }
    sort(&mut others);
    let others = without_overlaps(others);
    sort(&mut quotes);
    let quotes = without_overlaps(quotes);
    let mut kept: Vec<MessageEntity> = others
        .into_iter()
        .filter(|e| {
            quotes.iter().all(|q| {
                let inside = q.offset <= e.offset && end(e) <= end(q);
                let apart = end(e) <= q.offset || end(q) <= e.offset;
                inside || apart
            })
        })
        .collect();
    kept.extend(quotes);

    let mut cuts: Vec<i64> = kept.iter().flat_map(|e| [e.offset, end(e)]).collect();
    cuts.sort_unstable();
    cuts.dedup();
    let code: Vec<(i64, i64)> = kept
        .iter()
        .filter(|e| matches!(e.r#type, T::Code | T::Pre))
        .map(|e| (e.offset, end(e)))
        .collect();
    let mut pieces = Vec::new();
    for kind in [
        T::Bold,
        T::Italic,
        T::Underline,
        T::Strikethrough,
        T::Spoiler,
    ] {
        let mut ranges: Vec<(i64, i64)> = styles
            .iter()
            .filter(|e| e.r#type == kind)
            .map(|e| (e.offset, end(e)))
            .collect();
        ranges.sort_unstable();
        let mut merged: Vec<(i64, i64)> = Vec::new();
        for (from, to) in ranges {
            match merged.last_mut() {
                Some(last) if from <= last.1 => last.1 = last.1.max(to),
                _ => merged.push((from, to)),
            }
        }
        for (from, to) in merged {
            let mut points = vec![from];
            points.extend(cuts.iter().copied().filter(|&c| from < c && c < to));
            points.push(to);
            for pair in points.windows(2) {
                let inside_code = code.iter().any(|&(s, e)| s <= pair[0] && pair[1] <= e);
                if !inside_code {
                    pieces.push(MessageEntity::new(kind.clone(), pair[0], pair[1] - pair[0]));
                }
            }
        }
    }
    kept.extend(pieces);
    sort(&mut kept);
    kept
}

/// Keeps the entities (sorted) that start at or after the end of every one kept before.
fn without_overlaps(sorted: Vec<MessageEntity>) -> Vec<MessageEntity> {
    let mut last_end = 0;
    sorted
        .into_iter()
        .filter(|e| {
            let keep = e.offset >= last_end;
            if keep {
                last_end = end(e);
            }
            keep
        })
        .collect()
}

/// Removes spaces and line breaks from the end, and from the start up to the first entity.
fn trim(text: &str, mut entities: Vec<MessageEntity>) -> Option<(String, Vec<MessageEntity>)> {
    let blank = |c: char| c == ' ' || c == '\n';
    let kept = text.trim_end_matches(blank);
    if kept.is_empty() {
        return None;
    }
    let end16 = kept.encode_utf16().count() as i64;
    entities.retain(|e| e.offset < end16);
    for entity in &mut entities {
        entity.length = entity.length.min(end16 - entity.offset);
    }
    sort(&mut entities);
    let first = entities.iter().map(|e| e.offset).min().unwrap_or(end16);
    let lead = kept
        .bytes()
        .take_while(|&b| b == b' ' || b == b'\n')
        .count()
        .min(usize::try_from(first).unwrap_or(usize::MAX));
    for entity in &mut entities {
        entity.offset -= lead as i64;
    }
    Some((kept[lead..].to_owned(), entities))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(kind: T, offset: i64, length: i64) -> MessageEntity {
        MessageEntity::new(kind, offset, length)
    }

    #[test]
    fn styles_merge_split_around_others_and_leave_code() {
        let link = e(T::TextLink, 2, 2).url("https://a.example/");
        let fixed = fix_entities(vec![
            e(T::Bold, 0, 3),
            e(T::Bold, 3, 5),
            link.clone(),
            e(T::Code, 5, 2),
            e(T::Italic, 1, 0),
        ]);
        assert_eq!(
            fixed,
            vec![
                e(T::Bold, 0, 2),
                link,
                e(T::Bold, 2, 2),
                e(T::Bold, 4, 1),
                e(T::Code, 5, 2),
                e(T::Bold, 7, 1)
            ]
        );
    }

    #[test]
    fn overlapping_others_and_crossing_quotes_are_dropped() {
        let fixed = fix_entities(vec![
            e(T::Code, 0, 4),
            e(T::Pre, 2, 4),
            e(T::Blockquote, 6, 4),
            e(T::Code, 8, 4),
            e(T::Code, 7, 1),
        ]);
        assert_eq!(
            fixed,
            vec![e(T::Code, 0, 4), e(T::Blockquote, 6, 4), e(T::Code, 7, 1)]
        );
    }

    #[test]
    fn trimming_clips_entities() {
        let (text, entities) =
            trim(" \n a b \n", vec![e(T::Bold, 3, 5), e(T::Italic, 7, 1)]).unwrap();
        assert_eq!(text, "a b");
        assert_eq!(entities, vec![e(T::Bold, 0, 3)]);
        let (text, entities) = trim("  x", vec![e(T::Bold, 1, 2)]).unwrap();
        assert_eq!((text.as_str(), entities), (" x", vec![e(T::Bold, 0, 2)]));
        assert_eq!(trim(" \n", vec![]), None);
    }
}
