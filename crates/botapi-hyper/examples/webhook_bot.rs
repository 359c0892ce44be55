//! A webhook bot: a listener takes updates and answers each text message with a method call
//! in the webhook answer (no request of its own). Here the in-process emulator delivers the
//! updates; with Telegram, call setWebhook with your public HTTPS URL (or put the listener
//! behind a reverse proxy) and the same secret.
//!
//! Run with `cargo run -p botapi-hyper --example webhook_bot`.

use std::time::Duration;

use botapi_emulator::Emulator;
use botapi_hyper::webhook::{Listener, ListenerRules, PolledUpdate, WebhookReply, WebhookSecret};
use botapi_proto::methods::{SendMessage, SetWebhook};
use botapi_proto::types::UpdateKind;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let emulator = Emulator::builder().deliver_webhooks(true).start()?;
    let client = botapi_hyper::Client::new(emulator.client());

    // A real bot draws these bytes from a cryptographic generator.
    let secret = WebhookSecret::generate(b"example-only-not-random-0123456789")?;
    let rules = ListenerRules::new(Some(secret.clone()));
    let listener = Listener::bind("127.0.0.1:0", rules).await?;
    // With TLS: `.tls_pem_files("cert.pem".as_ref(), "key.pem".as_ref())?`.
    let (done, mut answered) = tokio::sync::mpsc::channel::<i64>(1);
    let running = listener.spawn(move |update: PolledUpdate| {
        let done = done.clone();
        async move {
            let PolledUpdate::Update(update) = update else {
                return Ok(None); // one this version cannot read: take it anyway
            };
            let UpdateKind::Message(message) = update.kind else {
                return Ok(None);
            };
            let text = format!("you said: {}", message.text.as_deref().unwrap_or(""));
            let _ = done.send(message.chat.id).await;
            // sendMessage may go in a reply; a refused one would just not be sent.
            Ok(WebhookReply::new(&SendMessage::new(message.chat.id, text)).ok())
        }
    });
    println!("listening on {}", running.url());

    let hook =
        SetWebhook::new(format!("{}/hook", running.url())).secret_token(secret.expose_secret());
    client.send(&hook).await?;
    emulator.push_update(serde_json::json!({
        "message": {"message_id": 1, "date": 0, "chat": {"id": 42, "type": "private"}, "text": "hello"}
    }));
    let chat = tokio::time::timeout(Duration::from_secs(10), answered.recv()).await?;
    println!("answered chat {chat:?} in the webhook reply");
    running.stop().await;
    Ok(())
}
