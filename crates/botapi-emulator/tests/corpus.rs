//! Real Bot API payloads from the shared corpus, served with `Fault::Respond`, arrive byte for
//! byte. Skipped quietly when the corpus is not there.

mod support;

use std::path::Path;

use botapi_emulator::{DEFAULT_TOKEN, Emulator, Fault};
use support::*;

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus");

/// The HTTP status a corpus file was answered with: the code in an `error_<code>_` name, else 200.
fn status_of(name: &str) -> u16 {
    name.strip_prefix("error_")
        .and_then(|rest| rest.get(..3))
        .and_then(|code| code.parse().ok())
        .unwrap_or(200)
}

#[test]
fn corpus_files_arrive_unchanged() {
    let Ok(entries) = std::fs::read_dir(Path::new(CORPUS)) else {
        return;
    };
    let mut files: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let emulator = Emulator::start().unwrap();
    for file in &files {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let body = std::fs::read(file).unwrap();
        let status = status_of(&name);
        emulator.inject("getUpdates", Fault::json(status, body.clone()), 1);
        let answer = post(emulator.addr(), &path(DEFAULT_TOKEN, "getUpdates"));
        assert_eq!(answer.status, status, "{name}");
        assert_eq!(
            answer.header("content-type"),
            Some("application/json"),
            "{name}"
        );
        assert_eq!(answer.body, body, "{name}");
    }
    assert!(
        !files.is_empty(),
        "the corpus folder exists but holds no JSON file"
    );
    eprintln!("served {} corpus files unchanged", files.len());
}
