//! A complete echo bot on botapi-ureq: long polling that confirms only what it handled,
//! replies paced to Telegram's flood limits, and resends only where that is safe.
//!
//! With `TELEGRAM_BOT_TOKEN` set it runs for real (on Telegram's cloud, or on the server in
//! `BOT_API_URL`) until stopped. Without it, it starts the in-process emulator, feeds it three
//! messages, echoes them and stops cleanly:
//!
//! ```sh
//! cargo run -p botapi-ureq --example echo_bot
//! TELEGRAM_BOT_TOKEN=123456:ABC… cargo run -p botapi-ureq --example echo_bot
//! ```

use botapi_emulator::Emulator;
use botapi_proto::methods::SendMessage;
use botapi_proto::poll::{PolledUpdate, Poller};
use botapi_proto::retry::RetryPolicy;
use botapi_proto::run::Sender;
use botapi_proto::throttle::ThrottleLimits;
use botapi_proto::types::{ReplyParameters, UpdateKind};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // A real bot, or the emulator with three messages waiting and a stop after them.
    let (proto, emulator, stop_after) = match std::env::var("TELEGRAM_BOT_TOKEN") {
        Ok(token) => {
            let mut proto = botapi_proto::Client::new(token.parse()?);
            if let Ok(url) = std::env::var("BOT_API_URL") {
                proto = proto.with_api_url(url.parse()?);
            }
            (proto, None, None)
        }
        Err(_) => {
            let emulator = Emulator::start()?;
            for (n, text) in ["hello", "how are you?", "bye"].into_iter().enumerate() {
                emulator.push_update(serde_json::json!({"message": {
                    "message_id": n + 1, "date": 1_767_225_600, "text": text,
                    "chat": {"id": 42, "type": "private"},
                    "from": {"id": 42, "is_bot": false, "first_name": "Ann"},
                }}));
            }
            (emulator.client(), Some(emulator), Some(3))
        }
    };

    // Replies wait for Telegram's limits (1 a second per chat with bursts, 20 a minute per
    // group, 30 a second overall) and are resent after a 429 or a failure before sending,
    // never after a failure that may have posted them.
    let sender = Sender::new()
        .throttle(ThrottleLimits::default())
        .retry(RetryPolicy::new());
    let client = botapi_ureq::Client::builder(proto).sender(sender).build();

    let mut updates = client.updates(Poller::new().timeout_secs(25));
    let mut handled = 0;
    for update in updates.by_ref() {
        // An error here is one polling cannot get past (a revoked token, a webhook set,
        // another instance polling): stop with it.
        match update? {
            PolledUpdate::Update(update) => {
                if let UpdateKind::Message(message) = update.kind
                    && let Some(text) = &message.text
                {
                    let reply = SendMessage::new(message.chat.id, text.clone())
                        .reply_parameters(ReplyParameters::new().message_id(message.message_id));
                    match client.send(&reply) {
                        Ok(sent) => println!("echoed {text:?} to chat {}", sent.chat.id),
                        // One failed reply must not stop the bot.
                        Err(e) => eprintln!("could not echo to chat {}: {e}", message.chat.id),
                    }
                }
            }
            PolledUpdate::Unreadable(raw) => eprintln!("skipped an update: {}", raw.error),
            _ => {}
        }
        handled += 1;
        if stop_after == Some(handled) {
            break;
        }
    }
    // Confirms exactly the updates handled, so a restart starts with the next one.
    updates.stop()?;
    drop(emulator);
    Ok(())
}
