//! Properties of the state machines that run a bot, over random schedules on a virtual
//! clock: the throttle never passes a limit and never holds back a call that could go, the
//! retry policy never resends a state-changing call that may have run, and the poller never
//! confirms an update that was not taken, hands each out once and in order.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashSet};
use std::time::{Duration, Instant};

use botapi_proto::methods::{GetMe, SendMessage};
use botapi_proto::poll::{PollDecision, PolledUpdate, Poller};
use botapi_proto::retry::{Failure, RetryDecision, RetryPolicy, RetryState};
use botapi_proto::run::{BlockingClock, BlockingUpdates, Sender};
use botapi_proto::throttle::{Rate, Throttle, ThrottleDecision, ThrottleLimits};
use botapi_proto::types::ChatId;
use botapi_proto::{Client, Error, Outgoing, Token};
use proptest::prelude::*;
use serde_json::{Value, json};

// ---------------------------------------------------------------------------------------
// The throttle

const CHATS: [&str; 6] = ["1", "2", "3", "-1", "-2", "@chan"];

fn chat(n: usize) -> ChatId {
    let name = CHATS[n % CHATS.len()];
    match name.parse::<i64>() {
        Ok(id) => ChatId::from(id),
        Err(_) => ChatId::from(name),
    }
}

fn any_rate() -> impl Strategy<Value = Option<Rate>> {
    prop::option::weighted(0.8, (1u32..5, 1u64..4000))
        .prop_map(|r| r.map(|(count, ms)| Rate::new(count, Duration::from_millis(ms))))
}

fn any_limits() -> impl Strategy<Value = ThrottleLimits> {
    (any_rate(), any_rate(), any_rate(), any_rate()).prop_map(|(private, group, overall, paid)| {
        ThrottleLimits::none()
            .private_chat(private)
            .group_chat(group)
            .overall(overall)
            .paid_broadcast(paid)
    })
}

/// An independent statement of the limits: whether a call to `to` at `t` would break one,
/// given the calls sent so far.
fn breaks_a_limit(
    limits: &ThrottleLimits,
    sent: &[(Duration, usize, bool)],
    t: Duration,
    to: usize,
    paid: bool,
) -> bool {
    let within = |rate: Rate, same: &dyn Fn(usize, bool) -> bool| {
        let n = sent
            .iter()
            .filter(|(at, c, p)| same(*c, *p) && t.saturating_sub(*at) < rate.per())
            .count();
        n >= rate.count() as usize
    };
    let target = chat(to);
    let per_chat = limits
        .for_chat(&target)
        .is_some_and(|rate| within(rate, &|c, _| chat(c) == target));
    let overall = if paid {
        limits.paid_broadcast
    } else {
        limits.overall
    };
    per_chat || overall.is_some_and(|rate| within(rate, &|_, _| true))
}

#[derive(Debug, Clone)]
enum Event {
    /// A call to chat `.1` (a paid broadcast if `.2`) asks to go.
    Call(Duration, usize, bool),
    /// A 429 for chat `.1` asking for `.2`.
    Flood(Duration, usize, Duration),
}

