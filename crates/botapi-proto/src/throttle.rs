//! Flood control on our side: pacing the calls that post messages so that Telegram's limits
//! are kept and 429s do not happen. A pure scheduler: the caller asks "may this call go at
//! `now`?" and gets "go" (the call is counted) or "wait this long".
//!
//! Each limit is a [`Rate`], "at most `count` calls in any span of `per`", and a call goes
//! exactly when every limit that applies to it still has room at `now`: the throttle never
//! holds back a call that could go, and the wait it names is the time until the first
//! moment the call could go. The limits, after
//! [Telegram's guidance](https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this):
//!
//! | limit | applies to | default |
//! |---|---|---|
//! | [`private_chat`](ThrottleLimits::private_chat) | each chat with a positive id (a user) | 3 per 3 s: 1 a second with bursts of 3 |
//! | [`group_chat`](ThrottleLimits::group_chat) | each chat with a negative id or an `@username` (groups, channels) | 20 per minute |
//! | [`overall`](ThrottleLimits::overall) | every call that is not a paid broadcast | 30 per second |
//! | [`paid_broadcast`](ThrottleLimits::paid_broadcast) | calls with `allow_paid_broadcast`, instead of `overall` | 1,000 per second |
//!
//! Every call counts toward both overall limits, so free calls wait while paid ones fill a
//! second, and all calls together never pass 1,000 a second.
//!
//! **Learning from a 429.** [`Throttle::on_flood`] pauses the chat that got it for
//! `retry_after`. Telegram's answer does not say whether one chat or the whole bot is
//! flooded, so the throttle infers it: a 429 for a second chat while the pause of another
//! is still running, or a 429 on a call without a chat, means the flood is global, and
//! every call waits.
//!
//! ```
//! use std::time::{Duration, Instant};
//! use botapi_proto::throttle::{Throttle, ThrottleDecision, ThrottleLimits};
//! use botapi_proto::types::ChatId;
//! use botapi_proto::Outgoing;
//!
//! let mut throttle = Throttle::new(ThrottleLimits::default());
//! let start = Instant::now();
//! let group = ChatId::from(-1001234567890);
//! let to_group = Outgoing::new(&group, false);
//! for _ in 0..20 {
//!     assert_eq!(throttle.acquire(&to_group, start), ThrottleDecision::Go);
//! }
//! // The 21st message to the group in the same minute waits for the first to age out.
//! assert_eq!(throttle.acquire(&to_group, start), ThrottleDecision::Wait(Duration::from_secs(60)));
//! // Another chat is not held up.
//! let user = ChatId::from(42);
//! assert_eq!(throttle.acquire(&Outgoing::new(&user, false), start), ThrottleDecision::Go);
//! ```

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

use crate::method::Outgoing;
use crate::types::ChatId;

/// The longest pause a 429 can impose (a day), so that an absurd `retry_after` cannot
/// overflow the clock.
const MAX_PAUSE: Duration = Duration::from_secs(24 * 60 * 60);

/// How many chats are kept before the first sweep of those that no limit remembers.
const FIRST_SWEEP: usize = 1024;

/// A limit: at most `count` calls in any span of time `per`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rate {
    count: u32,
    per: Duration,
}

impl Rate {
    /// At most `count` calls (at least 1) in any span of `per`.
    pub const fn new(count: u32, per: Duration) -> Rate {
        Rate {
            count: if count == 0 { 1 } else { count },
            per,
        }
    }

    /// At most `count` calls in any second.
    pub const fn per_second(count: u32) -> Rate {
        Rate::new(count, Duration::from_secs(1))
    }

    /// At most `count` calls in any minute.
    pub const fn per_minute(count: u32) -> Rate {
        Rate::new(count, Duration::from_secs(60))
    }

    /// How many calls the span holds.
    pub fn count(&self) -> u32 {
        self.count
    }

    /// The span.
    pub fn per(&self) -> Duration {
        self.per
    }
}

/// The limits a [`Throttle`] keeps; `None` turns one off. See the [module](self) for the
/// defaults and what each applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct ThrottleLimits {
    /// For each chat with a user (positive id).
    pub private_chat: Option<Rate>,
    /// For each group or channel (negative id, or `@username`).
    pub group_chat: Option<Rate>,
    /// For all calls that are not paid broadcasts.
    pub overall: Option<Rate>,
    /// For all paid broadcasts (`allow_paid_broadcast`), instead of `overall`.
    pub paid_broadcast: Option<Rate>,
}

