//! Serde helpers the generated types share, so each struct, union and lenient field costs
//! one call instead of its own copy of this logic.
//!
//! - [`fill`]: structs read field by field into a value that already exists, on the stack
//!   or in its box, so a large `Message` is never moved on its way into its box.
//! - `keys`: a struct's table of field names, which finds a key's field with one hash.
//! - [`union`]: unions read from the entries of their object, looking for the tag as they
//!   go and replaying what came before it into the variant, without a `serde_json::Value`.
//! - Keys and string-enum values are read borrowed from the text where it allows.

pub(crate) mod fill;
mod keys;
pub(crate) mod union;

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, Visitor};

use crate::SmallString;

pub(crate) use crate::held::Held;
pub(crate) use fill::{Fill, Source};
pub(crate) use union::{Fields, Union};

/// An object key, borrowed from the text unless it holds escapes.
pub(crate) struct Key<'de>(pub(crate) Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_str(CowVisitor("a field name"))
            .map(Key)
    }
}

/// Text borrowed from the input where it can be, owned otherwise.
struct CowVisitor(&'static str);

impl<'de> Visitor<'de> for CowVisitor {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v))
    }
}

/// A boxed value read into a box allocated before the value is read. serde's `Box<T>`
/// reads the value, then boxes it: an allocation that unwound there would drop the value,
/// and the drop code of `T` (for a `MaybeInaccessibleMessage`, that of a whole `Message`)
/// was compiled into each such reader.
pub(crate) struct Boxed<T>(pub(crate) Box<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Boxed<T> {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let slot = Box::new_uninit();
        let value = T::deserialize(deserializer)?;
        Ok(Boxed(Box::write(slot, value)))
    }
}

/// A union's tag: a string, borrowed where the text allows.
pub(crate) fn tag<'de, D: de::Deserializer<'de>>(
    deserializer: D,
) -> Result<Cow<'de, str>, D::Error> {
    deserializer.deserialize_str(CowVisitor("a string tag"))
}

/// A text field that old payloads sent as a number (see the lenient fields listed in
/// the generator): a number is kept as its decimal text.
pub(crate) struct StringOrNumber(pub(crate) SmallString);

impl<'de> Deserialize<'de> for StringOrNumber {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_any(StringOrNumberVisitor)
            .map(StringOrNumber)
    }
}

struct StringOrNumberVisitor;

impl Visitor<'_> for StringOrNumberVisitor {
    type Value = SmallString;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string or an integer")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<SmallString, E> {
        Ok(SmallString::from(v))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<SmallString, E> {
        Ok(SmallString::from(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<SmallString, E> {
        Ok(SmallString::from(
            compact_str::ToCompactString::to_compact_string(&v),
        ))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<SmallString, E> {
        Ok(SmallString::from(
            compact_str::ToCompactString::to_compact_string(&v),
        ))
    }
}

/// Reads a string-enum value without allocating for the values the enum knows: the
/// generated `From<&str>` keeps the others as `Unknown`.
pub(crate) fn string_enum<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: de::Deserializer<'de>,
    T: for<'a> From<&'a str> + From<String>,
{
    deserializer.deserialize_str(StringEnumVisitor(std::marker::PhantomData))
}

struct StringEnumVisitor<T>(std::marker::PhantomData<T>);

impl<T: for<'a> From<&'a str> + From<String>> Visitor<'_> for StringEnumVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        Ok(T::from(v))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<T, E> {
        Ok(T::from(v))
    }
}

/// serde_json's message without the " at line L column C" it appends: for errors read
/// from a copy of part of the text, whose positions would mislead.
pub(crate) fn without_position(e: &serde_json::Error) -> String {
    let message = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    match message.strip_suffix(&suffix) {
        Some(detail) => detail.to_owned(),
        None => message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_become_text() {
        let read = |text| serde_json::from_str::<StringOrNumber>(text).map(|s| s.0);
        assert_eq!(read("134567890097").unwrap(), "134567890097");
        assert_eq!(read("\"abc\"").unwrap(), "abc");
        assert!(read("1.5").is_err());
    }

    /// A boxed union reads as the union would, in its box, and refuses what it refuses.
    #[test]
    fn boxed_values_read_as_the_value() {
        use crate::types::MessageOrigin;
        let text = r#"{"type":"hidden_user","date":5,"sender_user_name":"x"}"#;
        let boxed: Boxed<MessageOrigin> = crate::read::from_str(text).unwrap();
        let plain: MessageOrigin = serde_json::from_str(text).unwrap();
        assert_eq!(*boxed.0, plain);
        assert!(
            crate::read::from_str::<Boxed<MessageOrigin>>(r#"{"type":"user","date":"x"}"#).is_err()
        );
        let none: Option<Boxed<MessageOrigin>> = crate::read::from_str("null").unwrap();
        assert!(none.is_none());
    }

    #[test]
    fn keys_are_borrowed_unless_escaped() {
        let key: Key<'_> = serde_json::from_str("\"chat\"").unwrap();
        assert!(matches!(key.0, Cow::Borrowed("chat")));
        let key: Key<'_> = serde_json::from_str("\"ch\\u0061t\"").unwrap();
        assert!(matches!(key.0, Cow::Owned(ref k) if k == "chat"));
    }

    #[test]
    fn positions_are_cut_from_messages() {
        let e = serde_json::from_str::<u8>("\"x\"").unwrap_err();
        assert_eq!(
            without_position(&e),
            "invalid type: string \"x\", expected u8"
        );
    }
}
