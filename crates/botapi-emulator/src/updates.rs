//! Each bot's update queue: updates pushed by tests, waiting for `getUpdates` to hand them
//! out and for an `offset` to confirm them.
//!
//! The rules follow the real server: an update stays until a `getUpdates` offset above its
//! id confirms it; a negative offset keeps only that many of the newest; `allowed_updates`
//! is remembered until changed, and by default leaves out `chat_member`, `message_reaction`
//! and `message_reaction_count`. The emulator filters when it hands updates out (the real
//! server filters when they are created), so a test can push first and choose later.

use std::collections::VecDeque;

use serde_json::{Map, Value};

/// The update kinds the real server leaves out unless `allowed_updates` names them.
pub(crate) const OFF_BY_DEFAULT: [&str; 3] =
    ["chat_member", "message_reaction", "message_reaction_count"];

/// How far past the next id an offset may point and still count; the real server ignores
/// an offset further ahead and serves the queue from its start.
const OFFSET_SLACK: i64 = 10;

/// An update waiting in the queue.
#[derive(Debug)]
struct Queued {
    id: i64,
    /// Its kind: the first field other than `update_id` (`message`, `callback_query`, …).
    kind: String,
    update: Value,
}

/// One bot's pending updates and polling settings.
#[derive(Debug)]
pub(crate) struct UpdateQueue {
    queued: VecDeque<Queued>,
    /// The id the next update without one gets.
    next_id: i64,
    /// The kinds `allowed_updates` last asked for; `None` is the default.
    allowed: Option<Vec<String>>,
    /// Counts the `getUpdates` requests that started waiting; a waiting request that sees a
    /// number other than its own was replaced by a newer one.
    pub(crate) poller: u64,
}

impl Default for UpdateQueue {
    fn default() -> Self {
        UpdateQueue {
            queued: VecDeque::new(),
            next_id: 1,
            allowed: None,
            poller: 0,
        }
    }
}

impl UpdateQueue {
    /// Queues `update`, giving it the next `update_id` unless it holds an integer one, and
    /// returns its id. Ids given by the caller move the counter past them.
    pub(crate) fn push(&mut self, mut update: Map<String, Value>) -> i64 {
        let id = match update.get("update_id").and_then(Value::as_i64) {
            Some(id) => id,
            None => {
                let id = self.next_id;
                update.insert("update_id".to_owned(), Value::from(id));
                id
            }
        };
        self.next_id = self.next_id.max(id.saturating_add(1));
        let kind = update
            .keys()
            .find(|k| *k != "update_id")
            .cloned()
            .unwrap_or_default();
        self.queued.push_back(Queued {
            id,
            kind,
            update: Value::Object(update),
        });
        id
    }

    /// How many updates wait, confirmed or filtered out or not.
    pub(crate) fn len(&self) -> usize {
        self.queued.len()
    }

    /// Forgets every pending update (`drop_pending_updates`).
    pub(crate) fn clear(&mut self) {
        self.queued.clear();
    }

    /// Sets the kinds to hand out; an empty list restores the default.
    pub(crate) fn set_allowed(&mut self, kinds: Vec<String>) {
        self.allowed = (!kinds.is_empty()).then_some(kinds);
    }

    /// Applies a `getUpdates` offset: confirms (drops) what it confirms and returns the
    /// lowest id to hand out from now on.
    pub(crate) fn confirm(&mut self, offset: i64) -> i64 {
        if offset < 0 {
            let keep = usize::try_from(offset.unsigned_abs()).unwrap_or(usize::MAX);
            let drop = self.queued.len().saturating_sub(keep);
            self.queued.drain(..drop);
            return i64::MIN;
        }
        if offset == 0 || offset > self.next_id.saturating_add(OFFSET_SLACK) {
            return i64::MIN;
        }
        self.queued.retain(|q| q.id >= offset);
        // Later updates must not get ids the client has already confirmed.
        self.next_id = self.next_id.max(offset);
        offset
    }

    /// Up to `limit` updates with an id of at least `from`, of the allowed kinds, in queue
    /// order. They stay queued until confirmed.
    pub(crate) fn batch(&self, from: i64, limit: usize) -> Vec<Value> {
        self.queued
            .iter()
            .filter(|q| q.id >= from && self.wanted(&q.kind))
            .take(limit)
            .map(|q| q.update.clone())
            .collect()
    }

