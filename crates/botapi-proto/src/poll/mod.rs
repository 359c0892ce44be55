//! Long polling as a state machine: which `getUpdates` to send next, which update to hand
//! out, and what to do when a request fails. The caller sends and sleeps; this module only
//! decides.
//!
//! Three things keep a polling bot alive that a bare `getUpdates` loop gets wrong:
//! - **An update is confirmed only once it was taken.** The server forgets every update
//!   below the `offset` of a request. The [`Poller`] keeps each batch in a queue and moves
//!   its offset past an update only when the caller [takes](Poller::take) it, so updates
//!   that were fetched but never handed out (the program stopped, crashed, was dropped) are
//!   fetched again by the next run, and updates handed out are never handed out again. A
//!   clean stop sends [`Poller::stop_request`]: one `getUpdates` with the next offset and
//!   `timeout` 0, which confirms exactly what was taken.
//! - **The offset always moves.** Each update in a batch is decoded on its own. One that does
//!   not fit this version's types is handed over as [`PolledUpdate::Unreadable`] with its raw
//!   JSON, instead of failing the whole batch and leaving the offset where it was, which
//!   would fetch the same batch forever.
//! - **Errors are sorted by what helps.** A revoked token (401), a wrong server or token
//!   (404) and a webhook or another poller in the way (409) stop; everything else follows
//!   the poller's [`RetryPolicy`] (by default: resend for ever, flood control after
//!   exactly `retry_after`, server, proxy and network trouble after a backoff from 1 s
//!   doubling up to 60 s).
//!
//! ```
//! use botapi_proto::poll::{PollDecision, PolledUpdate, Poller};
//! use botapi_proto::{Client, Error};
//!
//! # fn send<M: botapi_proto::Method>(_: &M) -> Result<M::Response, Error<std::io::Error>> { unimplemented!() }
//! # fn handle(_: botapi_proto::types::Update) {}
//! # fn random() -> u64 { 4 }
//! fn run(client: &Client) -> Result<(), Error<std::io::Error>> {
//!     let mut poller = Poller::new().timeout_secs(25);
//!     loop {
//!         while let Some(update) = poller.take() {
//!             match update {
//!                 PolledUpdate::Update(update) => handle(update),
//!                 PolledUpdate::Unreadable(raw) => eprintln!("skipped: {}", raw.error),
//!                 _ => {}
//!             }
//!         }
//!         match send(&poller.request()) {
//!             Ok(batch) => poller.on_updates(batch),
//!             Err(e) => match poller.on_error(&e, random()) {
//!                 PollDecision::Retry { after } => std::thread::sleep(after),
//!                 _ => return Err(e),
//!             },
//!         }
//!     }
//! }
//! # let _ = run;
//! ```
//!
//! `botapi_proto::run` has this loop written once for any transport, with a clean stop.

use std::collections::VecDeque;
use std::marker::PhantomData;
use std::mem::ManuallyDrop;
use std::time::Duration;

use serde::{Serialize, Serializer};
use serde_json::Value;

use crate::SmallString;
use crate::error::{Error, ErrorKind};
use crate::method::{Method, ResponseReader};
use crate::methods::GetUpdates;
use crate::retry::{Failure, RetryDecision, RetryPolicy, RetryState};

mod item;
mod queue;

pub use item::{PollItem, PolledUpdate, UnreadableUpdate};
pub(crate) use item::{optimistic, read_update};
use queue::Queue;

/// The first wait after a failure that backing off can help with.
const FIRST_BACKOFF: Duration = Duration::from_secs(1);

/// The longest backoff by default.
const MAX_BACKOFF: Duration = Duration::from_secs(60);

/// Tracks the `getUpdates` offset, holds fetched updates until they are taken, and decides
/// what to do after each answer. See the [module](self).
///
/// Updates come out as `U`: a [`PolledUpdate`] (typed, or raw when unreadable) from
/// [`Poller::new`], or the JSON object exactly as the server sent it from [`Poller::raw`].
#[derive(Debug, Clone, PartialEq)]
pub struct Poller<U = PolledUpdate> {
    /// The offset the next request sends: one past the last update taken.
    confirmed: Option<i64>,
    /// The offset of the request sent last.
    sent: Option<i64>,
    /// The offset the server is known to have: that of the last request it answered.
    acknowledged: Option<i64>,
    /// Fetched, not yet taken.
    queue: Queue<U>,
    /// The highest update id fetched, so one the server sends again is not queued twice.
    newest: Option<i64>,
    timeout_secs: u32,
    limit: Option<u8>,
    allowed_updates: Option<Vec<SmallString>>,
    policy: RetryPolicy,
    retries: RetryState,
}

