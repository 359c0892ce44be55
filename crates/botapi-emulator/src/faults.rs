//! Fault injection: what a test asks the next answers to be instead of the normal ones, and
//! the queue that hands them out in order.

use std::collections::{HashMap, VecDeque};
use std::time::Duration;

use bytes::Bytes;
use serde_json::json;

use crate::reply::{Reply, ReplyBody};

/// A way to answer a request other than normally. See [`Emulator::inject`](crate::Emulator::inject).
///
/// Faults apply only to requests that carry a registered, not logged-out token. Those that
/// replace the answer ([`TooManyRequests`](Fault::TooManyRequests),
/// [`Migrate`](Fault::Migrate), [`BadGatewayHtml`](Fault::BadGatewayHtml),
/// [`DropConnection`](Fault::DropConnection), [`Respond`](Fault::Respond)) skip the method, so
/// it has no effect (as Telegram does not execute a request it refuses with 429). The others
/// ([`Delay`](Fault::Delay), [`Truncated`](Fault::Truncated), [`Oversized`](Fault::Oversized),
/// [`BrokenOff`](Fault::BrokenOff)) run the method and alter how its answer arrives.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// Flood control: a 429 envelope whose `parameters.retry_after` is `retry_after`.
    TooManyRequests {
        /// Seconds the client should wait.
        retry_after: i64,
    },
    /// A group upgraded to a supergroup: a 400 envelope with `parameters.migrate_to_chat_id`.
    Migrate {
        /// The supergroup's chat id.
        to_chat_id: i64,
    },
    /// A 502 from a proxy in front of the Bot API: an HTML page, not an envelope.
    BadGatewayHtml,
    /// Status 200 and a correctly framed body that holds only the first half of the normal
    /// envelope.
    Truncated,
    /// The normal answer, after this delay.
    Delay(Duration),
    /// The connection is closed without an answer.
    DropConnection,
    /// The normal envelope padded with whitespace to `bytes` bytes (never shortened), with a
    /// `Content-Length`; streamed, never held in memory.
    Oversized {
        /// Total body length.
        bytes: usize,
    },
    /// The headers promise the whole normal envelope; half of it is sent and then the
    /// connection is closed.
    BrokenOff,
    /// Exactly this answer. A status outside `200..=999` becomes 500; a content type that
    /// is not a valid header value (or empty) is left out; for a status that HTTP allows no
    /// body with (204, 304) the body is not sent.
    Respond {
        /// HTTP status.
        status: u16,
        /// `Content-Type` header.
        content_type: String,
        /// Body bytes, sent unchanged.
        body: Vec<u8>,
    },
}

/// What the server does with a fault.
#[derive(Debug)]
pub(crate) enum Plan {
    /// Send this instead of running the method.
    Replace(Reply),
    /// Close the connection without an answer.
    Drop,
    /// Wait, then answer normally.
    Delay(Duration),
    /// Run the method, then change how its answer is sent.
    Alter(Alteration),
}

/// A change to a normal answer.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Alteration {
    Truncate,
    PadTo(usize),
    BreakOff,
}

/// The page nginx sends when the service behind it is down.
const BAD_GATEWAY_PAGE: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n\
<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n\
</body>\r\n</html>\r\n";

impl Fault {
    /// [`Fault::Respond`] with a JSON content type: how to serve a recorded Bot API answer.
    pub fn json(status: u16, body: impl Into<Vec<u8>>) -> Fault {
        Fault::Respond {
            status,
            content_type: crate::reply::JSON.to_owned(),
            body: body.into(),
        }
    }

