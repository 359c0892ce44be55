//! The soak: 10,000 updates through the emulator and each adapter's long-poll runner, with
//! faults on a schedule (flood control, an HTML 502, a truncated answer, a dropped
//! connection, an answer slower than the timeout, unreadable updates) and one clean stop and
//! restart in the middle. Every update must come out exactly once, in order.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use botapi_proto::methods::GetWebhookInfo;
use botapi_proto::poll::{PolledUpdate, Poller};
use botapi_proto::retry::RetryPolicy;
use botapi_proto::run::{Notice, Observer};
use botapi_tests::{Adapter, Emulator, Fault, Settings, conformance};
use serde_json::json;

conformance!(ten_thousand_updates_exactly_once_across_faults_and_a_restart);

const UPDATES: i64 = 10_000;
/// Every this many updates, one this version cannot read.
const UNREADABLE_EVERY: i64 = 997;

/// What each `getUpdates` meets, in order: a fault every sixth request for the first sixty,
/// cycling through the kinds; answers are normal otherwise. The clean stop's request takes
/// its turn in the schedule like any other.
fn schedule(emu: &Emulator) {
    let faults = [
        Fault::TooManyRequests { retry_after: 1 },
        Fault::BadGatewayHtml,
        Fault::Truncated,
        Fault::DropConnection,
        // Past the client's timeout of 0.5 s (the polls do not wait: timeout 0).
        Fault::Delay(Duration::from_secs(1)),
    ];
    for request in 0..60 {
        let fault = if request % 6 == 5 {
            faults[(request / 6) % faults.len()].clone()
        } else {
            Fault::Delay(Duration::ZERO)
        };
        emu.inject("getUpdates", fault, 1);
    }
}

fn ten_thousand_updates_exactly_once_across_faults_and_a_restart<A: Adapter>() {
    let emu = Emulator::builder().record_requests(false).start().unwrap();
    for n in 1..=UPDATES {
        let chat = if n % UNREADABLE_EVERY == 0 {
            json!("not a chat")
        } else {
            json!({"id": 1000 + n % 7, "type": "private"})
        };
        let id = emu.push_update(json!({
            "message": {"message_id": n, "date": 1_767_225_600, "chat": chat, "text": format!("update {n}")}
        }));
        assert_eq!(id, n);
    }
    schedule(&emu);

    let notices = Arc::new(Mutex::new(Vec::<String>::new()));
    let sink = Arc::clone(&notices);
    let observer: Observer = Arc::new(move |notice: &Notice<'_>| {
        sink.lock().unwrap().push(notice.to_string());
    });
    let client = A::build(
        emu.client(),
        Settings::new().timeout(Duration::from_millis(500)),
    );
    let poller = || {
        Poller::new().timeout_secs(0).retry_policy(
            RetryPolicy::new()
                .max_retries(u32::MAX)
                .backoff(Duration::from_millis(5), Duration::from_millis(40)),
        )
    };

    let half = usize::try_from(UPDATES / 2).unwrap();
    let first = client.run_updates(poller(), Some(Arc::clone(&observer)), half, true);
    assert!(first.error.is_none(), "{}: {:?}", A::NAME, first.error);
    first.stopped.unwrap().unwrap();
    let second = client.run_updates(poller(), Some(observer), half, true);
    assert!(second.error.is_none(), "{}: {:?}", A::NAME, second.error);
    second.stopped.unwrap().unwrap();

    let all: Vec<&PolledUpdate> = first.updates.iter().chain(&second.updates).collect();
    let ids: Vec<i64> = all.iter().filter_map(|u| u.update_id()).collect();
    assert_eq!(ids.len(), all.len(), "every update has its id");
    let expected: Vec<i64> = (1..=UPDATES).collect();
    if ids != expected {
        let first_wrong = ids.iter().zip(&expected).position(|(a, b)| a != b);
        panic!(
            "{}: {} updates handed out, first out of place at {first_wrong:?}",
            A::NAME,
            ids.len()
        );
    }
    for update in &all {
        let id = update.update_id().unwrap();
        let unreadable = matches!(update, PolledUpdate::Unreadable(_));
        assert_eq!(unreadable, id % UNREADABLE_EVERY == 0, "update {id}");
    }
    let pending = client
        .send(&GetWebhookInfo::new())
        .unwrap()
        .pending_update_count;
    assert_eq!(pending, 0, "the last stop confirmed everything");

    let notices = notices.lock().unwrap();
    for sign in [
        "retry after 1",
        "HTTP 502",
        "ends in the middle",
        "timed out",
        "getUpdates: connection:",
        "cannot be read",
    ] {
        assert!(
            notices.iter().any(|n| n.contains(sign)),
            "{}: no notice with {sign:?}: {notices:#?}",
            A::NAME
        );
    }
    let retries = notices.iter().filter(|n| n.contains("; retry ")).count();
    assert!(
        retries >= 10,
        "{}: {retries} retries: {notices:#?}",
        A::NAME
    );
    assert!(
        !notices.iter().any(|n| n.contains("not retried")),
        "{notices:#?}"
    );
}
