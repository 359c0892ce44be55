//! `\u` escapes of characters beyond ASCII, rewritten as the characters themselves before
//! the body is parsed.
//!
//! api.telegram.org escapes every character outside ASCII, so chat text in most scripts
//! arrives as runs of `\uXXXX`. A JSON reader decodes each escape on its own and builds any
//! string that holds one in a scratch buffer, which is then copied again into the result.
//! One pass over the body that writes each character in place of its escape costs less,
//! and the strings then borrow straight from the text.
//!
//! Why the rewritten text holds the same JSON value as the original:
//! - Only escapes of characters from U+0080 up are rewritten (a pair of surrogate escapes as
//!   the one character the pair stands for). Such a character is never `"`, `\` or a
//!   control character, so inside a string it means exactly what its escape meant.
//! - A `\u` counts as an escape only after an even number of backslashes (none, or pairs
//!   that each stand for one backslash), as in a JSON string: `\\u00e9` (a backslash, then
//!   the letters) is left alone. In a valid document every backslash is inside a string,
//!   so each escape rewritten was an escape.
//! - Outside a string both a backslash and a byte beyond ASCII are errors, so a body that
//!   was not JSON does not become JSON. The decoder reads the text as sent again whenever
//!   the rewritten one fails, so every error, with its position, is that of the original.
//! - An escape that is not four hex digits, or a surrogate that is not half of a pair, stops
//!   the rewrite: the decoder then reads the text as sent and says what is wrong with it.
//!
//! What it costs a body with nothing to rewrite: one search for a backslash in a short body,
//! one for `\u` in a long one, and nothing more than a look at the first KiB of a long body
//! with raw UTF-8 there (a server that writes raw UTF-8 does not escape).

use std::sync::LazyLock;

use memchr::memmem::Finder;

/// `text` with its escapes of non-ASCII characters rewritten as the characters, or `None`
/// when there is none to rewrite or one stops the rewrite (see the module notes).
pub(super) fn non_ascii(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = String::new();
    let mut rewritten = false;
    // `text[..copied]` is in `out` already; the next backslash is looked for from `at`.
    let mut copied = 0;
    // Most bodies without text beyond ASCII have no `\u` at all: one search says so.
    let mut at = first_escape(bytes)?;
    while let Some(slash) = next_backslash(bytes, at) {
        if bytes.get(slash + 1) != Some(&b'u') {
            // `\n`, `\"`, `\\` and the rest stay as they are, with the byte after them.
            at = slash + 2;
            continue;
        }
        if out.capacity() == 0 {
            // Never longer than the text: six bytes of escape (twelve for a pair) become at
            // most three (four).
            out.reserve_exact(text.len());
        }
        out.push_str(&text[copied..slash]);
        let end = run(bytes, slash, &mut out)?;
        copied = slash;
        if end == slash {
            // An ASCII escape is left in the text, and the search goes on after it.
            at = slash + 6;
        } else {
            rewritten = true;
            copied = end;
            at = end;
        }
    }
    if !rewritten {
        return None;
    }
    out.push_str(&text[copied..]);
    Some(out)
}

/// Where the backslashes before the first `\u` start: the rewrite reads escapes from there,
/// so that in `\\u00e9` the pair of backslashes is seen as one.
fn first_escape(bytes: &[u8]) -> Option<usize> {
    // The substring search is built once; in a short body, looking for backslashes alone is
    // quicker than setting it going.
    static FINDER: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"\\u"));
    let slash = if bytes.len() >= 4096 {
        // Raw UTF-8 near the start means a server that does not escape, so there is next
        // to nothing to rewrite and no need to search the whole body.
        if !bytes[..1024].is_ascii() {
            return None;
        }
        FINDER.find(bytes)?
    } else {
        let mut from = 0;
        loop {
            let slash = from + memchr::memchr(b'\\', &bytes[from..])?;
            if bytes.get(slash + 1) == Some(&b'u') {
                break slash;
            }
            from = slash + 1;
        }
    };
    let before = bytes[..slash]
        .iter()
        .rev()
        .take_while(|&&b| b == b'\\')
        .count();
    Some(slash - before)
}

