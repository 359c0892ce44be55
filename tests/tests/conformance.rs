//! The conformance suite: every case runs through both adapters against the emulator.
//!
//! Each case is a generic function over [`Adapter`]; `conformance!` turns it into one test
//! per adapter (`hyper::case` and `ureq::case`).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use botapi_emulator::default_bot;
use botapi_proto::methods::{
    Close, DeleteWebhook, GetMe, GetUpdates, GetWebhookInfo, LogOut, SetWebhook,
};
use botapi_proto::poll::Poller;
use botapi_proto::types::User;
use botapi_proto::{Call, ErrorKind, InputFile, MalformedKind, Token};
use botapi_tests::{Adapter, Emulator, Fault, Kind, Settings, closed_port, conformance};
use serde_json::{Value, json};

conformance!(
    get_me,
    log_out_locks_the_bot_out_for_the_window,
    close,
    webhook_set_get_delete,
    webhook_certificate_from_memory,
    webhook_certificate_streamed_from_disk,
    missing_upload_file_is_a_file_error,
    raw_call,
    too_many_requests,
    migrate_to_chat_id_beyond_2_pow_53,
    bad_gateway_html,
    truncated_body,
    dropped_connection,
    broken_off_body,
    oversized_body,
    body_just_under_the_limit,
    delay_beyond_timeout,
    delay_below_timeout,
    timeout_hint_extends_the_timeout,
    connection_refused,
    unresolvable_host,
    tls_to_a_plain_http_port,
    sentinel_token_never_printed,
);

fn get_me<A: Adapter>() {
    let emu = Emulator::start().unwrap();
    let client = A::for_emulator(&emu);
    let me = client.send(&GetMe::new()).unwrap();
    assert_eq!(me, default_bot(), "{}", A::NAME);
    let log = emu.requests();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].method, "getMe");
    assert_eq!(log[0].http_method, "POST");
    assert_eq!(log[0].bot_id, Some(default_bot().id));
}

fn log_out_locks_the_bot_out_for_the_window<A: Adapter>() {
    let lockout = Duration::from_millis(1500);
    let emu = Emulator::builder().logout_lockout(lockout).start().unwrap();
    let client = A::for_emulator(&emu);
    assert!(client.send(&LogOut::new()).unwrap());
    let logged_out = Instant::now();
    let refused = client.send(&GetMe::new()).unwrap_err();
    let api = refused.api();
    assert_eq!(api.code(), 401, "{api:?}");
    assert_eq!(api.kind(), ErrorKind::Unauthorized);
    assert_eq!(api.status, 401);
    // Once the window has passed, the bot is served again.
    std::thread::sleep(lockout.saturating_sub(logged_out.elapsed()) + Duration::from_millis(200));
    assert_eq!(client.send(&GetMe::new()).unwrap().id, default_bot().id);
}

fn close<A: Adapter>() {
    let emu = Emulator::start().unwrap();
    let client = A::for_emulator(&emu);
    assert!(client.send(&Close::new()).unwrap());
    assert_eq!(emu.requests()[0].method, "close");
}

fn webhook_set_get_delete<A: Adapter>() {
    let emu = Emulator::start().unwrap();
    let client = A::for_emulator(&emu);
    let set = SetWebhook::new("https://example.com/hook")
        .max_connections(7)
        .secret_token("s3cret-header");
    assert!(client.send(&set).unwrap());
    let sent = &emu.requests()[0];
    assert_eq!(sent.header("content-type"), Some("application/json"));
    assert_eq!(sent.param("url"), Some(&json!("https://example.com/hook")));
    assert_eq!(sent.param("max_connections"), Some(&json!(7)));

    let info = client.send(&GetWebhookInfo::new()).unwrap();
    assert_eq!(info.url, "https://example.com/hook");
    assert_eq!(info.max_connections, Some(7));
    assert!(!info.has_custom_certificate);

    assert!(client.send(&DeleteWebhook::new()).unwrap());
    let info = client.send(&GetWebhookInfo::new()).unwrap();
    assert_eq!(info.url, "");
}

