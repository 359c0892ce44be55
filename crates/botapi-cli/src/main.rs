//! The `botapi` command: check a bot token (getMe), move a bot between Bot API servers
//! (logOut, close), call any method, print updates as they come (updates), or watch all of
//! it against a bundled emulator (demo).
//!
//! See `docs/CLI.md` for the commands, their output and exit statuses.

mod cli;
mod commands;
mod demo;
mod download;
mod failure;
mod output;
mod token_source;
mod transport;
mod updates;
mod uploads;
mod webhook;

use std::process::ExitCode;

use clap::Parser;

use crate::cli::{Cli, Command};
use crate::failure::Failure;
use crate::output::Printer;
use crate::transport::Connection;

fn main() -> ExitCode {
    // clap prints its own usage errors and exits with status 2, `--help` with 0.
    let cli = Cli::parse();
    let mut printer = Printer::new(cli.json);
    match run(cli, &mut printer) {
        Ok(()) => ExitCode::from(failure::EXIT_OK),
        Err(failure) => {
            printer.failure(&failure);
            failure.exit_code()
        }
    }
}

fn run(cli: Cli, printer: &mut Printer) -> Result<(), Failure> {
    let api_url = &cli.api_url;
    match &cli.command {
        Command::Demo => demo::run(cli.timeout, printer),
        Command::GetMe => commands::get_me(&connect(&cli, printer)?, api_url, printer),
        Command::LogOut => commands::log_out(&connect(&cli, printer)?, api_url, printer),
        Command::Close => commands::close(&connect(&cli, printer)?, api_url, printer),
        Command::Call {
            method,
            params,
            files,
            retries,
        } => {
            // A missing file is a usage error before the token is even read.
            let files = uploads::open_all(files)?;
            let transport = connect(&cli, printer)?;
            let transport = commands::with_retries(transport, *retries, printer);
            commands::call(&transport, method, params.as_deref(), files, printer)
        }
        Command::Download {
            file_id,
            output,
            max_size,
        } => {
            let transport = connect(&cli, printer)?;
            download::run(&transport, file_id, output.as_deref(), *max_size, printer)
        }
        Command::ServeWebhook {
            listen,
            secret_file,
            count,
            max_body,
            tls_cert,
            tls_key,
        } => {
            let tls = tls_cert.as_deref().zip(tls_key.as_deref());
            let options = webhook::Options {
                listen: *listen,
                secret_file: secret_file.as_deref(),
                count: *count,
                max_body: *max_body,
                tls,
            };
            webhook::serve(&options, printer)
        }
        Command::Updates(args) => updates::run(&connect(&cli, printer)?, args, printer),
    }
}

/// Loads and checks the token (before anything is sent), tells the printer to keep it out
/// of every line, and builds the chosen adapter.
fn connect(cli: &Cli, printer: &mut Printer) -> Result<Connection, Failure> {
    let token = token_source::load(
        cli.token_file.as_deref(),
        std::env::var_os(token_source::TOKEN_ENV),
    )
    .map_err(|e| Failure::Usage(e.to_string()))?;
    let proto = botapi_proto::Client::new(token).with_api_url(cli.api_url.clone());
    printer.redact_with(proto.redactor());
    Connection::new(cli.transport, proto, cli.timeout)
}
