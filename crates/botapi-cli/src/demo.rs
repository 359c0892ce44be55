//! `botapi demo`: a guided walk through the commands against a Bot API emulator started in
//! this process, on loopback. It needs no token and no network, and it goes through the same
//! code as the real commands (the same adapters, the same messages).

use std::sync::Arc;
use std::time::Duration;

use botapi_emulator::{Emulator, Fault};
use botapi_proto::methods::{Close, GetMe, LogOut};
use botapi_proto::poll::Poller;
use botapi_proto::retry::RetryPolicy;
use botapi_proto::run::{BlockingUpdates, Notice, Observer, Sender};
use botapi_proto::{Client, Method, Token};
use serde_json::{Map, Value, json};

use crate::cli::TransportName;
use crate::commands::call_by_name;
use crate::failure::{EXIT_API, Failure};
use crate::output::{Printer, describe_bot, error_json_text};
use crate::transport::Connection;

/// A supergroup id beyond 32 bits, as real ones are.
const SUPERGROUP_ID: i64 = -1_001_234_567_890;
/// The flood-control wait the emulator asks for.
const RETRY_AFTER_SECS: i64 = 7;

/// Runs the walkthrough; `timeout` bounds every call as it does for the real commands.
pub(crate) fn run(timeout: Duration, printer: &mut Printer) -> Result<(), Failure> {
    let token: Token = botapi_emulator::DEFAULT_TOKEN
        .parse()
        .map_err(|e| Failure::Usage(format!("the emulator's demo token: {e}")))?;
    // The emulator's own bot, with no lockout after logOut, so that the second transport can
    // log in again at once (the real cloud makes a bot wait ten minutes).
    let emulator = Emulator::builder()
        .logout_lockout(Duration::ZERO)
        .record_requests(false)
        .start()
        .map_err(|e| Failure::Transport {
            kind: "io",
            message: format!("cannot start the emulator on loopback: {e}"),
        })?;
    let proto = Client::new(token).with_api_url(emulator.api_url());
    printer.redact_with(proto.redactor());
    let p = &*printer;

    p.out("botapi demo");
    p.out("===========");
    p.out(&format!(
        "A Bot API emulator is running inside this process at {}.",
        emulator.api_url()
    ));
    p.out("It stands in for Telegram: nothing leaves this machine and no token of yours is");
    p.out("needed. The demo uses the emulator's own bot token, which the environment variable");
    p.out(&format!(
        "TELEGRAM_BOT_TOKEN would hold; it shows as {}:<redacted> because botapi never",
        proto.token().bot_id()
    ));
    p.out("prints the secret part of a token.");

    for name in [TransportName::Ureq, TransportName::Hyper] {
        let transport = Connection::new(name, proto.clone(), timeout)?;
        walk_through(&transport, &proto, p)?;
    }
    show_errors(&emulator, &proto, timeout, p)?;
    show_running(&emulator, &proto, timeout, p)?;

    p.out("");
    p.out("Done. Against a real server, the same steps are:");
    p.out("  export TELEGRAM_BOT_TOKEN=...   (or --token-file PATH)");
    p.out("  botapi get-me");
    p.out("  botapi log-out                 (leave the cloud)");
    p.out("  botapi --api-url http://127.0.0.1:8081 get-me   (now on your local server)");
    p.out("Add --json for output a script can read. `botapi --help` lists everything.");
    Ok(())
}

