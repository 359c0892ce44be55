//! The JSON reader every decode goes through: a `serde::Deserializer` over a `&str`.
//!
//! serde_json's reader makes a call per token and scans strings partly byte by byte; for a
//! small answer such as getMe that scanning was over half of the time. This one reads the
//! same grammar with fewer steps: strings eight bytes at a time to their end, keys borrowed,
//! whitespace checked once per token.
//!
//! It hands every visitor exactly what serde_json would: the same calls (`visit_u64` for a
//! positive integer, `visit_f64` for `-0`, borrowed strings where there is no escape), the
//! same errors for values of the wrong type (with the same messages), the same limits (128
//! levels of nesting), the same `RawValue` captures. Floats and integers wider than 64 bits
//! are handed to serde_json itself, so their values are bit for bit its own. The fuzz
//! target `reader` and the tests below compare the two on arbitrary text.
//!
//! What differs is the error for text that is not JSON: only its kind and place are kept
//! here. The decoder asks serde_json to describe such text (it is rare and never on the
//! success path). Two corners no type of the crate reaches also differ: bytes read from a
//! string with an unpaired surrogate escape (serde_json hands over WTF-8 bytes; this reader
//! refuses the string), and a 128-bit integer written as a float (refused as out of range
//! rather than as a float).

mod access;
#[cfg(any(test, feature = "fuzzing"))]
pub(crate) mod compare;
mod error;
mod scan;
#[cfg(test)]
mod tests;

use std::fmt;

use serde::de::{self, Expected, Unexpected, Visitor};

use access::{Elements, Entries, RawEntry, UnitVariant, Variant};
pub(crate) use error::{ReadError, ReadErrorKind};
use scan::{Number, Text};

use crate::held::Held;

/// serde_json's name for a `RawValue` asked of a deserializer.
const RAW_VALUE: &str = "$serde_json::private::RawValue";

/// serde_json's limit on nesting.
const DEPTH: u8 = 128;

/// Reads `T` from all of `text`, which must hold one JSON value and nothing but
/// whitespace around it.
pub(crate) fn from_str<'de, T: de::Deserialize<'de>>(text: &'de str) -> Result<T, ReadError> {
    let mut reader = Reader::new(text);
    let value = Held::new(T::deserialize(&mut reader)?);
    reader.end()?;
    Ok(value.into_inner())
}

/// A visitor's [`Visitor::expecting`] as text to format.
struct Expecting<'v, V>(&'v V);

impl<'de, V: Visitor<'de>> fmt::Display for Expecting<'_, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.expecting(f)
    }
}

/// What was expected, formatted, as serde's errors take it.
struct Said<'a>(fmt::Arguments<'a>);

impl Expected for Said<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_fmt(self.0)
    }
}

/// A position in a JSON text, read with serde.
pub(crate) struct Reader<'de> {
    text: &'de str,
    index: usize,
    /// Levels of nesting still allowed.
    depth: u8,
    /// Unescaped text of the last string that held escapes.
    scratch: Vec<u8>,
    /// The containers open while a value is skipped.
    open: Vec<u8>,
    /// The error every read gives after a key that lacks its `:` (see `colon_or_poison`).
    poison: Option<(ReadErrorKind, usize, &'static str)>,
}

impl<'de> Reader<'de> {
    pub(crate) fn new(text: &'de str) -> Self {
        Reader {
            text,
            index: 0,
            depth: DEPTH,
            scratch: Vec::new(),
            open: Vec::new(),
            poison: None,
        }
    }

    /// Checks that only whitespace is left.
    #[inline]
    pub(crate) fn end(&mut self) -> Result<(), ReadError> {
        if self.index == self.text.len() && self.poison.is_none() {
            return Ok(());
        }
        self.end_after_whitespace()
    }

    #[inline(never)]
    fn end_after_whitespace(&mut self) -> Result<(), ReadError> {
        match self.peek() {
            // A visitor that went on past the error of a poisoned read gets it here.
            None if self.poison.is_some() => Err(self.error(ReadErrorKind::Syntax, "")),
            None => Ok(()),
            Some(_) => Err(self.peek_error(ReadErrorKind::Syntax, "trailing characters")),
        }
    }

    /// The next value's first byte, or an error at the end of the text.
    fn value_start(&mut self) -> Result<u8, ReadError> {
        self.peek().ok_or_else(|| self.eof())
    }

