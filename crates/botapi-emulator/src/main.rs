//! `botapi-emulator`: runs the Bot API emulator as a server until stopped.
//!
//! Prints the base URL on the first line of standard output, then the bots it serves.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::process::ExitCode;
use std::time::Duration;

use botapi_emulator::{Builder, DEFAULT_TOKEN, FloodControl, default_bot};
use botapi_proto::Token;
use botapi_proto::types::User;

const USAGE: &str = "\
usage: botapi-emulator [--host ADDR] [--port PORT] [--token TOKEN]... [--logout-lockout SECONDS]
                       [--no-flood-control]

A Telegram Bot API server for tests and demos.

  --host ADDR               address to listen on (default 127.0.0.1)
  --port PORT               port to listen on; 0 picks a free one (default 8081)
  --token TOKEN             register a bot with this token; repeat for more
                            (default: one bot with the public test token, printed at start)
  --logout-lockout SECONDS  how long a bot is refused after logOut (default 600)
  --no-flood-control        never answer 429 (by default messages sent faster than
                            Telegram allows get 429 with retry_after, as on the real server)
  -h, --help                print this help";

/// What the command line asks for.
struct Options {
    host: IpAddr,
    port: u16,
    tokens: Vec<Token>,
    logout_lockout: Duration,
    flood_control: bool,
}

/// Reads the arguments; `Ok(None)` means help was asked for. Error messages never repeat a
/// `--token` value.
fn parse(args: impl IntoIterator<Item = String>) -> Result<Option<Options>, String> {
    let mut options = Options {
        host: IpAddr::V4(Ipv4Addr::LOCALHOST),
        port: 8081,
        tokens: Vec::new(),
        logout_lockout: Duration::from_secs(600),
        flood_control: true,
    };
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => {
                (flag.to_owned(), Some(value.to_owned()))
            }
            _ => (arg, None),
        };
        if flag == "-h" || flag == "--help" {
            return Ok(None);
        }
        if flag == "--no-flood-control" && inline.is_none() {
            options.flood_control = false;
            continue;
        }
        let mut value = || {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        match flag.as_str() {
            "--host" => {
                let v = value()?;
                options.host = v
                    .parse()
                    .map_err(|_| format!("--host: {v:?} is not an IP address"))?;
            }
            "--port" => {
                let v = value()?;
                options.port = v
                    .parse()
                    .map_err(|_| format!("--port: {v:?} is not a port number"))?;
            }
            "--token" => {
                let token = value()?
                    .parse::<Token>()
                    .map_err(|e| format!("--token: invalid token: {e}"))?;
                options.tokens.push(token);
            }
            "--logout-lockout" => {
                let v = value()?;
                let seconds: u64 = v
                    .parse()
                    .map_err(|_| format!("--logout-lockout: {v:?} is not a number of seconds"))?;
                options.logout_lockout = Duration::from_secs(seconds);
            }
            _ => return Err(format!("unknown argument {flag:?}")),
        }
    }
    Ok(Some(options))
}

/// The `getMe` answer for a bot registered with `--token`.
fn user_for(token: &Token) -> User {
    if token.expose_secret() == DEFAULT_TOKEN {
        return default_bot();
    }
    let id = token.bot_id();
    let mut user = default_bot();
    user.id = id;
    user.first_name = format!("Emulator Bot {id}").into();
    user.username = Some(format!("emulator_{id}_bot").into());
    user
}

fn main() -> ExitCode {
    let options = match parse(std::env::args().skip(1)) {
        Ok(Some(options)) => options,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("botapi-emulator: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("botapi-emulator: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(serve(options)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("botapi-emulator: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(options: Options) -> std::io::Result<()> {
    let mut builder = Builder::default()
        .logout_lockout(options.logout_lockout)
        .record_requests(false)
        .flood_control(options.flood_control.then(FloodControl::default));
    for token in &options.tokens {
        builder = builder.bot(token.clone(), user_for(token));
    }
    let addr = SocketAddr::new(options.host, options.port);
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| std::io::Error::new(e.kind(), format!("cannot listen on {addr}: {e}")))?;
    let bound = listener.local_addr()?;
    println!("http://{bound}");
    if options.tokens.is_empty() {
        println!("bot {}: token {DEFAULT_TOKEN}", default_bot().id);
    }
    for token in &options.tokens {
        if token.expose_secret() == DEFAULT_TOKEN {
            println!("bot {}: token {DEFAULT_TOKEN}", token.bot_id());
        } else {
            println!("bot {}: token given with --token", token.bot_id());
        }
    }
    let flood = if options.flood_control { "on" } else { "off" };
    println!(
        "logOut lockout: {} s; flood control {flood}; stop with Ctrl-C",
        options.logout_lockout.as_secs()
    );
    builder.serve(listener).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn parses_every_flag_in_both_forms() {
        let options = parse(args(&[
            "--host",
            "0.0.0.0",
            "--port=0",
            "--token",
            "42:abc",
            "--token=43:def",
            "--logout-lockout",
            "5",
        ]))
        .unwrap()
        .unwrap();
        assert_eq!(options.host, IpAddr::V4(Ipv4Addr::UNSPECIFIED));
        assert_eq!(options.port, 0);
        assert_eq!(options.tokens.len(), 2);
        assert_eq!(options.tokens[1].bot_id(), 43);
        assert_eq!(options.logout_lockout, Duration::from_secs(5));
        assert!(
            options.flood_control,
            "flood control is on unless turned off"
        );
        let off = parse(args(&["--no-flood-control"])).unwrap().unwrap();
        assert!(!off.flood_control);
        assert!(parse(args(&["--no-flood-control=1"])).is_err());
        assert!(parse(args(&["--help"])).unwrap().is_none());
    }

    #[test]
    fn errors_never_repeat_a_token() {
        let secret = "SENTINELsecret";
        for bad in [format!("42:{secret}/x"), format!("x{secret}")] {
            let message = parse(args(&["--token", &bad])).err().unwrap();
            assert!(!message.contains(secret), "{message}");
        }
        assert!(parse(args(&["--port"])).is_err());
        assert!(parse(args(&["--port", "99999"])).is_err());
        assert!(parse(args(&["--bogus"])).is_err());
    }

    #[test]
    fn custom_bots_get_distinct_names() {
        let user = user_for(&"42:abc".parse().unwrap());
        assert_eq!(user.id, 42);
        assert_eq!(user.username.as_deref(), Some("emulator_42_bot"));
        assert_eq!(user_for(&DEFAULT_TOKEN.parse().unwrap()), default_bot());
    }
}