/// getMe, logOut and close over one transport.
fn walk_through(transport: &Connection, proto: &Client, p: &Printer) -> Result<(), Failure> {
    let (label, about) = match transport.name() {
        TransportName::Ureq => ("ureq", "blocking, the default"),
        TransportName::Hyper => ("hyper", "async, on a tokio runtime"),
    };
    let prefix = format!("botapi --api-url {} --transport {label}", proto.api_url());
    p.out("");
    heading(
        p,
        &format!("getMe, logOut and close over {label} ({about})"),
    );

    let get_me = GetMe::new();
    announce(
        p,
        proto,
        &get_me,
        &format!("{prefix} get-me"),
        "Whose token is this?",
    );
    let me = transport.send(&get_me)?;
    for line in describe_bot(&me).lines() {
        p.out(&format!("    {line}"));
    }

    let log_out = LogOut::new();
    let why = "Log out of this server: the first step of moving from the cloud to a local server.";
    announce(p, proto, &log_out, &format!("{prefix} log-out"), why);
    let done = transport.send(&log_out)?;
    p.out(&format!("    result: {done} (logged out)"));

    let close = Close::new();
    let why = "Close the bot's instance: the first step of moving between local servers.";
    announce(p, proto, &close, &format!("{prefix} close"), why);
    let done = transport.send(&close)?;
    p.out(&format!("    result: {done} (closed)"));
    Ok(())
}

/// Prints why a call is made, the command a user would type, and the (redacted) URL it
/// goes to.
fn announce<M: Method>(p: &Printer, proto: &Client, method: &M, command: &str, why: &str) {
    p.out("");
    p.out(&format!("  # {why}"));
    p.out(&format!("  $ {command}"));
    p.out(&format!(
        "    POST {}",
        proto.redacted_url(method.method_name())
    ));
}

/// Flood control and a migrated group, as a user sees them.
fn show_errors(
    emulator: &Emulator,
    proto: &Client,
    timeout: Duration,
    p: &Printer,
) -> Result<(), Failure> {
    let transport = Connection::new(TransportName::Ureq, proto.clone(), timeout)?;
    let params = json!({"chat_id": SUPERGROUP_ID, "text": "hello"});
    let prefix = format!("botapi --api-url {}", proto.api_url());
    let command = format!("{prefix} call sendMessage --params '{params}'");

    p.out("");
    heading(p, "When the Bot API says no");
    p.out("");
    p.out("Flood control: the emulator is told to refuse the next sendMessage with 429, as");
    p.out("Telegram does when a bot sends too fast.");
    emulator.inject(
        "sendMessage",
        Fault::TooManyRequests {
            retry_after: RETRY_AFTER_SECS,
        },
        1,
    );
    let error = expect_api_error(&transport, &params, &command, proto, p)?;
    p.out(&format!(
        "    retry_after: {} s. Wait that long, then send again; botapi never retries on its own.",
        error.retry_after().unwrap_or_default().as_secs()
    ));

    p.out("");
    p.out("A group that became a supergroup: Telegram refuses messages to the old chat id and");
    p.out("names the new one.");
    emulator.inject(
        "sendMessage",
        Fault::Migrate {
            to_chat_id: SUPERGROUP_ID,
        },
        1,
    );
    let old_group = json!({"chat_id": -4_012_345_678_i64, "text": "hello"});
    let command = format!("{prefix} call sendMessage --params '{old_group}'");
    let error = expect_api_error(&transport, &old_group, &command, proto, p)?;
    p.out(&format!(
        "    migrate_to_chat_id: {}. Send to that chat id from now on.",
        error
            .migrate_to_chat_id()
            .map_or_else(|| "(missing)".to_owned(), |id| id.to_string())
    ));
    Ok(())
}

