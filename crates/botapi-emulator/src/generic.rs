//! Every method the emulator does not model in depth, answered from the core's metadata:
//! the required parameters are checked, and the result is a [plausible](crate::plausible)
//! value of the method's return type with a few parameters echoed back.
//!
//! The echoes make results look like answers to the call that was made: a result field
//! with the name and type of a parameter takes its value (`text`, `caption`, `name`, …);
//! `chat` (or the chat itself, for `getChat`) takes its id from `chat_id`; `user` takes
//! its id from `user_id`; a `Message` comes `from` the bot; each sent message gets the
//! bot's next `message_id`, while edits keep the one given.

use botapi_proto::meta::{MethodInfo, ParamInfo, TypeInfo};
use serde_json::{Map, Value};

use crate::bots::Bot;
use crate::handlers::Outcome;
use crate::markup;
use crate::params::Params;
use crate::params::{integer, text};
use crate::plausible;

/// How the reference ends the result of a method that returns `true` for an inline
/// message ("Message or True").
const OR_TRUE: &str = " or True";

/// The parameter that picks the inline form of a "Message or True" method.
const INLINE_MESSAGE_ID: &str = "inline_message_id";

/// The parameters that name a message in a chat, needed when there is no inline message.
const CHAT_MESSAGE: [&str; 2] = ["chat_id", "message_id"];

/// A result array for these parameters holds one element per entry (forwarded messages,
/// album items); other result arrays hold one element.
const COUNTED_BY: [&str; 2] = ["message_ids", "media"];

/// At most this many elements in a result array, as the Bot API never returns more per call.
const MAX_ELEMENTS: usize = 100;

/// Answers `method` for `bot`.
pub(crate) fn answer(bot: &mut Bot, method: &'static MethodInfo, params: &Params) -> Outcome {
    if let Some(missing) = first_missing(method, params) {
        return Outcome::missing(missing);
    }
    // A text or caption with parse_mode or entities comes back parsed, as Telegram keeps it.
    let formatted = match markup::read(method, params) {
        Ok(formatted) => formatted,
        Err(description) => {
            return Outcome::Refused {
                code: 400,
                description,
            };
        }
    };
    let mut result = result(bot, method, params);
    formatted.fill(&mut result);
    Outcome::done(result)
}

