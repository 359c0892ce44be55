//! The JSON body of a generated method, written without going through serde.
//!
//! The output is byte for byte what `serde_json::to_vec` makes of the same value (the tests
//! compare the two over every method). It is cheaper because the generator knows the fields:
//! each key is a constant spelled out in the generated code, so it is copied instead of being
//! escaped byte by byte; an absent optional field costs one test; and strings are scanned
//! for what needs escaping eight bytes at a time. Floats (serde_json's shortest spelling),
//! files (whose `Serialize` is where an upload that reaches JSON is noticed) and values this
//! library does not know go through their `Serialize`, into the same buffer.

use serde::Serialize;

use crate::SmallString;
use crate::types::ChatId;

/// A value the generated code can write as JSON directly.
pub(crate) trait WriteJson {
    fn write_json(&self, out: &mut Vec<u8>) -> serde_json::Result<()>;
}

/// Writes `value` through its `Serialize`, as serde_json would.
pub(crate) fn through_serde<T: Serialize + ?Sized>(
    value: &T,
    out: &mut Vec<u8>,
) -> serde_json::Result<()> {
    serde_json::to_writer(out, value)
}

/// An object being written. Every field is written with a comma before its key; closing
/// the object turns the first comma into the opening brace, so no field has to ask whether
/// it is the first. A failure of a value written through `Serialize` is kept and returned
/// by [`Object::close`], which keeps the generated code to one call per field.
pub(crate) struct Object<'a> {
    out: &'a mut Vec<u8>,
    start: usize,
    error: Option<serde_json::Error>,
}

impl<'a> Object<'a> {
    #[inline]
    pub(crate) fn open(out: &'a mut Vec<u8>) -> Self {
        let start = out.len();
        Object {
            out,
            start,
            error: None,
        }
    }

    #[inline]
    fn keep(&mut self, result: serde_json::Result<()>) {
        if let Err(e) = result {
            self.error.get_or_insert(e);
        }
    }

    /// `key` is `,"name":`, spelled out by the generator.
    #[inline]
    pub(crate) fn field<T: WriteJson + ?Sized>(&mut self, key: &'static str, value: &T) {
        self.out.extend_from_slice(key.as_bytes());
        let result = value.write_json(self.out);
        self.keep(result);
    }

    /// An optional field, written only when it is set.
    #[inline]
    pub(crate) fn optional<T: WriteJson>(&mut self, key: &'static str, value: &Option<T>) {
        if let Some(value) = value {
            self.field(key, value);
        }
    }

    /// A field whose value goes through its `Serialize`.
    #[inline]
    pub(crate) fn serde_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        self.out.extend_from_slice(key.as_bytes());
        let result = through_serde(value, self.out);
        self.keep(result);
    }

    /// An optional field that goes through its `Serialize`.
    #[inline]
    pub(crate) fn serde_optional<T: Serialize>(&mut self, key: &'static str, value: &Option<T>) {
        if let Some(value) = value {
            self.serde_field(key, value);
        }
    }

    /// A constant member, such as a union tag: `,"type":"photo"`.
    #[inline]
    pub(crate) fn constant(&mut self, member: &'static str) {
        self.out.extend_from_slice(member.as_bytes());
    }

    #[inline]
    pub(crate) fn close(self) -> serde_json::Result<()> {
        if self.out.len() == self.start {
            self.out.extend_from_slice(b"{}");
        } else {
            self.out[self.start] = b'{';
            self.out.push(b'}');
        }
        match self.error {
            None => Ok(()),
            Some(e) => Err(e),
        }
    }
}

impl<T: WriteJson + ?Sized> WriteJson for Box<T> {
    #[inline]
    fn write_json(&self, out: &mut Vec<u8>) -> serde_json::Result<()> {
        (**self).write_json(out)
    }
}

impl<T: WriteJson> WriteJson for [T] {
    fn write_json(&self, out: &mut Vec<u8>) -> serde_json::Result<()> {
        out.push(b'[');
        let mut items = self.iter();
        if let Some(first) = items.next() {
            first.write_json(out)?;
            for item in items {
                out.push(b',');
                item.write_json(out)?;
            }
        }
        out.push(b']');
        Ok(())
    }
}

impl<T: WriteJson> WriteJson for Vec<T> {
    #[inline]
    fn write_json(&self, out: &mut Vec<u8>) -> serde_json::Result<()> {
        self.as_slice().write_json(out)
    }
}

impl WriteJson for bool {
    #[inline]
    fn write_json(&self, out: &mut Vec<u8>) -> serde_json::Result<()> {
        out.extend_from_slice(if *self { b"true" } else { b"false" });
        Ok(())
    }
}

impl WriteJson for i64 {
    #[inline]
    fn write_json(&self, out: &mut Vec<u8>) -> serde_json::Result<()> {
        out.extend_from_slice(itoa::Buffer::new().format(*self).as_bytes());
        Ok(())
    }
}

impl WriteJson for str {
    #[inline]
    fn write_json(&self, out: &mut Vec<u8>) -> serde_json::Result<()> {
        write_str(self, out);
        Ok(())
    }
}

impl WriteJson for String {
    #[inline]
    fn write_json(&self, out: &mut Vec<u8>) -> serde_json::Result<()> {
        write_str(self, out);
        Ok(())
    }
}

impl WriteJson for SmallString {
    #[inline]
    fn write_json(&self, out: &mut Vec<u8>) -> serde_json::Result<()> {
        write_str(self, out);
        Ok(())
    }
}

impl WriteJson for ChatId {
    #[inline]
    fn write_json(&self, out: &mut Vec<u8>) -> serde_json::Result<()> {
        match self {
            ChatId::Id(id) => id.write_json(out),
            ChatId::Username(name) => name.write_json(out),
        }
    }
}

