//! Plausible values of any Bot API type, built from the core's metadata
//! ([`botapi_proto::meta`]).
//!
//! The emulator answers the methods it does not model in depth with these values, and tests
//! use them to fill in a method's required parameters. A value holds the type's required
//! fields only, recursively, chosen so that it decodes into the core's generated types:
//!
//! - `Integer` is `1`, except date fields (`date`, `*_date`), which hold [`DATE`], and chat
//!   ids (`chat_id`, `*_chat_id`), which hold a supergroup id beyond 32 bits
//!   ([`CHAT_ID`]); `Float` is `0.0`; `Boolean` is `false`; `True` is `true`.
//! - A string with listed values takes the first; other strings are a short text derived
//!   from the field name (URLs are `https://` URLs, so that they pass the checks the real
//!   server makes).
//! - `InputFile` is a string, which the Bot API reads as a `file_id` or URL.
//! - `A or B` is an `A`; a union is its first variant, with its tag. An
//!   `InaccessibleMessage` has `date` 0, which is what tells it from a `Message`.
//! - An array holds one element when it is the value asked for (each level of an array of
//!   arrays too), and is empty inside an object, which keeps values small and recursion
//!   finite.
//!
//! ```
//! use botapi_emulator::plausible;
//! use serde_json::json;
//!
//! assert_eq!(plausible::value("Chat"), json!({"id": 1, "type": "private"}));
//! assert_eq!(plausible::value("Array of BotCommand"),
//!     json!([{"command": "command", "description": "description"}]));
//! let params = plausible::required_params(botapi_proto::meta::method("sendMessage").unwrap());
//! assert_eq!(params["chat_id"], json!(plausible::CHAT_ID));
//! assert_eq!(params["text"], json!("text"));
//! ```

use botapi_proto::meta::{MethodInfo, TypeInfo, type_info};
use serde_json::{Map, Value};

/// The Unix time every date field holds: 2026-08-24 00:00:00 UTC, when Bot API 10.3 came
/// out.
pub const DATE: i64 = 1_787_529_600;

/// The id every `chat_id` parameter and field holds: a supergroup's id, which needs more
/// than 32 bits.
pub const CHAT_ID: i64 = -1_001_234_567_890;

/// How many objects deep a value may nest. No Bot API type needs half of it (a test checks
/// every type); it only guards against a cycle of required fields in a future version.
pub const DEPTH_LIMIT: usize = 32;

/// A plausible value of the type expression `ty` (`Message`, `Array of Update`,
/// `Integer or String`, …), as described in the [module docs](self). An unknown type name
/// gives an empty object.
pub fn value(ty: &str) -> Value {
    Builder::default().top(ty, "", &[])
}

/// Every required parameter of `method`, with a plausible value: what a minimal valid call
/// sends. A string parameter with listed values takes the first; arrays hold one element.
pub fn required_params(method: &MethodInfo) -> Map<String, Value> {
    let mut builder = Builder::default();
    method
        .required_params()
        .map(|p| (p.name.to_owned(), builder.top(p.ty, p.name, p.values)))
        .collect()
}

/// The object type a value of `ty` is built as: the type itself, or for a union the type of
/// its first variant (followed through nested unions). `None` for anything else.
pub(crate) fn concrete(ty: &str) -> Option<&'static TypeInfo> {
    let mut info = type_info(single(ty))?;
    for _ in 0..DEPTH_LIMIT {
        let Some(union) = info.union else {
            return Some(info);
        };
        let &(_, variant) = union.variants.first()?;
        info = type_info(single(variant))?;
    }
    None
}

/// The first of the alternatives in `A or B` (and in the reference's `A, B and C`).
fn single(ty: &str) -> &str {
    let ty = ty.trim();
    let end = [" or ", ", ", " and "]
        .iter()
        .filter_map(|sep| ty.find(sep))
        .min()
        .unwrap_or(ty.len());
    &ty[..end]
}

/// Builds values; remembers whether it had to cut a value short.
#[derive(Default)]
struct Builder {
    /// A type name was unknown, or the depth limit was reached.
    incomplete: bool,
}

impl Builder {
    /// The value asked for: an array here holds one element.
    fn top(&mut self, ty: &str, name: &str, values: &[&str]) -> Value {
        match ty.trim().strip_prefix("Array of ") {
            Some(item) => Value::Array(vec![self.top(item, name, values)]),
            None => self.build(ty, name, values, 0),
        }
    }

    /// A value of `ty` for a field or parameter called `name` (empty when there is none),
    /// `depth` objects down.
    fn build(&mut self, ty: &str, name: &str, values: &[&str], depth: usize) -> Value {
        if ty.trim().starts_with("Array of ") {
            return Value::Array(Vec::new());
        }
        match single(ty) {
            "Integer" => Value::from(integer(name)),
            "Float" => Value::from(0.0),
            "Boolean" => Value::Bool(false),
            "True" => Value::Bool(true),
            "String" | "InputFile" => Value::from(string(name, values)),
            other => self.object(other, depth),
        }
    }

    fn object(&mut self, ty: &str, depth: usize) -> Value {
        let Some(info) = type_info(ty).filter(|_| depth < DEPTH_LIMIT) else {
            self.incomplete = true;
            return Value::Object(Map::new());
        };
        if let Some(union) = info.union {
            let Some(&(tag, variant)) = union.variants.first() else {
                self.incomplete = true;
                return Value::Object(Map::new());
            };
            let mut value = self.build(variant, "", &[], depth + 1);
            if let (Some(field), Value::Object(map)) = (union.discriminator, &mut value)
                && !tag.is_empty()
            {
                map.insert(field.to_owned(), Value::from(tag));
            }
            return value;
        }
        let mut map = Map::new();
        for field in info.fields.iter().filter(|f| f.required) {
            let value = self.build(field.ty, field.name, field.values, depth + 1);
            map.insert(field.name.to_owned(), value);
        }
        if info.name == "InaccessibleMessage" {
            // A date of 0 is what marks a message the bot can no longer see.
            map.insert("date".to_owned(), Value::from(0));
        }
        Value::Object(map)
    }
}

