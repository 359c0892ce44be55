//! `parse_mode` `HTML`, read the way the Bot API reads it.
//!
//! The parser walks the bytes once: text is copied (decoding `&lt;`, `&gt;`, `&amp;`,
//! `&quot;` and numeric references), each start tag of the supported set opens an entity,
//! and the matching end tag closes it. Tag names are case-insensitive; `</>` closes
//! whatever is open. Errors carry the byte offset of the offending tag in the source, in
//! the real server's words.

use botapi_proto::types::{MessageEntity, MessageEntityType as T};

use super::{Parsed, links, mention, sort, utf16_units};

/// Tags the Bot API accepts.
const TAGS: &[&str] = &[
    "a",
    "b",
    "strong",
    "i",
    "em",
    "s",
    "strike",
    "del",
    "u",
    "ins",
    "tg-spoiler",
    "tg-emoji",
    "tg-time",
    "span",
    "pre",
    "code",
    "blockquote",
];

struct Open {
    tag: String,
    argument: String,
    unix_time: i64,
    /// UTF-16 position in the output where the tag's content starts.
    start16: usize,
    /// Byte position in the output where the tag's content starts.
    start: usize,
}

/// White space as the parser sees it; the end of the text counts as white space too.
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n' | 0 | 0x0B)
}

