//! The throttle's behaviour on a virtual clock: bursts, per-chat and overall limits, paid
//! broadcasts, pauses learnt from 429s, and a bounded memory.

use std::time::{Duration, Instant};

use botapi_proto::Outgoing;
use botapi_proto::throttle::{Rate, Throttle, ThrottleDecision, ThrottleLimits};
use botapi_proto::types::ChatId;

fn secs(s: u64) -> Duration {
    Duration::from_secs(s)
}

#[test]
fn a_private_chat_gets_bursts_of_three_then_one_a_second() {
    let mut throttle = Throttle::default();
    let t0 = Instant::now();
    let user = ChatId::from(7);
    let to = Outgoing::new(&user, false);
    for _ in 0..3 {
        assert_eq!(throttle.acquire(&to, t0), ThrottleDecision::Go);
    }
    assert_eq!(throttle.acquire(&to, t0), ThrottleDecision::Wait(secs(3)));
    let later = t0 + Duration::from_millis(2500);
    assert_eq!(
        throttle.acquire(&to, later),
        ThrottleDecision::Wait(Duration::from_millis(500))
    );
    assert_eq!(throttle.acquire(&to, t0 + secs(3)), ThrottleDecision::Go);
}

#[test]
fn the_overall_limit_holds_free_calls_but_not_paid_broadcasts() {
    let limits = ThrottleLimits::none()
        .overall(Some(Rate::per_second(2)))
        .paid_broadcast(Some(Rate::per_second(4)));
    let mut throttle = Throttle::new(limits);
    let t0 = Instant::now();
    let chats: Vec<ChatId> = (1..=6).map(ChatId::from).collect();
    assert_eq!(
        throttle.acquire(&Outgoing::new(&chats[0], false), t0),
        ThrottleDecision::Go
    );
    assert_eq!(
        throttle.acquire(&Outgoing::new(&chats[1], false), t0),
        ThrottleDecision::Go
    );
    assert_eq!(
        throttle.acquire(&Outgoing::new(&chats[2], false), t0),
        ThrottleDecision::Wait(secs(1))
    );
    assert_eq!(
        throttle.acquire(&Outgoing::new(&chats[2], true), t0),
        ThrottleDecision::Go
    );
    assert_eq!(
        throttle.acquire(&Outgoing::new(&chats[3], true), t0),
        ThrottleDecision::Go
    );
    // Four calls went this second: paid broadcasts are full too.
    assert_eq!(
        throttle.acquire(&Outgoing::new(&chats[4], true), t0),
        ThrottleDecision::Wait(secs(1))
    );
}

#[test]
fn usernames_are_groups_and_match_without_case() {
    let limits = ThrottleLimits::none().group_chat(Some(Rate::per_minute(1)));
    let mut throttle = Throttle::new(limits);
    let t0 = Instant::now();
    let a = ChatId::from("@Channel");
    let b = ChatId::from("@channel");
    assert_eq!(
        throttle.acquire(&Outgoing::new(&a, false), t0),
        ThrottleDecision::Go
    );
    assert_eq!(
        throttle.check(&Outgoing::new(&b, false), t0),
        ThrottleDecision::Wait(secs(60))
    );
    // A private chat has no limit here.
    let user = ChatId::from(1);
    assert_eq!(
        throttle.acquire(&Outgoing::new(&user, false), t0),
        ThrottleDecision::Go
    );
    assert_eq!(
        throttle.acquire(&Outgoing::new(&user, false), t0),
        ThrottleDecision::Go
    );
}

#[test]
fn a_429_pauses_its_chat_and_a_second_chat_makes_it_global() {
    let mut throttle = Throttle::new(ThrottleLimits::none());
    let t0 = Instant::now();
    let (a, b, c) = (ChatId::from(1), ChatId::from(2), ChatId::from(3));
    throttle.on_flood(Some(&Outgoing::new(&a, false)), secs(5), t0);
    assert_eq!(
        throttle.check(&Outgoing::new(&a, false), t0 + secs(1)),
        ThrottleDecision::Wait(secs(4))
    );
    assert_eq!(
        throttle.check(&Outgoing::new(&b, false), t0),
        ThrottleDecision::Go
    );
    assert_eq!(throttle.global_pause(t0), None);
    // Another chat flooded while the first is paused: the whole bot is.
    throttle.on_flood(Some(&Outgoing::new(&b, false)), secs(3), t0 + secs(1));
    assert_eq!(throttle.global_pause(t0 + secs(1)), Some(t0 + secs(4)));
    assert_eq!(
        throttle.check(&Outgoing::new(&c, true), t0 + secs(2)),
        ThrottleDecision::Wait(secs(2))
    );
    assert_eq!(
        throttle.check(&Outgoing::new(&c, false), t0 + secs(4)),
        ThrottleDecision::Go
    );
    // The first chat's own pause still runs past the global one.
    assert_eq!(
        throttle.check(&Outgoing::new(&a, false), t0 + secs(4)),
        ThrottleDecision::Wait(secs(1))
    );
}

#[test]
fn a_429_after_the_last_pause_ended_stays_with_its_chat() {
    let mut throttle = Throttle::new(ThrottleLimits::none());
    let t0 = Instant::now();
    let (a, b) = (ChatId::from(1), ChatId::from(2));
    throttle.on_flood(Some(&Outgoing::new(&a, false)), secs(1), t0);
    throttle.on_flood(Some(&Outgoing::new(&b, false)), secs(1), t0 + secs(2));
    assert_eq!(throttle.global_pause(t0 + secs(2)), None);
    throttle.on_flood(None, secs(9), t0 + secs(2));
    assert_eq!(throttle.global_pause(t0 + secs(2)), Some(t0 + secs(11)));
}

#[test]
fn an_absurd_retry_after_is_capped_and_never_overflows() {
    let mut throttle = Throttle::new(ThrottleLimits::none());
    let t0 = Instant::now();
    throttle.on_flood(None, Duration::MAX, t0);
    assert_eq!(
        throttle.global_pause(t0),
        Some(t0 + Duration::from_secs(24 * 60 * 60))
    );
}

#[test]
fn chats_no_limit_remembers_are_swept() {
    let mut throttle = Throttle::default();
    let t0 = Instant::now();
    let ids: Vec<ChatId> = (1..=5000).map(ChatId::from).collect();
    for (n, chat) in ids.iter().enumerate() {
        let now = t0 + Duration::from_secs(n as u64);
        assert_eq!(
            throttle.acquire(&Outgoing::new(chat, false), now),
            ThrottleDecision::Go
        );
    }
    assert!(
        throttle.tracked_chats() <= 2 * 1024,
        "{}",
        throttle.tracked_chats()
    );
}
