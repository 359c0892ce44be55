//! The commands that succeed, over both transports: get-me, log-out, close, call, demo.

mod support;

use botapi_emulator::Fault;
use support::*;

#[test]
fn get_me_prints_the_bot_with_its_id_exact() {
    let emulator = emulator();
    let url = emulator.api_url().to_string();
    for transport in TRANSPORTS {
        let run = botapi(&args(&url, transport, &["--json", "get-me"]), Some(TOKEN));
        run.expect_status(0);
        assert!(run.stderr.is_empty(), "{run:#?}");
        let me = run.json();
        assert_eq!(me["id"].as_i64(), Some(BOT_ID), "{run:#?}");
        assert!(run.stdout.contains("\"id\":9007199254740993"), "{run:#?}");
        assert_eq!(me["is_bot"], true);
        assert_eq!(me["first_name"], "Sentinel Checker");
        assert_eq!(me["username"], "sentinel_checker_bot");
        assert_eq!(me["can_join_groups"], true);

        let run = botapi(&args(&url, transport, &["get-me"]), Some(TOKEN));
        run.expect_status(0);
        assert!(run.stdout.contains("@sentinel_checker_bot"), "{run:#?}");
        assert!(run.stdout.contains("9007199254740993"), "{run:#?}");
        assert!(
            run.stdout
                .lines()
                .any(|l| l.starts_with("can join groups:") && l.ends_with("yes")),
            "{run:#?}"
        );
    }
    let methods: Vec<String> = emulator.requests().into_iter().map(|r| r.method).collect();
    assert_eq!(methods, ["getMe"; 4]);
}

