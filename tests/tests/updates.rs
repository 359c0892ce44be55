//! `getUpdates` typed end to end: updates pushed into the emulator come back through each
//! adapter as typed [`Update`]s, long polls outlast the base timeout, and the [`Poller`]
//! moves past updates it cannot read, confirms only what was taken and decides on real
//! errors.

use std::time::{Duration, Instant};

use botapi_proto::methods::{GetUpdates, GetWebhookInfo, SetWebhook};
use botapi_proto::poll::{PollDecision, PolledUpdate, Poller};
use botapi_proto::types::{CallbackQuery, ChatType, Update, UpdateKind, User};
use botapi_proto::{ErrorKind, Method};
use botapi_tests::{Adapter, Emulator, Fault, Kind, Settings, conformance};
use serde_json::{Value, json};

conformance!(
    updates_of_every_kind_decode_typed,
    long_poll_outlasts_the_base_timeout,
    poller_moves_past_an_unreadable_update,
    poller_decides_on_real_errors,
);

/// A supergroup id beyond 2^53: odd at that size, so no `f64` holds it exactly.
const BIG_CHAT_ID: i64 = -1_009_007_199_254_740_993;

/// A text message in a chat, as the server sends it.
fn text_message(message_id: i64, chat_id: i64, text: &str) -> Value {
    json!({
        "message_id": message_id,
        "date": 1_767_225_600,
        "chat": {"id": chat_id, "type": "supergroup", "title": "Big group"},
        "from": {"id": 777, "is_bot": false, "first_name": "Ann"},
        "text": text,
    })
}

/// How many updates the emulator holds for the bot, confirmed ones excluded.
fn pending<A: Adapter>(client: &A) -> i64 {
    client
        .send(&GetWebhookInfo::new())
        .unwrap()
        .pending_update_count
}

/// The `getUpdates` requests the emulator received, in order.
fn get_updates_sent(emu: &Emulator) -> Vec<Value> {
    emu.requests()
        .into_iter()
        .filter(|r| r.method == GetUpdates::NAME)
        .map(|r| r.params)
        .collect()
}

