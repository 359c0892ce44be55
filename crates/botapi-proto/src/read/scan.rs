//! The lexical part of the reader: whitespace, literals, strings, numbers and skipping a
//! value. Each accepts exactly what serde_json accepts, so that a body reads the same
//! whichever of the two reads it.

use super::Reader;
use super::error::{ReadError, ReadErrorKind as Kind};
use crate::types::wire::without_position;

/// A string as read: borrowed from the text, or unescaped into the reader's scratch space.
pub(super) enum Text<'de, 's> {
    Borrowed(&'de str),
    Copied(&'s str),
}

/// A number as serde_json hands it to a visitor.
pub(super) enum Number {
    U64(u64),
    I64(i64),
    F64(f64),
}

/// The shape of a number token, checked against the JSON grammar.
struct Token {
    negative: bool,
    /// The integer's digits, when they fit a `u64` and nothing follows them.
    integer: Option<u64>,
}

const EOF_VALUE: &str = "EOF while parsing a value";
const EOF_STRING: &str = "EOF while parsing a string";

/// The index of the first `"`, `\` or control character at or after `i` (or the length).
/// Eight bytes at a time, as serde_json does: the lowest flagged byte is always a real one.
#[inline]
fn find_special(bytes: &[u8], mut i: usize) -> usize {
    const ONES: u64 = u64::MAX / 255;
    const HIGH: u64 = ONES << 7;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let mut word = [0; 8];
        word.copy_from_slice(chunk);
        let word = u64::from_le_bytes(word);
        let control = word.wrapping_sub(ONES * 0x20) & !word;
        let quote = word ^ (ONES * u64::from(b'"'));
        let quote = quote.wrapping_sub(ONES) & !quote;
        let backslash = word ^ (ONES * u64::from(b'\\'));
        let backslash = backslash.wrapping_sub(ONES) & !backslash;
        let found = (control | quote | backslash) & HIGH;
        if found != 0 {
            return i + (found.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while let Some(&b) = bytes.get(i) {
        if b == b'"' || b == b'\\' || b < 0x20 {
            return i;
        }
        i += 1;
    }
    i
}

fn hex_value(b: u8) -> Option<u16> {
    match b {
        b'0'..=b'9' => Some(u16::from(b - b'0')),
        b'a'..=b'f' => Some(u16::from(b - b'a' + 10)),
        b'A'..=b'F' => Some(u16::from(b - b'A' + 10)),
        _ => None,
    }
}

impl<'de> Reader<'de> {
    fn bytes(&self) -> &'de [u8] {
        self.text.as_bytes()
    }

    /// An error at the index.
    #[cold]
    #[inline(never)]
    pub(super) fn error(&self, kind: Kind, message: &str) -> ReadError {
        if let Some(poison) = self.poisoned() {
            return poison;
        }
        ReadError::new(kind, self.index, message)
    }

    /// An error about the byte at the index (placed just after it, as serde_json does).
    #[cold]
    #[inline(never)]
    pub(super) fn peek_error(&self, kind: Kind, message: &str) -> ReadError {
        if let Some(poison) = self.poisoned() {
            return poison;
        }
        ReadError::new(kind, (self.index + 1).min(self.text.len()), message)
    }

    fn poisoned(&self) -> Option<ReadError> {
        let (kind, at, message) = self.poison?;
        Some(ReadError::new(kind, at, message))
    }

    #[cold]
    #[inline(never)]
    pub(super) fn eof(&self) -> ReadError {
        self.peek_error(Kind::Eof, EOF_VALUE)
    }

    /// Skips whitespace and returns the next byte, if any, without taking it.
    #[inline]
    pub(super) fn peek(&mut self) -> Option<u8> {
        // Every whitespace byte is at most a space: one test for the usual case.
        match self.bytes().get(self.index) {
            Some(&b) if b > b' ' => Some(b),
            _ => self.peek_past_whitespace(),
        }
    }

    fn peek_past_whitespace(&mut self) -> Option<u8> {
        let bytes = self.bytes();
        while let Some(&b) = bytes.get(self.index) {
            match b {
                b' ' | b'\n' | b'\t' | b'\r' => self.index += 1,
                _ => return Some(b),
            }
        }
        None
    }

    pub(super) fn eat(&mut self) {
        self.index += 1;
    }

    /// Takes `byte` if it is the one at the index, with no whitespace before it: the fast
    /// path of the reads whose slow path is out of line.
    #[inline(always)]
    pub(super) fn take(&mut self, byte: u8) -> bool {
        if self.bytes().get(self.index) == Some(&byte) {
            self.eat();
            return true;
        }
        false
    }

    /// Reads `null`, `true` or `false`, whose first byte is at the index.
    #[inline]
    pub(super) fn literal(&mut self, word: &'static [u8]) -> Result<(), ReadError> {
        // The words are four or five bytes: compare the first four as one word.
        let bytes = self.bytes();
        let head = |b: &[u8]| u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        let end = self.index + word.len();
        if let Some(found) = bytes.get(self.index..end)
            && head(found) == head(word)
            && found[4..] == word[4..]
        {
            self.index = end;
            return Ok(());
        }
        self.literal_error(word)
    }

    /// Places the error where the text first differs from `word`, or where it ends.
    #[cold]
    fn literal_error(&mut self, word: &'static [u8]) -> Result<(), ReadError> {
        let bytes = self.bytes();
        self.index += 1;
        for &expected in &word[1..] {
            match bytes.get(self.index) {
                None => return Err(self.error(Kind::Eof, EOF_VALUE)),
                Some(&b) => {
                    self.index += 1;
                    if b != expected {
                        return Err(self.error(Kind::Syntax, "expected ident"));
                    }
                }
            }
        }
        Ok(())
    }

    /// Reads a string whose opening quote is at the index.
    #[inline]
    pub(super) fn string(&mut self) -> Result<Text<'de, '_>, ReadError> {
        self.index += 1;
        let start = self.index;
        let end = find_special(self.bytes(), start);
        if self.bytes().get(end) == Some(&b'"') {
            self.index = end + 1;
            // Both ends sit next to a quote, so they are character boundaries.
            return Ok(Text::Borrowed(&self.text[start..end]));
        }
        self.index = end;
        self.string_with_escapes(start)
    }

    /// The rest of a string that holds an escape (or is not closed), unescaped into scratch.
    #[cold]
    fn string_with_escapes(&mut self, start: usize) -> Result<Text<'de, '_>, ReadError> {
        self.scratch.clear();
        let bytes = self.bytes();
        let mut piece = start;
        loop {
            let i = find_special(bytes, self.index);
            match bytes.get(i) {
                None => {
                    self.index = i;
                    return Err(self.error(Kind::Eof, EOF_STRING));
                }
                Some(b'"') => {
                    self.scratch.extend_from_slice(&bytes[piece..i]);
                    self.index = i + 1;
                    break;
                }
                Some(b'\\') => {
                    self.scratch.extend_from_slice(&bytes[piece..i]);
                    self.index = i + 1;
                    self.escape()?;
                    piece = self.index;
                }
                Some(_) => {
                    self.index = i + 1;
                    return Err(self.error(
                        Kind::Syntax,
                        "control character (\\u0000-\\u001F) found while parsing a string",
                    ));
                }
            }
        }
        // Pieces of valid text cut next to ASCII bytes, and whole characters: valid UTF-8.
        match std::str::from_utf8(&self.scratch) {
            Ok(text) => Ok(Text::Copied(text)),
            Err(_) => Err(self.error(Kind::Syntax, "invalid unicode code point")),
        }
    }

    /// One escape, the backslash already read, appended to scratch.
    fn escape(&mut self) -> Result<(), ReadError> {
        let Some(&c) = self.bytes().get(self.index) else {
            return Err(self.error(Kind::Eof, EOF_STRING));
        };
        self.index += 1;
        let byte = match c {
            b'"' => b'"',
            b'\\' => b'\\',
            b'/' => b'/',
            b'b' => 0x08,
            b'f' => 0x0c,
            b'n' => b'\n',
            b'r' => b'\r',
            b't' => b'\t',
            b'u' => return self.unicode_escape(),
            _ => return Err(self.error(Kind::Syntax, "invalid escape")),
        };
        self.scratch.push(byte);
        Ok(())
    }

    /// Four hex digits.
    fn hex4(&mut self) -> Result<u16, ReadError> {
        let bytes = self.bytes();
        let mut n = 0;
        for _ in 0..4 {
            let Some(&digit) = bytes.get(self.index) else {
                return Err(self.error(Kind::Eof, EOF_STRING));
            };
            self.index += 1;
            let Some(value) = hex_value(digit) else {
                return Err(self.error(Kind::Syntax, "invalid escape"));
            };
            n = n * 16 + value;
        }
        Ok(n)
    }

    /// `\u` and its digits (and a second escape for a surrogate pair), as UTF-8 in scratch.
    /// A surrogate must be paired, as serde_json requires of text.
    fn unicode_escape(&mut self) -> Result<(), ReadError> {
        const LONE: &str = "lone leading surrogate in hex escape";
        let first = self.hex4()?;
        let code = match first {
            0xDC00..=0xDFFF => return Err(self.error(Kind::Syntax, LONE)),
            0xD800..=0xDBFF => {
                let bytes = self.bytes();
                match bytes.get(self.index..self.index + 2) {
                    Some(b"\\u") => self.index += 2,
                    Some(_) => {
                        self.index += 1;
                        return Err(self.error(Kind::Syntax, "unexpected end of hex escape"));
                    }
                    None => {
                        self.index = bytes.len();
                        return Err(self.error(Kind::Eof, EOF_STRING));
                    }
                }
                let second = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return Err(self.error(Kind::Syntax, LONE));
                }
                ((u32::from(first - 0xD800) << 10) | u32::from(second - 0xDC00)) + 0x1_0000
            }
            _ => u32::from(first),
        };
        let Some(c) = char::from_u32(code) else {
            return Err(self.error(Kind::Syntax, "invalid unicode code point"));
        };
        let mut utf8 = [0; 4];
        self.scratch
            .extend_from_slice(c.encode_utf8(&mut utf8).as_bytes());
        Ok(())
    }

    /// Checks a number token (its first byte, `-` or a digit, at the index) and moves past it.
    fn number_token(&mut self) -> Result<Token, ReadError> {
        let bytes = self.bytes();
        let negative = bytes.get(self.index) == Some(&b'-');
        let mut i = self.index + usize::from(negative);
        let digit = |i: usize| matches!(bytes.get(i), Some(b'0'..=b'9'));
        let mut integer = Some(0u64);
        match bytes.get(i) {
            Some(b'0') => {
                i += 1;
                if digit(i) {
                    self.index = i;
                    return Err(self.peek_error(Kind::Syntax, "invalid number"));
                }
            }
            Some(b'1'..=b'9') => {
                let first = i;
                let mut n = 0u64;
                while let Some(&d) = bytes.get(i).filter(|d| d.is_ascii_digit()) {
                    n = n.wrapping_mul(10).wrapping_add(u64::from(d - b'0'));
                    i += 1;
                }
                // Nineteen digits always fit; longer ones are counted again with care.
                integer = if i - first <= 19 {
                    Some(n)
                } else {
                    bytes[first..i].iter().try_fold(0u64, |n, &d| {
                        n.checked_mul(10)?.checked_add(u64::from(d - b'0'))
                    })
                };
            }
            Some(_) => {
                self.index = i + 1;
                return Err(self.error(Kind::Syntax, "invalid number"));
            }
            None => {
                self.index = i;
                return Err(self.error(Kind::Eof, EOF_VALUE));
            }
        }
        let part = |i: &mut usize, sign: bool| {
            *i += 1;
            if sign && matches!(bytes.get(*i), Some(b'+' | b'-')) {
                *i += 1;
            }
            if !digit(*i) {
                return false;
            }
            while digit(*i) {
                *i += 1;
            }
            true
        };
        if bytes.get(i) == Some(&b'.') {
            integer = None;
            if !part(&mut i, false) {
                self.index = i;
                return Err(self.number_end_error());
            }
        }
        if matches!(bytes.get(i), Some(b'e' | b'E')) {
            integer = None;
            if !part(&mut i, true) {
                self.index = i;
                return Err(self.number_end_error());
            }
        }
        self.index = i;
        Ok(Token { negative, integer })
    }

    fn number_end_error(&self) -> ReadError {
        if self.index >= self.text.len() {
            self.error(Kind::Eof, EOF_VALUE)
        } else {
            self.peek_error(Kind::Syntax, "invalid number")
        }
    }

    /// Reads a number (its first byte, `-` or a digit, at the index) into what serde_json
    /// would give: a `u64`, a negative `i64`, else an `f64`.
    pub(super) fn number(&mut self) -> Result<Number, ReadError> {
        let start = self.index;
        let token = self.number_token()?;
        match token {
            Token {
                negative: false,
                integer: Some(n),
            } => Ok(Number::U64(n)),
            Token {
                negative: true,
                integer: Some(n),
            } => {
                // `-0` and anything below `i64::MIN` are floats, as in serde_json.
                let negated = (n as i64).wrapping_neg();
                Ok(if negated >= 0 {
                    Number::F64(-(n as f64))
                } else {
                    Number::I64(negated)
                })
            }
            // Floats and integers too long for 64 bits are rare: serde_json reads the token,
            // so that the value is bit for bit the one it would give.
            Token { integer: None, .. } => {
                match serde_json::from_str::<f64>(&self.text[start..self.index]) {
                    Ok(f) => Ok(Number::F64(f)),
                    Err(e) => Err(self.error(Kind::Syntax, &without_position(&e))),
                }
            }
        }
    }

    /// The text of a number token, for the 128-bit integers.
    pub(super) fn number_text(&mut self) -> Result<&'de str, ReadError> {
        let start = self.index;
        self.number_token()?;
        Ok(&self.text[start..self.index])
    }

    /// Skips one value, checking it as serde_json checks a value it ignores: escapes are not
    /// decoded and numbers are not converted. Iterative, so depth cannot exhaust the stack.
    pub(super) fn skip(&mut self) -> Result<(), ReadError> {
        let mut open = std::mem::take(&mut self.open);
        open.clear();
        let skipped = self.skip_with(&mut open);
        self.open = open;
        skipped
    }

    fn skip_with(&mut self, open: &mut Vec<u8>) -> Result<(), ReadError> {
        loop {
            match self.peek() {
                None => return Err(self.eof()),
                Some(b'n') => self.literal(b"null")?,
                Some(b't') => self.literal(b"true")?,
                Some(b'f') => self.literal(b"false")?,
                Some(b'-' | b'0'..=b'9') => {
                    self.number_token()?;
                }
                Some(b'"') => self.skip_string()?,
                Some(b'[') => {
                    self.eat();
                    match self.peek() {
                        Some(b']') => self.eat(),
                        _ => {
                            open.push(b']');
                            continue;
                        }
                    }
                }
                Some(b'{') => {
                    self.eat();
                    match self.peek() {
                        Some(b'}') => self.eat(),
                        _ => {
                            self.skip_key()?;
                            open.push(b'}');
                            continue;
                        }
                    }
                }
                Some(_) => return Err(self.peek_error(Kind::Syntax, "expected value")),
            }
            // After a value: close what ends here, or go on to the next entry.
            loop {
                let Some(&close) = open.last() else {
                    return Ok(());
                };
                match self.peek() {
                    Some(b',') => {
                        self.eat();
                        if close == b'}' {
                            self.skip_key()?;
                        } else if self.peek() == Some(b']') {
                            return Err(self.peek_error(Kind::Syntax, "trailing comma"));
                        }
                        break;
                    }
                    Some(b) if b == close => {
                        self.eat();
                        open.pop();
                    }
                    Some(_) if close == b'}' => {
                        return Err(self.peek_error(Kind::Syntax, "expected `,` or `}`"));
                    }
                    Some(_) => {
                        return Err(self.peek_error(Kind::Syntax, "expected `,` or `]`"));
                    }
                    None => return Err(self.eof()),
                }
            }
        }
    }

    /// An object key and its colon, inside a skipped value.
    fn skip_key(&mut self) -> Result<(), ReadError> {
        match self.peek() {
            Some(b'"') => self.skip_string()?,
            Some(b'}') => return Err(self.peek_error(Kind::Syntax, "trailing comma")),
            Some(_) => return Err(self.peek_error(Kind::Syntax, "key must be a string")),
            None => return Err(self.eof()),
        }
        self.colon()
    }

    /// The `:` between a key and its value.
    #[inline]
    pub(super) fn colon(&mut self) -> Result<(), ReadError> {
        if self.take(b':') {
            return Ok(());
        }
        self.colon_after_whitespace()
    }

    /// Takes the `:` after an object's key, past whitespace. If it is not there, the error
    /// is not returned here but by whatever reads next: serde_json raises it when the value
    /// is read, after the visitor has had the key (and maybe refused it as a repeat).
    /// Checking a flag before each value instead cost a test and a branch at every field of
    /// every generated `fill`. So the reader keeps the error and ends its text here: every
    /// read from now on meets the end, and every error it raises is the one kept.
    #[cold]
    #[inline(never)]
    pub(super) fn colon_or_poison(&mut self) {
        let (kind, message) = match self.peek() {
            Some(b':') => {
                self.eat();
                return;
            }
            Some(_) => (Kind::Syntax, "expected `:`"),
            None => (Kind::Eof, "EOF while parsing an object"),
        };
        self.poison = Some((kind, (self.index + 1).min(self.text.len()), message));
        self.text = self.text.get(..self.index).unwrap_or_default();
    }

    // Out of line: inlined, the whitespace loop and both errors were copied into every
    // key of every skipped object.
    #[cold]
    #[inline(never)]
    pub(super) fn colon_after_whitespace(&mut self) -> Result<(), ReadError> {
        match self.peek() {
            Some(b':') => {
                self.eat();
                Ok(())
            }
            Some(_) => Err(self.peek_error(Kind::Syntax, "expected `:`")),
            None => Err(self.peek_error(Kind::Eof, "EOF while parsing an object")),
        }
    }

    /// A string inside a skipped value: escapes are checked, not decoded.
    fn skip_string(&mut self) -> Result<(), ReadError> {
        let bytes = self.bytes();
        self.index += 1;
        loop {
            let i = find_special(bytes, self.index);
            self.index = i + 1;
            match bytes.get(i) {
                Some(b'"') => return Ok(()),
                Some(b'\\') => match bytes.get(self.index) {
                    Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => {
                        self.index += 1;
                    }
                    Some(b'u') => {
                        self.index += 1;
                        self.hex4()?;
                    }
                    Some(_) => {
                        self.index += 1;
                        return Err(self.error(Kind::Syntax, "invalid escape"));
                    }
                    None => return Err(self.error(Kind::Eof, EOF_STRING)),
                },
                Some(_) => {
                    return Err(self.error(
                        Kind::Syntax,
                        "control character (\\u0000-\\u001F) found while parsing a string",
                    ));
                }
                None => {
                    self.index = i;
                    return Err(self.error(Kind::Eof, EOF_STRING));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specials_are_found_at_every_offset() {
        for special in [b'"', b'\\', 0x00, 0x1f] {
            for len in 0..20 {
                for at in 0..len {
                    let mut text = vec![b'a'; len];
                    text[at] = special;
                    assert_eq!(find_special(&text, 0), at, "{special} at {at} of {len}");
                }
                assert_eq!(find_special(&vec![b'a'; len], 0), len);
            }
        }
        // Bytes above ASCII and DEL are not special.
        assert_eq!(find_special("ж\u{7f}é€x\"".as_bytes(), 0), 9);
    }
}
