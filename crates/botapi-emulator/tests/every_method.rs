//! Every method of Bot API 10.3 is answered: called through the core with its required
//! parameters, each answer decodes into the method's typed result; without one of them,
//! each call is refused naming it.

mod support;

use std::fmt::Debug;

use botapi_emulator::{DEFAULT_TOKEN, Emulator, plausible};
use botapi_proto::meta::{self, MethodInfo, MethodVisitor, visit_method};
use botapi_proto::methods::{SendMediaGroup, SendMessage, SendPhoto};
use botapi_proto::types::{InputMediaGroupItem, InputMediaPhoto};
use botapi_proto::{InputFile, Method};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};
use support::*;

/// Encodes the method built from `params` with the core, sends it to the emulator and
/// decodes the answer into the method's `Response`, given back as JSON.
struct RoundTrip<'a> {
    emulator: &'a Emulator,
    params: Value,
}

impl MethodVisitor for RoundTrip<'_> {
    type Output = Result<Value, String>;

    fn visit<M>(self) -> Self::Output
    where
        M: Method + Serialize + DeserializeOwned + Debug + Clone + 'static,
        M::Response: Serialize + Debug,
    {
        let method: M = serde_json::from_value(self.params)
            .map_err(|e| format!("the parameters do not build the method: {e}"))?;
        let client = self.emulator.client();
        let request = client.encode(&method).map_err(|e| format!("encode: {e}"))?;
        let answer = send_encoded(self.emulator.addr(), request);
        let status = http::StatusCode::from_u16(answer.status).map_err(|e| e.to_string())?;
        let response = client.decode(&method, status, &answer.body).map_err(|e| {
            format!(
                "decode: {e}; body: {}",
                String::from_utf8_lossy(&answer.body)
            )
        })?;
        serde_json::to_value(&response).map_err(|e| e.to_string())
    }
}

fn is_message_or_true(method: &MethodInfo) -> bool {
    method.returns == "Message or True"
}

/// The calls to make: the required parameters, and for "Message or True" methods both
/// forms (a message in a chat, an inline message).
fn forms(method: &MethodInfo) -> Vec<(&'static str, Map<String, Value>)> {
    let required = plausible::required_params(method);
    if !is_message_or_true(method) {
        return vec![("required", required)];
    }
    let mut in_chat = required.clone();
    in_chat.insert("chat_id".into(), json!(plausible::CHAT_ID));
    in_chat.insert("message_id".into(), json!(1));
    let mut inline = required;
    inline.insert("inline_message_id".into(), json!("inline-1"));
    vec![("chat message", in_chat), ("inline message", inline)]
}

