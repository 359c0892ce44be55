//! The emulator's wire protocol: routing, status codes, envelopes, and each method it answers,
//! driven by a raw HTTP client.

mod support;

use std::time::Duration;

use botapi_emulator::{DEFAULT_TOKEN, Emulator, default_bot};
use botapi_proto::types::User;
use botapi_proto::{InputFile, methods::SetWebhook};
use serde_json::json;
use support::*;

#[test]
fn get_me_answers_the_default_bot_by_post_and_get() {
    let emulator = Emulator::start().unwrap();
    let expected = serde_json::to_value(default_bot()).unwrap();
    let by_post = post(emulator.addr(), &path(DEFAULT_TOKEN, "getMe"));
    assert_eq!(by_post.result(), expected);
    assert_eq!(by_post.result()["id"], 1234567890);
    assert_eq!(by_post.result()["username"], "emulator_bot");
    assert_eq!(by_post.result()["can_join_groups"], true);
    let by_get = get(emulator.addr(), &path(DEFAULT_TOKEN, "getMe"));
    assert_eq!(by_get.result(), expected);
    assert_eq!(
        emulator.api_url().as_str(),
        format!("http://{}", emulator.addr())
    );
}

#[test]
fn method_names_match_without_case() {
    let emulator = Emulator::start().unwrap();
    for name in ["getme", "GETME", "GetMe"] {
        assert_eq!(
            post(emulator.addr(), &path(DEFAULT_TOKEN, name)).result()["id"],
            1234567890
        );
    }
}

#[test]
fn refusals_have_the_right_status_and_envelope() {
    let emulator = Emulator::start().unwrap();
    let addr = emulator.addr();
    post(addr, &path("1234567890:WrongSecret", "getMe")).assert_error(401, "Unauthorized");
    post(addr, &path("999:EmulatorToken", "getMe")).assert_error(401, "Unauthorized");
    post(addr, &path(DEFAULT_TOKEN, "sendSomethingNew"))
        .assert_error(404, "Not Found: method not found");
    post(addr, &format!("/bot{DEFAULT_TOKEN}/")).assert_error(404, "Not Found: method not found");
    post(addr, "/bot1:unknown/").assert_error(401, "Unauthorized");
    for bad_path in [
        "/".to_owned(),
        "/favicon.ico".to_owned(),
        format!("/bot{DEFAULT_TOKEN}"),
        format!("/bot{DEFAULT_TOKEN}/getMe/extra"),
        format!("/file/bot{DEFAULT_TOKEN}/photos/file_1.jpg"),
        "/botnot-a-token/getMe".to_owned(),
        "/bot:secret/getMe".to_owned(),
    ] {
        post(addr, &bad_path).assert_error(404, "Not Found");
        get(addr, &bad_path).assert_error(404, "Not Found");
    }
}

#[test]
fn log_out_locks_the_bot_out_until_the_window_ends() {
    let emulator = Emulator::builder()
        .logout_lockout(Duration::from_millis(300))
        .start()
        .unwrap();
    let addr = emulator.addr();
    assert_eq!(post(addr, &path(DEFAULT_TOKEN, "logOut")).result(), true);
    post(addr, &path(DEFAULT_TOKEN, "getMe")).assert_error(401, "Unauthorized");
    post(addr, &path(DEFAULT_TOKEN, "logOut")).assert_error(401, "Unauthorized");
    std::thread::sleep(Duration::from_millis(400));
    assert_eq!(
        post(addr, &path(DEFAULT_TOKEN, "getMe")).result()["id"],
        1234567890
    );
}

#[test]
fn the_default_lockout_outlasts_a_test() {
    let emulator = Emulator::start().unwrap();
    assert_eq!(
        post(emulator.addr(), &path(DEFAULT_TOKEN, "logOut")).result(),
        true
    );
    std::thread::sleep(Duration::from_millis(100));
    post(emulator.addr(), &path(DEFAULT_TOKEN, "getMe")).assert_error(401, "Unauthorized");
}

