//! Entry points for the fuzz targets in `fuzz/`, one per target. Each one panics only when an
//! invariant of this crate is broken, which is what the fuzzer looks for. Not a stable API.

use http::StatusCode;
use serde::Serialize;
use serde_json::Value;

use crate::input_file::{HasUploads, InputFile, Upload};
use crate::method::Method;
use crate::{Client, DecodeError, Token, form, methods, types};

const SENTINEL: &str = "4242:FUZZsentinelSECRET";

fn client() -> Client {
    Client::new(Token::new(SENTINEL).expect("sentinel token is valid"))
}

/// Decodes arbitrary bytes as the answer to several methods with a status taken from the
/// first two bytes. Nothing may panic, no error may show the token's secret, the quick
/// reader of errors must agree with the full decoder, rewriting the body's escapes must
/// not change what it means, and the crate's JSON reader must read the body as serde_json
/// does (the same values, or a refusal for the same reason).
pub fn decode_envelope(data: &[u8]) {
    let (status, body) = match data {
        [a, b, rest @ ..] => (u16::from_be_bytes([*a, *b]) % 500 + 100, rest),
        _ => (200, data),
    };
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    assert!(
        crate::decode::usual_error_agrees(body),
        "the quick reader of errors disagrees with the full decoder"
    );
    assert!(
        crate::decode::unescape_agrees(body),
        "rewriting the escapes changed what the body means"
    );
    if let Ok(text) = std::str::from_utf8(body)
        && let Err(difference) = crate::read::compare::agree(text)
    {
        panic!("the reader and serde_json differ: {difference}");
    }
    let client = client();
    check(
        client
            .decode(&methods::GetMe::new(), status, body)
            .map(|_| ()),
    );
    check(
        client
            .decode(&methods::LogOut::new(), status, body)
            .map(|_| ()),
    );
    check(
        client
            .decode(&methods::GetWebhookInfo::new(), status, body)
            .map(|_| ()),
    );
    check(client.decode_as::<Value>("x", status, body).map(|_| ()));
    check(
        client
            .decode_as::<Vec<types::User>>("x", status, body)
            .map(|_| ()),
    );
}

fn check(result: Result<(), DecodeError>) {
    if let Err(e) = result {
        let shown = format!("{e} {e:?}");
        assert!(
            !shown.contains("FUZZsentinelSECRET"),
            "secret leaked: {shown}"
        );
    }
}

