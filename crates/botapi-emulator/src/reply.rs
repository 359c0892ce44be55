//! Answers: Bot API envelopes, and the response body type that can stream padding or break
//! off half way for the faults that need it.

use std::pin::Pin;
use std::task::{Context, Poll};
use std::{fmt, io};

use bytes::Bytes;
use http::header::{CONTENT_TYPE, HeaderValue};
use http::{Response, StatusCode};
use hyper::body::{Body, Frame, SizeHint};
use serde_json::Value;

/// The `Content-Type` of every envelope.
pub(crate) const JSON: &str = "application/json";

/// An answer before it becomes an HTTP response.
#[derive(Debug)]
pub(crate) struct Reply {
    pub(crate) status: StatusCode,
    pub(crate) content_type: Option<HeaderValue>,
    pub(crate) body: ReplyBody,
}

impl Reply {
    /// `{"ok":true,"result":…}`, with a `description` when the real server adds one
    /// (setWebhook and deleteWebhook do), its fields in the server's order.
    pub(crate) fn ok(result: Value, description: Option<&str>) -> Reply {
        let mut body = br#"{"ok":true,"result":"#.to_vec();
        push_json(&mut body, &result);
        if let Some(description) = description {
            body.extend_from_slice(br#","description":"#);
            push_json(&mut body, &Value::from(description));
        }
        body.push(b'}');
        Reply::json(StatusCode::OK, body)
    }

    /// `{"ok":false,"error_code":…,"description":…}` with the HTTP status equal to the code,
    /// and `parameters` when given: byte for byte the layout of the real server, so that
    /// clients are tested on what they will read.
    pub(crate) fn error(code: u16, description: &str, parameters: Option<Value>) -> Reply {
        let mut body = format!(r#"{{"ok":false,"error_code":{code},"description":"#).into_bytes();
        push_json(&mut body, &Value::from(description));
        if let Some(parameters) = parameters {
            body.extend_from_slice(br#","parameters":"#);
            push_json(&mut body, &parameters);
        }
        body.push(b'}');
        let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        Reply::json(status, body)
    }

    pub(crate) fn not_found() -> Reply {
        Reply::error(404, "Not Found", None)
    }

    pub(crate) fn unauthorized() -> Reply {
        Reply::error(401, "Unauthorized", None)
    }

    /// Any bytes with any status and content type; what cannot be expressed in HTTP
    /// (a status outside 200..=999, a content type that is not a header value) is replaced
    /// by a 500 or left out rather than refused.
    pub(crate) fn raw(status: u16, content_type: &str, body: Bytes) -> Reply {
        let status = StatusCode::from_u16(status)
            .ok()
            .filter(|s| !s.is_informational())
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let content_type = (!content_type.is_empty())
            .then(|| HeaderValue::from_str(content_type).ok())
            .flatten();
        Reply {
            status,
            content_type,
            body: ReplyBody::full(body),
        }
    }

    fn json(status: StatusCode, body: Vec<u8>) -> Reply {
        Reply {
            status,
            content_type: Some(HeaderValue::from_static(JSON)),
            body: ReplyBody::full(Bytes::from(body)),
        }
    }

    pub(crate) fn into_response(self) -> Response<ReplyBody> {
        let mut response = Response::new(self.body);
        *response.status_mut() = self.status;
        if let Some(content_type) = self.content_type {
            response.headers_mut().insert(CONTENT_TYPE, content_type);
        }
        response
    }
}

/// Spaces streamed as padding, from one static buffer so padding costs no memory.
static SPACES: [u8; 64 * 1024] = [b' '; 64 * 1024];

/// A response body: whole bytes, an envelope padded with whitespace as it streams, or bytes
/// followed by a broken connection.
#[derive(Debug)]
pub(crate) struct ReplyBody {
    kind: Kind,
}

#[derive(Debug)]
enum Kind {
    Full(Option<Bytes>),
    /// `head`, then `spaces` spaces, then `tail`.
    Padded {
        head: Option<Bytes>,
        spaces: usize,
        tail: Option<Bytes>,
    },
    /// `head`, then an error that makes the server drop the connection; the size hint
    /// promises `promised` bytes. `paused` marks the one `Pending` between the two, which
    /// lets hyper flush `head` to the socket before the error closes it.
    BrokenOff {
        head: Option<Bytes>,
        promised: u64,
        paused: bool,
    },
}

impl ReplyBody {
    pub(crate) fn full(bytes: Bytes) -> Self {
        ReplyBody {
            kind: Kind::Full(Some(bytes)),
        }
    }

    /// The body bytes, when they are all in memory.
    pub(crate) fn as_bytes(&self) -> Option<&Bytes> {
        match &self.kind {
            Kind::Full(bytes) => bytes.as_ref(),
            _ => None,
        }
    }

    /// `envelope` made `total` bytes long by whitespace before its closing `}`; JSON allows
    /// whitespace there, so the envelope stays valid. No padding when it is already as long.
    pub(crate) fn padded(envelope: Bytes, total: usize) -> Self {
        let Some(spaces) = total.checked_sub(envelope.len()).filter(|&n| n > 0) else {
            return ReplyBody::full(envelope);
        };
        if envelope.last() != Some(&b'}') {
            return ReplyBody::full(envelope);
        }
        let head = envelope.slice(..envelope.len() - 1);
        ReplyBody {
            kind: Kind::Padded {
                head: Some(head),
                spaces,
                tail: Some(Bytes::from_static(b"}")),
            },
        }
    }

    /// Sends `head`, having promised `promised` bytes, then breaks the connection.
    pub(crate) fn broken_off(head: Bytes, promised: usize) -> Self {
        ReplyBody {
            kind: Kind::BrokenOff {
                head: Some(head),
                promised: promised as u64,
                paused: false,
            },
        }
    }
}

/// The error a [`ReplyBody`] ends with to make hyper drop the connection mid-body.
#[derive(Debug)]
pub(crate) struct BrokenOff;

impl fmt::Display for BrokenOff {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("response broken off on purpose (fault injection)")
    }
}

impl std::error::Error for BrokenOff {}

impl From<BrokenOff> for io::Error {
    fn from(e: BrokenOff) -> Self {
        io::Error::other(e)
    }
}

impl Body for ReplyBody {
    type Data = Bytes;
    type Error = BrokenOff;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BrokenOff>>> {
        let this = self.get_mut();
        let next = match &mut this.kind {
            Kind::Full(bytes) => bytes.take().map(|b| Ok(Frame::data(b))),
            Kind::Padded { head, spaces, tail } => {
                if let Some(head) = head.take() {
                    Some(Ok(Frame::data(head)))
                } else if *spaces > 0 {
                    let n = (*spaces).min(SPACES.len());
                    *spaces -= n;
                    Some(Ok(Frame::data(Bytes::from_static(&SPACES[..n]))))
                } else {
                    tail.take().map(|b| Ok(Frame::data(b)))
                }
            }
            Kind::BrokenOff { head, paused, .. } => match head.take() {
                Some(head) => Some(Ok(Frame::data(head))),
                None if !*paused => {
                    *paused = true;
                    cx.waker().wake_by_ref();
                    return Poll::Pending;
                }
                None => Some(Err(BrokenOff)),
            },
        };
        Poll::Ready(next)
    }

    fn is_end_stream(&self) -> bool {
        match &self.kind {
            Kind::Full(bytes) => bytes.is_none(),
            Kind::Padded { head, spaces, tail } => head.is_none() && *spaces == 0 && tail.is_none(),
            Kind::BrokenOff { .. } => false,
        }
    }

    fn size_hint(&self) -> SizeHint {
        let len = |b: &Option<Bytes>| b.as_ref().map_or(0, |b| b.len() as u64);
        match &self.kind {
            Kind::Full(bytes) => SizeHint::with_exact(len(bytes)),
            Kind::Padded { head, spaces, tail } => {
                SizeHint::with_exact(len(head) + *spaces as u64 + len(tail))
            }
            Kind::BrokenOff { promised, .. } => SizeHint::with_exact(*promised),
        }
    }
}

/// Appends `value` as JSON, straight into the body.
fn push_json(out: &mut Vec<u8>, value: &Value) {
    // Cannot fail: a `Vec` takes every write, and every key of a `Value` map is a string.
    let _ = serde_json::to_writer(out, value);
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::BodyExt;
    use serde_json::json;

    async fn collect(body: ReplyBody) -> Result<Vec<u8>, BrokenOff> {
        Ok(body.collect().await?.to_bytes().to_vec())
    }

    #[tokio::test]
    async fn padding_keeps_the_envelope_valid_and_exact_in_length() {
        let envelope = Bytes::from_static(br#"{"ok":true,"result":true}"#);
        let body = ReplyBody::padded(envelope, 200_000);
        assert_eq!(body.size_hint().exact(), Some(200_000));
        let bytes = collect(body).await.unwrap();
        assert_eq!(bytes.len(), 200_000);
        let value: Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(value, json!({"ok": true, "result": true}));
    }

    #[tokio::test]
    async fn padding_never_shortens() {
        let envelope = Bytes::from_static(br#"{"ok":true,"result":true}"#);
        let bytes = collect(ReplyBody::padded(envelope.clone(), 3))
            .await
            .unwrap();
        assert_eq!(bytes, envelope);
    }

    #[tokio::test]
    async fn broken_off_body_sends_its_head_then_fails() {
        let body = ReplyBody::broken_off(Bytes::from_static(b"{\"ok\""), 40);
        assert_eq!(body.size_hint().exact(), Some(40));
        assert!(collect(body).await.is_err());
    }

    #[test]
    fn error_envelopes_carry_the_status_and_parameters() {
        let reply = Reply::error(
            429,
            "Too Many Requests: retry after 3",
            Some(json!({"retry_after": 3})),
        );
        assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
        let value: Value = serde_json::from_slice(reply.body.as_bytes().unwrap()).unwrap();
        assert_eq!(value["parameters"]["retry_after"], 3);
        assert_eq!(value["error_code"], 429);
        // The real server's layout, field for field.
        assert_eq!(
            &reply.body.as_bytes().unwrap()[..],
            br#"{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 3","parameters":{"retry_after":3}}"#
        );
        let reply = Reply::error(401, "Unauthorized", None);
        assert_eq!(
            &reply.body.as_bytes().unwrap()[..],
            br#"{"ok":false,"error_code":401,"description":"Unauthorized"}"#
        );
        let reply = Reply::ok(Value::Bool(true), Some("Webhook was set"));
        assert_eq!(
            &reply.body.as_bytes().unwrap()[..],
            br#"{"ok":true,"result":true,"description":"Webhook was set"}"#
        );
    }

    #[test]
    fn raw_replies_never_refuse_odd_input() {
        let reply = Reply::raw(42, "bad\nvalue", Bytes::new());
        assert_eq!(reply.status, StatusCode::INTERNAL_SERVER_ERROR);
        assert!(reply.content_type.is_none());
        assert_eq!(
            Reply::raw(101, "", Bytes::new()).status,
            StatusCode::INTERNAL_SERVER_ERROR
        );
        assert_eq!(
            Reply::raw(999, "text/plain", Bytes::new()).status.as_u16(),
            999
        );
    }
}
