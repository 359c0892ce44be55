//! Splitting a long text and its entities into parts Telegram accepts, and joining the
//! parts back.
//!
//! Telegram refuses a message text over 4,096 characters and a caption over 1,024, counted
//! after entity parsing. "Characters" are Unicode code points: the Telegram library checks
//! the length of the UTF-8 text in code points (not in UTF-16 code units, which are only
//! the unit of entity offsets), and a text of 4,096 emoji, 8,192 UTF-16 code units, is
//! accepted. The limits here are counted the same way.

use std::ops::{Deref, Range};

use crate::types::{MessageEntity, MessageEntityType};

use super::entity;
use super::error::SplitError;
use super::formatted::{FormattedRef, FormattedText};
use super::utf16::Cursor;

/// The most code points Telegram accepts in a message text.
pub const MESSAGE_TEXT_LIMIT: usize = 4096;

/// The most code points Telegram accepts in a media caption.
pub const CAPTION_LIMIT: usize = 1024;

/// A text split into parts of at most a given number of code points, each with the
/// entities that fall in it.
///
/// # Where the text is cut
/// Each cut is placed, in order of preference: after a blank line (a paragraph break),
/// after a line break, after white space (a word break), between two characters that do
/// not form one visible character, and as a last resort between any two code points. A
/// cut of the first three kinds is only taken in the second half of a part, so parts are
/// not needlessly short. No cut ever falls inside a code point. Cuts also avoid the inside
/// of entities whose text cannot be split without changing its meaning (custom emoji,
/// dates, and the entities Telegram finds itself: mentions, hashtags, cashtags, commands,
/// URLs, e-mail addresses and phone numbers), unless one is longer than a whole part.
///
/// "Visible character" is approximated without Unicode tables: a cut never separates a
/// character from the combining marks (in the main combining blocks), variation selectors,
/// skin tone modifiers, tags or keycap mark after it, never falls on either side of a zero
/// width joiner, never splits a flag's pair of regional indicators, and never splits
/// CR LF. Clusters built otherwise (Hangul jamo, Indic vowel signs) may be cut, and only
/// when no better cut exists.
///
/// # Entities
/// An entity that spans a cut is clipped to each part it covers, keeping its type and
/// data (URL, language, user, custom emoji id), so each part renders as that stretch of
/// the original did. Each part's entities are in the order Telegram returns them.
///
/// # Joining
/// [`Parts::join`] gives back the original exactly: the texts of the parts concatenated
/// (white space at a cut stays at the end of the part before it; nothing is added or
/// dropped), and each entity made whole again and put back in its original place in the
/// list. Entities of length zero are the only exception: they cover no text, so no part
/// holds them, and they are dropped.
///
/// Telegram removes white space from the ends of each message it receives, so a part
/// shows without the line breaks it ends with.
///
/// ```
/// use botapi_proto::text::{MESSAGE_TEXT_LIMIT, Text};
///
/// let paragraph = "Lorem ipsum dolor sit amet. ".repeat(100);
/// let long = Text::new().bold(paragraph.clone()).plain("\n\n").plain(paragraph).build()?;
/// let parts = long.split(MESSAGE_TEXT_LIMIT)?;
/// assert_eq!(parts.len(), 2);
/// assert!(parts[0].text.ends_with("\n\n"));       // cut at the paragraph break
/// assert_eq!(parts[0].entities.len(), 1);          // the bold paragraph
/// assert!(parts[1].entities.is_empty());
/// assert_eq!(parts.join(), long);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Parts {
    parts: Vec<FormattedText>,
    /// For each part, the index in the original list of each of its entities.
    origins: Vec<Vec<usize>>,
    /// The length of the original list of entities.
    entity_count: usize,
}

impl Parts {
    /// The parts, in order.
    pub fn as_slice(&self) -> &[FormattedText] {
        &self.parts
    }

    /// The parts, in order, owned.
    pub fn into_vec(self) -> Vec<FormattedText> {
        self.parts
    }