#[test]
fn close_succeeds_and_leaves_the_bot_usable() {
    let emulator = Emulator::start().unwrap();
    assert_eq!(
        post(emulator.addr(), &path(DEFAULT_TOKEN, "close")).result(),
        true
    );
    assert_eq!(
        post(emulator.addr(), &path(DEFAULT_TOKEN, "getMe")).status,
        200
    );
}

#[test]
fn webhook_state_follows_set_and_delete() {
    let emulator = Emulator::start().unwrap();
    let addr = emulator.addr();
    let info = || post(addr, &path(DEFAULT_TOKEN, "getWebhookInfo")).result();
    assert_eq!(
        info(),
        json!({"url": "", "has_custom_certificate": false, "pending_update_count": 0})
    );

    let set = post_json(
        addr,
        &path(DEFAULT_TOKEN, "setWebhook"),
        &json!({
            "url": "https://bot.example/hook",
            "max_connections": 150,
            "allowed_updates": ["message", "callback_query"],
            "ip_address": "203.0.113.7",
            "secret_token": "s3cret_-token",
            "drop_pending_updates": true,
        }),
    );
    assert_eq!(set.result(), true);
    assert_eq!(set.json()["description"], "Webhook was set");
    assert_eq!(
        info(),
        json!({
            "url": "https://bot.example/hook",
            "has_custom_certificate": false,
            "pending_update_count": 0,
            "max_connections": 100,
            "ip_address": "203.0.113.7",
            "allowed_updates": ["message", "callback_query"],
        })
    );
    let again = post_json(
        addr,
        &path(DEFAULT_TOKEN, "setWebhook"),
        &json!({"url": "https://bot.example/hook"}),
    );
    assert_eq!(again.json()["description"], "Webhook is already set");
    assert_eq!(info()["max_connections"], 40);

    let deleted = post(addr, &path(DEFAULT_TOKEN, "deleteWebhook"));
    assert_eq!(deleted.result(), true);
    assert_eq!(deleted.json()["description"], "Webhook was deleted");
    assert_eq!(info()["url"], "");
    let twice = post(addr, &path(DEFAULT_TOKEN, "deleteWebhook"));
    assert_eq!(twice.json()["description"], "Webhook is already deleted");

    // An empty URL removes the webhook too.
    post_json(
        addr,
        &path(DEFAULT_TOKEN, "setWebhook"),
        &json!({"url": "https://a.example"}),
    );
    let empty = post_json(
        addr,
        &path(DEFAULT_TOKEN, "setWebhook"),
        &json!({"url": ""}),
    );
    assert_eq!(empty.json()["description"], "Webhook was deleted");
    assert_eq!(info()["url"], "");
}

#[test]
fn set_webhook_refuses_what_the_real_server_refuses() {
    let emulator = Emulator::start().unwrap();
    let call = |params: serde_json::Value| {
        post_json(emulator.addr(), &path(DEFAULT_TOKEN, "setWebhook"), &params)
    };
    call(json!({})).assert_error(400, "Bad Request: url is empty");
    post(emulator.addr(), &path(DEFAULT_TOKEN, "setWebhook"))
        .assert_error(400, "Bad Request: url is empty");
    call(json!({"url": "http://bot.example/hook"})).assert_error(
        400,
        "Bad Request: bad webhook: An HTTPS URL must be provided for webhook",
    );
    call(json!({"url": "https://bot.example:8080/hook"})).assert_error(
        400,
        "Bad Request: bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443",
    );
    call(json!({"url": "https://bot.example/", "secret_token": "no spaces"})).assert_error(
        400,
        "Bad Request: secret token contains unallowed characters",
    );
    call(json!({"url": "https://bot.example/", "allowed_updates": "message"}))
        .assert_error(400, "Bad Request: can't parse allowed updates");
    let info = post(emulator.addr(), &path(DEFAULT_TOKEN, "getWebhookInfo")).result();
    assert_eq!(info["url"], "", "a refused setWebhook changes nothing");
}

