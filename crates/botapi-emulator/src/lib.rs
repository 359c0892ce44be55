//! A Telegram Bot API server on loopback, for tests, examples and demos.
//!
//! `botapi-emulator` answers the Bot API wire protocol over real HTTP, so any client (ours,
//! another library, `curl`) can be pointed at it instead of `https://api.telegram.org`.
//! Tests use it in-process: start it, call it, inject faults, and read back exactly what the
//! client sent. Bot authors can run it as a binary.
//!
//! # What it speaks
//! - `GET` and `POST` to `/bot<token>/<method>` (other HTTP methods are answered alike),
//!   method names matched without regard to case; parameters from the query string, a JSON
//!   body, a `multipart/form-data` body (file parts are kept byte for byte) or an
//!   `application/x-www-form-urlencoded` body.
//! - Every answer is an envelope (`{"ok":true,"result":…}` or
//!   `{"ok":false,"error_code":…,"description":…}`) sent as `application/json` with the
//!   HTTP status equal to `error_code`:
//!   - a path that is not `/bot<token>/<method>`, or a malformed token: 404 `Not Found`;
//!   - a well-formed token no bot has: 401 `Unauthorized`;
//!   - a method that is not in Bot API 10.3 (or an empty one): 404
//!     `Not Found: method not found`, as the real server words it;
//!   - a body that does not parse: 400, saying so; a required parameter that is missing
//!     or empty: 400 `Bad Request: <param> is empty`; a body over [`MAX_BODY_BYTES`]: 413.
//!
//! # Every method is answered
//! All 185 methods of Bot API 10.3 (the core's [`meta::METHODS`](botapi_proto::meta::METHODS))
//! get an answer that the core decodes into the method's typed result.
//!
//! Modelled in depth, with state per bot:
//! - `getMe`: the bot's [`User`](botapi_proto::types::User).
//! - `logOut`: true, then the bot is refused with 401 for the lockout window (ten minutes
//!   by default, as on the cloud).
//! - `close`: true. The real cloud answers 429 when `close` comes within ten minutes of the
//!   bot's launch; the emulator does not.
//! - `setWebhook`, `deleteWebhook`, `getWebhookInfo`: each bot's webhook (URL checked as
//!   the real server checks it, uploaded certificate, `max_connections`,
//!   `allowed_updates`, `ip_address`), `drop_pending_updates`, and the number of pending
//!   updates. Nothing is ever delivered to a webhook.
//! - `getUpdates`: the bot's update queue, below.
//!
//! Every other method is plausible only: the emulator checks that each required parameter
//! is present and not empty (a file may come as a file part, as `attach://<part>` naming a
//! file part, or as a `file_id` or URL string; a "Message or True" edit needs
//! `inline_message_id`, or `chat_id` and `message_id`), then answers with a [`plausible`]
//! value of the return type: its required fields, recursively, with some of the call
//! echoed back (the chat named by `chat_id`, `text`, `caption` and other fields named like
//! a parameter, the sender is the bot, sent messages get increasing `message_id`s, one
//! result per forwarded message or album item). Nothing is stored: `getChat` after
//! `setChatTitle` does not show the new title.
//!
//! Formatted text is read as the real server reads it: a `text` or `caption` sent with
//! `parse_mode` `HTML`, `MarkdownV2` or `Markdown` comes back as plain text with its
//! `entities` (or `caption_entities`) in UTF-16 code units, and malformed markup gets the
//! real server's 400 (`Bad Request: can't parse entities: …`); `entities` sent beside a
//! text are checked against it and echoed. Entities are then fixed as Telegram fixes them
//! (overlaps dropped, styles merged and cut around other entities), white space is
//! trimmed from the ends, and a text over 4,096 characters or a caption over 1,024 is
//! refused. The emulator does not find URLs, mentions or commands in plain text.
//!
//! # Updates and long polling
//! [`Emulator::push_update`] (or [`Emulator::push_update_for`] another bot,
//! [`Emulator::push_update_kind`] for a typed one) queues an update, numbering it
//! `1, 2, 3, …` unless it has an `update_id`. `getUpdates` hands queued updates out as the
//! real server does:
//! - `offset` confirms (and drops) the updates below it; a negative offset keeps only that
//!   many of the newest; an offset more than ten past the next id is ignored.
//! - `limit` is 1 to 100 (default 100); `timeout` is 0 to 50 seconds: with nothing to hand
//!   out, the request waits until an update is pushed (it answers at once then) or the
//!   timeout runs out (it answers `[]`).
//! - `allowed_updates` is remembered until changed (by `getUpdates` or `setWebhook`); by
//!   default every kind but `chat_member`, `message_reaction` and
//!   `message_reaction_count` is handed out. The emulator filters when it hands updates
//!   out, where the real server filters when they arrive.
//! - While a webhook is set: 409 `Conflict: can't use getUpdates method while webhook is
//!   active; use deleteWebhook to delete the webhook first`. A waiting request ends with
//!   409 when a webhook is set, or when a newer `getUpdates` of the same bot starts
//!   waiting (`Conflict: terminated by other getUpdates request; …`).
//! - Not reproduced: the real server's slowing of clients that repeat an offset within a
//!   few seconds, its size cap on one answer, and updates expiring after a day.