/// Blocks until the emulator has received a `getUpdates` (panics after 10 s, so a test whose
/// request never arrives fails instead of hanging).
fn wait_for_get_updates(emu: &Emulator) {
    let give_up = Instant::now() + Duration::from_secs(10);
    while get_updates_sent(emu).is_empty() {
        assert!(
            Instant::now() < give_up,
            "no getUpdates reached the emulator"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn updates_of_every_kind_decode_typed<A: Adapter>() {
    let emu = Emulator::start().unwrap();
    let client = A::for_emulator(&emu);

    let message = emu.push_update(json!({"message": text_message(10, BIG_CHAT_ID, "hello")}));
    let mut query = CallbackQuery::new("4382bfdwdsb323b2d9", User::new(777, false, "Ann"), "-42");
    query.data = Some("button-1".into());
    let callback = emu.push_update_kind(UpdateKind::CallbackQuery(Box::new(query.clone())));
    let mut edited_json = text_message(10, BIG_CHAT_ID, "hello, edited");
    edited_json["edit_date"] = json!(1_767_225_660);
    let edited = emu.push_update(json!({"edited_message": edited_json}));
    let brand_new =
        json!({"x": 1, "nested": {"big": 9_007_199_254_740_993_i64, "list": [true, null]}});
    let unknown = emu.push_update(json!({"brand_new_kind": brand_new}));
    assert_eq!([message, callback, edited, unknown], [1, 2, 3, 4]);

    let updates: Vec<Update> = client.send(&GetUpdates::new()).unwrap();
    let ids: Vec<i64> = updates.iter().map(|u| u.update_id).collect();
    assert_eq!(ids, [message, callback, edited, unknown], "{}", A::NAME);

    match &updates[0].kind {
        UpdateKind::Message(m) => {
            assert_eq!(m.message_id, 10);
            assert_eq!(m.chat.id, BIG_CHAT_ID);
            assert_eq!(m.chat.r#type, ChatType::Supergroup);
            assert_eq!(m.from.as_ref().map(|u| u.id), Some(777));
            assert_eq!(m.text.as_deref(), Some("hello"));
            assert_eq!(m.edit_date, None);
        }
        other => panic!("{}: expected a message, got {other:?}", A::NAME),
    }
    match &updates[1].kind {
        UpdateKind::CallbackQuery(q) => assert_eq!(**q, query),
        other => panic!("{}: expected a callback query, got {other:?}", A::NAME),
    }
    match &updates[2].kind {
        UpdateKind::EditedMessage(m) => {
            assert_eq!(m.chat.id, BIG_CHAT_ID);
            assert_eq!(m.text.as_deref(), Some("hello, edited"));
            assert_eq!(m.edit_date, Some(1_767_225_660));
        }
        other => panic!("{}: expected an edited message, got {other:?}", A::NAME),
    }
    match &updates[3].kind {
        UpdateKind::Unknown { name, value } => {
            assert_eq!(name, "brand_new_kind");
            assert_eq!(value, &brand_new);
        }
        other => panic!("{}: expected an unknown kind, got {other:?}", A::NAME),
    }
    let names: Vec<&str> = updates.iter().map(|u| u.kind.name()).collect();
    assert_eq!(
        names,
        [
            "message",
            "callback_query",
            "edited_message",
            "brand_new_kind"
        ]
    );

    // Handing updates out confirms nothing; an offset past the last one does.
    assert_eq!(pending(&client), 4);
    let confirm = GetUpdates::new().offset(unknown + 1);
    assert!(client.send(&confirm).unwrap().is_empty(), "{}", A::NAME);
    assert_eq!(
        get_updates_sent(&emu).last().unwrap()["offset"],
        json!(unknown + 1)
    );
    assert_eq!(pending(&client), 0);
    assert!(client.send(&GetUpdates::new()).unwrap().is_empty());
}

fn long_poll_outlasts_the_base_timeout<A: Adapter>() {
    let emu = Emulator::start().unwrap();
    let client = A::build(
        emu.client(),
        Settings::new().timeout(Duration::from_secs(1)),
    );

    // The base timeout is in force: a getUpdates without a wait, held back 2 s, times out.
    emu.inject("getUpdates", Fault::Delay(Duration::from_secs(2)), 1);
    let failure = client.send(&GetUpdates::new()).unwrap_err();
    assert_eq!(failure.transport().kind, Kind::Timeout, "{failure:?}");
    emu.clear_requests();

    // A long poll of 3 s gets its update pushed 1.5 s after it reached the server, past
    // the base timeout: the hint keeps the request open, and the same poll returns it.
    let poll = GetUpdates::new().timeout(3);
    assert_eq!(poll.timeout_hint(), Some(Duration::from_secs(3)));
    let (answer, pushed) = std::thread::scope(|s| {
        let pusher = s.spawn(|| {
            wait_for_get_updates(&emu);
            std::thread::sleep(Duration::from_millis(1500));
            emu.push_update(json!({"message": text_message(11, BIG_CHAT_ID, "late")}))
        });
        let answer = client.send(&poll);
        (answer, pusher.join().unwrap())
    });
    let updates = answer.unwrap_or_else(|e| panic!("{}: the long poll failed: {e:?}", A::NAME));
    assert_eq!(updates.len(), 1, "{updates:?}");
    assert_eq!(updates[0].update_id, pushed);
    match &updates[0].kind {
        UpdateKind::Message(m) => {
            assert_eq!(m.text.as_deref(), Some("late"));
            assert_eq!(m.chat.id, BIG_CHAT_ID);
        }
        other => panic!("{}: expected a message, got {other:?}", A::NAME),
    }
    let sent = get_updates_sent(&emu);
    assert_eq!(sent.len(), 1, "one long poll, not a retry: {sent:?}");
    assert_eq!(sent[0]["timeout"], json!(3));

    // A long poll that nothing answers ends with an empty batch, not an error.
    let confirm_and_wait = GetUpdates::new().offset(pushed + 1).timeout(1);
    let empty = client
        .send(&confirm_and_wait)
        .unwrap_or_else(|e| panic!("{}: the empty long poll failed: {e:?}", A::NAME));
    assert!(empty.is_empty(), "{empty:?}");
    assert_eq!(get_updates_sent(&emu).len(), 2);
}

fn poller_moves_past_an_unreadable_update<A: Adapter>() {
    let emu = Emulator::start().unwrap();
    let client = A::for_emulator(&emu);
    let first = emu.push_update(json!({"message": text_message(20, BIG_CHAT_ID, "one")}));
    // `chat` must be a Chat object: no version of the types reads this message.
    let bad =
        emu.push_update(json!({"message": {"message_id": 21, "date": 0, "chat": "a string"}}));
    let last = emu.push_update(json!({"message": text_message(22, BIG_CHAT_ID, "three")}));

    let mut poller = Poller::new().timeout_secs(1);
    let first_request = poller.request();
    assert_eq!(first_request.0.offset, None);
    let batch = client.send(&first_request).unwrap();
    assert_eq!(batch.len(), 3, "{}: {batch:?}", A::NAME);
    let ids: Vec<Option<i64>> = batch.iter().map(PolledUpdate::update_id).collect();
    assert_eq!(ids, [Some(first), Some(bad), Some(last)]);
    for (polled, text) in [(&batch[0], "one"), (&batch[2], "three")] {
        match polled {
            PolledUpdate::Update(Update {
                kind: UpdateKind::Message(m),
                ..
            }) => {
                assert_eq!(m.text.as_deref(), Some(text));
                assert_eq!(m.chat.id, BIG_CHAT_ID);
            }
            other => panic!("{}: expected a readable message, got {other:?}", A::NAME),
        }
    }
    match &batch[1] {
        PolledUpdate::Unreadable(raw) => {
            assert_eq!(raw.update_id, Some(bad));
            assert_eq!(raw.raw["message"]["chat"], json!("a string"));
            assert_eq!(raw.raw["update_id"], json!(bad));
            assert!(raw.error.contains("invalid type"), "{}", raw.error);
        }
        other => panic!("{}: expected an unreadable update, got {other:?}", A::NAME),
    }
    assert_eq!(pending(&client), 3);

    // Fetched is not taken: nothing is confirmed until the updates are handed out.
    poller.on_updates(batch);
    assert_eq!(poller.offset(), None);
    let handed_out: Vec<_> = std::iter::from_fn(|| poller.take()).collect();
    assert_eq!(handed_out.len(), 3);
    assert!(matches!(handed_out[1], PolledUpdate::Unreadable(_)));
    assert_eq!(poller.offset(), Some(last + 1));
    let next = poller.request();
    assert_eq!(next.0.offset, Some(last + 1));
    let empty = client.send(&next).unwrap();
    assert!(empty.is_empty(), "{empty:?}");
    let sent = get_updates_sent(&emu);
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[0].get("offset"), None);
    assert_eq!(sent[1]["offset"], json!(last + 1));
    assert_eq!(sent[1]["timeout"], json!(1));
    assert_eq!(pending(&client), 0);
    poller.on_updates(empty);
    assert_eq!(poller.offset(), Some(last + 1));
    assert_eq!(
        poller.stop_request(),
        None,
        "the server already has the offset"
    );
}

fn poller_decides_on_real_errors<A: Adapter>() {
    let emu = Emulator::start().unwrap();
    let client = A::for_emulator(&emu);
    let queued = emu.push_update(json!({"message": text_message(30, BIG_CHAT_ID, "kept")}));
    let mut poller = Poller::new().timeout_secs(1);

    // Flood control: wait exactly what the server says.
    emu.inject("getUpdates", Fault::TooManyRequests { retry_after: 3 }, 1);
    let failure = client.send(&poller.request()).unwrap_err();
    let api = failure.api();
    assert_eq!(api.code(), 429, "{}: {api:?}", A::NAME);
    assert_eq!(api.method, "getUpdates");
    assert_eq!(
        poller.on_error(&failure.error, 0),
        PollDecision::Retry {
            after: Duration::from_secs(3)
        }
    );
    // The refused request handed nothing out; the retry gets the update.
    assert_eq!(poller.offset(), None);
    let batch = client.send(&poller.request()).unwrap();
    assert_eq!(batch.len(), 1, "{batch:?}");
    assert_eq!(batch[0].update_id(), Some(queued));
    poller.on_updates(batch);
    assert_eq!(poller.take().and_then(|u| u.update_id()), Some(queued));

    // A webhook in the way: polling cannot work until it is deleted, so stop.
    assert!(
        client
            .send(&SetWebhook::new("https://example.com/hook"))
            .unwrap()
    );
    let failure = client.send(&poller.request()).unwrap_err();
    let api = failure.api();
    assert_eq!(api.code(), 409, "{}: {api:?}", A::NAME);
    assert_eq!(api.kind(), ErrorKind::Conflict);
    assert!(
        api.description.contains("webhook is active"),
        "{}",
        api.description
    );
    assert_eq!(poller.on_error(&failure.error, 0), PollDecision::Stop);
}
