//! What the reader hands visitors to walk a value: the elements of an array, the entries
//! of an object and their keys, a `RawValue`'s one entry, and an enum's variant.

use serde::de::{self, DeserializeSeed, Unexpected, Visitor};

use super::{RAW_VALUE, ReadError, ReadErrorKind, Reader};

impl Reader<'_> {
    /// Moves to the next entry of an array or object: `None` at its `close`, else what
    /// follows the comma (nothing before the first entry), or `None` inside at the end of
    /// the text, which the caller reports.
    #[inline]
    fn next_entry(
        &mut self,
        first: &mut bool,
        close: u8,
        eof: &str,
    ) -> Result<Option<Option<u8>>, ReadError> {
        match self.peek() {
            Some(b) if b == close => Ok(None),
            Some(b',') if !*first => {
                self.eat();
                Ok(Some(self.peek()))
            }
            Some(b) if *first => {
                *first = false;
                Ok(Some(Some(b)))
            }
            Some(_) if close == b']' => {
                Err(self.peek_error(ReadErrorKind::Syntax, "expected `,` or `]`"))
            }
            Some(_) => Err(self.peek_error(ReadErrorKind::Syntax, "expected `,` or `}`")),
            None => Err(self.peek_error(ReadErrorKind::Eof, eof)),
        }
    }
}

/// The elements of an array.
pub(super) struct Elements<'r, 'de> {
    pub(super) reader: &'r mut Reader<'de>,
    pub(super) first: bool,
}

impl<'de> de::SeqAccess<'de> for Elements<'_, 'de> {
    type Error = ReadError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, ReadError> {
        let reader = &mut *self.reader;
        let Some(next) = reader.next_entry(&mut self.first, b']', "EOF while parsing a list")?
        else {
            return Ok(None);
        };
        match next {
            Some(b']') => Err(reader.peek_error(ReadErrorKind::Syntax, "trailing comma")),
            Some(_) => seed.deserialize(reader).map(Some),
            None => Err(reader.eof()),
        }
    }
}

/// The entries of an object.
pub(super) struct Entries<'r, 'de> {
    pub(super) reader: &'r mut Reader<'de>,
    pub(super) first: bool,
}

impl<'de> de::MapAccess<'de> for Entries<'_, 'de> {
    type Error = ReadError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, ReadError> {
        let reader = &mut *self.reader;
        let Some(next) = reader.next_entry(&mut self.first, b'}', "EOF while parsing an object")?
        else {
            return Ok(None);
        };
        match next {
            Some(b'"') => {
                let key = seed.deserialize(Key(&mut *reader))?;
                // The `:` is taken here, once, rather than in `next_value_seed`, which is
                // inlined at every field of every generated `fill`. A missing one is
                // reported by the value's read (see `Reader::colon_or_poison`), so that
                // errors come in serde_json's order (a repeated key before a missing colon).
                if !reader.take(b':') {
                    reader.colon_or_poison();
                }
                Ok(Some(key))
            }
            Some(b'}') => Err(reader.peek_error(ReadErrorKind::Syntax, "trailing comma")),
            Some(_) => Err(reader.peek_error(ReadErrorKind::Syntax, "key must be a string")),
            None => Err(reader.eof()),
        }
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, ReadError> {
        seed.deserialize(&mut *self.reader)
    }
}

/// An object key (its opening quote at the index). Text to every visitor, or a number or a
/// boolean written inside the quotes, as serde_json reads keys.
struct Key<'r, 'de>(&'r mut Reader<'de>);

impl<'de> Key<'_, 'de> {
    /// A number or boolean written as a key: `"42"`.
    fn quoted<V: Visitor<'de>>(
        self,
        visitor: V,
        read: impl FnOnce(&mut Reader<'de>, V) -> Result<V::Value, ReadError>,
    ) -> Result<V::Value, ReadError> {
        let reader = self.0;
        reader.eat();
        let value = read(reader, visitor)?;
        if reader.bytes_at() == Some(b'"') {
            reader.eat();
            Ok(value)
        } else {
            Err(reader.peek_error(
                ReadErrorKind::Syntax,
                "expected a quoted number or boolean key",
            ))
        }
    }
}