fn webhook_certificate_from_memory<A: Adapter>() {
    let emu = Emulator::start().unwrap();
    let client = A::for_emulator(&emu);
    let pem = b"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n".to_vec();
    let set = SetWebhook::new("https://example.com/hook")
        .certificate(InputFile::bytes("cert.pem", pem.clone()));
    assert!(client.send(&set).unwrap());
    let sent = &emu.requests()[0];
    let file = sent.file("certificate").expect("a certificate part");
    assert_eq!(file.data, pem);
    assert_eq!(file.file_name.as_deref(), Some("cert.pem"));
    assert!(
        client
            .send(&GetWebhookInfo::new())
            .unwrap()
            .has_custom_certificate
    );
}

/// A file in this test's scratch directory with `len` bytes of a fixed pseudo-random pattern.
fn scratch_file(name: &str, len: usize) -> (PathBuf, Vec<u8>) {
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    let data: Vec<u8> = (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect();
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&path, &data).unwrap();
    (path, data)
}

fn webhook_certificate_streamed_from_disk<A: Adapter>() {
    let emu = Emulator::start().unwrap();
    let client = A::for_emulator(&emu);
    // Several read chunks long, and not a multiple of any buffer size.
    let (path, data) = scratch_file(&format!("cert-{}.pem", A::NAME), 300_001);
    let set = SetWebhook::new("https://example.com/hook").certificate(InputFile::path(&path));
    assert!(client.send(&set).unwrap());
    let sent = &emu.requests()[0];
    let file = sent.file("certificate").expect("a certificate part");
    assert_eq!(file.data.len(), data.len());
    assert!(file.data == data, "uploaded bytes differ from the file");
    assert_eq!(
        file.file_name.as_deref(),
        path.file_name().and_then(|n| n.to_str())
    );
    // The adapter announced the length from the file's metadata instead of chunking.
    let length: u64 = sent
        .header("content-length")
        .expect("a Content-Length")
        .parse()
        .unwrap();
    assert!(length > data.len() as u64, "{length}");
    assert_eq!(sent.header("transfer-encoding"), None);
    assert!(
        client
            .send(&GetWebhookInfo::new())
            .unwrap()
            .has_custom_certificate
    );
    std::fs::remove_file(path).unwrap();
}

fn missing_upload_file_is_a_file_error<A: Adapter>() {
    let emu = Emulator::start().unwrap();
    let client = A::for_emulator(&emu);
    let missing = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("no-such-cert.pem");
    let set = SetWebhook::new("https://example.com/hook").certificate(InputFile::path(&missing));
    let failure = client.send(&set).unwrap_err();
    let transport = failure.transport();
    assert_eq!(transport.kind, Kind::File, "{transport:?}");
    assert!(
        transport.message.contains("no-such-cert.pem"),
        "{transport:?}"
    );
    assert!(emu.requests().is_empty(), "nothing may be sent");
}

fn raw_call<A: Adapter>() {
    let emu = Emulator::start().unwrap();
    let client = A::for_emulator(&emu);
    let me: Value = client.send(&Call::new("getMe")).unwrap();
    assert_eq!(me["id"], json!(default_bot().id));

    let set = Call::new("setWebhook")
        .params(json!({"url": "https://example.com/raw", "max_connections": 3}))
        .returns::<bool>();
    assert!(client.send(&set).unwrap());
    let sent = &emu.requests()[1];
    assert_eq!(sent.method, "setWebhook");
    assert_eq!(sent.param("max_connections"), Some(&json!(3)));

    let unknown = client.send(&Call::new("noSuchMethod")).unwrap_err();
    assert_eq!(unknown.api().code(), 404);
    assert_eq!(unknown.api().method, "noSuchMethod");
}

fn too_many_requests<A: Adapter>() {
    let emu = Emulator::start().unwrap();
    let client = A::for_emulator(&emu);
    emu.inject("getMe", Fault::TooManyRequests { retry_after: 7 }, 1);
    let failure = client.send(&GetMe::new()).unwrap_err();
    let api = failure.api();
    assert_eq!(api.code(), 429);
    assert_eq!(api.status, 429);
    assert_eq!(api.retry_after(), Some(Duration::from_secs(7)));
    // The fault was for one call only.
    assert!(client.send(&GetMe::new()).is_ok());
}

