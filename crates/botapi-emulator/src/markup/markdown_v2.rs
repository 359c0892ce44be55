//! `parse_mode` `MarkdownV2`, read the way the Bot API reads it.
//!
//! One pass over the bytes with a stack of open entities. A `\` before any character from
//! 1 to 126 makes it ordinary. Which characters are markup depends on the innermost open
//! entity: inside `code` and `pre` only `` ` ``; elsewhere `_*[]()~`>#+-=|{}.!` and the
//! line break, and any of them that does not open or close an entity is an error. A `>`
//! at the start of a line opens a quote, which lasts while each line starts with `>`; the
//! line break that ends it belongs to it, and `||` right before that break makes it
//! expandable.

use botapi_proto::types::{MessageEntity, MessageEntityType as T};

use super::{Parsed, links, mention, sort, utf16_units};

/// The entity kinds the parser opens, named as the real server names them in errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Bold,
    Italic,
    Underline,
    Strikethrough,
    Spoiler,
    Code,
    Pre,
    PreCode,
    TextUrl,
    CustomEmoji,
    BlockQuote,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Bold => "Bold",
            Kind::Italic => "Italic",
            Kind::Underline => "Underline",
            Kind::Strikethrough => "Strikethrough",
            Kind::Spoiler => "Spoiler",
            Kind::Code => "Code",
            Kind::Pre => "Pre",
            Kind::PreCode => "PreCode",
            Kind::TextUrl => "TextUrl",
            Kind::CustomEmoji => "CustomEmoji",
            Kind::BlockQuote => "BlockQuote",
        }
    }

    fn is_code(self) -> bool {
        matches!(self, Kind::Code | Kind::Pre | Kind::PreCode)
    }
}

struct Open {
    kind: Kind,
    /// The language of a `pre`.
    argument: String,
    /// UTF-16 position in the output where the entity starts.
    start16: usize,
    /// Byte position of its opening marker in the source (for errors).
    source_at: usize,
    /// Byte position in the output where it starts.
    start: usize,
}

const RESERVED: &[u8] = b"_*[]()~`>#+-=|{}.!\n";

fn reserved(c: u8) -> String {
    format!(
        "Character '{}' is reserved and must be escaped with the preceding '\\'",
        char::from(c)
    )
}

fn unclosed(open: &Open) -> String {
    format!(
        "Can't find end of {} entity at byte offset {}",
        open.kind.name(),
        open.source_at
    )
}

fn escapable(b: u8) -> bool {
    (1..=126).contains(&b)
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n' | 0 | 0x0B)
}