pub(super) fn parse(source: &str) -> Result<Parsed, String> {
    if source.contains('\0') {
        return Err("Text must not contain null bytes".into());
    }
    let text = source.as_bytes();
    let at = |i: usize| text.get(i).copied().unwrap_or(0);
    let mut out = String::with_capacity(source.len());
    let mut units = 0;
    let mut entities: Vec<MessageEntity> = Vec::new();
    let mut open: Vec<Open> = Vec::new();
    let mut i = 0;
    while i < text.len() {
        let c = text[i];
        if c == b'&'
            && let Some((code, next)) = decode_reference(text, i)
        {
            // A reference to half of a surrogate pair cannot be kept.
            let Some(ch) = char::from_u32(code) else {
                return Err(
                    "Text contains invalid Unicode characters after decoding HTML \
                            entities, check for unmatched surrogate code units"
                        .into(),
                );
            };
            out.push(ch);
            units += ch.len_utf16();
            i = next;
            continue;
        }
        if c != b'<' {
            let ch_len = source[i..].chars().next().map_or(1, char::len_utf8);
            out.push_str(&source[i..i + ch_len]);
            units += utf16_units(&source[i..i + ch_len]);
            i += ch_len;
            continue;
        }
        let begin = i;
        i += 1;
        if at(i) != b'/' {
            // A start tag.
            while !is_space(at(i)) && at(i) != b'>' {
                i += 1;
            }
            if at(i) == 0 {
                return Err(format!("Unclosed start tag at byte offset {begin}"));
            }
            let tag = source[begin + 1..i].to_ascii_lowercase();
            if !TAGS.contains(&tag.as_str()) {
                return Err(format!(
                    "Unsupported start tag \"{tag}\" at byte offset {begin}"
                ));
            }
            let mut argument = String::new();
            let mut unix_time = 0;
            while at(i) != b'>' {
                while at(i) != 0 && is_space(at(i)) {
                    i += 1;
                }
                if at(i) == b'>' {
                    break;
                }
                let name_start = i;
                while !is_space(at(i)) && !matches!(at(i), b'=' | b'>' | b'/' | b'"' | b'\'') {
                    i += 1;
                }
                let name = &source[name_start..i];
                if name.is_empty() {
                    return Err(format!(
                        "Empty attribute name in the tag \"{tag}\" at byte offset {begin}"
                    ));
                }
                while at(i) != 0 && is_space(at(i)) {
                    i += 1;
                }
                if at(i) != b'=' {
                    if at(i) == 0 {
                        return Err(format!(
                            "Unclosed start tag \"{tag}\" at byte offset {begin}"
                        ));
                    }
                    // An attribute without a value.
                    if tag == "blockquote" && name == "expandable" {
                        argument = "1".into();
                    }
                    continue;
                }
                i += 1;
                while at(i) != 0 && is_space(at(i)) {
                    i += 1;
                }
                if at(i) == 0 {
                    return Err(format!(
                        "Unclosed start tag \"{tag}\" at byte offset {begin}"
                    ));
                }
                let value = if at(i) != b'"' && at(i) != b'\'' {
                    // A name token: letters, digits, periods and hyphens, case-insensitive.
                    let token_start = i;
                    while at(i).is_ascii_alphanumeric() || at(i) == b'.' || at(i) == b'-' {
                        i += 1;
                    }
                    if !is_space(at(i)) && at(i) != b'>' {
                        return Err(format!(
                            "Unexpected end of name token at byte offset {token_start}"
                        ));
                    }
                    source[token_start..i].to_ascii_lowercase()
                } else {
                    let quote = at(i);
                    i += 1;
                    let mut value = String::new();
                    while at(i) != quote && at(i) != 0 {
                        if at(i) == b'&'
                            && let Some((code, next)) = decode_reference(text, i)
                        {
                            value.push(char::from_u32(code).unwrap_or('\u{FFFD}'));
                            i = next;
                            continue;
                        }
                        let ch_len = source[i..].chars().next().map_or(1, char::len_utf8);
                        value.push_str(&source[i..i + ch_len]);
                        i += ch_len;
                    }
                    if at(i) == quote {
                        i += 1;
                    }
                    value
                };
                if at(i) == 0 {
                    return Err(format!("Unclosed start tag at byte offset {begin}"));
                }
                match (tag.as_str(), name) {
                    ("a", "href") | ("tg-emoji", "emoji-id") | ("tg-time", "format") => {
                        argument = value;
                    }
                    ("code", "class") if value.starts_with("language-") => {
                        argument = value["language-".len()..].to_owned();
                    }
                    ("span", "class") if value.starts_with("tg-") => {
                        argument = value["tg-".len()..].to_owned();
                    }
                    ("blockquote", "expandable") => argument = "1".into(),
                    ("tg-time", "unix") => unix_time = value.parse().unwrap_or(0),
                    _ => {}
                }
            }
            if tag == "span" && argument != "spoiler" {
                return Err(format!(
                    "Tag \"span\" must have class \"tg-spoiler\" at byte offset {begin}"
                ));
            }
            open.push(Open {
                tag,
                argument,
                unix_time,
                start16: units,
                start: out.len(),
            });
        } else {
            // An end tag.
            let Some(top) = open.pop() else {
                return Err(format!("Unexpected end tag at byte offset {begin}"));
            };
            while !is_space(at(i)) && at(i) != b'>' {
                i += 1;
            }
            let name = source[begin + 2..i].to_ascii_lowercase();
            while is_space(at(i)) && at(i) != 0 {
                i += 1;
            }
            if at(i) != b'>' {
                return Err(format!("Unclosed end tag at byte offset {begin}"));
            }
            if !name.is_empty() && name != top.tag {
                return Err(format!(
                    "Unmatched end tag at byte offset {begin}, expected \"</{}>\", found \"</{name}>\"",
                    top.tag
                ));
            }
            if units > top.start16 {
                close(top, units, &out, &mut entities)?;
            }
        }
        // Past the closing '>'.
        i += 1;
    }
    if let Some(top) = open.last() {
        return Err(format!(
            "Can't find end tag corresponding to start tag \"{}\"",
            top.tag
        ));
    }
    for entity in &mut entities {
        // A language on a code outside pre means nothing.
        if entity.r#type == T::Code {
            entity.language = None;
        }
    }
    sort(&mut entities);
    Ok(Parsed {
        text: out,
        entities,
    })
}

