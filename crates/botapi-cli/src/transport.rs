//! One way to send a method whichever adapter was chosen, and one error type for both.
//!
//! The command is synchronous: ureq is called directly, and hyper runs on a current-thread
//! tokio runtime that exists only when hyper is chosen.

use std::time::Duration;

use botapi_proto::{Method, TransportError, TransportErrorKind};

use crate::cli::TransportName;
use crate::failure::Failure;

/// A configured adapter, ready to send.
pub(crate) enum Transport {
    /// The blocking adapter.
    Ureq(botapi_ureq::Client),
    /// The async adapter and the runtime it runs on.
    Hyper {
        runtime: tokio::runtime::Runtime,
        client: botapi_hyper::Client,
    },
}

impl Transport {
    /// Builds the adapter `name` for `proto`, with `timeout` bounding each whole call.
    pub(crate) fn new(
        name: TransportName,
        proto: botapi_proto::Client,
        timeout: Duration,
    ) -> Result<Self, Failure> {
        Ok(match name {
            TransportName::Ureq => {
                Transport::Ureq(botapi_ureq::Client::builder(proto).timeout(timeout).build())
            }
            TransportName::Hyper => {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .map_err(|e| Failure::Transport {
                        kind: "runtime",
                        message: format!("cannot start the async runtime for hyper: {e}"),
                    })?;
                // Built inside the runtime, so anything the connector sets up finds it.
                let client = {
                    let _inside = runtime.enter();
                    botapi_hyper::Client::builder(proto)
                        .timeout(timeout)
                        .build()
                };
                Transport::Hyper { runtime, client }
            }
        })
    }

    /// Which adapter this is.
    pub(crate) fn name(&self) -> TransportName {
        match self {
            Transport::Ureq(_) => TransportName::Ureq,
            Transport::Hyper { .. } => TransportName::Hyper,
        }
    }

    /// Sends `method` and waits for its typed result. No retries: a failure is reported
    /// as it happened.
    pub(crate) fn send<M: Method>(&self, method: &M) -> Result<M::Response, Failure> {
        let result = match self {
            Transport::Ureq(client) => client.send(method),
            Transport::Hyper { runtime, client } => runtime.block_on(client.send(method)),
        };
        result.map_err(failure)
    }
}

/// Sorts an adapter's error into a [`Failure`]. Both adapters give the core's
/// [`TransportError`], whose text is token-free; the printer redacts once more anyway.
fn failure(error: botapi_proto::Error<TransportError>) -> Failure {
    match error {
        botapi_proto::Error::Encode(e) => Failure::Encode(e),
        botapi_proto::Error::Api(e) => Failure::Api(e),
        botapi_proto::Error::Malformed(e) => Failure::Malformed(e),
        botapi_proto::Error::Transport(t) => Failure::Transport {
            kind: kind_word(t.kind()),
            message: t.to_string(),
        },
        // A kind of failure added to the core later: no usable answer, so exit 4.
        other => Failure::Transport {
            kind: "other",
            message: other.to_string(),
        },
    }
}

/// Stable words for scripts.
fn kind_word(kind: TransportErrorKind) -> &'static str {
    match kind {
        TransportErrorKind::Connect => "connect",
        TransportErrorKind::Tls => "tls",
        TransportErrorKind::Timeout => "timeout",
        TransportErrorKind::BodyTooLarge { .. } => "body_too_large",
        TransportErrorKind::Io => "io",
        TransportErrorKind::Http => "http",
        TransportErrorKind::File => "file",
        _ => "other",
    }
}
