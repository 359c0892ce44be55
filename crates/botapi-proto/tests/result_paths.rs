//! A result of the wrong shape reports the JSON path where decoding stopped. The decoder
//! finds it from serde_json's position in the text; these properties check that it names
//! exactly what a path-tracking deserializer (`serde_path_to_error`) names, over batches of
//! updates and messages with one value broken at random, and that the `Poller` hands the
//! broken update over with its place inside the update.

mod support;

use botapi_proto::methods::GetUpdates;
use botapi_proto::poll::{PolledUpdate, Poller};
use botapi_proto::types::{Message, Update};
use botapi_proto::{Client, DecodeError, MalformedKind, Token};
use http::StatusCode;
use proptest::prelude::*;
use proptest::sample::Index;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// The part of the envelope a result path goes through.
#[derive(Deserialize)]
#[allow(dead_code)] // read only to find where decoding fails
struct Envelope<R> {
    ok: bool,
    #[serde(default = "Option::default")]
    result: Option<R>,
}

/// One update alone, where `null` is not "no result".
#[derive(Deserialize)]
#[allow(dead_code)] // read only to find where decoding fails
struct Alone<R> {
    result: R,
}

fn client() -> Client {
    Client::new(Token::new("5:SENTINELpaths").unwrap())
}

fn message(id: i64, chat: i64) -> Value {
    json!({
        "message_id": id, "date": 1_700_000_000 + id,
        "from": {"id": 7_000_000_000_i64 + id, "is_bot": false, "first_name": "Ann", "language_code": "en"},
        "chat": {"id": chat, "type": "supergroup", "title": "Group \u{1f600}"},
        "text": "hello /start@bot", "entities": [
            {"offset": 0, "length": 5, "type": "bold"},
            {"offset": 6, "length": 10, "type": "bot_command"}
        ],
        "reply_markup": {"inline_keyboard": [[{"text": "ok", "callback_data": "y"}]]}
    })
}

/// A batch with the union, enum and nesting shapes that matter: messages, a callback query
/// with its message, a member update, a reaction.
fn batch() -> Value {
    let mut updates = vec![
        json!({"update_id": 1, "message": message(10, -100_123)}),
        json!({"update_id": 2, "edited_message": message(11, 42)}),
        json!({"update_id": 3, "callback_query": {
            "id": "q1", "from": {"id": 9, "is_bot": false, "first_name": "B"},
            "chat_instance": "ci", "data": "y", "message": message(12, 42)
        }}),
        json!({"update_id": 4, "my_chat_member": {
            "chat": {"id": 42, "type": "private", "first_name": "C"},
            "from": {"id": 42, "is_bot": false, "first_name": "C"}, "date": 5,
            "old_chat_member": {"status": "member", "user": {"id": 1, "is_bot": true, "first_name": "Bot"}},
            "new_chat_member": {"status": "kicked", "until_date": 0, "user": {"id": 1, "is_bot": true, "first_name": "Bot"}}
        }}),
        json!({"update_id": 5, "message_reaction": {
            "chat": {"id": -1_005, "type": "supergroup", "title": "G"}, "message_id": 3,
            "user": {"id": 8, "is_bot": false, "first_name": "D"}, "date": 6,
            "old_reaction": [], "new_reaction": [{"type": "emoji", "emoji": "\u{1f44d}"}]
        }}),
    ];
    if let Some(dir) = support::corpus_dir() {
        let text = std::fs::read_to_string(dir.join("response_getupdates_mixed_47.json")).unwrap();
        let envelope: Value = serde_json::from_str(&text).unwrap();
        updates.extend(
            envelope["result"]
                .as_array()
                .unwrap()
                .iter()
                .take(12)
                .cloned(),
        );
    }
    json!({"ok": true, "result": updates})
}

