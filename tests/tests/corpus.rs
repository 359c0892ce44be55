//! Real Bot API payloads from the shared corpus, served by the emulator and decoded through
//! both adapters. Skipped quietly when the corpus folder is not beside the checkout.

use std::path::{Path, PathBuf};

use botapi_proto::Method;
use botapi_proto::methods::{GetMe, GetWebhookInfo, LogOut};
use botapi_tests::{Adapter, Emulator, Fault, conformance, corpus_dir};
use serde::Serialize;
use serde_json::Value;

conformance!(successful_answers_decode, error_answers_decode);

/// The corpus files whose names start with `prefix`, with their parsed JSON.
fn files(prefix: &str) -> Vec<(PathBuf, Vec<u8>, Value)> {
    let Some(dir) = corpus_dir() else {
        return Vec::new();
    };
    let mut out: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| name_of(path).starts_with(prefix) && name_of(path).ends_with(".json"))
        .map(|path| {
            let bytes = std::fs::read(&path).unwrap();
            let json = serde_json::from_slice(&bytes).unwrap();
            (path, bytes, json)
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn name_of(path: &Path) -> &str {
    path.file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
}

fn respond(status: u16, body: &[u8]) -> Fault {
    Fault::Respond {
        status,
        content_type: "application/json".into(),
        body: body.to_vec(),
    }
}

/// Serves `body` as the answer to `method`, decodes it, and checks that every field the
/// typed result keeps equals the file's.
fn check_success<A: Adapter, M>(client: &A, emu: &Emulator, method: &M, name: &str, file: &Value)
where
    M: Method + Sync,
    M::Response: Serialize,
{
    let result = client
        .send(method)
        .unwrap_or_else(|e| panic!("{}: {name}: {e:?}", A::NAME));
    let expected = &file["result"];
    let kept = serde_json::to_value(&result).unwrap();
    match (&kept, expected) {
        (Value::Object(kept), Value::Object(expected)) => {
            assert!(!kept.is_empty(), "{name}");
            for (key, value) in kept {
                assert_eq!(Some(value), expected.get(key), "{name}: field {key}");
            }
        }
        _ => assert_eq!(&kept, expected, "{name}"),
    }
    assert_eq!(emu.requests().last().unwrap().method, method.method_name());
}

fn successful_answers_decode<A: Adapter>() {
    let emu = Emulator::start().unwrap();
    let client = A::for_emulator(&emu);
    let mut served = 0;
    for (path, bytes, json) in files("response_getme") {
        emu.inject("getMe", respond(200, &bytes), 1);
        check_success(&client, &emu, &GetMe::new(), name_of(&path), &json);
        served += 1;
    }
    for (path, bytes, json) in files("response_logout") {
        emu.inject("logOut", respond(200, &bytes), 1);
        check_success(&client, &emu, &LogOut::new(), name_of(&path), &json);
        served += 1;
    }
    for (path, bytes, json) in files("response_getwebhookinfo") {
        emu.inject("getWebhookInfo", respond(200, &bytes), 1);
        check_success(&client, &emu, &GetWebhookInfo::new(), name_of(&path), &json);
        served += 1;
    }
    if corpus_dir().is_some() {
        assert!(served >= 3, "the corpus should hold these answers");
    }
}

fn error_answers_decode<A: Adapter>() {
    let emu = Emulator::start().unwrap();
    let client = A::for_emulator(&emu);
    let errors = files("error_");
    if corpus_dir().is_some() {
        assert!(!errors.is_empty(), "the corpus should hold error answers");
    }
    for (path, bytes, json) in errors {
        let name = name_of(&path);
        // `error_<status>_…`: the status the file was captured with.
        let status: u16 = name
            .split('_')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("{name}: no status in the name"));
        emu.inject("getMe", respond(status, &bytes), 1);
        let failure = client.send(&GetMe::new()).unwrap_err();
        let api = failure.api();
        assert_eq!(api.status.as_u16(), status, "{name}");
        assert_eq!(api.error_code, json["error_code"].as_i64(), "{name}");
        assert_eq!(
            api.code(),
            json["error_code"].as_i64().unwrap_or(i64::from(status))
        );
        assert_eq!(
            Some(api.description.as_str()),
            json["description"].as_str(),
            "{name}"
        );
        let parameters = json
            .get("parameters")
            .cloned()
            .unwrap_or(Value::Object(Default::default()));
        assert_eq!(
            serde_json::to_value(&api.parameters).unwrap(),
            parameters,
            "{name}"
        );
        assert_eq!(
            api.retry_after().map(|d| d.as_secs() as i64),
            parameters["retry_after"].as_i64(),
            "{name}"
        );
        assert_eq!(
            api.migrate_to_chat_id(),
            parameters["migrate_to_chat_id"].as_i64(),
            "{name}"
        );
        assert_eq!(api.to_envelope(), json, "{name}");
    }
}
