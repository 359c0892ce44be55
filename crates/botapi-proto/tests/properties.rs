//! Properties that must hold for every input: decoding never panics, ids stay exact, the
//! token never shows, and multipart bodies parse back to what was encoded.

use std::collections::BTreeMap;

use botapi_proto::methods::{GetMe, LogOut, SetWebhook};
use botapi_proto::types::User;
use botapi_proto::{
    Call, Client, DecodeError, EncodeError, Error, HasUploads, InputFile, Method, Token, Upload,
    form,
};
use http::StatusCode;
use proptest::prelude::*;
use serde::Serialize;
use serde_json::{Value, json};

fn any_status() -> impl Strategy<Value = StatusCode> {
    (100u16..=599).prop_map(|s| StatusCode::from_u16(s).unwrap())
}

/// Bytes that are often close to a real envelope: a valid one cut, spliced or corrupted.
fn envelope_like() -> impl Strategy<Value = Vec<u8>> {
    let seeds = [
        r#"{"ok":true,"result":{"id":1,"is_bot":true,"first_name":"a"}}"#,
        r#"{"ok":false,"error_code":429,"description":"x","parameters":{"retry_after":5}}"#,
        r#"{"ok":true,"result":true}"#,
        "<html><body>502 Bad Gateway</body></html>",
    ];
    (
        0..seeds.len(),
        any::<usize>(),
        any::<usize>(),
        prop::collection::vec(any::<u8>(), 0..8),
    )
        .prop_map(move |(seed, cut, at, junk)| {
            let mut bytes = seeds[seed].as_bytes().to_vec();
            let at = at % (bytes.len() + 1);
            bytes.splice(at..at, junk);
            bytes.truncate(cut % (bytes.len() + 1));
            bytes
        })
}