impl Reader<'_> {
    /// The byte at the index, whitespace included.
    fn bytes_at(&self) -> Option<u8> {
        self.text.as_bytes().get(self.index).copied()
    }
}

macro_rules! quoted_number_keys {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
            self.quoted(visitor, |reader, visitor| match reader.bytes_at() {
                Some(b'-' | b'0'..=b'9') => reader.number_into(visitor),
                _ => Err(reader.peek_error(ReadErrorKind::Syntax, "expected a number in the key")),
            })
        }
    )*};
}

impl<'de> de::Deserializer<'de> for Key<'_, 'de> {
    type Error = ReadError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        self.0.string_into(visitor)
    }

    quoted_number_keys!(
        deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64
        deserialize_f32 deserialize_f64
    );

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        self.quoted(visitor, |reader, visitor| match reader.bytes_at() {
            Some(b't' | b'f') => de::Deserializer::deserialize_bool(reader, visitor),
            _ => Err(reader.peek_error(ReadErrorKind::Syntax, "expected a boolean in the key")),
        })
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        de::Deserializer::deserialize_enum(self.0, name, variants, visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        de::Deserializer::deserialize_bytes(self.0, visitor)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        de::Deserializer::deserialize_bytes(self.0, visitor)
    }

    serde::forward_to_deserialize_any! {
        i128 u128 char str string unit unit_struct seq tuple tuple_struct map struct
        identifier ignored_any
    }
}

/// The one entry serde_json hands a `RawValue`'s visitor: its name, then the text.
pub(super) struct RawEntry<'de>(pub(super) Option<&'de str>);

impl<'de> de::MapAccess<'de> for RawEntry<'de> {
    type Error = ReadError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, ReadError> {
        if self.0.is_none() {
            return Ok(None);
        }
        seed.deserialize(de::value::BorrowedStrDeserializer::new(RAW_VALUE))
            .map(Some)
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, ReadError> {
        let raw = self.0.take().unwrap_or_default();
        seed.deserialize(de::value::BorrowedStrDeserializer::new(raw))
    }
}

/// `"Variant"`: an enum's unit variant.
pub(super) struct UnitVariant<'r, 'de>(pub(super) &'r mut Reader<'de>);

impl<'de> de::EnumAccess<'de> for UnitVariant<'_, 'de> {
    type Error = ReadError;
    type Variant = Self;

    fn variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<(T::Value, Self), ReadError> {
        let variant = seed.deserialize(&mut *self.0)?;
        Ok((variant, self))
    }
}

impl<'de> de::VariantAccess<'de> for UnitVariant<'_, 'de> {
    type Error = ReadError;

    fn unit_variant(self) -> Result<(), ReadError> {
        Ok(())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(
        self,
        _seed: T,
    ) -> Result<T::Value, ReadError> {
        Err(de::Error::invalid_type(
            Unexpected::UnitVariant,
            &"newtype variant",
        ))
    }

    fn tuple_variant<V: Visitor<'de>>(
        self,
        _len: usize,
        _visitor: V,
    ) -> Result<V::Value, ReadError> {
        Err(de::Error::invalid_type(
            Unexpected::UnitVariant,
            &"tuple variant",
        ))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, ReadError> {
        Err(de::Error::invalid_type(
            Unexpected::UnitVariant,
            &"struct variant",
        ))
    }
}

/// `{"Variant": value}`: an enum's variant with its content.
pub(super) struct Variant<'r, 'de>(pub(super) &'r mut Reader<'de>);

impl<'de> de::EnumAccess<'de> for Variant<'_, 'de> {
    type Error = ReadError;
    type Variant = Self;

    fn variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<(T::Value, Self), ReadError> {
        let variant = seed.deserialize(&mut *self.0)?;
        self.0.colon()?;
        Ok((variant, self))
    }
}

impl<'de> de::VariantAccess<'de> for Variant<'_, 'de> {
    type Error = ReadError;

    fn unit_variant(self) -> Result<(), ReadError> {
        de::Deserialize::deserialize(self.0)
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, ReadError> {
        seed.deserialize(self.0)
    }

    fn tuple_variant<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        de::Deserializer::deserialize_seq(self.0, visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        de::Deserializer::deserialize_struct(self.0, "", fields, visitor)
    }
}
