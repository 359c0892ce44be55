//! `updates`: long polling that prints each update as the server sent it, and stops after
//! `--count` updates or on SIGINT/SIGTERM, confirming exactly the updates it printed.
//!
//! The core's runner does the polling (confirm only what was handed out, retry per the
//! policy, stop on 401/404/409). What this adds is the shutdown: a thread waits for the
//! signals; everything the command prints, and the offset past the last printed update,
//! sit behind one lock. The signal thread takes that lock (so the update being printed is
//! finished and nothing more is printed), confirms the offset with the runner's clean stop,
//! and ends the process. A poll still waiting meanwhile is ended by the server, as a newer
//! `getUpdates` ends an older one.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError, mpsc};
use std::time::Duration;

use botapi_proto::poll::{PollItem, Poller};
use botapi_proto::retry::RetryPolicy;
use botapi_proto::run::{BlockingUpdates, Notice, Observer};
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;

use crate::cli::UpdatesArgs;
use crate::failure::{self, Failure};
use crate::output::Printer;
use crate::transport::{Connection, Recipe};

/// An update exactly as the server sent it, and its id.
#[derive(Debug)]
struct RawUpdate {
    json: Box<RawValue>,
    id: Option<i64>,
}

impl<'de> Deserialize<'de> for RawUpdate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Id {
            update_id: Option<i64>,
        }
        let json = Box::<RawValue>::deserialize(deserializer)?;
        let id = serde_json::from_str::<Id>(json.get())
            .ok()
            .and_then(|i| i.update_id);
        Ok(RawUpdate { json, id })
    }
}

impl PollItem for RawUpdate {
    fn update_id(&self) -> Option<i64> {
        self.id
    }
}

impl RawUpdate {
    /// The update on one line. JSON allows line breaks only as white space between
    /// tokens (inside strings they are escaped), so they can become spaces.
    fn line(&self) -> String {
        self.json.get().replace(['\n', '\r'], " ")
    }
}

/// What the printing and the shutdown share: the offset that confirms every update printed.
#[derive(Debug, Default)]
struct Printed {
    offset: Option<i64>,
}

type Shared = Arc<Mutex<Printed>>;

fn lock(shared: &Shared) -> MutexGuard<'_, Printed> {
    shared.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Holds the lock until the process ends: nothing else is printed or confirmed after this.
fn hold(shared: &Shared) {
    std::mem::forget(lock(shared));
}

/// How failed polls are resent: for ever, backing off from 1 s up to 60 s, and waiting out
/// flood control however long it asks (a command tailing updates should not give up).
fn policy() -> RetryPolicy {
    RetryPolicy::new()
        .max_retries(u32::MAX)
        .backoff(Duration::from_secs(1), Duration::from_secs(60))
        .max_wait(Duration::from_secs(24 * 60 * 60))
}

fn poller(args: &UpdatesArgs) -> Poller<RawUpdate> {
    let poller = Poller::<RawUpdate>::with_items()
        .timeout_secs(args.poll_timeout)
        .limit(args.limit)
        .retry_policy(policy());
    match &args.allowed_updates {
        Some(kinds) => poller.allowed_updates(kinds.0.iter().cloned()),
        None => poller,
    }
}

/// Prints each resend as one line on stderr, behind the lock.
fn retry_lines(printer: &Printer, shared: &Shared) -> Observer {
    let (printer, shared) = (printer.clone(), Arc::clone(shared));
    Arc::new(move |notice: &Notice<'_>| {
        if let Notice::Retrying { .. } = notice {
            let _printing = lock(&shared);
            printer.err(&format!("warning: {notice}"));
        }
    })
}

pub(crate) fn run(
    connection: &Connection,
    args: &UpdatesArgs,
    printer: &Printer,
) -> Result<(), Failure> {
    let shared = Shared::default();
    watch_signals(connection.recipe(), printer.clone(), Arc::clone(&shared))?;
    let mut updates = BlockingUpdates::new(
        connection.proto().clone(),
        connection.transport(),
        botapi_ureq::CLOCK,
        poller(args),
    )
    .observe(retry_lines(printer, &shared));
    let mut printed = 0;
    while args.count.is_none_or(|count| printed < count) {
        match updates.next() {
            Some(Ok(update)) => {
                let mut state = lock(&shared);
                printer.out(&update.line());
                if let Some(id) = update.id {
                    state.offset = Some(id.saturating_add(1));
                }
                printed += 1;
            }
            Some(Err(e)) => {
                hold(&shared);
                return Err(e.into());
            }
            None => break,
        }
    }
    hold(&shared);
    updates.stop().map_err(Failure::from)
}