    /// Gives a visitor's error the current place.
    fn place<T>(&self, result: Result<T, ReadError>) -> Result<T, ReadError> {
        result.map_err(|e| e.placed(self.index))
    }

    /// Reads the value at the index only to say it is not what `expected` wanted, in the
    /// words serde_json would use.
    ///
    /// What was expected comes as `fmt::Arguments` (see [`Expecting`]), not as the
    /// `&dyn Expected` that serde hands around: each visitor made into a `dyn Expected`
    /// brings a table of pointers, which costs a relocation per pointer at load, and every
    /// type the reader reads has a visitor.
    #[cold]
    fn invalid_type(&mut self, expected: fmt::Arguments<'_>) -> ReadError {
        let copied;
        let unexpected = match self.peek() {
            Some(b'n') => self.literal(b"null").map(|()| Unexpected::Unit),
            Some(b't') => self.literal(b"true").map(|()| Unexpected::Bool(true)),
            Some(b'f') => self.literal(b"false").map(|()| Unexpected::Bool(false)),
            Some(b'-' | b'0'..=b'9') => self.number().map(|n| match n {
                Number::U64(n) => Unexpected::Unsigned(n),
                Number::I64(n) => Unexpected::Signed(n),
                Number::F64(n) => Unexpected::Float(n),
            }),
            Some(b'"') => match self.string() {
                Ok(Text::Borrowed(s) | Text::Copied(s)) => {
                    copied = s.to_owned();
                    Ok(Unexpected::Str(&copied))
                }
                Err(e) => Err(e),
            },
            Some(b'[') => Ok(Unexpected::Seq),
            Some(b'{') => Ok(Unexpected::Map),
            Some(_) => return self.peek_error(ReadErrorKind::Syntax, "expected value"),
            None => return self.eof(),
        };
        match unexpected {
            Ok(unexpected) => {
                let error: ReadError = de::Error::invalid_type(unexpected, &Said(expected));
                error.placed(self.index)
            }
            Err(e) => e,
        }
    }

    /// Opens a container: one level deeper, refused past serde_json's limit.
    fn enter(&mut self) -> Result<(), ReadError> {
        self.depth -= 1;
        if self.depth == 0 {
            return Err(self.too_deep());
        }
        self.eat();
        Ok(())
    }

    #[cold]
    #[inline(never)]
    fn too_deep(&mut self) -> ReadError {
        self.depth += 1;
        self.peek_error(ReadErrorKind::Syntax, "recursion limit exceeded")
    }

    /// Reads an array through `visitor`, its `[` at the index.
    fn seq<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value, ReadError> {
        self.enter()?;
        self.seq_entered(visitor)
    }

    /// [`Reader::seq`] once its `[` is read.
    fn seq_entered<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value, ReadError> {
        let value = visitor.visit_seq(Elements {
            reader: self,
            first: true,
        });
        self.depth += 1;
        match value {
            Ok(value) => {
                let value = Held::new(value);
                self.end_seq()?;
                Ok(value.into_inner())
            }
            Err(e) => Err(self.failed_seq(e)),
        }
    }

    // This and `failed_map` are out of line, and not generic, for the same reason as
    // `end_seq_after_whitespace`. As serde_json does, the reader still looks for the end
    // of the container, and places the visitor's error after it.
    #[cold]
    #[inline(never)]
    fn failed_seq(&mut self, e: ReadError) -> ReadError {
        let _ = self.end_seq();
        e.placed(self.index)
    }

    #[cold]
    #[inline(never)]
    fn failed_map(&mut self, e: ReadError) -> ReadError {
        let _ = self.end_map();
        e.placed(self.index)
    }

    /// Enters the object or array at the index, for a struct: its first byte, or `None`
    /// (and nothing read) when it is neither.
    #[inline(never)]
    fn open_struct(&mut self) -> Result<Option<u8>, ReadError> {
        let first = self.value_start()?;
        if first != b'{' && first != b'[' {
            return Ok(None);
        }
        self.enter()?;
        Ok(Some(first))
    }

    /// Ends a struct's object once its visitor is done.
    #[inline(never)]
    fn close_struct(&mut self) -> Result<(), ReadError> {
        self.depth += 1;
        self.end_map()
    }

    /// Reads an object through `visitor`, its `{` at the index.
    fn map<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value, ReadError> {
        self.enter()?;
        let value = visitor.visit_map(Entries {
            reader: self,
            first: true,
        });
        self.depth += 1;
        match value {
            Ok(value) => {
                let value = Held::new(value);
                self.end_map()?;
                Ok(value.into_inner())
            }
            Err(e) => Err(self.failed_map(e)),
        }
    }