/// The first required parameter that is absent or empty, in the order of the reference.
fn first_missing(method: &'static MethodInfo, params: &Params) -> Option<&'static str> {
    if let Some(p) = method.required_params().find(|p| !present(p, params)) {
        return Some(p.name);
    }
    if method.returns.ends_with(OR_TRUE) && !has_value(params, INLINE_MESSAGE_ID) {
        return CHAT_MESSAGE
            .iter()
            .filter_map(|name| method.param(name))
            .find(|p| !present(p, params))
            .map(|p| p.name);
    }
    None
}

fn has_value(params: &Params, name: &str) -> bool {
    params.fields.get(name).is_some_and(|v| !v.is_null())
}

/// Whether `param` was sent with a value. A file may come as a file part of that name, as
/// `attach://<part>` naming a file part, or as a `file_id` or URL string.
fn present(param: &ParamInfo, params: &Params) -> bool {
    let has_part = |name: &str| params.files.iter().any(|f| f.field == name);
    match params.fields.get(param.name) {
        None | Some(Value::Null) => param.file && has_part(param.name),
        Some(Value::String(s)) => match s.strip_prefix("attach://") {
            Some(part) if param.file => has_part(part),
            _ => !s.is_empty(),
        },
        Some(Value::Array(items)) => !items.is_empty(),
        Some(_) => true,
    }
}

/// A plausible result with the parameters echoed.
fn result(bot: &mut Bot, method: &'static MethodInfo, params: &Params) -> Value {
    let returns = match method.returns.strip_suffix(OR_TRUE) {
        Some(_) if has_value(params, INLINE_MESSAGE_ID) => "True",
        Some(in_chat) => in_chat,
        None => method.returns,
    };
    let Some(item) = returns.strip_prefix("Array of ") else {
        return echoed(bot, method, returns, params);
    };
    let count = COUNTED_BY
        .iter()
        .find_map(|name| params.fields.get(*name)?.as_array().map(Vec::len))
        .unwrap_or(1)
        .clamp(1, MAX_ELEMENTS);
    let items = (0..count)
        .map(|_| echoed(bot, method, item, params))
        .collect();
    Value::Array(items)
}

/// One plausible value of `ty`, with the parameters echoed into it when it is an object.
fn echoed(bot: &mut Bot, method: &MethodInfo, ty: &str, params: &Params) -> Value {
    let mut value = plausible::value(ty);
    if let (Value::Object(map), Some(info)) = (&mut value, plausible::concrete(ty)) {
        echo(bot, method, info, map, params);
    }
    value
}

fn echo(
    bot: &mut Bot,
    method: &MethodInfo,
    info: &TypeInfo,
    map: &mut Map<String, Value>,
    params: &Params,
) {
    for field in info.fields {
        match (field.name, field.ty) {
            ("message_id", "Integer") if map.contains_key("message_id") => {
                let edits = method.name.starts_with("edit") || method.name.starts_with("stop");
                let given = params.fields.get("message_id").and_then(integer);
                let id = match given.filter(|_| edits) {
                    Some(id) => id,
                    None => bot.new_message_id(),
                };
                map.insert(field.name.to_owned(), Value::from(id));
            }
            ("chat", "Chat") => {
                if let (Some(Value::Object(chat)), Some(chat_id)) =
                    (map.get_mut("chat"), params.fields.get("chat_id"))
                {
                    fill_chat(chat, chat_id);
                }
            }
            ("from", "User") if info.name == "Message" => {
                let me = serde_json::to_value(&bot.user).unwrap_or(Value::Null);
                map.insert(field.name.to_owned(), me);
            }
            ("user", "User") => {
                let user_id = params.fields.get("user_id").and_then(integer);
                if let (Some(Value::Object(user)), Some(id)) = (map.get_mut("user"), user_id) {
                    user.insert("id".to_owned(), Value::from(id));
                }
            }
            (name, ty) => {
                let Some(sent) = params.fields.get(name) else {
                    continue;
                };
                let Some(value) = scalar(ty, sent) else {
                    continue;
                };
                // A field with listed values (a union's tag among them) takes only those.
                let listed = field.values.is_empty()
                    || value.as_str().is_some_and(|v| field.values.contains(&v));
                if listed {
                    map.insert(name.to_owned(), value);
                }
            }
        }
    }
    if matches!(info.name, "Chat" | "ChatFullInfo")
        && let Some(chat_id) = params.fields.get("chat_id")
    {
        fill_chat(map, chat_id);
    }
}

/// A parameter's value as a field of type `ty` holds it, when `ty` is a plain type and the
/// value fits it. Form fields arrive parsed as JSON where they parse, so a text of digits
/// comes as a number and is turned back into text for a string field.
fn scalar(ty: &str, sent: &Value) -> Option<Value> {
    match (ty, sent) {
        ("String", Value::String(_) | Value::Number(_) | Value::Bool(_)) => {
            Some(Value::from(text(sent)))
        }
        ("Integer", _) => integer(sent).map(Value::from),
        ("Float", Value::Number(n)) => n.as_f64().map(Value::from),
        ("Boolean", Value::Bool(_)) => Some(sent.clone()),
        _ => None,
    }
}

/// The id of a chat in a "channel" given by username.
const CHANNEL_ID: i64 = -1_001_000_000_001;
/// Supergroup and channel ids are at or below this.
const SUPERGROUP_IDS: i64 = -1_000_000_000_000;

/// Makes `chat` the chat that `chat_id` names: its id and a matching type, or for
/// `@username` a channel of that username.
fn fill_chat(chat: &mut Map<String, Value>, chat_id: &Value) {
    let id = integer(chat_id);
    let (id, kind) = match (id, chat_id.as_str()) {
        (Some(id), _) if id > 0 => (id, "private"),
        (Some(id), _) if id <= SUPERGROUP_IDS => (id, "supergroup"),
        (Some(id), _) => (id, "group"),
        (None, Some(name)) if name.starts_with('@') && name.len() > 1 => {
            chat.insert("username".to_owned(), Value::from(&name[1..]));
            (CHANNEL_ID, "channel")
        }
        _ => return,
    };
    chat.insert("id".to_owned(), Value::from(id));
    chat.insert("type".to_owned(), Value::from(kind));
}

#[cfg(test)]
mod tests {
    use super::*;
    use botapi_proto::meta;
    use botapi_proto::types::User;
    use serde_json::json;

    use crate::log::RecordedFile;

    fn bot() -> Bot {
        Bot::new("1:abc".parse().unwrap(), User::new(1, true, "One"))
    }

    fn with(fields: Value) -> Params {
        Params {
            fields: fields.as_object().cloned().unwrap_or_default(),
            files: Vec::new(),
        }
    }

    fn call(name: &str, params: &Params) -> Outcome {
        answer(&mut bot(), meta::method(name).unwrap(), params)
    }

    fn result_of(outcome: Outcome) -> Value {
        match outcome {
            Outcome::Done { result, .. } => result,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn missing_and_empty_parameters_are_named_in_order() {
        assert_eq!(
            call("sendMessage", &with(json!({}))),
            Outcome::missing("chat_id")
        );
        assert_eq!(
            call("sendMessage", &with(json!({"chat_id": 5, "text": ""}))),
            Outcome::missing("text")
        );
        assert_eq!(
            call("sendMessage", &with(json!({"chat_id": null, "text": "x"}))),
            Outcome::missing("chat_id")
        );
        assert_eq!(
            call(
                "forwardMessages",
                &with(json!({"chat_id": 1, "from_chat_id": 2, "message_ids": []}))
            ),
            Outcome::missing("message_ids")
        );
    }

    #[test]
    fn files_count_as_parts_references_or_strings() {
        let mut params = with(json!({"chat_id": 1}));
        assert_eq!(call("sendPhoto", &params), Outcome::missing("photo"));
        params.files.push(RecordedFile {
            field: "photo".into(),
            file_name: Some("p.jpg".into()),
            content_type: None,
            data: b"jpeg".to_vec(),
        });
        assert!(matches!(call("sendPhoto", &params), Outcome::Done { .. }));

        let mut params = with(json!({"chat_id": 1, "photo": "attach://file0"}));
        assert_eq!(call("sendPhoto", &params), Outcome::missing("photo"));
        params.files.push(RecordedFile {
            field: "file0".into(),
            file_name: Some("p.jpg".into()),
            content_type: None,
            data: Vec::new(),
        });
        assert!(matches!(call("sendPhoto", &params), Outcome::Done { .. }));

        let params = with(json!({"chat_id": 1, "photo": "AgACAgIAAxkBAAI"}));
        assert!(matches!(call("sendPhoto", &params), Outcome::Done { .. }));
    }

    #[test]
    fn message_or_true_needs_a_chat_message_or_an_inline_one() {
        assert_eq!(
            call("editMessageText", &with(json!({"text": "x"}))),
            Outcome::missing("chat_id")
        );
        assert_eq!(
            call("editMessageText", &with(json!({"chat_id": 1, "text": "x"}))),
            Outcome::missing("message_id")
        );
        let inline = with(json!({"inline_message_id": "abc", "text": "x"}));
        assert_eq!(result_of(call("editMessageText", &inline)), json!(true));
        let edited = result_of(call(
            "editMessageText",
            &with(json!({"chat_id": 7, "message_id": 42, "text": "new"})),
        ));
        assert_eq!(edited["message_id"], 42);
        assert_eq!(edited["text"], "new");
        assert_eq!(edited["chat"], json!({"id": 7, "type": "private"}));
    }

    #[test]
    fn sent_messages_echo_the_call() {
        let mut bot = bot();
        let send = meta::method("sendMessage").unwrap();
        let params =
            with(json!({"chat_id": -1001234567890_i64, "text": "hello", "message_thread_id": 9}));
        let first = result_of(answer(&mut bot, send, &params));
        assert_eq!(
            first["chat"],
            json!({"id": -1001234567890_i64, "type": "supergroup"})
        );
        assert_eq!(first["text"], "hello");
        assert_eq!(first["message_thread_id"], 9);
        assert_eq!(first["from"]["id"], 1);
        assert_eq!(first["from"]["is_bot"], true);
        let second = result_of(answer(&mut bot, send, &params));
        assert_eq!(
            second["message_id"],
            first["message_id"].as_i64().unwrap() + 1
        );

        let by_name = result_of(answer(
            &mut bot,
            send,
            &with(json!({"chat_id": "@news", "text": 123})),
        ));
        assert_eq!(by_name["chat"]["type"], "channel");
        assert_eq!(by_name["chat"]["username"], "news");
        assert_eq!(by_name["text"], "123");
        let group = result_of(answer(
            &mut bot,
            send,
            &with(json!({"chat_id": "-42", "text": "x"})),
        ));
        assert_eq!(group["chat"], json!({"id": -42, "type": "group"}));
    }

    #[test]
    fn arrays_follow_the_entries_sent() {
        let copied = result_of(call(
            "copyMessages",
            &with(json!({"chat_id": 1, "from_chat_id": 2, "message_ids": [5, 6, 7]})),
        ));
        let ids: Vec<_> = copied
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["message_id"].as_i64().unwrap())
            .collect();
        assert_eq!(ids, [1, 2, 3]);
        let admins = result_of(call("getChatAdministrators", &with(json!({"chat_id": 1}))));
        assert_eq!(admins.as_array().unwrap().len(), 1);
    }

    #[test]
    fn chats_users_and_plain_fields_are_echoed() {
        let chat = result_of(call("getChat", &with(json!({"chat_id": 77}))));
        assert_eq!(chat["id"], 77);
        assert_eq!(chat["type"], "private");
        let member = result_of(call(
            "getChatMember",
            &with(json!({"chat_id": 1, "user_id": 99})),
        ));
        assert_eq!(member["status"], "creator");
        assert_eq!(member["user"]["id"], 99);
        let topic = result_of(call(
            "createForumTopic",
            &with(json!({"chat_id": 1, "name": "News", "icon_color": 7322096})),
        ));
        assert_eq!(topic["name"], "News");
        assert_eq!(topic["icon_color"], 7322096);
        let file = result_of(call("getFile", &with(json!({"file_id": "abc"}))));
        assert_eq!(file["file_id"], "abc");
    }

    #[test]
    fn echoes_never_break_listed_values() {
        let mut map = Map::new();
        let info = plausible::concrete("ChatMember").unwrap();
        let params = with(json!({"status": "nonsense"}));
        echo(
            &mut bot(),
            meta::method("getChatMember").unwrap(),
            info,
            &mut map,
            &params,
        );
        assert!(map.get("status").is_none());
        assert_eq!(scalar("String", &json!([1])), None);
        assert_eq!(scalar("Integer", &json!("12")), Some(json!(12)));
        assert_eq!(scalar("Boolean", &json!("true")), None);
    }
}
