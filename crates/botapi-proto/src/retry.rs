//! Whether a failed call may be sent again, and after how long. A pure decision: the caller
//! says how the attempt failed and whether the method only reads, passes in a random number
//! for jitter, and gets back "resend after this wait" or "give up, and why".
//!
//! The rules, from what each failure says about the server having run the call:
//! - **Flood control (429)** means Telegram did not execute the call: any method may be
//!   resent, after exactly `retry_after` (or a backoff when the answer names no wait).
//! - **Failures before sending** (connection refused, DNS, TLS handshake, an unreadable
//!   upload file): nothing reached the server, so any method may be resent, after a backoff.
//! - **Failures that may have run the call** (a 5xx answer, an answer that is not a Bot API
//!   envelope, a timeout, a connection dropped or cut off after sending): only a read-only
//!   method ([`Method::is_read_only`](crate::Method::is_read_only)) is resent, after a
//!   backoff. Resending `sendMessage` then could post it twice, so it is never done.
//! - **Everything else** (400, 401, 403, 404, 409, a result of the wrong shape, a request
//!   that cannot be built) is final: sending it again gives the same answer.
//!
//! Backoffs grow exponentially (the first wait, doubled for each backoff since, up to a
//! cap) and are shortened by a random part of up to [`RetryPolicy::jitter_percent`], so that
//! many clients that failed together do not come back together.
//!
//! ```
//! use std::time::Duration;
//! use botapi_proto::retry::{Failure, GiveUp, RetryDecision, RetryPolicy, RetryState};
//!
//! let policy = RetryPolicy::new().max_retries(2).jitter_percent(0);
//! let mut state = RetryState::new();
//! // A 429 asking for 3 s: resent after exactly that, whatever the method.
//! let flood = Failure::Flood { retry_after: Some(Duration::from_secs(3)) };
//! assert_eq!(
//!     policy.decide(&mut state, &flood, false, 0),
//!     RetryDecision::Resend { after: Duration::from_secs(3) }
//! );
//! // A timeout after sending: a state-changing call is never resent.
//! let timeout = Failure::Transport { may_have_reached_server: true };
//! assert_eq!(
//!     policy.decide(&mut state, &timeout, false, 0),
//!     RetryDecision::GiveUp(GiveUp::MayHaveRun)
//! );
//! // A read-only call is, after a backoff.
//! assert_eq!(
//!     policy.decide(&mut state, &timeout, true, 0),
//!     RetryDecision::Resend { after: Duration::from_secs(1) }
//! );
//! assert_eq!(
//!     policy.decide(&mut state, &timeout, true, 0),
//!     RetryDecision::GiveUp(GiveUp::OutOfRetries)
//! );
//! ```

use std::convert::Infallible;
use std::fmt;
use std::time::Duration;

use crate::error::{Error, ErrorKind, MalformedKind};
use crate::transport_error::TransportError;

/// How a failed attempt ended, as far as sending it again is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Failure {
    /// Flood control (429): the call was not executed.
    Flood {
        /// The wait the server asked for (`parameters.retry_after`), if it named one.
        retry_after: Option<Duration>,
    },
    /// The server answered with a 5xx error: the call may have run.
    ServerError,
    /// The answer was not a Bot API envelope (empty, not JSON, cut off, another shape), as
    /// from a proxy in trouble: the call may have run.
    NotAnAnswer,
    /// The transport failed.
    Transport {
        /// Whether the request may have reached the server whole (see
        /// [`TransportError::may_have_reached_server`]).
        may_have_reached_server: bool,
    },
    /// Sending again cannot help: the Bot API refused the call for a reason that does not
    /// go away (400, 401, 403, 404, 409, …), the result had an unexpected shape, or the
    /// request could not be built.
    Final,
}

impl Failure {
    /// Sorts `error`, asking the transport's error whether the request may have reached
    /// the server.
    pub fn of<T: TransportFailure>(error: &Error<T>) -> Failure {
        Failure::classify(error, TransportFailure::may_have_reached_server)
    }