fn integer(name: &str) -> i64 {
    if name == "date" || name.ends_with("_date") {
        DATE
    } else if name == "chat_id" || name.ends_with("_chat_id") {
        CHAT_ID
    } else {
        1
    }
}

fn string(name: &str, values: &[&str]) -> String {
    if let Some(first) = values.first() {
        return (*first).to_owned();
    }
    let text = match name {
        "" => "text",
        "first_name" => "Emulated",
        "title" => "Emulated chat",
        "username" => "emulated",
        "language_code" => "en",
        "currency" => "XTR",
        "invite_link" => "https://t.me/+emulated",
        _ if name == "url" || name.ends_with("_url") => "https://example.org/emulated",
        _ => name,
    };
    text.to_owned()
}

/// Whether a type expression names only things the builder knows (for tests).
#[cfg(test)]
fn builds_completely(ty: &str) -> bool {
    let mut builder = Builder::default();
    builder.top(ty, "", &[]);
    !builder.incomplete
}

#[cfg(test)]
mod tests {
    use super::*;
    use botapi_proto::meta;
    use serde_json::json;

    #[test]
    fn every_type_and_every_method_type_builds_within_the_limit() {
        for info in meta::TYPES {
            assert!(builds_completely(info.name), "{}", info.name);
        }
        for method in meta::METHODS {
            assert!(builds_completely(method.returns), "{}", method.name);
            for param in method.params {
                assert!(
                    builds_completely(param.ty),
                    "{}.{}: {}",
                    method.name,
                    param.name,
                    param.ty
                );
            }
        }
    }

    #[test]
    fn the_limit_stops_a_runaway_build() {
        let mut builder = Builder::default();
        assert_eq!(
            builder.object("Message", DEPTH_LIMIT),
            Value::Object(Map::new())
        );
        assert!(builder.incomplete);
        let mut builder = Builder::default();
        assert_eq!(builder.top("NoSuchType", "", &[]), json!({}));
        assert!(builder.incomplete);
    }

    #[test]
    fn primitives_and_names() {
        assert_eq!(value("Integer"), json!(1));
        assert_eq!(value("Float"), json!(0.0));
        assert_eq!(value("Boolean"), json!(false));
        assert_eq!(value("True"), json!(true));
        assert_eq!(value("String"), json!("text"));
        assert_eq!(value("Integer or String"), json!(1));
        assert_eq!(value("InputFile or String"), json!("text"));
        assert_eq!(value("Array of Array of Integer"), json!([[1]]));
        assert_eq!(value("User")["id"], 1);
        assert_eq!(value("Message")["chat"]["id"], 1);
        assert_eq!(string("status", &["creator", "member"]), "creator");
        assert_eq!(string("thumbnail_url", &[]), "https://example.org/emulated");
        assert_eq!(integer("until_date"), DATE);
        assert_eq!(integer("from_chat_id"), CHAT_ID);
    }

    #[test]
    fn alternatives_take_the_first() {
        assert_eq!(single("A or B or C"), "A");
        assert_eq!(
            single("InputMediaAudio, InputMediaDocument and InputMediaPhoto"),
            "InputMediaAudio"
        );
        assert_eq!(single(" Message "), "Message");
    }

    #[test]
    fn objects_hold_their_required_fields_only() {
        let message = value("Message");
        assert_eq!(
            message,
            json!({"message_id": 1, "date": DATE, "chat": {"id": 1, "type": "private"}})
        );
        let user = value("User");
        assert_eq!(
            user,
            json!({"id": 1, "is_bot": false, "first_name": "Emulated"})
        );
    }

    #[test]
    fn unions_take_their_first_variant_with_its_tag() {
        let member = value("ChatMember");
        assert_eq!(member["status"], "creator");
        assert!(member["user"].is_object());
        let origin = value("MessageOrigin");
        assert_eq!(origin["type"], "user");
        assert_eq!(origin["date"], DATE);
        // Untagged: MaybeInaccessibleMessage is a Message, whose date is not 0.
        assert_eq!(value("MaybeInaccessibleMessage")["date"], DATE);
        assert_eq!(value("InaccessibleMessage")["date"], 0);
        // RichText's first variant is plain text.
        assert_eq!(value("RichText"), json!("text"));
        assert_eq!(concrete("ChatMember").unwrap().name, "ChatMemberOwner");
        assert_eq!(concrete("Message").unwrap().name, "Message");
        assert!(concrete("Integer").is_none());
    }

    #[test]
    fn required_params_fill_a_minimal_call() {
        let action = required_params(meta::method("sendChatAction").unwrap());
        assert_eq!(action["action"], "typing");
        assert_eq!(action["chat_id"], CHAT_ID);
        let group = required_params(meta::method("sendMediaGroup").unwrap());
        assert_eq!(group["media"].as_array().unwrap().len(), 1);
        assert_eq!(group["media"][0]["type"], "audio");
        let hook = required_params(meta::method("setWebhook").unwrap());
        assert_eq!(hook["url"], "https://example.org/emulated");
        assert!(required_params(meta::method("getMe").unwrap()).is_empty());
    }
}
