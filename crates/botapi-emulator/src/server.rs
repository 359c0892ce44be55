//! The HTTP side: accepting connections, reading requests within limits, routing
//! `/bot<token>/<method>`, applying faults and sending answers.

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use http::request::Parts;
use http::{Request, Response};
use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use serde_json::Value;
use tokio::net::TcpListener;

use crate::bots::Access;
use crate::faults::Plan;
use crate::handlers::{self, Call, Outcome};
use crate::log::RecordedRequest;
use crate::long_poll::{self, PollRequest};
use crate::reply::{Reply, ReplyBody};
use crate::state::{Shared, lock};
use crate::{MAX_BODY_BYTES, files, generic, params};

/// How long a client may take to send a request's headers (also how long an idle
/// keep-alive connection stays open).
pub(crate) const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(30);
/// How long a client may take to send a request's body.
pub(crate) const BODY_READ_TIMEOUT: Duration = Duration::from_secs(60);

/// Accepts connections on `listener` until `stop` completes. Connections still open then
/// are dropped with the runtime (or by the caller of `serve`).
pub(crate) async fn run(
    shared: Arc<Shared>,
    listener: TcpListener,
    stop: impl Future<Output = ()>,
) {
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_READ_TIMEOUT);
    builder.http2().timer(TokioTimer::new());
    let builder = Arc::new(builder);
    tokio::pin!(stop);
    loop {
        let accepted = tokio::select! {
            () = &mut stop => return,
            accepted = listener.accept() => accepted,
        };
        match accepted {
            Ok((stream, _)) => {
                // Small answers should leave at once rather than wait for Nagle.
                let _ = stream.set_nodelay(true);
                let builder = Arc::clone(&builder);
                let shared = Arc::clone(&shared);
                tokio::spawn(async move {
                    let service = service_fn(move |request| answer(Arc::clone(&shared), request));
                    // A connection that fails (client gone, bad HTTP, timeout, a dropped
                    // answer) concerns only that client.
                    let _ = builder
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
            // Out of file descriptors and the like: wait for connections to close.
            Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
        }
    }
}

/// The error that makes hyper close a connection without answering.
#[derive(Debug)]
pub(crate) struct DropConnection;

impl fmt::Display for DropConnection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("connection dropped on purpose")
    }
}

impl std::error::Error for DropConnection {}

/// Where a request path leads.
#[derive(Debug, PartialEq)]
enum Route<'a> {
    /// `/bot<token>/<method>` with a method name of letters, digits and `_` (or none, which
    /// the real server treats as an unknown method).
    Bot { token: &'a str, method: &'a str },
    /// `/file/bot<token>/<file_path>`: a file download.
    File { token: &'a str, file_path: &'a str },
    /// Anything else.
    Elsewhere,
}

impl<'a> Route<'a> {
    fn of(path: &'a str) -> Self {
        if let Some((token, file_path)) = path
            .strip_prefix("/file/bot")
            .and_then(|rest| rest.split_once('/'))
        {
            return Route::File { token, file_path };
        }
        let Some((token, method)) = path
            .strip_prefix("/bot")
            .and_then(|rest| rest.split_once('/'))
        else {
            return Route::Elsewhere;
        };
        if !method
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_')
        {
            return Route::Elsewhere;
        }
        Route::Bot { token, method }
    }
}

/// The bot id of a well-formed token, `<digits>:<secret>`.
fn bot_id(token: &str) -> Option<i64> {
    token
        .parse::<botapi_proto::Token>()
        .ok()
        .map(|t| t.bot_id())
}