/// Starts the thread that ends the command on SIGINT or SIGTERM, once the signals are
/// caught (so one arriving right after this is not fatal).
fn watch_signals(recipe: Recipe, printer: Printer, shared: Shared) -> Result<(), Failure> {
    let (ready_tx, ready_rx) = mpsc::channel();
    std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            let runtime = match tokio::runtime::Builder::new_current_thread()
                .enable_io()
                .build()
            {
                Ok(runtime) => runtime,
                Err(e) => {
                    let _ = ready_tx.send(Err(e));
                    return;
                }
            };
            if runtime.block_on(signals(ready_tx)).is_ok() {
                shut_down(recipe, &printer, &shared);
            }
        })
        .map_err(|e| transport_failure(&e))?;
    match ready_rx.recv() {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => Err(transport_failure(&e)),
        Err(_) => Err(Failure::Transport {
            kind: "runtime",
            message: "the signal thread stopped before it was ready".into(),
        }),
    }
}

fn transport_failure(e: &std::io::Error) -> Failure {
    Failure::Transport {
        kind: "runtime",
        message: format!("cannot watch for SIGINT and SIGTERM: {e}"),
    }
}

/// Catches SIGINT and SIGTERM, says it is ready, and returns when one arrives.
#[cfg(unix)]
async fn signals(ready: mpsc::Sender<std::io::Result<()>>) -> std::io::Result<()> {
    use tokio::signal::unix::{SignalKind, signal};
    let caught = signal(SignalKind::interrupt())
        .and_then(|interrupt| Ok((interrupt, signal(SignalKind::terminate())?)));
    let (mut interrupt, mut terminate) = match caught {
        Ok(both) => both,
        Err(e) => {
            let message = e.to_string();
            let _ = ready.send(Err(std::io::Error::new(e.kind(), message)));
            return Err(e);
        }
    };
    let _ = ready.send(Ok(()));
    tokio::select! {
        _ = interrupt.recv() => Ok(()),
        _ = terminate.recv() => Ok(()),
    }
}

/// Catches Ctrl-C, says it is ready, and returns when it arrives.
#[cfg(not(unix))]
async fn signals(ready: mpsc::Sender<std::io::Result<()>>) -> std::io::Result<()> {
    let _ = ready.send(Ok(()));
    tokio::signal::ctrl_c().await
}

/// Waits for the update being printed, confirms what was printed, and ends the process.
fn shut_down(recipe: Recipe, printer: &Printer, shared: &Shared) -> ! {
    let offset = lock(shared).offset;
    hold(shared);
    let status = match offset.map(|offset| confirm(recipe, offset)) {
        None | Some(Ok(())) => failure::EXIT_OK,
        Some(Err(failure)) => {
            printer.failure(&failure);
            failure.exit_status()
        }
    };
    use std::io::Write;
    let _ = std::io::stdout().flush();
    std::process::exit(i32::from(status))
}

/// Confirms every update below `offset` with the runner's clean stop.
fn confirm(recipe: Recipe, offset: i64) -> Result<(), Failure> {
    let connection = recipe.connect()?;
    let poller = Poller::<RawUpdate>::with_items()
        .retry_policy(policy())
        .starting_at(offset);
    let proto = connection.proto().clone();
    BlockingUpdates::new(proto, connection.transport(), botapi_ureq::CLOCK, poller)
        .stop()
        .map_err(Failure::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_updates_keep_the_bytes_and_read_the_id() {
        let text = "{\"update_id\":9007199254740993,\n \"message\":{\"x\":1.10,\"new\":[]}}";
        let update: RawUpdate = serde_json::from_str(text).unwrap();
        assert_eq!(update.id, Some(9007199254740993));
        assert_eq!(
            update.line(),
            "{\"update_id\":9007199254740993,  \"message\":{\"x\":1.10,\"new\":[]}}"
        );
        let odd: RawUpdate = serde_json::from_str(r#"{"update_id":"7"}"#).unwrap();
        assert_eq!(odd.id, None);
    }
}