/// Where the next backslash from `at` is. Words in a script beyond ASCII are runs of escapes
/// a space or two apart, so the next few bytes are looked at before searching.
fn next_backslash(bytes: &[u8], at: usize) -> Option<usize> {
    let near = bytes.get(at..)?;
    match near.iter().take(3).position(|&b| b == b'\\') {
        Some(found) => Some(at + found),
        None => memchr::memchr(b'\\', near).map(|found| at + found),
    }
}

/// Writes the characters of the run of `\u` escapes at `from` into `out`, up to the first
/// escape of an ASCII character (left as written: it may be `"`, `\` or a control) or
/// anything else, and says where it stopped. `None` stops the rewrite.
fn run(bytes: &[u8], from: usize, out: &mut String) -> Option<usize> {
    let mut at = from;
    while let Some(&[b'\\', b'u', a, b, c, d]) = bytes.get(at..at + 6) {
        let unit = hex4([a, b, c, d])?;
        let ch = match unit {
            0..=0x7f => break,
            0xd800..=0xdbff => {
                // A leading surrogate counts only with a trailing one escaped right after it.
                let Some(&[b'\\', b'u', a, b, c, d]) = bytes.get(at + 6..at + 12) else {
                    return None;
                };
                let trail = hex4([a, b, c, d])?;
                if !(0xdc00..=0xdfff).contains(&trail) {
                    return None;
                }
                at += 6;
                char::from_u32(0x10000 + ((unit - 0xd800) << 10) + (trail - 0xdc00))?
            }
            0xdc00..=0xdfff => return None,
            _ => char::from_u32(unit)?,
        };
        out.push(ch);
        at += 6;
    }
    // A `\u` with fewer than four bytes after it ends the text: it is not JSON.
    if at == from && bytes.get(at + 2..at + 6).is_none() {
        return None;
    }
    Some(at)
}

/// The value of each byte as a hex digit, or `0x10` for a byte that is not one.
const HEX: [u8; 256] = {
    let mut table = [0x10; 256];
    let mut digit = 0;
    while digit < 10 {
        table[b'0' as usize + digit] = digit as u8;
        digit += 1;
    }
    let mut letter = 0;
    while letter < 6 {
        table[b'a' as usize + letter] = 10 + letter as u8;
        table[b'A' as usize + letter] = 10 + letter as u8;
        letter += 1;
    }
    table
};

/// Four hex digits as a UTF-16 code unit.
fn hex4(digits: [u8; 4]) -> Option<u32> {
    let [a, b, c, d] = digits.map(|digit| u32::from(HEX[usize::from(digit)]));
    if (a | b | c | d) & 0x10 != 0 {
        return None;
    }
    Some(a << 12 | b << 8 | c << 4 | d)
}

#[cfg(test)]
mod tests {
    use super::non_ascii;
    use proptest::prelude::*;
    use serde_json::Value;

