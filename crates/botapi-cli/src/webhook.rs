//! `serve-webhook`: the webhook listener on the command line. Each accepted update is one
//! JSON line on stdout; everything else goes to stderr; the secret never appears.

use std::net::SocketAddr;
use std::path::Path;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use botapi_hyper::webhook::{
    Handler, Listener, ListenerRules, PolledUpdate, WebhookError, WebhookSecret,
};
use tokio::sync::mpsc;

use crate::failure::Failure;
use crate::output::Printer;

/// Where the secret comes from when no `--secret-file` is given.
pub(crate) const SECRET_ENV: &str = "TELEGRAM_WEBHOOK_SECRET";

/// What `serve-webhook` was given.
pub(crate) struct Options<'a> {
    pub(crate) listen: SocketAddr,
    pub(crate) secret_file: Option<&'a Path>,
    pub(crate) count: Option<u64>,
    pub(crate) max_body: usize,
    pub(crate) tls: Option<(&'a Path, &'a Path)>,
}

/// Listens until `--count` updates were printed, or SIGINT or SIGTERM.
pub(crate) fn serve(options: &Options<'_>, printer: &mut Printer) -> Result<(), Failure> {
    let secret = load_secret(options.secret_file, std::env::var_os(SECRET_ENV))?;
    if let Some(secret) = &secret {
        printer.hide(secret.expose_secret());
    } else {
        printer.err(
            "warning: no secret (--secret-file or TELEGRAM_WEBHOOK_SECRET): every request is taken",
        );
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::Usage(format!("cannot start the async runtime: {e}")))?;
    runtime.block_on(listen(options, secret, printer))
}

async fn listen(
    options: &Options<'_>,
    secret: Option<WebhookSecret>,
    printer: &Printer,
) -> Result<(), Failure> {
    let rules = ListenerRules::new(secret).max_body(options.max_body);
    let mut listener = Listener::bind(options.listen, rules)
        .await
        .map_err(|e| Failure::Usage(format!("cannot listen on {}: {e}", options.listen)))?;
    if let Some((cert, key)) = options.tls {
        listener = listener
            .tls_pem_files(cert, key)
            .map_err(|e| Failure::Usage(e.to_string()))?;
    }
    printer.err(&format!("listening on {}", listener.url()));
    let (handler, mut updates) = counted_channel(options.count);
    let running = listener.spawn(handler);
    let mut stop = Box::pin(stop_signal());
    let mut printed = 0u64;
    while options.count.is_none_or(|count| printed < count) {
        let update = tokio::select! {
            update = updates.recv() => update,
            () = &mut stop => None,
        };
        let Some(update) = update else { break };
        print(printer, &update);
        printed += 1;
    }
    // Every update answered 200 was handed over: stop taking more, then print what is
    // still in the channel, so nothing Telegram counts as delivered is lost.
    running.stop().await;
    while let Ok(update) = updates.try_recv() {
        print(printer, &update);
    }
    Ok(())
}

fn print(printer: &Printer, update: &PolledUpdate) {
    match update {
        PolledUpdate::Update(update) => printer.json_doc(update),
        PolledUpdate::Unreadable(raw) => printer.json_doc(&raw.raw),
        // A kind of update added to the core later: print what can be printed of it.
        other => printer.json_doc(&serde_json::json!({ "update_id": other.update_id() })),
    }
}

/// A handler that hands updates over through a channel and, with a `count`, takes no more
/// than that many (later ones get 503, and Telegram keeps them for later).
fn counted_channel(count: Option<u64>) -> (impl Handler, mpsc::Receiver<PolledUpdate>) {
    let (sender, receiver) = mpsc::channel(64);
    let taken = Arc::new(AtomicU64::new(0));
    let handler = move |update: PolledUpdate| {
        let (sender, taken) = (sender.clone(), Arc::clone(&taken));
        async move {
            let n = taken.fetch_add(1, Ordering::SeqCst);
            if count.is_some_and(|count| n >= count) {
                return Err(WebhookError::NotReceiving);
            }
            sender
                .send(update)
                .await
                .map(|()| None)
                .map_err(|_| WebhookError::NotReceiving)
        }
    };
    (handler, receiver)
}

/// SIGINT (Ctrl-C) or, on Unix, SIGTERM.
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

/// The secret from `file` (one trailing newline ignored) or from the environment; checked
/// against setWebhook's rules. Errors never quote it.
fn load_secret(
    file: Option<&Path>,
    env: Option<std::ffi::OsString>,
) -> Result<Option<WebhookSecret>, Failure> {
    let text = match (file, env) {
        (Some(path), _) => std::fs::read_to_string(path).map_err(|e| {
            Failure::Usage(format!(
                "cannot read the secret file {}: {e}",
                path.display()
            ))
        })?,
        (None, Some(value)) => value
            .into_string()
            .map_err(|_| Failure::Usage(format!("{SECRET_ENV} is not valid Unicode")))?,
        (None, None) => return Ok(None),
    };
    let text = text.strip_suffix('\n').unwrap_or(&text);
    let text = text.strip_suffix('\r').unwrap_or(text);
    WebhookSecret::new(text)
        .map(Some)
        .map_err(|e| Failure::Usage(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_checked_and_never_quoted() {
        let ok = load_secret(None, Some("abc_DEF-1".into()))
            .unwrap()
            .unwrap();
        assert_eq!(ok.expose_secret(), "abc_DEF-1");
        let e = load_secret(None, Some("SENTINEL secret".into())).unwrap_err();
        assert!(!e.to_string().contains("SENTINEL"), "{e}");
        assert_eq!(e.exit_status(), crate::failure::EXIT_USAGE);
        assert!(load_secret(None, None).unwrap().is_none());
    }
}
