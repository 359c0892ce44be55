//! One request in, one answer out: the listener's work for a request, as a hyper service
//! and as a plain async function for other stacks.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use botapi_proto::webhook::{ListenerRules, WebhookError, accepted};
use bytes::Bytes;
use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::body::Body;

use crate::handler::Handler;
use crate::listener::Timeouts;

/// The body of every answer.
pub type ResponseBody = Full<Bytes>;

/// The listener's answer to each request, to mount in any hyper server (it implements
/// [`hyper::service::Service`]) or to call from another stack through
/// [`WebhookService::handle`]. Cloning is cheap; clones share the handler.
pub struct WebhookService<H> {
    inner: Arc<Inner<H>>,
}

struct Inner<H> {
    rules: ListenerRules,
    body_timeout: Duration,
    handler: H,
}

impl<H> Clone for WebhookService<H> {
    fn clone(&self) -> Self {
        WebhookService {
            inner: Arc::clone(&self.inner),
        }
    }
}

impl<H> std::fmt::Debug for WebhookService<H> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookService")
            .field("rules", &self.inner.rules)
            .field("body_timeout", &self.inner.body_timeout)
            .finish_non_exhaustive()
    }
}

impl<H: Handler> WebhookService<H> {
    /// Answers by `rules`, handing accepted updates to `handler`; a body must arrive within
    /// the default body timeout ([`Timeouts::default`]).
    pub fn new(rules: ListenerRules, handler: H) -> Self {
        WebhookService::with_body_timeout(rules, handler, Timeouts::default().body)
    }

    /// Like [`WebhookService::new`], with another time limit for reading a body.
    pub fn with_body_timeout(rules: ListenerRules, handler: H, body_timeout: Duration) -> Self {
        WebhookService {
            inner: Arc::new(Inner {
                rules,
                body_timeout,
                handler,
            }),
        }
    }

    /// Answers one request: the head is judged first (a stranger's body is never read), then
    /// the body is read under the limit and the timeout, then the update goes to the handler.
    pub async fn handle<B>(&self, request: http::Request<B>) -> http::Response<ResponseBody>
    where
        B: Body,
        B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        self.answer(request).await.map(Full::new)
    }

    async fn answer<B>(&self, request: http::Request<B>) -> http::Response<Bytes>
    where
        B: Body,
        B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        let Inner {
            rules,
            body_timeout,
            handler,
        } = &*self.inner;
        let (parts, body) = request.into_parts();
        if let Err(refusal) = rules.check_head(&parts.method, &parts.headers) {
            return refusal.response();
        }
        let read = Limited::new(body, rules.body_limit()).collect();
        let bytes = match tokio::time::timeout(*body_timeout, read).await {
            Err(_) => return WebhookError::BodyTimedOut.response(),
            Ok(Err(e)) if e.is::<LengthLimitError>() => return rules.too_large().response(),
            // The client broke off; whatever is answered will not reach it.
            Ok(Err(_)) => return WebhookError::NotJson.response(),
            Ok(Ok(collected)) => collected.to_bytes(),
        };
        let update = match rules.read_body(&bytes) {
            Ok(update) => update,
            Err(refusal) => return refusal.response(),
        };
        match handler.handle(update).await {
            Ok(None) => accepted(),
            Ok(Some(reply)) => reply.into_response(),
            Err(refusal) => refusal.response(),
        }
    }
}

impl<H, B> hyper::service::Service<http::Request<B>> for WebhookService<H>
where
    H: Handler,
    B: Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    type Response = http::Response<ResponseBody>;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Infallible>> + Send>>;

    fn call(&self, request: http::Request<B>) -> Self::Future {
        let service = self.clone();
        Box::pin(async move { Ok(service.handle(request).await) })
    }
}
