//! An async transport for [`botapi_proto`]: sends Bot API calls with hyper 1 and hyper-util's
//! pooled client on tokio.
//!
//! The core builds each request and reads each answer; this crate only carries them. It adds
//! what a transport must: a connection pool shared by every clone of the [`Client`], TLS by
//! rustls with the ring provider and Mozilla's roots (no OpenSSL, no aws-lc), HTTP/1.1 or
//! HTTP/2 as the server offers, plain `http://` for a local Bot API server, a whole-request
//! timeout, a limit on the answer's size, and file uploads streamed from disk.
//!
//! # Running a bot
//! [`Builder::sender`] gives the client a retry policy and a throttle
//! ([`botapi_proto::run::Sender`]); [`Client::updates`] long-polls, one update per
//! `next().await`, confirming only the updates it handed out. Both are the core's loops,
//! driven here with tokio's time ([`CLOCK`]); see `examples/echo_bot.rs`. Without a sender,
//! every call is one attempt, and an [`Error`] says what happened (a
//! [`retry_after`](botapi_proto::ApiError::retry_after) on flood control, say).
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
//! #[tokio::main]
//! async fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     let emulator = Emulator::start()?;
//!     let client = botapi_hyper::Client::new(emulator.client());
//!     let me = client.send(&GetMe::new()).await?;
//!     assert_eq!(me.username.as_deref(), Some("emulator_bot"));
//!     Ok(())
//! }
//! ```
//!
//! With Telegram's cloud, only the core client changes:
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use std::time::Duration;
//!
//! let token = std::env::var("BOT_TOKEN")?.parse()?;
//! let client = botapi_hyper::Client::builder(botapi_proto::Client::new(token))
//!     .timeout(Duration::from_secs(10))
//!     .build();
//! let me = client.send(&botapi_proto::methods::GetMe::new()).await?;
//! println!("logged in as {}", me.first_name);
//! # Ok(())
//! # }
//! ```
//!
//! `examples/get_me.rs` runs the same call against the in-process Bot API emulator.
//!
//! # Generic over the transport
//! The client is an [`AsyncTransport`](botapi_proto::transport::AsyncTransport), as is any
//! closure that returns a future of a response, so async code can be written once for both:
//!
//! ```
//! use botapi_emulator::Emulator;
//! use botapi_proto::transport::AsyncTransport;
//! use botapi_proto::{Client, Error, methods::GetMe};
//!
//! async fn username<T: AsyncTransport>(bot: &Client, transport: &T) -> Result<String, Error<T::Error>> {
//!     let me = bot.send_async(transport, &GetMe::new()).await?;
//!     Ok(me.username.unwrap_or_default().into())
//! }
//!
//! #[tokio::main]
//! async fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     let emulator = Emulator::start()?;
//!     let hyper = botapi_hyper::Client::new(emulator.client());
//!     assert_eq!(username(hyper.proto(), &hyper).await?, "emulator_bot");
//!
//!     let canned = |_request: http::Request<Vec<u8>>| async {
//!         let body = br#"{"ok":true,"result":{"id":7,"is_bot":true,"first_name":"T","username":"canned_bot"}}"#;
//!         Ok::<_, std::convert::Infallible>(http::Response::new(body.to_vec()))
//!     };
//!     assert_eq!(username(&emulator.client(), &canned).await?, "canned_bot");
//!     Ok(())
//! }
//! ```

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod body;
mod client;
mod download;
mod error;

pub use body::{AsyncReader, RequestBody, upload_reader};
pub use client::{Builder, CLOCK, Client, DEFAULT_MAX_BODY_SIZE, DEFAULT_TIMEOUT, Limits, Updates};
pub use error::{Error, TransportError, TransportErrorKind};

pub use botapi_proto;
/// The webhook listener: the `botapi-webhook` crate, kept apart because a server is not a
/// transport (see its docs).
#[cfg(feature = "webhook")]
pub use botapi_webhook as webhook;
pub use hyper_util;