#[test]
fn multipart_certificate_is_recorded_byte_for_byte() {
    let emulator = Emulator::start().unwrap();
    // Every byte value, plus what could be mistaken for a boundary or a header end.
    let mut certificate: Vec<u8> = (0..=255u8).collect();
    certificate.extend_from_slice(b"\r\n--botapi-part\r\n\r\n--\r\n");
    let method = SetWebhook::new("https://bot.example:8443/hook")
        .certificate(InputFile::bytes("cert.pem", certificate.clone()))
        .max_connections(7);
    let request = emulator.client().encode(&method).unwrap();
    let answer = send_encoded(emulator.addr(), request);
    assert_eq!(answer.result(), true);

    let info = post(emulator.addr(), &path(DEFAULT_TOKEN, "getWebhookInfo")).result();
    assert_eq!(info["has_custom_certificate"], true);
    assert_eq!(info["max_connections"], 7);

    let log = emulator.requests();
    let upload = &log[0];
    assert_eq!(upload.method, "setWebhook");
    assert_eq!(upload.params["url"], "https://bot.example:8443/hook");
    assert_eq!(upload.params["max_connections"], 7);
    assert!(
        upload
            .header("content-type")
            .unwrap()
            .starts_with("multipart/form-data")
    );
    assert_eq!(upload.files.len(), 1);
    let file = upload.file("certificate").unwrap();
    assert_eq!(file.file_name.as_deref(), Some("cert.pem"));
    assert_eq!(file.data, certificate);
}

#[test]
fn certificate_by_attach_reference_counts() {
    let emulator = Emulator::start().unwrap();
    let body = b"--XYZ\r\nContent-Disposition: form-data; name=\"url\"\r\n\r\nhttps://b.example/\r\n\
--XYZ\r\nContent-Disposition: form-data; name=\"certificate\"\r\n\r\nattach://cert\r\n\
--XYZ\r\nContent-Disposition: form-data; name=\"cert\"; filename=\"c.pem\"\r\nContent-Type: application/x-pem-file\r\n\r\nPEM\r\n--XYZ--\r\n";
    let answer = request(
        emulator.addr(),
        "POST",
        &path(DEFAULT_TOKEN, "setWebhook"),
        &[("content-type", "multipart/form-data; boundary=XYZ")],
        body,
    )
    .unwrap();
    assert_eq!(answer.result(), true);
    let info = post(emulator.addr(), &path(DEFAULT_TOKEN, "getWebhookInfo")).result();
    assert_eq!(info["has_custom_certificate"], true);
    let file = emulator.requests()[0].file("cert").cloned().unwrap();
    assert_eq!(file.content_type.as_deref(), Some("application/x-pem-file"));
    assert_eq!(file.data, b"PEM");
}

#[test]
fn url_encoded_bodies_and_query_strings_are_parameters() {
    let emulator = Emulator::start().unwrap();
    let form = request(
        emulator.addr(),
        "POST",
        &path(DEFAULT_TOKEN, "setWebhook"),
        &[("content-type", "application/x-www-form-urlencoded")],
        b"url=https%3A%2F%2Fform.example%2Fh%3Fa%3D1&max_connections=12&allowed_updates=%5B%22message%22%5D",
    )
    .unwrap();
    assert_eq!(form.result(), true);
    let info = post(emulator.addr(), &path(DEFAULT_TOKEN, "getWebhookInfo")).result();
    assert_eq!(info["url"], "https://form.example/h?a=1");
    assert_eq!(info["max_connections"], 12);
    assert_eq!(info["allowed_updates"], json!(["message"]));

    let query = get(
        emulator.addr(),
        &format!(
            "{}?url=https://query.example/x&secret_token=abc&drop_pending_updates=true",
            path(DEFAULT_TOKEN, "setWebhook")
        ),
    );
    assert_eq!(query.result(), true);
    let info = get(emulator.addr(), &path(DEFAULT_TOKEN, "getWebhookInfo")).result();
    assert_eq!(info["url"], "https://query.example/x");

    let log = emulator.requests();
    assert_eq!(
        log[0].params,
        json!({
            "url": "https://form.example/h?a=1",
            "max_connections": 12,
            "allowed_updates": ["message"],
        })
    );
    assert_eq!(log[2].http_method, "GET");
    assert_eq!(
        log[2].params,
        json!({"url": "https://query.example/x", "secret_token": "abc", "drop_pending_updates": true})
    );
}

