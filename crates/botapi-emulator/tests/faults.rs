//! Every injected fault, as it appears on the wire and as the core decodes it, and the order
//! in which queued faults are used.

mod support;

use std::time::{Duration, Instant};

use botapi_emulator::{DEFAULT_TOKEN, Emulator, Fault};
use botapi_proto::{DecodeError, MalformedKind, methods::GetMe};
use http::StatusCode;
use serde_json::json;
use support::*;

fn get_me(emulator: &Emulator) -> std::io::Result<Answer> {
    request(
        emulator.addr(),
        "POST",
        &path(DEFAULT_TOKEN, "getMe"),
        &[],
        b"",
    )
}

/// The normal getMe envelope, byte for byte.
fn normal_get_me(emulator: &Emulator) -> Vec<u8> {
    let answer = get_me(emulator).unwrap();
    assert_eq!(answer.status, 200);
    answer.body
}

fn decode(emulator: &Emulator, answer: &Answer) -> Result<botapi_proto::types::User, DecodeError> {
    let status = StatusCode::from_u16(answer.status).unwrap();
    emulator
        .client()
        .decode(&GetMe::new(), status, &answer.body)
}

#[test]
fn too_many_requests_carries_retry_after() {
    let emulator = Emulator::start().unwrap();
    emulator.inject("getMe", Fault::TooManyRequests { retry_after: 7 }, 1);
    let answer = get_me(&emulator).unwrap();
    answer.assert_error(429, "Too Many Requests: retry after 7");
    assert_eq!(answer.json()["parameters"], json!({"retry_after": 7}));
    match decode(&emulator, &answer) {
        Err(DecodeError::Api(e)) => assert_eq!(e.retry_after(), Some(Duration::from_secs(7))),
        other => panic!("{other:?}"),
    }
    assert_eq!(get_me(&emulator).unwrap().status, 200, "used once only");
}

#[test]
fn migrate_carries_the_new_chat_id() {
    let emulator = Emulator::start().unwrap();
    emulator.inject(
        "getMe",
        Fault::Migrate {
            to_chat_id: -1001234567890123,
        },
        1,
    );
    let answer = get_me(&emulator).unwrap();
    answer.assert_error(
        400,
        "Bad Request: group chat was upgraded to a supergroup chat",
    );
    assert_eq!(
        answer.json()["parameters"]["migrate_to_chat_id"],
        -1001234567890123i64
    );
    match decode(&emulator, &answer) {
        Err(DecodeError::Api(e)) => assert_eq!(e.migrate_to_chat_id(), Some(-1001234567890123)),
        other => panic!("{other:?}"),
    }
}

#[test]
fn bad_gateway_is_an_html_page() {
    let emulator = Emulator::start().unwrap();
    emulator.inject("getMe", Fault::BadGatewayHtml, 1);
    let answer = get_me(&emulator).unwrap();
    assert_eq!(answer.status, 502);
    assert_eq!(answer.header("content-type"), Some("text/html"));
    let page = String::from_utf8(answer.body.clone()).unwrap();
    assert!(page.contains("<h1>502 Bad Gateway</h1>"), "{page}");
    assert!(matches!(
        decode(&emulator, &answer),
        Err(DecodeError::Malformed(_))
    ));
}

#[test]
fn truncated_is_a_well_framed_half_envelope() {
    let emulator = Emulator::start().unwrap();
    let normal = normal_get_me(&emulator);
    emulator.inject("getMe", Fault::Truncated, 1);
    let answer = get_me(&emulator).unwrap();
    assert_eq!(answer.status, 200);
    assert_eq!(answer.header("content-type"), Some("application/json"));
    assert_eq!(answer.body, normal[..normal.len() / 2]);
    assert_eq!(answer.declared_length, Some(answer.body.len()));
    match decode(&emulator, &answer) {
        Err(DecodeError::Malformed(m)) => assert_eq!(m.kind, MalformedKind::Truncated),
        other => panic!("{other:?}"),
    }
}

#[test]
fn delay_answers_normally_after_the_delay() {
    let emulator = Emulator::start().unwrap();
    let normal = normal_get_me(&emulator);
    emulator.inject("getMe", Fault::Delay(Duration::from_millis(300)), 1);
    let started = Instant::now();
    let answer = get_me(&emulator).unwrap();
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(answer.body, normal);
}

#[test]
fn drop_connection_sends_nothing_then_service_resumes() {
    let emulator = Emulator::start().unwrap();
    emulator.inject("getMe", Fault::DropConnection, 1);
    let error = get_me(&emulator).unwrap_err();
    assert!(
        matches!(
            error.kind(),
            std::io::ErrorKind::UnexpectedEof | std::io::ErrorKind::ConnectionReset
        ) || error.to_string().contains("no end of headers"),
        "{error:?}"
    );
    assert_eq!(get_me(&emulator).unwrap().status, 200);
}

