//! What the drivers report while they work: each notice goes to `tracing` and to the
//! caller's observer, if any.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::retry::GiveUp;
use crate::types::ChatId;

/// Something a driver did that a bot's operator may want to see. `Display` gives one line
/// without the token, such as `sendMessage: waiting 1.5 s for flood control of chat 42`.
#[derive(Clone, Copy)]
#[non_exhaustive]
pub enum Notice<'a> {
    /// A failed call is sent again after a wait.
    Retrying {
        /// The Bot API method.
        method: &'a str,
        /// Which resend this is (from 1).
        retry: u32,
        /// The wait before it.
        after: Duration,
        /// The failure, as its `Display` shows it.
        error: &'a dyn fmt::Display,
    },
    /// A failed call is not sent again.
    GivingUp {
        /// The Bot API method.
        method: &'a str,
        /// Why not.
        reason: GiveUp,
        /// The failure, as its `Display` shows it.
        error: &'a dyn fmt::Display,
    },
    /// A call waits for the throttle before it goes.
    Throttled {
        /// The Bot API method.
        method: &'a str,
        /// The chat it posts to.
        chat: &'a ChatId,
        /// How long it waits.
        after: Duration,
    },
    /// An update this version cannot read is handed out raw.
    Unreadable {
        /// Its `update_id`, when it has one.
        update_id: Option<i64>,
        /// Why it could not be read.
        error: &'a str,
    },
}

/// A callback that sees every [`Notice`] of a driver, from any thread.
pub type Observer = Arc<dyn Fn(&Notice<'_>) + Send + Sync>;

impl fmt::Display for Notice<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Notice::Retrying {
                retry,
                after,
                error,
                ..
            } => write!(f, "{error}; retry {retry} in {} s", seconds(*after)),
            Notice::GivingUp { reason, error, .. } => write!(f, "{error}; not retried: {reason}"),
            Notice::Throttled {
                method,
                chat,
                after,
            } => write!(
                f,
                "{method}: waiting {} s for flood control of chat {chat}",
                seconds(*after)
            ),
            Notice::Unreadable { update_id, error } => match update_id {
                Some(id) => write!(f, "update {id} cannot be read by this version: {error}"),
                None => write!(f, "an update cannot be read by this version: {error}"),
            },
        }
    }
}

impl fmt::Debug for Notice<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Notice({self})")
    }
}

/// A duration in seconds with up to three decimals and no trailing zeros.
fn seconds(duration: Duration) -> String {
    let text = format!("{:.3}", duration.as_secs_f64());
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// Sends `notice` to `tracing` and to `observer`.
pub(crate) fn report(observer: Option<&Observer>, notice: Notice<'_>) {
    match &notice {
        Notice::Retrying {
            method,
            retry,
            after,
            error,
        } => tracing::info!(
            method,
            retry,
            wait_ms = millis(*after),
            error = %error,
            "resending after a failure"
        ),
        Notice::GivingUp {
            method,
            reason,
            error,
        } => tracing::info!(method, reason = %reason, error = %error, "not resending"),
        Notice::Throttled {
            method,
            chat,
            after,
        } => tracing::debug!(
            method,
            chat = %chat,
            wait_ms = millis(*after),
            "waiting for flood control"
        ),
        Notice::Unreadable { update_id, error } => {
            tracing::warn!(
                update_id,
                error,
                "handing out an update this version cannot read"
            )
        }
    }
    if let Some(observer) = observer {
        observer(&notice);
    }
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notices_read_as_one_line() {
        let error = "getUpdates: HTTP 502 Bad Gateway: not a valid Bot API answer";
        let retrying = Notice::Retrying {
            method: "getUpdates",
            retry: 2,
            after: Duration::from_millis(1500),
            error: &error,
        };
        assert_eq!(
            retrying.to_string(),
            "getUpdates: HTTP 502 Bad Gateway: not a valid Bot API answer; retry 2 in 1.5 s"
        );
        let chat = ChatId::from(-100);
        let throttled = Notice::Throttled {
            method: "sendMessage",
            chat: &chat,
            after: Duration::from_secs(3),
        };
        assert_eq!(
            throttled.to_string(),
            "sendMessage: waiting 3 s for flood control of chat -100"
        );
        let giving_up = Notice::GivingUp {
            method: "sendMessage",
            reason: GiveUp::MayHaveRun,
            error: &"sendMessage: timed out after 30 s",
        };
        assert_eq!(
            giving_up.to_string(),
            "sendMessage: timed out after 30 s; not retried: the call may have run and is not safe to repeat"
        );
        let unreadable = Notice::Unreadable {
            update_id: Some(7),
            error: "invalid type",
        };
        assert_eq!(
            format!("{unreadable:?}"),
            "Notice(update 7 cannot be read by this version: invalid type)"
        );
    }
}