/// Adds the entity of a closed tag (with content) to `entities`.
fn close(
    top: Open,
    units: usize,
    out: &str,
    entities: &mut Vec<MessageEntity>,
) -> Result<(), String> {
    let (offset, length) = (top.start16 as i64, (units - top.start16) as i64);
    let entity = |kind| MessageEntity::new(kind, offset, length);
    let same_range = |e: &MessageEntity| e.offset == offset && e.length == length;
    let new = match top.tag.as_str() {
        "i" | "em" => entity(T::Italic),
        "b" | "strong" => entity(T::Bold),
        "s" | "strike" | "del" => entity(T::Strikethrough),
        "u" | "ins" => entity(T::Underline),
        "tg-spoiler" | "span" => entity(T::Spoiler),
        "tg-emoji" => match top.argument.parse::<i64>() {
            Ok(id) if id != 0 => entity(T::CustomEmoji).custom_emoji_id(id.to_string()),
            _ => return Err("Invalid custom emoji identifier specified".into()),
        },
        "tg-time" => {
            if !links::valid_date_format(&top.argument) {
                return Err("Invalid date format used".into());
            }
            if top.unix_time <= 0 {
                return Ok(());
            }
            let date = entity(T::DateTime).unix_time(top.unix_time);
            match top.argument.as_str() {
                "" => date,
                format => date.date_time_format(format),
            }
        }
        "a" => {
            let url = match top.argument.as_str() {
                "" => out[top.start..].to_owned(),
                url => url.to_owned(),
            };
            if let Some(id) = links::user_id(&url) {
                entity(T::TextMention).user(mention(id))
            } else if let Some(url) = links::checked(&url) {
                entity(T::TextLink).url(url)
            } else {
                return Ok(());
            }
        }
        "pre" => {
            // <pre><code class="language-…"> is a pre block in that language.
            if let Some(last) = entities.last_mut()
                && last.r#type == T::Code
                && same_range(last)
                && last.language.is_some()
            {
                last.r#type = T::Pre;
                return Ok(());
            }
            entity(T::Pre)
        }
        "code" => {
            let language = (!top.argument.is_empty()).then_some(top.argument);
            if let Some(last) = entities.last_mut()
                && last.r#type == T::Pre
                && same_range(last)
                && language.is_some()
            {
                last.language = language.map(Into::into);
                return Ok(());
            }
            let mut code = entity(T::Code);
            code.language = language.map(Into::into);
            code
        }
        "blockquote" if top.argument.is_empty() => entity(T::Blockquote),
        "blockquote" => entity(T::ExpandableBlockquote),
        _ => return Ok(()),
    };
    entities.push(new);
    Ok(())
}

