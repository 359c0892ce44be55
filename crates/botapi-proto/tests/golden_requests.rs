//! Golden requests: the exact method, URL, headers and body bytes the core builds, checked
//! against files in `tests/golden/`.
//!
//! To re-bless after an intended change: `BLESS=1 cargo test -p botapi-proto --test
//! golden_requests`, then review the diff of `tests/golden/`.

use std::path::Path;

use botapi_proto::methods::{Close, DeleteWebhook, GetMe, LogOut, SetWebhook};
use botapi_proto::{Call, Chunk, Client, HasUploads, InputFile, Method, Request, Token, Upload};
use serde::Serialize;
use serde_json::json;

const TOKEN: &str = "123456:GOLDEN-token_secret";

fn client(base: &str) -> Client {
    Client::new(Token::new(TOKEN).unwrap()).with_api_url(base.parse().unwrap())
}

/// Renders a request as text: request line, sorted headers, blank line, body. The token is
/// shown as `<TOKEN>` so the files hold no secret-looking strings; files streamed from disk
/// appear as `<file PATH>`.
fn render(request: Request) -> Vec<u8> {
    let http = request.into_http();
    let url = http.uri().to_string().replace(TOKEN, "<TOKEN>");
    let mut out = format!("{} {url}\n", http.method()).into_bytes();
    let mut headers: Vec<_> = http.headers().iter().collect();
    headers.sort_by_key(|(name, _)| name.as_str());
    for (name, value) in headers {
        out.extend_from_slice(format!("{name}: {}\n", value.to_str().unwrap()).as_bytes());
    }
    out.push(b'\n');
    for chunk in http.body().chunks() {
        match chunk {
            Chunk::Bytes(bytes) => out.extend_from_slice(bytes),
            Chunk::File(path) => {
                out.extend_from_slice(format!("<file {}>", path.display()).as_bytes())
            }
            Chunk::Reader { file_name, slot } => {
                let len = slot.len();
                out.extend_from_slice(format!("<reader {file_name} {len:?}>").as_bytes())
            }
        }
    }
    out
}

fn check(name: &str, request: Request) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(format!("{name}.http"));
    let actual = render(request);
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(&path, &actual).unwrap();
        return;
    }
    let expected = std::fs::read(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; run with BLESS=1 to create it", path.display()));
    if actual != expected {
        panic!(
            "{name} differs from {}\n--- expected\n{}\n--- actual\n{}",
            path.display(),
            String::from_utf8_lossy(&expected),
            String::from_utf8_lossy(&actual)
        );
    }
}

#[test]
fn get_me_on_the_cloud_has_no_body() {
    check(
        "get_me",
        client("https://api.telegram.org")
            .encode(&GetMe::new())
            .unwrap(),
    );
}

#[test]
fn log_out_on_a_local_server() {
    check(
        "log_out_local",
        client("http://127.0.0.1:8081/")
            .encode(&LogOut::new())
            .unwrap(),
    );
}

#[test]
fn close_behind_a_gateway_prefix() {
    let request = client("https://gateway.example/telegram")
        .encode(&Close::new())
        .unwrap();
    assert_eq!(
        request.redacted_url(),
        "https://gateway.example/telegram/bot123456:<redacted>/close"
    );
    check("close_gateway", request);
}

#[test]
fn delete_webhook_as_json() {
    let method = DeleteWebhook::new().drop_pending_updates(true);
    check(
        "delete_webhook",
        client("https://api.telegram.org").encode(&method).unwrap(),
    );
}

#[test]
fn set_webhook_without_a_file_is_json() {
    let method = SetWebhook::new("https://bot.example/hook")
        .max_connections(40)
        .allowed_updates(vec!["message".into(), "callback_query".into()])
        .secret_token("s3cr3t_hook");
    check(
        "set_webhook_json",
        client("https://api.telegram.org").encode(&method).unwrap(),
    );
}

#[test]
fn set_webhook_with_a_certificate_is_multipart() {
    let certificate = Upload::bytes("cert.pem", &b"-----BEGIN CERTIFICATE-----\nMIIB\n"[..])
        .with_content_type("application/x-pem-file");
    let method = SetWebhook::new("https://bot.example/hook")
        .certificate(certificate)
        .max_connections(40)
        .allowed_updates(vec!["message".into()]);
    check(
        "set_webhook_multipart",
        client("https://api.telegram.org").encode(&method).unwrap(),
    );
}

#[test]
fn set_webhook_with_a_certificate_on_disk_leaves_a_placeholder() {
    let method = SetWebhook::new("https://bot.example/hook")
        .certificate(InputFile::path("/etc/bot/cert.pem"));
    let request = client("https://api.telegram.org").encode(&method).unwrap();
    assert!(request.body().needs_streaming());
    assert_eq!(request.body().to_vec(), None);
    check("set_webhook_path", request);
}

#[test]
fn raw_call_keeps_ids_exact() {
    let call = Call::new("sendMessage").params(json!({
        "chat_id": -1001234567890123456_i64,
        "text": "ids are i64: 9007199254740993",
        "reply_parameters": {"message_id": 2147483648_i64}
    }));
    check(
        "raw_send_message",
        client("https://api.telegram.org").encode(&call).unwrap(),
    );
}

/// A media group with files nested in its items, as `sendMediaGroup` has.
#[derive(Serialize)]
struct SendAlbum {
    chat_id: i64,
    media: Vec<Media>,
}

#[derive(Serialize)]
struct Media {
    #[serde(rename = "type")]
    kind: &'static str,
    media: InputFile,
    #[serde(skip_serializing_if = "Option::is_none")]
    caption: Option<String>,
}

impl Method for SendAlbum {
    type Response = serde_json::Value;
    fn method_name(&self) -> &str {
        "sendMediaGroup"
    }
    fn uploads<'a>(&'a self, out: &mut Vec<&'a Upload>) {
        for item in &self.media {
            item.media.uploads(out);
        }
    }
}

#[test]
fn nested_uploads_become_attach_references_in_order() {
    let method = SendAlbum {
        chat_id: 42,
        media: vec![
            Media {
                kind: "photo",
                media: InputFile::bytes("a.jpg", &b"JPEG-A"[..]),
                caption: Some("first".into()),
            },
            Media {
                kind: "photo",
                media: InputFile::file_id("AgACAgIAAxkBAAI"),
                caption: None,
            },
            Media {
                kind: "photo",
                media: InputFile::bytes("b \"quoted\"\r\n.jpg", &b"JPEG-B"[..]),
                caption: None,
            },
        ],
    };
    check(
        "nested_uploads",
        client("https://api.telegram.org").encode(&method).unwrap(),
    );
}