fn any_schedule() -> impl Strategy<Value = Vec<Event>> {
    let event = prop_oneof![
        8 => (0u64..700, 0usize..6, prop::bool::weighted(0.2))
            .prop_map(|(gap, c, paid)| (gap, Some((c, paid)), None)),
        1 => (0u64..700, 0usize..6, 1u64..3000)
            .prop_map(|(gap, c, retry)| (gap, None, Some((c, retry)))),
    ];
    prop::collection::vec(event, 1..60).prop_map(|events| {
        let mut t = Duration::ZERO;
        events
            .into_iter()
            .map(|(gap, call, flood)| {
                t += Duration::from_millis(gap);
                match (call, flood) {
                    (Some((c, paid)), _) => Event::Call(t, c, paid),
                    (None, Some((c, retry))) => Event::Flood(t, c, Duration::from_millis(retry)),
                    (None, None) => unreachable!(),
                }
            })
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// Calls arrive at random, several wait at once (as from several tasks), and each asks
    /// again exactly when told: no limit is ever passed, every wait is needed, and every
    /// wait is as short as it can be.
    #[test]
    fn the_throttle_keeps_every_limit_and_never_delays_a_call_that_could_go(
        limits in any_limits(),
        schedule in any_schedule(),
    ) {
        let base = Instant::now();
        let mut throttle = Throttle::new(limits);
        // (when, sequence, event): tries of waiting calls join the same queue.
        let mut queue: BTreeMap<(Duration, usize), Event> = schedule
            .iter()
            .cloned()
            .enumerate()
            .map(|(n, e)| match e {
                Event::Call(t, ..) | Event::Flood(t, ..) => ((t, n), e),
            })
            .collect();
        let mut next_seq = schedule.len();
        let mut sent: Vec<(Duration, usize, bool)> = Vec::new();
        let mut pauses: Vec<Duration> = Vec::new();
        while let Some(((t, _), event)) = queue.pop_first() {
            match event {
                Event::Flood(_, c, retry) => {
                    let target = chat(c);
                    throttle.on_flood(Some(&Outgoing::new(&target, false)), retry, base + t);
                    pauses.push(t + retry);
                }
                Event::Call(_, c, paid) => {
                    let target = chat(c);
                    match throttle.acquire(&Outgoing::new(&target, paid), base + t) {
                        ThrottleDecision::Go => sent.push((t, c, paid)),
                        ThrottleDecision::Wait(wait) => {
                            prop_assert!(wait > Duration::ZERO);
                            let paused = pauses.iter().any(|end| *end > t);
                            prop_assert!(
                                paused || breaks_a_limit(&limits, &sent, t, c, paid),
                                "held back a call that could go at {t:?}"
                            );
                            let at = t + wait;
                            let paused_before = pauses.iter().any(|end| *end >= at);
                            let just_before = at - Duration::from_nanos(1);
                            prop_assert!(
                                paused_before || breaks_a_limit(&limits, &sent, just_before, c, paid),
                                "the wait {wait:?} at {t:?} is longer than needed"
                            );
                            prop_assert!(!breaks_a_limit(&limits, &sent, at, c, paid));
                            queue.insert((at, next_seq), Event::Call(at, c, paid));
                            next_seq += 1;
                        }
                    }
                }
            }
        }
        // Every call eventually went, and no span ever held more than its limit.
        let calls = schedule.iter().filter(|e| matches!(e, Event::Call(..))).count();
        prop_assert_eq!(sent.len(), calls);
        for (i, &(t, c, paid)) in sent.iter().enumerate() {
            prop_assert!(
                !breaks_a_limit(&limits, &sent[..i], t, c, paid),
                "call {i} at {t:?} passed a limit"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------
// The retry policy

fn any_failure() -> impl Strategy<Value = Failure> {
    prop_oneof![
        prop::option::of(0u64..120).prop_map(|s| Failure::Flood {
            retry_after: s.map(Duration::from_secs)
        }),
        Just(Failure::ServerError),
        Just(Failure::NotAnAnswer),
        any::<bool>().prop_map(|maybe| Failure::Transport {
            may_have_reached_server: maybe
        }),
        Just(Failure::Final),
    ]
}

fn any_policy() -> impl Strategy<Value = RetryPolicy> {
    (0u32..6, 0u64..200, 1u64..5000, 0u64..20_000, 0u8..=100).prop_map(
        |(retries, max_wait, first, max, jitter)| {
            RetryPolicy::new()
                .max_retries(retries)
                .max_wait(Duration::from_secs(max_wait))
                .backoff(Duration::from_millis(first), Duration::from_millis(max))
                .jitter_percent(jitter)
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn the_policy_never_resends_a_state_changing_call_that_may_have_run(
        policy in any_policy(),
        failures in prop::collection::vec((any_failure(), any::<u64>()), 1..12),
        read_only in any::<bool>(),
    ) {
        let mut state = RetryState::new();
        let mut resends = 0;
        for (failure, random) in failures {
            match policy.decide(&mut state, &failure, read_only, random) {
                RetryDecision::Resend { after } => {
                    resends += 1;
                    prop_assert!(failure != Failure::Final);
                    prop_assert!(read_only || !failure.may_have_run(), "resent after {failure:?}");
                    prop_assert!(after <= policy.longest_wait());
                    if let Failure::Flood { retry_after: Some(asked) } = failure {
                        prop_assert_eq!(after, asked);
                    }
                }
                RetryDecision::GiveUp(_) => {}
            }
        }
        prop_assert!(resends <= policy.retries());
        prop_assert_eq!(state.retries(), resends);
    }
}

/// A virtual clock: sleeping moves it on, and the naps are kept for checking.
struct VirtualClock {
    now: Cell<Instant>,
    naps: RefCell<Vec<Duration>>,
}

impl VirtualClock {
    fn new() -> Self {
        VirtualClock {
            now: Cell::new(Instant::now()),
            naps: RefCell::new(Vec::new()),
        }
    }
}

impl BlockingClock for VirtualClock {
    fn now(&self) -> Instant {
        self.now.get()
    }
    fn sleep(&self, duration: Duration) {
        self.naps.borrow_mut().push(duration);
        self.now.set(self.now.get() + duration);
    }
}

/// An answer a scripted server gives.
#[derive(Debug, Clone, Copy)]
enum Answer {
    Ok,
    Flood(u32),
    BadGatewayHtml,
    Internal,
    Refused,
    Reset,
}

impl Answer {
    fn may_have_run(self) -> bool {
        matches!(
            self,
            Answer::Ok | Answer::BadGatewayHtml | Answer::Internal | Answer::Reset
        )
    }
}

fn any_answer() -> impl Strategy<Value = Answer> {
    prop_oneof![
        Just(Answer::Ok),
        (0u32..5).prop_map(Answer::Flood),
        Just(Answer::BadGatewayHtml),
        Just(Answer::Internal),
        Just(Answer::Refused),
        Just(Answer::Reset),
    ]
}

fn respond(status: u16, body: &str) -> http::Response<Vec<u8>> {
    let mut response = http::Response::new(body.as_bytes().to_vec());
    *response.status_mut() = http::StatusCode::from_u16(status).unwrap();
    response
}

fn client() -> Client {
    Client::new(Token::new("123456:SENTINELsecret").unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// The driver against a scripted server: a sendMessage is never sent again after an
    /// answer that may mean it ran, while getMe is resent after anything but a final
    /// answer; flood waits are exact.
    #[test]
    fn the_sender_never_sends_a_message_twice(
        script in prop::collection::vec(any_answer(), 1..8),
        retries in 0u32..8,
        read_only in any::<bool>(),
    ) {
        let answers = RefCell::new(script.clone().into_iter());
        let sent = Cell::new(0usize);
        let server = |request: http::Request<Vec<u8>>| {
            assert!(!format!("{request:?}").is_empty());
            sent.set(sent.get() + 1);
            match answers.borrow_mut().next().unwrap_or(Answer::Ok) {
                Answer::Ok if read_only => Ok(respond(200, r#"{"ok":true,"result":{"id":1,"is_bot":true,"first_name":"a"}}"#)),
                Answer::Ok => Ok(respond(200, r#"{"ok":true,"result":{"message_id":1,"date":0,"chat":{"id":5,"type":"private"}}}"#)),
                Answer::Flood(s) => Ok(respond(429, &format!(r#"{{"ok":false,"error_code":429,"description":"Too Many Requests: retry after {s}","parameters":{{"retry_after":{s}}}}}"#))),
                Answer::BadGatewayHtml => Ok(respond(502, "<html>502</html>")),
                Answer::Internal => Ok(respond(500, r#"{"ok":false,"error_code":500,"description":"Internal Server Error"}"#)),
                Answer::Refused => Err(std::io::Error::from(std::io::ErrorKind::ConnectionRefused)),
                Answer::Reset => Err(std::io::Error::from(std::io::ErrorKind::ConnectionReset)),
            }
        };
        let clock = VirtualClock::new();
        let sender = Sender::new().retry(RetryPolicy::new().max_retries(retries).jitter_percent(0));
        let ok = if read_only {
            sender.send_blocking(&client(), &server, &clock, &GetMe::new()).is_ok()
        } else {
            sender.send_blocking(&client(), &server, &clock, &SendMessage::new(5, "hi")).is_ok()
        };
        let attempts = sent.get();
        prop_assert!(attempts >= 1 && attempts <= retries as usize + 1);
        let tried: Vec<Answer> = script.iter().copied().chain(std::iter::repeat(Answer::Ok)).take(attempts).collect();
        // Every attempt but the last failed; the last succeeded or was not resent.
        for answer in &tried[..attempts - 1] {
            prop_assert!(!matches!(answer, Answer::Ok));
            if !read_only {
                prop_assert!(!answer.may_have_run(), "resent a message after {answer:?}: {tried:?}");
            }
        }
        prop_assert_eq!(ok, matches!(tried[attempts - 1], Answer::Ok));
        let naps = clock.naps.borrow();
        prop_assert_eq!(naps.len(), attempts - 1);
        for (answer, nap) in tried.iter().zip(naps.iter()) {
            if let Answer::Flood(s) = answer {
                prop_assert_eq!(*nap, Duration::from_secs(u64::from(*s)));
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// The poller

/// An in-memory Bot API server's update queue, as the real one keeps it: an offset forgets
/// every update below it.
#[derive(Debug)]
struct Queue {
    updates: Vec<Value>,
    /// The lowest id not confirmed.
    confirmed: i64,
}

impl Queue {
    fn new(ids: &[i64], unreadable: &HashSet<i64>) -> Self {
        let updates = ids
            .iter()
            .map(|&id| {
                if unreadable.contains(&id) {
                    json!({"update_id": id, "message": {"message_id": "not a number"}})
                } else {
                    json!({"update_id": id, "message": {"message_id": id, "date": 0, "chat": {"id": 1, "type": "private"}}})
                }
            })
            .collect();
        Queue {
            updates,
            confirmed: i64::MIN,
        }
    }

    fn answer(&mut self, offset: Option<i64>, limit: Option<i64>) -> Vec<Value> {
        if let Some(offset) = offset {
            self.confirmed = self.confirmed.max(offset);
        }
        let limit = usize::try_from(limit.unwrap_or(100)).unwrap();
        self.updates
            .iter()
            .filter(|u| u["update_id"].as_i64().unwrap() >= self.confirmed)
            .take(limit)
            .cloned()
            .collect()
    }
}

#[derive(Debug, Clone)]
enum Step {
    /// Poll; the answer reaches the poller, or (`false`) it is lost after the server read
    /// the request.
    Poll(bool),
    /// Take up to this many updates.
    Take(usize),
    /// Stop cleanly and start again.
    CleanRestart,
    /// Drop the poller without stopping and start again.
    Crash,
}

fn any_step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => prop::bool::weighted(0.8).prop_map(Step::Poll),
        4 => (0usize..6).prop_map(Step::Take),
        1 => Just(Step::CleanRestart),
        1 => Just(Step::Crash),
    ]
}

fn lost_answer() -> Error<&'static str> {
    Error::Transport("the connection dropped before the answer")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn the_poller_confirms_only_taken_updates_and_hands_each_out_once_in_order(
        gaps in prop::collection::vec(1i64..4, 1..40),
        unreadable_every in 2usize..10,
        limit in 1u8..6,
        steps in prop::collection::vec(any_step(), 1..60),
    ) {
        let mut ids = Vec::new();
        let mut id = 1000;
        for gap in gaps {
            id += gap;
            ids.push(id);
        }
        let unreadable: HashSet<i64> = ids.iter().copied().step_by(unreadable_every).collect();
        let mut server = Queue::new(&ids, &unreadable);
        let client = client();
        let fresh = || Poller::new().timeout_secs(0).limit(limit);
        let mut poller = fresh();
        // Every update handed out, in order, and where each session began.
        let mut taken: Vec<i64> = Vec::new();
        let mut session_start = 0;
        let mut crashed = false;
        let check = |server: &Queue, taken: &[i64]| {
            // Everything the server forgot was taken.
            for id in ids.iter().filter(|id| **id < server.confirmed) {
                assert!(taken.contains(id), "update {id} confirmed but never taken");
            }
        };
        let poll = |poller: &mut Poller, server: &mut Queue, delivered: bool| {
            let request = poller.request();
            let batch = server.answer(request.0.offset, request.0.limit);
            if delivered {
                let body = json!({"ok": true, "result": batch}).to_string();
                let decoded = client
                    .decode(&request, http::StatusCode::OK, body.as_bytes())
                    .unwrap();
                poller.on_updates(decoded);
            } else {
                assert!(matches!(poller.on_error(&lost_answer(), 0), PollDecision::Retry { .. }));
            }
        };
        for step in steps.iter().cloned().chain([Step::CleanRestart]) {
            match step {
                Step::Poll(delivered) => poll(&mut poller, &mut server, delivered),
                Step::Take(n) => {
                    for update in std::iter::from_fn(|| poller.take()).take(n) {
                        let id = update.update_id().unwrap();
                        prop_assert_eq!(
                            matches!(update, PolledUpdate::Unreadable(_)),
                            unreadable.contains(&id)
                        );
                        if let Some(last) = taken[session_start..].last() {
                            prop_assert!(id > *last, "{id} after {last} in one session");
                        }
                        taken.push(id);
                    }
                }
                Step::CleanRestart => {
                    if let Some(stop) = poller.stop_request() {
                        prop_assert_eq!(stop.0.timeout, Some(0));
                        server.answer(stop.0.offset, stop.0.limit);
                    }
                    poller = fresh();
                    session_start = taken.len();
                }
                Step::Crash => {
                    poller = fresh();
                    session_start = taken.len();
                    crashed = true;
                }
            }
            check(&server, &taken);
        }
        // Drain: whatever is left comes out, after which every update was handed out.
        loop {
            poll(&mut poller, &mut server, true);
            if poller.queued() == 0 {
                break;
            }
            while let Some(update) = poller.take() {
                taken.push(update.update_id().unwrap());
            }
        }
        let distinct: HashSet<i64> = taken.iter().copied().collect();
        prop_assert_eq!(distinct.len(), ids.len(), "every update handed out");
        if !crashed {
            prop_assert_eq!(&taken, &ids, "exactly once, in order, across clean stops");
        }
    }
}

/// The blocking runner over an in-memory server with faults on a schedule and a clean stop
/// in the middle: every update comes out exactly once, in order, and each retry waited.
#[test]
fn the_blocking_runner_hands_out_every_update_once_across_faults_and_a_restart() {
    let ids: Vec<i64> = (1..=300).collect();
    let unreadable: HashSet<i64> = [17, 150, 299].into_iter().collect();
    let server = RefCell::new(Queue::new(&ids, &unreadable));
    let calls = Cell::new(0u32);
    let transport = |request: http::Request<Vec<u8>>| {
        let n = calls.get();
        calls.set(n + 1);
        let params: Value = serde_json::from_slice(request.body()).unwrap_or(Value::Null);
        let offset = params["offset"].as_i64();
        let limit = params["limit"].as_i64();
        // The server reads the offset whatever it answers, as Telegram does.
        let batch = server.borrow_mut().answer(offset, limit);
        match n % 7 {
            1 => Ok(respond(
                429,
                r#"{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 2","parameters":{"retry_after":2}}"#,
            )),
            3 => Ok(respond(502, "<html>502 Bad Gateway</html>")),
            5 => Err(std::io::Error::from(std::io::ErrorKind::TimedOut)),
            _ => {
                let body = json!({"ok": true, "result": batch}).to_string();
                let cut = if n % 11 == 4 {
                    body.len() / 2
                } else {
                    body.len()
                };
                Ok(respond(200, &body[..cut]))
            }
        }
    };
    let clock = VirtualClock::new();
    let poller = || Poller::new().timeout_secs(0).limit(7);
    let mut taken = Vec::new();
    let mut first = BlockingUpdates::new(client(), &transport, &clock, poller()).seed(1);
    for update in first.by_ref().take(100) {
        taken.push(update.unwrap().update_id().unwrap());
    }
    first.stop().unwrap();
    let confirmed = server.borrow().confirmed;
    assert_eq!(
        confirmed, 101,
        "the stop confirms exactly the first hundred"
    );
    let second = BlockingUpdates::new(client(), &transport, &clock, poller());
    for update in second.take(200) {
        taken.push(update.unwrap().update_id().unwrap());
    }
    assert_eq!(taken, ids);
    let naps = clock.naps.borrow();
    assert!(
        naps.contains(&Duration::from_secs(2)),
        "flood waits are exact"
    );
    assert!(naps.len() > 20, "{} naps", naps.len());
}
