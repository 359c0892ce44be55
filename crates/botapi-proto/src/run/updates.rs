//! Long polling as an iterator (blocking) or an async `next` loop: hand out one update at a
//! time, confirm only what was handed out, resend failed polls, stop cleanly.

use std::fmt;
use std::time::{Duration, Instant};

use crate::client::Client;
use crate::error::Error;
use crate::methods::GetUpdates;
use crate::poll::{PollDecision, PollItem, PollUpdates, PolledUpdate, Poller};
use crate::retry::{Failure, RetryDecision, RetryPolicy, RetryState};
use crate::run::notice::{Notice, Observer, report};
use crate::run::{AsyncClock, BlockingClock, Jitter};
use crate::transport::{AsyncTransport, BlockingTransport};

/// At most this many resends of the request that confirms on a clean stop.
const STOP_RETRIES: u32 = 3;

/// What both runners share: the poller and what reports their work.
struct Runner<U> {
    client: Client,
    poller: Poller<U>,
    jitter: Jitter,
    observer: Option<Observer>,
    /// An error ended polling: nothing more is handed out.
    done: bool,
}

impl<U: fmt::Debug> fmt::Debug for Runner<U> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Runner")
            .field("client", &self.client)
            .field("poller", &self.poller)
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

impl<U: PollItem> Runner<U> {
    fn new(client: Client, poller: Poller<U>) -> Self {
        Runner {
            client,
            poller,
            jitter: Jitter::default(),
            observer: None,
            done: false,
        }
    }

    /// The next fetched update, reported when it is handed out raw.
    fn hand_out(&mut self) -> Option<U> {
        let update = self.poller.take()?;
        if let Some(raw) = update.unreadable() {
            let notice = Notice::Unreadable {
                update_id: raw.update_id,
                error: &raw.error,
            };
            report(self.observer.as_ref(), notice);
        }
        Some(update)
    }

    /// Decides after a failed poll: `Some(wait)` to poll again after `wait`; `None` ends
    /// polling.
    fn after_poll_error<E: fmt::Display>(
        &mut self,
        error: &Error<E>,
        now: Instant,
    ) -> Option<Duration> {
        let random = self.jitter.draw(now);
        match self.poller.on_error(error, random) {
            PollDecision::Retry { after } => {
                let notice = Notice::Retrying {
                    method: GetUpdates::NAME,
                    retry: self.poller.failures(),
                    after,
                    error,
                };
                report(self.observer.as_ref(), notice);
                Some(after)
            }
            _ => {
                self.done = true;
                None
            }
        }
    }

    /// The confirming request of a clean stop and the policy for resending it, if the
    /// server does not have the offset yet.
    fn stop_plan(&self) -> Option<(PollUpdates<U>, RetryPolicy)> {
        let request = self.poller.stop_request()?;
        let policy = *self.poller.policy();
        let retries = policy.retries().min(STOP_RETRIES);
        Some((request, policy.max_retries(retries)))
    }

    /// Decides after the confirming request failed: `Some(wait)` to resend it.
    fn after_stop_error<E: fmt::Display>(
        &self,
        error: &Error<E>,
        policy: &RetryPolicy,
        state: &mut RetryState,
        now: Instant,
    ) -> Option<Duration> {
        let failure = Failure::classify(error, |_| true);
        let random = self.jitter.draw(now);
        match policy.decide(state, &failure, true, random) {
            RetryDecision::Resend { after } => {
                let notice = Notice::Retrying {
                    method: GetUpdates::NAME,
                    retry: state.retries(),
                    after,
                    error,
                };
                report(self.observer.as_ref(), notice);
                Some(after)
            }
            RetryDecision::GiveUp(reason) => {
                let notice = Notice::GivingUp {
                    method: GetUpdates::NAME,
                    reason,
                    error,
                };
                report(self.observer.as_ref(), notice);
                None
            }
        }
    }
}

/// Long polling through a blocking transport, as an iterator of updates.
///
/// Each item is an update (readable, or raw as [`PolledUpdate::Unreadable`]), or the error
/// that ended polling: 401, 404, 409, or a failure the poller's
/// [retry policy](crate::retry::RetryPolicy) gives up on; every other failure is resent
/// after the policy's wait, reported as a [`Notice`]. The HTTP timeout of each poll is the
/// transport's timeout plus the long-poll timeout, so a poll never times out before the
/// server answers.
///
/// An update is confirmed to the server (by the offset of a later request) only once the
/// iterator has handed it out. [`stop`](BlockingUpdates::stop) confirms what was handed
/// out; dropping the runner without it confirms nothing more, so the next run may see the
/// last updates handed out again, and never misses one.
pub struct BlockingUpdates<T, C, U = PolledUpdate> {
    runner: Runner<U>,
    transport: T,
    clock: C,
}

impl<T, C, U: fmt::Debug> fmt::Debug for BlockingUpdates<T, C, U> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BlockingUpdates")
            .field("runner", &self.runner)
            .finish_non_exhaustive()
    }
}

