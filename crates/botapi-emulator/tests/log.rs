//! The request log records what clients sent, and no token secret shows up in the log, in
//! `Debug` output or in any answer.

mod support;

use botapi_emulator::{DEFAULT_TOKEN, Emulator, Fault};
use botapi_proto::types::User;
use serde_json::json;
use support::*;

const SENTINEL: &str = "SENTINELsecret_do_not_print";

fn sentinel_token() -> String {
    format!("4242:{SENTINEL}")
}

#[test]
fn the_log_holds_method_params_headers_and_bot_id_in_order() {
    let emulator = Emulator::start().unwrap();
    let addr = emulator.addr();
    request(
        addr,
        "POST",
        &path(DEFAULT_TOKEN, "setWebhook"),
        &[
            ("content-type", "application/json"),
            ("X-Custom-Header", "Yes"),
        ],
        br#"{"url":"https://h.example/","max_connections":3}"#,
    )
    .unwrap();
    get(addr, &format!("{}?a=1&b=two", path(DEFAULT_TOKEN, "GETME")));
    post(addr, "/not/the/api");

    let log = emulator.requests();
    assert_eq!(log.len(), 3);
    assert_eq!(log[0].method, "setWebhook");
    assert_eq!(log[0].http_method, "POST");
    assert_eq!(log[0].bot_id, Some(1234567890));
    assert_eq!(
        log[0].params,
        json!({"url": "https://h.example/", "max_connections": 3})
    );
    assert_eq!(log[0].header("x-custom-header"), Some("Yes"));
    assert!(
        log[0]
            .headers
            .iter()
            .any(|(n, v)| n == "x-custom-header" && v == "Yes")
    );
    assert!(
        log[0]
            .headers
            .iter()
            .all(|(n, _)| *n == n.to_ascii_lowercase())
    );
    assert!(log[0].files.is_empty());

    assert_eq!(log[1].method, "GETME", "the name as the client spelled it");
    assert_eq!(log[1].http_method, "GET");
    assert_eq!(log[1].params, json!({"a": 1, "b": "two"}));
    assert_eq!(log[1].param("b"), Some(&json!("two")));

    assert_eq!(log[2].method, "");
    assert_eq!(log[2].bot_id, None);

    emulator.clear_requests();
    assert!(emulator.requests().is_empty());
    post(addr, &path(DEFAULT_TOKEN, "close"));
    assert_eq!(emulator.requests().len(), 1);
}

#[test]
fn refused_and_faulted_requests_are_logged_too() {
    let emulator = Emulator::start().unwrap();
    emulator.inject("getMe", Fault::DropConnection, 1);
    let _ = request(
        emulator.addr(),
        "POST",
        &path(DEFAULT_TOKEN, "getMe"),
        &[],
        b"",
    );
    post(emulator.addr(), &path("77:other", "getMe"));
    request(
        emulator.addr(),
        "POST",
        &path(DEFAULT_TOKEN, "getMe"),
        &[("content-type", "application/json")],
        b"{oops",
    )
    .unwrap();
    let log = emulator.requests();
    assert_eq!(log.len(), 3);
    assert_eq!(log[0].method, "getMe");
    assert_eq!(log[1].bot_id, Some(77));
    assert_eq!(log[2].params, json!({}));
}

#[test]
fn recording_can_be_turned_off() {
    let emulator = Emulator::builder().record_requests(false).start().unwrap();
    assert_eq!(
        post(emulator.addr(), &path(DEFAULT_TOKEN, "getMe")).status,
        200
    );
    assert!(emulator.requests().is_empty());
}

#[test]
fn no_secret_in_debug_log_or_answers() {
    let token = sentinel_token();
    let builder =
        Emulator::builder().bot(token.parse().unwrap(), User::new(4242, true, "Sentinel"));
    let builder_debug = format!("{builder:?}");
    assert!(builder_debug.contains("4242"), "{builder_debug}");
    let emulator = builder.start().unwrap();
    let addr = emulator.addr();

    let mut answers = Vec::new();
    // Generic answers echo parameters, and getUpdates has conflicts of its own.
    emulator.push_update(serde_json::json!({"message": {"text": "queued"}}));
    for (method, params) in [
        (
            "sendMessage",
            serde_json::json!({"chat_id": 5, "text": "hi"}),
        ),
        ("getUpdates", serde_json::json!({"offset": -1})),
        (
            "setWebhook",
            serde_json::json!({"url": "https://bot.example/"}),
        ),
        ("getUpdates", serde_json::json!({})),
        ("deleteWebhook", serde_json::json!({})),
    ] {
        answers.push(post_json(addr, &path(&token, method), &params));
    }
    assert_eq!(answers[3].status, 409);
    emulator.inject("getWebhookInfo", Fault::Truncated, 1);
    for method in [
        "getMe",
        "nope",
        "sendMessage",
        "sendPhoto",
        "getUpdates",
        "setWebhook",
        "getWebhookInfo",
        "logOut",
        "getMe",
    ] {
        answers.push(post(addr, &path(&token, method)));
    }
    answers.push(post(addr, &path(&format!("4243:{SENTINEL}"), "getMe")));
    answers.push(post(addr, &path(&format!("x{SENTINEL}"), "getMe")));
    answers.push(post(addr, &format!("/file/bot{token}/x.jpg")));
    answers.push(
        request(
            addr,
            "POST",
            &path(&token, "setWebhook"),
            &[("content-type", "application/json")],
            b"{bad json",
        )
        .unwrap(),
    );
    answers.push(
        request(
            addr,
            "POST",
            &path(&token, "setWebhook"),
            &[("content-type", "multipart/form-data; boundary=q")],
            b"--q\r\nbroken",
        )
        .unwrap(),
    );
    for answer in &answers {
        let text = format!("{answer:?} {}", String::from_utf8_lossy(&answer.body));
        assert!(!text.contains(SENTINEL), "{text}");
    }
    let log = emulator.requests();
    assert_eq!(log.len(), answers.len());
    assert_eq!(log[0].bot_id, Some(4242));
    for text in [format!("{log:?}"), format!("{emulator:?}"), builder_debug] {
        assert!(!text.contains(SENTINEL), "{text}");
    }
}

#[test]
fn debug_shows_bot_ids_only() {
    let emulator = Emulator::start().unwrap();
    let debug = format!("{emulator:?}");
    assert!(debug.contains("1234567890"), "{debug}");
    assert!(!debug.contains("EmulatorToken"), "{debug}");
    let builder = format!(
        "{:?}",
        Emulator::builder().bot("1:SENTINELsecret".parse().unwrap(), User::new(1, true, "x"))
    );
    assert!(!builder.contains("SENTINEL"), "{builder}");
}