async fn answer(
    shared: Arc<Shared>,
    request: Request<Incoming>,
) -> Result<Response<ReplyBody>, DropConnection> {
    let (parts, body) = request.into_parts();
    let route = Route::of(parts.uri.path());
    let body = read_body(&parts, body).await;
    let (params, params_ok) = match &body {
        Ok(bytes) => {
            let content_type = parts
                .headers
                .get(CONTENT_TYPE)
                .and_then(|v| v.to_str().ok());
            params::read(parts.uri.query(), content_type, bytes)
        }
        Err(_) => (params::Params::default(), Ok(())),
    };
    shared.log.push(record(&parts, &route, &params));
    let body_error = match body {
        Ok(_) => None,
        Err(BodyError::Broken) => return Err(DropConnection),
        Err(e) => Some(e),
    };

    let (token, method) = match route {
        Route::Bot { token, method } => (token, method),
        Route::File { token, file_path } => return download(&shared, token, file_path).await,
        Route::Elsewhere => return Ok(Reply::not_found().into_response()),
    };
    if bot_id(token).is_none() {
        // The real server does not tell a malformed token from a wrong path.
        return Ok(Reply::not_found().into_response());
    }
    if !matches!(
        lock(&shared.bots).access(token, Instant::now()),
        Access::Ready(_)
    ) {
        return Ok(Reply::unauthorized().into_response());
    }
    let fault = lock(&shared.faults).take(method);
    let mut alteration = None;
    match fault.map(|f| f.plan()) {
        None => {}
        Some(Plan::Replace(reply)) => return Ok(reply.into_response()),
        Some(Plan::Drop) => return Err(DropConnection),
        Some(Plan::Delay(delay)) => tokio::time::sleep(delay).await,
        Some(Plan::Alter(a)) => alteration = Some(a),
    }

    if let Some(flood) = &shared.flood
        && body_error.is_none()
        && params_ok.is_ok()
        && botapi_proto::meta::method(method).is_some_and(|info| info.sends_message)
    {
        let bot = bot_id(token).unwrap_or_default();
        if let Some(refused) = lock(flood).check(bot, &params.fields, Instant::now()) {
            return Ok(refused.into_response());
        }
    }
    let reply = match (body_error, params_ok) {
        (Some(e), _) => e.reply(),
        // getUpdates may wait, so it runs here rather than under the lock.
        (None, Ok(())) if method.eq_ignore_ascii_case(GET_UPDATES) => {
            let request = PollRequest::read(&params.fields);
            long_poll::get_updates(&shared, token, request).await
        }
        (None, params_ok) => run_method(&shared, token, method, &params, params_ok),
    };
    let reply = match alteration {
        Some(a) => a.apply(reply),
        None => reply,
    };
    Ok(reply.into_response())
}

/// The name faults for file downloads are injected under (`emulator.inject("download", …)`).
pub(crate) const DOWNLOAD: &str = "download";

/// Serves a stored file: 401 for an unknown or locked-out bot, 404 for a path it has no
/// file at (and always in local mode, where files are not served), faults applied as to a
/// method called `download`.
async fn download(
    shared: &Shared,
    token: &str,
    file_path: &str,
) -> Result<Response<ReplyBody>, DropConnection> {
    let owner = match lock(&shared.bots).access(token, Instant::now()) {
        Access::Ready(bot) => bot.token().bot_id(),
        _ if bot_id(token).is_none() => return Ok(Reply::not_found().into_response()),
        _ => return Ok(Reply::unauthorized().into_response()),
    };
    let mut alteration = None;
    let fault = lock(&shared.faults).take(DOWNLOAD);
    match fault.map(|f| f.plan()) {
        None => {}
        Some(Plan::Replace(reply)) => return Ok(reply.into_response()),
        Some(Plan::Drop) => return Err(DropConnection),
        Some(Plan::Delay(delay)) => tokio::time::sleep(delay).await,
        Some(Plan::Alter(a)) => alteration = Some(a),
    }
    let data = lock(&shared.files).download(owner, file_path);
    let reply = match data {
        Some(data) => Reply::raw(200, "application/octet-stream", data),
        None => Reply::not_found(),
    };
    let reply = match alteration {
        Some(a) => a.apply(reply),
        None => reply,
    };
    Ok(reply.into_response())
}

/// The one method that may hold its request open.
const GET_UPDATES: &str = "getUpdates";

/// The normal answer to a call from a registered bot (other than a well-formed getUpdates).
pub(crate) fn run_method(
    shared: &Shared,
    token: &str,
    method: &str,
    params: &params::Params,
    params_ok: Result<(), params::ParamsError>,
) -> Reply {
    let mut bots = lock(&shared.bots);
    let now = Instant::now();
    // Check again: a delay may have let the bot log out meanwhile.
    let Access::Ready(bot) = bots.access(token, now) else {
        return Reply::unauthorized();
    };
    // The methods modelled in depth come first, so getMe costs one short scan.
    let answerer = match handlers::find(method) {
        Some(entry) => Answerer::Modelled(entry),
        None => match botapi_proto::meta::method(method) {
            Some(info) => Answerer::Generic(info),
            None => return Reply::error(404, "Not Found: method not found", None),
        },
    };
    if let Err(e) = params_ok {
        return Outcome::Refused {
            code: 400,
            description: e.to_string(),
        }
        .into_reply();
    }
    let owner = bot.token().bot_id();
    let mut files = lock(&shared.files);
    if let Err(description) = files::check_local_references(params, files.is_local()) {
        return Outcome::Refused {
            code: 400,
            description,
        }
        .into_reply();
    }
    files.store_uploads(owner, params);
    if method.eq_ignore_ascii_case("getFile") {
        // A stored file gets its real answer; any other id the plausible one, as before.
        let file_id = params.fields.get("file_id").map(params::text);
        if let Some(file) = file_id.and_then(|id| files.get_file(owner, &id)) {
            return Outcome::done(file).into_reply();
        }
    }
    drop(files);
    let any_webhook_url = shared.any_webhook_url;
    let outcome = match answerer {
        Answerer::Modelled(entry) => {
            let call = Call {
                params,
                now,
                any_webhook_url,
            };
            (entry.handler)(bot, &call)
        }
        Answerer::Generic(info) => generic::answer(bot, info, params),
    };
    drop(bots);
    if matches!(answerer, Answerer::Modelled(e) if e.wakes_pollers) {
        shared.updates_changed.notify_waiters();
    }
    outcome.into_reply()
}

