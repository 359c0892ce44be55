//! Running a bot through each adapter against the emulator: the retry policy resends what is
//! safe and never a message that may have been posted, the throttle keeps the emulator's flood
//! control from ever answering 429, and the long-poll runner stops cleanly and on 401/409.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use botapi_emulator::FloodControl;
use botapi_proto::methods::{GetMe, GetWebhookInfo, SendMessage, SetWebhook};
use botapi_proto::poll::{PolledUpdate, Poller};
use botapi_proto::retry::RetryPolicy;
use botapi_proto::run::{Notice, Observer, Sender};
use botapi_proto::throttle::{Rate, ThrottleLimits};
use botapi_proto::{ErrorKind, Token};
use botapi_tests::{Adapter, Emulator, Fault, Kind, Settings, closed_port, conformance};
use serde_json::json;

conformance!(
    a_flood_wait_is_honoured_and_the_message_sent_once,
    a_message_that_may_have_been_posted_is_never_resent,
    read_only_calls_are_resent_after_server_trouble,
    failures_before_sending_are_resent_for_any_method,
    a_flood_wait_longer_than_allowed_is_an_error,
    the_throttle_keeps_flood_control_from_answering_429,
    without_a_throttle_flood_control_answers_429,
    the_runner_stops_cleanly_and_confirms_only_what_it_handed_out,
    the_runner_stops_on_401_and_409,
    notices_never_show_the_token,
);

/// Every notice a driver reported, as text.
fn collector() -> (Observer, Arc<Mutex<Vec<String>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&seen);
    let observer: Observer = Arc::new(move |notice: &Notice<'_>| {
        sink.lock().unwrap().push(notice.to_string());
    });
    (observer, seen)
}

fn fast_retries(retries: u32) -> RetryPolicy {
    RetryPolicy::new()
        .max_retries(retries)
        .backoff(Duration::from_millis(10), Duration::from_millis(40))
}

fn sent(emu: &Emulator, method: &str) -> usize {
    emu.requests().iter().filter(|r| r.method == method).count()
}

fn a_flood_wait_is_honoured_and_the_message_sent_once<A: Adapter>() {
    let emu = Emulator::start().unwrap();
    let (observer, seen) = collector();
    let sender = Sender::new().retry(fast_retries(3)).observe(observer);
    let client = A::build_sending(emu.client(), Settings::new(), sender);
    emu.inject("sendMessage", Fault::TooManyRequests { retry_after: 1 }, 1);
    let start = Instant::now();
    let message = client.send(&SendMessage::new(-100, "hello")).unwrap();
    assert!(start.elapsed() >= Duration::from_secs(1), "{}", A::NAME);
    assert_eq!(message.chat.id, -100);
    // The 429 was not executed; the resend was: one message.
    assert_eq!(sent(&emu, "sendMessage"), 2);
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert!(
        seen[0].contains("retry after 1") && seen[0].ends_with("retry 1 in 1 s"),
        "{}",
        seen[0]
    );
}

fn a_message_that_may_have_been_posted_is_never_resent<A: Adapter>() {
    let emu = Emulator::start().unwrap();
    let sender = Sender::new().retry(fast_retries(5));
    let client = A::build_sending(
        emu.client(),
        Settings::new().timeout(Duration::from_millis(400)),
        sender,
    );
    let send = SendMessage::new(42, "once");
    // Each fault ran the method (or may have): a resend could post the message twice.
    for fault in [
        Fault::Truncated,
        Fault::BrokenOff,
        Fault::BadGatewayHtml,
        Fault::json(
            500,
            r#"{"ok":false,"error_code":500,"description":"Internal Server Error"}"#,
        ),
        Fault::DropConnection,
        Fault::Delay(Duration::from_secs(1)),
    ] {
        emu.clear_requests();
        emu.inject("sendMessage", fault.clone(), 1);
        let failure = client.send(&send).unwrap_err();
        assert_eq!(
            sent(&emu, "sendMessage"),
            1,
            "{}: {fault:?} was resent: {failure:?}",
            A::NAME
        );
    }
}

fn read_only_calls_are_resent_after_server_trouble<A: Adapter>() {
    let emu = Emulator::start().unwrap();
    let sender = Sender::new().retry(fast_retries(5));
    let client = A::build_sending(
        emu.client(),
        Settings::new().timeout(Duration::from_millis(400)),
        sender,
    );
    for fault in [
        Fault::Truncated,
        Fault::BadGatewayHtml,
        Fault::DropConnection,
        Fault::Delay(Duration::from_secs(1)),
    ] {
        emu.clear_requests();
        emu.inject("getMe", fault.clone(), 2);
        let me = client
            .send(&GetMe::new())
            .unwrap_or_else(|e| panic!("{}: {fault:?}: {e:?}", A::NAME));
        assert!(me.is_bot);
        assert_eq!(sent(&emu, "getMe"), 3, "{}: {fault:?}", A::NAME);
    }
    // The policy's limit holds: three faults and two resends fail.
    let sender = Sender::new().retry(fast_retries(2));
    let client = A::build_sending(emu.client(), Settings::new(), sender);
    emu.clear_requests();
    emu.inject("getMe", Fault::BadGatewayHtml, 3);
    let failure = client.send(&GetMe::new()).unwrap_err();
    assert_eq!(failure.malformed().status, 502);
    assert_eq!(sent(&emu, "getMe"), 3);
}