fn migrate_to_chat_id_beyond_2_pow_53<A: Adapter>() {
    // 2^53 + 1 has no exact f64: only an integer path keeps it.
    let chat_id = -9_007_199_254_740_993_i64;
    let emu = Emulator::start().unwrap();
    let client = A::for_emulator(&emu);
    emu.inject(
        "getMe",
        Fault::Migrate {
            to_chat_id: chat_id,
        },
        1,
    );
    let failure = client.send(&GetMe::new()).unwrap_err();
    let api = failure.api();
    assert_eq!(api.code(), 400);
    assert_eq!(api.migrate_to_chat_id(), Some(chat_id));
}

fn bad_gateway_html<A: Adapter>() {
    let emu = Emulator::start().unwrap();
    let client = A::for_emulator(&emu);
    emu.inject("getMe", Fault::BadGatewayHtml, 1);
    let failure = client.send(&GetMe::new()).unwrap_err();
    let malformed = failure.malformed();
    assert_eq!(malformed.status, 502);
    assert_eq!(malformed.kind, MalformedKind::NotJson);
    assert!(
        malformed.snippet.contains("502 Bad Gateway"),
        "{malformed:?}"
    );
}

fn truncated_body<A: Adapter>() {
    let emu = Emulator::start().unwrap();
    let client = A::for_emulator(&emu);
    emu.inject("getMe", Fault::Truncated, 1);
    let failure = client.send(&GetMe::new()).unwrap_err();
    let malformed = failure.malformed();
    assert_eq!(malformed.status, 200);
    assert_eq!(malformed.kind, MalformedKind::Truncated);
}

fn dropped_connection<A: Adapter>() {
    let emu = Emulator::start().unwrap();
    let client = A::for_emulator(&emu);
    emu.inject("getMe", Fault::DropConnection, 1);
    let failure = client.send(&GetMe::new()).unwrap_err();
    assert_eq!(failure.transport().kind, Kind::Io, "{failure:?}");
    // The next call opens a new connection and succeeds.
    assert!(client.send(&GetMe::new()).is_ok());
}

fn broken_off_body<A: Adapter>() {
    let emu = Emulator::start().unwrap();
    let client = A::for_emulator(&emu);
    emu.inject("getMe", Fault::BrokenOff, 1);
    let failure = client.send(&GetMe::new()).unwrap_err();
    assert_eq!(failure.transport().kind, Kind::Io, "{failure:?}");
}

fn oversized_body<A: Adapter>() {
    let emu = Emulator::start().unwrap();
    let limit = 64 * 1024;
    let client = A::build(emu.client(), Settings::new().max_body_size(limit));
    emu.inject("getMe", Fault::Oversized { bytes: 4 << 20 }, 1);
    let failure = client.send(&GetMe::new()).unwrap_err();
    let transport = failure.transport();
    assert_eq!(
        transport.kind,
        Kind::BodyTooLarge { limit },
        "{transport:?}"
    );
    assert!(
        transport
            .message
            .contains(&format!("body larger than {limit} bytes")),
        "{transport:?}"
    );
    assert!(client.send(&GetMe::new()).is_ok());
}

fn body_just_under_the_limit<A: Adapter>() {
    let emu = Emulator::start().unwrap();
    let limit = 64 * 1024;
    let client = A::build(emu.client(), Settings::new().max_body_size(limit));
    emu.inject("getMe", Fault::Oversized { bytes: limit }, 1);
    assert_eq!(client.send(&GetMe::new()).unwrap(), default_bot());
    emu.inject("getMe", Fault::Oversized { bytes: limit + 1 }, 1);
    let failure = client.send(&GetMe::new()).unwrap_err();
    assert_eq!(failure.transport().kind, Kind::BodyTooLarge { limit });
}