#[test]
fn every_method_answers_with_its_typed_result() {
    let mut failures = Vec::new();
    let mut calls = 0;
    for method in meta::METHODS {
        for (form, params) in forms(method) {
            // A fresh emulator each time: logOut locks the bot out, setWebhook blocks
            // getUpdates.
            let emulator = Emulator::start().unwrap();
            let params = Value::Object(params);
            let visitor = RoundTrip {
                emulator: &emulator,
                params: params.clone(),
            };
            calls += 1;
            let result = match visit_method(method.name, &params, visitor) {
                None => Err("the core does not know it".to_owned()),
                Some(result) => result,
            };
            match result {
                Err(e) => failures.push(format!("{} ({form}): {e}", method.name)),
                Ok(result) => {
                    if let Some(problem) = check_echoes(method, &params, &result) {
                        failures.push(format!("{} ({form}): {problem}", method.name));
                    }
                }
            }
            let sent = emulator.requests();
            assert_eq!(sent.len(), 1, "{}", method.name);
            assert_eq!(sent[0].method, method.name);
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {calls} calls failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    let pairs = meta::METHODS
        .iter()
        .filter(|m| is_message_or_true(m))
        .count();
    assert_eq!(meta::METHODS.len(), 185);
    assert_eq!(calls, meta::METHODS.len() + pairs);
    eprintln!("{calls} calls over {} methods decoded", meta::METHODS.len());
}

/// What the typed result must show of the call: `true` for `True`, the chat that was named.
fn check_echoes(method: &MethodInfo, params: &Value, result: &Value) -> Option<String> {
    let inline = params.get("inline_message_id").is_some();
    if (method.returns == "True" || inline) && result != &json!(true) {
        return Some(format!("expected true, got {result}"));
    }
    let chat_id = params.get("chat_id").and_then(Value::as_i64);
    let first = match result {
        Value::Array(items) => items.first()?,
        other => other,
    };
    match (chat_id, first.pointer("/chat/id")) {
        (Some(sent), Some(got)) if got != &json!(sent) => {
            Some(format!("chat id {got} instead of {sent}"))
        }
        _ => None,
    }
}

#[test]
fn leaving_out_a_required_parameter_names_it() {
    let emulator = Emulator::start().unwrap();
    let mut checked = 0;
    for method in meta::METHODS {
        let full = plausible::required_params(method);
        for param in method.required_params() {
            let mut params = full.clone();
            params.remove(param.name);
            let answer = post_json(
                emulator.addr(),
                &path(DEFAULT_TOKEN, method.name),
                &Value::Object(params),
            );
            let expected = format!("Bad Request: {} is empty", param.name);
            assert_eq!(answer.status, 400, "{}: {}", method.name, param.name);
            assert_eq!(answer.json()["description"], expected, "{}", method.name);
            checked += 1;

            // An empty string is no value either (except setWebhook's url, where it asks
            // to remove the webhook, as on the real server).
            if full[param.name].is_string() && method.name != "setWebhook" {
                let mut params = full.clone();
                params.insert(param.name.to_owned(), json!(""));
                post_json(
                    emulator.addr(),
                    &path(DEFAULT_TOKEN, method.name),
                    &Value::Object(params),
                )
                .assert_error(400, &expected);
            }
        }
    }
    assert!(checked > 300, "only {checked} required parameters");
    // Nothing refused changed anything.
    let info = post(emulator.addr(), &path(DEFAULT_TOKEN, "getWebhookInfo")).result();
    assert_eq!(info["url"], "");
}

#[test]
fn an_edit_needs_a_chat_message_or_an_inline_one() {
    let emulator = Emulator::start().unwrap();
    let edit = path(DEFAULT_TOKEN, "editMessageText");
    post_json(emulator.addr(), &edit, &json!({"text": "x"}))
        .assert_error(400, "Bad Request: chat_id is empty");
    post_json(emulator.addr(), &edit, &json!({"chat_id": 5, "text": "x"}))
        .assert_error(400, "Bad Request: message_id is empty");
    let inline = post_json(
        emulator.addr(),
        &edit,
        &json!({"inline_message_id": "AAA", "text": "x"}),
    );
    assert_eq!(inline.result(), true);
    let edited = post_json(
        emulator.addr(),
        &edit,
        &json!({"chat_id": 5, "message_id": 77, "text": "new text"}),
    )
    .result();
    assert_eq!(edited["message_id"], 77);
    assert_eq!(edited["text"], "new text");
}

#[test]
fn sent_messages_echo_the_call_through_the_core() {
    let emulator = Emulator::start().unwrap();
    let client = emulator.client();
    let send = SendMessage::new(-1001987654321_i64, "hello there");
    let answer = send_encoded(emulator.addr(), client.encode(&send).unwrap());
    let message = client
        .decode(&send, http::StatusCode::OK, &answer.body)
        .unwrap();
    assert_eq!(message.chat.id, -1001987654321);
    assert_eq!(message.text.as_deref(), Some("hello there"));
    assert_eq!(message.from.as_ref().map(|u| u.id), Some(1234567890));
    let again = send_encoded(emulator.addr(), client.encode(&send).unwrap());
    let second = client
        .decode(&send, http::StatusCode::OK, &again.body)
        .unwrap();
    assert_eq!(second.message_id, message.message_id + 1);
    assert_eq!(second.date, plausible::DATE);
}

#[test]
fn uploaded_files_satisfy_file_parameters() {
    let emulator = Emulator::start().unwrap();
    let client = emulator.client();
    let jpeg = b"\xff\xd8\xff\xe0 not really a jpeg".to_vec();
    let send = SendPhoto::new(42, InputFile::bytes("cat.jpg", jpeg.clone())).caption("a cat");
    let request = client.encode(&send).unwrap();
    let answer = send_encoded(emulator.addr(), request);
    let message = client
        .decode(
            &send,
            http::StatusCode::from_u16(answer.status).unwrap(),
            &answer.body,
        )
        .unwrap();
    assert_eq!(message.chat.id, 42);
    assert_eq!(message.caption.as_deref(), Some("a cat"));
    let sent = &emulator.requests()[0];
    assert_eq!(sent.files.len(), 1);
    assert_eq!(sent.files[0].data, jpeg);

    // Files inside InputMedia travel as attach:// references to parts.
    let album: Vec<InputMediaGroupItem> = vec![
        InputMediaPhoto::new(InputFile::bytes("a.jpg", b"A".to_vec())).into(),
        InputMediaPhoto::new(InputFile::bytes("b.jpg", b"B".to_vec())).into(),
    ];
    let group = SendMediaGroup::new(42, album);
    let answer = send_encoded(emulator.addr(), client.encode(&group).unwrap());
    let messages = client
        .decode(
            &group,
            http::StatusCode::from_u16(answer.status).unwrap(),
            &answer.body,
        )
        .unwrap();
    assert_eq!(messages.len(), 2, "one message per album item");
    assert!(messages.iter().all(|m| m.chat.id == 42));
    assert_eq!(emulator.requests()[1].files.len(), 2);
}

#[test]
fn a_file_reference_must_name_a_part() {
    let emulator = Emulator::start().unwrap();
    let send = |body: &[u8]| {
        request(
            emulator.addr(),
            "POST",
            &path(DEFAULT_TOKEN, "sendDocument"),
            &[("content-type", "multipart/form-data; boundary=B")],
            body,
        )
        .unwrap()
    };
    let dangling = b"--B\r\nContent-Disposition: form-data; name=\"chat_id\"\r\n\r\n1\r\n\
--B\r\nContent-Disposition: form-data; name=\"document\"\r\n\r\nattach://doc\r\n--B--\r\n";
    send(dangling).assert_error(400, "Bad Request: document is empty");
    let attached = b"--B\r\nContent-Disposition: form-data; name=\"chat_id\"\r\n\r\n1\r\n\
--B\r\nContent-Disposition: form-data; name=\"document\"\r\n\r\nattach://doc\r\n\
--B\r\nContent-Disposition: form-data; name=\"doc\"; filename=\"a.txt\"\r\n\r\nhello\r\n--B--\r\n";
    assert_eq!(send(attached).result()["chat"]["id"], 1);
    let by_id = post_json(
        emulator.addr(),
        &path(DEFAULT_TOKEN, "sendDocument"),
        &json!({"chat_id": 1, "document": "BQACAgIAAxkBAAIB"}),
    );
    assert_eq!(by_id.result()["chat"]["id"], 1);
}

#[test]
fn unknown_methods_are_still_not_found() {
    let emulator = Emulator::start().unwrap();
    for name in ["sendHologram", "getMeNow", "send_message"] {
        post(emulator.addr(), &path(DEFAULT_TOKEN, name))
            .assert_error(404, "Not Found: method not found");
    }
    // Known methods match without regard to case, like the modelled ones.
    let answer = post_json(
        emulator.addr(),
        &path(DEFAULT_TOKEN, "SENDMESSAGE"),
        &json!({"chat_id": 3, "text": "hi"}),
    );
    assert_eq!(answer.result()["text"], "hi");
}
