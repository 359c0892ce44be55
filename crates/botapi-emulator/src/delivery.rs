//! Webhook delivery, as the real server does it: each bot with a webhook gets its pending
//! updates POSTed to its URL (with the secret header when one was set), up to
//! `max_connections` at once; an update leaves the queue only on a 2xx answer; a failure
//! pauses that bot's delivery with a delay that doubles each time, up to a cap; a method
//! named in a 2xx answer is executed. Each delivery runs on its own task under a timeout, so
//! a slow listener holds up only its own updates.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use botapi_proto::webhook::{SECRET_HEADER, allowed_in_reply};
use bytes::Bytes;
use http::header::CONTENT_TYPE;
use http_body_util::{BodyExt, Full, Limited};
use hyper_util::client::legacy::{self, connect::HttpConnector};
use hyper_util::rt::{TokioExecutor, TokioTimer};
use serde_json::Value;

use crate::log::RecordedRequest;
use crate::params::Params;
use crate::server;
use crate::state::{Shared, lock};

/// How long one delivery may take, answer included.
const DELIVERY_TIMEOUT: Duration = Duration::from_secs(10);
/// The first pause after a failed delivery; it doubles with each failure in a row.
const FIRST_BACKOFF: Duration = Duration::from_millis(50);
/// The longest pause.
const MAX_BACKOFF: Duration = Duration::from_secs(2);
/// The largest webhook answer read (a method call in it).
const MAX_ANSWER: usize = 1024 * 1024;
/// How often pending updates are looked at when nothing wakes the loop.
const TICK: Duration = Duration::from_millis(25);

type HttpClient = legacy::Client<HttpConnector, Full<Bytes>>;

/// What the delivery loop keeps between rounds.
#[derive(Default)]
struct Progress {
    /// `(bot id, update id)` of deliveries in flight.
    in_flight: HashSet<(i64, i64)>,
    /// Per bot: failures in a row and when delivery may resume.
    paused: HashMap<i64, (u32, Instant)>,
}

/// One delivery to make.
struct Job {
    bot_id: i64,
    token: String,
    update_id: i64,
    url: String,
    secret: Option<String>,
    body: Bytes,
}

/// Delivers until the runtime stops.
pub(crate) async fn run(shared: Arc<Shared>) {
    let mut connector = HttpConnector::new();
    connector.set_nodelay(true);
    let http: HttpClient = legacy::Client::builder(TokioExecutor::new())
        .timer(TokioTimer::new())
        .pool_timer(TokioTimer::new())
        .build(connector);
    let progress = Arc::new(Mutex::new(Progress::default()));
    loop {
        let changed = shared.updates_changed.notified();
        for job in jobs(&shared, &progress) {
            let (shared, progress, http) =
                (Arc::clone(&shared), Arc::clone(&progress), http.clone());
            tokio::spawn(async move {
                let delivered = tokio::time::timeout(DELIVERY_TIMEOUT, deliver(&http, &job)).await;
                finish(&shared, &progress, &job, delivered.ok().flatten());
            });
        }
        tokio::select! {
            () = changed => {}
            () = tokio::time::sleep(TICK) => {}
        }
    }
}

/// The deliveries to start now: per bot with a webhook and not paused, the oldest pending
/// updates not in flight, up to its `max_connections`.
fn jobs(shared: &Shared, progress: &Mutex<Progress>) -> Vec<Job> {
    let now = Instant::now();
    let mut progress = lock(progress);
    let mut bots = lock(&shared.bots);
    let mut jobs = Vec::new();
    for bot in bots.iter_mut() {
        let Some(webhook) = bot.webhook.clone() else {
            continue;
        };
        let bot_id = bot.token().bot_id();
        if progress
            .paused
            .get(&bot_id)
            .is_some_and(|(_, until)| *until > now)
        {
            continue;
        }
        bot.updates.drop_unwanted();
        let busy = progress
            .in_flight
            .iter()
            .filter(|(b, _)| *b == bot_id)
            .count();
        let room = usize::try_from(webhook.max_connections)
            .unwrap_or(1)
            .saturating_sub(busy);
        let pending = bot.updates.batch(i64::MIN, busy + room);
        for update in pending {
            let Some(update_id) = update.get("update_id").and_then(Value::as_i64) else {
                continue;
            };
            if jobs.len() >= room || !progress.in_flight.insert((bot_id, update_id)) {
                continue;
            }
            jobs.push(Job {
                bot_id,
                token: bot.token().expose_secret().to_owned(),
                update_id,
                url: webhook.url.clone(),
                secret: webhook.secret_token.clone(),
                body: Bytes::from(update.to_string()),
            });
        }
    }
    jobs
}

/// POSTs one update; the answer's body when the listener answered 2xx.
async fn deliver(http: &HttpClient, job: &Job) -> Option<Bytes> {
    let mut request = http::Request::post(&job.url).header(CONTENT_TYPE, "application/json");
    if let Some(secret) = &job.secret {
        request = request.header(SECRET_HEADER, secret);
    }
    let request = request.body(Full::new(job.body.clone())).ok()?;
    let response = http.request(request).await.ok()?;
    if !response.status().is_success() {
        return None;
    }
    let body = Limited::new(response.into_body(), MAX_ANSWER)
        .collect()
        .await;
    // The update was taken once the status came; an answer cut off only loses its method.
    Some(body.map(|b| b.to_bytes()).unwrap_or_default())
}

/// Records the outcome: a delivered update leaves the queue and its answer's method runs; a
/// failure pauses the bot.
fn finish(shared: &Shared, progress: &Mutex<Progress>, job: &Job, answer: Option<Bytes>) {
    let mut progress = lock(progress);
    progress.in_flight.remove(&(job.bot_id, job.update_id));
    let Some(answer) = answer else {
        let failures = progress.paused.get(&job.bot_id).map_or(0, |(n, _)| *n) + 1;
        let pause = FIRST_BACKOFF.saturating_mul(1 << failures.min(16).saturating_sub(1));
        progress.paused.insert(
            job.bot_id,
            (failures, Instant::now() + pause.min(MAX_BACKOFF)),
        );
        return;
    };
    progress.paused.remove(&job.bot_id);
    drop(progress);
    if let Some(bot) = lock(&shared.bots).by_id_mut(job.bot_id) {
        bot.updates.remove(job.update_id);
    }
    if let Ok(Value::Object(mut fields)) = serde_json::from_slice::<Value>(&answer) {
        let Some(Value::String(method)) = fields.remove("method") else {
            return;
        };
        if !allowed_in_reply(&method) {
            return;
        }
        let params = Params {
            fields,
            files: Vec::new(),
        };
        shared.log.push(RecordedRequest {
            method: method.clone(),
            http_method: "WEBHOOK-ANSWER".to_owned(),
            bot_id: Some(job.bot_id),
            params: Value::Object(params.fields.clone()),
            headers: Vec::new(),
            files: Vec::new(),
        });
        let _ = server::run_method(shared, &job.token, &method, &params, Ok(()));
    }
}
