//! `download`, `call --file` and `serve-webhook` on both transports, with the sentinel token
//! and webhook secret checked in every output.

mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use botapi_emulator::Fault;
use support::*;

struct Dir(PathBuf);

impl Dir {
    fn new(name: &str) -> Dir {
        let dir = std::env::temp_dir().join(format!("botapi-cli-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Dir(dir)
    }

    fn entries(&self) -> Vec<String> {
        let mut names: Vec<_> = std::fs::read_dir(&self.0)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn content(n: usize) -> Vec<u8> {
    (0..n).map(|i| (i % 253) as u8).collect()
}

#[test]
fn download_writes_the_file_in_the_current_directory_or_where_told() {
    let emulator = emulator();
    let url = emulator.api_url().to_string();
    let data = content(123_456);
    let file_id = emulator.store_file("song.mp3", data.clone());
    for transport in TRANSPORTS {
        let dir = Dir::new(&format!("download-{transport}"));
        let run = botapi_in(
            Some(&dir.0),
            &args(&url, transport, &["download", &file_id]),
            Some(TOKEN),
        );
        run.expect_status(0);
        assert_eq!(run.stdout.trim(), "file_1.mp3 (123456 bytes)", "{run:#?}");
        assert!(std::fs::read(dir.0.join("file_1.mp3")).unwrap() == data);

        let out = dir.0.join("copy.mp3");
        let out_arg = out.to_str().unwrap();
        let rest = ["--json", "download", file_id.as_str(), "--output", out_arg];
        let run = botapi(&args(&url, transport, &rest), Some(TOKEN));
        run.expect_status(0);
        let doc = run.json();
        assert_eq!(doc["file_id"], file_id.as_str());
        assert_eq!(doc["file_path"], "documents/file_1.mp3");
        assert_eq!(doc["size"], 123_456);
        assert_eq!(doc["output"], out_arg);
        assert_eq!(dir.entries(), ["copy.mp3", "file_1.mp3"]);
    }
}

#[test]
fn a_failed_download_exits_4_and_leaves_nothing() {
    let emulator = emulator();
    let url = emulator.api_url().to_string();
    let file_id = emulator.store_file("a.bin", content(5_000));
    for transport in TRANSPORTS {
        let dir = Dir::new(&format!("failed-{transport}"));
        let run_in =
            |rest: &[&str]| botapi_in(Some(&dir.0), &args(&url, transport, rest), Some(TOKEN));
        emulator.inject("download", Fault::BrokenOff, 1);
        run_in(&["download", &file_id]).expect_status(4);
        emulator.inject("download", Fault::Truncated, 1);
        run_in(&["download", &file_id])
            .expect_status(4)
            .expect_error_line("5000");
        run_in(&["download", &file_id, "--max-size", "4999"])
            .expect_status(4)
            .expect_error_line("limit");
        emulator.inject(
            "download",
            Fault::json(
                404,
                r#"{"ok":false,"error_code":404,"description":"Not Found"}"#,
            ),
            1,
        );
        let run = run_in(&["--json", "download", &file_id]);
        run.expect_status(4);
        assert_eq!(run.json()["kind"], "not_found", "{run:#?}");
        assert!(dir.entries().is_empty(), "left {:?}", dir.entries());
        // getFile refused: exit 3.
        emulator.inject(
            "getFile",
            Fault::json(
                400,
                r#"{"ok":false,"error_code":400,"description":"Bad Request: invalid file_id"}"#,
            ),
            1,
        );
        run_in(&["download", "nope"]).expect_status(3);
    }
}

#[test]
fn call_uploads_files_from_disk_and_refuses_missing_ones() {
    let emulator = emulator();
    let url = emulator.api_url().to_string();
    let dir = Dir::new("upload");
    let path = dir.0.join("report.pdf");
    std::fs::write(&path, content(300_000)).unwrap();
    let file_arg = format!("document={}", path.display());
    for transport in TRANSPORTS {
        emulator.clear_requests();
        let rest = [
            "--json",
            "call",
            "sendDocument",
            "--params",
            r#"{"chat_id":-100123}"#,
            "--file",
            &file_arg,
        ];
        let run = botapi(&args(&url, transport, &rest), Some(TOKEN));
        run.expect_status(0);
        assert_eq!(run.json()["chat"]["id"], -100123, "{run:#?}");
        let request = emulator.requests().pop().unwrap();
        let sent = request.file("document").unwrap();
        assert_eq!(sent.file_name.as_deref(), Some("report.pdf"));
        assert!(sent.data == content(300_000));

        emulator.clear_requests();
        let missing = format!("document={}", dir.0.join("nope.pdf").display());
        let rest = [
            "call",
            "sendDocument",
            "--params",
            r#"{"chat_id":1}"#,
            "--file",
            &missing,
        ];
        botapi(&args(&url, transport, &rest), Some(TOKEN))
            .expect_status(2)
            .expect_error_line("nope.pdf");
        let rest = [
            "call",
            "sendDocument",
            "--params",
            r#"{"chat_id":1}"#,
            "--file",
            "document",
        ];
        botapi(&args(&url, transport, &rest), Some(TOKEN)).expect_status(2);
        let rest = [
            "call",
            "sendDocument",
            "--params",
            r#"{"chat_id":1,"documnt":2}"#,
            "--file",
            &file_arg,
        ];
        botapi(&args(&url, transport, &rest), Some(TOKEN)).expect_status(2);
        assert!(emulator.requests().is_empty(), "nothing was sent");
    }
}

const HOOK_SECRET: &str = "SENTINEL_hook-secret";

fn post(addr: &str, body: &str, secret: &str) -> u16 {
    let mut stream = TcpStream::connect(addr).unwrap();
    let request = format!(
        "POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nx-telegram-bot-api-secret-token: {secret}\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    answer.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0)
}

/// Starts `botapi serve-webhook` and returns it with the address it printed.
fn serve(
    transport: &str,
    extra: &[&str],
) -> (
    std::process::Child,
    String,
    BufReader<std::process::ChildStderr>,
) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_botapi"))
        .args([
            "--transport",
            transport,
            "serve-webhook",
            "--listen",
            "127.0.0.1:0",
        ])
        .args(extra)
        .env_remove("TELEGRAM_BOT_TOKEN")
        .env("TELEGRAM_WEBHOOK_SECRET", HOOK_SECRET)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    stderr.read_line(&mut line).unwrap();
    let addr = line
        .trim()
        .strip_prefix("listening on http://")
        .unwrap_or_else(|| panic!("{line:?}"))
        .to_owned();
    (child, addr, stderr)
}

fn finish(child: std::process::Child, mut stderr: BufReader<std::process::ChildStderr>) -> Run {
    let mut rest = String::new();
    stderr.read_to_string(&mut rest).unwrap();
    let output = child.wait_with_output().unwrap();
    checked(Run {
        status: output.status.code().expect("exited"),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: rest,
        elapsed: Duration::ZERO,
    })
}

#[test]
fn serve_webhook_prints_each_update_and_stops_after_count() {
    for transport in TRANSPORTS {
        let (child, addr, stderr) = serve(transport, &["--count", "3", "--max-body", "1000"]);
        assert_eq!(post(&addr, r#"{"update_id":1}"#, "SENTINEL_wrong"), 401);
        assert_eq!(post(&addr, "garbage", HOOK_SECRET), 400);
        assert_eq!(post(&addr, &"x".repeat(2000), HOOK_SECRET), 413);
        let mentions = format!(
            r#"{{"update_id":3,"message":{{"message_id":1,"date":0,"chat":{{"id":1,"type":"private"}},"text":"my secret is {HOOK_SECRET}"}}}}"#
        );
        assert_eq!(post(&addr, r#"{"update_id":1}"#, HOOK_SECRET), 200);
        assert_eq!(
            post(
                &addr,
                r#"{"update_id":2,"message":{"chat":1}}"#,
                HOOK_SECRET
            ),
            200
        );
        assert_eq!(post(&addr, &mentions, HOOK_SECRET), 200);
        let run = finish(child, stderr);
        run.expect_status(0);
        let ids: Vec<i64> = run
            .stdout
            .lines()
            .map(|l| {
                serde_json::from_str::<serde_json::Value>(l).unwrap()["update_id"]
                    .as_i64()
                    .unwrap()
            })
            .collect();
        assert_eq!(ids, [1, 2, 3], "{run:#?}");
        assert!(run.stdout.contains("my secret is <redacted>"), "{run:#?}");
    }
}

#[test]
fn serve_webhook_stops_on_sigterm_and_refuses_a_bad_secret() {
    for transport in TRANSPORTS {
        let (child, addr, stderr) = serve(transport, &[]);
        assert_eq!(post(&addr, r#"{"update_id":5}"#, HOOK_SECRET), 200);
        let killed = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .unwrap();
        assert!(killed.success());
        let run = finish(child, stderr);
        run.expect_status(0);
        assert_eq!(run.stdout.lines().count(), 1, "{run:#?}");
    }
    let run = checked_output(
        Command::new(env!("CARGO_BIN_EXE_botapi"))
            .args(["serve-webhook", "--listen", "127.0.0.1:0"])
            .env("TELEGRAM_WEBHOOK_SECRET", "SENTINEL has spaces"),
    );
    run.expect_status(2).expect_error_line("webhook secret");
    let missing = Path::new("/no/such/cert.pem").to_str().unwrap();
    let run = checked_output(
        Command::new(env!("CARGO_BIN_EXE_botapi"))
            .args([
                "serve-webhook",
                "--listen",
                "127.0.0.1:0",
                "--tls-cert",
                missing,
                "--tls-key",
                missing,
            ])
            .env("TELEGRAM_WEBHOOK_SECRET", HOOK_SECRET),
    );
    run.expect_status(2).expect_error_line("cert.pem");
}

fn checked_output(command: &mut Command) -> Run {
    let output = command.env_remove("TELEGRAM_BOT_TOKEN").output().unwrap();
    checked(Run {
        status: output.status.code().unwrap(),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
        elapsed: Duration::ZERO,
    })
}
