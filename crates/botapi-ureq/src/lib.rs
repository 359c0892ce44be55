//! A blocking transport for [`botapi_proto`]: sends Bot API calls with ureq 3.
//!
//! The core builds each request and reads each answer; this crate only carries them. It adds
//! what a transport must: a connection pool shared by every clone of the [`Client`], TLS by
//! rustls with the ring provider and Mozilla's roots (no OpenSSL, no aws-lc), plain `http://`
//! for a local Bot API server, a whole-request timeout, a limit on the answer's size, and file
//! uploads streamed from disk. HTTP error statuses reach the core's decoder like any other
//! answer, so a 429 still yields its `retry_after`.
//!
//! No async runtime is involved: this suits scripts, command-line tools and threads.
//!
//! # Running a bot
//! [`Builder::sender`] gives the client a retry policy and a throttle
//! ([`botapi_proto::run::Sender`]); [`Client::updates`] long-polls as an iterator that
//! confirms only the updates it handed out. Both are the core's loops, driven here with
//! [`CLOCK`]; see `examples/echo_bot.rs`. Without a sender, every call is one attempt, and an
//! [`Error`] says what happened (a [`retry_after`](botapi_proto::ApiError::retry_after) on
//! flood control, say).
//!
//! # Errors and the token
//! The bot token is part of every request URL, and HTTP libraries like to quote URLs in their
//! errors. A [`TransportError`] keeps only text, with the token removed, so printing any
//! [`Error`] with `{}` or `{:?}` is safe.
//!
//! # Example
//! Against the in-process Bot API emulator (`botapi-emulator`), as a test would:
//!
//! ```
//! use botapi_emulator::Emulator;
//! use botapi_proto::methods::GetMe;
//!
//! let emulator = Emulator::start()?;
//! let client = botapi_ureq::Client::new(emulator.client());
//! let me = client.send(&GetMe::new())?;
//! assert_eq!(me.username.as_deref(), Some("emulator_bot"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! With Telegram's cloud, only the core client changes:
//!
//! ```no_run
//! use std::time::Duration;
//!
//! let token = std::env::var("BOT_TOKEN")?.parse()?;
//! let client = botapi_ureq::Client::builder(botapi_proto::Client::new(token))
//!     .timeout(Duration::from_secs(10))
//!     .build();
//! let me = client.send(&botapi_proto::methods::GetMe::new())?;
//! println!("logged in as {}", me.first_name);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! `examples/get_me.rs` runs the same call against the in-process Bot API emulator.
//!
//! # Generic over the transport
//! The client is a [`BlockingTransport`](botapi_proto::transport::BlockingTransport), as is
//! any closure from request to response, so code can be written once for both. Here one
//! function runs over ureq against the emulator, then over a closure that answers from
//! memory, as a unit test would:
//!
//! ```
//! use botapi_emulator::Emulator;
//! use botapi_proto::transport::BlockingTransport;
//! use botapi_proto::{Client, Error, methods::GetMe};
//!
//! /// The bot's @username, through any blocking transport.
//! fn username<T>(bot: &Client, transport: &T) -> Result<String, Error<T::Error>>
//! where
//!     T: BlockingTransport,
//! {
//!     let me = bot.send(transport, &GetMe::new())?;
//!     Ok(me.username.unwrap_or_default().into())
//! }
//!
//! let emulator = Emulator::start()?;
//! let ureq = botapi_ureq::Client::new(emulator.client());
//! assert_eq!(username(ureq.proto(), &ureq)?, "emulator_bot");
//!
//! let canned = |_request: http::Request<Vec<u8>>| {
//!     let body = br#"{"ok":true,"result":{"id":7,"is_bot":true,"first_name":"T","username":"canned_bot"}}"#;
//!     Ok::<_, std::convert::Infallible>(http::Response::new(body.to_vec()))
//! };
//! assert_eq!(username(&emulator.client(), &canned)?, "canned_bot");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod body;
mod client;
mod download;
mod error;
mod resolve;

pub use client::{Builder, CLOCK, Client, DEFAULT_MAX_BODY_SIZE, DEFAULT_TIMEOUT, Limits, Updates};
pub use error::{Error, TransportError, TransportErrorKind};

pub use botapi_proto;
pub use ureq;
