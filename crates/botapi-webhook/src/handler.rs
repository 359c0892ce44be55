//! What the program gives the listener: something that takes each update.

use std::future::Future;

use botapi_proto::poll::PolledUpdate;
use botapi_proto::webhook::{WebhookError, WebhookReply};
use tokio::sync::mpsc;

/// What a [`Handler`] answers for one update: `Ok(None)` for a plain 200, `Ok(Some(reply))`
/// to have Telegram execute a method, `Err` to refuse (with
/// [`WebhookError::NotReceiving`] Telegram sends the update again later).
pub type HandlerResult = Result<Option<WebhookReply>, WebhookError>;

/// Takes each accepted update. The listener answers the request once the returned future
/// is done, so keep it short: hand the update over (a channel, a task) and return.
///
/// Any `Fn(PolledUpdate) -> impl Future<Output = HandlerResult>` that can be shared between
/// tasks is a handler.
pub trait Handler: Send + Sync + 'static {
    /// Takes one update.
    fn handle(&self, update: PolledUpdate) -> impl Future<Output = HandlerResult> + Send;
}

impl<F, Fut> Handler for F
where
    F: Fn(PolledUpdate) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = HandlerResult> + Send,
{
    fn handle(&self, update: PolledUpdate) -> impl Future<Output = HandlerResult> + Send {
        self(update)
    }
}

/// A handler that puts every update into a channel of `capacity`, and the receiving end.
/// The request is answered 200 once its update is in the channel; while the channel is
/// full the answer waits (Telegram then sends fewer at once); once the receiver is dropped,
/// requests get 503 and Telegram keeps the updates for later.
pub fn channel(capacity: usize) -> (impl Handler, mpsc::Receiver<PolledUpdate>) {
    let (sender, receiver) = mpsc::channel(capacity.max(1));
    let handler = move |update: PolledUpdate| {
        let sender = sender.clone();
        async move {
            match sender.send(update).await {
                Ok(()) => Ok(None),
                Err(_) => Err(WebhookError::NotReceiving),
            }
        }
    };
    (handler, receiver)
}