pub(super) fn parse(source: &str) -> Result<Parsed, String> {
    let text = source.as_bytes();
    let at = |i: usize| text.get(i).copied().unwrap_or(0);
    let mut out: Vec<u8> = Vec::with_capacity(text.len());
    let mut units = 0;
    let mut entities: Vec<MessageEntity> = Vec::new();
    let mut open: Vec<Open> = Vec::new();
    let mut in_quote = false;
    let mut line_start = true;
    let mut i = 0;
    while i < text.len() {
        let c = text[i];
        if c == b'\\' && escapable(at(i + 1)) {
            i += 1;
            units += 1;
            out.push(text[i]);
            if text[i] != b'\r' {
                line_start = text[i] == b'\n';
            }
            i += 1;
            continue;
        }
        let markup: &[u8] = match open.last() {
            Some(top) if top.kind.is_code() => b"`",
            _ => RESERVED,
        };
        if !markup.contains(&c) {
            if c & 0xC0 != 0x80 {
                units += 1 + usize::from(c >= 0xF0);
                if c != b'\r' {
                    line_start = false;
                }
            }
            out.push(c);
            i += 1;
            continue;
        }
        let ends = match open.last() {
            None => false,
            Some(_) if in_quote && c == b'\n' && at(i + 1) != b'>' => true,
            Some(top) => match top.kind {
                Kind::Bold => c == b'*',
                Kind::Italic => c == b'_' && at(i + 1) != b'_',
                Kind::Code => c == b'`',
                Kind::Pre | Kind::PreCode => c == b'`' && at(i + 1) == b'`' && at(i + 2) == b'`',
                Kind::TextUrl | Kind::CustomEmoji => c == b']',
                Kind::Underline => c == b'_' && at(i + 1) == b'_',
                Kind::Strikethrough => c == b'~',
                Kind::Spoiler => c == b'|' && at(i + 1) == b'|',
                Kind::BlockQuote => false,
            },
        };
        if !ends {
            let source_at = i;
            let mut argument = String::new();
            let kind = match c {
                b'_' if at(i + 1) == b'_' => {
                    i += 1;
                    Kind::Underline
                }
                b'_' => Kind::Italic,
                b'*' => Kind::Bold,
                b'~' => Kind::Strikethrough,
                b'|' if at(i + 1) == b'|' => {
                    i += 1;
                    Kind::Spoiler
                }
                b'[' => Kind::TextUrl,
                b'`' if at(i + 1) == b'`' && at(i + 2) == b'`' => {
                    i += 3;
                    let mut kind = Kind::Pre;
                    let mut language_end = i;
                    while !is_space(at(language_end)) && at(language_end) != b'`' {
                        language_end += 1;
                    }
                    if i != language_end && language_end < text.len() && at(language_end) != b'`' {
                        kind = Kind::PreCode;
                        argument = source[i..language_end].to_owned();
                        i = language_end;
                    }
                    // One line break after the opening (and language) is dropped.
                    if matches!(at(i), b'\n' | b'\r') {
                        let pair = matches!(at(i + 1), b'\n' | b'\r') && at(i) != at(i + 1);
                        i += if pair { 2 } else { 1 };
                    }
                    open.push(Open {
                        kind,
                        argument,
                        start16: units,
                        source_at,
                        start: out.len(),
                    });
                    continue;
                }
                b'`' => Kind::Code,
                b'!' if at(i + 1) == b'[' => {
                    i += 1;
                    Kind::CustomEmoji
                }
                b'\n' => {
                    units += 1;
                    out.push(b'\n');
                    line_start = true;
                    i += 1;
                    continue;
                }
                b'>' if line_start => {
                    i += 1;
                    if in_quote {
                        // Another line of the open quote.
                        continue;
                    }
                    in_quote = true;
                    open.push(Open {
                        kind: Kind::BlockQuote,
                        argument,
                        start16: units,
                        source_at,
                        start: out.len(),
                    });
                    continue;
                }
                other => return Err(reserved(other)),
            };
            open.push(Open {
                kind,
                argument,
                start16: units,
                source_at,
                start: out.len(),
            });
            i += 1;
            continue;
        }

        // The end of the innermost entity.
        let Some(mut top) = open.pop() else {
            i += 1;
            continue;
        };
        let mut expandable = false;
        if c == b'\n' && top.kind != Kind::BlockQuote {
            // Only `||` right before the line break that ends a quote may be open here:
            // it marks the quote expandable.
            let marks = top.kind == Kind::Spoiler
                && (top.source_at + 2 == i
                    || (top.source_at + 3 == i && out.last() == Some(&b'\r')));
            if !marks {
                return Err(unclosed(&top));
            }
            top = match open.pop() {
                Some(quote) if quote.kind == Kind::BlockQuote => quote,
                Some(other) => return Err(unclosed(&other)),
                None => return Err(unclosed(&top)),
            };
            expandable = true;
        }
        let offset = top.start16 as i64;
        let mut skip = units == top.start16;
        let new = match top.kind {
            Kind::Bold => Some(MessageEntity::new(T::Bold, offset, 0)),
            Kind::Italic => Some(MessageEntity::new(T::Italic, offset, 0)),
            Kind::Code => Some(MessageEntity::new(T::Code, offset, 0)),
            Kind::Strikethrough => Some(MessageEntity::new(T::Strikethrough, offset, 0)),
            Kind::Underline => {
                i += 1;
                Some(MessageEntity::new(T::Underline, offset, 0))
            }
            Kind::Spoiler => {
                i += 1;
                Some(MessageEntity::new(T::Spoiler, offset, 0))
            }
            Kind::Pre | Kind::PreCode => {
                i += 2;
                let pre = MessageEntity::new(T::Pre, offset, 0);
                Some(match top.kind {
                    Kind::PreCode => pre.language(top.argument.clone()),
                    _ => pre,
                })
            }
            Kind::TextUrl => {
                let url = if at(i + 1) != b'(' {
                    // [text] alone: the text is the URL.
                    String::from_utf8_lossy(&out[top.start..]).into_owned()
                } else {
                    i += 2;
                    read_url(text, &mut i)?
                };
                if let Some(id) = links::user_id(&url) {
                    Some(MessageEntity::new(T::TextMention, offset, 0).user(mention(id)))
                } else if let Some(url) = links::checked(&url) {
                    Some(MessageEntity::new(T::TextLink, offset, 0).url(url))
                } else {
                    skip = true;
                    None
                }
            }
            Kind::CustomEmoji => {
                if at(i + 1) != b'(' {
                    return Err("The entity must contain a tg://emoji or tg://time URL".into());
                }
                i += 2;
                let url = read_url(text, &mut i)?;
                if let Some(id) = links::custom_emoji_id(&url) {
                    Some(MessageEntity::new(T::CustomEmoji, offset, 0).custom_emoji_id(id))
                } else if let Some((unix_time, format)) = links::time(&url) {
                    let format = format.unwrap_or_default();
                    if !links::valid_date_format(&format) {
                        return Err("Invalid date format used".into());
                    }
                    let date = MessageEntity::new(T::DateTime, offset, 0).unix_time(unix_time);
                    Some(match format.as_str() {
                        "" => date,
                        format => date.date_time_format(format),
                    })
                } else {
                    return Err("Invalid tg://emoji or tg://time URL specified".into());
                }
            }
            Kind::BlockQuote => {
                in_quote = false;
                out.push(c);
                units += 1;
                line_start = true;
                skip = false;
                let kind = if expandable {
                    T::ExpandableBlockquote
                } else {
                    T::Blockquote
                };
                Some(MessageEntity::new(kind, offset, 0))
            }
        };
        if let Some(mut entity) = new.filter(|_| !skip) {
            entity.length = (units - top.start16) as i64;
            entities.push(entity);
        }
        i += 1;
    }
    if in_quote {
        // A quote still open at the end ends there; `||` at the very end marks it
        // expandable.
        let mut kind = T::Blockquote;
        if open
            .last()
            .is_some_and(|top| top.kind == Kind::Spoiler && top.source_at + 2 == text.len())
        {
            open.pop();
            kind = T::ExpandableBlockquote;
        }
        if let Some(top) = open.last().filter(|top| top.kind == Kind::BlockQuote) {
            let length = units - top.start16;
            if length != 0 {
                entities.push(MessageEntity::new(kind, top.start16 as i64, length as i64));
            }
            open.pop();
        }
    }
    if let Some(top) = open.last() {
        return Err(unclosed(top));
    }
    sort(&mut entities);
    let text =
        String::from_utf8(out).map_err(|_| String::from("Strings must be encoded in UTF-8"))?;
    debug_assert_eq!(utf16_units(&text), units);
    Ok(Parsed { text, entities })
}

