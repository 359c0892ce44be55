//! A webhook listener for Telegram bots, on hyper: plain HTTP (behind a reverse proxy, or
//! for a local Bot API server) or HTTPS with a PEM certificate and key (rustls, ring).
//!
//! What to answer is decided by the core ([`ListenerRules`]): 405 for anything but `POST`,
//! 401 for a missing or wrong secret (compared in constant time), 413 above the body limit
//! (1 MiB by default), 400 for a body that is not an update, and 200 once the update is
//! handed to the program, with a method call in the answer if the program gives one
//! ([`WebhookReply`]). This crate only does the IO: it reads each request's head and body
//! under timeouts, so a stalled client holds nothing up; serves many connections at once;
//! and stops cleanly, letting requests in flight finish.
//!
//! # Why a crate of its own
//! A listener is a server, not a transport. `botapi-hyper` stays a thin client (its
//! `src/` is held to a few hundred lines with no protocol rule in it), and a program that
//! only sends calls does not build a server. `botapi-hyper` re-exports this crate as
//! `botapi_hyper::webhook` (cargo feature `webhook`, on by default), so users of the async
//! adapter find the listener there.
//!
//! # Three ways to run it
//! - [`Listener`]: binds a port and serves until stopped (see its example).
//! - [`WebhookService`]: a [`hyper::service::Service`] to mount in an existing hyper server.
//! - [`WebhookService::handle`]: one request in, one answer out, for any other stack. With
//!   axum: `Router::new().route("/hook", post(move |req: Request| async move {
//!   service.handle(req).await }))`, no extra dependency (axum's body is an `http_body::Body`,
//!   and the answer is an `http::Response` axum sends as it is).
//!
//! ```
//! use botapi_proto::poll::PolledUpdate;
//! use botapi_webhook::{Listener, ListenerRules, WebhookSecret};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let secret = WebhookSecret::new("s3cret_from_setWebhook")?;
//! let listener = Listener::bind("127.0.0.1:0", ListenerRules::new(Some(secret))).await?;
//! println!("listening on {}", listener.url());
//! let running = listener.spawn(|update: PolledUpdate| async move {
//!     println!("update {:?}", update.update_id());
//!     Ok(None) // or Ok(Some(WebhookReply::new(&SendMessage::new(chat, "hi"))?))
//! });
//! // ... setWebhook with the public URL and the secret, then, to stop:
//! running.stop().await;
//! # Ok(())
//! # }
//! ```

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod handler;
mod listener;
mod service;
mod tls;

pub use botapi_proto::poll::PolledUpdate;
pub use botapi_proto::webhook::{
    DEFAULT_MAX_WEBHOOK_BODY, ListenerRules, SECRET_HEADER, WebhookError, WebhookReply,
    WebhookSecret,
};
pub use handler::{Handler, HandlerResult, channel};
pub use listener::{Listener, Running, Timeouts};
pub use service::{ResponseBody, WebhookService};
pub use tls::{TlsError, tls_config_from_pem};