fn delay_beyond_timeout<A: Adapter>() {
    let emu = Emulator::start().unwrap();
    let client = A::build(
        emu.client(),
        Settings::new().timeout(Duration::from_millis(300)),
    );
    emu.inject("getMe", Fault::Delay(Duration::from_secs(3)), 1);
    let failure = client.send(&GetMe::new()).unwrap_err();
    let transport = failure.transport();
    assert_eq!(transport.kind, Kind::Timeout, "{transport:?}");
    assert_eq!(transport.message, "timed out after 0.3 s");
}

fn delay_below_timeout<A: Adapter>() {
    let emu = Emulator::start().unwrap();
    let client = A::build(
        emu.client(),
        Settings::new().timeout(Duration::from_secs(5)),
    );
    emu.inject("getMe", Fault::Delay(Duration::from_millis(100)), 1);
    assert_eq!(client.send(&GetMe::new()).unwrap(), default_bot());
}

fn timeout_hint_extends_the_timeout<A: Adapter>() {
    let emu = Emulator::start().unwrap();
    let client = A::build(
        emu.client(),
        Settings::new().timeout(Duration::from_millis(300)),
    );
    emu.inject("getMe", Fault::Delay(Duration::from_millis(1000)), 1);
    let long_poll = Call::new("getMe")
        .timeout_hint(Duration::from_secs(5))
        .returns::<User>();
    assert_eq!(client.send(&long_poll).unwrap(), default_bot());
    // Without the hint the same delay is beyond the base timeout.
    emu.inject("getMe", Fault::Delay(Duration::from_millis(1000)), 1);
    let failure = client.send(&GetMe::new()).unwrap_err();
    assert_eq!(failure.transport().kind, Kind::Timeout);
}

fn connection_refused<A: Adapter>() {
    let url = format!("http://127.0.0.1:{}", closed_port())
        .parse()
        .unwrap();
    let token: Token = botapi_tests::DEFAULT_TOKEN.parse().unwrap();
    let client = A::build(
        botapi_proto::Client::new(token).with_api_url(url),
        Settings::new(),
    );
    let failure = client.send(&GetMe::new()).unwrap_err();
    let transport = failure.transport();
    assert_eq!(transport.kind, Kind::Connect, "{transport:?}");
    assert!(
        transport
            .message
            .to_lowercase()
            .contains("connection refused"),
        "{transport:?}"
    );
}

fn unresolvable_host<A: Adapter>() {
    let token: Token = botapi_tests::DEFAULT_TOKEN.parse().unwrap();
    let url = "http://nonexistent.invalid".parse().unwrap();
    let client = A::build(
        botapi_proto::Client::new(token).with_api_url(url),
        Settings::new(),
    );
    let failure = client.send(&GetMe::new()).unwrap_err();
    let transport = failure.transport();
    assert_eq!(transport.kind, Kind::Connect, "{transport:?}");
    assert!(transport.message.contains("dns"), "{transport:?}");
}

fn tls_to_a_plain_http_port<A: Adapter>() {
    let emu = Emulator::start().unwrap();
    let url = format!("https://{}", emu.addr()).parse().unwrap();
    let client = A::build(emu.client().with_api_url(url), Settings::new());
    let failure = client.send(&GetMe::new()).unwrap_err();
    let transport = failure.transport();
    assert_eq!(transport.kind, Kind::Tls, "{transport:?}");
    assert!(transport.message.contains("TLS"), "{transport:?}");
}