impl Default for Poller {
    fn default() -> Self {
        Poller::new()
    }
}

impl Poller {
    /// A poller starting from the oldest unconfirmed update, long-polling 30 s at a time,
    /// resending failed requests for ever with backoffs of at most 60 s (jittered by up to
    /// half), and accepting flood waits of up to 60 s.
    pub fn new() -> Self {
        Poller::with_items()
    }
}

impl Poller<Value> {
    /// Like [`Poller::new`], handing out each update as the JSON object the server sent,
    /// untouched (for tools that pass updates on, such as `botapi updates`).
    pub fn raw() -> Self {
        Poller::with_items()
    }
}

impl<U: PollItem> Poller<U> {
    /// Like [`Poller::new`], handing out updates as `U` (any [`PollItem`]).
    pub fn with_items() -> Self {
        Poller {
            confirmed: None,
            sent: None,
            acknowledged: None,
            queue: Queue {
                items: ManuallyDrop::new(VecDeque::new()),
                discard: U::discard,
            },
            newest: None,
            timeout_secs: 30,
            limit: None,
            allowed_updates: None,
            policy: RetryPolicy::new()
                .max_retries(u32::MAX)
                .backoff(FIRST_BACKOFF, MAX_BACKOFF),
            retries: RetryState::new(),
        }
    }

    /// How long the server may hold each request waiting for updates (0 is short polling).
    #[must_use]
    pub fn timeout_secs(mut self, seconds: u32) -> Self {
        self.timeout_secs = seconds;
        self
    }

    /// At most this many updates per batch (1–100; the server's default is 100).
    #[must_use]
    pub fn limit(mut self, limit: u8) -> Self {
        self.limit = Some(limit.clamp(1, 100));
        self
    }

    /// Only these update kinds (`"message"`, `"callback_query"`, …).
    #[must_use]
    pub fn allowed_updates(
        mut self,
        kinds: impl IntoIterator<Item = impl Into<SmallString>>,
    ) -> Self {
        self.allowed_updates = Some(kinds.into_iter().map(Into::into).collect());
        self
    }

    /// The longest wait between retries (the first is 1 s).
    #[must_use]
    pub fn max_backoff(mut self, max: Duration) -> Self {
        self.policy = self.policy.backoff(FIRST_BACKOFF.min(max), max);
        self
    }

