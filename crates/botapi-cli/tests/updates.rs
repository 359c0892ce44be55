//! `botapi updates` and `botapi call --retries`, over both transports, against the emulator:
//! updates printed as sent and confirmed exactly, faults retried with one line each, a clean
//! stop on SIGINT and SIGTERM, 401/404/409 at once, and resends only where they are safe.

mod support;

use std::time::Duration;

use botapi_emulator::{Emulator, Fault};
use serde_json::{Value, json};
use support::*;

/// Pushes a text message and returns the update as the emulator will hand it out.
fn push(emulator: &Emulator, text: &str) -> Value {
    let mut update = json!({
        "message": {"message_id": 7, "date": 1_767_225_600, "text": text,
                    "chat": {"id": SUPERGROUP_ID, "type": "supergroup", "title": "Big"}}
    });
    let id = emulator.push_update(update.clone());
    update["update_id"] = json!(id);
    update
}

fn lines(stdout: &str) -> Vec<Value> {
    stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect()
}

fn pending(url: &str, transport: &str) -> i64 {
    let run = botapi(
        &args(url, transport, &["--json", "call", "getWebhookInfo"]),
        Some(TOKEN),
    );
    run.expect_status(0);
    run.json()["pending_update_count"].as_i64().unwrap()
}

#[test]
fn updates_are_printed_as_sent_and_exactly_the_printed_ones_confirmed() {
    let emulator = emulator();
    let url = emulator.api_url().to_string();
    for transport in TRANSPORTS {
        let mut pushed = Vec::new();
        for n in 0..4 {
            pushed.push(push(&emulator, &format!("{transport} {n}")));
        }
        // One this version cannot read, with a field no version knows: printed all the same.
        // The first has an id beyond 2^53 (so the later ones do too).
        let mut odd = json!({"brand_new_kind": {"x": [1, 2.5, "three"]}});
        if transport == TRANSPORTS[0] {
            odd["update_id"] = json!(9_007_199_254_740_993_i64);
        }
        odd["update_id"] = json!(emulator.push_update(odd.clone()));
        pushed.push(odd);

        let first = botapi(
            &args(
                &url,
                transport,
                &["updates", "--count", "2", "--poll-timeout", "1"],
            ),
            Some(TOKEN),
        );
        first.expect_status(0);
        assert!(first.stderr.is_empty(), "{first:#?}");
        assert_eq!(lines(&first.stdout), pushed[..2], "{first:#?}");
        assert_eq!(
            pending(&url, transport),
            3,
            "exactly the two printed are confirmed"
        );

        let second = botapi(
            &args(&url, transport, &["updates", "--count=3", "--limit", "2"]),
            Some(TOKEN),
        );
        second.expect_status(0);
        assert_eq!(lines(&second.stdout), pushed[2..], "{second:#?}");
        assert!(
            second.stdout.contains("90071992547409"),
            "ids exact: {second:#?}"
        );
        assert_eq!(pending(&url, transport), 0);
    }
    let polls: Vec<Value> = emulator
        .requests()
        .into_iter()
        .filter(|r| r.method == "getUpdates")
        .map(|r| r.params)
        .collect();
    assert_eq!(polls[0], json!({"timeout": 1, "limit": 100}));
    assert_eq!(polls[1]["timeout"], 0, "the clean stop: {polls:?}");
    assert_eq!(polls[2], json!({"timeout": 30, "limit": 2}));
}

#[test]
fn allowed_updates_are_passed_on() {
    let emulator = emulator();
    let url = emulator.api_url().to_string();
    for transport in TRANSPORTS {
        emulator.clear_requests();
        let reaction = json!({"message_reaction": {"chat": {"id": 1, "type": "private"}, "message_id": 1, "date": 1, "old_reaction": [], "new_reaction": []}});
        let id = emulator.push_update(reaction);
        let run = botapi(
            &args(
                &url,
                transport,
                &[
                    "updates",
                    "--count",
                    "1",
                    "--allowed-updates",
                    "message,message_reaction",
                ],
            ),
            Some(TOKEN),
        );
        run.expect_status(0);
        assert_eq!(lines(&run.stdout)[0]["update_id"], json!(id));
        let first = &emulator.requests()[0];
        assert_eq!(
            first.params["allowed_updates"],
            json!(["message", "message_reaction"])
        );
    }
}