/// What a running bot needs: a resend that is safe, long polling that confirms only what
/// was taken, and a download that leaves nothing behind when it fails.
fn show_running(
    emulator: &Emulator,
    proto: &Client,
    timeout: Duration,
    p: &Printer,
) -> Result<(), Failure> {
    let prefix = format!("botapi --api-url {}", proto.api_url());
    let connection = Connection::new(TransportName::Ureq, proto.clone(), timeout)?;
    // As `--retries 2` sets it up, with each resend shown on stdout here (the command puts
    // it on stderr).
    let printer = p.clone();
    let observer: Observer = Arc::new(move |notice: &Notice<'_>| {
        if let Notice::Retrying { .. } = notice {
            printer.out(&format!("    warning: {notice}"));
        }
    });
    let sender = Sender::new()
        .retry(RetryPolicy::new().max_retries(2))
        .observe(observer);
    let connection = connection.with_sender(sender);

    p.out("");
    heading(p, "Running a bot");
    p.out("");
    p.out("With --retries, a call is sent again only when that cannot post it twice: after a");
    p.out("429 (Telegram did not run the call) it waits retry_after; a sendMessage that timed out");
    p.out("or got a 5xx may have run, so it is never resent. The emulator refuses the next");
    p.out("sendMessage once more, asking for a one-second wait:");
    emulator.inject("sendMessage", Fault::TooManyRequests { retry_after: 1 }, 1);
    let params = json!({"chat_id": SUPERGROUP_ID, "text": "hello again"});
    p.out("");
    p.out(&format!(
        "  $ {prefix} call sendMessage --params '{params}' --retries 2"
    ));
    let params: Map<String, Value> = params.as_object().cloned().unwrap_or_default();
    let sent = call_by_name(&connection, "sendMessage", params)?;
    p.out(&format!(
        "    sent after the wait: message_id {}",
        sent["message_id"]
    ));

    p.out("");
    p.out("Long polling hands each update out once and confirms only what it handed out. Three");
    p.out("updates wait, the last of a kind this version does not know; a first run takes two and");
    p.out("stops, a second run starts exactly where the first stopped:");
    let chat = json!({"id": 42, "type": "private", "first_name": "Ada"});
    for text in ["/start", "hello"] {
        emulator.push_update(
            json!({"message": {"message_id": 1, "date": 1, "chat": chat, "text": text}}),
        );
    }
    emulator.push_update(json!({"kind_from_bot_api_99": {"anything": true}}));
    for (run, count) in [(1, 2), (2, 1)] {
        p.out("");
        p.out(&format!(
            "  $ {prefix} updates --poll-timeout 0 --count {count}   (run {run})"
        ));
        let mut updates = BlockingUpdates::new(
            proto.clone(),
            connection.transport(),
            botapi_ureq::CLOCK,
            Poller::raw().timeout_secs(0),
        );
        for _ in 0..count {
            match updates.next() {
                Some(Ok(update)) => p.out(&format!("    {update}")),
                Some(Err(e)) => return Err(e.into()),
                None => break,
            }
        }
        updates.stop()?;
    }

    p.out("");
    p.out("A download goes through a temporary file renamed at the end: a failed one leaves");
    p.out("nothing at the output path.");
    let file_id = emulator.store_file("report.txt", &b"42 deployments, 0 incidents\n"[..]);
    let output = std::env::temp_dir().join(format!("botapi-demo-{}.txt", std::process::id()));
    p.out("");
    p.out(&format!(
        "  $ {prefix} download {file_id} --output {}",
        output.display()
    ));
    let shown = crate::download::run(&connection, &file_id, Some(&output), 1 << 20, p);
    let _ = std::fs::remove_file(&output);
    shown
}

/// Sends sendMessage, which the emulator was told to refuse, and shows the error as the
/// command shows it: the stderr line, the exit status and the `--json` document.
fn expect_api_error(
    transport: &Connection,
    params: &Value,
    command: &str,
    proto: &Client,
    p: &Printer,
) -> Result<Box<botapi_proto::ApiError>, Failure> {
    p.out("");
    p.out(&format!("  $ {command}"));
    p.out(&format!("    POST {}", proto.redacted_url("sendMessage")));
    let params: Map<String, Value> = params.as_object().cloned().unwrap_or_default();
    match call_by_name(transport, "sendMessage", params) {
        Err(Failure::Api(error)) => {
            // The same three things `botapi call` would show for this error.
            p.out(&format!("    stderr: error: {error}"));
            p.out(&format!("    exit status: {EXIT_API}"));
            p.out(&format!(
                "    with --json, stdout: {}",
                error_json_text(&error.to_envelope())
            ));
            Ok(error)
        }
        Err(other) => Err(other),
        Ok(result) => Err(Failure::Transport {
            kind: "other",
            message: format!(
                "sendMessage: the emulator was expected to refuse it, but answered {result}"
            ),
        }),
    }
}

fn heading(p: &Printer, text: &str) {
    p.out(text);
    p.out(&"-".repeat(text.chars().count()));
}
