//! The crate's JSON reader against serde_json on the corpus, through the public decode
//! path: every file, as the result of an answer, must decode through `Client::decode_as`
//! to exactly what `serde_json::from_str` gives, or be refused by both.

mod support;

use std::fmt::Debug;

use botapi_proto::types::{ChatFullInfo, ChatMember, Message, Update, User};
use botapi_proto::{Client, Token};
use http::StatusCode;
use serde::de::DeserializeOwned;
use serde_json::Value;

fn client() -> Client {
    Client::new(Token::new("1:corpus").unwrap())
}

/// Whether the decoder and serde_json agree on `result` read as `T`; `Some(true)` when
/// both read it.
fn agree<T: DeserializeOwned + PartialEq + Debug>(body: &str, result: &str) -> Option<bool> {
    let ours = client().decode_as::<T>("x", StatusCode::OK, body.as_bytes());
    match (ours, serde_json::from_str::<T>(result)) {
        (Ok(ours), Ok(theirs)) => {
            assert_eq!(ours, theirs, "{body}");
            Some(true)
        }
        (Err(_), Err(_)) => Some(false),
        (ours, theirs) => panic!("{body}: decoder {ours:?}, serde_json {theirs:?}"),
    }
}

#[test]
fn every_corpus_file_decodes_as_serde_json_reads_it() {
    let Some(dir) = support::corpus_dir() else {
        return;
    };
    let (mut files, mut typed) = (0, 0);
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        files += 1;
        // An answer is compared on its result; any other file is wrapped as one.
        let value: Value = serde_json::from_str(&text).unwrap();
        let (body, result) = match value.get("result") {
            Some(result) if value.get("ok") == Some(&Value::Bool(true)) => {
                (text.clone(), serde_json::to_string(result).unwrap())
            }
            _ => (format!(r#"{{"ok":true,"result":{text}}}"#), text.clone()),
        };
        let read = [
            agree::<Value>(&body, &result),
            agree::<Vec<Update>>(&body, &result),
            agree::<Update>(&body, &result),
            agree::<Message>(&body, &result),
            agree::<User>(&body, &result),
            agree::<ChatMember>(&body, &result),
            agree::<ChatFullInfo>(&body, &result),
        ];
        typed += read[1..].iter().filter(|r| **r == Some(true)).count();
    }
    assert!(
        files >= 90,
        "expected the whole corpus, found {files} files"
    );
    // Not vacuous: many files are read as one of the types, not only refused by both.
    assert!(typed >= 50, "only {typed} typed reads succeeded");
}