    /// Drops the update `id` once a webhook took it.
    pub(crate) fn remove(&mut self, id: i64) {
        self.queued.retain(|q| q.id != id);
    }

    /// Drops the queued updates of kinds not wanted, which a webhook never gets.
    pub(crate) fn drop_unwanted(&mut self) {
        let allowed = self.allowed.clone();
        let wanted = |kind: &str| match &allowed {
            Some(kinds) => kinds.iter().any(|k| k == kind),
            None => !OFF_BY_DEFAULT.contains(&kind),
        };
        self.queued.retain(|q| wanted(&q.kind));
    }

    fn wanted(&self, kind: &str) -> bool {
        match &self.allowed {
            Some(kinds) => kinds.iter().any(|k| k == kind),
            None => !OFF_BY_DEFAULT.contains(&kind),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn update(value: Value) -> Map<String, Value> {
        value.as_object().cloned().unwrap()
    }

    fn ids(batch: &[Value]) -> Vec<i64> {
        batch
            .iter()
            .map(|u| u["update_id"].as_i64().unwrap())
            .collect()
    }

    fn queue_of(n: usize) -> UpdateQueue {
        let mut queue = UpdateQueue::default();
        for _ in 0..n {
            queue.push(update(json!({"message": {}})));
        }
        queue
    }

    #[test]
    fn ids_are_assigned_in_order_and_given_ones_are_kept() {
        let mut queue = UpdateQueue::default();
        assert_eq!(queue.push(update(json!({"message": {}}))), 1);
        assert_eq!(queue.push(update(json!({"update_id": 40, "poll": {}}))), 40);
        assert_eq!(
            queue.push(update(json!({"update_id": "x", "poll": {}}))),
            41
        );
        assert_eq!(queue.push(update(json!({"update_id": 7}))), 7);
        assert_eq!(queue.push(update(json!({}))), 42);
        assert_eq!(ids(&queue.batch(i64::MIN, 100)), [1, 40, 41, 7, 42]);
        assert_eq!(queue.batch(i64::MIN, 100)[2]["update_id"], 41);
    }

    #[test]
    fn a_positive_offset_confirms_what_is_below_it() {
        let mut queue = queue_of(5);
        let from = queue.confirm(3);
        assert_eq!(ids(&queue.batch(from, 100)), [3, 4, 5]);
        assert_eq!(queue.len(), 3);
        assert_eq!(ids(&queue.batch(from, 2)), [3, 4]);
        // Confirming everything leaves nothing, and new ids continue past the offset.
        let from = queue.confirm(9);
        assert!(queue.batch(from, 100).is_empty());
        assert_eq!(queue.push(update(json!({"message": {}}))), 9);
    }

    #[test]
    fn a_negative_offset_keeps_the_newest() {
        let mut queue = queue_of(5);
        let from = queue.confirm(-2);
        assert_eq!(ids(&queue.batch(from, 100)), [4, 5]);
        let from = queue.confirm(-10);
        assert_eq!(ids(&queue.batch(from, 100)), [4, 5]);
        let from = queue.confirm(i64::MIN);
        assert_eq!(queue.batch(from, 100).len(), 2);
    }

    #[test]
    fn an_offset_far_ahead_is_ignored() {
        let mut queue = queue_of(3);
        let from = queue.confirm(4 + OFFSET_SLACK + 1);
        assert_eq!(ids(&queue.batch(from, 100)), [1, 2, 3]);
        let from = queue.confirm(4 + OFFSET_SLACK);
        assert!(queue.batch(from, 100).is_empty());
        assert_eq!(queue.len(), 0);
    }

    #[test]
    fn kinds_are_filtered_by_the_remembered_setting() {
        let mut queue = UpdateQueue::default();
        for kind in [
            "message",
            "chat_member",
            "callback_query",
            "message_reaction",
        ] {
            queue.push(update(json!({ kind: {} })));
        }
        assert_eq!(ids(&queue.batch(i64::MIN, 100)), [1, 3]);
        queue.set_allowed(vec!["chat_member".into(), "message_reaction".into()]);
        assert_eq!(ids(&queue.batch(i64::MIN, 100)), [2, 4]);
        assert_eq!(ids(&queue.batch(i64::MIN, 1)), [2]);
        queue.set_allowed(Vec::new());
        assert_eq!(ids(&queue.batch(i64::MIN, 100)), [1, 3]);
        queue.clear();
        assert_eq!(queue.len(), 0);
    }
}
