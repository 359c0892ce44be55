// The buildbench echo bot (../shared/buildbench/run, ECHO_SRC=docs/buildbench/echo_botapi.rs)
// on the current API: the same program as the harness's own (long-poll, echo each text
// message back), with the Poller handing updates out one at a time.
use botapi_ureq::botapi_proto::{self, methods::SendMessage, poll::{Poller, PolledUpdate}, types::UpdateKind};
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let token: botapi_proto::Token = std::env::var("TELEGRAM_BOT_TOKEN")?.parse()?;
    let client = botapi_ureq::Client::new(botapi_proto::Client::new(token));
    let mut poller = Poller::new();
    loop {
        let batch = client.send(&poller.request())?;
        poller.on_updates(batch);
        while let Some(u) = poller.take() {
            if let PolledUpdate::Update(u) = u {
                if let UpdateKind::Message(m) = u.kind {
                    if let Some(t) = m.text { client.send(&SendMessage::new(m.chat.id, t))?; }
                }
            }
        }
    }
}
