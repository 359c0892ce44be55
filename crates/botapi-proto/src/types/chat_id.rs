//! `Integer or String` parameters: a chat by numeric id or by `@username`.

use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A chat (or user, or channel) named by its numeric id or by its public `@username`: every
/// `Integer or String` parameter of the Bot API.
///
/// Ids may need more than 32 bits, so they are `i64`; `From<i64>` is the only integer
/// conversion, so an integer literal such as `-1001234567890` needs no suffix. Serializes as
/// a JSON number or string and reads either back.
///
/// ```
/// use botapi_proto::types::ChatId;
///
/// assert_eq!(ChatId::from(-1001234567890_i64), ChatId::Id(-1001234567890));
/// assert_eq!(ChatId::from("@channel"), ChatId::Username("@channel".into()));
/// assert_eq!(serde_json::to_string(&ChatId::from(42))?, "42");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ChatId {
    /// A numeric id, such as `-1001234567890` for a supergroup.
    Id(i64),
    /// A public username with its `@`, such as `@channel`.
    Username(String),
}

impl From<i64> for ChatId {
    fn from(id: i64) -> Self {
        ChatId::Id(id)
    }
}

impl From<&str> for ChatId {
    fn from(username: &str) -> Self {
        ChatId::Username(username.to_owned())
    }
}

impl From<String> for ChatId {
    fn from(username: String) -> Self {
        ChatId::Username(username)
    }
}

impl From<&String> for ChatId {
    fn from(username: &String) -> Self {
        ChatId::Username(username.clone())
    }
}

impl fmt::Display for ChatId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChatId::Id(id) => fmt::Display::fmt(id, f),
            ChatId::Username(name) => f.write_str(name),
        }
    }
}

impl Serialize for ChatId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            ChatId::Id(id) => serializer.serialize_i64(*id),
            ChatId::Username(name) => serializer.serialize_str(name),
        }
    }
}

impl<'de> Deserialize<'de> for ChatId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ChatIdVisitor)
    }
}

struct ChatIdVisitor;

impl Visitor<'_> for ChatIdVisitor {
    type Value = ChatId;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a chat id (integer) or an @username (string)")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<ChatId, E> {
        Ok(ChatId::Id(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<ChatId, E> {
        i64::try_from(v)
            .map(ChatId::Id)
            .map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &self))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<ChatId, E> {
        Ok(ChatId::Username(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<ChatId, E> {
        Ok(ChatId::Username(v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_and_names_round_trip() {
        let big = -1_001_234_567_890_123_i64;
        let id: ChatId = serde_json::from_value(json!(big)).unwrap();
        assert_eq!(id, ChatId::Id(big));
        assert_eq!(serde_json::to_value(&id).unwrap(), json!(big));
        let name: ChatId = serde_json::from_value(json!("@chan")).unwrap();
        assert_eq!(name, ChatId::from("@chan"));
        assert_eq!(serde_json::to_value(&name).unwrap(), json!("@chan"));
        assert_eq!(name.to_string(), "@chan");
    }

    #[test]
    fn other_shapes_are_refused() {
        for bad in [
            json!(1.5),
            json!(true),
            json!(null),
            json!([1]),
            json!(u64::MAX),
        ] {
            let err = serde_json::from_value::<ChatId>(bad.clone()).unwrap_err();
            assert!(err.to_string().contains("chat id"), "{bad}: {err}");
        }
    }
}
