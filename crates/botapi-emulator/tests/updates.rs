//! The update queue and getUpdates: ids, offsets, limits, kinds, long polling that wakes on
//! a push, and the conflicts the real server reports.

mod support;

use std::sync::mpsc;
use std::time::{Duration, Instant};

use botapi_emulator::{DEFAULT_TOKEN, Emulator, plausible};
use botapi_proto::methods::GetUpdates;
use botapi_proto::types::{UpdateKind, User};
use serde_json::{Value, json};
use support::*;

fn message(text: &str) -> Value {
    let mut message = plausible::value("Message");
    message["text"] = json!(text);
    message
}

fn get_updates(emulator: &Emulator, params: Value) -> Answer {
    post_json(emulator.addr(), &path(DEFAULT_TOKEN, "getUpdates"), &params)
}

fn ids(answer: &Answer) -> Vec<i64> {
    answer
        .result()
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["update_id"].as_i64().unwrap())
        .collect()
}

fn pending(emulator: &Emulator) -> i64 {
    post(emulator.addr(), &path(DEFAULT_TOKEN, "getWebhookInfo")).result()["pending_update_count"]
        .as_i64()
        .unwrap()
}

#[test]
fn pushed_updates_decode_through_the_core() {
    let emulator = Emulator::start().unwrap();
    assert_eq!(emulator.push_update(json!({"message": message("one")})), 1);
    let callback = json!({"id": "cb1", "from": plausible::value("User"), "chat_instance": "ci"});
    assert_eq!(emulator.push_update(json!({"callback_query": callback})), 2);
    assert_eq!(emulator.push_update(json!({"brand_new_kind": {"x": 1}})), 3);

    let client = emulator.client();
    let poll = GetUpdates::new();
    let answer = send_encoded(emulator.addr(), client.encode(&poll).unwrap());
    let updates = client
        .decode(&poll, http::StatusCode::OK, &answer.body)
        .unwrap();
    assert_eq!(updates.len(), 3);
    assert_eq!(updates[0].update_id, 1);
    match &updates[0].kind {
        UpdateKind::Message(m) => assert_eq!(m.text.as_deref(), Some("one")),
        other => panic!("{other:?}"),
    }
    assert!(matches!(updates[1].kind, UpdateKind::CallbackQuery(_)));
    assert!(matches!(updates[2].kind, UpdateKind::Unknown { .. }));
    // Handing out is not confirming.
    assert_eq!(ids(&get_updates(&emulator, json!({}))), [1, 2, 3]);
    assert_eq!(pending(&emulator), 3);
}

#[test]
fn typed_pushes_get_the_next_id() {
    let emulator = Emulator::start().unwrap();
    let member_left = serde_json::from_value(json!({
        "chat": plausible::value("Chat"),
        "from": plausible::value("User"),
        "date": plausible::DATE,
        "old_chat_member": {"status": "member", "user": plausible::value("User")},
        "new_chat_member": {"status": "left", "user": plausible::value("User")},
    }))
    .unwrap();
    assert_eq!(
        emulator.push_update_kind(UpdateKind::MyChatMember(Box::new(member_left))),
        1
    );
    let answer = get_updates(&emulator, json!({})).result();
    assert_eq!(answer[0]["update_id"], 1);
    assert_eq!(
        answer[0]["my_chat_member"]["new_chat_member"]["status"],
        "left"
    );
}

#[test]
fn given_ids_are_kept_and_later_ones_continue_above() {
    let emulator = Emulator::start().unwrap();
    assert_eq!(
        emulator.push_update(json!({"update_id": 500, "message": message("a")})),
        500
    );
    assert_eq!(emulator.push_update(json!({"message": message("b")})), 501);
    assert_eq!(ids(&get_updates(&emulator, json!({}))), [500, 501]);
}