/// Parses arbitrary text as a token. An accepted token must be printable without its secret
/// and must give back exactly what was parsed.
pub fn parse_token(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match Token::new(text) {
        Ok(token) => {
            assert_eq!(token.expose_secret(), text);
            assert_eq!(
                format!("{token:?}"),
                format!("{}:<redacted>", token.bot_id())
            );
            assert!(!text.contains(['/', '?', '#', '%', ' ', '\n', '\r', '\t']));
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
}

/// A method with arbitrary text parameters and uploads, for the multipart round trip.
#[derive(Serialize)]
struct Form {
    #[serde(flatten)]
    text: std::collections::BTreeMap<String, String>,
    files: Vec<InputFile>,
}

impl Method for Form {
    type Response = Value;
    fn method_name(&self) -> &str {
        "fuzzForm"
    }
    fn uploads<'a>(&'a self, out: &mut Vec<&'a Upload>) {
        self.files.uploads(out);
    }
}

/// Builds a multipart body from fields and files carved out of `data`, parses it back, and
/// checks that every field and file comes back byte for byte.
pub fn multipart_roundtrip(data: &[u8]) {
    let mut pieces = data.split(|&b| b == 0xff);
    let mut text = std::collections::BTreeMap::new();
    let mut files = Vec::new();
    while let (Some(name), Some(value)) = (pieces.next(), pieces.next()) {
        let name = String::from_utf8_lossy(name).into_owned();
        // Escaping in names is one-way for a literal "%22" (browsers do the same), so names
        // with '%' are left out of the round trip.
        if name.is_empty() || name == "files" || name.contains('%') {
            continue;
        }
        if let Some(file_name) = name.strip_prefix('@') {
            files.push(InputFile::bytes(file_name.to_owned(), value.to_vec()));
        } else {
            text.insert(name, String::from_utf8_lossy(value).into_owned());
        }
    }
    if files.is_empty() {
        files.push(InputFile::bytes("empty", Vec::new()));
    }
    let method = Form { text, files };
    let request = client().encode(&method).expect("encodable");
    let content_type = request.headers()[http::header::CONTENT_TYPE]
        .to_str()
        .expect("ascii")
        .to_owned();
    let boundary = form::boundary(&content_type)
        .expect("has a boundary")
        .to_owned();
    let body = request.body().to_vec().expect("in memory");
    let parts = form::parse(&content_type, &body).expect("parses back");

    let mut expected_len = method.text.len() + 1;
    for (name, value) in &method.text {
        let part = parts
            .iter()
            .find(|p| &p.name == name)
            .expect("text field present");
        assert_eq!(part.text(), Some(value.as_str()));
        assert!(!value.contains(&boundary) && !name.contains(&boundary));
    }
    let files_part = parts
        .iter()
        .find(|p| p.name == "files")
        .expect("files field");
    let refs: Vec<String> = serde_json::from_slice(&files_part.data).expect("JSON list");
    assert_eq!(refs.len(), method.files.len());
    // Uploads are named file0, file1, … skipping names a parameter already has, so check
    // the names are unique and free rather than assuming the n-th is fileN.
    let mut names = std::collections::BTreeSet::new();
    for (reference, file) in refs.iter().zip(&method.files) {
        let name = reference
            .strip_prefix("attach://")
            .expect("attach reference");
        assert!(
            !method.text.contains_key(name),
            "upload {name} collides with a parameter"
        );
        assert!(
            names.insert(name.to_owned()),
            "upload name {name} used twice"
        );
        let upload = file.as_upload().expect("all uploads");
        let part = parts.iter().find(|p| p.name == name).expect("file part");
        assert_eq!(part.file_name.as_deref(), Some(upload.file_name()));
        match upload.source() {
            crate::UploadSource::Bytes(b) => assert_eq!(&part.data[..], &b[..]),
            crate::UploadSource::Path(_) | crate::UploadSource::Reader(_) => {
                unreachable!("only bytes here")
            }
        }
        expected_len += 1;
    }
    assert_eq!(parts.len(), expected_len);
}

/// A webhook request made of arbitrary bytes, judged by [`crate::webhook::ListenerRules`]:
/// the first byte picks the HTTP method, the second how many header lines follow (each
/// `name: value\n`), the rest is the body. Checks that the answer is one of the listener's
/// statuses, that only a `POST` with the right secret and a fitting body is accepted, and
/// that no answer holds the secret.
pub fn webhook_request(data: &[u8]) {
    use crate::webhook::{ListenerRules, SECRET_HEADER, WebhookSecret};
    const SECRET: &str = "SENTINEL_fuzz-secret";
    const LIMIT: usize = 512;
    let methods = [
        http::Method::POST,
        http::Method::GET,
        http::Method::PUT,
        http::Method::DELETE,
        http::Method::HEAD,
    ];
    let Some((&m, rest)) = data.split_first() else {
        return;
    };
    let method = methods[usize::from(m) % methods.len()].clone();
    let Some((&lines, mut rest)) = rest.split_first() else {
        return;
    };
    let mut headers = http::HeaderMap::new();
    for _ in 0..lines % 8 {
        let end = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
        let (line, tail) = rest.split_at(end);
        rest = tail.get(1..).unwrap_or_default();
        let Some(colon) = line.iter().position(|&b| b == b':') else {
            continue;
        };
        let name = http::HeaderName::from_bytes(&line[..colon]);
        let value = http::HeaderValue::from_bytes(line[colon + 1..].trim_ascii());
        if let (Ok(name), Ok(value)) = (name, value) {
            headers.append(name, value);
        }
    }
    let body = rest;
    let rules = ListenerRules::new(Some(WebhookSecret::new(SECRET).expect("a valid secret")))
        .max_body(LIMIT);
    match rules.judge(&method, &headers, body) {
        Ok(_) => {
            assert_eq!(method, http::Method::POST);
            assert_eq!(
                headers.get(SECRET_HEADER).map(|v| v.as_bytes()),
                Some(SECRET.as_bytes())
            );
            assert!(body.len() <= LIMIT);
        }
        Err(refusal) => {
            let status = refusal.status().as_u16();
            assert!([400, 401, 405, 413].contains(&status), "status {status}");
            if method != http::Method::POST {
                assert_eq!(status, 405);
            }
            let response = refusal.response();
            assert_eq!(response.status().as_u16(), status);
            let text = format!("{refusal} {refusal:?} {:?}", response.body());
            assert!(!text.contains("SENTINEL"), "{text}");
        }
    }
}
