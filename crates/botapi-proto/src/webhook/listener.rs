//! What a webhook listener answers, decided from the request alone: the rules every listener
//! (the `botapi-webhook` server, a handler mounted in another server, a test) applies the
//! same way. The server only reads the request and sends the answer.

use bytes::Bytes;
use http::header::{ALLOW, CONTENT_LENGTH, CONTENT_TYPE};
use http::{HeaderMap, HeaderValue, Method as HttpMethod, StatusCode};

use super::{WebhookError, WebhookSecret, read_body};
use crate::poll::PolledUpdate;

/// The largest webhook body a listener reads by default: 1 MiB. Telegram's updates are a few
/// KiB; this leaves room for the largest while bounding what a stranger can make it hold.
pub const DEFAULT_MAX_WEBHOOK_BODY: usize = 1024 * 1024;

/// How a listener judges a request: the secret it requires (if any) and its body limit.
///
/// In order: anything but `POST` is 405; a missing or wrong secret is 401 (checked before
/// the body is read, so a stranger's body is never read); a `Content-Length` above the limit
/// is 413 before reading, and so is a body that grows past it; a body that is not a JSON
/// object is 400; an update is accepted, and the listener answers 200 once it has handed it
/// over. An update this version cannot read is accepted too
/// ([`PolledUpdate::Unreadable`]): refusing it would make Telegram send it again and again.
///
/// ```
/// use botapi_proto::webhook::{ListenerRules, SECRET_HEADER, WebhookSecret};
///
/// let rules = ListenerRules::new(Some(WebhookSecret::new("s3cret")?));
/// let mut headers = http::HeaderMap::new();
/// let body = br#"{"update_id":1}"#;
/// let refused = rules.judge(&http::Method::POST, &headers, body).unwrap_err();
/// assert_eq!(refused.status(), http::StatusCode::UNAUTHORIZED);
/// headers.insert(SECRET_HEADER, "s3cret".parse()?);
/// assert_eq!(rules.judge(&http::Method::POST, &headers, body)?.update_id(), Some(1));
/// assert_eq!(rules.judge(&http::Method::GET, &headers, body).unwrap_err().status(), 405);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListenerRules {
    secret: Option<WebhookSecret>,
    max_body: usize,
}

impl ListenerRules {
    /// Rules requiring `secret` (none: any request is taken, for a listener that only
    /// Telegram can reach) with the default body limit.
    pub fn new(secret: Option<WebhookSecret>) -> Self {
        ListenerRules {
            secret,
            max_body: DEFAULT_MAX_WEBHOOK_BODY,
        }
    }

    /// The same rules with another body limit, in bytes.
    #[must_use]
    pub fn max_body(mut self, bytes: usize) -> Self {
        self.max_body = bytes;
        self
    }

    /// The body limit in bytes.
    pub fn body_limit(&self) -> usize {
        self.max_body
    }

    /// Judges the request line and headers, before the body is read.
    pub fn check_head(&self, method: &HttpMethod, headers: &HeaderMap) -> Result<(), WebhookError> {
        if method != HttpMethod::POST {
            return Err(WebhookError::MethodNotAllowed);
        }
        if let Some(secret) = &self.secret {
            secret.check(headers)?;
        }
        let announced = headers
            .get(CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok());
        if announced.is_some_and(|len| len > self.max_body as u64) {
            return Err(self.too_large());
        }
        Ok(())
    }

    /// Reads the body of a request whose head passed [`ListenerRules::check_head`].
    pub fn read_body(&self, body: &[u8]) -> Result<PolledUpdate, WebhookError> {
        if body.len() > self.max_body {
            return Err(self.too_large());
        }
        read_body(body)
    }

