//! Every failure and its exit status: 2 usage or configuration, 3 the Bot API said no,
//! 4 transport or protocol failure. Each run is also checked for the token's secret and for
//! panics (see `support::botapi`).

mod support;

use std::time::Duration;

use botapi_emulator::Fault;
use support::*;

#[test]
fn usage_and_configuration_errors_exit_2_and_send_nothing() {
    let emulator = emulator();
    let url = emulator.api_url().to_string();
    let dir = std::env::temp_dir().join(format!("botapi-cli-usage-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad_file = dir.join("bad-token");
    std::fs::write(&bad_file, "4242:SENTINEL secret with spaces\n").unwrap();
    let bad_file = bad_file.to_str().unwrap().to_owned();

    for transport in TRANSPORTS {
        let cases: Vec<(Vec<String>, Option<&str>, &str)> = vec![
            (
                args(&url, transport, &["--json", "get-me"]),
                None,
                "no bot token: set TELEGRAM_BOT_TOKEN",
            ),
            (
                args(&url, transport, &["--json", "get-me"]),
                Some("4242:SENTINEL/secret"),
                "TELEGRAM_BOT_TOKEN: invalid bot token: '/' at byte 13",
            ),
            (
                args(&url, transport, &["--json", "log-out"]),
                Some("SENTINELsecret"),
                "invalid bot token",
            ),
            (
                args(
                    &url,
                    transport,
                    &["--json", "--token-file", &bad_file, "get-me"],
                ),
                Some(TOKEN),
                "invalid bot token: white space",
            ),
            (
                args(
                    &url,
                    transport,
                    &["--token-file", "/nonexistent/botapi-token", "close"],
                ),
                Some(TOKEN),
                "cannot read token file /nonexistent/botapi-token",
            ),
            (
                args(
                    &url,
                    transport,
                    &["--json", "call", "getMe", "--params", "{chat_id: 1}"],
                ),
                Some(TOKEN),
                "--params is not valid JSON",
            ),
            (
                args(
                    &url,
                    transport,
                    &["--json", "call", "getMe", "--params", "[1,2]"],
                ),
                Some(TOKEN),
                "--params must be a JSON object",
            ),
            (
                args(&url, transport, &["--json", "call", "get Me"]),
                Some(TOKEN),
                "invalid method name",
            ),
            (
                args("ftp://127.0.0.1:1", transport, &["--json", "get-me"]),
                Some(TOKEN),
                "API URL scheme must be http or https",
            ),
            (
                args("http://127.0.0.1:1/?token=x", transport, &["get-me"]),
                Some(TOKEN),
                "must not have a query",
            ),
            (
                args(&url, transport, &["--timeout", "0", "get-me"]),
                Some(TOKEN),
                "--timeout",
            ),
            (
                args(&url, transport, &["frobnicate"]),
                Some(TOKEN),
                "unrecognized subcommand",
            ),
        ];
        for (argv, token, message) in cases {
            let run = botapi(&argv, token);
            run.expect_status(2);
            assert!(
                run.stdout.is_empty(),
                "usage errors leave stdout empty: {run:#?}"
            );
            let first = run.stderr.lines().next().unwrap_or_default();
            assert!(first.starts_with("error: "), "{run:#?}");
            assert!(
                run.stderr.contains(message),
                "expected {message:?}: {run:#?}"
            );
        }
    }
    assert!(
        emulator.requests().is_empty(),
        "nothing is sent on a usage error"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_wrong_token_is_an_api_error_exit_3() {
    let emulator = emulator();
    let url = emulator.api_url().to_string();
    for transport in TRANSPORTS {
        let run = botapi(
            &args(&url, transport, &["--json", "get-me"]),
            Some(WRONG_TOKEN),
        );
        run.expect_status(3)
            .expect_error_line("getMe: Bot API error 401");
        let doc = run.json();
        assert_eq!(doc["ok"], false);
        assert_eq!(doc["error_code"], 401);
        assert!(
            doc["description"]
                .as_str()
                .unwrap()
                .contains("Unauthorized")
        );
    }
}

#[test]
fn flood_control_shows_retry_after_exit_3() {
    let emulator = emulator();
    let url = emulator.api_url().to_string();
    for transport in TRANSPORTS {
        emulator.inject("getMe", Fault::TooManyRequests { retry_after: 7 }, 2);
        let run = botapi(&args(&url, transport, &["--json", "get-me"]), Some(TOKEN));
        run.expect_status(3)
            .expect_error_line("getMe: Bot API error 429")
            .expect_error_line("(retry after 7 s)");
        let doc = run.json();
        assert_eq!(doc["error_code"], 429);
        assert_eq!(doc["parameters"], serde_json::json!({"retry_after": 7}));
        // The envelope's own field order, as Telegram sends it.
        assert!(
            run.stdout
                .starts_with(r#"{"ok":false,"error_code":429,"description":"#),
            "{run:#?}"
        );

        // Without --json: stderr only.
        let run = botapi(&args(&url, transport, &["get-me"]), Some(TOKEN));
        run.expect_status(3).expect_error_line("(retry after 7 s)");
        assert!(run.stdout.is_empty(), "{run:#?}");
    }
}

#[test]
fn a_migrated_group_shows_the_new_chat_id_exact_exit_3() {
    let emulator = emulator();
    let url = emulator.api_url().to_string();
    let params = r#"{"chat_id":-4012345678,"text":"hi"}"#;
    for transport in TRANSPORTS {
        emulator.inject(
            "sendMessage",
            Fault::Migrate {
                to_chat_id: SUPERGROUP_ID,
            },
            1,
        );
        let run = botapi(
            &args(
                &url,
                transport,
                &["--json", "call", "sendMessage", "--params", params],
            ),
            Some(TOKEN),
        );
        run.expect_status(3)
            .expect_error_line("sendMessage: Bot API error 400")
            .expect_error_line(&format!("(migrated to chat {SUPERGROUP_ID})"));
        let doc = run.json();
        assert_eq!(
            doc["parameters"]["migrate_to_chat_id"].as_i64(),
            Some(SUPERGROUP_ID)
        );
        assert!(
            run.stdout
                .contains("\"migrate_to_chat_id\":-1009007199254740993"),
            "{run:#?}"
        );
    }
}

#[test]
fn connection_refused_exits_4() {
    // A port that was free a moment ago and has no listener now.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let url = format!("http://127.0.0.1:{port}");
    for transport in TRANSPORTS {
        let run = botapi(&args(&url, transport, &["--json", "get-me"]), Some(TOKEN));
        run.expect_status(4).expect_error_line("getMe: connect");
        let doc = run.json();
        assert_eq!(doc["ok"], false);
        assert_eq!(doc["error"], "transport");
        assert_eq!(doc["kind"], "connect");
    }
}

/// Runs `get-me --json` with `fault` injected, over both transports, and checks exit 4 and
/// the JSON document's `error` and `kind`.
fn expect_failure(fault: Fault, extra: &[&str], error: &str, kind: &str, in_message: &str) {
    let emulator = emulator();
    let url = emulator.api_url().to_string();
    for transport in TRANSPORTS {
        emulator.inject("getMe", fault.clone(), 1);
        let mut rest = extra.to_vec();
        rest.extend(["--json", "get-me"]);
        let run = botapi(&args(&url, transport, &rest), Some(TOKEN));
        run.expect_status(4).expect_error_line(in_message);
        let doc = run.json();
        assert_eq!(doc["ok"], false, "{run:#?}");
        assert_eq!(doc["error"], error, "{run:#?}");
        assert_eq!(doc["kind"], kind, "{run:#?}");
    }
}

#[test]
fn an_html_502_exits_4_and_names_the_status() {
    expect_failure(
        Fault::BadGatewayHtml,
        &[],
        "malformed",
        "not_json",
        "HTTP 502 Bad Gateway",
    );
}

#[test]
fn a_truncated_answer_exits_4() {
    expect_failure(
        Fault::Truncated,
        &[],
        "malformed",
        "truncated",
        "body ends in the middle",
    );
}

#[test]
fn a_timeout_exits_4_within_the_bound() {
    let emulator = emulator();
    let url = emulator.api_url().to_string();
    for transport in TRANSPORTS {
        emulator.inject("getMe", Fault::Delay(Duration::from_secs(3)), 1);
        let run = botapi(
            &args(&url, transport, &["--timeout", "0.5", "--json", "get-me"]),
            Some(TOKEN),
        );
        run.expect_status(4).expect_error_line("timed out");
        assert_eq!(run.json()["kind"], "timeout");
        // --timeout bounds the whole call: the answer would have come after 3 s.
        assert!(run.elapsed < Duration::from_millis(2500), "{run:#?}");
    }
}

#[test]
fn an_oversized_answer_exits_4() {
    // Just over the adapters' 10 MiB default limit.
    expect_failure(
        Fault::Oversized {
            bytes: 10 * 1024 * 1024 + 1,
        },
        &[],
        "transport",
        "body_too_large",
        "larger than",
    );
}

#[test]
fn a_dropped_connection_exits_4() {
    let emulator = emulator();
    let url = emulator.api_url().to_string();
    for transport in TRANSPORTS {
        emulator.inject("getMe", Fault::DropConnection, 1);
        let run = botapi(&args(&url, transport, &["--json", "get-me"]), Some(TOKEN));
        run.expect_status(4).expect_error_line("getMe: ");
        assert_eq!(run.json()["error"], "transport", "{run:#?}");
    }
}

#[test]
fn a_secret_echoed_by_the_server_is_never_printed() {
    // A hostile or broken server quoting the token back, in every place it could.
    let emulator = emulator();
    let url = emulator.api_url().to_string();
    let body = format!(
        r#"{{"ok":false,"error_code":400,"description":"bad token {TOKEN}","parameters":{{"{TOKEN}":"{TOKEN}"}}}}"#
    );
    for transport in TRANSPORTS {
        for json in [true, false] {
            emulator.inject(
                "getMe",
                Fault::Respond {
                    status: 400,
                    content_type: "application/json".into(),
                    body: body.clone().into_bytes(),
                },
                1,
            );
            let mut rest = vec!["get-me"];
            if json {
                rest.insert(0, "--json");
            }
            // `botapi` itself asserts that SENTINEL appears nowhere in the output.
            let run = botapi(&args(&url, transport, &rest), Some(TOKEN));
            run.expect_status(3).expect_error_line("<redacted>");
        }
        emulator.inject(
            "getMe",
            Fault::Respond {
                status: 502,
                content_type: "text/html".into(),
                body: format!("<p>{TOKEN}</p>").into_bytes(),
            },
            1,
        );
        let run = botapi(&args(&url, transport, &["get-me"]), Some(TOKEN));
        run.expect_status(4).expect_error_line("HTTP 502");
    }
}