/// The code point of the character reference at `i` (which holds `&`) and the position
/// after it, or `None` when it is not one the Bot API decodes.
fn decode_reference(text: &[u8], i: usize) -> Option<(u32, usize)> {
    let at = |j: usize| text.get(j).copied().unwrap_or(0);
    let mut end = i + 1;
    let code = if at(end) == b'#' {
        end += 1;
        let mut code: u32 = 0;
        let radix = if at(end) == b'x' {
            end += 1;
            16
        } else {
            10
        };
        while let Some(digit) = char::from(at(end)).to_digit(radix) {
            code = code.saturating_mul(radix).saturating_add(digit);
            end += 1;
        }
        if code == 0 || code >= 0x10FFFF || end - i >= 10 {
            return None;
        }
        code
    } else {
        while at(end).is_ascii_alphabetic() {
            end += 1;
        }
        match &text[i + 1..end] {
            b"lt" => u32::from('<'),
            b"gt" => u32::from('>'),
            b"amp" => u32::from('&'),
            b"quot" => u32::from('"'),
            _ => return None,
        }
    };
    if at(end) == b';' {
        end += 1;
    }
    Some((code, end))
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
    fn tags_become_entities_in_utf16_units() {
        let (text, entities) = ok("😀 <b>bold <I>both</I></b> <s>s</s><del>d</del><u>u</u>\
                                   <ins>i</ins><tg-spoiler>p</tg-spoiler><span class=\"tg-spoiler\">q</span>");
        assert_eq!(text, "😀 bold both sduipq");
        assert_eq!(
            entities,
            vec![
                e(T::Bold, 3, 9),
                e(T::Italic, 8, 4),
                e(T::Strikethrough, 13, 1),
                e(T::Strikethrough, 14, 1),
                e(T::Underline, 15, 1),
                e(T::Underline, 16, 1),
                e(T::Spoiler, 17, 1),
                e(T::Spoiler, 18, 1),
            ]
        );
    }

    #[test]
    fn character_references() {
        assert_eq!(
            ok("&lt;&gt;&amp;&quot;&#65;&#x1F600;&nbsp;&#0;").0,
            "<>&\"A😀&nbsp;&#0;"
        );
        assert_eq!(ok("a&lt b&ltc").0, "a< b&ltc");
        assert_eq!(
            parse("&#xD83D;").unwrap_err(),
            "Text contains invalid Unicode characters after decoding HTML entities, check for \
             unmatched surrogate code units"
        );
    }

    #[test]
    fn code_pre_links_emoji_dates_quotes() {
        let (text, entities) = ok(concat!(
            "<pre><code class=\"language-rust\">fn</code></pre><code class=\"language-x\">c</code>",
            "<pre>p</pre><a href=\"https://a.example/?q=&quot;\">l</a><a href='tg://user?id=5'>m</a>",
            "<a href=\"nowhere at all\">n</a><tg-emoji emoji-id=\"42\">👍</tg-emoji>",
            "<tg-time unix=\"100\" format=\"wDT\">t</tg-time><tg-time unix=\"0\">z</tg-time>",
            "<blockquote>q</blockquote><blockquote expandable>x</blockquote>"
        ));
        assert_eq!(text, "fncplmn👍tzqx");
        assert_eq!(
            entities,
            vec![
                e(T::Pre, 0, 2).language("rust"),
                e(T::Code, 2, 1),
                e(T::Pre, 3, 1),
                e(T::TextLink, 4, 1).url("https://a.example/?q=\""),
                e(T::TextMention, 5, 1).user(mention(5)),
                e(T::CustomEmoji, 7, 2).custom_emoji_id("42"),
                e(T::DateTime, 9, 1).unix_time(100).date_time_format("wDT"),
                e(T::Blockquote, 11, 1),
                e(T::ExpandableBlockquote, 12, 1),
            ]
        );
    }

    #[test]
    fn malformed_markup_is_refused_in_the_real_servers_words() {
        let cases = [
            (
                "a <foo>x</foo>",
                "Unsupported start tag \"foo\" at byte offset 2",
            ),
            (
                "<b>x",
                "Can't find end tag corresponding to start tag \"b\"",
            ),
            ("x</b>", "Unexpected end tag at byte offset 1"),
            (
                "<b>x</i>",
                "Unmatched end tag at byte offset 4, expected \"</b>\", found \"</i>\"",
            ),
            ("<b", "Unclosed start tag at byte offset 0"),
            ("<b>x</b", "Unclosed end tag at byte offset 4"),
            ("<a href=\"x", "Unclosed start tag at byte offset 0"),
            ("<a href", "Unclosed start tag \"a\" at byte offset 0"),
            (
                "<b />",
                "Empty attribute name in the tag \"b\" at byte offset 0",
            ),
            (
                "<a href=x/>",
                "Unexpected end of name token at byte offset 8",
            ),
            (
                "<span>x</span>",
                "Tag \"span\" must have class \"tg-spoiler\" at byte offset 0",
            ),
            (
                "<tg-emoji emoji-id=\"abc\">x</tg-emoji>",
                "Invalid custom emoji identifier specified",
            ),
            (
                "<tg-time unix=\"5\" format=\"q\">x</tg-time>",
                "Invalid date format used",
            ),
            ("a\0b", "Text must not contain null bytes"),
        ];
        for (source, expected) in cases {
            assert_eq!(parse(source).unwrap_err(), expected, "{source:?}");
        }
    }

    #[test]
    fn empty_tags_and_end_tags_without_names() {
        let (text, entities) = ok("<b></b>x<i>y</>");
        assert_eq!((text.as_str(), entities), ("xy", vec![e(T::Italic, 1, 1)]));
    }
}
