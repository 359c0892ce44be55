//! Small serde helpers the generated types share, so each union and lenient field costs one
//! call instead of its own copy of this logic.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, DeserializeOwned, Unexpected, Visitor};
use serde_json::Value;

/// The string in `field` of a JSON object: the tag that picks a union's variant.
///
/// Errors when `value` is not an object or the tag is missing or not a string; `what` names
/// the union in the message.
pub(crate) fn tag<'v, E: de::Error>(
    value: &'v Value,
    field: &'static str,
    what: &'static str,
) -> Result<&'v str, E> {
    let object = object(value, what)?;
    match object.get(field) {
        Some(Value::String(tag)) => Ok(tag),
        Some(other) => Err(E::invalid_type(unexpected(other), &"a string tag")),
        None => Err(E::missing_field(field)),
    }
}

/// `value` as an object, or an error naming `what` was expected.
pub(crate) fn object<'v, E: de::Error>(
    value: &'v Value,
    what: &'static str,
) -> Result<&'v serde_json::Map<String, Value>, E> {
    match value {
        Value::Object(object) => Ok(object),
        other => Err(E::invalid_type(unexpected(other), &what)),
    }
}

/// Whether the object holds every field in `fields` (with any value but `null`).
pub(crate) fn has_all(value: &Value, fields: &[&str]) -> bool {
    fields
        .iter()
        .all(|field| value.get(field).is_some_and(|v| !v.is_null()))
}

/// Reads a union's variant from the JSON already buffered; a failure keeps serde's message
/// (which names the missing or wrong field).
pub(crate) fn member<T: DeserializeOwned, E: de::Error>(value: Value) -> Result<T, E> {
    T::deserialize(value).map_err(E::custom)
}

fn unexpected(value: &Value) -> Unexpected<'_> {
    match value {
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => Unexpected::Signed(i),
            (_, Some(u), _) => Unexpected::Unsigned(u),
            (_, _, Some(f)) => Unexpected::Float(f),
            _ => Unexpected::Other("number"),
        },
        Value::String(s) => Unexpected::Str(s),
        Value::Array(_) => Unexpected::Seq,
        Value::Object(_) => Unexpected::Map,
    }
}

/// A `String` field that old payloads sent as a number (see the lenient fields listed in
/// the generator): a number is kept as its decimal text.
pub(crate) fn string_or_number<'de, D: de::Deserializer<'de>>(
    deserializer: D,
) -> Result<String, D::Error> {
    deserializer.deserialize_any(StringOrNumber)
}

struct StringOrNumber;

impl Visitor<'_> for StringOrNumber {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string or an integer")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_owned())
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<String, E> {
        Ok(v)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }
}

/// The value of a lenient string-enum field that is missing: unknown and empty.
pub(crate) fn unknown_empty<T: From<String>>() -> T {
    T::from(String::new())
}

/// Reads a string-enum value: the generated `From<String>` keeps values it does not know.
pub(crate) fn string_enum<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: de::Deserializer<'de>,
    T: From<String>,
{
    String::deserialize(deserializer).map(T::from)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    type E = serde_json::Error;

    #[test]
    fn tags_are_read_or_refused_with_a_reason() {
        assert_eq!(
            tag::<E>(&json!({"type": "x"}), "type", "a union").unwrap(),
            "x"
        );
        let missing = tag::<E>(&json!({}), "type", "a union").unwrap_err();
        assert!(missing.to_string().contains("missing field `type`"));
        let wrong = tag::<E>(&json!({"type": 1}), "type", "a union").unwrap_err();
        assert!(wrong.to_string().contains("string tag"));
        let not_object = tag::<E>(&json!([1]), "type", "a union").unwrap_err();
        assert!(not_object.to_string().contains("expected a union"));
    }

    #[test]
    fn presence_ignores_nulls() {
        let value = json!({"a": 1, "b": null});
        assert!(has_all(&value, &["a"]));
        assert!(!has_all(&value, &["a", "b"]));
        assert!(has_all(&value, &[]));
    }

    #[test]
    fn numbers_become_text() {
        let mut de = serde_json::Deserializer::from_str("134567890097");
        assert_eq!(string_or_number(&mut de).unwrap(), "134567890097");
        let mut de = serde_json::Deserializer::from_str("\"abc\"");
        assert_eq!(string_or_number(&mut de).unwrap(), "abc");
        let mut de = serde_json::Deserializer::from_str("1.5");
        assert!(string_or_number(&mut de).is_err());
    }
}