impl<T: BlockingTransport, C: BlockingClock, U: PollItem> BlockingUpdates<T, C, U>
where
    T::Error: fmt::Display,
{
    /// Polls `client`'s bot through `transport`, as `poller` says, napping on `clock`.
    pub fn new(client: Client, transport: T, clock: C, poller: Poller<U>) -> Self {
        BlockingUpdates {
            runner: Runner::new(client, poller),
            transport,
            clock,
        }
    }

    /// Shows every [`Notice`] to `observer` as well as to `tracing`.
    #[must_use]
    pub fn observe(mut self, observer: Observer) -> Self {
        self.runner.observer = Some(observer);
        self
    }

    /// Seeds the jitter of backoffs.
    #[must_use]
    pub fn seed(mut self, seed: u64) -> Self {
        self.runner.jitter = Jitter::new(seed);
        self
    }

    /// The poller: its offset and what it holds.
    pub fn poller(&self) -> &Poller<U> {
        &self.runner.poller
    }

    /// Stops polling cleanly: confirms every update handed out, and nothing else, with one
    /// `getUpdates` whose `timeout` is 0 (resent up to three times after a failure the
    /// policy resends). Sends nothing when the server already has the offset.
    pub fn stop(self) -> Result<(), Error<T::Error>> {
        let Some((request, policy)) = self.runner.stop_plan() else {
            return Ok(());
        };
        let mut state = RetryState::new();
        loop {
            let error = match self.runner.client.send(&self.transport, &request) {
                Ok(_) => return Ok(()),
                Err(error) => error,
            };
            let now = self.clock.now();
            match self
                .runner
                .after_stop_error(&error, &policy, &mut state, now)
            {
                Some(wait) => self.clock.sleep(wait),
                None => return Err(error),
            }
        }
    }
}

impl<T: BlockingTransport, C: BlockingClock, U: PollItem> Iterator for BlockingUpdates<T, C, U>
where
    T::Error: fmt::Display,
{
    type Item = Result<U, Error<T::Error>>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if self.runner.done {
                return None;
            }
            if let Some(update) = self.runner.hand_out() {
                return Some(Ok(update));
            }
            let request = self.runner.poller.request();
            match self.runner.client.send(&self.transport, &request) {
                Ok(batch) => self.runner.poller.on_updates(batch),
                Err(error) => match self.runner.after_poll_error(&error, self.clock.now()) {
                    Some(wait) => self.clock.sleep(wait),
                    None => return Some(Err(error)),
                },
            }
        }
    }
}

/// Long polling through an async transport: [`next`](AsyncUpdates::next) gives one update
/// at a time. The same rules as [`BlockingUpdates`]: errors that end polling come out once,
/// everything else is resent per the poller's policy, only updates handed out are
/// confirmed, and [`stop`](AsyncUpdates::stop) confirms them cleanly.
///
/// `next` is cancel-safe: dropping its future (in a `select!` with a shutdown signal, say)
/// loses no update, since an update leaves the poller only in the step that returns it.
pub struct AsyncUpdates<T, C, U = PolledUpdate> {
    runner: Runner<U>,
    transport: T,
    clock: C,
}

impl<T, C, U: fmt::Debug> fmt::Debug for AsyncUpdates<T, C, U> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AsyncUpdates")
            .field("runner", &self.runner)
            .finish_non_exhaustive()
    }
}

impl<T: AsyncTransport, C: AsyncClock, U: PollItem> AsyncUpdates<T, C, U>
where
    T::Error: fmt::Display,
{
    /// Polls `client`'s bot through `transport`, as `poller` says, napping on `clock`.
    pub fn new(client: Client, transport: T, clock: C, poller: Poller<U>) -> Self {
        AsyncUpdates {
            runner: Runner::new(client, poller),
            transport,
            clock,
        }
    }

    /// Shows every [`Notice`] to `observer` as well as to `tracing`.
    #[must_use]
    pub fn observe(mut self, observer: Observer) -> Self {
        self.runner.observer = Some(observer);
        self
    }

    /// Seeds the jitter of backoffs.
    #[must_use]
    pub fn seed(mut self, seed: u64) -> Self {
        self.runner.jitter = Jitter::new(seed);
        self
    }

    /// The poller: its offset and what it holds.
    pub fn poller(&self) -> &Poller<U> {
        &self.runner.poller
    }

    /// The next update, or the error that ended polling; `None` after that error.
    pub async fn next(&mut self) -> Option<Result<U, Error<T::Error>>> {
        loop {
            if self.runner.done {
                return None;
            }
            if let Some(update) = self.runner.hand_out() {
                return Some(Ok(update));
            }
            let request = self.runner.poller.request();
            let answer = self
                .runner
                .client
                .send_async(&self.transport, &request)
                .await;
            match answer {
                Ok(batch) => self.runner.poller.on_updates(batch),
                Err(error) => match self.runner.after_poll_error(&error, self.clock.now()) {
                    Some(wait) => {
                        drop(error);
                        self.clock.sleep(wait).await;
                    }
                    None => return Some(Err(error)),
                },
            }
        }
    }

    /// Stops polling cleanly; see [`BlockingUpdates::stop`].
    pub async fn stop(self) -> Result<(), Error<T::Error>> {
        let Some((request, policy)) = self.runner.stop_plan() else {
            return Ok(());
        };
        let mut state = RetryState::new();
        loop {
            let answer = self
                .runner
                .client
                .send_async(&self.transport, &request)
                .await;
            let error = match answer {
                Ok(_) => return Ok(()),
                Err(error) => error,
            };
            let now = self.clock.now();
            match self
                .runner
                .after_stop_error(&error, &policy, &mut state, now)
            {
                Some(wait) => {
                    drop(error);
                    self.clock.sleep(wait).await;
                }
                None => return Err(error),
            }
        }
    }
}
