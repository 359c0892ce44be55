//! Every way a command can fail, with its exit status and how it is shown: one line for
//! people on stderr and, with `--json`, one JSON document for scripts on stdout.

use std::fmt;
use std::process::ExitCode;

use botapi_proto::{ApiError, EncodeError, MalformedKind, MalformedResponse, TransportError};
use serde_json::{Value, json};

/// Exit status: success.
pub(crate) const EXIT_OK: u8 = 0;
/// Exit status: bad usage or configuration (arguments, token, parameters); nothing was sent.
pub(crate) const EXIT_USAGE: u8 = 2;
/// Exit status: the Bot API answered with an error (`ok: false`).
pub(crate) const EXIT_API: u8 = 3;
/// Exit status: no usable answer (transport failure, or not a Bot API answer).
pub(crate) const EXIT_TRANSPORT: u8 = 4;

/// A failed command.
#[derive(Debug)]
pub(crate) enum Failure {
    /// A usage or configuration problem found before anything was sent.
    Usage(String),
    /// The request could not be built (an invalid method name, say); nothing was sent.
    Encode(EncodeError),
    /// The Bot API refused the call.
    Api(Box<ApiError>),
    /// The answer was not a usable Bot API answer (an HTML page from a proxy, cut-off JSON…).
    Malformed(Box<MalformedResponse>),
    /// No answer: the connection, TLS, a timeout or the size limit failed the call.
    Transport {
        /// A short stable word for scripts: `connect`, `timeout`, `body_too_large`, …
        kind: &'static str,
        /// What the transport said, starting with the method name, free of the token.
        message: String,
    },
}

impl Failure {
    /// The process exit status for this failure.
    pub(crate) fn exit_status(&self) -> u8 {
        match self {
            Failure::Usage(_) | Failure::Encode(_) => EXIT_USAGE,
            Failure::Api(_) => EXIT_API,
            Failure::Malformed(_) | Failure::Transport { .. } => EXIT_TRANSPORT,
        }
    }

    /// [`Failure::exit_status`] as an [`ExitCode`].
    pub(crate) fn exit_code(&self) -> ExitCode {
        ExitCode::from(self.exit_status())
    }

    /// The JSON document printed on stdout with `--json`, or `None` when stdout stays empty
    /// (usage errors: the command never ran, as with clap's own usage errors).
    pub(crate) fn to_json(&self) -> Option<Value> {
        match self {
            Failure::Usage(_) | Failure::Encode(_) => None,
            // As Telegram sent it: ok, error_code, description, parameters.
            Failure::Api(e) => Some(e.to_envelope()),
            Failure::Malformed(e) => Some(json!({
                "ok": false,
                "error": "malformed",
                "kind": malformed_kind_word(e.kind),
                "status": e.status.as_u16(),
                "description": e.to_string(),
            })),
            Failure::Transport { kind, .. } => Some(json!({
                "ok": false,
                "error": "transport",
                "kind": kind,
                "description": self.to_string(),
            })),
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Usage(message) => f.write_str(message),
            Failure::Encode(e) => fmt::Display::fmt(e, f),
            Failure::Api(e) => fmt::Display::fmt(e, f),
            Failure::Malformed(e) => fmt::Display::fmt(e, f),
            Failure::Transport { message, .. } => f.write_str(message),
        }
    }
}

/// Sorts an adapter's error. Both adapters give the core's [`TransportError`], whose text is
/// token-free; the printer redacts once more anyway.
impl From<botapi_proto::Error<TransportError>> for Failure {
    fn from(error: botapi_proto::Error<TransportError>) -> Self {
        match error {
            botapi_proto::Error::Encode(e) => Failure::Encode(e),
            botapi_proto::Error::Api(e) => Failure::Api(e),
            botapi_proto::Error::Malformed(e) => Failure::Malformed(e),
            botapi_proto::Error::Transport(t) => Failure::Transport {
                kind: t.kind().as_str(),
                message: t.to_string(),
            },
            // A kind of failure added to the core later: no usable answer, so exit 4.
            other => Failure::Transport {
                kind: "other",
                message: other.to_string(),
            },
        }
    }
}

fn malformed_kind_word(kind: MalformedKind) -> &'static str {
    match kind {
        MalformedKind::Empty => "empty",
        MalformedKind::NotJson => "not_json",
        MalformedKind::Truncated => "truncated",
        MalformedKind::NotEnvelope => "not_envelope",
        MalformedKind::MissingResult => "missing_result",
        MalformedKind::UnexpectedResult => "unexpected_result",
        _ => "other",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use botapi_proto::Client;
    use botapi_proto::http::StatusCode;

    fn decode_failure(status: u16, body: &str) -> Failure {
        let client = Client::new("5:SENTINELsecret".parse().unwrap());
        let status = StatusCode::from_u16(status).unwrap();
        match client.decode_as::<Value>("getMe", status, body.as_bytes()) {
            Err(botapi_proto::DecodeError::Api(e)) => Failure::Api(e),
            Err(botapi_proto::DecodeError::Malformed(e)) => Failure::Malformed(e),
            other => panic!("expected an error, got {other:?}"),
        }
    }

    #[test]
    fn api_errors_exit_3_and_print_the_envelope_as_sent() {
        let failure = decode_failure(
            400,
            r#"{"ok":false,"error_code":400,"description":"Bad Request: group chat was upgraded to a supergroup chat","parameters":{"migrate_to_chat_id":-1009007199254740993}}"#,
        );
        assert_eq!(failure.exit_status(), EXIT_API);
        let doc = failure.to_json().unwrap();
        assert_eq!(
            doc["parameters"]["migrate_to_chat_id"].as_i64(),
            Some(-1009007199254740993)
        );
        assert_eq!(doc["ok"], false);
        assert_eq!(doc["error_code"], 400);
    }

    #[test]
    fn html_from_a_proxy_exits_4_and_names_the_status() {
        let failure = decode_failure(502, "<html><body>502 Bad Gateway</body></html>");
        assert_eq!(failure.exit_status(), EXIT_TRANSPORT);
        assert!(failure.to_string().contains("HTTP 502"), "{failure}");
        let doc = failure.to_json().unwrap();
        assert_eq!(doc["error"], "malformed");
        assert_eq!(doc["kind"], "not_json");
        assert_eq!(doc["status"], 502);
    }

    #[test]
    fn usage_errors_exit_2_and_leave_stdout_empty() {
        let failure = Failure::Usage("no bot token".into());
        assert_eq!(failure.exit_status(), EXIT_USAGE);
        assert!(failure.to_json().is_none());
        let encode = Failure::Encode(EncodeError::InvalidMethodName { name: "a b".into() });
        assert_eq!(encode.exit_status(), EXIT_USAGE);
    }

    #[test]
    fn transport_failures_exit_4_with_a_kind_for_scripts() {
        let failure = Failure::Transport {
            kind: "timeout",
            message: "getMe: timed out after 1 s".into(),
        };
        assert_eq!(failure.exit_status(), EXIT_TRANSPORT);
        assert_eq!(failure.to_string(), "getMe: timed out after 1 s");
        assert_eq!(
            failure.to_json().unwrap(),
            json!({"ok": false, "error": "transport", "kind": "timeout",
                   "description": "getMe: timed out after 1 s"})
        );
    }
}