    /// Sorts `error`, with `may_have_reached_server` telling for a transport failure.
    pub fn classify<T>(error: &Error<T>, may_have_reached_server: impl FnOnce(&T) -> bool) -> Self {
        match error {
            Error::Api(e) => match e.kind() {
                ErrorKind::TooManyRequests => Failure::Flood {
                    retry_after: e.retry_after(),
                },
                ErrorKind::ServerError => Failure::ServerError,
                _ => Failure::Final,
            },
            Error::Malformed(e) => match e.kind {
                MalformedKind::Empty
                | MalformedKind::NotJson
                | MalformedKind::Truncated
                | MalformedKind::NotEnvelope => Failure::NotAnAnswer,
                _ => Failure::Final,
            },
            Error::Transport(e) => Failure::Transport {
                may_have_reached_server: may_have_reached_server(e),
            },
            Error::Encode(_) => Failure::Final,
        }
    }

    /// Whether the server may have executed the call.
    pub fn may_have_run(&self) -> bool {
        match self {
            Failure::ServerError | Failure::NotAnAnswer => true,
            Failure::Transport {
                may_have_reached_server,
            } => *may_have_reached_server,
            Failure::Flood { .. } | Failure::Final => false,
        }
    }
}

/// A transport's failure that can tell whether the request may have reached the server:
/// what the retry policy needs to know before it resends a call that changes something.
pub trait TransportFailure {
    /// `false` only when the request certainly did not go out whole (the connection was
    /// refused, the TLS handshake failed, …). When unsure, `true`.
    fn may_have_reached_server(&self) -> bool;
}

impl TransportFailure for TransportError {
    fn may_have_reached_server(&self) -> bool {
        TransportError::may_have_reached_server(self)
    }
}

/// Only a refused connection is known to have sent nothing; anything else may have.
impl TransportFailure for std::io::Error {
    fn may_have_reached_server(&self) -> bool {
        self.kind() != std::io::ErrorKind::ConnectionRefused
    }
}

impl TransportFailure for Infallible {
    fn may_have_reached_server(&self) -> bool {
        match *self {}
    }
}

/// When to send a failed call again: which failures, how many times, and how long to wait.
///
/// The defaults: at most 3 resends, backoffs from 1 s doubling up to 30 s, shortened by up
/// to 50 % at random, and no single wait longer than 60 s (a 429 asking for more is given
/// up on, see [`GiveUp::WaitTooLong`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    max_retries: u32,
    max_wait: Duration,
    first_backoff: Duration,
    max_backoff: Duration,
    jitter_percent: u8,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy::new()
    }
}

impl RetryPolicy {
    /// The default policy (see above).
    pub const fn new() -> Self {
        RetryPolicy {
            max_retries: 3,
            max_wait: Duration::from_secs(60),
            first_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(30),
            jitter_percent: 50,
        }
    }