#[test]
fn offsets_confirm_and_negative_offsets_keep_the_newest() {
    let emulator = Emulator::start().unwrap();
    for i in 0..6 {
        emulator.push_update(json!({"message": message(&i.to_string())}));
    }
    assert_eq!(
        ids(&get_updates(&emulator, json!({"offset": 3}))),
        [3, 4, 5, 6]
    );
    assert_eq!(pending(&emulator), 4, "1 and 2 are confirmed and gone");
    // Offset 0 starts from the oldest unconfirmed one.
    assert_eq!(
        ids(&get_updates(&emulator, json!({"offset": 0}))),
        [3, 4, 5, 6]
    );
    assert_eq!(ids(&get_updates(&emulator, json!({"offset": -2}))), [5, 6]);
    assert_eq!(pending(&emulator), 2, "a negative offset forgets the rest");
    assert!(ids(&get_updates(&emulator, json!({"offset": 7}))).is_empty());
    assert_eq!(pending(&emulator), 0);
    // Form and query parameters count the same.
    emulator.push_update(json!({"message": message("7")}));
    let by_query = get(
        emulator.addr(),
        &format!("{}?offset=7&limit=5", path(DEFAULT_TOKEN, "getUpdates")),
    );
    assert_eq!(ids(&by_query), [7]);
}

#[test]
fn limit_is_clamped_to_one_through_a_hundred() {
    let emulator = Emulator::start().unwrap();
    for i in 0..120 {
        emulator.push_update(json!({"message": message(&i.to_string())}));
    }
    assert_eq!(ids(&get_updates(&emulator, json!({"limit": 2}))), [1, 2]);
    assert_eq!(ids(&get_updates(&emulator, json!({"limit": 0}))), [1]);
    assert_eq!(ids(&get_updates(&emulator, json!({}))).len(), 100);
    assert_eq!(
        ids(&get_updates(&emulator, json!({"limit": 500}))).len(),
        100
    );
}

#[test]
fn allowed_updates_filter_kinds_and_are_remembered() {
    let emulator = Emulator::start().unwrap();
    let member =
        json!({"chat": {}, "from": {}, "date": 0, "old_chat_member": {}, "new_chat_member": {}});
    emulator.push_update(json!({"message": message("m")}));
    emulator.push_update(json!({"chat_member": member}));
    emulator.push_update(json!({"edited_message": message("e")}));
    emulator.push_update(json!({"message_reaction": {}}));
    // By default chat_member and message_reaction stay out, as on the real server.
    assert_eq!(ids(&get_updates(&emulator, json!({}))), [1, 3]);
    let chosen = get_updates(
        &emulator,
        json!({"allowed_updates": ["chat_member", "edited_message"]}),
    );
    assert_eq!(ids(&chosen), [2, 3]);
    // The choice stays until changed.
    assert_eq!(ids(&get_updates(&emulator, json!({}))), [2, 3]);
    // As JSON text in a form, like any array parameter.
    let form = request(
        emulator.addr(),
        "POST",
        &path(DEFAULT_TOKEN, "getUpdates"),
        &[("content-type", "application/x-www-form-urlencoded")],
        b"allowed_updates=%5B%22message_reaction%22%5D",
    )
    .unwrap();
    assert_eq!(ids(&form), [4]);
    // An empty list restores the default.
    assert_eq!(
        ids(&get_updates(&emulator, json!({"allowed_updates": []}))),
        [1, 3]
    );
    // setWebhook's allowed_updates is the same setting.
    let addr = emulator.addr();
    post_json(
        addr,
        &path(DEFAULT_TOKEN, "setWebhook"),
        &json!({"url": "https://bot.example/", "allowed_updates": ["chat_member"]}),
    );
    post(addr, &path(DEFAULT_TOKEN, "deleteWebhook"));
    assert_eq!(ids(&get_updates(&emulator, json!({}))), [2]);
}

#[test]
fn a_long_poll_wakes_when_an_update_is_pushed() {
    let emulator = Emulator::start().unwrap();
    let addr = emulator.addr();
    let (done, answered) = mpsc::channel();
    let poller = std::thread::spawn(move || {
        let started = Instant::now();
        // The support client gives up after 20 s: an answer at all means the poll woke.
        let answer = post_json(
            addr,
            &path(DEFAULT_TOKEN, "getUpdates"),
            &json!({"timeout": 50}),
        );
        done.send(()).unwrap();
        (answer, started.elapsed())
    });
    wait_until_received(&emulator, 1);
    assert!(
        answered.recv_timeout(Duration::from_millis(300)).is_err(),
        "an empty queue must hold the request"
    );
    emulator.push_update(json!({"message": message("wake up")}));
    let (answer, waited) = poller.join().unwrap();
    assert_eq!(answer.result()[0]["message"]["text"], "wake up");
    assert!(waited < Duration::from_secs(15), "woke after {waited:?}");
}

