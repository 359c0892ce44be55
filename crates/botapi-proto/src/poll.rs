//! Long polling as a state machine: which `getUpdates` to send next, and what to do when one
//! fails. The caller sends and sleeps; this module only decides.
//!
//! Two things keep a polling bot alive that a bare `getUpdates` loop gets wrong:
//! - **The offset always moves.** Each update in a batch is decoded on its own. One that does
//!   not fit this version's types is handed over as [`PolledUpdate::Unreadable`] with its raw
//!   JSON, instead of failing the whole batch and leaving the offset where it was, which
//!   would fetch the same batch forever.
//! - **Errors are sorted by what helps.** Flood control waits exactly `retry_after`; server,
//!   proxy and network trouble backs off (1 s, 2 s, 4 s, … up to a cap); errors that repeating
//!   cannot fix (a revoked token, a webhook in the way, a conflicting poller) stop.
//!
//! ```
//! use botapi_proto::poll::{PollDecision, PolledUpdate, Poller};
//! use botapi_proto::{Client, Error};
//!
//! # fn send<M: botapi_proto::Method>(_: &M) -> Result<M::Response, Error<std::io::Error>> { unimplemented!() }
//! # fn handle(_: botapi_proto::types::Update) {}
//! fn run(client: &Client) -> Result<(), Error<std::io::Error>> {
//!     let mut poller = Poller::new().timeout_secs(25);
//!     loop {
//!         match send(&poller.request()) {
//!             Ok(batch) => {
//!                 poller.on_updates(&batch);
//!                 for update in batch {
//!                     match update {
//!                         PolledUpdate::Update(update) => handle(update),
//!                         PolledUpdate::Unreadable(raw) => eprintln!("skipped: {}", raw.error),
//!                         _ => {}
//!                     }
//!                 }
//!             }
//!             Err(e) => match poller.on_error(&e) {
//!                 PollDecision::Retry { after } => std::thread::sleep(after),
//!                 _ => return Err(e),
//!             },
//!         }
//!     }
//! }
//! # let _ = run;
//! ```

use std::cell::Cell;
use std::time::Duration;

use serde::de;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;
use serde_json::value::RawValue;

use crate::error::{Error, ErrorKind};
use crate::json_path;
use crate::method::Method;
use crate::methods::GetUpdates;
use crate::types::Update;
use crate::types::wire::without_position;

/// The first wait after a failure that backing off can help with.
const FIRST_BACKOFF: Duration = Duration::from_secs(1);

/// Tracks the `getUpdates` offset and decides what to do after each answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Poller {
    offset: Option<i64>,
    timeout_secs: u32,
    limit: Option<u8>,
    allowed_updates: Option<Vec<String>>,
    failures: u32,
    max_backoff: Duration,
}

impl Default for Poller {
    fn default() -> Self {
        Poller::new()
    }
}

