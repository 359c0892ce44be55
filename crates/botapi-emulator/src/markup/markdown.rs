//! `parse_mode` `Markdown`, the legacy format, read the way the Bot API reads it: `*bold*`,
//! `_italic_`, `` `code` ``, ```` ```pre``` ````, `[text](url)`, no nesting, and `\` escapes
//! only `_ * ` [`.

use botapi_proto::types::{MessageEntity, MessageEntityType as T};

use super::{Parsed, links, mention, utf16_units};

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n' | 0 | 0x0B)
}

pub(super) fn parse(source: &str) -> Result<Parsed, String> {
    let text = source.as_bytes();
    let at = |i: usize| text.get(i).copied().unwrap_or(0);
    let mut out: Vec<u8> = Vec::with_capacity(text.len());
    let mut units = 0;
    let mut entities = Vec::new();
    let mut i = 0;
    while i < text.len() {
        let c = text[i];
        if c == b'\\' && matches!(at(i + 1), b'_' | b'*' | b'`' | b'[') {
            out.push(text[i + 1]);
            units += 1;
            i += 2;
            continue;
        }
        if !matches!(c, b'_' | b'*' | b'`' | b'[') {
            if c & 0xC0 != 0x80 {
                units += 1 + usize::from(c >= 0xF0);
            }
            out.push(c);
            i += 1;
            continue;
        }
        let begin = i;
        let end_char = if c == b'[' { b']' } else { c };
        i += 1;
        let mut language = String::new();
        let mut is_pre = false;
        if c == b'`' && at(i) == b'`' && at(i + 1) == b'`' {
            i += 2;
            is_pre = true;
            let mut language_end = i;
            while !is_space(at(language_end)) && at(language_end) != b'`' {
                language_end += 1;
            }
            if i != language_end && language_end < text.len() && at(language_end) != b'`' {
                language = source[i..language_end].to_owned();
                i = language_end;
            }
            if matches!(at(i), b'\n' | b'\r') {
                let pair = matches!(at(i + 1), b'\n' | b'\r') && at(i) != at(i + 1);
                i += if pair { 2 } else { 1 };
            }
        }
        let start16 = units;
        let start = out.len();
        while i < text.len()
            && (text[i] != end_char || (is_pre && !(at(i + 1) == b'`' && at(i + 2) == b'`')))
        {
            if text[i] & 0xC0 != 0x80 {
                units += 1 + usize::from(text[i] >= 0xF0);
            }
            out.push(text[i]);
            i += 1;
        }
        if i == text.len() {
            return Err(format!(
                "Can't find end of the entity starting at byte offset {begin}"
            ));
        }
        if units != start16 {
            let (offset, length) = (start16 as i64, (units - start16) as i64);
            let entity = |kind| MessageEntity::new(kind, offset, length);
            let new = match c {
                b'_' => Some(entity(T::Italic)),
                b'*' => Some(entity(T::Bold)),
                b'[' => {
                    let url = if at(i + 1) != b'(' {
                        String::from_utf8_lossy(&out[start..]).into_owned()
                    } else {
                        i += 2;
                        let from = i;
                        while i < text.len() && text[i] != b')' {
                            i += 1;
                        }
                        String::from_utf8_lossy(&text[from..i]).into_owned()
                    };
                    match links::user_id(&url) {
                        Some(id) => Some(entity(T::TextMention).user(mention(id))),
                        None => links::checked(&url).map(|url| entity(T::TextLink).url(url)),
                    }
                }
                _ if is_pre && language.is_empty() => Some(entity(T::Pre)),
                _ if is_pre => Some(entity(T::Pre).language(language)),
                _ => Some(entity(T::Code)),
            };
            entities.extend(new);
        }
        if is_pre {
            i += 2;
        }
        i += 1;
    }
    let text =
        String::from_utf8(out).map_err(|_| String::from("Strings must be encoded in UTF-8"))?;
    debug_assert_eq!(utf16_units(&text), units);
    Ok(Parsed { text, entities })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_legacy_format() {
        let parsed = parse("*b* _i_ `c` \\_ [l](https://a.example/) ```py\nx=1```").unwrap();
        assert_eq!(parsed.text, "b i c _ l x=1");
        let kinds: Vec<_> = parsed
            .entities
            .iter()
            .map(|e| (e.r#type.as_str(), e.offset, e.length))
            .collect();
        assert_eq!(
            kinds,
            [
                ("bold", 0, 1),
                ("italic", 2, 1),
                ("code", 4, 1),
                ("text_link", 8, 1),
                ("pre", 10, 3)
            ]
        );
        assert_eq!(parsed.entities[4].language.as_deref(), Some("py"));
        assert_eq!(
            parse("a *b").unwrap_err(),
            "Can't find end of the entity starting at byte offset 2"
        );
    }
}
