//! The command line as clap reads it. Values are checked here (URL, timeout) so that a bad
//! one is a usage error with clap's message and exit status 2.

use std::path::PathBuf;
use std::time::Duration;

use botapi_proto::ApiUrl;
use clap::{Parser, Subcommand, ValueEnum};

/// How long a call may take when `--timeout` is not given.
pub(crate) const DEFAULT_TIMEOUT_SECS: &str = "30";

/// Talk to the Telegram Bot API: check a token, move a bot between servers, call any method.
///
/// The bot token is read from the TELEGRAM_BOT_TOKEN environment variable or from the file
/// given with --token-file, never from an argument (other users of the machine can read
/// arguments). It never appears in any output.
///
/// Exit status: 0 success, 2 usage or configuration error, 3 the Bot API answered with an
/// error, 4 transport or protocol failure (no connection, timeout, TLS, body too large, an
/// answer that is not a Bot API answer).
#[derive(Debug, Parser)]
#[command(name = "botapi", version, max_term_width = 100)]
pub(crate) struct Cli {
    /// Base URL of the Bot API server, e.g. http://127.0.0.1:8081 for a local server.
    #[arg(long, value_name = "URL", default_value = botapi_proto::CLOUD_API_URL,
        value_parser = parse_api_url, global = true)]
    pub(crate) api_url: ApiUrl,

    /// Read the bot token from this file (one trailing newline is ignored) instead of
    /// TELEGRAM_BOT_TOKEN.
    #[arg(long, value_name = "PATH", global = true)]
    pub(crate) token_file: Option<PathBuf>,

    /// The HTTP client: ureq (blocking, the default: a one-shot command needs no async
    /// runtime) or hyper (async, on a single-threaded tokio runtime).
    #[arg(long, value_enum, default_value_t = TransportName::Ureq, global = true)]
    pub(crate) transport: TransportName,

    /// Upper bound for the whole call (connect, send, wait, read), in seconds; fractions
    /// such as 0.5 are allowed.
    #[arg(long, value_name = "SECONDS", default_value = DEFAULT_TIMEOUT_SECS,
        value_parser = parse_timeout, global = true)]
    pub(crate) timeout: Duration,

    /// Print exactly one JSON document on stdout: the result, or the error.
    #[arg(long, global = true)]
    pub(crate) json: bool,

    /// What to do.
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Call getMe and print the bot: a quick check that the token works.
    GetMe,
    /// Call logOut: log the bot out of the cloud Bot API before moving it to a local server.
    LogOut,
    /// Call close: close the bot instance before moving it between local servers.
    Close,
    /// Call any method by name, with optional JSON parameters.
    Call {
        /// The method name, such as getWebhookInfo or sendMessage.
        method: String,
        /// The parameters as a JSON object, e.g. '{"chat_id":-1001234567890,"text":"hi"}'.
        #[arg(long, value_name = "JSON")]
        params: Option<String>,
        /// Upload the file at PATH as the parameter NAME, streamed from disk (repeatable).
        #[arg(long = "file", value_name = "NAME=PATH", value_parser = parse_file_arg)]
        files: Vec<(String, PathBuf)>,
    },
    /// Call getFile, then fetch the file (or copy it, when a local server answers an
    /// absolute path) through a temporary file: a failed download leaves nothing.
    Download {
        /// The file_id, from a message or from getFile.
        file_id: String,
        /// Where to write it (default: the last component of file_path, in the current
        /// directory).
        #[arg(long, value_name = "PATH")]
        output: Option<PathBuf>,
        /// Refuse a file larger than this many bytes.
        #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_DOWNLOAD)]
        max_size: u64,
    },
    /// Run a webhook listener and print each accepted update as one JSON line on stdout.
    /// Needs no bot token. The secret comes from --secret-file or TELEGRAM_WEBHOOK_SECRET.
    ServeWebhook {
        /// The address to listen on, e.g. 127.0.0.1:8443 (port 0 picks a free one).
        #[arg(long, value_name = "ADDR")]
        listen: std::net::SocketAddr,
        /// Read the secret (setWebhook's secret_token) from this file.
        #[arg(long, value_name = "PATH")]
        secret_file: Option<PathBuf>,
        /// Exit after this many updates.
        #[arg(long, value_name = "N")]
        count: Option<u64>,
        /// The largest body accepted, in bytes.
        #[arg(long, value_name = "BYTES", default_value_t = botapi_proto::webhook::DEFAULT_MAX_WEBHOOK_BODY)]
        max_body: usize,
        /// Serve HTTPS with this PEM certificate chain (needs --tls-key).
        #[arg(long, value_name = "PEM", requires = "tls_key")]
        tls_cert: Option<PathBuf>,
        /// The PEM private key of --tls-cert.
        #[arg(long, value_name = "PEM", requires = "tls_cert")]
        tls_key: Option<PathBuf>,
    },
    /// Walk through getMe, logOut, close and two typical errors against a Bot API emulator
    /// started inside this process. Needs no token and no network.
    Demo,
}

/// Which HTTP client sends the requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum TransportName {
    /// botapi-hyper: hyper 1 on tokio.
    Hyper,
    /// botapi-ureq: ureq 3, blocking.
    Ureq,
}

/// The default `--max-size` of `download`: 2000 MB, what a local server allows.
pub(crate) const DEFAULT_MAX_DOWNLOAD: u64 = 2000 * 1024 * 1024;

/// `NAME=PATH` of `--file`.
fn parse_file_arg(text: &str) -> Result<(String, PathBuf), String> {
    match text.split_once('=') {
        Some((name, path)) if !name.is_empty() && !path.is_empty() => {
            Ok((name.to_owned(), PathBuf::from(path)))
        }
        _ => Err("expected NAME=PATH, such as document=./report.pdf".to_owned()),
    }
}

fn parse_api_url(text: &str) -> Result<ApiUrl, String> {
    ApiUrl::new(text).map_err(|e| e.to_string())
}

/// Seconds as a positive, finite decimal number, at most a day.
fn parse_timeout(text: &str) -> Result<Duration, String> {
    let seconds: f64 = text
        .trim()
        .parse()
        .map_err(|_| "expected a number of seconds, such as 30 or 0.5".to_owned())?;
    if !(seconds > 0.0 && seconds <= 86_400.0) {
        return Err("must be more than 0 and at most 86400 seconds".to_owned());
    }
    Ok(Duration::from_secs_f64(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn clap_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn timeout_accepts_fractions_and_refuses_nonsense() {
        assert_eq!(parse_timeout("0.5"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_timeout("30"), Ok(Duration::from_secs(30)));
        for bad in ["0", "-1", "NaN", "inf", "abc", "", "86401"] {
            assert!(parse_timeout(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn global_options_may_follow_the_command() {
        let cli = Cli::try_parse_from(["botapi", "get-me", "--json", "--transport", "hyper"])
            .expect("parses");
        assert!(cli.json);
        assert_eq!(cli.transport, TransportName::Hyper);
        assert!(cli.api_url.is_cloud());
    }
}