    /// What to do after a failed request other than 401, 404 and 409, which always stop.
    #[must_use]
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.policy = policy;
        self
    }

    /// Starts after this offset, for a bot that stored its place.
    #[must_use]
    pub fn starting_at(mut self, offset: i64) -> Self {
        self.confirmed = Some(offset);
        self
    }

    /// The offset the next request sends: one past the last update taken (or the start
    /// offset), `None` before any.
    pub fn offset(&self) -> Option<i64> {
        self.confirmed
    }

    /// The retry policy in use.
    pub fn policy(&self) -> &RetryPolicy {
        &self.policy
    }

    /// How many requests in a row have failed (reset by an answer).
    pub fn failures(&self) -> u32 {
        self.retries.retries()
    }

    /// How many fetched updates wait to be taken.
    pub fn queued(&self) -> usize {
        self.queue.len()
    }

    /// The next request to send. It confirms every update taken so far, and no other.
    ///
    /// Send it when nothing is [queued](Poller::queued): the answer repeats what the queue
    /// holds, which the poller drops, so polling earlier only costs a round trip.
    pub fn request(&mut self) -> PollUpdates<U> {
        self.sent = self.confirmed;
        let mut request = GetUpdates::new().timeout(i64::from(self.timeout_secs));
        if let Some(offset) = self.confirmed {
            request = request.offset(offset);
        }
        if let Some(limit) = self.limit {
            request = request.limit(i64::from(limit));
        }
        if let Some(kinds) = &self.allowed_updates {
            request = request.allowed_updates(kinds.clone());
        }
        PollUpdates(request, PhantomData)
    }

    /// Records the answer to the last [`request`](Poller::request): its updates join the
    /// queue, except any the poller has fetched before or that lie below the offset, which
    /// would be handed out twice.
    pub fn on_updates(&mut self, batch: Vec<U>) {
        // The batch goes to `enqueue` first, before anything that could unwind and drop it
        // here (see `PollItem::enqueue` for why).
        let (confirmed, newest) = (self.confirmed, &mut self.newest);
        U::enqueue(batch, &mut self.queue, &mut |id| {
            let Some(id) = id else { return true };
            let below = confirmed.is_some_and(|offset| id < offset);
            if below || newest.is_some_and(|newest| id <= newest) {
                tracing::debug!(update_id = id, "skipped an update fetched before");
                return false;
            }
            *newest = Some(id);
            true
        });
        self.retries = RetryState::new();
        self.acknowledged = self.sent;
    }

    /// Hands out the oldest fetched update, which the next request then confirms.
    pub fn take(&mut self) -> Option<U> {
        // The id is read before the update leaves the queue: nothing after can unwind and
        // drop it here.
        let id = self.queue.front()?.update_id();
        let update = self.queue.pop_front()?;
        if let Some(id) = id {
            let next = id.saturating_add(1);
            self.confirmed = Some(self.confirmed.map_or(next, |offset| offset.max(next)));
        }
        Some(update)
    }

    /// The request that ends polling cleanly: `getUpdates` with the offset past the last
    /// update taken, `timeout` 0 and `limit` 1, so the server forgets exactly what was taken.
    /// Updates in its answer are not handed out (the next run fetches them again).
    ///
    /// `None` when the server already has that offset: nothing was taken since the last
    /// answered request.
    pub fn stop_request(&self) -> Option<PollUpdates<U>> {
        let offset = self.confirmed?;
        if self.acknowledged == Some(offset) {
            return None;
        }
        let request = GetUpdates::new().offset(offset).timeout(0).limit(1);
        Some(PollUpdates(request, PhantomData))
    }

    /// Decides what to do after a failed request. `random` is any random number; it only
    /// varies backoffs (jitter), and 0 gives the full wait.
    pub fn on_error<T>(&mut self, error: &Error<T>, random: u64) -> PollDecision {
        if let Error::Api(e) = error
            && matches!(
                e.kind(),
                ErrorKind::Unauthorized | ErrorKind::NotFound | ErrorKind::Conflict
            )
        {
            return PollDecision::Stop;
        }
        // getUpdates only reads, so whether it reached the server does not matter.
        let failure = Failure::classify(error, |_| true);
        match self
            .policy
            .decide(&mut self.retries, &failure, true, random)
        {
            RetryDecision::Resend { after } => PollDecision::Retry { after },
            RetryDecision::GiveUp(_) => PollDecision::Stop,
        }
    }
}

/// What to do after a failed `getUpdates`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum PollDecision {
    /// Wait this long, then send [`Poller::request`] again.
    Retry {
        /// How long to wait.
        after: Duration,
    },
    /// Repeating cannot help (revoked token, a webhook is set, another poller, a bad
    /// parameter), or the policy's retries are used up: stop and surface the error.
    Stop,
}

/// `getUpdates` as the poller sends it: the same request, with each update of the answer
/// decoded on its own as `U` (by default into a [`PolledUpdate`]).
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub struct PollUpdates<U = PolledUpdate>(pub GetUpdates, pub PhantomData<fn() -> U>);

impl<U> Serialize for PollUpdates<U> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<U: PollItem> Method for PollUpdates<U> {
    type Response = Vec<U>;

    fn method_name(&self) -> &str {
        GetUpdates::NAME
    }

