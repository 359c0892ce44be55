//! One call, sent until it succeeds or the retry policy gives up, paced by the throttle.

use std::fmt;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use crate::client::Client;
use crate::error::Error;
use crate::method::Method;
use crate::retry::{Failure, RetryDecision, RetryPolicy, RetryState, TransportFailure};
use crate::run::notice::{Notice, Observer, report};
use crate::run::{AsyncClock, BlockingClock, Jitter};
use crate::throttle::{Throttle, ThrottleDecision, ThrottleLimits};
use crate::transport::{AsyncTransport, BlockingTransport};

/// How calls are sent: an optional [`RetryPolicy`], an optional [`Throttle`] shared by
/// every call sent through it, and the jitter for backoffs.
///
/// Each call goes like this: wait until the throttle lets it go (only calls that post a
/// message, [`Method::outgoing`]); send it; on a failure, tell the throttle about a 429,
/// then ask the policy, which answers "resend after this wait" or "give up" (see
/// [`retry`](crate::retry) for which failures are resent for which methods). Without a
/// policy a call is sent once; without a throttle nothing waits before sending. Every call
/// is built afresh for each attempt.
///
/// A `Sender` is `Sync`: share one between threads or tasks (the adapters keep one per
/// client) so the throttle sees every call.
pub struct Sender {
    retry: Option<RetryPolicy>,
    throttle: Option<Mutex<Throttle>>,
    jitter: Jitter,
    observer: Option<Observer>,
}

impl Default for Sender {
    fn default() -> Self {
        Sender::new()
    }
}

impl fmt::Debug for Sender {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sender")
            .field("retry", &self.retry)
            .field("throttle", &self.throttle_limits())
            .field("observer", &self.observer.is_some())
            .finish()
    }
}

impl Sender {
    /// One attempt per call, nothing throttled.
    pub fn new() -> Self {
        Sender {
            retry: None,
            throttle: None,
            jitter: Jitter::default(),
            observer: None,
        }
    }

    /// Resends failed calls as `policy` allows.
    #[must_use]
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Paces calls that post messages to `limits`.
    #[must_use]
    pub fn throttle(mut self, limits: ThrottleLimits) -> Self {
        self.throttle = Some(Mutex::new(Throttle::new(limits)));
        self
    }

    /// Seeds the jitter of backoffs (by default it varies with the instants it is drawn at).
    #[must_use]
    pub fn seed(mut self, seed: u64) -> Self {
        self.jitter = Jitter::new(seed);
        self
    }

    /// Shows every [`Notice`] to `observer` as well as to `tracing`.
    #[must_use]
    pub fn observe(mut self, observer: Observer) -> Self {
        self.observer = Some(observer);
        self
    }

    /// The retry policy, if any.
    pub fn retry_policy(&self) -> Option<&RetryPolicy> {
        self.retry.as_ref()
    }

    /// The throttle's limits, if there is a throttle.
    pub fn throttle_limits(&self) -> Option<ThrottleLimits> {
        self.throttle.as_ref().map(|t| *lock(t).limits())
    }

    /// Sends `method` through a blocking transport, waiting and resending as configured.
    /// The error is the last attempt's.
    pub fn send_blocking<T, C, M>(
        &self,
        client: &Client,
        transport: &T,
        clock: &C,
        method: &M,
    ) -> Result<M::Response, Error<T::Error>>
    where
        T: BlockingTransport + ?Sized,
        T::Error: TransportFailure + fmt::Display,
        C: BlockingClock + ?Sized,
        M: Method + ?Sized,
    {
        let mut state = RetryState::new();
        loop {
            while let Some(wait) = self.pace(method, clock.now()) {
                clock.sleep(wait);
            }
            let error = match client.send(transport, method) {
                Ok(result) => return Ok(result),
                Err(error) => error,
            };
            match self.after_failure(method, &error, &mut state, clock.now()) {
                Some(wait) => clock.sleep(wait),
                None => return Err(error),
            }
        }
    }

    /// Sends `method` through an async transport, waiting and resending as configured.
    /// The error is the last attempt's.
    pub async fn send_async<T, C, M>(
        &self,
        client: &Client,
        transport: &T,
        clock: &C,
        method: &M,
    ) -> Result<M::Response, Error<T::Error>>
    where
        T: AsyncTransport + ?Sized,
        T::Error: TransportFailure + fmt::Display,
        C: AsyncClock + ?Sized,
        M: Method + ?Sized,
    {
        let mut state = RetryState::new();
        loop {
            while let Some(wait) = self.pace(method, clock.now()) {
                clock.sleep(wait).await;
            }
            let error = match client.send_async(transport, method).await {
                Ok(result) => return Ok(result),
                Err(error) => error,
            };
            match self.after_failure(method, &error, &mut state, clock.now()) {
                Some(wait) => {
                    drop(error);
                    clock.sleep(wait).await;
                }
                None => return Err(error),
            }
        }
    }

    /// How long `method` must wait for the throttle at `now`; `None` when it may go (and
    /// has been counted).
    fn pace<M: Method + ?Sized>(&self, method: &M, now: Instant) -> Option<Duration> {
        let throttle = self.throttle.as_ref()?;
        let to = method.outgoing()?;
        let decision = lock(throttle).acquire(&to, now);
        match decision {
            ThrottleDecision::Go => None,
            ThrottleDecision::Wait(after) => {
                let notice = Notice::Throttled {
                    method: method.method_name(),
                    chat: to.chat,
                    after,
                };
                report(self.observer.as_ref(), notice);
                Some(after)
            }
        }
    }

    /// Learns from a failed attempt and decides: `Some(wait)` to resend after `wait`.
    fn after_failure<M, E>(
        &self,
        method: &M,
        error: &Error<E>,
        state: &mut RetryState,
        now: Instant,
    ) -> Option<Duration>
    where
        M: Method + ?Sized,
        E: TransportFailure + fmt::Display,
    {
        let failure = Failure::of(error);
        if let (Failure::Flood { retry_after }, Some(throttle)) = (&failure, &self.throttle)
            && let Some(to) = method.outgoing()
        {
            // A 429 without a wait still says the chat is flooded: pause it briefly.
            let wait = retry_after.unwrap_or(Duration::from_secs(1));
            lock(throttle).on_flood(Some(&to), wait, now);
        }
        let policy = self.retry.as_ref()?;
        let random = self.jitter.draw(now);
        let read_only = method.is_read_only();
        let (method, error_text): (&str, &dyn fmt::Display) = (method.method_name(), error);
        match policy.decide(state, &failure, read_only, random) {
            RetryDecision::Resend { after } => {
                let notice = Notice::Retrying {
                    method,
                    retry: state.retries(),
                    after,
                    error: error_text,
                };
                report(self.observer.as_ref(), notice);
                Some(after)
            }
            RetryDecision::GiveUp(reason) => {
                let notice = Notice::GivingUp {
                    method,
                    reason,
                    error: error_text,
                };
                report(self.observer.as_ref(), notice);
                None
            }
        }
    }
}

/// The throttle, even if a thread panicked while holding it: its state is a set of
/// instants that every change leaves consistent.
fn lock(throttle: &Mutex<Throttle>) -> std::sync::MutexGuard<'_, Throttle> {
    throttle.lock().unwrap_or_else(PoisonError::into_inner)
}