    #[inline]
    fn end_seq(&mut self) -> Result<(), ReadError> {
        if self.take(b']') {
            return Ok(());
        }
        self.end_seq_after_whitespace()
    }

    // This and `end_map_after_whitespace` are out of line: `seq` and `map` are compiled
    // for every visitor, and inlined, their errors were copied into each.
    #[cold]
    #[inline(never)]
    fn end_seq_after_whitespace(&mut self) -> Result<(), ReadError> {
        match self.peek() {
            Some(b']') => {
                self.eat();
                Ok(())
            }
            Some(b',') => {
                self.eat();
                match self.peek() {
                    Some(b']') => Err(self.peek_error(ReadErrorKind::Syntax, "trailing comma")),
                    _ => Err(self.peek_error(ReadErrorKind::Syntax, "trailing characters")),
                }
            }
            Some(_) => Err(self.peek_error(ReadErrorKind::Syntax, "trailing characters")),
            None => Err(self.peek_error(ReadErrorKind::Eof, "EOF while parsing a list")),
        }
    }

    #[inline]
    fn end_map(&mut self) -> Result<(), ReadError> {
        if self.take(b'}') {
            return Ok(());
        }
        self.end_map_after_whitespace()
    }

    #[cold]
    #[inline(never)]
    fn end_map_after_whitespace(&mut self) -> Result<(), ReadError> {
        match self.peek() {
            Some(b'}') => {
                self.eat();
                Ok(())
            }
            Some(b',') => Err(self.peek_error(ReadErrorKind::Syntax, "trailing comma")),
            Some(_) => Err(self.peek_error(ReadErrorKind::Syntax, "trailing characters")),
            None => Err(self.peek_error(ReadErrorKind::Eof, "EOF while parsing an object")),
        }
    }

    /// Reads a number into `visitor`, as `deserialize_u64` and its kin do.
    fn number_into<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value, ReadError> {
        match self.value_start()? {
            b'-' | b'0'..=b'9' => {}
            _ => return Err(self.invalid_type(format_args!("{}", Expecting(&visitor)))),
        }
        let value = match self.number()? {
            Number::U64(n) => visitor.visit_u64(n),
            Number::I64(n) => visitor.visit_i64(n),
            Number::F64(n) => visitor.visit_f64(n),
        };
        self.place(value)
    }

    /// A string into `visitor`, borrowed where it holds no escape.
    fn string_into<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value, ReadError> {
        let value = match self.string()? {
            Text::Borrowed(s) => visitor.visit_borrowed_str(s),
            Text::Copied(s) => visitor.visit_str(s),
        };
        self.place(value)
    }
}

