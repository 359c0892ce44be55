//! Formatted text in sent messages: `parse_mode` markup and `entities`, turned into the
//! plain text and entities that the answer's `Message` carries, as the Bot API does.
//!
//! For a method with a `parse_mode` parameter, its `text` (with `entities`) and its
//! `caption` (with `caption_entities`) are read like this:
//!
//! - With `parse_mode` `HTML`, `MarkdownV2` or `Markdown` (any case), the markup is parsed
//!   ([`html`], [`markdown_v2`], [`markdown`]); malformed markup is a 400
//!   `Bad Request: can't parse entities: …` in the real server's words. Another non-empty
//!   `parse_mode` is a 400 `Bad Request: unsupported parse_mode`.
//! - Otherwise the `entities` sent are read (a 400 names what is wrong with them) and
//!   checked against the text (a range past the end or inside a surrogate pair is a 400
//!   in the real server's words). Entity types that only Telegram sets (mentions, URLs,
//!   commands, …) are dropped, as the real server drops them.
//! - Then both are [fixed](fix) as the real server fixes them (nesting, merging, trimming
//!   white space at the ends), and the limits are checked: a text of more than 4,096
//!   characters is `Bad Request: message is too long`, a caption of more than 1,024
//!   `Bad Request: message caption is too long` (counted in Unicode code points, as the
//!   real server counts), a text left empty is `Bad Request: message text is empty`, and
//!   an empty caption is no caption.
//!
//! The answer's `text`/`caption` is then the plain text and `entities`/`caption_entities`
//! the entities (absent when there are none). Not modelled: the entities the real server
//! finds in plain text by itself (URLs, mentions, hashtags, commands), and polls'
//! `question_parse_mode` and `explanation_parse_mode`.

mod fix;
mod html;
mod links;
mod markdown;
mod markdown_v2;

use botapi_proto::meta::MethodInfo;
use botapi_proto::types::{MessageEntity, MessageEntityType as T, User};
use serde_json::Value;

use crate::params::Params;

/// A text without markup and its entities.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Parsed {
    pub(crate) text: String,
    pub(crate) entities: Vec<MessageEntity>,
}

/// The formatted fields of one call, ready to go into its result.
#[derive(Debug, Default)]
pub(crate) struct Formatted {
    fields: Vec<Field>,
}

#[derive(Debug)]
struct Field {
    name: &'static str,
    entities_name: &'static str,
    /// `None` when the field is to be left out (an empty caption).
    value: Option<Parsed>,
}

/// The formatted fields: name, the parameter with its entities, the length limit, and the
/// refusal of a longer one.
const FIELDS: [(&str, &str, usize, &str); 2] = [
    ("text", "entities", 4096, "Bad Request: message is too long"),
    (
        "caption",
        "caption_entities",
        1024,
        "Bad Request: message caption is too long",
    ),
];

/// Reads the formatted fields of a call to `method`, or the description of the 400 the
/// real server answers.
pub(crate) fn read(method: &MethodInfo, params: &Params) -> Result<Formatted, String> {
    let mut formatted = Formatted::default();
    if method.param("parse_mode").is_none() {
        return Ok(formatted);
    }
    for (name, entities_name, limit, too_long) in FIELDS {
        if method.param(name).is_none() {
            continue;
        }
        let Some(source) = params.fields.get(name).and_then(as_text) else {
            continue;
        };
        let parse_mode = params.fields.get("parse_mode").and_then(as_text);
        let parsed = match parse_mode
            .as_deref()
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            None | Some("") => plain(&source, params.fields.get(entities_name))?,
            Some(mode) => parse(mode, &source)?,
        };
        let value = match fix::fix(&parsed.text, parsed.entities) {
            Some((text, entities)) => Some(Parsed { text, entities }),
            None if name == "text" => return Err("Bad Request: message text is empty".into()),
            None => None,
        };
        if value
            .as_ref()
            .is_some_and(|v| v.text.chars().count() > limit)
        {
            return Err(too_long.into());
        }
        formatted.fields.push(Field {
            name,
            entities_name,
            value,
        });
    }
    Ok(formatted)
}