impl Default for ThrottleLimits {
    fn default() -> Self {
        ThrottleLimits {
            private_chat: Some(Rate::new(3, Duration::from_secs(3))),
            group_chat: Some(Rate::per_minute(20)),
            overall: Some(Rate::per_second(30)),
            paid_broadcast: Some(Rate::per_second(1000)),
        }
    }
}

impl ThrottleLimits {
    /// No limit at all (add some with the setters).
    pub const fn none() -> Self {
        ThrottleLimits {
            private_chat: None,
            group_chat: None,
            overall: None,
            paid_broadcast: None,
        }
    }

    /// Sets the limit for each chat with a user.
    #[must_use]
    pub fn private_chat(mut self, rate: Option<Rate>) -> Self {
        self.private_chat = rate;
        self
    }

    /// Sets the limit for each group or channel.
    #[must_use]
    pub fn group_chat(mut self, rate: Option<Rate>) -> Self {
        self.group_chat = rate;
        self
    }

    /// Sets the limit for all calls that are not paid broadcasts.
    #[must_use]
    pub fn overall(mut self, rate: Option<Rate>) -> Self {
        self.overall = rate;
        self
    }

    /// Sets the limit for paid broadcasts.
    #[must_use]
    pub fn paid_broadcast(mut self, rate: Option<Rate>) -> Self {
        self.paid_broadcast = rate;
        self
    }

    /// The per-chat limit for `chat`: groups and channels have negative ids or a username.
    pub fn for_chat(&self, chat: &ChatId) -> Option<Rate> {
        match chat {
            ChatId::Id(id) if *id > 0 => self.private_chat,
            _ => self.group_chat,
        }
    }
}

/// What [`Throttle::acquire`] answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThrottleDecision {
    /// Send now; the call has been counted.
    Go,
    /// Ask again after this long (the call was not counted).
    Wait(Duration),
}

/// The last calls inside one limit's span: at most `count` instants, oldest first.
#[derive(Debug, Clone, Default)]
struct Window {
    sent: VecDeque<Instant>,
}

impl Window {
    /// When the next call may go under `rate`, if not at once.
    fn free_at(&self, rate: Rate) -> Option<Instant> {
        let count = usize::try_from(rate.count).unwrap_or(usize::MAX);
        if self.sent.len() < count {
            return None;
        }
        let oldest = self.sent[self.sent.len() - count];
        Some(oldest.checked_add(rate.per).unwrap_or(oldest))
    }

    fn record(&mut self, rate: Rate, now: Instant) {
        let count = usize::try_from(rate.count).unwrap_or(usize::MAX);
        self.sent.push_back(now);
        while self.sent.len() > count {
            self.sent.pop_front();
        }
    }

    /// Whether no call in the window still counts at `now`.
    fn is_idle(&self, rate: Option<Rate>, now: Instant) -> bool {
        match (self.sent.back(), rate) {
            (Some(last), Some(rate)) => last.checked_add(rate.per).is_none_or(|end| end <= now),
            _ => true,
        }
    }
}

/// A chat as the throttle keys it: usernames without regard to case.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum ChatKey {
    Id(i64),
    Name(String),
}

impl ChatKey {
    fn of(chat: &ChatId) -> ChatKey {
        match chat {
            ChatId::Id(id) => ChatKey::Id(*id),
            ChatId::Username(name) => ChatKey::Name(name.to_ascii_lowercase()),
        }
    }
}

/// What the throttle remembers about one chat.
#[derive(Debug, Clone, Default)]
struct ChatState {
    window: Window,
    paused_until: Option<Instant>,
}

/// Paces calls that post messages to Telegram's limits; see the [module](self).
///
/// It reads no clock: every question comes with `now`, which must not go backwards.
#[derive(Debug, Clone)]
pub struct Throttle {
    limits: ThrottleLimits,
    chats: HashMap<ChatKey, ChatState>,
    overall: Window,
    paid: Window,
    paused_until: Option<Instant>,
    /// The chat of the last 429 and when its pause ends, to tell a global flood.
    last_flood: Option<(ChatKey, Instant)>,
    sweep_at: usize,
}

impl Default for Throttle {
    fn default() -> Self {
        Throttle::new(ThrottleLimits::default())
    }
}

impl Throttle {
    /// A throttle keeping `limits`, with no call counted yet.
    pub fn new(limits: ThrottleLimits) -> Self {
        Throttle {
            limits,
            chats: HashMap::new(),
            overall: Window::default(),
            paid: Window::default(),
            paused_until: None,
            last_flood: None,
            sweep_at: FIRST_SWEEP,
        }
    }