/// Every error path with a bot whose token is a sentinel: neither `Display` nor `Debug` of
/// any error may show the secret.
fn sentinel_token_never_printed<A: Adapter>() {
    const SECRET: &str = "SENTINEL-secret_Zq8xW";
    let token = format!("4242:{SECRET}");
    let emu = Emulator::builder()
        .bot(token.parse().unwrap(), User::new(4242, true, "Sentinel"))
        .start()
        .unwrap();
    let proto = emu.client();
    assert!(!format!("{proto:?}").contains(SECRET));
    let short = Settings::new()
        .timeout(Duration::from_millis(300))
        .max_body_size(4096);
    let client = A::build(proto.clone(), short);
    let mut seen = 0;
    let mut check = |what: &str, failure: botapi_tests::Failure| {
        failure.assert_free_of(SECRET);
        seen += 1;
        eprintln!("{}: {what}: {}", A::NAME, failure.display);
    };

    // Faults injected on the way back.
    let faults = [
        ("429", Fault::TooManyRequests { retry_after: 3 }),
        (
            "migrate",
            Fault::Migrate {
                to_chat_id: -1_001_234_567_890,
            },
        ),
        ("html 502", Fault::BadGatewayHtml),
        ("truncated", Fault::Truncated),
        ("dropped", Fault::DropConnection),
        ("broken off", Fault::BrokenOff),
        ("oversized", Fault::Oversized { bytes: 1 << 20 }),
        ("timeout", Fault::Delay(Duration::from_secs(2))),
        // Servers that quote the request URL back.
        (
            "html echo",
            Fault::Respond {
                status: 404,
                content_type: "text/html".into(),
                body: format!("<h1>No route for /bot{token}/getMe</h1>").into_bytes(),
            },
        ),
        (
            "api echo",
            Fault::Respond {
                status: 400,
                content_type: "application/json".into(),
                body: json!({"ok": false, "error_code": 400, "description": format!("bad {token}"),
                "parameters": {"echo": token}})
                .to_string()
                .into_bytes(),
            },
        ),
        (
            "result echo",
            Fault::Respond {
                status: 200,
                content_type: "application/json".into(),
                body: json!({"ok": true, "result": {"url": token}})
                    .to_string()
                    .into_bytes(),
            },
        ),
    ];
    for (what, fault) in faults {
        emu.inject("getMe", fault, 1);
        check(what, client.send(&GetMe::new()).unwrap_err());
    }

    // Requests that cannot be built or sent.
    check("encode", client.send(&Call::new("bad/name")).unwrap_err());
    let missing = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("missing-upload.pem");
    let upload = SetWebhook::new("https://example.com").certificate(InputFile::path(missing));
    check("file", client.send(&upload).unwrap_err());
    let unknown_bot = botapi_proto::Client::new(format!("4243:{SECRET}").parse().unwrap())
        .with_api_url(emu.api_url());
    check(
        "unknown token",
        A::build(unknown_bot, short)
            .send(&GetMe::new())
            .unwrap_err(),
    );

    // Transport failures before any answer.
    let refused = format!("http://127.0.0.1:{}", closed_port())
        .parse()
        .unwrap();
    let invalid = "http://nonexistent.invalid".parse().unwrap();
    let tls = format!("https://{}", emu.addr()).parse().unwrap();
    for (what, url) in [("refused", refused), ("dns", invalid), ("tls", tls)] {
        let other = A::build(proto.clone().with_api_url(url), short);
        check(what, other.send(&GetMe::new()).unwrap_err());
    }

    // getUpdates: flood control and a timeout on the poller's request, and the conflict
    // with a webhook.
    let poll = Poller::new().timeout_secs(0).request();
    emu.inject("getUpdates", Fault::TooManyRequests { retry_after: 3 }, 1);
    check("getUpdates 429", client.send(&poll).unwrap_err());
    emu.inject("getUpdates", Fault::Delay(Duration::from_secs(2)), 1);
    check("getUpdates timeout", client.send(&poll).unwrap_err());
    assert!(
        client
            .send(&SetWebhook::new("https://example.com/hook"))
            .unwrap()
    );
    let conflict = client.send(&GetUpdates::new()).unwrap_err();
    assert_eq!(conflict.api().code(), 409);
    check("getUpdates 409", conflict);
    assert_eq!(seen, 20);
}

#[test]
fn hyper_200_calls_in_flight_on_one_client() {
    use botapi_tests::Hyper;
    let emu = Emulator::start().unwrap();
    // Each answer is held back: 200 of them one after another would take 60 s, past the
    // 10 s timeout, so all succeed only if they are in flight together.
    emu.inject_any(Fault::Delay(Duration::from_millis(300)), 200);
    let adapter = Hyper::build(
        emu.client(),
        Settings::new().timeout(Duration::from_secs(10)),
    );
    let client = adapter.client().clone();
    let results = adapter.runtime().block_on(async move {
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..200 {
            let client = client.clone();
            tasks.spawn(async move { client.send(&GetMe::new()).await });
        }
        tasks.join_all().await
    });
    assert_eq!(results.len(), 200);
    for result in results {
        assert_eq!(result.unwrap().id, default_bot().id);
    }
    assert_eq!(emu.requests().len(), 200);
}