#[test]
fn the_token_file_is_read_with_one_trailing_newline() {
    let emulator = emulator();
    let url = emulator.api_url().to_string();
    let dir = std::env::temp_dir().join(format!("botapi-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("token");
    std::fs::write(&path, format!("{TOKEN}\n")).unwrap();
    let path = path.to_str().unwrap();
    for transport in TRANSPORTS {
        // The file wins over a wrong token in the environment.
        let run = botapi(
            &args(&url, transport, &["--token-file", path, "--json", "get-me"]),
            Some(WRONG_TOKEN),
        );
        run.expect_status(0);
        assert_eq!(run.json()["id"].as_i64(), Some(BOT_ID));
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn log_out_and_close_print_true() {
    let emulator = emulator();
    let url = emulator.api_url().to_string();
    for transport in TRANSPORTS {
        for (command, method) in [("log-out", "logOut"), ("close", "close")] {
            let run = botapi(&args(&url, transport, &["--json", command]), Some(TOKEN));
            run.expect_status(0);
            assert_eq!(run.json(), serde_json::Value::Bool(true), "{run:#?}");

            let run = botapi(&args(&url, transport, &[command]), Some(TOKEN));
            run.expect_status(0);
            assert!(
                run.stdout.starts_with(&format!("{method}: done.")),
                "{run:#?}"
            );
        }
    }
    let methods: Vec<String> = emulator.requests().into_iter().map(|r| r.method).collect();
    assert_eq!(
        methods,
        [
            "logOut", "logOut", "close", "close", "logOut", "logOut", "close", "close"
        ]
    );
}

#[test]
fn call_sends_the_parameters_exactly_and_prints_the_result() {
    let emulator = emulator();
    let url = emulator.api_url().to_string();
    for transport in TRANSPORTS {
        emulator.clear_requests();
        let run = botapi(
            &args(
                &url,
                transport,
                &[
                    "--json",
                    "call",
                    "setWebhook",
                    "--params",
                    r#"{"url":"https://example.com/hook","max_connections":7}"#,
                ],
            ),
            Some(TOKEN),
        );
        run.expect_status(0);
        assert_eq!(run.json(), serde_json::Value::Bool(true));

        let run = botapi(
            &args(&url, transport, &["--json", "call", "getWebhookInfo"]),
            Some(TOKEN),
        );
        run.expect_status(0);
        let info = run.json();
        assert_eq!(info["url"], "https://example.com/hook");
        assert_eq!(info["max_connections"], 7);

        let sent = emulator.requests();
        assert_eq!(sent[0].method, "setWebhook");
        assert_eq!(
            sent[0].param("max_connections"),
            Some(&serde_json::json!(7))
        );

        // A method the library does not know: its raw result, ids exact both ways.
        let params = format!(r#"{{"chat_id":{SUPERGROUP_ID}}}"#);
        let body =
            format!(r#"{{"ok":true,"result":{{"chat_id":{SUPERGROUP_ID},"extra":[1,"two"]}}}}"#);
        emulator.inject(
            "getBrandNewThing",
            Fault::Respond {
                status: 200,
                content_type: "application/json".into(),
                body: body.into_bytes(),
            },
            1,
        );
        let run = botapi(
            &args(
                &url,
                transport,
                &["--json", "call", "getBrandNewThing", "--params", &params],
            ),
            Some(TOKEN),
        );
        run.expect_status(0);
        let result = run.json();
        assert_eq!(result["chat_id"].as_i64(), Some(SUPERGROUP_ID));
        assert_eq!(result["extra"], serde_json::json!([1, "two"]));
        let sent = emulator.requests();
        let last = sent.last().unwrap();
        assert_eq!(last.method, "getBrandNewThing");
        assert_eq!(
            last.param("chat_id").and_then(|v| v.as_i64()),
            Some(SUPERGROUP_ID)
        );

        // Human output: the result as indented JSON.
        let run = botapi(
            &args(&url, transport, &["call", "getWebhookInfo"]),
            Some(TOKEN),
        );
        run.expect_status(0);
        assert!(
            run.stdout
                .contains("\n  \"url\": \"https://example.com/hook\""),
            "{run:#?}"
        );
    }
}

#[test]
fn call_decodes_known_methods_into_their_types() {
    let emulator = emulator();
    let url = emulator.api_url().to_string();
    for transport in TRANSPORTS {
        // getMe must return a User; an id that is a string is a malformed answer (exit 4),
        // where an unknown method would print it as it came.
        emulator.inject(
            "getMe",
            Fault::Respond {
                status: 200,
                content_type: "application/json".into(),
                body: br#"{"ok":true,"result":{"id":"12","is_bot":true,"first_name":"x"}}"#
                    .to_vec(),
            },
            1,
        );
        let run = botapi(
            &args(&url, transport, &["--json", "call", "getMe"]),
            Some(TOKEN),
        );
        run.expect_status(4).expect_error_line("result.id");
        let doc = run.json();
        assert_eq!(doc["error"], "malformed");
        assert_eq!(doc["kind"], "unexpected_result");

        let run = botapi(
            &args(&url, transport, &["--json", "call", "getMe"]),
            Some(TOKEN),
        );
        run.expect_status(0);
        assert_eq!(run.json()["id"].as_i64(), Some(BOT_ID));
    }
}

#[test]
fn demo_walks_through_and_exits_0_without_a_token() {
    let run = botapi(&["demo"], None);
    run.expect_status(0);
    assert!(run.stderr.is_empty(), "{run:#?}");
    let out = &run.stdout;
    for expected in [
        "over ureq (blocking, the default)",
        "over hyper (async, on a tokio runtime)",
        "--transport ureq get-me",
        "--transport ureq log-out",
        "--transport ureq close",
        "--transport hyper get-me",
        "--transport hyper log-out",
        "--transport hyper close",
        "call sendMessage --params",
        "/bot1234567890:<redacted>/getMe",
        "result: true (logged out)",
        "result: true (closed)",
        "Bot API error 429",
        "retry_after: 7 s",
        "\"parameters\":{\"retry_after\":7}",
        "migrate_to_chat_id: -1001234567890. Send to that chat id",
        "retry 1 in 1 s",
        "sent after the wait: message_id",
        "\"text\":\"/start\"},\"update_id\":1}",
        "{\"kind_from_bot_api_99\":{\"anything\":true},\"update_id\":3}",
        "(28 bytes)",
        "exit status: 3",
    ] {
        assert!(out.contains(expected), "missing {expected:?} in:\n{out}");
    }
    // getMe, logOut and close answered over each transport.
    assert_eq!(out.matches("@emulator_bot").count(), 2, "{out}");
}

#[test]
fn call_builds_every_known_method_as_its_type() {
    let emulator = emulator();
    let url = emulator.api_url().to_string();
    for transport in TRANSPORTS {
        // A method generated from the reference: parameters become the typed struct, the
        // answer the typed Message, ids exact; any spelling of the name works.
        let params = format!(r#"{{"chat_id":{SUPERGROUP_ID},"text":"hello","parse_mode":"HTML"}}"#);
        let run = botapi(
            &args(
                &url,
                transport,
                &["--json", "call", "sendmessage", "--params", &params],
            ),
            Some(TOKEN),
        );
        run.expect_status(0);
        let message = run.json();
        assert_eq!(
            message["chat"]["id"].as_i64(),
            Some(SUPERGROUP_ID),
            "{run:#?}"
        );
        assert_eq!(message["text"], "hello");
        let sent = emulator.requests();
        let last = sent.last().unwrap();
        assert_eq!(
            last.method, "sendMessage",
            "the wire name, not the typed spelling"
        );
        assert_eq!(
            last.param("chat_id").and_then(|v| v.as_i64()),
            Some(SUPERGROUP_ID)
        );

        // A missing required parameter and an unknown one are usage errors naming them,
        // and nothing is sent.
        let before = emulator.requests().len();
        let run = botapi(
            &args(
                &url,
                transport,
                &["call", "sendMessage", "--params", r#"{"chat_id":1}"#],
            ),
            Some(TOKEN),
        );
        run.expect_status(2)
            .expect_error_line("missing field `text`");
        let run = botapi(
            &args(
                &url,
                transport,
                &[
                    "call",
                    "sendMessage",
                    "--params",
                    r#"{"chat_id":1,"text":"x","txet":2}"#,
                ],
            ),
            Some(TOKEN),
        );
        run.expect_status(2)
            .expect_error_line("unknown field `txet`");
        assert_eq!(
            emulator.requests().len(),
            before,
            "refused calls are not sent"
        );

        // "Message or True": with inline_message_id the answer is `true`.
        let run = botapi(
            &args(
                &url,
                transport,
                &[
                    "--json",
                    "call",
                    "editMessageText",
                    "--params",
                    r#"{"inline_message_id":"AbC","text":"edited"}"#,
                ],
            ),
            Some(TOKEN),
        );
        run.expect_status(0);
        assert_eq!(run.json(), serde_json::Value::Bool(true));
    }
}