/// Reads the `(…)` part of a link from `*i` (just after the `(`) to its `)`, where `*i` is
/// left; `\` escapes any character from 1 to 126.
fn read_url(text: &[u8], i: &mut usize) -> Result<String, String> {
    let begin = *i;
    let mut url = Vec::new();
    while *i < text.len() && text[*i] != b')' {
        if text[*i] == b'\\' && text.get(*i + 1).copied().is_some_and(escapable) {
            url.push(text[*i + 1]);
            *i += 2;
            continue;
        }
        url.push(text[*i]);
        *i += 1;
    }
    if text.get(*i) != Some(&b')') {
        return Err(format!("Can't find end of a URL at byte offset {begin}"));
    }
    Ok(String::from_utf8_lossy(&url).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(source: &str) -> (String, Vec<MessageEntity>) {
        let parsed = parse(source).unwrap_or_else(|e| panic!("{source:?}: {e}"));
        (parsed.text, parsed.entities)
    }

    fn e(kind: T, offset: i64, length: i64) -> MessageEntity {
        MessageEntity::new(kind, offset, length)
    }

    #[test]
    fn styles_nest_and_count_utf16_units() {
        let (text, entities) = ok(r"🇺🇦 *bold _italic __under__ ~strike ||spoiler||~_* \*");
        assert_eq!(text, "🇺🇦 bold italic under strike spoiler *");
        assert_eq!(
            entities,
            vec![
                e(T::Bold, 5, 32),
                e(T::Italic, 10, 27),
                e(T::Underline, 17, 5),
                e(T::Strikethrough, 23, 14),
                e(T::Spoiler, 30, 7),
            ]
        );
    }

    #[test]
    fn code_pre_links_emoji_and_dates() {
        let (text, entities) = ok(concat!(
            r"`a\`\\*` ```rust",
            "\nfn x() {}\n```",
            r"[l\.](https://a.example/a_(b\)) [m](tg://user?id=9) ![👍](tg://emoji?id=77) ",
            r"![t](tg://time?unix=100&format=R)",
        ));
        assert_eq!(text, "a`\\* fn x() {}\nl. m 👍 t");
        assert_eq!(
            entities,
            vec![
                e(T::Code, 0, 4),
                e(T::Pre, 5, 10).language("rust"),
                e(T::TextLink, 15, 2).url("https://a.example/a_(b)"),
                e(T::TextMention, 18, 1).user(mention(9)),
                e(T::CustomEmoji, 20, 2).custom_emoji_id("77"),
                e(T::DateTime, 23, 1).unix_time(100).date_time_format("R"),
            ]
        );
    }

    #[test]
    fn quotes_take_their_line_break_and_can_be_expandable() {
        let (text, entities) = ok(">one\n>two\nthree\n**>four\n>five||\n**>six");
        assert_eq!(text, "one\ntwo\nthree\nfour\nfive\nsix");
        assert_eq!(
            entities,
            vec![
                e(T::Blockquote, 0, 8),
                e(T::ExpandableBlockquote, 14, 10),
                e(T::Blockquote, 24, 3),
            ]
        );
        let (_, entities) = ok(">a||");
        assert_eq!(entities, vec![e(T::ExpandableBlockquote, 0, 1)]);
        // A line that starts with `>` right after the mark continues the quote, and the
        // mark is left open.
        assert_eq!(
            parse(">a||\n>b").unwrap_err(),
            "Can't find end of Spoiler entity at byte offset 2"
        );
    }

    #[test]
    fn malformed_markup_is_refused_in_the_real_servers_words() {
        let cases = [
            (
                "1.5",
                "Character '.' is reserved and must be escaped with the preceding '\\'",
            ),
            (
                "a > b",
                "Character '>' is reserved and must be escaped with the preceding '\\'",
            ),
            (
                "a|b",
                "Character '|' is reserved and must be escaped with the preceding '\\'",
            ),
            (
                "a!b",
                "Character '!' is reserved and must be escaped with the preceding '\\'",
            ),
            ("*bold", "Can't find end of Bold entity at byte offset 0"),
            (
                "x __u",
                "Can't find end of Underline entity at byte offset 2",
            ),
            ("```\ncode", "Can't find end of Pre entity at byte offset 0"),
            (">*a\nb*", "Can't find end of Bold entity at byte offset 1"),
            ("[a](https://x", "Can't find end of a URL at byte offset 4"),
            (
                "![a]",
                "The entity must contain a tg://emoji or tg://time URL",
            ),
            (
                "![a](https://x)",
                "Invalid tg://emoji or tg://time URL specified",
            ),
            (
                "![a](tg://time?unix=5&format=x)",
                "Invalid date format used",
            ),
        ];
        for (source, expected) in cases {
            assert_eq!(parse(source).unwrap_err(), expected, "{source:?}");
        }
    }

    #[test]
    fn line_breaks_may_run_through_styles_outside_quotes() {
        let (text, entities) = ok("*a\nb*");
        assert_eq!((text.as_str(), entities), ("a\nb", vec![e(T::Bold, 0, 3)]));
    }

    #[test]
    fn empty_entities_are_dropped_and_separate_markers() {
        let (text, entities) = ok("_a_**__b__");
        assert_eq!(
            (text.as_str(), entities),
            ("ab", vec![e(T::Italic, 0, 1), e(T::Underline, 1, 1)])
        );
    }
}