#[test]
fn a_long_poll_with_nothing_to_hand_out_ends_empty_after_its_timeout() {
    let emulator = Emulator::start().unwrap();
    let started = Instant::now();
    let answer = get_updates(&emulator, json!({"timeout": 1}));
    assert_eq!(answer.result(), json!([]));
    assert!(started.elapsed() >= Duration::from_millis(900));
    // Updates of kinds not asked for do not end the wait either.
    emulator.push_update(json!({"chat_member": {}}));
    let started = Instant::now();
    let answer = get_updates(&emulator, json!({"timeout": 1}));
    assert_eq!(answer.result(), json!([]));
    assert!(started.elapsed() >= Duration::from_millis(900));
    // A short poll answers at once.
    assert_eq!(
        get_updates(&emulator, json!({"timeout": 0})).result(),
        json!([])
    );
}

#[test]
fn get_updates_is_refused_while_a_webhook_is_set() {
    let emulator = Emulator::start().unwrap();
    let addr = emulator.addr();
    emulator.push_update(json!({"message": message("kept")}));
    post_json(
        addr,
        &path(DEFAULT_TOKEN, "setWebhook"),
        &json!({"url": "https://bot.example/hook"}),
    )
    .result();
    get_updates(&emulator, json!({})).assert_error(
        409,
        "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
    );
    assert_eq!(
        pending(&emulator),
        1,
        "updates wait for the webhook's removal"
    );
    post(addr, &path(DEFAULT_TOKEN, "deleteWebhook")).result();
    assert_eq!(ids(&get_updates(&emulator, json!({}))), [1]);
}

#[test]
fn setting_a_webhook_ends_a_waiting_poll() {
    let emulator = Emulator::start().unwrap();
    let addr = emulator.addr();
    let poller = std::thread::spawn(move || {
        post_json(
            addr,
            &path(DEFAULT_TOKEN, "getUpdates"),
            &json!({"timeout": 50}),
        )
    });
    wait_until_received(&emulator, 1);
    post_json(
        addr,
        &path(DEFAULT_TOKEN, "setWebhook"),
        &json!({"url": "https://bot.example/hook"}),
    )
    .result();
    let answer = poller.join().unwrap();
    assert_eq!(answer.status, 409);
    // Depending on whether the poll was already waiting when the webhook came.
    let description = answer.json()["description"].as_str().unwrap().to_owned();
    assert!(
        description == "Conflict: terminated by setWebhook request"
            || description.starts_with("Conflict: can't use getUpdates method while webhook"),
        "{description}"
    );
}

#[test]
fn a_second_poll_ends_the_first_with_a_conflict() {
    let emulator = Emulator::start().unwrap();
    let addr = emulator.addr();
    let (done, finished) = mpsc::channel();
    let mut pollers = Vec::new();
    for n in 0..2 {
        let done = done.clone();
        pollers.push(std::thread::spawn(move || {
            let answer = post_json(
                addr,
                &path(DEFAULT_TOKEN, "getUpdates"),
                &json!({"timeout": 50}),
            );
            done.send(n).unwrap();
            answer
        }));
        wait_until_received(&emulator, n + 1);
    }
    // Nothing was pushed: whichever ends first was pushed out by the other.
    let first = finished.recv_timeout(Duration::from_secs(15)).unwrap();
    emulator.push_update(json!({"message": message("for the survivor")}));
    let answers: Vec<Answer> = pollers.into_iter().map(|p| p.join().unwrap()).collect();
    answers[first].assert_error(
        409,
        "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
    );
    let survivor = &answers[1 - first];
    assert_eq!(survivor.result()[0]["message"]["text"], "for the survivor");
}