//! # Faults
//! [`Emulator::inject`] makes the next answers to a method (or, with
//! [`Emulator::inject_any`], to any method) misbehave: a 429 with `retry_after`, a 400 with
//! `migrate_to_chat_id`, an nginx HTML 502, a truncated body, a delay, a dropped connection,
//! an oversized body streamed to any length, a body broken off mid-way, or any raw answer.
//! See [`Fault`].
//!
//! # Flood control
//! [`Builder::flood_control`] makes the emulator enforce Telegram's sending limits
//! ([`FloodControl`]: per private chat, per group or channel, overall, and for paid
//! broadcasts) on the methods that post a message: a message that would pass one is not
//! executed and gets the real server's 429, `Too Many Requests: retry after N` with
//! `parameters.retry_after`. Off by default in-process (tests send as fast as they like), on
//! by default in the binary (`--no-flood-control` turns it off).
//!
//! # The request log
//! [`Emulator::requests`] returns every request received, in order: the method name, the
//! HTTP method, the bot id, the parameters as a JSON object, the headers and the uploaded
//! files. The token's secret is never kept, printed or logged; `Debug` of [`Emulator`] and
//! [`Builder`] shows bot ids only.
//!
//! # In-process
//! [`Emulator::start`] binds `127.0.0.1` on a free port, runs the server on a thread with
//! its own Tokio runtime, and returns once it listens, from plain code or from inside an
//! async runtime alike. Dropping the [`Emulator`] stops it.
//!
//! ```
//! use botapi_emulator::{DEFAULT_TOKEN, Emulator, Fault};
//! use botapi_proto::{Client, Error, methods::GetMe};
//! use std::io::{Read, Write};
//!
//! // A tiny HTTP/1.1 transport over a std TcpStream, enough for an example.
//! fn send(request: http::Request<Vec<u8>>) -> std::io::Result<http::Response<Vec<u8>>> {
//!     let authority = request.uri().authority().unwrap().as_str();
//!     let mut stream = std::net::TcpStream::connect(authority)?;
//!     let mut head = format!("{} {} HTTP/1.1\r\nhost: {authority}\r\nconnection: close\r\n",
//!         request.method(), request.uri().path());
//!     for (name, value) in request.headers() {
//!         head += &format!("{name}: {}\r\n", value.to_str().unwrap());
//!     }
//!     head += &format!("content-length: {}\r\n\r\n", request.body().len());
//!     stream.write_all(head.as_bytes())?;
//!     stream.write_all(request.body())?;
//!     let mut raw = Vec::new();
//!     stream.read_to_end(&mut raw)?;
//!     let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
//!     let status: u16 = std::str::from_utf8(&raw[9..12]).unwrap().parse().unwrap();
//!     let mut response = http::Response::new(raw[split + 4..].to_vec());
//!     *response.status_mut() = http::StatusCode::from_u16(status).unwrap();
//!     Ok(response)
//! }
//!
//! let emulator = Emulator::start()?;
//! let client = Client::new(DEFAULT_TOKEN.parse()?).with_api_url(emulator.api_url());
//!
//! let me = client.call(&GetMe::new(), send)?;
//! assert_eq!(me.username.as_deref(), Some("emulator_bot"));
//! assert_eq!(emulator.requests()[0].method, "getMe");
//!
//! // The next getMe meets flood control.
//! emulator.inject("getMe", Fault::TooManyRequests { retry_after: 5 }, 1);
//! match client.call(&GetMe::new(), send) {
//!     Err(Error::Api(e)) => assert_eq!(e.retry_after(), Some(std::time::Duration::from_secs(5))),
//!     other => panic!("expected flood control, got {other:?}"),
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # As a binary
//! ```text
//! botapi-emulator [--host 127.0.0.1] [--port 8081] [--token TOKEN]... [--logout-lockout SECONDS]
//!                 [--no-flood-control]
//! ```
//! It prints its base URL (`http://127.0.0.1:8081`) on the first line of standard output,
//! then the bots it serves, and runs until stopped. `--port 0` picks a free port.
//! `--token` registers a bot (repeat it for several); without it the one bot is
//! [`DEFAULT_TOKEN`], which is printed since it is a public test token. Other tokens are
//! never printed. The binary keeps no request log and has no way to push updates, so its
//! `getUpdates` answers `[]` (after the timeout, for a long poll).

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod bots;
mod delivery;
mod emulator;
mod faults;
mod files;
mod flood;
mod generic;
mod handlers;
mod log;
mod long_poll;
mod markup;
mod params;
pub mod plausible;
mod reply;
mod server;
mod state;
mod updates;

pub use emulator::{Builder, DEFAULT_LOGOUT_LOCKOUT, Emulator, default_bot, default_token};
pub use faults::Fault;
pub use flood::FloodControl;
pub use log::{RecordedFile, RecordedRequest};

/// The default bot's token. It is a public test token, not a secret.
pub const DEFAULT_TOKEN: &str = "1234567890:EmulatorToken_abcdefghijklmnopqrstuv";

/// The largest request body the emulator reads (64 MiB); a longer one gets a 413 envelope.
pub const MAX_BODY_BYTES: usize = 64 * 1024 * 1024;
