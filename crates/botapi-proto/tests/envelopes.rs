//! Decoding answers: every shape of envelope the Bot API (or something in front of it) can
//! send, and the real error and identity payloads in `../shared/corpus` when it is present.

use std::path::PathBuf;
use std::time::Duration;

use botapi_proto::methods::{GetMe, GetWebhookInfo, LogOut};
use botapi_proto::{
    ApiError, Call, Client, DecodeError, ErrorKind, MalformedKind, MalformedResponse, Method, Token,
};
use http::StatusCode;
use serde_json::{Value, json};

const SECRET: &str = "SENTINELsecret-value_9";

fn client() -> Client {
    Client::new(Token::new(format!("77:{SECRET}")).unwrap())
}

fn decode<M: Method>(method: &M, status: u16, body: &[u8]) -> Result<M::Response, DecodeError> {
    client().decode(method, StatusCode::from_u16(status).unwrap(), body)
}

fn api_error<M: Method>(method: &M, status: u16, body: &[u8]) -> ApiError
where
    M::Response: std::fmt::Debug,
{
    match decode(method, status, body) {
        Err(DecodeError::Api(e)) => *e,
        other => panic!("expected an API error, got {other:?}"),
    }
}

fn malformed<M: Method>(method: &M, status: u16, body: &[u8]) -> MalformedResponse
where
    M::Response: std::fmt::Debug,
{
    match decode(method, status, body) {
        Err(DecodeError::Malformed(e)) => *e,
        other => panic!("expected a malformed answer, got {other:?}"),
    }
}

