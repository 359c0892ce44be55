//! `getUpdates`: reading its parameters, handing out queued updates, and long polling,
//! which holds the request until an update arrives or the timeout runs out.
//!
//! As on the real server: `limit` is 1 to 100 (100 by default) and `timeout` 0 to 50
//! seconds, values outside being clamped; a bot with a webhook gets 409; and when a second
//! request starts waiting, the one already waiting ends with 409. The real server also
//! slows down clients that repeat the same offset within a few seconds; the emulator
//! answers at once, which keeps tests fast.

use std::time::{Duration, Instant};

use serde_json::{Map, Value};

use crate::bots::Access;
use crate::params::{integer, update_kinds};
use crate::reply::Reply;
use crate::state::Shared;
use crate::state::lock;

/// The most updates one answer holds, and the default.
const MAX_LIMIT: i64 = 100;
/// The longest a request may wait, in seconds.
const MAX_TIMEOUT: i64 = 50;

/// The answer while a webhook is set.
pub(crate) const WEBHOOK_ACTIVE: &str = "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first";
/// The answer to a waiting request that a newer one replaced.
pub(crate) const REPLACED: &str = "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running";
/// The answer to a waiting request when a webhook is set meanwhile.
pub(crate) const ENDED_BY_WEBHOOK: &str = "Conflict: terminated by setWebhook request";

/// The parameters of a `getUpdates` call, read leniently as the real server reads them.
#[derive(Debug, PartialEq)]
pub(crate) struct PollRequest {
    offset: i64,
    limit: usize,
    timeout: Duration,
    /// The kinds to hand out from now on; `None` keeps the previous setting (also when the
    /// value does not parse, as on the real server).
    allowed: Option<Vec<String>>,
}

impl PollRequest {
    pub(crate) fn read(fields: &Map<String, Value>) -> Self {
        let number = |name: &str| fields.get(name).and_then(integer);
        let limit = number("limit").map_or(MAX_LIMIT, |n| n.clamp(1, MAX_LIMIT));
        let timeout = number("timeout").map_or(0, |n| n.clamp(0, MAX_TIMEOUT));
        PollRequest {
            offset: number("offset").unwrap_or(0),
            limit: usize::try_from(limit).unwrap_or(1),
            timeout: Duration::from_secs(timeout.unsigned_abs()),
            allowed: fields.get("allowed_updates").and_then(update_kinds),
        }
    }
}

/// Answers `getUpdates` for the bot with `token`, waiting when there is nothing to hand out.
pub(crate) async fn get_updates(shared: &Shared, token: &str, request: PollRequest) -> Reply {
    let deadline = tokio::time::Instant::now() + request.timeout;
    let mut allowed = request.allowed;
    // The lowest update id to hand out, fixed by the offset on the first look.
    let mut from = None;
    // This request's number once it waits.
    let mut waiting_as = None;
    loop {
        // Registered before looking, so a push between the look and the wait is not missed.
        let changed = shared.updates_changed.notified();
        tokio::pin!(changed);
        changed.as_mut().enable();
        {
            let mut bots = lock(&shared.bots);
            let Access::Ready(bot) = bots.access(token, Instant::now()) else {
                return Reply::unauthorized();
            };
            if bot.webhook.is_some() {
                let why = match waiting_as {
                    None => WEBHOOK_ACTIVE,
                    Some(_) => ENDED_BY_WEBHOOK,
                };
                return Reply::error(409, why, None);
            }
            let queue = &mut bot.updates;
            if waiting_as.is_some_and(|me| me != queue.poller) {
                return Reply::error(409, REPLACED, None);
            }
            let from = *from.get_or_insert_with(|| {
                if let Some(kinds) = allowed.take() {
                    queue.set_allowed(kinds);
                }
                queue.confirm(request.offset)
            });
            let batch = queue.batch(from, request.limit);
            if !batch.is_empty() || tokio::time::Instant::now() >= deadline {
                return Reply::ok(Value::Array(batch), None);
            }
            if waiting_as.is_none() {
                queue.poller += 1;
                waiting_as = Some(queue.poller);
                // Lets a request already waiting see that it was replaced.
                shared.updates_changed.notify_waiters();
            }
        }
        // Woken early or not, the next look decides.
        let _ = tokio::time::timeout_at(deadline, changed).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read(fields: Value) -> PollRequest {
        PollRequest::read(fields.as_object().unwrap())
    }

    #[test]
    fn parameters_default_and_clamp_as_on_the_real_server() {
        assert_eq!(
            read(json!({})),
            PollRequest {
                offset: 0,
                limit: 100,
                timeout: Duration::ZERO,
                allowed: None
            }
        );
        let odd = read(
            json!({"offset": "-3", "limit": 0, "timeout": 3600, "allowed_updates": "[\"poll\"]"}),
        );
        assert_eq!(odd.offset, -3);
        assert_eq!(odd.limit, 1);
        assert_eq!(odd.timeout, Duration::from_secs(50));
        assert_eq!(odd.allowed, Some(vec!["poll".to_owned()]));
        let more = read(json!({"limit": 1000, "timeout": -5, "allowed_updates": "poll"}));
        assert_eq!(more.limit, 100);
        assert_eq!(more.timeout, Duration::ZERO);
        assert_eq!(more.allowed, None);
    }
}