fn failures_before_sending_are_resent_for_any_method<A: Adapter>() {
    let emu = Emulator::start().unwrap();
    let (observer, seen) = collector();
    let sender = Sender::new().retry(fast_retries(2)).observe(observer);
    let url = format!("http://127.0.0.1:{}", closed_port())
        .parse()
        .unwrap();
    let client = A::build_sending(emu.client().with_api_url(url), Settings::new(), sender);
    let failure = client.send(&SendMessage::new(42, "hi")).unwrap_err();
    assert_eq!(failure.transport().kind, Kind::Connect);
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 3, "two resends, then giving up: {seen:?}");
    assert!(
        seen[2].ends_with("not retried: no retries left"),
        "{}",
        seen[2]
    );
}

fn a_flood_wait_longer_than_allowed_is_an_error<A: Adapter>() {
    let emu = Emulator::start().unwrap();
    let sender = Sender::new().retry(RetryPolicy::new().max_wait(Duration::from_secs(60)));
    let client = A::build_sending(emu.client(), Settings::new(), sender);
    emu.inject("getMe", Fault::TooManyRequests { retry_after: 3600 }, 1);
    let start = Instant::now();
    let failure = client.send(&GetMe::new()).unwrap_err();
    assert!(start.elapsed() < Duration::from_secs(30));
    assert_eq!(failure.api().retry_after(), Some(Duration::from_secs(3600)));
    assert_eq!(sent(&emu, "getMe"), 1);
}

/// Limits small enough to meet in a test: a group gets 4 a second, everything 6 a second.
fn test_limits() -> ThrottleLimits {
    ThrottleLimits::none()
        .group_chat(Some(Rate::per_second(4)))
        .private_chat(Some(Rate::new(2, Duration::from_secs(1))))
        .overall(Some(Rate::per_second(6)))
}

fn flooding_emulator() -> Emulator {
    Emulator::builder()
        .flood_control(Some(FloodControl::new(test_limits())))
        .start()
        .unwrap()
}

fn the_throttle_keeps_flood_control_from_answering_429<A: Adapter>() {
    let emu = flooding_emulator();
    let (observer, seen) = collector();
    let sender = Sender::new().throttle(test_limits()).observe(observer);
    let client = A::build_sending(emu.client(), Settings::new(), sender);
    let start = Instant::now();
    // 9 to one group, 3 to one user: the group alone needs two full seconds (4 + 4 + 1).
    for n in 0..12 {
        let chat = if n % 4 == 3 { 7 } else { -100 };
        client
            .send(&SendMessage::new(chat, format!("message {n}")))
            .unwrap_or_else(|e| panic!("{}: message {n}: {e:?}", A::NAME));
    }
    assert!(
        start.elapsed() >= Duration::from_secs(2),
        "{:?}",
        start.elapsed()
    );
    let seen = seen.lock().unwrap();
    assert!(seen.iter().all(|n| n.contains("waiting")), "{seen:?}");
    assert!(seen.iter().any(|n| n.contains("chat -100")), "{seen:?}");
}

fn without_a_throttle_flood_control_answers_429<A: Adapter>() {
    let emu = flooding_emulator();
    let client = A::for_emulator(&emu);
    let results: Vec<_> = (0..6)
        .map(|n| client.send(&SendMessage::new(-100, format!("{n}"))))
        .collect();
    assert!(results[..4].iter().all(Result::is_ok), "{results:?}");
    let refused = results[4].as_ref().unwrap_err().api();
    assert_eq!(refused.code(), 429);
    assert_eq!(refused.description, "Too Many Requests: retry after 1");
    assert_eq!(refused.retry_after(), Some(Duration::from_secs(1)));
    // With a retry policy the same burst gets through, each refused message once more.
    let sender = Sender::new().retry(RetryPolicy::new().max_retries(5));
    let client = A::build_sending(emu.client(), Settings::new(), sender);
    for n in 0..6 {
        client
            .send(&SendMessage::new(-200, format!("{n}")))
            .unwrap();
    }
}

fn push_texts(emu: &Emulator, texts: &[&str]) -> Vec<i64> {
    texts
        .iter()
        .map(|text| {
            emu.push_update(json!({
                "message": {"message_id": 1, "date": 1, "chat": {"id": 42, "type": "private"}, "text": text}
            }))
        })
        .collect()
}

fn ids(updates: &[PolledUpdate]) -> Vec<i64> {
    updates.iter().filter_map(PolledUpdate::update_id).collect()
}

