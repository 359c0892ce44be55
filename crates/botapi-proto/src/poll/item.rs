//! What a poller hands out: [`PollItem`], [`PolledUpdate`] (an update, or one kept raw
//! because it did not fit), and how a batch of them is read: optimistically, straight from
//! the stream, and update by update from each one's text only when one does not fit.

use std::cell::Cell;
use std::collections::VecDeque;

use serde::de::{self, DeserializeOwned};
use serde::{Deserialize, Deserializer};
use serde_json::Value;
use serde_json::value::RawValue;

use crate::held::{self, Held};
use crate::json_path;
use crate::method::ResponseReader;
use crate::read;
use crate::types::Update;

#[cfg(doc)]
use super::Poller;

/// What a [`Poller`] can hand out: an element of a `getUpdates` answer that knows its
/// `update_id`. Implemented by [`PolledUpdate`] and by [`serde_json::Value`] (the update as
/// sent).
pub trait PollItem: DeserializeOwned {
    /// The update's id, if it has one; an item without one cannot be confirmed.
    fn update_id(&self) -> Option<i64>;

    /// The item as an update this version could not read, if it is one.
    fn unreadable(&self) -> Option<&UnreadableUpdate> {
        None
    }

    /// What reads a batch of items; see
    /// [`Method::response_reader`](crate::Method::response_reader). The default is right for
    /// any item type written by hand.
    fn batch_reader() -> ResponseReader<Vec<Self>>
    where
        Self: Sized,
    {
        ResponseReader::new()
    }

    /// Moves the items of a fetched batch that `admit` accepts (given each one's
    /// [`update_id`](PollItem::update_id)) to the back of a poller's queue, and drops the
    /// others. The default is right for any item type.
    fn enqueue(
        batch: Vec<Self>,
        queue: &mut VecDeque<Self>,
        admit: &mut dyn FnMut(Option<i64>) -> bool,
    ) where
        Self: Sized,
    {
        for item in batch {
            if admit(item.update_id()) {
                queue.push_back(item);
            }
        }
    }

    /// Drops a poller's queue. The default is right for any item type.
    fn discard(queue: VecDeque<Self>)
    where
        Self: Sized,
    {
        drop(queue);
    }
}

impl PollItem for PolledUpdate {
    fn update_id(&self) -> Option<i64> {
        PolledUpdate::update_id(self)
    }

    fn unreadable(&self) -> Option<&UnreadableUpdate> {
        match self {
            PolledUpdate::Unreadable(raw) => Some(raw),
            PolledUpdate::Update(_) => None,
        }
    }

    // Compiled here once, as a generated method's reader is.
    #[inline(never)]
    fn batch_reader() -> ResponseReader<Vec<Self>> {
        ResponseReader::new()
    }

    // These two are the only places a poller drops updates. The poller is generic, so it
    // is compiled in the crate that polls; had it dropped updates itself, each of its
    // functions there would hold its own copy of the drop code of an `Update` (tens of
    // kilobytes). Out of line here, that code is compiled once, in this crate, and every
    // drop goes through `held::discard`, whose copy the decoder shares.
    #[inline(never)]
    fn enqueue(
        batch: Vec<Self>,
        queue: &mut VecDeque<Self>,
        admit: &mut dyn FnMut(Option<i64>) -> bool,
    ) {
        let mut batch = Held::new(VecDeque::from(batch));
        let items = batch.get_mut();
        // The admitted items move to the front, in order; the others end up behind them.
        let mut admitted = 0;
        for i in 0..items.len() {
            if admit(items[i].update_id()) {
                items.swap(admitted, i);
                admitted += 1;
            }
        }
        if admitted < items.len() {
            held::discard(items.split_off(admitted));
        }
        queue.append(items);
    }

    #[inline(never)]
    fn discard(queue: VecDeque<Self>) {
        held::discard(queue);
    }
}

impl PollItem for Value {
    fn update_id(&self) -> Option<i64> {
        self.get("update_id").and_then(Value::as_i64)
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
pub(super) enum Pass {
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
    let e = match read::from_str::<Update>(text) {
        Ok(update) => return Ok(PolledUpdate::Update(update)),
        Err(e) => e,
    };
    // serde_json says why text that is not JSON is not.
    let raw: Value = serde_json::from_str(text)?;
    let path = e
        .offset()
        .map(|offset| json_path::path_at(text, offset))
        .filter(|path| path != ".");
    Ok(PolledUpdate::Unreadable(UnreadableUpdate {
        update_id: raw.get("update_id").and_then(Value::as_i64),
        error: e.message().to_owned(),
        path,
        raw,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::poll::Poller;
    use crate::{Client, DecodeError, Token};
    use http::StatusCode;

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
}
