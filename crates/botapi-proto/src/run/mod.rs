//! Running a bot: the loops that drive the [retry policy](crate::retry), the
//! [throttle](crate::throttle) and the [poller](crate::poll), written once for every
//! transport. They send through a [`BlockingTransport`](crate::transport::BlockingTransport)
//! or an [`AsyncTransport`](crate::transport::AsyncTransport), and take the time and their
//! naps from a [`BlockingClock`] or an [`AsyncClock`] that the adapter supplies
//! (`std::time::Instant` and `std::thread::sleep` in botapi-ureq, `tokio::time` in
//! botapi-hyper, both as a pair of functions in [`FnClock`] / [`AsyncFnClock`]), so the core
//! itself still reads no clock and never sleeps.
//!
//! - [`Sender`] sends one call: it waits for the throttle, sends, and on a failure asks
//!   the retry policy whether to send again and after how long. Without a policy and a
//!   throttle it is one plain attempt.
//! - [`BlockingUpdates`] and [`AsyncUpdates`] long-poll: they hand out one update at a
//!   time, confirm only what was handed out, resend failed polls per the poller's policy,
//!   and stop cleanly with [`BlockingUpdates::stop`] / [`AsyncUpdates::stop`].
//!
//! Both report what they do (a resend and its wait, a throttling delay, an update handed
//! out raw) as a [`Notice`], through `tracing` and to an optional [`Observer`]. Notices hold
//! method names, durations and token-free error texts, never a URL with the token.
//!
//! ```
//! use std::cell::Cell;
//! use std::time::{Duration, Instant};
//!
//! use botapi_proto::retry::RetryPolicy;
//! use botapi_proto::run::{BlockingClock, Sender};
//! use botapi_proto::{Client, Token, methods::GetMe};
//!
//! /// A virtual clock: sleeping only moves its time on.
//! struct Virtual(Cell<Instant>);
//! impl BlockingClock for Virtual {
//!     fn now(&self) -> Instant { self.0.get() }
//!     fn sleep(&self, wait: Duration) { self.0.set(self.0.get() + wait) }
//! }
//!
//! let client = Client::new("123456:ABC-def".parse::<Token>()?);
//! let answers = std::cell::RefCell::new(vec![
//!     (200, r#"{"ok":true,"result":{"id":123456,"is_bot":true,"first_name":"Echo"}}"#),
//!     (502, "<html>Bad Gateway</html>"),
//! ]);
//! let server = |_request: http::Request<Vec<u8>>| {
//!     let (status, body) = answers.borrow_mut().pop().unwrap();
//!     let mut response = http::Response::new(body.as_bytes().to_vec());
//!     *response.status_mut() = http::StatusCode::from_u16(status).unwrap();
//!     Ok::<_, std::io::Error>(response)
//! };
//! let clock = Virtual(Cell::new(Instant::now()));
//! let start = clock.now();
//! let sender = Sender::new().retry(RetryPolicy::new().jitter_percent(0));
//! // getMe only reads, so the 502 is retried after the first backoff.
//! let me = sender.send_blocking(&client, &server, &clock, &GetMe::new())?;
//! assert_eq!(me.first_name, "Echo");
//! assert_eq!(clock.now() - start, Duration::from_secs(1));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod notice;
mod sender;
mod updates;

use std::future::Future;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

pub use notice::{Notice, Observer};
pub use sender::Sender;
pub use updates::{AsyncUpdates, BlockingUpdates};

/// The time and the naps of a blocking program: what the drivers need from the outside.
///
/// botapi-ureq implements it with `std::time::Instant` and `std::thread::sleep`; tests
/// implement it with a virtual clock that sleeping moves on.
pub trait BlockingClock {
    /// The current instant. It must never go backwards.
    fn now(&self) -> Instant;
    /// Blocks the thread for `duration`.
    fn sleep(&self, duration: Duration);
}

/// The time and the naps of an async program. botapi-hyper implements it with `tokio::time`.
pub trait AsyncClock {
    /// The current instant. It must never go backwards.
    fn now(&self) -> Instant;
    /// Waits `duration` without blocking the thread.
    fn sleep(&self, duration: Duration) -> impl Future<Output = ()> + Send;
}

/// A [`BlockingClock`] made of two functions: how botapi-ureq supplies
/// `std::time::Instant::now` and `std::thread::sleep`.
#[derive(Debug, Clone, Copy)]
pub struct FnClock {
    now: fn() -> Instant,
    sleep: fn(Duration),
}

impl FnClock {
    /// A clock that reads the time with `now` and naps with `sleep`.
    pub const fn new(now: fn() -> Instant, sleep: fn(Duration)) -> Self {
        FnClock { now, sleep }
    }
}

impl BlockingClock for FnClock {
    fn now(&self) -> Instant {
        (self.now)()
    }
    fn sleep(&self, duration: Duration) {
        (self.sleep)(duration)
    }
}

/// An [`AsyncClock`] made of two functions, the second giving the future that naps: how
/// botapi-hyper supplies tokio's `Instant::now` and `tokio::time::sleep`.
#[derive(Debug)]
pub struct AsyncFnClock<F> {
    now: fn() -> Instant,
    sleep: fn(Duration) -> F,
}

impl<F> AsyncFnClock<F> {
    /// A clock that reads the time with `now` and naps by awaiting `sleep`.
    pub const fn new(now: fn() -> Instant, sleep: fn(Duration) -> F) -> Self {
        AsyncFnClock { now, sleep }
    }
}

impl<F> Clone for AsyncFnClock<F> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<F> Copy for AsyncFnClock<F> {}

impl<F: Future<Output = ()> + Send> AsyncClock for AsyncFnClock<F> {
    fn now(&self) -> Instant {
        (self.now)()
    }
    fn sleep(&self, duration: Duration) -> impl Future<Output = ()> + Send {
        (self.sleep)(duration)
    }
}

impl<C: BlockingClock + ?Sized> BlockingClock for &C {
    fn now(&self) -> Instant {
        (**self).now()
    }
    fn sleep(&self, duration: Duration) {
        (**self).sleep(duration)
    }
}

impl<C: AsyncClock + ?Sized> AsyncClock for &C {
    fn now(&self) -> Instant {
        (**self).now()
    }
    fn sleep(&self, duration: Duration) -> impl Future<Output = ()> + Send {
        (**self).sleep(duration)
    }
}

/// Random numbers for jitter without a source of randomness: a counter scrambled with the
/// seed and a hash of the instant it is asked at, so that two processes (which never ask
/// at the same instants) draw differently, while a virtual clock repeats a run exactly.
#[derive(Debug, Default)]
struct Jitter {
    seed: u64,
    counter: AtomicU64,
}

impl Jitter {
    fn new(seed: u64) -> Self {
        Jitter {
            seed,
            counter: AtomicU64::new(0),
        }
    }

    fn draw(&self, now: Instant) -> u64 {
        let step = self
            .counter
            .fetch_add(crate::retry::GAMMA, Ordering::Relaxed)
            .wrapping_add(crate::retry::GAMMA);
        let mut hasher = DefaultHasher::new();
        now.hash(&mut hasher);
        crate::retry::mix(step ^ self.seed ^ hasher.finish())
    }
}