#[test]
fn drop_pending_updates_empties_the_queue() {
    let emulator = Emulator::start().unwrap();
    let addr = emulator.addr();
    for _ in 0..3 {
        emulator.push_update(json!({"message": message("old")}));
    }
    assert_eq!(pending(&emulator), 3);
    post_json(
        addr,
        &path(DEFAULT_TOKEN, "deleteWebhook"),
        &json!({"drop_pending_updates": false}),
    );
    assert_eq!(pending(&emulator), 3);
    post_json(
        addr,
        &path(DEFAULT_TOKEN, "deleteWebhook"),
        &json!({"drop_pending_updates": true}),
    );
    assert_eq!(pending(&emulator), 0);
    emulator.push_update(json!({"message": message("new")}));
    post_json(
        addr,
        &path(DEFAULT_TOKEN, "setWebhook"),
        &json!({"url": "https://bot.example/", "drop_pending_updates": "true"}),
    );
    assert_eq!(pending(&emulator), 0);
    // Ids keep rising after a drop.
    post(addr, &path(DEFAULT_TOKEN, "deleteWebhook"));
    assert_eq!(emulator.push_update(json!({"message": message("next")})), 5);
}

#[test]
fn each_bot_has_its_own_queue() {
    let (one, two) = ("111:first_secret", "222:second_secret");
    let emulator = Emulator::builder()
        .bot(one.parse().unwrap(), User::new(111, true, "First"))
        .bot(two.parse().unwrap(), User::new(222, true, "Second"))
        .start()
        .unwrap();
    let addr = emulator.addr();
    assert_eq!(
        emulator.push_update(json!({"message": message("to one")})),
        1
    );
    assert_eq!(
        emulator.push_update_for(222, json!({"message": message("to two")})),
        Some(1)
    );
    assert_eq!(emulator.push_update_for(333, json!({"message": {}})), None);
    let poll = |token: &str| post(addr, &path(token, "getUpdates")).result();
    assert_eq!(poll(one)[0]["message"]["text"], "to one");
    assert_eq!(poll(two)[0]["message"]["text"], "to two");
    assert_eq!(poll(one).as_array().unwrap().len(), 1);
}

#[test]
#[should_panic(expected = "an update must be a JSON object")]
fn pushing_something_other_than_an_object_is_a_test_mistake() {
    let emulator = Emulator::start().unwrap();
    emulator.push_update(json!([1, 2]));
}

#[test]
fn faults_still_apply_to_get_updates() {
    let emulator = Emulator::start().unwrap();
    emulator.push_update(json!({"message": message("later")}));
    emulator.inject(
        "getUpdates",
        botapi_emulator::Fault::TooManyRequests { retry_after: 2 },
        1,
    );
    assert_eq!(get_updates(&emulator, json!({})).status, 429);
    assert_eq!(ids(&get_updates(&emulator, json!({}))), [1]);
}

/// Waits until the emulator has logged `count` requests (so a request in flight has
/// arrived), for at most ten seconds.
fn wait_until_received(emulator: &Emulator, count: usize) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while emulator.requests().len() < count {
        assert!(Instant::now() < deadline, "the request never arrived");
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn stopping_the_emulator_ends_a_waiting_poll() {
    let emulator = Emulator::start().unwrap();
    let addr = emulator.addr();
    let poller = std::thread::spawn(move || {
        request(
            addr,
            "POST",
            &path(DEFAULT_TOKEN, "getUpdates"),
            &[("content-type", "application/json")],
            br#"{"timeout": 50}"#,
        )
    });
    wait_until_received(&emulator, 1);
    emulator.stop();
    // Closed without an answer, rather than held until the client's own timeout.
    let error = poller.join().unwrap().unwrap_err();
    assert!(
        !matches!(
            error.kind(),
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
        ),
        "{error:?}"
    );
}

#[test]
fn logging_out_ends_a_waiting_poll() {
    let emulator = Emulator::start().unwrap();
    let addr = emulator.addr();
    let poller = std::thread::spawn(move || {
        post_json(
            addr,
            &path(DEFAULT_TOKEN, "getUpdates"),
            &json!({"timeout": 50}),
        )
    });
    wait_until_received(&emulator, 1);
    assert_eq!(post(addr, &path(DEFAULT_TOKEN, "logOut")).result(), true);
    poller.join().unwrap().assert_error(401, "Unauthorized");
}