    #[test]
    fn escapes_beyond_ascii_become_characters() {
        assert_eq!(
            non_ascii(r#"{"t":"\u041f\u0440\u0438 \ud83d\ude80!"}"#).as_deref(),
            Some(r#"{"t":"При 🚀!"}"#)
        );
        // Upper-case hex digits, an escape at the very end of the text.
        assert_eq!(non_ascii(r"\u00E9").as_deref(), Some("é"));
    }

    #[test]
    fn a_long_body_with_raw_utf8_near_its_start_is_left_alone() {
        let tail = r#""\u00e9"]"#;
        let ascii = format!("[\"{}\",{tail}", "a".repeat(5000));
        assert_eq!(
            non_ascii(&ascii),
            Some(format!("[\"{}\",\"é\"]", "a".repeat(5000)))
        );
        let raw = format!("[\"é{}\",{tail}", "a".repeat(5000));
        assert_eq!(non_ascii(&raw), None);
        // Raw UTF-8 only after the first KiB does not stop the rewrite.
        let late = format!("[\"{}é\",{tail}", "a".repeat(5000));
        assert!(non_ascii(&late).is_some());
    }

    #[test]
    fn ascii_and_other_escapes_stay() {
        for kept in [
            r#"{"t":"\u0022\u005c\u0000\u0041"}"#,
            r#"{"t":"a\"b\\c\/d\n"}"#,
            r#"{"t":"\\u00e9"}"#,
            "{}",
        ] {
            assert_eq!(non_ascii(kept), None, "{kept}");
        }
        // Kept escapes next to rewritten ones.
        assert_eq!(
            non_ascii(r#"["\\u00e9\u00e9\n\u0022"]"#).as_deref(),
            Some(r#"["\\u00e9é\n\u0022"]"#)
        );
    }

    #[test]
    fn a_broken_escape_or_lone_surrogate_stops_the_rewrite() {
        for stopped in [
            r#"["\u00e9\ud83d"]"#,
            r#"["\u00e9\ud83d\u0041"]"#,
            r#"["\u00e9\ud83dx"]"#,
            r#"["\u00e9\ude80"]"#,
            r#"["\u00e9\u00g9"]"#,
            r#"["\u00e9\u00e"#,
        ] {
            assert_eq!(non_ascii(stopped), None, "{stopped}");
        }
    }

    /// Pieces of a JSON string's content, each valid there.
    fn content() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "\\\\",
            "\\\"",
            "\\n",
            "\\/",
            "\\u0041",
            "\\u00e9",
            "\\u00E9",
            "\\u041f",
            "\\ud83d\\ude80",
            "\\uffff",
            "\\u0022",
            "\\u005c",
            "\\u0000",
            "é",
            "a",
            "u00e9",
            " ",
        ])
    }

    /// Pieces of JSON text that break a string or are not valid anywhere.
    fn breaker() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "\"",
            "\\",
            "\\ud83d",
            "\\ude80",
            "\\u00",
            "\\uzzzz",
            "1",
            ",",
            ":",
            "{",
            "}",
            "[",
            "]",
            "true",
            "null",
            "{\"k\":\"",
            "\"}",
            "[\"",
            "\"]",
            "\u{1}",
        ])
    }

    /// Texts made of those pieces, most of them inside a JSON string so that they often
    /// read as JSON; half of them after enough whitespace to take the long body's search.
    fn text() -> impl Strategy<Value = String> {
        let piece = prop_oneof![12 => content(), 1 => breaker()];
        (
            any::<bool>(),
            any::<bool>(),
            prop::collection::vec(piece, 0..16),
        )
            .prop_map(|(bare, long, pieces)| {
                let pad = if long {
                    " ".repeat(4096)
                } else {
                    String::new()
                };
                if bare {
                    format!("{pad}{}", pieces.concat())
                } else {
                    format!("{pad}[\"{}\"]", pieces.concat())
                }
            })
    }

    /// The texts above are worth testing with: many of them are rewritten and then read.
    #[test]
    fn the_generated_texts_are_often_rewritten_and_read() {
        let read = crate::decode::count_drawn(text(), 1000, |text| {
            non_ascii(text).is_some_and(|r| serde_json::from_str::<Value>(&r).is_ok())
        });
        assert!(read > 100, "{read} of 1000");
    }

    proptest! {
        /// Whatever the text, valid or not: when the rewritten text is JSON, the original is
        /// the same JSON value. A rewrite is only ever taken when it reads.
        #[test]
        fn a_rewrite_reads_as_the_original(text in text()) {
            prop_assert!(crate::decode::unescape_agrees(text.as_bytes()), "{}", text);
        }

        /// Any JSON string, written with every character beyond ASCII escaped the way
        /// api.telegram.org writes it, reads back the same after the rewrite.
        #[test]
        fn escaped_strings_survive(value in "\\PC*") {
            let mut text = String::from("[\"");
            for ch in value.chars() {
                match ch {
                    '"' => text.push_str("\\\""),
                    '\\' => text.push_str("\\\\"),
                    c if (c as u32) < 0x20 => text.push_str(&format!("\\u{:04x}", c as u32)),
                    c if c.is_ascii() => text.push(c),
                    c => {
                        let mut units = [0; 2];
                        for unit in c.encode_utf16(&mut units) {
                            text.push_str(&format!("\\u{unit:04x}"));
                        }
                    }
                }
            }
            text.push_str("\"]");
            let read = |text: &str| serde_json::from_str::<Vec<String>>(text).unwrap();
            let rewritten = non_ascii(&text).unwrap_or_else(|| text.clone());
            prop_assert_eq!(read(&rewritten), vec![value]);
        }
    }
}