impl Formatted {
    /// Puts the fields into `result` when it is an object (a `Message`).
    pub(crate) fn fill(&self, result: &mut Value) {
        let Value::Object(map) = result else {
            return;
        };
        for field in &self.fields {
            map.remove(field.entities_name);
            match &field.value {
                Some(parsed) => {
                    map.insert(field.name.to_owned(), Value::from(parsed.text.clone()));
                    if !parsed.entities.is_empty()
                        && let Ok(entities) = serde_json::to_value(&parsed.entities)
                    {
                        map.insert(field.entities_name.to_owned(), entities);
                    }
                }
                None => {
                    map.remove(field.name);
                }
            }
        }
    }
}

/// Parses `source` in `mode` (lower case).
fn parse(mode: &str, source: &str) -> Result<Parsed, String> {
    let parsed = match mode {
        "html" => html::parse(source),
        "markdownv2" => markdown_v2::parse(source),
        "markdown" => markdown::parse(source),
        _ => return Err("Bad Request: unsupported parse_mode".into()),
    };
    parsed.map_err(|why| format!("Bad Request: can't parse entities: {why}"))
}

/// A text sent without markup, with the `entities` sent beside it, if any.
fn plain(text: &str, entities: Option<&Value>) -> Result<Parsed, String> {
    let entities = match entities {
        None | Some(Value::Null) => Vec::new(),
        Some(value) => read_entities(value)?,
    };
    check_ranges(text, &entities)?;
    Ok(Parsed {
        text: text.to_owned(),
        entities,
    })
}

/// The entity types a bot may send; Telegram finds the others in the text itself.
fn settable(kind: &T) -> bool {
    matches!(
        kind,
        T::Bold
            | T::Italic
            | T::Underline
            | T::Strikethrough
            | T::Spoiler
            | T::Code
            | T::Pre
            | T::TextLink
            | T::TextMention
            | T::CustomEmoji
            | T::Blockquote
            | T::ExpandableBlockquote
            | T::DateTime
    )
}

/// Reads an `entities` parameter.
fn read_entities(value: &Value) -> Result<Vec<MessageEntity>, String> {
    let refuse = |why: &str| Err(format!("Bad Request: can't parse MessageEntity: {why}"));
    let Value::Array(items) = value else {
        return Err("Bad Request: expected an Array of MessageEntity".into());
    };
    let mut entities = Vec::with_capacity(items.len());
    for item in items {
        let Value::Object(object) = item else {
            return refuse("expected an Object");
        };
        if object.get("type").is_none_or(|v| !v.is_string()) {
            return refuse("Field \"type\" must be of type String");
        }
        for field in ["offset", "length"] {
            if object.get(field).is_none_or(|v| v.as_i64().is_none()) {
                return refuse(&format!("Field \"{field}\" must be a valid Number"));
            }
        }
        let Ok(entity) = serde_json::from_value::<MessageEntity>(item.clone()) else {
            return refuse("wrong field types");
        };
        match &entity.r#type {
            T::Unknown(_) => return refuse("Unsupported type specified"),
            kind if !settable(kind) => continue,
            T::TextLink if entity.url.as_deref().is_none_or(str::is_empty) => {
                return refuse("Field \"url\" must be of type String");
            }
            T::TextMention if entity.user.is_none() => {
                return refuse("Field \"user\" must be of type Object");
            }
            T::CustomEmoji
                if entity
                    .custom_emoji_id
                    .as_deref()
                    .is_none_or(|id| id.parse::<i64>().is_err()) =>
            {
                return refuse("Field \"custom_emoji_id\" must be a valid Number");
            }
            _ => entities.push(entity),
        }
    }
    Ok(entities)
}

