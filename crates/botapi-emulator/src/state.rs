//! The state every connection shares with the others and with the [`Emulator`](crate::Emulator)
//! handle, and how it is locked.

use std::sync::{Mutex, MutexGuard, PoisonError};

use tokio::sync::Notify;

use crate::bots::Bots;
use crate::faults::Faults;
use crate::files::Files;
use crate::flood::Flood;
use crate::log::RequestLog;

/// Everything the connections share with each other and with the [`Emulator`](crate::Emulator)
/// handle.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) bots: Mutex<Bots>,
    pub(crate) faults: Mutex<Faults>,
    /// Flood control, when it is on.
    pub(crate) flood: Option<Mutex<Flood>>,
    pub(crate) log: RequestLog,
    /// Woken when something a waiting `getUpdates` depends on changes: an update pushed, a
    /// webhook set, a bot logged out, a newer `getUpdates` waiting.
    pub(crate) updates_changed: Notify,
    /// Uploaded and stored files.
    pub(crate) files: Mutex<Files>,
    /// Whether `setWebhook` takes any `http`/`https` URL on any port, as a local server
    /// does (and as tests delivering to a listener on loopback need).
    pub(crate) any_webhook_url: bool,
}

/// Locks a mutex, carrying on after a panic elsewhere poisoned it: the state it guards stays
/// consistent between statements, and the server must keep answering.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