    /// At most this many resends of one call (0: never resend). `u32::MAX` is as good as
    /// no limit.
    #[must_use]
    pub const fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = retries;
        self
    }

    /// The longest single wait accepted. A 429 whose `retry_after` is longer is given up on
    /// ([`GiveUp::WaitTooLong`]); backoffs are capped at it.
    #[must_use]
    pub const fn max_wait(mut self, wait: Duration) -> Self {
        self.max_wait = wait;
        self
    }

    /// The first backoff and the longest one; each backoff doubles the previous.
    #[must_use]
    pub const fn backoff(mut self, first: Duration, max: Duration) -> Self {
        self.first_backoff = first;
        self.max_backoff = max;
        self
    }

    /// Shortens each backoff by a random part of up to this many percent of it (capped at
    /// 100). 0 makes backoffs exact. Waits that flood control asks for are never shortened.
    #[must_use]
    pub const fn jitter_percent(mut self, percent: u8) -> Self {
        self.jitter_percent = if percent > 100 { 100 } else { percent };
        self
    }

    /// How many resends one call may have.
    pub fn retries(&self) -> u32 {
        self.max_retries
    }

    /// The longest single wait accepted.
    pub fn longest_wait(&self) -> Duration {
        self.max_wait
    }

    /// The share of a backoff, in percent, that jitter may take off.
    pub fn jitter(&self) -> u8 {
        self.jitter_percent
    }

    /// Decides what to do after an attempt of one call failed with `failure`.
    ///
    /// `state` holds what happened to this call so far (start with [`RetryState::new`]);
    /// it is updated when the answer is to resend. `read_only` says whether the method only
    /// reads ([`CallContext::is_read_only`](crate::CallContext::is_read_only)). `random` is
    /// any random number (from [`SplitMix64`], say); it only shortens backoffs.
    pub fn decide(
        &self,
        state: &mut RetryState,
        failure: &Failure,
        read_only: bool,
        random: u64,
    ) -> RetryDecision {
        let after = match failure {
            Failure::Final => return RetryDecision::GiveUp(GiveUp::Final),
            _ if failure.may_have_run() && !read_only => {
                return RetryDecision::GiveUp(GiveUp::MayHaveRun);
            }
            Failure::Flood {
                retry_after: Some(asked),
            } => {
                if *asked > self.max_wait {
                    return RetryDecision::GiveUp(GiveUp::WaitTooLong { asked: *asked });
                }
                *asked
            }
            _ => self.nth_backoff(state.backoffs, random),
        };
        if state.retries >= self.max_retries {
            return RetryDecision::GiveUp(GiveUp::OutOfRetries);
        }
        state.retries += 1;
        if !matches!(
            failure,
            Failure::Flood {
                retry_after: Some(_)
            }
        ) {
            state.backoffs = state.backoffs.saturating_add(1);
        }
        RetryDecision::Resend { after }
    }

    /// The `n`th backoff (from 0), before and after jitter.
    fn nth_backoff(&self, n: u32, random: u64) -> Duration {
        let factor = 1u32.checked_shl(n.min(31)).unwrap_or(u32::MAX);
        let full = self
            .first_backoff
            .saturating_mul(factor)
            .min(self.max_backoff)
            .min(self.max_wait);
        // random / 2^64 of the jitter share, in whole nanoseconds.
        let share = full.as_nanos() * u128::from(self.jitter_percent) / 100;
        let cut = (share * u128::from(random)) >> 64;
        full.saturating_sub(Duration::from_nanos(u64::try_from(cut).unwrap_or(u64::MAX)))
    }
}

/// What has happened to one call so far: how many times it was resent and how many of
/// those waits were backoffs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RetryState {
    retries: u32,
    backoffs: u32,
}

impl RetryState {
    /// A call not resent yet.
    pub const fn new() -> Self {
        RetryState {
            retries: 0,
            backoffs: 0,
        }
    }

    /// How many times the call has been resent.
    pub fn retries(&self) -> u32 {
        self.retries
    }
}

/// What [`RetryPolicy::decide`] answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryDecision {
    /// Wait this long, then send the call again.
    Resend {
        /// How long to wait.
        after: Duration,
    },
    /// Do not send it again; report the failure.
    GiveUp(GiveUp),
}

/// Why a call is not sent again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum GiveUp {
    /// Sending again would get the same answer.
    Final,
    /// The call changes something and may have run: sending it again could do it twice.
    MayHaveRun,
    /// The policy's resends are used up.
    OutOfRetries,
    /// Flood control asked for a longer wait than the policy accepts.
    WaitTooLong {
        /// The wait asked for.
        asked: Duration,
    },
}

impl fmt::Display for GiveUp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GiveUp::Final => f.write_str("sending again cannot help"),
            GiveUp::MayHaveRun => f.write_str("the call may have run and is not safe to repeat"),
            GiveUp::OutOfRetries => f.write_str("no retries left"),
            GiveUp::WaitTooLong { asked } => {
                write!(
                    f,
                    "flood control asks for {} s, longer than allowed",
                    asked.as_secs()
                )
            }
        }
    }
}

