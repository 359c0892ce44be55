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
        /// Send again up to N times after a failure, only where that is safe: always after
        /// flood control (429), never after a failure that may have run a method that
        /// changes something. Each resend is one line on stderr.
        #[arg(long, value_name = "N", default_value_t = 0)]
        retries: u32,
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
    /// Long-poll for updates and print each on stdout, one JSON object per line, as the
    /// server sent it. Stops after --count updates, or on SIGINT or SIGTERM after the update
    /// being printed; either way it first confirms exactly the printed updates, so the next
    /// run starts with the next one.
    Updates(UpdatesArgs),
    /// Walk through getMe, logOut, close and two typical errors against a Bot API emulator
    /// started inside this process. Needs no token and no network.
    Demo,
}

/// The options of `updates`.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct UpdatesArgs {
    /// At most this many updates per request (1 to 100).
    #[arg(long, value_name = "N", default_value_t = 100,
        value_parser = clap::value_parser!(u8).range(1..=100))]
    pub(crate) limit: u8,
    /// How long the server may hold each request waiting for updates, in seconds (0 to
    /// 50); the global --timeout is added on top of it for the HTTP timeout.
    #[arg(long, value_name = "SECONDS", default_value_t = 30,
        value_parser = clap::value_parser!(u32).range(0..=50))]
    pub(crate) poll_timeout: u32,
    /// Stop after printing this many updates.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub(crate) count: Option<u64>,
    /// Only these update kinds, comma-separated (message,callback_query,…); remembered by
    /// the server until changed.
    #[arg(long, value_name = "KIND,...", value_parser = parse_kinds)]
    pub(crate) allowed_updates: Option<Kinds>,
}

/// Update kinds as `--allowed-updates` takes them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Kinds(pub(crate) Vec<String>);

/// A comma-separated list of update kinds; an empty one asks for the server's default.
fn parse_kinds(text: &str) -> Result<Kinds, String> {
    let kinds: Vec<String> = text
        .split(',')
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .map(str::to_owned)
        .collect();
    match kinds
        .iter()
        .find(|k| !k.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'))
    {
        Some(bad) => Err(format!(
            "{bad:?} is not an update kind (such as message or callback_query)"
        )),
        None => Ok(Kinds(kinds)),
    }
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
    fn updates_options_default_and_check_their_ranges() {
        let cli = Cli::try_parse_from(["botapi", "updates"]).expect("parses");
        let Command::Updates(args) = cli.command else {
            panic!("{:?}", cli.command)
        };
        assert_eq!((args.limit, args.poll_timeout, args.count), (100, 30, None));
        assert_eq!(args.allowed_updates, None);
        let cli = Cli::try_parse_from([
            "botapi",
            "updates",
            "--limit=5",
            "--poll-timeout",
            "0",
            "--count",
            "3",
            "--allowed-updates",
            "message, callback_query,",
        ])
        .expect("parses");
        let Command::Updates(args) = cli.command else {
            panic!("{:?}", cli.command)
        };
        assert_eq!((args.limit, args.poll_timeout, args.count), (5, 0, Some(3)));
        let kinds = args.allowed_updates.unwrap().0;
        assert_eq!(kinds, ["message", "callback_query"]);
        for bad in [
            &["--limit", "0"][..],
            &["--limit", "101"],
            &["--poll-timeout", "51"],
            &["--count", "0"],
            &["--allowed-updates", "Message"],
        ] {
            let mut argv = vec!["botapi", "updates"];
            argv.extend_from_slice(bad);
            assert!(Cli::try_parse_from(&argv).is_err(), "{bad:?}");
        }
        let cli = Cli::try_parse_from(["botapi", "call", "getMe", "--retries", "2"]).unwrap();
        assert!(matches!(cli.command, Command::Call { retries: 2, .. }));
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