    /// The original text: see [Joining](Parts#joining).
    pub fn join(&self) -> FormattedText {
        let mut text = String::new();
        let mut whole: Vec<Option<MessageEntity>> = vec![None; self.entity_count];
        let mut shift = 0;
        for (part, origins) in self.parts.iter().zip(&self.origins) {
            for (entity, &origin) in part.entities.iter().zip(origins) {
                let (start, end) = (shift + entity.offset, shift + entity.offset + entity.length);
                match &mut whole[origin] {
                    Some(joined) => joined.length = end - joined.offset,
                    slot @ None => {
                        let mut joined = entity.clone();
                        joined.offset = start;
                        *slot = Some(joined);
                    }
                }
            }
            text.push_str(&part.text);
            shift += i64::try_from(part.utf16_len()).unwrap_or(i64::MAX);
        }
        FormattedText::new(text, whole.into_iter().flatten().collect::<Vec<_>>())
    }
}

impl Deref for Parts {
    type Target = [FormattedText];

    fn deref(&self) -> &[FormattedText] {
        &self.parts
    }
}

impl IntoIterator for Parts {
    type Item = FormattedText;
    type IntoIter = std::vec::IntoIter<FormattedText>;

    fn into_iter(self) -> Self::IntoIter {
        self.parts.into_iter()
    }
}

impl<'a> IntoIterator for &'a Parts {
    type Item = &'a FormattedText;
    type IntoIter = std::slice::Iter<'a, FormattedText>;

    fn into_iter(self) -> Self::IntoIter {
        self.parts.iter()
    }
}

/// How good a place to cut is; higher is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Cut {
    CodePoint,
    Grapheme,
    Word,
    Line,
    Paragraph,
}

/// A text's characters with their positions.
struct Chars {
    chars: Vec<char>,
    /// The byte position of each character, and the text's length at the end.
    bytes: Vec<usize>,
    /// The UTF-16 position of each character, and the text's length at the end.
    units: Vec<usize>,
    /// For each character, how many regional indicators come right before it.
    regional_run: Vec<usize>,
}

fn is_regional(c: char) -> bool {
    ('\u{1F1E6}'..='\u{1F1FF}').contains(&c)
}

impl Chars {
    fn new(text: &str) -> Self {
        let count = text.chars().count();
        let mut chars = Vec::with_capacity(count);
        let mut bytes = Vec::with_capacity(count + 1);
        let mut units = Vec::with_capacity(count + 1);
        let mut regional_run = Vec::with_capacity(count);
        let (mut unit, mut run) = (0, 0);
        for (byte, c) in text.char_indices() {
            chars.push(c);
            bytes.push(byte);
            units.push(unit);
            regional_run.push(run);
            unit += c.len_utf16();
            run = if is_regional(c) { run + 1 } else { 0 };
        }
        bytes.push(text.len());
        units.push(unit);
        Chars {
            chars,
            bytes,
            units,
            regional_run,
        }
    }

    /// How good a place to cut it is before character `at` (0 < at < len).
    fn quality(&self, at: usize) -> Cut {
        let (before, after) = (self.chars[at - 1], self.chars[at]);
        if before == '\n' {
            if at >= 2 && self.chars[at - 2] == '\n' {
                Cut::Paragraph
            } else {
                Cut::Line
            }
        } else if before.is_whitespace() && before != '\r' {
            Cut::Word
        } else if self.joins(at, before, after) {
            Cut::CodePoint
        } else {
            Cut::Grapheme
        }
    }

    /// Whether `before` and `after` (at `at`) belong to one visible character.
    fn joins(&self, at: usize, before: char, after: char) -> bool {
        const ZWJ: char = '\u{200D}';
        let extends = |c: char| {
            matches!(c,
                '\u{0300}'..='\u{036F}'         // combining diacritical marks
                | '\u{1AB0}'..='\u{1AFF}'
                | '\u{1DC0}'..='\u{1DFF}'
                | '\u{20D0}'..='\u{20FF}'       // combining marks for symbols, keycap
                | '\u{FE20}'..='\u{FE2F}'
                | '\u{FE00}'..='\u{FE0F}'       // variation selectors
                | '\u{E0100}'..='\u{E01EF}'
                | '\u{1F3FB}'..='\u{1F3FF}'     // skin tone modifiers
                | '\u{E0020}'..='\u{E007F}'     // tags (subdivision flags)
                | ZWJ)
        };
        if (before == '\r' && after == '\n') || before == ZWJ || extends(after) {
            return true;
        }
        if is_regional(before) && is_regional(after) {
            // Regional indicators pair up from the start of their run.
            return self.regional_run[at] % 2 == 1;
        }
        false
    }
}

