//! The request log: what clients sent, kept so tests can assert on it.
//!
//! Entries never hold the token: the path is reduced to the method name and the bot id.

use std::sync::Mutex;

use serde_json::Value;

use crate::state::lock;

/// One request as the emulator received it.
///
/// The token's secret is never kept: only [`RecordedRequest::bot_id`], the part of the token
/// before `:`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct RecordedRequest {
    /// The Bot API method name from the path, as the client spelled it (empty when the path
    /// is not `/bot<token>/<method>`).
    pub method: String,
    /// The HTTP method: `"POST"`, `"GET"`, …
    pub http_method: String,
    /// The bot id from the token in the path, when the token is well formed.
    pub bot_id: Option<i64>,
    /// The parameters as a JSON object: the JSON body, the form fields (values that parse
    /// as JSON are kept as JSON, others as strings) or the query string. Empty when the body
    /// could not be read.
    pub params: Value,
    /// The request headers, names in lower case, in the order received.
    pub headers: Vec<(String, String)>,
    /// The file parts of a `multipart/form-data` body, in order.
    pub files: Vec<RecordedFile>,
}

impl RecordedRequest {
    /// The value of header `name` (compared without regard to case), if it was sent.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The parameter `name`, if it was sent.
    pub fn param(&self, name: &str) -> Option<&Value> {
        self.params.get(name)
    }

    /// The file part sent under the form field `field`, if any.
    pub fn file(&self, field: &str) -> Option<&RecordedFile> {
        self.files.iter().find(|f| f.field == field)
    }
}

/// A file part of a `multipart/form-data` request body.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct RecordedFile {
    /// The form field name.
    pub field: String,
    /// The file name the client gave.
    pub file_name: Option<String>,
    /// The part's `Content-Type`, if it had one.
    pub content_type: Option<String>,
    /// The exact bytes uploaded.
    pub data: Vec<u8>,
}

/// Every request received, in order (or nothing, when recording is off).
#[derive(Debug)]
pub(crate) struct RequestLog {
    enabled: bool,
    entries: Mutex<Vec<RecordedRequest>>,
}

impl RequestLog {
    pub(crate) fn new(enabled: bool) -> Self {
        RequestLog {
            enabled,
            entries: Mutex::new(Vec::new()),
        }
    }

    pub(crate) fn push(&self, request: RecordedRequest) {
        if self.enabled {
            lock(&self.entries).push(request);
        }
    }

    pub(crate) fn snapshot(&self) -> Vec<RecordedRequest> {
        lock(&self.entries).clone()
    }

    pub(crate) fn clear(&self) {
        lock(&self.entries).clear();
    }
}
