//! Flood control: the emulator refuses a message that would pass one of Telegram's sending
//! limits, with the real server's 429 (`Too Many Requests: retry after N`,
//! `parameters.retry_after`), and does not execute it.
//!
//! Written independently of the core's throttle (a window of arrival times per limit), so
//! that a bug in one shows up against the other instead of agreeing with itself.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

use botapi_proto::throttle::{Rate, ThrottleLimits};
use serde_json::{Map, Value, json};

use crate::params::{flag, integer};
use crate::reply::Reply;

/// The limits the emulator enforces on calls that post a message
/// ([`MethodInfo::sends_message`](botapi_proto::meta::MethodInfo)), per bot.
///
/// The default is Telegram's published guidance, the core's [`ThrottleLimits::default`]:
/// 3 per 3 s in a private chat, 20 per minute in a group or channel, 30 per second overall
/// (1,000 per second for paid broadcasts), with 100 ms of grace.
///
/// ```
/// use std::time::Duration;
/// use botapi_emulator::{Emulator, FloodControl};
/// use botapi_proto::throttle::{Rate, ThrottleLimits};
///
/// let strict = FloodControl::new(ThrottleLimits::none().group_chat(Some(Rate::per_minute(2))))
///     .grace(Duration::ZERO);
/// let emulator = Emulator::builder().flood_control(Some(strict)).start()?;
/// # let _ = emulator;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct FloodControl {
    /// The limits, in the core's terms (each one "at most `count` in any span `per`").
    pub limits: ThrottleLimits,
    /// How much sooner than a limit allows a message may arrive and still pass: room for the
    /// time between a client deciding to send and the request reaching the emulator, which
    /// varies from call to call.
    pub grace: Duration,
}

impl Default for FloodControl {
    fn default() -> Self {
        FloodControl::new(ThrottleLimits::default())
    }
}

impl FloodControl {
    /// Enforces `limits`, with the default grace of 100 ms.
    pub fn new(limits: ThrottleLimits) -> Self {
        FloodControl {
            limits,
            grace: Duration::from_millis(100),
        }
    }

    /// The same limits with another grace.
    #[must_use]
    pub fn grace(mut self, grace: Duration) -> Self {
        self.grace = grace;
        self
    }
}

/// A chat as a limit counts it: by id, or by username without regard to case.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Chat {
    Id(i64),
    Name(String),
}

impl Chat {
    fn read(value: &Value) -> Option<Chat> {
        if let Some(id) = integer(value) {
            return Some(Chat::Id(id));
        }
        let name = value.as_str()?.trim();
        (!name.is_empty()).then(|| Chat::Name(name.to_ascii_lowercase()))
    }

    fn is_private(&self) -> bool {
        matches!(self, Chat::Id(id) if *id > 0)
    }
}

/// Arrival times of the messages that passed, newest last, trimmed to what still counts.
#[derive(Debug, Default)]
struct Arrivals(VecDeque<Instant>);

impl Arrivals {
    /// How long until a message may pass `rate` (zero: it passes now).
    fn wait(&mut self, rate: Rate, grace: Duration, now: Instant) -> Duration {
        let span = rate.per().saturating_sub(grace);
        while self
            .0
            .front()
            .is_some_and(|first| now.saturating_duration_since(*first) >= span)
        {
            self.0.pop_front();
        }
        let count = rate.count() as usize;
        if self.0.len() < count {
            return Duration::ZERO;
        }
        // The message that must leave the span before one more fits.
        let blocking = self.0[self.0.len() - count];
        (blocking + span).saturating_duration_since(now)
    }
}

/// What flood control remembers, per bot.
#[derive(Debug)]
pub(crate) struct Flood {
    control: FloodControl,
    chats: HashMap<(i64, Chat), Arrivals>,
    overall: HashMap<i64, Arrivals>,
    /// Every message counts here too, as in the core: paid broadcasts check this one.
    all: HashMap<i64, Arrivals>,
}

impl Flood {
    pub(crate) fn new(control: FloodControl) -> Self {
        Flood {
            control,
            chats: HashMap::new(),
            overall: HashMap::new(),
            all: HashMap::new(),
        }
    }

    /// Checks a call of a method that posts a message, with `fields` as its parameters,
    /// from bot `bot`, arriving at `now`. `Some` is the 429 to answer instead of running it.
    pub(crate) fn check(
        &mut self,
        bot: i64,
        fields: &Map<String, Value>,
        now: Instant,
    ) -> Option<Reply> {
        let chat = fields.get("chat_id").and_then(Chat::read)?;
        let paid = fields.get("allow_paid_broadcast").is_some_and(flag);
        let FloodControl { limits, grace } = self.control;
        let per_chat = if chat.is_private() {
            limits.private_chat
        } else {
            limits.group_chat
        };
        let overall = if paid {
            limits.paid_broadcast.map(|rate| (rate, &mut self.all))
        } else {
            limits.overall.map(|rate| (rate, &mut self.overall))
        };
        let mut wait = overall.map_or(Duration::ZERO, |(rate, map)| {
            map.entry(bot).or_default().wait(rate, grace, now)
        });
        let key = (bot, chat);
        if let Some(rate) = per_chat {
            let chat_wait = self
                .chats
                .entry(key.clone())
                .or_default()
                .wait(rate, grace, now);
            wait = wait.max(chat_wait);
        }
        if !wait.is_zero() {
            return Some(too_many_requests(wait));
        }
        if per_chat.is_some() {
            self.chats.entry(key).or_default().0.push_back(now);
        }
        for map in [&mut self.overall, &mut self.all] {
            map.entry(bot).or_default().0.push_back(now);
        }
        self.forget_idle_chats(now);
        None
    }