fn the_runner_stops_cleanly_and_confirms_only_what_it_handed_out<A: Adapter>() {
    let emu = Emulator::start().unwrap();
    let client = A::for_emulator(&emu);
    let pushed = push_texts(&emu, &["a", "b", "c", "d", "e"]);
    let poller = || Poller::new().timeout_secs(1);

    let first = client.run_updates(poller(), None, 2, true);
    assert!(first.error.is_none(), "{:?}", first.error);
    first.stopped.unwrap().unwrap();
    assert_eq!(ids(&first.updates), pushed[..2]);
    let stop = emu
        .requests()
        .into_iter()
        .rfind(|r| r.method == "getUpdates")
        .unwrap();
    assert_eq!(
        stop.params,
        json!({"offset": pushed[2], "timeout": 0, "limit": 1})
    );

    // Dropped without a stop after taking one: that one is not confirmed, so it comes again.
    let dropped = client.run_updates(poller(), None, 1, false);
    assert_eq!(ids(&dropped.updates), pushed[2..3]);
    let again = client.run_updates(poller(), None, 3, true);
    assert_eq!(ids(&again.updates), pushed[2..5]);
    again.stopped.unwrap().unwrap();
    let pending = client
        .send(&GetWebhookInfo::new())
        .unwrap()
        .pending_update_count;
    assert_eq!(pending, 0, "every update handed out is confirmed");

    // Raw polling hands out the JSON as sent, fields this version does not know included.
    let id = emu.push_update(json!({"message": {"message_id": 9, "date": 1, "chat": {"id": 42, "type": "private"}, "brand_new_field": [1, 2]}}));
    let raw = client.run_updates(Poller::raw().timeout_secs(1), None, 1, true);
    assert_eq!(raw.updates[0]["update_id"], json!(id));
    assert_eq!(raw.updates[0]["message"]["brand_new_field"], json!([1, 2]));
}

fn the_runner_stops_on_401_and_409<A: Adapter>() {
    let emu = Emulator::start().unwrap();
    let client = A::for_emulator(&emu);
    assert!(
        client
            .send(&SetWebhook::new("https://example.com/hook"))
            .unwrap()
    );
    let start = Instant::now();
    let run = client.run_updates(Poller::new().timeout_secs(1), None, 1, false);
    let error = run.error.expect("a webhook stops polling");
    assert_eq!(error.api().kind(), ErrorKind::Conflict);
    assert!(error.api().description.contains("webhook is active"));
    assert!(start.elapsed() < Duration::from_secs(5));

    let token: Token = "999:SENTINELnobodyhasthis".parse().unwrap();
    let stranger = botapi_proto::Client::new(token).with_api_url(emu.api_url());
    let client = A::build(stranger, Settings::new());
    let run = client.run_updates(Poller::new().timeout_secs(1), None, 1, true);
    let error = run.error.expect("an unknown token stops polling");
    assert_eq!(error.api().kind(), ErrorKind::Unauthorized);
    error.assert_free_of("SENTINEL");
    assert!(
        run.stopped.unwrap().is_ok(),
        "nothing to confirm, nothing sent"
    );
}

fn notices_never_show_the_token<A: Adapter>() {
    let secret = "SENTINELsecretXYZ";
    let token: Token = format!("4242:{secret}").parse().unwrap();
    let emu = Emulator::builder()
        .bot(token.clone(), botapi_emulator::default_bot())
        .start()
        .unwrap();
    let (observer, seen) = collector();
    let sender = Sender::new()
        .retry(fast_retries(1))
        .throttle(ThrottleLimits::none().private_chat(Some(Rate::per_second(1))))
        .observe(Arc::clone(&observer));
    let proto = botapi_proto::Client::new(token).with_api_url(emu.api_url());
    let client = A::build_sending(
        proto.clone(),
        Settings::new().timeout(Duration::from_millis(300)),
        sender,
    );
    emu.inject_any(Fault::BadGatewayHtml, 1);
    client.send(&GetMe::new()).unwrap();
    client.send(&SendMessage::new(5, "a")).unwrap();
    client.send(&SendMessage::new(5, "b")).unwrap();
    emu.inject_any(Fault::Delay(Duration::from_secs(1)), 1);
    let failure = client.send(&SendMessage::new(6, "c")).unwrap_err();
    failure.assert_free_of(secret);
    emu.inject("getUpdates", Fault::DropConnection, 1);
    emu.push_update(json!({"message": {"message_id": 1, "date": 1, "chat": "not a chat"}}));
    let run = client.run_updates(
        Poller::new().timeout_secs(0).retry_policy(fast_retries(3)),
        Some(observer),
        1,
        true,
    );
    assert!(matches!(run.updates[0], PolledUpdate::Unreadable(_)));
    let seen = seen.lock().unwrap();
    let kinds = ["retry 1", "waiting", "not retried", "cannot be read"];
    for kind in kinds {
        assert!(
            seen.iter().any(|n| n.contains(kind)),
            "{}: no {kind:?} in {seen:?}",
            A::NAME
        );
    }
    for notice in seen.iter() {
        assert!(!notice.contains(secret), "{notice}");
    }
}