#[test]
fn malformed_bodies_get_400_saying_so() {
    let emulator = Emulator::start().unwrap();
    let send = |content_type: &str, body: &[u8]| {
        request(
            emulator.addr(),
            "POST",
            &path(DEFAULT_TOKEN, "getMe"),
            &[("content-type", content_type)],
            body,
        )
        .unwrap()
    };
    send("application/json", b"{\"broken\":")
        .assert_error(400, "Bad Request: can't parse JSON object");
    send("application/json", b"[1, 2]").assert_error(400, "Bad Request: can't parse JSON object");
    let multipart = send("multipart/form-data; boundary=B", b"--B\r\nno headers end");
    assert_eq!(multipart.status, 400);
    let description = multipart.json()["description"].as_str().unwrap().to_owned();
    assert!(
        description.starts_with("Bad Request: can't parse multipart/form-data"),
        "{description}"
    );
    send("multipart/form-data", b"--B\r\n").assert_error(
        400,
        "Bad Request: can't parse multipart/form-data body: content type is not multipart/form-data with a boundary",
    );
    send("application/x-www-form-urlencoded", b"a=%ff%fe").assert_error(
        400,
        "Bad Request: can't parse URL-encoded parameters: not UTF-8",
    );
    // A body of a type the Bot API does not read is ignored, as on the real server.
    assert_eq!(send("text/plain", b"hello").result()["id"], 1234567890);
    // Empty bodies are fine whatever their type.
    assert_eq!(send("application/json", b"").result()["id"], 1234567890);
}

#[test]
fn an_oversized_request_gets_413() {
    let emulator = Emulator::start().unwrap();
    let too_long = (botapi_emulator::MAX_BODY_BYTES + 1).to_string();
    let raw = format!(
        "POST {} HTTP/1.1\r\nhost: e\r\nconnection: close\r\ncontent-type: application/json\r\ncontent-length: {too_long}\r\n\r\n{{",
        path(DEFAULT_TOKEN, "getMe")
    );
    let answer = send_raw(emulator.addr(), raw.as_bytes()).unwrap();
    answer.assert_error(413, "Request Entity Too Large");
}

#[test]
fn each_registered_bot_has_its_own_user_and_state() {
    let (one, two) = ("111:first_secret", "222:second_secret");
    let mut second = User::new(222, true, "Second");
    second.username = Some("second_bot".into());
    let emulator = Emulator::builder()
        .bot(one.parse().unwrap(), User::new(111, true, "First"))
        .bot(two.parse().unwrap(), second)
        .start()
        .unwrap();
    let addr = emulator.addr();
    post(addr, &path(DEFAULT_TOKEN, "getMe")).assert_error(401, "Unauthorized");
    assert_eq!(
        post(addr, &path(one, "getMe")).result()["first_name"],
        "First"
    );
    assert_eq!(
        post(addr, &path(two, "getMe")).result()["username"],
        "second_bot"
    );

    post_json(
        addr,
        &path(one, "setWebhook"),
        &json!({"url": "https://one.example/"}),
    );
    assert_eq!(
        post(addr, &path(one, "getWebhookInfo")).result()["url"],
        "https://one.example/"
    );
    assert_eq!(post(addr, &path(two, "getWebhookInfo")).result()["url"], "");

    post(addr, &path(one, "logOut"));
    post(addr, &path(one, "getMe")).assert_error(401, "Unauthorized");
    assert_eq!(post(addr, &path(two, "getMe")).status, 200);
    assert_eq!(emulator.client().token().bot_id(), 111);
}