    /// The limits it keeps.
    pub fn limits(&self) -> &ThrottleLimits {
        &self.limits
    }

    /// Whether a call to `to` could go at `now`, without counting it.
    pub fn check(&self, to: &Outgoing<'_>, now: Instant) -> ThrottleDecision {
        let chat = self.chats.get(&ChatKey::of(to.chat));
        match self.free_at(to, chat) {
            Some(at) if at > now => ThrottleDecision::Wait(at.duration_since(now)),
            _ => ThrottleDecision::Go,
        }
    }

    /// Whether a call to `to` may go at `now`. On [`ThrottleDecision::Go`] the call is
    /// counted, so the caller must send it; on a wait, nothing changes.
    pub fn acquire(&mut self, to: &Outgoing<'_>, now: Instant) -> ThrottleDecision {
        let key = ChatKey::of(to.chat);
        if let Some(at) = self.free_at(to, self.chats.get(&key))
            && at > now
        {
            return ThrottleDecision::Wait(at.duration_since(now));
        }
        if self.chats.len() >= self.sweep_at && !self.chats.contains_key(&key) {
            self.sweep(now);
        }
        let chat_rate = self.limits.for_chat(to.chat);
        let chat = self.chats.entry(key).or_default();
        if let Some(rate) = chat_rate {
            chat.window.record(rate, now);
        }
        if let Some(rate) = self.limits.overall {
            self.overall.record(rate, now);
        }
        if let Some(rate) = self.limits.paid_broadcast {
            self.paid.record(rate, now);
        }
        ThrottleDecision::Go
    }

    /// Learns from a 429 asking to wait `retry_after`, received at `now` for a call to `to`
    /// (`None` for a call without a chat): pauses that chat, or everything when the flood
    /// looks global (see the [module](self)).
    pub fn on_flood(&mut self, to: Option<&Outgoing<'_>>, retry_after: Duration, now: Instant) {
        let until = now.checked_add(retry_after.min(MAX_PAUSE)).unwrap_or(now);
        let Some(to) = to else {
            self.pause_all(until);
            return;
        };
        let key = ChatKey::of(to.chat);
        let other_still_paused = self
            .last_flood
            .as_ref()
            .is_some_and(|(chat, end)| *chat != key && *end > now);
        if other_still_paused {
            self.pause_all(until);
        }
        let chat = self.chats.entry(key.clone()).or_default();
        chat.paused_until = Some(chat.paused_until.map_or(until, |p| p.max(until)));
        self.last_flood = Some((key, until));
    }

    /// Until when every call waits because of a global flood, if one is running at `now`.
    pub fn global_pause(&self, now: Instant) -> Option<Instant> {
        self.paused_until.filter(|until| *until > now)
    }

    fn pause_all(&mut self, until: Instant) {
        self.paused_until = Some(self.paused_until.map_or(until, |p| p.max(until)));
    }

    /// The first moment a call to `to` may go, or `None` if nothing holds it back.
    fn free_at(&self, to: &Outgoing<'_>, chat: Option<&ChatState>) -> Option<Instant> {
        let overall = if to.paid_broadcast {
            self.limits
                .paid_broadcast
                .and_then(|rate| self.paid.free_at(rate))
        } else {
            self.limits
                .overall
                .and_then(|rate| self.overall.free_at(rate))
        };
        let per_chat = chat.and_then(|chat| {
            let window = self
                .limits
                .for_chat(to.chat)
                .and_then(|rate| chat.window.free_at(rate));
            window.max(chat.paused_until)
        });
        overall.max(per_chat).max(self.paused_until)
    }

    /// Forgets chats whose calls no longer count and that are not paused, so a bot that
    /// writes to many chats keeps a bounded map.
    fn sweep(&mut self, now: Instant) {
        let limits = self.limits;
        self.chats.retain(|key, chat| {
            let rate = match key {
                ChatKey::Id(id) if *id > 0 => limits.private_chat,
                _ => limits.group_chat,
            };
            let paused = chat.paused_until.is_some_and(|until| until > now);
            paused || !chat.window.is_idle(rate, now)
        });
        self.sweep_at = FIRST_SWEEP.max(self.chats.len().saturating_mul(2));
    }

    /// How many chats the throttle currently remembers.
    pub fn tracked_chats(&self) -> usize {
        self.chats.len()
    }
}