    fn static_name(&self) -> Option<&'static str> {
        Some(GetUpdates::NAME)
    }

    fn timeout_hint(&self) -> Option<Duration> {
        Method::timeout_hint(&self.0)
    }

    fn is_read_only(&self) -> bool {
        Method::is_read_only(&self.0)
    }

    fn write_json(&self, out: &mut Vec<u8>) -> serde_json::Result<()> {
        Method::write_json(&self.0, out)
    }

    fn response_reader(&self) -> ResponseReader<Vec<U>> {
        U::batch_reader()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Client, DecodeError, Token};
    use http::StatusCode;

    fn decode(body: &str) -> Vec<PolledUpdate> {
        let client = Client::new(Token::new("1:x").unwrap());
        client
            .decode(&Poller::new().request(), StatusCode::OK, body.as_bytes())
            .unwrap()
    }

    /// A batch of updates with these ids, one of them unreadable.
    fn batch_of(ids: &[i64]) -> Vec<PolledUpdate> {
        let updates: Vec<String> = ids
            .iter()
            .map(|id| match id % 3 {
                0 => format!(r#"{{"update_id":{id},"message":{{"date":"not a number"}}}}"#),
                _ => format!(r#"{{"update_id":{id},"poll":{{"id":"p","question":"q","options":[],"total_voter_count":0,"is_closed":false,"is_anonymous":true,"type":"regular","allows_multiple_answers":false}}}}"#),
            })
            .collect();
        decode(&format!(
            r#"{{"ok":true,"result":[{}]}}"#,
            updates.join(",")
        ))
    }

    /// Repeats anywhere in a batch are left out, and what is left keeps the server's order.
    #[test]
    fn repeats_are_left_out_of_a_batch_in_order() {
        let mut poller = Poller::new();
        poller.on_updates(batch_of(&[5, 6, 7]));
        assert_eq!(poller.take().and_then(|u| u.update_id()), Some(5));
        poller.on_updates(batch_of(&[6, 8, 7, 9, 4, 10]));
        poller.on_updates(batch_of(&[]));
        poller.on_updates(batch_of(&[10, 11]));
        let ids: Vec<_> = std::iter::from_fn(|| poller.take())
            .map(|u| u.update_id())
            .collect();
        let expected: Vec<_> = [6, 7, 8, 9, 10, 11].into_iter().map(Some).collect();
        assert_eq!(ids, expected);
        assert_eq!(poller.offset(), Some(12));
    }

    fn api_error(code: i64, params: Value) -> Error<()> {
        let body = serde_json::json!({"ok": false, "error_code": code, "description": "d", "parameters": params});
        let client = Client::new(Token::new("1:x").unwrap());
        let status = StatusCode::from_u16(u16::try_from(code).unwrap()).unwrap();
        match client.decode_as::<Value>("getUpdates", status, body.to_string().as_bytes()) {
            Err(DecodeError::Api(e)) => Error::Api(e),
            other => panic!("{other:?}"),
        }
    }

    /// The request writes the body `GetUpdates` would, through its own writer; items read
    /// by the default reader (`Value`) and by the compiled one (`PolledUpdate`) agree.
    #[test]
    fn the_request_and_both_batch_readers_agree() {
        let request = Poller::new().request();
        let mut written = Vec::new();
        Method::write_json(&request, &mut written).unwrap();
        assert_eq!(written, serde_json::to_vec(&request.0).unwrap());
        let mut by_reference = Vec::new();
        Method::write_json(&&request, &mut by_reference).unwrap();
        assert_eq!(by_reference, written);

        let body = r#"{"ok":true,"result":[{"update_id":7,"message":{"message_id":1,"date":0,"chat":{"id":-5,"type":"group"}}},{"update_id":8,"not_yet_a_kind":{}}]}"#;
        let client = Client::new(Token::new("1:x").unwrap());
        let raw: Vec<Value> = client
            .decode(
                &PollUpdates::<Value>(GetUpdates::new(), PhantomData),
                StatusCode::OK,
                body.as_bytes(),
            )
            .unwrap();
        let typed = decode(body);
        let raw_ids: Vec<_> = raw.iter().map(PollItem::update_id).collect();
        let typed_ids: Vec<_> = typed.iter().map(PollItem::update_id).collect();
        assert_eq!(raw_ids, [Some(7), Some(8)]);
        assert_eq!(typed_ids, raw_ids);
        assert!(matches!(&typed[0], PolledUpdate::Update(u) if u.update_id == 7));
    }

    fn ids(poller: &mut Poller) -> Vec<Option<i64>> {
        std::iter::from_fn(|| poller.take())
            .map(|u| u.update_id())
            .collect()
    }

    #[test]
    fn an_unreadable_update_is_handed_out_and_still_moves_the_offset() {
        let batch = decode(
            r#"{"ok":true,"result":[
                {"update_id":10,"message":{"message_id":1,"date":1,"chat":{"id":5,"type":"private"}}},
                {"update_id":11,"message":{"message_id":"not a number"}},
                {"update_id":12,"brand_new_kind":{"x":1}}
            ]}"#,
        );
        assert!(matches!(&batch[0], PolledUpdate::Update(u) if u.update_id == 10));
        assert!(
            matches!(&batch[1], PolledUpdate::Unreadable(u) if u.update_id == Some(11) && u.error.contains("invalid type"))
        );
        assert!(matches!(&batch[2], PolledUpdate::Update(u) if u.update_id == 12));
        let mut poller = Poller::new();
        let _ = poller.request();
        poller.on_updates(batch);
        assert_eq!(poller.queued(), 3);
        assert_eq!(ids(&mut poller), [Some(10), Some(11), Some(12)]);
        assert_eq!(poller.offset(), Some(13));
        assert_eq!(poller.request().0.offset, Some(13));
    }

    #[test]
    fn only_taken_updates_are_confirmed() {
        let mut poller = Poller::new();
        assert_eq!(poller.request().0.offset, None);
        poller.on_updates(decode(
            r#"{"ok":true,"result":[{"update_id":3,"poll":{}},{"update_id":4,"poll":{}},{"update_id":5,"poll":{}}]}"#,
        ));
        assert_eq!(poller.offset(), None, "nothing taken, nothing confirmed");
        assert_eq!(poller.stop_request(), None);
        assert_eq!(poller.take().and_then(|u| u.update_id()), Some(3));
        assert_eq!(poller.offset(), Some(4));
        let stop = poller.stop_request().expect("one update to confirm");
        assert_eq!(
            (stop.0.offset, stop.0.timeout, stop.0.limit),
            (Some(4), Some(0), Some(1))
        );
        assert_eq!(stop.0.allowed_updates, None);
        // Polling again before the queue is empty repeats 4 and 5, which are dropped.
        assert_eq!(poller.request().0.offset, Some(4));
        poller.on_updates(decode(
            r#"{"ok":true,"result":[{"update_id":4,"poll":{}},{"update_id":5,"poll":{}},{"update_id":6,"poll":{}}]}"#,
        ));
        assert_eq!(
            poller.stop_request().map(|r| r.0.offset),
            None,
            "the server has offset 4"
        );
        assert_eq!(ids(&mut poller), [Some(4), Some(5), Some(6)]);
        assert_eq!(poller.stop_request().map(|r| r.0.offset), Some(Some(7)));
    }

    #[test]
    fn requests_carry_the_settings_and_the_timeout_hint() {
        let mut poller = Poller::new()
            .timeout_secs(25)
            .limit(250)
            .allowed_updates(["message"]);
        let request = poller.request();
        assert_eq!(request.0.timeout, Some(25));
        assert_eq!(request.0.limit, Some(100));
        assert_eq!(request.0.offset, None);
        assert_eq!(
            request.0.allowed_updates.as_deref(),
            Some(&[crate::SmallString::const_new("message")][..])
        );
        assert_eq!(request.timeout_hint(), Some(Duration::from_secs(25)));
        let encoded = Client::new(Token::new("1:x").unwrap())
            .encode(&request)
            .unwrap();
        assert_eq!(encoded.method_name(), "getUpdates");
    }

    #[test]
    fn the_offset_never_goes_back_and_old_updates_are_not_handed_out() {
        let mut poller = Poller::new().starting_at(100);
        let _ = poller.request();
        poller.on_updates(decode(
            r#"{"ok":true,"result":[{"update_id":5,"poll":{}}]}"#,
        ));
        assert_eq!(poller.take(), None);
        assert_eq!(poller.offset(), Some(100));
        poller.on_updates(Vec::new());
        assert_eq!(poller.offset(), Some(100));
    }

    #[test]
    fn errors_are_sorted_by_what_helps() {
        let mut poller = Poller::new().max_backoff(Duration::from_secs(5));
        let flood = api_error(429, serde_json::json!({"retry_after": 7}));
        assert_eq!(
            poller.on_error(&flood, 0),
            PollDecision::Retry {
                after: Duration::from_secs(7)
            }
        );
        for code in [401, 403, 404, 409, 400] {
            assert_eq!(
                poller.on_error(&api_error(code, Value::Null), 0),
                PollDecision::Stop,
                "{code}"
            );
        }
        let hour = api_error(429, serde_json::json!({"retry_after": 3600}));
        assert_eq!(poller.on_error(&hour, 0), PollDecision::Stop);
        let mut poller = Poller::new().max_backoff(Duration::from_secs(5));
        let waits: Vec<_> = (0..5)
            .map(
                |_| match poller.on_error(&Error::<&str>::Transport("refused"), 0) {
                    PollDecision::Retry { after } => after.as_secs(),
                    PollDecision::Stop => panic!("transport errors are retried"),
                },
            )
            .collect();
        assert_eq!(waits, [1, 2, 4, 5, 5]);
        poller.on_updates(Vec::new());
        assert_eq!(
            poller.on_error(&api_error(502, Value::Null), 0),
            PollDecision::Retry {
                after: Duration::from_secs(1)
            }
        );
        let limited = Poller::new().retry_policy(RetryPolicy::new().max_retries(1));
        let mut limited = limited;
        let html = Error::<&str>::Transport("reset");
        assert!(matches!(
            limited.on_error(&html, 0),
            PollDecision::Retry { .. }
        ));
        assert_eq!(limited.on_error(&html, 0), PollDecision::Stop);
    }
}