#[test]
fn faults_are_retried_with_one_line_each() {
    let emulator = emulator();
    let url = emulator.api_url().to_string();
    for transport in TRANSPORTS {
        let pushed: Vec<Value> = (0..5).map(|n| push(&emulator, &format!("f{n}"))).collect();
        // A fault before each answer, each the first failure in a row (so each backs off
        // about a second at most).
        for fault in [
            Fault::TooManyRequests { retry_after: 1 },
            Fault::BadGatewayHtml,
            Fault::Truncated,
            Fault::DropConnection,
            Fault::Delay(Duration::from_secs(2)),
        ] {
            emulator.inject("getUpdates", fault, 1);
            emulator.inject("getUpdates", Fault::Delay(Duration::ZERO), 1);
        }
        let run = botapi(
            &args(
                &url,
                transport,
                &[
                    "--timeout",
                    "0.5",
                    "updates",
                    "--count",
                    "5",
                    "--limit",
                    "1",
                    "--poll-timeout",
                    "0",
                ],
            ),
            Some(TOKEN),
        );
        run.expect_status(0);
        assert_eq!(lines(&run.stdout), pushed, "{run:#?}");
        let warnings: Vec<&str> = run.stderr.lines().collect();
        assert_eq!(warnings.len(), 5, "{run:#?}");
        assert!(
            warnings
                .iter()
                .all(|l| l.starts_with("warning: getUpdates: ")),
            "{run:#?}"
        );
        for (line, sign) in warnings.iter().zip([
            "retry after 1",
            "HTTP 502",
            "ends in the middle",
            "connection",
            "timed out after 0.5 s",
        ]) {
            assert!(line.contains(sign), "{sign:?} in {line}");
            assert!(line.contains("; retry 1 in "), "{line}");
        }
        assert_eq!(pending(&url, transport), 0);
    }
}

#[test]
fn unauthorized_not_found_and_conflict_exit_3_at_once() {
    let emulator = emulator();
    let url = emulator.api_url().to_string();
    for transport in TRANSPORTS {
        let run = botapi(&args(&url, transport, &["updates"]), Some(WRONG_TOKEN));
        run.expect_status(3).expect_error_line("401");
        assert!(run.elapsed < Duration::from_secs(10), "{run:#?}");

        let elsewhere = format!("{url}/not/a/bot/api");
        let run = botapi(&args(&elsewhere, transport, &["updates"]), Some(TOKEN));
        run.expect_status(3).expect_error_line("404");

        let set = botapi(
            &args(
                &url,
                transport,
                &[
                    "call",
                    "setWebhook",
                    "--params",
                    r#"{"url":"https://example.com/h"}"#,
                ],
            ),
            Some(TOKEN),
        );
        set.expect_status(0);
        let run = botapi(&args(&url, transport, &["--json", "updates"]), Some(TOKEN));
        run.expect_status(3).expect_error_line(
            "409: Conflict: can't use getUpdates method while webhook is active",
        );
        assert_eq!(run.json()["error_code"], 409);
        let delete = botapi(
            &args(&url, transport, &["call", "deleteWebhook"]),
            Some(TOKEN),
        );
        delete.expect_status(0);
    }
}

#[test]
fn a_signal_stops_after_the_printed_update_and_confirms_it() {
    let emulator = emulator();
    let url = emulator.api_url().to_string();
    for (transport, name) in TRANSPORTS.into_iter().zip(["INT", "TERM"]) {
        let first = push(&emulator, "one");
        let second = push(&emulator, "two");
        let mut running = spawn_botapi(
            &args(
                &url,
                transport,
                &["updates", "--limit", "1", "--poll-timeout", "5"],
            ),
            TOKEN,
        );
        assert_eq!(
            serde_json::from_str::<Value>(&running.line()).unwrap(),
            first
        );
        assert_eq!(
            serde_json::from_str::<Value>(&running.line()).unwrap(),
            second
        );
        // It is waiting in a long poll now; the signal ends it without waiting that out.
        std::thread::sleep(Duration::from_millis(300));
        signal(running.pid(), name);
        let run = running.finish();
        run.expect_status(0);
        assert!(run.stdout.is_empty() && run.stderr.is_empty(), "{run:#?}");
        assert!(run.elapsed < Duration::from_secs(4), "{run:#?}");
        assert_eq!(
            pending(&url, transport),
            0,
            "both printed updates are confirmed"
        );

        // The next run starts with the next update: nothing repeated, nothing skipped.
        let third = push(&emulator, "three");
        let mut running = spawn_botapi(&args(&url, transport, &["updates", "--count", "1"]), TOKEN);
        assert_eq!(
            serde_json::from_str::<Value>(&running.line()).unwrap(),
            third
        );
        running.finish().expect_status(0);
        assert_eq!(pending(&url, transport), 0);
    }
}