impl<'de> de::Deserializer<'de> for &mut Reader<'de> {
    type Error = ReadError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        let value = match self.value_start()? {
            b'n' => {
                self.literal(b"null")?;
                visitor.visit_unit()
            }
            b't' => {
                self.literal(b"true")?;
                visitor.visit_bool(true)
            }
            b'f' => {
                self.literal(b"false")?;
                visitor.visit_bool(false)
            }
            b'-' | b'0'..=b'9' => match self.number()? {
                Number::U64(n) => visitor.visit_u64(n),
                Number::I64(n) => visitor.visit_i64(n),
                Number::F64(n) => visitor.visit_f64(n),
            },
            b'"' => return self.string_into(visitor),
            b'[' => return self.seq(visitor),
            b'{' => return self.map(visitor),
            _ => return Err(self.peek_error(ReadErrorKind::Syntax, "expected value")),
        };
        self.place(value)
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        let value = match self.value_start()? {
            b't' => {
                self.literal(b"true")?;
                visitor.visit_bool(true)
            }
            b'f' => {
                self.literal(b"false")?;
                visitor.visit_bool(false)
            }
            _ => return Err(self.invalid_type(format_args!("{}", Expecting(&visitor)))),
        };
        self.place(value)
    }

    fn deserialize_i8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        self.number_into(visitor)
    }

    fn deserialize_i16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        self.number_into(visitor)
    }

    fn deserialize_i32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        self.number_into(visitor)
    }

    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        self.number_into(visitor)
    }

    fn deserialize_u8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        self.number_into(visitor)
    }

    fn deserialize_u16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        self.number_into(visitor)
    }

    fn deserialize_u32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        self.number_into(visitor)
    }

    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        self.number_into(visitor)
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        self.number_into(visitor)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        self.number_into(visitor)
    }

    fn deserialize_i128<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        self.wide_integer(visitor, true)
    }

    fn deserialize_u128<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        self.wide_integer(visitor, false)
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        match self.value_start()? {
            b'"' => self.string_into(visitor),
            _ => Err(self.invalid_type(format_args!("{}", Expecting(&visitor)))),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        let value = match self.value_start()? {
            b'"' => match self.string()? {
                Text::Borrowed(s) => visitor.visit_borrowed_bytes(s.as_bytes()),
                Text::Copied(s) => visitor.visit_bytes(s.as_bytes()),
            },
            b'[' => return self.seq(visitor),
            _ => return Err(self.invalid_type(format_args!("{}", Expecting(&visitor)))),
        };
        self.place(value)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        self.deserialize_bytes(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        match self.peek() {
            Some(b'n') => {
                self.literal(b"null")?;
                let value = visitor.visit_none();
                self.place(value)
            }
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        match self.value_start()? {
            b'n' => {
                self.literal(b"null")?;
                let value = visitor.visit_unit();
                self.place(value)
            }
            _ => Err(self.invalid_type(format_args!("{}", Expecting(&visitor)))),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        if name == RAW_VALUE {
            // The value's text, as serde_json hands it to a `RawValue`.
            self.value_start()?;
            let start = self.index;
            self.skip()?;
            let raw = &self.text[start..self.index];
            return visitor.visit_map(RawEntry(Some(raw)));
        }
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        match self.value_start()? {
            b'[' => self.seq(visitor),
            _ => Err(self.invalid_type(format_args!("{}", Expecting(&visitor)))),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        match self.value_start()? {
            b'{' => self.map(visitor),
            _ => Err(self.invalid_type(format_args!("{}", Expecting(&visitor)))),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        // Compiled for every struct: what does not depend on the visitor is out of line.
        match self.open_struct()? {
            Some(b'{') => {
                let value = visitor.visit_map(Entries {
                    reader: self,
                    first: true,
                });
                match value {
                    Ok(value) => {
                        let value = Held::new(value);
                        self.close_struct()?;
                        Ok(value.into_inner())
                    }
                    Err(e) => {
                        self.depth += 1;
                        Err(self.failed_map(e))
                    }
                }
            }
            Some(_) => self.seq_entered(visitor),
            None => Err(self.invalid_type(format_args!("{}", Expecting(&visitor)))),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        match self.value_start()? {
            b'"' => {
                let value = visitor.visit_enum(UnitVariant(self));
                self.place(value)
            }
            b'{' => {
                self.enter()?;
                let value = visitor.visit_enum(Variant(self));
                self.depth += 1;
                let value = self.place(value)?;
                match self.peek() {
                    Some(b'}') => {
                        self.eat();
                        Ok(value)
                    }
                    Some(_) => Err(self.error(ReadErrorKind::Syntax, "expected value")),
                    None => Err(self.error(ReadErrorKind::Eof, "EOF while parsing an object")),
                }
            }
            _ => Err(self.peek_error(ReadErrorKind::Syntax, "expected value")),
        }
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        self.skip()?;
        visitor.visit_unit()
    }
}

impl<'de> Reader<'de> {
    /// An `i128` or `u128`: what fits 64 bits as serde_json hands it, the rest as the wide
    /// value it reads from the digits.
    fn wide_integer<V: Visitor<'de>>(
        &mut self,
        visitor: V,
        signed: bool,
    ) -> Result<V::Value, ReadError> {
        match self.value_start()? {
            b'-' | b'0'..=b'9' => {}
            _ => return Err(self.invalid_type(format_args!("{}", Expecting(&visitor)))),
        }
        let text = self.number_text()?;
        // Integers that fit 64 bits go as serde_json hands them; floats are refused below by
        // the visitor, as any other type would be.
        let value = match (text.parse::<u64>(), text.parse::<i64>()) {
            (Ok(n), _) => visitor.visit_u64(n),
            (_, Ok(n)) if n < 0 => visitor.visit_i64(n),
            _ if signed => match text.parse::<i128>() {
                Ok(n) => visitor.visit_i128(n),
                Err(_) => Err(de::Error::custom("number out of range")),
            },
            _ => match text.parse::<u128>() {
                Ok(n) => visitor.visit_u128(n),
                Err(_) => Err(de::Error::custom("number out of range")),
            },
        };
        self.place(value)
    }
}