fn token_with_secret(secret: &str) -> Token {
    Token::new(format!("987654321:{secret}")).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn decoding_any_bytes_never_panics(status in any_status(), body in prop::collection::vec(any::<u8>(), 0..256)) {
        let client = Client::new(token_with_secret("abc"));
        let _ = client.decode(&GetMe::new(), status, &body);
        let _ = client.decode(&LogOut::new(), status, &body);
        let _ = client.decode_as::<Value>("x", status, &body);
    }

    #[test]
    fn decoding_near_envelopes_never_panics(status in any_status(), body in envelope_like()) {
        let client = Client::new(token_with_secret("abc"));
        let _ = client.decode(&GetMe::new(), status, &body);
        let _ = client.decode_as::<Vec<User>>("x", status, &body);
    }

    #[test]
    fn ids_round_trip_exactly(id in any::<i64>()) {
        let client = Client::new(token_with_secret("abc"));
        let body = format!(r#"{{"ok":true,"result":{{"id":{id},"is_bot":false,"first_name":"u"}}}}"#);
        let user = client.decode(&GetMe::new(), StatusCode::OK, body.as_bytes()).unwrap();
        prop_assert_eq!(user.id, id);
        prop_assert_eq!(&serde_json::to_value(&user).unwrap()["id"], &json!(id));

        let body = format!(r#"{{"ok":false,"error_code":400,"description":"d","parameters":{{"migrate_to_chat_id":{id}}}}}"#);
        let Err(DecodeError::Api(e)) = client.decode(&GetMe::new(), StatusCode::BAD_REQUEST, body.as_bytes()) else {
            panic!("expected an API error");
        };
        prop_assert_eq!(e.migrate_to_chat_id(), Some(id));
        prop_assert_eq!(e.to_envelope()["parameters"]["migrate_to_chat_id"].as_i64(), Some(id));

        let request = client.encode(&Call::new("sendMessage").params(json!({"chat_id": id}))).unwrap();
        let sent: Value = serde_json::from_slice(&request.body().to_vec().unwrap()).unwrap();
        prop_assert_eq!(sent["chat_id"].as_i64(), Some(id));
    }

    #[test]
    fn the_secret_never_shows(secret in "[A-Za-z0-9_-]{8,40}", junk in "[ -~]{0,40}", status in any_status()) {
        let token = token_with_secret(&secret);
        let client = Client::new(token.clone()).with_api_url("http://127.0.0.1:8081".parse().unwrap());
        let mut shown = vec![format!("{token:?}"), format!("{client:?}")];

        let request = client.encode(&SetWebhook::new("https://x.example").certificate(InputFile::bytes("c.pem", junk.clone().into_bytes()))).unwrap();
        shown.push(format!("{request:?}"));
        shown.push(request.redacted_url().to_owned());

        // Answers that quote the secret back in every place a server can put text.
        let full = token.expose_secret();
        for body in [
            format!("{junk}{full}{junk}"),
            format!(r#"{{"ok":false,"error_code":400,"description":"{junk} {full}","parameters":{{"{secret}":"{full}"}}}}"#),
            format!(r#"{{"ok":true,"result":{{"id":"{full}"}}}}"#),
            format!(r#"{{"ok":true,"result":{{"{secret}":"#),
        ] {
            let e = client.decode(&GetMe::new(), status, body.as_bytes()).unwrap_err();
            shown.push(format!("{e} {e:?}"));
            let e: Error<std::io::Error> = e.into();
            shown.push(format!("{e} {e:?}"));
        }
        let e = client.call(&GetMe::new(), |_| Err(std::io::Error::other("refused"))).unwrap_err();
        shown.push(format!("{e} {e:?}"));
        let e = client.call(&Call::new(format!("bad/{junk}")), |_| Ok::<_, std::io::Error>(http::Response::new(Vec::new()))).unwrap_err();
        shown.push(format!("{e} {e:?}"));
        shown.push(client.redact(&format!("GET /bot{full}/getMe")).into_owned());
        for text in shown {
            prop_assert!(!text.contains(&secret), "secret in {}", text);
        }
    }

    #[test]
    fn multipart_parses_back(
        fields in prop::collection::btree_map("[a-z_]{1,12}", field_value(), 0..6),
        // Any printable file name but '%': escaping is one-way for a literal "%22", as in browsers.
        files in prop::collection::vec(("[ -$&-~]{1,20}", prop::collection::vec(any::<u8>(), 0..200)), 1..4),
    ) {
        let method = Album {
            fields,
            album: files.iter().map(|(name, data)| InputFile::bytes(name.clone(), data.clone())).collect(),
        };
        let client = Client::new(token_with_secret("abc"));
        let request = client.encode(&method).unwrap();
        let content_type = request.headers()[http::header::CONTENT_TYPE].to_str().unwrap().to_owned();
        let boundary = form::boundary(&content_type).unwrap().to_owned();
        let body = request.body().to_vec().unwrap();
        let parts = form::parse(&content_type, &body).unwrap();

        prop_assert_eq!(parts.len(), method.fields.len() + 1 + files.len());
        for (name, value) in &method.fields {
            let part = parts.iter().find(|p| &p.name == name).unwrap();
            prop_assert_eq!(part.text(), Some(value.as_str()));
            prop_assert_eq!(part.file_name.as_deref(), None);
        }
        let refs: Vec<String> = serde_json::from_slice(&parts.iter().find(|p| p.name == "album").unwrap().data).unwrap();
        for (n, (file_name, data)) in files.iter().enumerate() {
            let attach = &refs[n];
            let part_name = attach.strip_prefix("attach://").unwrap();
            let part = parts.iter().find(|p| p.name == part_name).unwrap();
            prop_assert_eq!(part.file_name.clone(), Some(file_name.clone()));
            prop_assert_eq!(&part.data, data);
            prop_assert!(!botapi_proto_contains(data, boundary.as_bytes()));
        }
        for part in &parts {
            prop_assert!(!botapi_proto_contains(&part.data, boundary.as_bytes()), "boundary inside part {}", part.name);
        }
    }

    #[test]
    fn tokens_either_parse_cleanly_or_say_why(text in "[0-9]{0,12}:?[ -~]{0,40}") {
        match Token::new(text.clone()) {
            Ok(token) => {
                prop_assert_eq!(token.expose_secret(), text.as_str());
                prop_assert!(!text.contains(['/', '?', '#', '%', ' ']));
                prop_assert_eq!(format!("{token:?}"), format!("{}:<redacted>", token.bot_id()));
            }
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }
}

/// Field values, sometimes holding the encoder's boundary to force it to pick another.
fn field_value() -> impl Strategy<Value = String> {
    prop_oneof![
        "[ -~\r\n]{0,40}",
        Just("--botapi-part-7c0e5f3a9d1b4e62\r\n".to_owned()),
        "[a-z]{0,5}".prop_map(|s| format!("{s}botapi-part-7c0e5f3a9d1b4e62-1{s}")),
    ]
}

/// A method with text fields and a list of files nested in one parameter.
#[derive(Serialize)]
struct Album {
    #[serde(flatten)]
    fields: BTreeMap<String, String>,
    album: Vec<InputFile>,
}

impl Method for Album {
    type Response = Value;
    fn method_name(&self) -> &str {
        "sendAlbum"
    }
    fn uploads<'a>(&'a self, out: &mut Vec<&'a Upload>) {
        self.album.uploads(out);
    }
}

fn botapi_proto_contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn encode_errors_name_the_method_not_the_token() {
    let client = Client::new(token_with_secret("SENTINELxyz"));
    let e = client
        .encode(&Call::new("sendMessage").params(json!([1, 2])))
        .unwrap_err();
    assert_eq!(
        e,
        EncodeError::ParametersNotAnObject {
            method: "sendMessage".into()
        }
    );
    assert!(!format!("{e} {e:?}").contains("SENTINELxyz"));
}

/// Regression for the fuzzer's first finding (`fuzz/seeds/multipart_roundtrip/
/// regression_param_named_file0`): a parameter named like an attach part must not be
/// shadowed by an upload, and the upload must still be found under its own name.
#[test]
fn an_upload_never_takes_a_parameters_name() {
    let method = Album {
        fields: BTreeMap::from([("file0".to_owned(), String::new())]),
        album: vec![InputFile::bytes("x", Vec::new())],
    };
    let request = Client::new(token_with_secret("abc"))
        .encode(&method)
        .unwrap();
    let content_type = request.headers()[http::header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .to_owned();
    let parts = form::parse(&content_type, &request.body().to_vec().unwrap()).unwrap();
    let names: Vec<_> = parts.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["file0", "album", "file1"]);
    assert_eq!(parts[1].text(), Some(r#"["attach://file1"]"#));
    assert_eq!(
        (parts[0].file_name.as_deref(), parts[0].data.len()),
        (None, 0)
    );
    assert_eq!(parts[2].file_name.as_deref(), Some("x"));
}