#[test]
fn call_retries_only_where_it_is_safe() {
    let emulator = emulator();
    let url = emulator.api_url().to_string();
    let send = r#"{"chat_id":-1009007199254740993,"text":"once"}"#;
    let sends = |emulator: &Emulator| {
        emulator
            .requests()
            .iter()
            .filter(|r| r.method == "sendMessage")
            .count()
    };
    for transport in TRANSPORTS {
        // A read-only call after a proxy error: resent, one warning.
        emulator.inject("getMe", Fault::BadGatewayHtml, 1);
        let run = botapi(
            &args(
                &url,
                transport,
                &["--json", "call", "getMe", "--retries", "2"],
            ),
            Some(TOKEN),
        );
        run.expect_status(0);
        assert_eq!(run.json()["id"].as_i64(), Some(BOT_ID));
        assert_eq!(run.stderr.lines().count(), 1, "{run:#?}");
        assert!(
            run.stderr.starts_with("warning: getMe: HTTP 502"),
            "{run:#?}"
        );

        // Flood control: a message is resent after the wait, and posted once.
        emulator.clear_requests();
        emulator.inject("sendMessage", Fault::TooManyRequests { retry_after: 1 }, 1);
        let run = botapi(
            &args(
                &url,
                transport,
                &[
                    "--json",
                    "call",
                    "sendMessage",
                    "--params",
                    send,
                    "--retries",
                    "1",
                ],
            ),
            Some(TOKEN),
        );
        run.expect_status(0);
        assert_eq!(run.json()["chat"]["id"].as_i64(), Some(SUPERGROUP_ID));
        assert!(run.elapsed >= Duration::from_secs(1), "{run:#?}");
        assert_eq!(sends(&emulator), 2);

        // An answer cut off after the message may have been posted: never resent.
        emulator.clear_requests();
        emulator.inject("sendMessage", Fault::Truncated, 1);
        let run = botapi(
            &args(
                &url,
                transport,
                &["call", "sendMessage", "--params", send, "--retries", "5"],
            ),
            Some(TOKEN),
        );
        run.expect_status(4).expect_error_line("ends in the middle");
        assert_eq!(sends(&emulator), 1);

        // Without --retries nothing is resent, and the exit status is the last attempt's.
        emulator.inject("sendMessage", Fault::TooManyRequests { retry_after: 1 }, 2);
        let run = botapi(
            &args(&url, transport, &["call", "sendMessage", "--params", send]),
            Some(TOKEN),
        );
        run.expect_status(3).expect_error_line("retry after 1");
        let run = botapi(
            &args(
                &url,
                transport,
                &["call", "sendMessage", "--params", send, "--retries", "0"],
            ),
            Some(TOKEN),
        );
        run.expect_status(3);
    }
}

#[test]
fn a_signal_during_a_backoff_confirms_what_no_poll_did() {
    let emulator = emulator();
    let url = emulator.api_url().to_string();
    for transport in TRANSPORTS {
        let pushed = [push(&emulator, "one"), push(&emulator, "two")];
        // The poll that would confirm both is dropped, again and again: only the stop's
        // own getUpdates can confirm them.
        emulator.inject("getUpdates", Fault::Delay(Duration::ZERO), 1);
        emulator.inject("getUpdates", Fault::DropConnection, 3);
        let mut running = spawn_botapi(&args(&url, transport, &["updates", "--limit", "2"]), TOKEN);
        for update in &pushed {
            assert_eq!(
                &serde_json::from_str::<Value>(&running.line()).unwrap(),
                update
            );
        }
        std::thread::sleep(Duration::from_millis(200));
        signal(running.pid(), "INT");
        let run = running.finish();
        run.expect_status(0);
        assert!(run.stdout.is_empty(), "{run:#?}");
        assert!(
            run.stderr
                .lines()
                .all(|l| l.starts_with("warning: getUpdates: connection")),
            "{run:#?}"
        );
        assert_eq!(pending(&url, transport), 0, "the stop confirmed both");
        emulator.clear_faults();
    }
}