    pub(crate) fn plan(self) -> Plan {
        match self {
            Fault::TooManyRequests { retry_after } => Plan::Replace(Reply::error(
                429,
                &format!("Too Many Requests: retry after {retry_after}"),
                Some(json!({ "retry_after": retry_after })),
            )),
            Fault::Migrate { to_chat_id } => Plan::Replace(Reply::error(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                Some(json!({ "migrate_to_chat_id": to_chat_id })),
            )),
            Fault::BadGatewayHtml => Plan::Replace(Reply::raw(
                502,
                "text/html",
                Bytes::from_static(BAD_GATEWAY_PAGE.as_bytes()),
            )),
            Fault::Respond {
                status,
                content_type,
                body,
            } => Plan::Replace(Reply::raw(status, &content_type, Bytes::from(body))),
            Fault::DropConnection => Plan::Drop,
            Fault::Delay(delay) => Plan::Delay(delay),
            Fault::Truncated => Plan::Alter(Alteration::Truncate),
            Fault::Oversized { bytes } => Plan::Alter(Alteration::PadTo(bytes)),
            Fault::BrokenOff => Plan::Alter(Alteration::BreakOff),
        }
    }
}

impl Alteration {
    /// Applies the change to `reply`, whose body is the whole envelope in memory.
    pub(crate) fn apply(self, mut reply: Reply) -> Reply {
        let Some(envelope) = reply.body.as_bytes().cloned() else {
            return reply;
        };
        let half = envelope.len() / 2;
        reply.body = match self {
            Alteration::Truncate => ReplyBody::full(envelope.slice(..half)),
            Alteration::PadTo(total) => ReplyBody::padded(envelope, total),
            Alteration::BreakOff => {
                let promised = envelope.len();
                ReplyBody::broken_off(envelope.slice(..half), promised)
            }
        };
        reply
    }
}

/// A fault and how many more requests it applies to.
#[derive(Debug)]
struct Pending {
    fault: Fault,
    left: usize,
}

/// Faults waiting to be applied: per method (keyed in lower case, since method names are
/// matched without regard to case), then for any method.
#[derive(Debug, Default)]
pub(crate) struct Faults {
    by_method: HashMap<String, VecDeque<Pending>>,
    any: VecDeque<Pending>,
}

impl Faults {
    /// Queues `fault` for the next `times` calls of `method`, or of any method when `None`.
    pub(crate) fn push(&mut self, method: Option<&str>, fault: Fault, times: usize) {
        if times == 0 {
            return;
        }
        let queue = match method {
            Some(method) => self
                .by_method
                .entry(method.to_ascii_lowercase())
                .or_default(),
            None => &mut self.any,
        };
        queue.push_back(Pending { fault, left: times });
    }

    /// The fault for this call of `method`, if one is queued: the method's own first, then
    /// those for any method.
    pub(crate) fn take(&mut self, method: &str) -> Option<Fault> {
        let key = method.to_ascii_lowercase();
        if let Some(queue) = self.by_method.get_mut(&key) {
            let fault = take_from(queue);
            if queue.is_empty() {
                self.by_method.remove(&key);
            }
            if fault.is_some() {
                return fault;
            }
        }
        take_from(&mut self.any)
    }

    pub(crate) fn clear(&mut self) {
        self.by_method.clear();
        self.any.clear();
    }
}

fn take_from(queue: &mut VecDeque<Pending>) -> Option<Fault> {
    let front = queue.front_mut()?;
    front.left -= 1;
    if front.left == 0 {
        queue.pop_front().map(|p| p.fault)
    } else {
        Some(front.fault.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn method_faults_come_first_in_order_then_any() {
        let mut faults = Faults::default();
        faults.push(None, Fault::BadGatewayHtml, 1);
        faults.push(Some("getMe"), Fault::Truncated, 2);
        faults.push(Some("GETME"), Fault::DropConnection, 1);
        assert_eq!(faults.take("getme"), Some(Fault::Truncated));
        assert_eq!(faults.take("getMe"), Some(Fault::Truncated));
        assert_eq!(faults.take("close"), Some(Fault::BadGatewayHtml));
        assert_eq!(faults.take("getMe"), Some(Fault::DropConnection));
        assert_eq!(faults.take("getMe"), None);
    }

    #[test]
    fn zero_times_queues_nothing_and_clear_empties() {
        let mut faults = Faults::default();
        faults.push(Some("getMe"), Fault::Truncated, 0);
        assert_eq!(faults.take("getMe"), None);
        faults.push(None, Fault::Truncated, 5);
        faults.clear();
        assert_eq!(faults.take("getMe"), None);
    }
}