#[test]
fn oversized_pads_a_valid_envelope_to_the_exact_length() {
    let emulator = Emulator::start().unwrap();
    let normal = normal_get_me(&emulator);
    let size = 3 * 1024 * 1024 + 17;
    emulator.inject("getMe", Fault::Oversized { bytes: size }, 1);
    let answer = get_me(&emulator).unwrap();
    assert_eq!(answer.status, 200);
    assert_eq!(answer.declared_length, Some(size));
    assert_eq!(answer.body.len(), size);
    let padded: serde_json::Value = serde_json::from_slice(&answer.body).unwrap();
    let plain: serde_json::Value = serde_json::from_slice(&normal).unwrap();
    assert_eq!(padded, plain);
    assert_eq!(decode(&emulator, &answer).unwrap().id, 1234567890);
}

#[test]
fn broken_off_promises_more_than_it_sends() {
    let emulator = Emulator::start().unwrap();
    let normal = normal_get_me(&emulator);
    emulator.inject("getMe", Fault::BrokenOff, 1);
    let answer = get_me(&emulator).unwrap();
    assert_eq!(answer.status, 200);
    assert_eq!(answer.declared_length, Some(normal.len()));
    assert_eq!(answer.body, normal[..normal.len() / 2]);
}

#[test]
fn respond_sends_exactly_what_it_is_given() {
    let emulator = Emulator::start().unwrap();
    let body = b"\x00\xff not json \r\n\r\n".to_vec();
    emulator.inject(
        "getMe",
        Fault::Respond {
            status: 504,
            content_type: "application/octet-stream".to_owned(),
            body: body.clone(),
        },
        1,
    );
    let answer = get_me(&emulator).unwrap();
    assert_eq!(answer.status, 504);
    assert_eq!(
        answer.header("content-type"),
        Some("application/octet-stream")
    );
    assert_eq!(answer.body, body);
}

#[test]
fn faults_are_used_per_method_in_order_then_any() {
    let emulator = Emulator::start().unwrap();
    emulator.inject_any(Fault::BadGatewayHtml, 1);
    emulator.inject("GETME", Fault::TooManyRequests { retry_after: 1 }, 2);
    emulator.inject("getMe", Fault::Migrate { to_chat_id: -5 }, 1);
    let statuses: Vec<u16> = (0..5).map(|_| get_me(&emulator).unwrap().status).collect();
    assert_eq!(statuses, [429, 429, 400, 502, 200]);

    emulator.inject_any(Fault::TooManyRequests { retry_after: 2 }, 2);
    let close = post(emulator.addr(), &path(DEFAULT_TOKEN, "close"));
    assert_eq!(close.status, 429);
    // inject_any applies even to methods the emulator does not know.
    let unknown = post(emulator.addr(), &path(DEFAULT_TOKEN, "sendHologram"));
    assert_eq!(unknown.status, 429);
    post(emulator.addr(), &path(DEFAULT_TOKEN, "sendHologram"))
        .assert_error(404, "Not Found: method not found");
}

#[test]
fn faults_wait_for_a_registered_token() {
    let emulator = Emulator::start().unwrap();
    emulator.inject_any(Fault::TooManyRequests { retry_after: 3 }, 1);
    post(emulator.addr(), &path("1:unknown", "getMe")).assert_error(401, "Unauthorized");
    post(emulator.addr(), "/nowhere").assert_error(404, "Not Found");
    assert_eq!(get_me(&emulator).unwrap().status, 429, "still queued");
}

#[test]
fn replacing_faults_skip_the_method_and_altering_faults_run_it() {
    let emulator = Emulator::start().unwrap();
    emulator.inject("logOut", Fault::TooManyRequests { retry_after: 1 }, 1);
    assert_eq!(
        post(emulator.addr(), &path(DEFAULT_TOKEN, "logOut")).status,
        429
    );
    assert_eq!(
        get_me(&emulator).unwrap().status,
        200,
        "the refused logOut did nothing"
    );

    emulator.inject("logOut", Fault::Truncated, 1);
    assert_eq!(
        post(emulator.addr(), &path(DEFAULT_TOKEN, "logOut")).status,
        200
    );
    get_me(&emulator).unwrap().assert_error(401, "Unauthorized");
}

#[test]
fn clear_faults_forgets_queued_faults() {
    let emulator = Emulator::start().unwrap();
    emulator.inject("getMe", Fault::DropConnection, 3);
    emulator.inject_any(Fault::DropConnection, 3);
    emulator.clear_faults();
    assert_eq!(get_me(&emulator).unwrap().status, 200);
}

#[test]
fn faults_apply_to_error_answers_too() {
    // An altering fault changes how the normal answer arrives, whatever it is.
    let emulator = Emulator::start().unwrap();
    emulator.inject("setWebhook", Fault::Oversized { bytes: 4096 }, 1);
    let answer = post(emulator.addr(), &path(DEFAULT_TOKEN, "setWebhook"));
    assert_eq!(answer.status, 400);
    assert_eq!(answer.body.len(), 4096);
    assert_eq!(answer.json()["description"], "Bad Request: url is empty");
}