/// Every place in `value`, as a JSON pointer.
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                pointers(
                    child,
                    format!("{at}/{}", key.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                pointers(child, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
    out.push(at);
}

/// Breaks the value at `pointer`: another JSON type in its place, or (for an object's
/// field) the field removed.
fn break_at(root: &mut Value, pointer: &str, how: usize) {
    if how % 4 == 3
        && let Some((parent, key)) = pointer.rsplit_once('/')
        && let Some(Value::Object(map)) = root.pointer_mut(parent)
    {
        map.remove(&key.replace("~1", "/").replace("~0", "~"));
        return;
    }
    let Some(target) = root.pointer_mut(pointer) else {
        return;
    };
    let replacements = [
        json!("text"),
        json!(12.5),
        json!([1]),
        json!({"x": true}),
        json!(null),
        json!(-3),
    ];
    let kind = |v: &Value| std::mem::discriminant(v);
    let choices: Vec<&Value> = replacements
        .iter()
        .filter(|r| kind(r) != kind(target))
        .collect();
    *target = choices[how % choices.len()].clone();
}

/// The path `serde_path_to_error` reports for `text` as an envelope of `R`, if it fails.
fn expected_path<R: DeserializeOwned>(text: &str) -> Option<String> {
    let de = &mut serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize::<_, Envelope<R>>(de)
        .err()
        .map(|e| e.path().to_string())
}

fn check_result_path<R: DeserializeOwned + std::fmt::Debug>(
    text: &str,
) -> Result<(), TestCaseError> {
    let decoded = client().decode_as::<R>("anyMethod", StatusCode::OK, text.as_bytes());
    match (expected_path::<R>(text), decoded) {
        (None, Ok(_)) => {}
        (Some(path), Err(DecodeError::Malformed(e))) => {
            prop_assert_eq!(e.kind, MalformedKind::UnexpectedResult);
            prop_assert_eq!(e.path.as_deref(), Some(path.as_str()), "{}", e);
        }
        (expected, decoded) => {
            prop_assert!(false, "expected path {expected:?}, decoded {decoded:?}");
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(384))]

    #[test]
    fn update_paths_match_a_path_tracking_deserializer(at in any::<Index>(), how in 0usize..12) {
        let mut body = batch();
        let mut places = Vec::new();
        pointers(&body["result"], "/result".into(), &mut places);
        places.retain(|p| p != "/result");
        break_at(&mut body, at.get::<String>(&places), how);
        check_result_path::<Vec<Update>>(&body.to_string())?;
        // Pretty-printed, so that positions span lines.
        check_result_path::<Vec<Update>>(&serde_json::to_string_pretty(&body).unwrap())?;
    }

    #[test]
    fn message_paths_match_a_path_tracking_deserializer(at in any::<Index>(), how in 0usize..12) {
        let mut body = json!({"ok": true, "result": message(77, -10_077)});
        let mut places = Vec::new();
        pointers(&body["result"], "/result".into(), &mut places);
        places.retain(|p| p != "/result");
        break_at(&mut body, at.get::<String>(&places), how);
        check_result_path::<Message>(&serde_json::to_string_pretty(&body).unwrap())?;
    }

    #[test]
    fn the_poller_keeps_the_broken_update_and_its_place(at in any::<Index>(), how in 0usize..12) {
        let mut body = batch();
        let updates = body["result"].as_array().unwrap().len();
        let mut places = Vec::new();
        pointers(&body["result"], "/result".into(), &mut places);
        places.retain(|p| p != "/result");
        let pointer = at.get(&places).clone();
        break_at(&mut body, &pointer, how);
        let text = body.to_string();
        let batch = client()
            .decode(&Poller::new().request(), StatusCode::OK, text.as_bytes())
            .map_err(|e| TestCaseError::fail(format!("a batch of objects never fails: {e}")))?;
        prop_assert_eq!(batch.len(), updates);
        for (i, polled) in batch.iter().enumerate() {
            let sent = &body["result"][i];
            let text = json!({"result": sent}).to_string();
            let de = &mut serde_json::Deserializer::from_str(&text);
            let alone = serde_path_to_error::deserialize::<_, Alone<Update>>(de)
                .err()
                .map(|e| e.path().to_string());
            match (polled, alone) {
                (PolledUpdate::Update(u), None) => prop_assert_eq!(Some(u.update_id), sent["update_id"].as_i64()),
                (PolledUpdate::Unreadable(u), Some(path)) => {
                    prop_assert_eq!(&u.raw, sent);
                    prop_assert_eq!(u.update_id, sent["update_id"].as_i64());
                    // The envelope's path less its `result.` prefix is the place in the update.
                    let inside = path.strip_prefix("result.").map(str::to_owned);
                    prop_assert_eq!(&u.path, &inside, "{}", u.error);
                }
                (polled, alone) => prop_assert!(false, "update {i}: {polled:?} but alone it fails at {alone:?}"),
            }
        }
        // The typed path fails exactly when the poller kept an update raw.
        let unreadable = batch.iter().any(|u| matches!(u, PolledUpdate::Unreadable(_)));
        let typed = client().decode(&GetUpdates::new(), StatusCode::OK, text.as_bytes());
        prop_assert_eq!(typed.is_err(), unreadable);
    }
}
