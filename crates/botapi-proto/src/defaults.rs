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

/// What a transport bounds every call by: the base timeout of a whole request and the
/// largest answer body it reads. Both adapters take and report their settings as this.
///
/// ```
/// use std::time::Duration;
/// use botapi_proto::Limits;
///
/// let limits = Limits::default().timeout(Duration::from_secs(10));
/// assert_eq!(limits.max_body_size, botapi_proto::DEFAULT_MAX_BODY_SIZE);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// The whole-request timeout (connect, send, answer, body), to which a call's
    /// [`timeout_hint`](crate::Method::timeout_hint) is added. Default [`DEFAULT_TIMEOUT`].
    pub timeout: Duration,
    /// The largest answer body read, in bytes. Default [`DEFAULT_MAX_BODY_SIZE`].
    pub max_body_size: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            timeout: DEFAULT_TIMEOUT,
            max_body_size: DEFAULT_MAX_BODY_SIZE,
        }
    }
}

impl Limits {
    /// The same limits with another base timeout.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The same limits with another body size limit.
    #[must_use]
    pub fn max_body_size(mut self, bytes: usize) -> Self {
        self.max_body_size = bytes;
        self
    }
}