/// Entity types whose text must stay whole: cutting them changes what they mean.
fn keep_whole(kind: &MessageEntityType) -> bool {
    use MessageEntityType as T;
    matches!(
        kind,
        T::CustomEmoji
            | T::DateTime
            | T::Mention
            | T::Hashtag
            | T::Cashtag
            | T::BotCommand
            | T::Url
            | T::Email
            | T::PhoneNumber
    )
}

pub(crate) fn split(text: FormattedRef<'_>, limit: usize) -> Result<Parts, SplitError> {
    if limit == 0 {
        return Err(SplitError::ZeroLimit);
    }
    let chars = Chars::new(text.text);
    // Each entity's range as character indexes.
    let mut cursor = Cursor::new(text.text);
    let mut ranges = Vec::with_capacity(text.entities.len());
    for (index, entity) in text.entities.iter().enumerate() {
        let bytes = cursor
            .range(entity.offset, entity.length)
            .map_err(|error| SplitError::Entity { index, error })?;
        let start = chars.bytes.partition_point(|&b| b < bytes.start);
        let end = chars.bytes.partition_point(|&b| b < bytes.end);
        ranges.push(start..end);
    }
    let len = chars.chars.len();
    // Whether a cut before each character falls inside an entity to keep whole: count
    // the entities open there with a running sum of their starts and ends.
    let mut depth = vec![0_i64; len + 2];
    for (entity, range) in text.entities.iter().zip(&ranges) {
        if keep_whole(&entity.r#type) && range.end > range.start + 1 {
            depth[range.start + 1] += 1;
            depth[range.end] -= 1;
        }
    }
    let mut open = 0;
    let whole: Vec<bool> = depth
        .iter()
        .map(|d| {
            open += d;
            open > 0
        })
        .collect();

    let mut cuts = vec![0];
    let mut start = 0;
    while len - start > limit {
        let cut = best_cut(&chars, &whole, start, limit);
        cuts.push(cut);
        start = cut;
    }
    cuts.push(len);

    let mut parts = Vec::with_capacity(cuts.len() - 1);
    let mut origins = Vec::with_capacity(cuts.len() - 1);
    for window in cuts.windows(2) {
        let (from, to) = (window[0], window[1]);
        let (part, origin) = part(text, &chars, &ranges, from..to);
        parts.push(part);
        origins.push(origin);
    }
    Ok(Parts {
        parts,
        origins,
        entity_count: text.entities.len(),
    })
}

/// Where to end the part that starts at character `start`.
fn best_cut(chars: &Chars, whole: &[bool], start: usize, limit: usize) -> usize {
    let last = start + limit;
    let half = start + limit.div_ceil(2);
    let mut best: Option<(Cut, usize)> = None;
    for at in (start + 1..=last).rev() {
        if whole[at] {
            continue;
        }
        let quality = chars.quality(at);
        if quality >= Cut::Word && at < half {
            // A break this early would leave the part needlessly short: only a worse cut
            // from later in the window is better than none.
            continue;
        }
        if best.is_none_or(|(q, _)| quality > q) {
            best = Some((quality, at));
            if quality == Cut::Paragraph {
                break;
            }
        }
    }
    match best {
        Some((_, at)) => at,
        // Only the inside of one entity longer than a part: cut it at the limit.
        None => last,
    }
}

/// The part made of characters `range`, with the index in the original list of each of
/// its entities.
fn part(
    text: FormattedRef<'_>,
    chars: &Chars,
    ranges: &[Range<usize>],
    range: Range<usize>,
) -> (FormattedText, Vec<usize>) {
    let base = chars.units[range.start];
    let mut clipped: Vec<(MessageEntity, usize)> = Vec::new();
    for (index, (entity, r)) in text.entities.iter().zip(ranges).enumerate() {
        let (from, to) = (r.start.max(range.start), r.end.min(range.end));
        if from >= to {
            continue;
        }
        let mut entity = entity.clone();
        entity.offset = to_i64(chars.units[from] - base);
        entity.length = to_i64(chars.units[to] - chars.units[from]);
        clipped.push((entity, index));
    }
    clipped.sort_by_key(|(entity, _)| entity::order_key(entity));
    let (entities, origins): (Vec<MessageEntity>, Vec<usize>) = clipped.into_iter().unzip();
    let text = text.text[chars.bytes[range.start]..chars.bytes[range.end]].to_owned();
    (FormattedText::new(text, entities), origins)
}

fn to_i64(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}
