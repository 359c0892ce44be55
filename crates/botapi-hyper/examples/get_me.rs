//! Calls `getMe` through botapi-hyper against an in-process Bot API emulator, then shows how
//! a refusal comes back: typed, with its `retry_after`.
//!
//! Run with `cargo run -p botapi-hyper --example hyper_get_me`.

use botapi_emulator::{Emulator, Fault};
use botapi_proto::methods::GetMe;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let emulator = Emulator::start()?;
    println!("emulator listening on {}", emulator.api_url());
    // `emulator.client()` is a core client for the emulator's bot; with the cloud it would be
    // `botapi_proto::Client::new(token)`.
    let client = botapi_hyper::Client::new(emulator.client());

    let me = client.send(&GetMe::new()).await?;
    println!(
        "getMe: {} (id {}, @{})",
        me.first_name,
        me.id,
        me.username.unwrap_or_default()
    );

    emulator.inject("getMe", Fault::TooManyRequests { retry_after: 5 }, 1);
    match client.send(&GetMe::new()).await {
        Err(botapi_hyper::Error::Api(e)) => {
            println!("refused: {e}; retry after {:?}", e.retry_after())
        }
        other => println!("unexpected: {other:?}"),
    }
    Ok(())
}
