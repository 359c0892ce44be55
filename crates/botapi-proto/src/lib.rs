//! The sans-IO core of a Telegram Bot API client.
//!
//! `botapi-proto` turns a Bot API method into an [`http::Request`] and turns the answer's
//! status and body back into the method's typed result or a typed error. It opens no
//! sockets, starts no runtime, reads no clock and touches no file, so any transport can drive
//! it: the [`botapi-hyper`] and [`botapi-ureq`] adapters, a `wasm` fetch, `reqwest`, or a
//! closure in a test.
//!
//! [`botapi-hyper`]: https://docs.rs/botapi-hyper
//! [`botapi-ureq`]: https://docs.rs/botapi-ureq
//!
//! # In scope
//! - [`Token`]: a checked bot token that never prints its secret, and [`Redactor`], the one
//!   tool that keeps it out of any text.
//! - [`Client`]: base URL plus token. [`Client::prepare`] builds a request together with
//!   its [`Pending`] call, which carries the method name, the result type, the timeout and
//!   the redaction across the transport and decodes the answer; [`Client::send`] and
//!   [`Client::send_async`] do all three through any [`transport`].
//! - [`transport`]: the [`BlockingTransport`](transport::BlockingTransport) and
//!   [`AsyncTransport`](transport::AsyncTransport) traits (implemented by both adapters and
//!   by closures) and the plumbing every transport needs, written once: error text from a
//!   library's error chain, upload files streamed with their lengths checked, the body size
//!   limit, whether a failure may have reached the server.
//! - [`Method`]: the trait every method implements; every method of Bot API 10.3 in
//!   [`methods`], every object in [`types`] (both generated from the official description),
//!   and [`Call`] for any method by name.
//! - [`meta`]: every method and type as data (parameters, required ones, result types,
//!   unions and their tags), and [`meta::visit_method`] to pick a method's type by name.
//! - Request bodies as JSON, or `multipart/form-data` with a deterministic boundary when
//!   files are uploaded ([`InputFile`]).
//! - [`poll`]: long polling as a state machine (the offset, which confirms only updates the
//!   program took, and whether and when to retry), reading each update of a batch on its
//!   own so one odd update never stalls the bot; [`webhook`]: checking and reading what
//!   Telegram posts to a webhook.
//! - [`retry`]: whether a failed call may be sent again (never a call that changes
//!   something once it may have run) and after how long; [`throttle`]: pacing messages to
//!   Telegram's flood limits. Both are pure state machines: time comes in as an argument.
//! - [`run`]: the loops that drive them (send with retries and throttling, long polling
//!   with a clean stop), generic over the transport and over a clock the adapter supplies.
//! - [`text`]: formatted text without markup (entities in UTF-16 code units), rendering
//!   it as HTML or MarkdownV2 with the right escaping, reading entities back from a
//!   message, splitting long texts within Telegram's limits, and bot commands.
//! - Errors as types: [`EncodeError`], [`DecodeError`] ([`ApiError`] when Telegram says no,
//!   [`MalformedResponse`] when the answer is not a Bot API answer), [`Error`] to wrap a
//!   transport's error, and [`TransportError`], the one shape both adapters (and any other
//!   transport) give their failures, with the token kept out.
//!
//! # Driving the core by hand
//! Three ways, from the most to the least help: [`Client::send`] with any transport;
//! [`Client::prepare`], then [`Pending::decode`] (or [`Pending::finish`]) on the answer, for a
//! transport with its own loop; and [`Client::encode`] and [`Client::decode`], kept for code
//! that holds the method value anyway (both print without the token).
//!
//! # Out of scope
//! Sending anything. Timeouts, body size limits, TLS, connection pools, reading files from
//! disk, listening for webhooks, reading the clock and sleeping belong to the transport and
//! its runtime; the core tells it what it needs to know ([`Request::timeout_hint`],
//! [`Chunk::File`], [`poll::PollDecision`]) and takes the clock as
//! [`run::BlockingClock`] or [`run::AsyncClock`].
//!
//! # Example
//! Any function from request to response is a transport. Here one answers from memory:
//!
//! ```
//! use botapi_proto::{Client, Error, Token, methods::GetMe};
//!
//! let client = Client::new("123456:ABC-def".parse::<Token>()?);
//! let fake_server = |request: http::Request<Vec<u8>>| {
//!     assert_eq!(request.uri().path(), "/bot123456:ABC-def/getMe");
//!     let body = br#"{"ok":true,"result":{"id":123456,"is_bot":true,"first_name":"Echo"}}"#;
//!     Ok::<_, std::convert::Infallible>(http::Response::new(body.to_vec()))
//! };
//! let me = client.call(&GetMe::new(), fake_server)?;
//! assert_eq!(me.first_name, "Echo");
//!
//! // A refusal comes back typed, with every parameter Telegram sent.
//! let flood = |_| {
//!     let body = br#"{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 7","parameters":{"retry_after":7}}"#;
//!     let mut response = http::Response::new(body.to_vec());
//!     *response.status_mut() = http::StatusCode::TOO_MANY_REQUESTS;
//!     Ok::<_, std::convert::Infallible>(response)
//! };
//! match client.call(&GetMe::new(), flood) {
//!     Err(Error::Api(e)) => assert_eq!(e.retry_after(), Some(std::time::Duration::from_secs(7))),
//!     other => panic!("{other:?}"),
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod api_url;
mod call;
mod client;
mod decode;
mod defaults;
mod encode;
mod error;
mod generated;
mod held;
mod input_file;
mod json_path;
mod method;
mod raw;
mod read;
mod reader_slot;
mod redact;
mod request;
mod small_string;
mod token;
mod transport_error;

pub mod download;
pub mod form;
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;
pub mod meta;
pub mod methods;
pub mod poll;
pub mod retry;
pub mod run;
pub mod text;
pub mod throttle;
pub mod transport;
pub mod types;
pub mod webhook;

pub use api_url::{ApiUrl, ApiUrlError, CLOUD_API_URL};
pub use call::{CallContext, Pending};
pub use client::Client;
pub use defaults::{DEFAULT_MAX_BODY_SIZE, DEFAULT_TIMEOUT, Limits};
pub use error::{
    ApiError, DecodeError, EncodeError, Error, ErrorKind, MalformedKind, MalformedResponse,
    ResponseParameters,
};
pub use input_file::{HasUploads, InputFile, LocalPathError, Upload, UploadSource};
pub use method::{Method, Outgoing, ResponseReader};
pub use raw::Call;
pub use reader_slot::{BlockingReader, ReaderSlot, TakeReaderError};
pub use redact::Redactor;
pub use request::{Body, Chunk, Request};
pub use token::{CharClass, Token, TokenError};
pub use transport_error::{TransportError, TransportErrorKind};

/// The `http` crate this one builds requests with.
pub use http;

pub use small_string::SmallString;