    /// Drops chats whose arrivals no longer count, once there are many, so a long-running
    /// server keeps a bounded map.
    fn forget_idle_chats(&mut self, now: Instant) {
        if self.chats.len() < 4096 {
            return;
        }
        let longest = [
            self.control.limits.private_chat,
            self.control.limits.group_chat,
        ]
        .into_iter()
        .flatten()
        .map(|rate| rate.per())
        .max()
        .unwrap_or_default();
        self.chats.retain(|_, arrivals| {
            arrivals
                .0
                .back()
                .is_some_and(|last| now.saturating_duration_since(*last) < longest)
        });
    }
}

/// The real server's answer to a message sent too soon: wait whole seconds, at least one.
fn too_many_requests(wait: Duration) -> Reply {
    let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    let seconds = seconds.max(1);
    Reply::error(
        429,
        &format!("Too Many Requests: retry after {seconds}"),
        Some(json!({ "retry_after": seconds })),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(chat: Value, paid: bool) -> Map<String, Value> {
        let value = json!({"chat_id": chat, "text": "hi", "allow_paid_broadcast": paid});
        value.as_object().cloned().unwrap_or_default()
    }

    fn retry_after(reply: Option<Reply>) -> Option<i64> {
        let reply = reply?;
        let body: Value = serde_json::from_slice(reply.body.as_bytes()?).ok()?;
        assert_eq!(body["error_code"], 429);
        let seconds = body["parameters"]["retry_after"].as_i64()?;
        assert_eq!(
            body["description"],
            format!("Too Many Requests: retry after {seconds}")
        );
        Some(seconds)
    }

    #[test]
    fn a_group_gets_twenty_a_minute_and_is_told_how_long_to_wait() {
        let mut flood = Flood::new(FloodControl::default().grace(Duration::ZERO));
        let t0 = Instant::now();
        for n in 0..20 {
            let now = t0 + Duration::from_millis(n * 10);
            assert_eq!(
                retry_after(flood.check(1, &fields(json!(-100), false), now)),
                None
            );
        }
        let now = t0 + Duration::from_millis(30_500);
        assert_eq!(
            retry_after(flood.check(1, &fields(json!(-100), false), now)),
            Some(30)
        );
        // Other bots and other chats are not affected; a private chat has its own limit.
        assert_eq!(
            retry_after(flood.check(2, &fields(json!(-100), false), now)),
            None
        );
        assert_eq!(
            retry_after(flood.check(1, &fields(json!("@Other"), false), now)),
            None
        );
        let later = t0 + Duration::from_secs(60);
        assert_eq!(
            retry_after(flood.check(1, &fields(json!(-100), false), later)),
            None
        );
    }

    #[test]
    fn overall_and_paid_broadcasts() {
        let limits = ThrottleLimits::none()
            .overall(Some(Rate::per_second(2)))
            .paid_broadcast(Some(Rate::per_second(3)));
        let mut flood = Flood::new(FloodControl::new(limits).grace(Duration::ZERO));
        let t0 = Instant::now();
        assert!(flood.check(1, &fields(json!(1), false), t0).is_none());
        assert!(flood.check(1, &fields(json!(2), false), t0).is_none());
        assert_eq!(
            retry_after(flood.check(1, &fields(json!(3), false), t0)),
            Some(1)
        );
        assert!(flood.check(1, &fields(json!(3), true), t0).is_none());
        assert_eq!(
            retry_after(flood.check(1, &fields(json!(4), true), t0)),
            Some(1)
        );
    }

    #[test]
    fn grace_lets_a_slightly_early_message_through() {
        let limits = ThrottleLimits::none().private_chat(Some(Rate::per_second(1)));
        let mut flood = Flood::new(FloodControl::new(limits));
        let t0 = Instant::now();
        assert!(flood.check(1, &fields(json!(5), false), t0).is_none());
        let early = t0 + Duration::from_millis(950);
        assert!(flood.check(1, &fields(json!(5), false), early).is_none());
        let too_early = early + Duration::from_millis(500);
        assert!(
            flood
                .check(1, &fields(json!(5), false), too_early)
                .is_some()
        );
    }

    #[test]
    fn calls_without_a_chat_are_not_counted() {
        let mut flood = Flood::new(FloodControl::default());
        let empty = Map::new();
        let t0 = Instant::now();
        for _ in 0..100 {
            assert!(flood.check(1, &empty, t0).is_none());
        }
        assert!(flood.overall.is_empty());
    }
}