    /// The whole decision for a request held in memory: [`ListenerRules::check_head`], then
    /// [`ListenerRules::read_body`].
    pub fn judge(
        &self,
        method: &HttpMethod,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<PolledUpdate, WebhookError> {
        self.check_head(method, headers)?;
        self.read_body(body)
    }

    /// The refusal of a body that grew past the limit while it was read.
    pub fn too_large(&self) -> WebhookError {
        WebhookError::TooLarge {
            limit: self.max_body,
        }
    }
}

/// The answer to a request whose update was handed over: 200 with no body.
pub fn accepted() -> http::Response<Bytes> {
    http::Response::new(Bytes::new())
}

impl WebhookError {
    /// The HTTP status a listener answers this refusal with.
    pub fn status(&self) -> StatusCode {
        match self {
            WebhookError::MissingSecret | WebhookError::WrongSecret => StatusCode::UNAUTHORIZED,
            WebhookError::NotJson | WebhookError::NotAnUpdate => StatusCode::BAD_REQUEST,
            WebhookError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            WebhookError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            WebhookError::BodyTimedOut => StatusCode::REQUEST_TIMEOUT,
            WebhookError::NotReceiving => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    /// The whole answer: the status, and the reason as one line of plain text (it never
    /// holds the secret). A 405 names `POST` in `Allow`.
    pub fn response(&self) -> http::Response<Bytes> {
        let mut response = http::Response::new(Bytes::from(format!("{self}\n")));
        *response.status_mut() = self.status();
        let headers = response.headers_mut();
        headers.insert(
            CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        );
        if *self == WebhookError::MethodNotAllowed {
            headers.insert(ALLOW, HeaderValue::from_static("POST"));
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::webhook::SECRET_HEADER;

    fn with(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn each_refusal_has_its_status_in_order() {
        let rules =
            ListenerRules::new(Some(WebhookSecret::new("SENTINELsecret").unwrap())).max_body(20);
        let good = with(&[(SECRET_HEADER, "SENTINELsecret")]);
        let body = br#"{"update_id":5}"#;
        let status = |m: &HttpMethod, h: &HeaderMap, b: &[u8]| {
            rules.judge(m, h, b).map_err(|e| e.status().as_u16())
        };
        assert_eq!(status(&HttpMethod::GET, &HeaderMap::new(), b"x"), Err(405));
        assert_eq!(status(&HttpMethod::PUT, &good, body), Err(405));
        assert_eq!(status(&HttpMethod::POST, &HeaderMap::new(), body), Err(401));
        assert_eq!(
            status(
                &HttpMethod::POST,
                &with(&[(SECRET_HEADER, "SENTINELsecreT")]),
                body
            ),
            Err(401)
        );
        let announced = with(&[(SECRET_HEADER, "SENTINELsecret"), ("content-length", "21")]);
        assert_eq!(
            rules
                .check_head(&HttpMethod::POST, &announced)
                .unwrap_err()
                .status(),
            413
        );
        assert_eq!(status(&HttpMethod::POST, &good, &[b' '; 21]), Err(413));
        assert_eq!(status(&HttpMethod::POST, &good, b"[1]"), Err(400));
        assert_eq!(status(&HttpMethod::POST, &good, b"{"), Err(400));
        assert_eq!(
            rules
                .judge(&HttpMethod::POST, &good, body)
                .unwrap()
                .update_id(),
            Some(5)
        );
        assert_eq!(accepted().status(), StatusCode::OK);
    }

    #[test]
    fn refusals_answer_plain_text_without_the_secret() {
        let rules = ListenerRules::new(Some(WebhookSecret::new("SENTINELsecret").unwrap()));
        let wrong = with(&[(SECRET_HEADER, "SENTINELsecretX")]);
        let e = rules.judge(&HttpMethod::POST, &wrong, b"{}").unwrap_err();
        let response = e.response();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(
            &response.body()[..],
            b"webhook request has the wrong secret token\n"
        );
        assert!(!format!("{rules:?} {e:?}").contains("SENTINEL"));
        let e = rules.judge(&HttpMethod::DELETE, &wrong, b"").unwrap_err();
        assert_eq!(e.response().headers()[ALLOW], "POST");
    }
}