/// Who answers a known method.
#[derive(Clone, Copy)]
enum Answerer {
    /// A handler that models the method in depth.
    Modelled(&'static handlers::Entry),
    /// The metadata: checked parameters and a plausible result.
    Generic(&'static botapi_proto::meta::MethodInfo),
}

/// Why a request body was not read.
#[derive(Debug)]
enum BodyError {
    /// Longer than [`MAX_BODY_BYTES`].
    TooLarge,
    /// Not all sent within [`BODY_READ_TIMEOUT`].
    TimedOut,
    /// The connection failed while reading; there is no one to answer.
    Broken,
}

impl BodyError {
    fn reply(self) -> Reply {
        match self {
            BodyError::TooLarge => Reply::error(413, "Request Entity Too Large", None),
            BodyError::TimedOut => Reply::error(408, "Request Timeout", None),
            BodyError::Broken => Reply::error(400, "Bad Request", None),
        }
    }
}

async fn read_body(parts: &Parts, body: Incoming) -> Result<Bytes, BodyError> {
    let declared = parts
        .headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_BODY_BYTES as u64) {
        return Err(BodyError::TooLarge);
    }
    let limited = Limited::new(body, MAX_BODY_BYTES);
    match tokio::time::timeout(BODY_READ_TIMEOUT, limited.collect()).await {
        Err(_) => Err(BodyError::TimedOut),
        Ok(Ok(collected)) => Ok(collected.to_bytes()),
        Ok(Err(e)) if e.is::<http_body_util::LengthLimitError>() => Err(BodyError::TooLarge),
        Ok(Err(_)) => Err(BodyError::Broken),
    }
}

/// The log entry for a request: never the token, only the method name and bot id.
fn record(parts: &Parts, route: &Route<'_>, params: &params::Params) -> RecordedRequest {
    let (method, bot_id) = match route {
        Route::Bot { token, method } => ((*method).to_owned(), bot_id(token)),
        Route::File { token, .. } => (DOWNLOAD.to_owned(), bot_id(token)),
        Route::Elsewhere => (String::new(), None),
    };
    RecordedRequest {
        method,
        http_method: parts.method.as_str().to_owned(),
        bot_id,
        params: Value::Object(params.fields.clone()),
        headers: parts
            .headers
            .iter()
            .map(|(name, value)| {
                let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
                (name.as_str().to_owned(), value)
            })
            .collect(),
        files: params.files.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes() {
        assert_eq!(
            Route::of("/bot1:abc/getMe"),
            Route::Bot {
                token: "1:abc",
                method: "getMe"
            }
        );
        assert_eq!(
            Route::of("/bot1:abc/"),
            Route::Bot {
                token: "1:abc",
                method: ""
            }
        );
        for path in ["/", "/bot1:abc", "/bot1:abc/get/Me", "/bot1:abc/get-Me"] {
            assert_eq!(Route::of(path), Route::Elsewhere, "{path}");
        }
    }

    #[test]
    fn file_routes() {
        assert_eq!(
            Route::of("/file/bot1:abc/documents/a.pdf"),
            Route::File {
                token: "1:abc",
                file_path: "documents/a.pdf"
            }
        );
    }

    #[test]
    fn bot_ids_come_only_from_well_formed_tokens() {
        assert_eq!(bot_id("42:abc"), Some(42));
        assert_eq!(bot_id("abc"), None);
        assert_eq!(bot_id("42:"), None);
    }
}