impl Poller {
    /// A poller starting from the oldest unconfirmed update, long-polling 30 s at a time,
    /// backing off at most 60 s.
    pub fn new() -> Self {
        Poller {
            offset: None,
            timeout_secs: 30,
            limit: None,
            allowed_updates: None,
            failures: 0,
            max_backoff: Duration::from_secs(60),
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
    pub fn allowed_updates(mut self, kinds: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.allowed_updates = Some(kinds.into_iter().map(Into::into).collect());
        self
    }

    /// The longest wait between retries.
    #[must_use]
    pub fn max_backoff(mut self, max: Duration) -> Self {
        self.max_backoff = max;
        self
    }

    /// Starts after this offset, for a bot that stored its place.
    #[must_use]
    pub fn starting_at(mut self, offset: i64) -> Self {
        self.offset = Some(offset);
        self
    }

    /// The offset the next request confirms up to, once any batch has been seen.
    pub fn offset(&self) -> Option<i64> {
        self.offset
    }

    /// The next request to send.
    pub fn request(&self) -> PollUpdates {
        let mut request = GetUpdates::new().timeout(i64::from(self.timeout_secs));
        if let Some(offset) = self.offset {
            request = request.offset(offset);
        }
        if let Some(limit) = self.limit {
            request = request.limit(i64::from(limit));
        }
        if let Some(kinds) = &self.allowed_updates {
            request = request.allowed_updates(kinds.clone());
        }
        PollUpdates(request)
    }

    /// Records a batch: the next request confirms every update in it, readable or not.
    pub fn on_updates(&mut self, batch: &[PolledUpdate]) {
        self.failures = 0;
        if let Some(last) = batch.iter().filter_map(PolledUpdate::update_id).max() {
            let next = last.saturating_add(1);
            self.offset = Some(self.offset.map_or(next, |current| current.max(next)));
        }
    }

    /// Decides what to do after a failed request.
    pub fn on_error<T>(&mut self, error: &Error<T>) -> PollDecision {
        let decision = match error {
            Error::Api(e) => match (e.kind(), e.retry_after()) {
                (_, Some(after)) => PollDecision::Retry { after },
                (ErrorKind::ServerError | ErrorKind::TooManyRequests, None) => self.backoff(),
                _ => PollDecision::Stop,
            },
            Error::Malformed(_) | Error::Transport(_) => self.backoff(),
            Error::Encode(_) => PollDecision::Stop,
        };
        self.failures = self.failures.saturating_add(1);
        decision
    }

    fn backoff(&self) -> PollDecision {
        let factor = 1u32.checked_shl(self.failures.min(16)).unwrap_or(u32::MAX);
        PollDecision::Retry {
            after: FIRST_BACKOFF.saturating_mul(factor).min(self.max_backoff),
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
    /// parameter): stop and surface the error.
    Stop,
}

/// `getUpdates` as the poller sends it: the same request, with each update of the answer
/// decoded on its own into a [`PolledUpdate`].
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub struct PollUpdates(pub GetUpdates);

impl Serialize for PollUpdates {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl Method for PollUpdates {
    type Response = Vec<PolledUpdate>;

    fn method_name(&self) -> &str {
        GetUpdates::NAME
    }

    fn timeout_hint(&self) -> Option<Duration> {
        Method::timeout_hint(&self.0)
    }
}

/// One element of a `getUpdates` answer.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum PolledUpdate {
    /// An update this version reads.
    Update(Update),
    /// An update whose content does not fit this version's types. Its id still counts
    /// toward the offset.
    Unreadable(UnreadableUpdate),
}

impl PolledUpdate {
    /// The update's id, if it has one.
    pub fn update_id(&self) -> Option<i64> {
        match self {
            PolledUpdate::Update(update) => Some(update.update_id),
            PolledUpdate::Unreadable(raw) => raw.update_id,
        }
    }
}

/// An update that could not be read, kept as sent.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct UnreadableUpdate {
    /// `update_id`, when it is an integer.
    pub update_id: Option<i64>,
    /// The update as sent.
    pub raw: Value,
    /// Why it could not be read.
    pub error: String,
    /// Where in the update reading stopped, such as `message.chat.id`; `None` when the
    /// update as a whole is at fault (not an object, no `update_id`).
    pub path: Option<String>,
}

thread_local! {
    /// How [`PolledUpdate`] reads itself on this thread: see [`optimistic`].
    static PASS: Cell<Pass> = const { Cell::new(Pass::Lenient) };
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pass {
    /// Each update is captured as text, then read from it (kept raw if it does not fit).
    Lenient,
    /// Each update is read straight from the stream, like a plain [`Update`].
    Optimistic,
    /// As `Optimistic`, and an update did not fit.
    OptimisticFailed,
}

/// Runs `decode` with every [`PolledUpdate`] read straight from the stream, at the cost of a
/// plain `Vec<Update>`, and says whether one of them failed. The decoder calls it for its
/// first pass over any answer; only when an update failed does it read the answer again,
/// update by update, so a batch that fits (nearly every batch) costs no more than the
/// typed path, and one that does not still hands each update over.
pub(crate) fn optimistic<T>(decode: impl FnOnce() -> T) -> (T, bool) {
    /// Puts the previous pass back, however `decode` ends.
    struct Restore(Pass);
    impl Drop for Restore {
        fn drop(&mut self) {
            PASS.set(self.0);
        }
    }
    let _restore = Restore(PASS.replace(Pass::Optimistic));
    let out = decode();
    (out, PASS.get() == Pass::OptimisticFailed)
}

impl<'de> Deserialize<'de> for PolledUpdate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        if PASS.get() != Pass::Lenient {
            return Update::deserialize(deserializer)
                .map(PolledUpdate::Update)
                .inspect_err(|_| PASS.set(Pass::OptimisticFailed));
        }
        let raw = Box::<RawValue>::deserialize(deserializer)?;
        // The text is JSON (the deserializer checked it), so reading it cannot fail.
        read_update(raw.get()).map_err(de::Error::custom)
    }
}

/// Reads one update from its JSON text: as an [`Update`] if it fits, else kept raw with
/// the reason and the place. Fails only when the text is not JSON. Webhooks use it too.
pub(crate) fn read_update(text: &str) -> Result<PolledUpdate, serde_json::Error> {
    let e = match serde_json::from_str::<Update>(text) {
        Ok(update) => return Ok(PolledUpdate::Update(update)),
        Err(e) => e,
    };
    let raw: Value = serde_json::from_str(text)?;
    let path = (e.line() > 0)
        .then(|| json_path::path_at(text, json_path::offset_of(text, e.line(), e.column())))
        .filter(|path| path != ".");
    Ok(PolledUpdate::Unreadable(UnreadableUpdate {
        update_id: raw.get("update_id").and_then(Value::as_i64),
        error: without_position(&e),
        path,
        raw,
    }))
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

    fn api_error(code: i64, params: Value) -> Error<()> {
        let body = serde_json::json!({"ok": false, "error_code": code, "description": "d", "parameters": params});
        let client = Client::new(Token::new("1:x").unwrap());
        let status = StatusCode::from_u16(u16::try_from(code).unwrap()).unwrap();
        match client.decode_as::<Value>("getUpdates", status, body.to_string().as_bytes()) {
            Err(DecodeError::Api(e)) => Error::Api(e),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn an_unreadable_update_still_moves_the_offset() {
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
        poller.on_updates(&batch);
        assert_eq!(poller.offset(), Some(13));
        assert_eq!(poller.request().0.offset, Some(13));
    }

    #[test]
    fn outside_the_decoder_updates_are_read_one_by_one() {
        // No optimistic pass here: serde_json straight into a batch still keeps the bad one.
        let batch: Vec<PolledUpdate> = serde_json::from_str(
            r#"[{"update_id":1,"message":{"message_id":1,"date":1,"chat":{"id":5,"type":"private"}}},
                {"update_id":2,"message":{"date":"x"}},7]"#,
        )
        .unwrap();
        assert!(matches!(&batch[0], PolledUpdate::Update(u) if u.update_id == 1));
        match &batch[1] {
            PolledUpdate::Unreadable(u) => {
                assert_eq!(u.update_id, Some(2));
                assert!(!u.error.contains("line"), "{}", u.error);
                assert_eq!(
                    u.raw,
                    serde_json::json!({"update_id":2,"message":{"date":"x"}})
                );
            }
            other => panic!("{other:?}"),
        }
        assert!(
            matches!(&batch[2], PolledUpdate::Unreadable(u) if u.update_id.is_none() && u.raw == 7)
        );
        // And from a Value, whose deserializer captures raw text too.
        let value = serde_json::json!({"update_id": 3, "message": {"message_id": []}});
        let update: PolledUpdate = serde_json::from_value(value.clone()).unwrap();
        assert!(matches!(update, PolledUpdate::Unreadable(u) if u.raw == value));
    }

    #[test]
    fn a_batch_that_is_not_a_list_fails_as_before() {
        let client = Client::new(Token::new("1:x").unwrap());
        let body = br#"{"ok":true,"result":{"update_id":1}}"#;
        let e = client
            .decode(&Poller::new().request(), StatusCode::OK, body)
            .unwrap_err();
        assert!(matches!(e, DecodeError::Malformed(m) if m.path.as_deref() == Some("result")));
        // The optimistic pass leaves the thread as it found it.
        assert_eq!(PASS.get(), Pass::Lenient);
    }

    #[test]
    fn requests_carry_the_settings_and_the_timeout_hint() {
        let poller = Poller::new()
            .timeout_secs(25)
            .limit(250)
            .allowed_updates(["message"]);
        let request = poller.request();
        assert_eq!(request.0.timeout, Some(25));
        assert_eq!(request.0.limit, Some(100));
        assert_eq!(request.0.offset, None);
        assert_eq!(
            request.0.allowed_updates.as_deref(),
            Some(&["message".to_owned()][..])
        );
        assert_eq!(request.timeout_hint(), Some(Duration::from_secs(25)));
        let encoded = Client::new(Token::new("1:x").unwrap())
            .encode(&request)
            .unwrap();
        assert_eq!(encoded.method_name(), "getUpdates");
    }

    #[test]
    fn the_offset_never_goes_back() {
        let mut poller = Poller::new().starting_at(100);
        poller.on_updates(&decode(
            r#"{"ok":true,"result":[{"update_id":5,"poll":{}}]}"#,
        ));
        assert_eq!(poller.offset(), Some(100));
        poller.on_updates(&[]);
        assert_eq!(poller.offset(), Some(100));
    }

    #[test]
    fn errors_are_sorted_by_what_helps() {
        let mut poller = Poller::new().max_backoff(Duration::from_secs(5));
        let flood = api_error(429, serde_json::json!({"retry_after": 7}));
        assert_eq!(
            poller.on_error(&flood),
            PollDecision::Retry {
                after: Duration::from_secs(7)
            }
        );
        for code in [401, 403, 404, 409, 400] {
            assert_eq!(
                poller.on_error(&api_error(code, Value::Null)),
                PollDecision::Stop,
                "{code}"
            );
        }
        let mut poller = Poller::new().max_backoff(Duration::from_secs(5));
        let waits: Vec<_> = (0..5)
            .map(
                |_| match poller.on_error(&Error::<&str>::Transport("refused")) {
                    PollDecision::Retry { after } => after.as_secs(),
                    PollDecision::Stop => panic!("transport errors are retried"),
                },
            )
            .collect();
        assert_eq!(waits, [1, 2, 4, 5, 5]);
        poller.on_updates(&[]);
        assert_eq!(
            poller.on_error(&api_error(502, Value::Null)),
            PollDecision::Retry {
                after: Duration::from_secs(1)
            }
        );
    }
}