#[test]
fn ureq_clones_share_one_client_across_threads() {
    use botapi_tests::Ureq;
    let emu = Emulator::start().unwrap();
    emu.inject_any(Fault::Delay(Duration::from_millis(200)), 16);
    let adapter = Ureq::build(
        emu.client(),
        Settings::new().timeout(Duration::from_secs(2)),
    );
    let threads: Vec<_> = (0..16)
        .map(|_| {
            let client = adapter.client().clone();
            std::thread::spawn(move || client.send(&GetMe::new()))
        })
        .collect();
    for thread in threads {
        assert_eq!(thread.join().unwrap().unwrap().id, default_bot().id);
    }
    assert_eq!(emu.requests().len(), 16);
}

#[test]
fn hyper_with_a_users_own_hyper_util_client() {
    use hyper_util::client::legacy::Client as HyperClient;
    use hyper_util::rt::TokioExecutor;
    let emu = Emulator::start().unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let http = HyperClient::builder(TokioExecutor::new()).build_http();
        let client = botapi_hyper::Client::builder(emu.client())
            .hyper_client(http)
            .build();
        assert_eq!(client.send(&GetMe::new()).await.unwrap(), default_bot());
        emu.inject("getMe", Fault::TooManyRequests { retry_after: 2 }, 1);
        let e = client.send(&GetMe::new()).await.unwrap_err();
        assert_eq!(
            e.as_api().unwrap().retry_after(),
            Some(Duration::from_secs(2))
        );
    });
}

#[test]
fn ureq_with_a_users_own_agent_still_sees_error_bodies() {
    // A default agent turns 4xx/5xx into ureq errors and has no timeout; the client must
    // override both on every request.
    let emu = Emulator::start().unwrap();
    let agent = ::ureq::Agent::new_with_defaults();
    let client = botapi_ureq::Client::builder(emu.client())
        .agent(agent)
        .timeout(Duration::from_millis(300))
        .build();
    assert_eq!(client.send(&GetMe::new()).unwrap(), default_bot());
    emu.inject("getMe", Fault::TooManyRequests { retry_after: 2 }, 1);
    let e = client.send(&GetMe::new()).unwrap_err();
    assert_eq!(
        e.as_api().unwrap().retry_after(),
        Some(Duration::from_secs(2))
    );
    emu.inject("getMe", Fault::Delay(Duration::from_secs(2)), 1);
    match client.send(&GetMe::new()).unwrap_err() {
        botapi_proto::Error::Transport(t) => {
            assert_eq!(t.kind(), botapi_ureq::TransportErrorKind::Timeout)
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn hyper_client_built_outside_a_runtime_works_in_any() {
    let emu = Emulator::start().unwrap();
    let client = botapi_hyper::Client::new(emu.client());
    // Two runtimes one after the other: the second finds the first's pooled connection gone
    // with its runtime and opens a new one.
    for _ in 0..2 {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let me = runtime.block_on(client.send(&GetMe::new())).unwrap();
        assert_eq!(me, default_bot());
    }
    assert_eq!(emu.requests().len(), 2);
}

#[test]
fn hyper_with_a_users_own_connector() {
    use hyper_util::client::legacy::connect::HttpConnector;
    let emu = Emulator::start().unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let client = botapi_hyper::Client::builder(emu.client())
        .connector(HttpConnector::new())
        .timeout(Duration::from_millis(300))
        .build();
    runtime.block_on(async {
        assert_eq!(client.send(&GetMe::new()).await.unwrap(), default_bot());
        // The crate's timeout applies whatever the connector.
        emu.inject("getMe", Fault::Delay(Duration::from_secs(2)), 1);
        match client.send(&GetMe::new()).await.unwrap_err() {
            botapi_proto::Error::Transport(t) => {
                assert_eq!(t.kind(), botapi_hyper::TransportErrorKind::Timeout)
            }
            other => panic!("{other:?}"),
        }
    });
}