#[test]
fn success_gives_the_typed_result() {
    let body = br#"{"ok":true,"result":{"id":7000000000123,"is_bot":true,"first_name":"Bot","username":"b_bot","can_join_groups":true,"some_future_field":{"x":1}}}"#;
    let me = decode(&GetMe::new(), 200, body).unwrap();
    assert_eq!(me.id, 7_000_000_000_123);
    assert_eq!(me.username.as_deref(), Some("b_bot"));
    assert_eq!(me.can_join_groups, Some(true));
    assert!(decode(&LogOut::new(), 200, br#"{"ok":true,"result":true}"#).unwrap());
}

#[test]
fn ok_without_result_is_malformed() {
    for body in [&br#"{"ok":true}"#[..], br#"{"ok":true,"result":null}"#] {
        let e = malformed(&GetMe::new(), 200, body);
        assert_eq!(e.kind, MalformedKind::MissingResult);
        assert_eq!(e.status, StatusCode::OK);
    }
}

#[test]
fn unauthorized_and_not_found() {
    let e = api_error(
        &GetMe::new(),
        401,
        br#"{"ok":false,"error_code":401,"description":"Unauthorized"}"#,
    );
    assert_eq!(
        (e.kind(), e.code(), e.description.as_str()),
        (ErrorKind::Unauthorized, 401, "Unauthorized")
    );
    assert_eq!(e.method, "getMe");
    let e = api_error(
        &Call::new("noSuchMethod"),
        404,
        br#"{"ok":false,"error_code":404,"description":"Not Found"}"#,
    );
    assert_eq!(
        (e.kind(), &*e.method),
        (ErrorKind::NotFound, "noSuchMethod")
    );
    assert_eq!(e.to_string(), "noSuchMethod: Bot API error 404: Not Found");
}

#[test]
fn migrate_to_chat_id_is_exact() {
    let body = br#"{"ok":false,"error_code":400,"description":"Bad Request: group chat was upgraded to a supergroup chat","parameters":{"migrate_to_chat_id":-1009007199254740993}}"#;
    let e = api_error(&GetMe::new(), 400, body);
    assert_eq!(e.kind(), ErrorKind::BadRequest);
    assert_eq!(e.migrate_to_chat_id(), Some(-1_009_007_199_254_740_993));
    assert_eq!(e.retry_after(), None);
}

#[test]
fn retry_after_is_read_from_parameters_not_text() {
    let body = br#"{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 99","parameters":{"retry_after":7}}"#;
    let e = api_error(&GetMe::new(), 429, body);
    assert_eq!(e.kind(), ErrorKind::TooManyRequests);
    assert_eq!(e.retry_after(), Some(Duration::from_secs(7)));
    assert_eq!(e.status, StatusCode::TOO_MANY_REQUESTS);
}

#[test]
fn both_parameters_and_unknown_ones_are_kept() {
    let body = br#"{"ok":false,"error_code":400,"description":"x","parameters":{"migrate_to_chat_id":-100123,"retry_after":3,"future_hint":{"a":[1,2]},"retry_after_ms":3000}}"#;
    let e = api_error(&GetMe::new(), 400, body);
    assert_eq!(e.migrate_to_chat_id(), Some(-100_123));
    assert_eq!(e.retry_after(), Some(Duration::from_secs(3)));
    assert_eq!(
        e.parameters.other.get("future_hint"),
        Some(&json!({"a": [1, 2]}))
    );
    assert_eq!(e.parameters.other.get("retry_after_ms"), Some(&json!(3000)));
    let envelope: Value = serde_json::from_slice(body).unwrap();
    assert_eq!(e.to_envelope(), envelope);
}

#[test]
fn missing_error_code_is_still_an_api_error() {
    let e = api_error(
        &GetMe::new(),
        403,
        br#"{"ok":false,"description":"Forbidden: bot was blocked by the user"}"#,
    );
    assert_eq!(e.error_code, None);
    assert_eq!(e.code(), 403);
    assert_eq!(e.kind(), ErrorKind::Forbidden);
    assert_eq!(
        e.to_envelope(),
        json!({"ok": false, "description": "Forbidden: bot was blocked by the user"})
    );
}

#[test]
fn odd_types_in_error_fields_do_not_hide_the_error() {
    let body = br#"{"ok":false,"error_code":"429","description":5,"parameters":{"retry_after":"7"},"result":{"id":"x"}}"#;
    let e = api_error(&GetMe::new(), 429, body);
    assert_eq!(e.error_code, None);
    assert_eq!(e.kind(), ErrorKind::TooManyRequests);
    assert_eq!(e.description, "5");
    assert_eq!(e.retry_after(), None);
    assert_eq!(e.parameters.other.get("retry_after"), Some(&json!("7")));
}

#[test]
fn a_known_parameter_of_any_other_shape_is_kept_as_sent() {
    let shapes = [
        json!("7"),
        json!(7.5),
        json!(true),
        json!(null),
        json!([7]),
        json!({"seconds": 7}),
        json!(u64::MAX),
        json!(-1),
    ];
    for shape in shapes {
        let body = json!({"ok": false, "error_code": 429, "description": "Too Many Requests",
            "parameters": {"retry_after": shape, "migrate_to_chat_id": -100123}});
        let e = api_error(&GetMe::new(), 429, body.to_string().as_bytes());
        assert_eq!(e.migrate_to_chat_id(), Some(-100123));
        match shape.as_i64() {
            Some(n) => {
                assert_eq!(e.parameters.retry_after, Some(n));
                assert!(e.parameters.other.is_empty(), "{shape}");
            }
            None => {
                assert_eq!(e.parameters.retry_after, None, "{shape}");
                assert_eq!(e.parameters.other.get("retry_after"), Some(&shape));
            }
        }
    }
    // A later duplicate replaces the earlier one, whichever shape each has.
    let body = br#"{"ok":false,"error_code":429,"parameters":{"retry_after":"x","retry_after":3}}"#;
    let e = api_error(&GetMe::new(), 429, body);
    assert_eq!(e.parameters.retry_after, Some(3));
    assert!(e.parameters.other.is_empty());
}

#[test]
fn html_from_a_proxy_names_the_status() {
    let body = b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>";
    let e = malformed(&GetMe::new(), 502, body);
    assert_eq!(e.kind, MalformedKind::NotJson);
    assert_eq!(e.status, StatusCode::BAD_GATEWAY);
    assert_eq!(e.position, Some((1, 1)));
    assert!(e.snippet.starts_with("<html>"));
    let shown = e.to_string();
    assert!(shown.contains("HTTP 502 Bad Gateway"), "{shown}");
    assert!(shown.contains("not JSON"), "{shown}");
}

#[test]
fn empty_truncated_and_non_utf8_bodies() {
    for body in [&b""[..], b"  \r\n"] {
        assert_eq!(
            malformed(&GetMe::new(), 200, body).kind,
            MalformedKind::Empty
        );
    }
    let e = malformed(
        &GetMe::new(),
        200,
        br#"{"ok":true,"result":{"id":1,"is_bot":true,"first_na"#,
    );
    assert_eq!(e.kind, MalformedKind::Truncated);
    assert_eq!(e.position.map(|p| p.0), Some(1));
    let e = malformed(
        &GetMe::new(),
        200,
        b"{\"ok\":true,\"result\":{\"id\":1,\"is_bot\":true,\"first_name\":\"\xff\xfe\"}}",
    );
    assert_eq!(e.kind, MalformedKind::NotJson);
    assert!(e.snippet.contains('\u{fffd}'));
}

#[test]
fn json_that_is_not_an_envelope() {
    for body in [
        &b"[1,2,3]"[..],
        br#"{"result":true}"#,
        br#"{"ok":"true","result":true}"#,
        b"42",
    ] {
        assert_eq!(
            malformed(&LogOut::new(), 200, body).kind,
            MalformedKind::NotEnvelope,
            "{body:?}"
        );
    }
}

#[test]
fn wrong_result_shape_says_where() {
    let body = br#"{"ok":true,"result":{"id":1,"is_bot":true,"first_name":"a","last_name":7}}"#;
    let e = malformed(&GetMe::new(), 200, body);
    assert_eq!(e.kind, MalformedKind::UnexpectedResult);
    assert_eq!(e.path.as_deref(), Some("result.last_name"));
    assert!(e.detail.contains("invalid type"), "{}", e.detail);
    let e = malformed(&GetWebhookInfo::new(), 200, br#"{"ok":true,"result":true}"#);
    assert_eq!(e.kind, MalformedKind::UnexpectedResult);
    assert_eq!(e.path.as_deref(), Some("result"));
}

#[test]
fn server_text_never_carries_the_secret_into_errors() {
    let cases: [(u16, String); 7] = [
        (
            502,
            format!("<html>upstream /bot77:{SECRET}/getMe failed</html>"),
        ),
        // The server's own layout, read by the quick matcher.
        (
            429,
            format!(
                r#"{{"ok":false,"error_code":429,"description":"flood 77:{SECRET} wait","parameters":{{"retry_after":3}}}}"#
            ),
        ),
        (
            401,
            format!(r#"{{"ok":false,"error_code":401,"description":"{SECRET}"}}"#),
        ),
        (
            400,
            format!(
                r#"{{"ok":false,"error_code":400,"description":"bad token 77:{SECRET}","parameters":{{"{SECRET}":"{SECRET}"}}}}"#
            ),
        ),
        (
            200,
            format!(r#"{{"ok":true,"result":{{"id":"{SECRET}"}}}}"#),
        ),
        (
            200,
            format!(
                r#"{{"ok":true,"result":{{"id":1,"is_bot":true,"first_name":"x","{SECRET}":1,"last_name":["{SECRET}"]}}}}"#
            ),
        ),
        (200, format!(r#"{{"ok":true,"result":{{"id":1,"{SECRET}"#)),
    ];
    for (status, body) in cases {
        let e = decode(&GetMe::new(), status, body.as_bytes()).unwrap_err();
        let shown = format!("{e}\n{e:?}");
        assert!(!shown.contains(SECRET), "secret leaked for {body}: {shown}");
    }
}

/// JSON text without the whitespace between tokens, fields kept in their order.
fn compact(json: &[u8]) -> Vec<u8> {
    let (mut out, mut in_string, mut escaped) = (Vec::new(), false, false);
    for &b in json {
        if in_string {
            in_string = escaped || b != b'"';
            escaped = !escaped && b == b'\\';
        } else if b.is_ascii_whitespace() {
            continue;
        } else {
            in_string = b == b'"';
        }
        out.push(b);
    }
    out
}

/// `../shared/corpus` beside the repository, when it exists.
fn corpus() -> Option<PathBuf> {
    let dir = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpus"
    ));
    dir.is_dir().then_some(dir)
}

#[test]
fn corpus_errors_decode_as_api_errors() {
    let Some(dir) = corpus() else { return };
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !(name.starts_with("error_") && name.ends_with(".json")) {
            continue;
        }
        let body = std::fs::read(&path).unwrap();
        let sent: Value = serde_json::from_slice(&body).unwrap();
        let status: u16 = name[6..9].parse().unwrap();
        let e = api_error(&Call::new("anyMethod"), status, &body);
        assert_eq!(e.error_code, sent["error_code"].as_i64(), "{name}");
        assert_eq!(e.code(), i64::from(status), "{name}");
        assert_eq!(
            e.description,
            sent["description"].as_str().unwrap(),
            "{name}"
        );
        assert_eq!(
            e.retry_after(),
            sent["parameters"]["retry_after"]
                .as_u64()
                .map(Duration::from_secs),
            "{name}"
        );
        assert_eq!(
            e.migrate_to_chat_id(),
            sent["parameters"]["migrate_to_chat_id"].as_i64(),
            "{name}"
        );
        assert_eq!(
            e.to_envelope(),
            sent,
            "{name}: envelope must come back as sent"
        );
        // The same error on one line, in its order: as the server sends it, which the
        // decoder reads without serde_json when the fields come in the server's order.
        let compact = compact(&body);
        assert_eq!(
            api_error(&Call::new("anyMethod"), status, &compact),
            e,
            "{name}"
        );
        seen += 1;
    }
    assert!(seen >= 10, "expected the corpus error files, found {seen}");
}

#[test]
fn corpus_get_me_and_log_out_decode() {
    let Some(dir) = corpus() else { return };
    let body = std::fs::read(dir.join("response_getme.json")).unwrap();
    let sent: Value = serde_json::from_slice(&body).unwrap();
    let me = decode(&GetMe::new(), 200, &body).unwrap();
    assert_eq!(Some(me.id), sent["result"]["id"].as_i64());
    assert_eq!(
        me.first_name,
        sent["result"]["first_name"].as_str().unwrap()
    );
    assert!(me.is_bot);
    let body = std::fs::read(dir.join("response_logout_true.json")).unwrap();
    assert!(decode(&LogOut::new(), 200, &body).unwrap());
    let body = std::fs::read(dir.join("response_getwebhookinfo.json")).unwrap();
    let sent: Value = serde_json::from_slice(&body).unwrap();
    let info = decode(&GetWebhookInfo::new(), 200, &body).unwrap();
    assert_eq!(info.url, sent["result"]["url"].as_str().unwrap());
    assert_eq!(
        Some(info.pending_update_count),
        sent["result"]["pending_update_count"].as_i64()
    );
}