/// A small, fast pseudo-random generator (SplitMix64) for jitter: seeded by the caller, so
/// runs can be repeated, and never reading any source of randomness itself. Not for
/// cryptography.
///
/// ```
/// use botapi_proto::retry::SplitMix64;
///
/// let mut a = SplitMix64::new(7);
/// let mut b = SplitMix64::new(7);
/// assert_eq!(a.next_u64(), b.next_u64());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitMix64 {
    state: u64,
}

/// The increment of SplitMix64: the golden ratio as a 64-bit fraction.
const GOLDEN_GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

impl SplitMix64 {
    /// A generator starting from `seed`.
    pub const fn new(seed: u64) -> Self {
        SplitMix64 { state: seed }
    }

    /// The next number.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(GOLDEN_GAMMA);
        mix(self.state)
    }
}

/// SplitMix64's output function: a bijection that scatters the bits of `z`.
pub(crate) fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// SplitMix64's increment, for generators that step atomically.
pub(crate) const GAMMA: u64 = GOLDEN_GAMMA;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Client, DecodeError, Token, TransportErrorKind};
    use http::StatusCode;

    fn decoded(status: u16, body: &str) -> Error<TransportError> {
        let client = Client::new(Token::new("1:x").unwrap());
        let status = StatusCode::from_u16(status).unwrap();
        match client.decode_as::<bool>("sendMessage", status, body.as_bytes()) {
            Err(DecodeError::Api(e)) => Error::Api(e),
            Err(DecodeError::Malformed(e)) => Error::Malformed(e),
            Ok(_) => panic!("decoded"),
        }
    }

    fn transport(kind: TransportErrorKind) -> Error<TransportError> {
        let redactor = Token::new("1:x").unwrap().redactor();
        Error::Transport(TransportError::new(kind, "sendMessage", "m", &redactor))
    }

    #[test]
    fn failures_are_sorted_by_what_they_say_about_the_server() {
        let flood = decoded(
            429,
            r#"{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 4","parameters":{"retry_after":4}}"#,
        );
        assert_eq!(
            Failure::of(&flood),
            Failure::Flood {
                retry_after: Some(Duration::from_secs(4))
            }
        );
        let bare_flood = decoded(429, r#"{"ok":false,"error_code":429,"description":"x"}"#);
        assert_eq!(
            Failure::of(&bare_flood),
            Failure::Flood { retry_after: None }
        );
        let internal = decoded(500, r#"{"ok":false,"error_code":500,"description":"x"}"#);
        assert_eq!(Failure::of(&internal), Failure::ServerError);
        let html = decoded(502, "<html>502 Bad Gateway</html>");
        assert_eq!(Failure::of(&html), Failure::NotAnAnswer);
        let cut = decoded(200, r#"{"ok":true,"res"#);
        assert_eq!(Failure::of(&cut), Failure::NotAnAnswer);
        let wrong_shape = decoded(200, r#"{"ok":true,"result":"yes"}"#);
        assert_eq!(Failure::of(&wrong_shape), Failure::Final);
        for code in [400, 401, 403, 404, 409] {
            let body = format!(r#"{{"ok":false,"error_code":{code},"description":"x"}}"#);
            assert_eq!(Failure::of(&decoded(code, &body)), Failure::Final, "{code}");
        }
        assert_eq!(
            Failure::of(&transport(TransportErrorKind::Connect)),
            Failure::Transport {
                may_have_reached_server: false
            }
        );
        assert_eq!(
            Failure::of(&transport(TransportErrorKind::Timeout)),
            Failure::Transport {
                may_have_reached_server: true
            }
        );
        let refused = Error::Transport(std::io::Error::from(std::io::ErrorKind::ConnectionRefused));
        assert!(!Failure::of(&refused).may_have_run());
        let reset = Error::Transport(std::io::Error::from(std::io::ErrorKind::ConnectionReset));
        assert!(Failure::of(&reset).may_have_run());
    }

    #[test]
    fn backoffs_double_up_to_the_cap_and_reset_never_within_a_call() {
        let policy = RetryPolicy::new()
            .max_retries(6)
            .backoff(Duration::from_millis(100), Duration::from_millis(500))
            .jitter_percent(0);
        let mut state = RetryState::new();
        let failure = Failure::ServerError;
        let waits: Vec<_> = (0..7)
            .map(
                |_| match policy.decide(&mut state, &failure, true, u64::MAX) {
                    RetryDecision::Resend { after } => after.as_millis(),
                    RetryDecision::GiveUp(why) => panic!("{why}"),
                },
            )
            .take(6)
            .collect();
        assert_eq!(waits, [100, 200, 400, 500, 500, 500]);
        assert_eq!(state.retries(), 6);
        assert_eq!(
            policy.decide(&mut state, &failure, true, 0),
            RetryDecision::GiveUp(GiveUp::OutOfRetries)
        );
    }

    #[test]
    fn jitter_only_shortens_backoffs_and_never_flood_waits() {
        let policy = RetryPolicy::new()
            .max_retries(100)
            .backoff(Duration::from_secs(1), Duration::from_secs(1))
            .jitter_percent(50);
        let mut random = SplitMix64::new(1);
        let mut seen = std::collections::BTreeSet::new();
        for _ in 0..50 {
            let mut state = RetryState::new();
            let failure = Failure::Transport {
                may_have_reached_server: false,
            };
            let RetryDecision::Resend { after } =
                policy.decide(&mut state, &failure, false, random.next_u64())
            else {
                panic!("a failure before sending is resent");
            };
            assert!(after <= Duration::from_secs(1) && after >= Duration::from_millis(500));
            seen.insert(after);
            let flood = Failure::Flood {
                retry_after: Some(Duration::from_secs(2)),
            };
            assert_eq!(
                policy.decide(&mut state, &flood, false, random.next_u64()),
                RetryDecision::Resend {
                    after: Duration::from_secs(2)
                }
            );
        }
        assert!(seen.len() > 40, "jitter varies the waits: {}", seen.len());
    }

    #[test]
    fn a_flood_wait_longer_than_allowed_is_given_up() {
        let policy = RetryPolicy::new().max_wait(Duration::from_secs(60));
        let hour = Failure::Flood {
            retry_after: Some(Duration::from_secs(3600)),
        };
        assert_eq!(
            policy.decide(&mut RetryState::new(), &hour, true, 0),
            RetryDecision::GiveUp(GiveUp::WaitTooLong {
                asked: Duration::from_secs(3600)
            })
        );
        let allowed = policy.max_wait(Duration::from_secs(3600));
        assert_eq!(
            allowed.decide(&mut RetryState::new(), &hour, true, 0),
            RetryDecision::Resend {
                after: Duration::from_secs(3600)
            }
        );
        assert_eq!(
            GiveUp::WaitTooLong {
                asked: Duration::from_secs(3600)
            }
            .to_string(),
            "flood control asks for 3600 s, longer than allowed"
        );
    }

    #[test]
    fn zero_retries_never_resends() {
        let policy = RetryPolicy::new().max_retries(0);
        let flood = Failure::Flood {
            retry_after: Some(Duration::from_secs(1)),
        };
        assert_eq!(
            policy.decide(&mut RetryState::new(), &flood, true, 0),
            RetryDecision::GiveUp(GiveUp::OutOfRetries)
        );
    }

    #[test]
    fn splitmix_matches_its_reference_output() {
        // The first outputs of SplitMix64 seeded with 1234567 in its reference code.
        let mut random = SplitMix64::new(1234567);
        assert_eq!(random.next_u64(), 6457827717110365317);
        assert_eq!(random.next_u64(), 3203168211198807973);
    }
}