impl WriteJson for serde_json::Value {
    #[inline]
    fn write_json(&self, out: &mut Vec<u8>) -> serde_json::Result<()> {
        through_serde(self, out)
    }
}

/// Eight copies of a byte.
const fn splat(byte: u8) -> u64 {
    u64::from_ne_bytes([byte; 8])
}

/// The bytes of `chunk` that a JSON string must escape (`"`, `\` and control characters),
/// as the high bit of each byte. The lowest set bit is exact; bits above it may be set for
/// bytes that need nothing, which is all the caller uses.
#[inline]
fn escapes_in(chunk: u64) -> u64 {
    const ONES: u64 = splat(0x01);
    const HIGH: u64 = splat(0x80);
    let control = chunk.wrapping_sub(splat(0x20)) & !chunk;
    let quote = chunk ^ splat(b'"');
    let quote = quote.wrapping_sub(ONES) & !quote;
    let backslash = chunk ^ splat(b'\\');
    let backslash = backslash.wrapping_sub(ONES) & !backslash;
    (control | quote | backslash) & HIGH
}

#[inline]
fn must_escape(byte: u8) -> bool {
    byte < 0x20 || byte == b'"' || byte == b'\\'
}

/// The index of the first byte from `from` on that must be escaped.
#[inline]
fn next_escape(bytes: &[u8], mut from: usize) -> Option<usize> {
    while let Some(chunk) = bytes.get(from..from + 8) {
        let mut word = [0; 8];
        word.copy_from_slice(chunk);
        let found = escapes_in(u64::from_le_bytes(word));
        if found != 0 {
            return Some(from + (found.trailing_zeros() / 8) as usize);
        }
        from += 8;
    }
    bytes[from..]
        .iter()
        .position(|&b| must_escape(b))
        .map(|at| from + at)
}

/// Writes `text` as a JSON string, escaped exactly as serde_json escapes it: the short forms
/// for `"`, `\`, backspace, form feed, newline, carriage return and tab, `\u00XX` in lower
/// case for the other control characters, and everything else as it is.
pub(crate) fn write_str(text: &str, out: &mut Vec<u8>) {
    let bytes = text.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let mut written = 0;
    let mut from = 0;
    while let Some(at) = next_escape(bytes, from) {
        out.extend_from_slice(&bytes[written..at]);
        let byte = bytes[at];
        match byte {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x0C => out.extend_from_slice(b"\\f"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(b"\\u00");
                out.push(HEX[usize::from(byte >> 4)]);
                out.push(HEX[usize::from(byte & 0x0F)]);
            }
        }
        written = at + 1;
        from = written;
    }
    out.extend_from_slice(&bytes[written..]);
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(text: &str) -> String {
        let mut out = Vec::new();
        write_str(text, &mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn every_ascii_character_is_escaped_as_serde_json_escapes_it() {
        for byte in 0u8..=0x7F {
            let text = (byte as char).to_string();
            assert_eq!(
                written(&text),
                serde_json::to_string(&text).unwrap(),
                "{byte:#04x}"
            );
        }
    }

    #[test]
    fn escapes_are_found_at_every_offset_of_a_word() {
        // Each escape at each position of an eight-byte word, with raw UTF-8 around it.
        for special in ["\"", "\\", "\n", "\u{1}", "\u{1f}"] {
            for before in 0..20 {
                let text = format!("{}{special}é ✅ {}", "a".repeat(before), "b".repeat(before));
                assert_eq!(written(&text), serde_json::to_string(&text).unwrap());
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn strings_are_written_as_serde_json_writes_them(text in "(\\PC|[\\x00-\\x1f\"\\\\\\x7f])*") {
            proptest::prop_assert_eq!(written(&text), serde_json::to_string(&text).unwrap());
        }
    }

    #[test]
    fn objects_and_arrays_have_their_commas() {
        let mut out = Vec::new();
        Object::open(&mut out).close().unwrap();
        assert_eq!(out, b"{}");

        out.clear();
        let mut object = Object::open(&mut out);
        object.optional(",\"skipped\":", &None::<i64>);
        object.field(",\"a\":", &1i64);
        object.constant(",\"type\":\"x\"");
        object.optional(",\"b\":", &Some(vec![true, false]));
        object.serde_field(",\"c\":", &1.5f64);
        object.serde_optional(",\"skipped_too\":", &None::<f64>);
        object.field(",\"d\":", &Vec::<i64>::new());
        object.close().unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            r#"{"a":1,"type":"x","b":[true,false],"c":1.5,"d":[]}"#
        );
    }

    #[test]
    fn a_failure_through_serde_is_returned_by_close() {
        struct Refuses;
        impl Serialize for Refuses {
            fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
                Err(serde::ser::Error::custom("refused"))
            }
        }
        let mut out = Vec::new();
        let mut object = Object::open(&mut out);
        object.serde_field(",\"a\":", &Refuses);
        object.field(",\"b\":", &true);
        assert_eq!(object.close().unwrap_err().to_string(), "refused");
    }

    #[test]
    fn chat_ids_match_serde_json() {
        for id in [0, -1, i64::MIN, i64::MAX, -1_001_234_567_890] {
            let mut out = Vec::new();
            ChatId::Id(id).write_json(&mut out).unwrap();
            assert_eq!(out, serde_json::to_vec(&id).unwrap());
        }
        let mut out = Vec::new();
        ChatId::from("@chan\"nel").write_json(&mut out).unwrap();
        assert_eq!(out, br#""@chan\"nel""#);
    }
}