/// Checks each entity's range against `text`, in the real server's words.
fn check_ranges(text: &str, entities: &[MessageEntity]) -> Result<(), String> {
    let len16 = utf16_units(text) as i64;
    for entity in entities {
        let (offset, length) = (entity.offset, entity.length);
        if !(0..=1_000_000).contains(&offset) {
            return Err(format!(
                "Bad Request: receive an entity with incorrect offset {offset}"
            ));
        }
        if !(0..=1_000_000).contains(&length) {
            return Err(format!(
                "Bad Request: receive an entity with incorrect length {length}"
            ));
        }
        if offset > len16 {
            return Err(format!(
                "Bad Request: entity begins after the end of the text at UTF-16 offset {offset}"
            ));
        }
        let end = offset + length;
        if end > len16 {
            return Err(format!(
                "Bad Request: entity beginning at UTF-16 offset {offset} ends after the end \
                 of the text at UTF-16 offset {end}"
            ));
        }
        if let Some(byte) = inside_pair(text, offset) {
            return Err(format!(
                "Bad Request: entity begins in a middle of a UTF-16 symbol at byte offset {byte}"
            ));
        }
        if let Some(byte) = inside_pair(text, end) {
            return Err(format!(
                "Bad Request: entity beginning at UTF-16 offset {offset} ends in a middle of a \
                 UTF-16 symbol at byte offset {byte}"
            ));
        }
    }
    Ok(())
}

/// When UTF-16 position `unit` falls inside a surrogate pair, the byte position of the
/// character after that pair.
fn inside_pair(text: &str, unit: i64) -> Option<usize> {
    let mut at = 0;
    for (byte, c) in text.char_indices() {
        if at == unit {
            return None;
        }
        at += c.len_utf16() as i64;
        if at > unit {
            return Some(byte + c.len_utf8());
        }
    }
    None
}

/// The length of `text` in UTF-16 code units.
fn utf16_units(text: &str) -> usize {
    text.encode_utf16().count()
}

/// Sorts entities as the Bot API returns them: by offset, longer first, then by type.
fn sort(entities: &mut [MessageEntity]) {
    fn priority(e: &MessageEntity) -> u8 {
        match &e.r#type {
            T::Blockquote | T::ExpandableBlockquote => 0,
            T::Pre if e.language.is_some() => 10,
            T::Pre => 11,
            T::Code => 20,
            T::DateTime => 30,
            T::TextLink | T::TextMention => 49,
            T::Bold => 90,
            T::Italic => 91,
            T::Underline => 92,
            T::Strikethrough => 93,
            T::Spoiler => 94,
            T::CustomEmoji => 99,
            _ => 50,
        }
    }
    entities.sort_by_key(|e| (e.offset, std::cmp::Reverse(e.length), priority(e)));
}

/// The user a `tg://user?id=` link mentions: the real server fills in what it knows of
/// them; the emulator knows only the id.
fn mention(id: i64) -> User {
    User::new(id, false, "User")
}

