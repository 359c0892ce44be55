//! What every transport should default to, so all of them behave alike. The core applies
//! neither; transports do.

use std::time::Duration;

/// The timeout of a whole request (connect, send, answer, body) before the method's own
/// [`timeout_hint`](crate::Method::timeout_hint) is added.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// The largest answer body a transport reads by default: 10 MiB.
///
/// Telegram's largest JSON answers (a `getUpdates` batch of 100 long messages with their
/// replies, a big sticker set) stay well under a few MiB, so this leaves room to spare while a
/// broken or hostile server can make a call hold at most this much memory.
pub const DEFAULT_MAX_BODY_SIZE: usize = 10 * 1024 * 1024;