/// A parameter's value as text (form fields that look like numbers arrive as numbers).
fn as_text(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use botapi_proto::meta;
    use serde_json::json;

    fn call(method: &str, fields: Value) -> Result<Value, String> {
        let params = Params {
            fields: fields.as_object().cloned().unwrap_or_default(),
            files: Vec::new(),
        };
        let formatted = read(meta::method(method).unwrap(), &params)?;
        let mut result = json!({"message_id": 1, "text": "raw", "caption": "raw"});
        formatted.fill(&mut result);
        Ok(result)
    }

    #[test]
    fn markup_comes_back_as_text_and_entities() {
        let sent = call(
            "sendMessage",
            json!({"text": "<b>hi</b> 👋", "parse_mode": "html"}),
        )
        .unwrap();
        assert_eq!(sent["text"], "hi 👋");
        assert_eq!(
            sent["entities"],
            json!([{"type": "bold", "offset": 0, "length": 2}])
        );
        let sent = call(
            "sendPhoto",
            json!({"caption": "*a*", "parse_mode": "MarkdownV2", "caption_entities": "ignored"}),
        )
        .unwrap();
        assert_eq!(sent["caption"], "a");
        assert_eq!(
            sent["caption_entities"],
            json!([{"type": "bold", "offset": 0, "length": 1}])
        );
    }

    #[test]
    fn entities_are_checked_fixed_and_echoed() {
        let sent = call(
            "sendMessage",
            json!({"text": "  ab  ", "entities": [
                {"type": "italic", "offset": 2, "length": 4},
                {"type": "url", "offset": 2, "length": 2},
                {"type": "bold", "offset": 2, "length": 1},
                {"type": "bold", "offset": 3, "length": 1},
            ]}),
        )
        .unwrap();
        // Leading spaces go up to the first entity, trailing ones clip the entities.
        assert_eq!(sent["text"], "ab");
        assert_eq!(
            sent["entities"],
            json!([{"type": "bold", "offset": 0, "length": 2}, {"type": "italic", "offset": 0, "length": 2}])
        );
        let plain = call("sendMessage", json!({"text": "x\n"})).unwrap();
        assert_eq!(plain["text"], "x");
        assert!(plain.get("entities").is_none());
    }

    #[test]
    fn bad_calls_get_the_real_servers_refusals() {
        let refusal = |method: &str, fields: Value| call(method, fields).unwrap_err();
        assert_eq!(
            refusal(
                "sendMessage",
                json!({"text": "a.b", "parse_mode": "MarkdownV2"})
            ),
            "Bad Request: can't parse entities: Character '.' is reserved and must be escaped \
             with the preceding '\\'"
        );
        assert_eq!(
            refusal("sendMessage", json!({"text": "x", "parse_mode": "BBCode"})),
            "Bad Request: unsupported parse_mode"
        );
        assert_eq!(
            refusal(
                "sendMessage",
                json!({"text": "<b> </b>", "parse_mode": "HTML"})
            ),
            "Bad Request: message text is empty"
        );
        assert_eq!(
            refusal(
                "sendMessage",
                json!({"text": "hello", "entities": [{"type": "bold", "offset": 0, "length": 100}]})
            ),
            "Bad Request: entity beginning at UTF-16 offset 0 ends after the end of the text at \
             UTF-16 offset 100"
        );
        assert_eq!(
            refusal(
                "sendMessage",
                json!({"text": "a😀b", "entities": [{"type": "bold", "offset": 2, "length": 1}]})
            ),
            "Bad Request: entity begins in a middle of a UTF-16 symbol at byte offset 5"
        );
        assert_eq!(
            refusal(
                "sendMessage",
                json!({"text": "a😀b", "entities": [{"type": "bold", "offset": 0, "length": 2}]})
            ),
            "Bad Request: entity beginning at UTF-16 offset 0 ends in a middle of a UTF-16 \
             symbol at byte offset 5"
        );
        assert_eq!(
            refusal(
                "sendMessage",
                json!({"text": "ab", "entities": [{"type": "sparkle", "offset": 0, "length": 1}]})
            ),
            "Bad Request: can't parse MessageEntity: Unsupported type specified"
        );
        assert_eq!(
            refusal(
                "sendMessage",
                json!({"text": "ab", "entities": {"type": "bold"}})
            ),
            "Bad Request: expected an Array of MessageEntity"
        );
        assert_eq!(
            refusal(
                "sendMessage",
                json!({"text": "ab", "entities": [{"type": "bold", "offset": -1, "length": 1}]})
            ),
            "Bad Request: receive an entity with incorrect offset -1"
        );
    }

    #[test]
    fn limits_count_code_points_after_parsing() {
        let at_limit = format!("<b>{}</b>", "😀".repeat(4096));
        let sent = call(
            "sendMessage",
            json!({"text": at_limit, "parse_mode": "HTML"}),
        )
        .unwrap();
        assert_eq!(sent["entities"][0]["length"], 8192);
        let over = "x".repeat(4097);
        assert_eq!(
            call("sendMessage", json!({"text": over})).unwrap_err(),
            "Bad Request: message is too long"
        );
        assert_eq!(
            call("sendPhoto", json!({"caption": "y".repeat(1025)})).unwrap_err(),
            "Bad Request: message caption is too long"
        );
        let empty_caption =
            call("sendPhoto", json!({"caption": " ", "parse_mode": "HTML"})).unwrap();
        assert!(empty_caption.get("caption").is_none());
        // A method without parse_mode keeps its text as sent.
        let params = Params::default();
        let formatted = read(meta::method("answerCallbackQuery").unwrap(), &params).unwrap();
        assert!(formatted.fields.is_empty());
    }
}
