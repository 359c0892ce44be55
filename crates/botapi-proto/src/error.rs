//! What can go wrong: building a request, the Bot API refusing it, or an answer that is not
//! a Bot API answer at all. Every error here is free of the bot token.

use std::borrow::Cow;
use std::fmt;
use std::time::Duration;

use http::StatusCode;
use serde::de::{self, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

/// A request could not be built. Nothing was sent.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum EncodeError {
    /// The method name is empty or holds characters other than ASCII letters, digits and `_`.
    InvalidMethodName {
        /// The name as given.
        name: String,
    },
    /// The parameters could not be serialized.
    Serialize {
        /// The method being encoded.
        method: String,
        /// What serde reported.
        message: String,
    },
    /// The parameters serialized to something other than an object (a number, a list, …).
    ParametersNotAnObject {
        /// The method being encoded.
        method: String,
    },
    /// An upload appeared in the parameters that the method did not list in
    /// [`Method::uploads`](crate::Method::uploads). This is a bug in that method's
    /// implementation.
    UndeclaredUpload {
        /// The method being encoded.
        method: String,
    },
    /// A `Content-Type` given for an upload is not a valid header value.
    InvalidContentType {
        /// The method being encoded.
        method: String,
    },
    /// The request has a file that must be streamed from disk, and the transport in use
    /// only takes bodies held in memory.
    StreamingRequired {
        /// The method being encoded.
        method: String,
    },
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EncodeError::InvalidMethodName { name } => {
                write!(
                    f,
                    "invalid method name {name:?}: expected ASCII letters and digits"
                )
            }
            EncodeError::Serialize { method, message } => {
                write!(f, "{method}: cannot serialize parameters: {message}")
            }
            EncodeError::ParametersNotAnObject { method } => {
                write!(f, "{method}: parameters must serialize to a JSON object")
            }
            EncodeError::UndeclaredUpload { method } => {
                write!(
                    f,
                    "{method}: found an upload the method does not list in `uploads`"
                )
            }
            EncodeError::InvalidContentType { method } => {
                write!(
                    f,
                    "{method}: an upload's content type is not a valid header value"
                )
            }
            EncodeError::StreamingRequired { method } => write!(
                f,
                "{method}: the request streams a file from disk, which this transport cannot do"
            ),
        }
    }
}

impl std::error::Error for EncodeError {}

/// The answer to a request did not give the typed result: either the Bot API said no, or
/// what came back was not a Bot API answer.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecodeError {
    /// The Bot API answered `ok: false`.
    Api(Box<ApiError>),
    /// The answer was not a well-formed Bot API envelope with a result of the expected shape.
    Malformed(Box<MalformedResponse>),
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::Api(e) => fmt::Display::fmt(e, f),
            DecodeError::Malformed(e) => fmt::Display::fmt(e, f),
        }
    }
}

// Both variants are transparent: `Display` shows the inner error, so `source` skips it.
impl std::error::Error for DecodeError {}

/// The Bot API refused a request: an envelope with `ok: false`.
///
/// Everything Telegram sent is kept: the `error_code`, the `description`, and every field of
/// `parameters`, known or not. [`ApiError::kind`] sorts the error by its code, never by the
/// description text, which Telegram may reword at any time.
///
/// See <https://core.telegram.org/bots/api#making-requests> and
/// <https://core.telegram.org/bots/api#responseparameters>.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ApiError {
    /// The method that was called (borrowed for every generated method, whose name is fixed).
    pub method: Cow<'static, str>,
    /// The HTTP status of the answer.
    pub status: StatusCode,
    /// `error_code` from the envelope; `None` when the server left it out.
    pub error_code: Option<i64>,
    /// `description` from the envelope (empty when the server left it out).
    pub description: String,
    /// `parameters` from the envelope.
    pub parameters: ResponseParameters,
}

impl ApiError {
    /// The code that classifies this error: `error_code`, or the HTTP status when the
    /// envelope has none.
    pub fn code(&self) -> i64 {
        self.error_code.unwrap_or(i64::from(self.status.as_u16()))
    }

    /// A coarse classification, from [`ApiError::code`].
    pub fn kind(&self) -> ErrorKind {
        ErrorKind::from_code(self.code())
    }

    /// How long to wait before repeating the request (flood control, code 429).
    pub fn retry_after(&self) -> Option<Duration> {
        self.parameters
            .retry_after
            .map(|s| Duration::from_secs(s.max(0).unsigned_abs()))
    }

    /// The supergroup a group was upgraded to; repeat the request with this chat id.
    pub fn migrate_to_chat_id(&self) -> Option<i64> {
        self.parameters.migrate_to_chat_id
    }

    /// The error as a Bot API envelope (`ok`, `error_code`, `description`, `parameters`),
    /// as the server sent it. Fields the server left out stay out.
    pub fn to_envelope(&self) -> Value {
        let mut envelope = Map::new();
        envelope.insert("ok".into(), Value::Bool(false));
        if let Some(code) = self.error_code {
            envelope.insert("error_code".into(), code.into());
        }
        envelope.insert("description".into(), self.description.clone().into());
        if !self.parameters.is_empty() {
            let parameters = serde_json::to_value(&self.parameters).unwrap_or_default();
            envelope.insert("parameters".into(), parameters);
        }
        Value::Object(envelope)
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: Bot API error {}", self.method, self.code())?;
        if !self.description.is_empty() {
            write!(f, ": {}", self.description)?;
        }
        if let Some(retry_after) = self.parameters.retry_after {
            write!(f, " (retry after {retry_after} s)")?;
        }
        if let Some(chat_id) = self.parameters.migrate_to_chat_id {
            write!(f, " (migrated to chat {chat_id})")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

/// `parameters` of an error envelope: hints for repeating the request.
///
/// Fields Telegram adds later are kept in [`ResponseParameters::other`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ResponseParameters {
    /// The group moved to this supergroup id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub migrate_to_chat_id: Option<i64>,
    /// Seconds to wait before repeating the request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<i64>,
    /// Every other field, as sent.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

impl ResponseParameters {
    /// Whether no parameter was sent at all.
    pub fn is_empty(&self) -> bool {
        self.migrate_to_chat_id.is_none() && self.retry_after.is_none() && self.other.is_empty()
    }

    /// Reads `parameters` leniently, straight from the deserializer: a known field of an
    /// unexpected type is kept in `other` rather than failing the whole error, and anything
    /// but an object reads as no parameters.
    pub(crate) fn read_lenient<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Self, D::Error> {
        deserializer.deserialize_any(LenientParameters)
    }

    /// Sets a known field from its value, or keeps the value in `other` when it is not an
    /// integer. A later duplicate replaces an earlier one, as in a JSON object read whole.
    fn set_known(&mut self, key: KnownParameter, value: KnownValue) {
        let (slot, name) = match key {
            KnownParameter::MigrateToChatId => (&mut self.migrate_to_chat_id, "migrate_to_chat_id"),
            KnownParameter::RetryAfter => (&mut self.retry_after, "retry_after"),
        };
        match value {
            KnownValue::Int(n) => {
                *slot = Some(n);
                self.other.remove(name);
            }
            KnownValue::Other(value) => {
                *slot = None;
                self.other.insert(name.to_owned(), value);
            }
        }
    }
}

/// The value of a known parameter: the integer it should be, read without building a
/// `Value`, or whatever else was sent, kept as it was.
enum KnownValue {
    Int(i64),
    Other(Value),
}

impl<'de> Deserialize<'de> for KnownValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(KnownValueVisitor)
    }
}

struct KnownValueVisitor;

impl<'de> Visitor<'de> for KnownValueVisitor {
    type Value = KnownValue;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a parameter value")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<KnownValue, E> {
        Ok(KnownValue::Int(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<KnownValue, E> {
        Ok(i64::try_from(v).map_or(KnownValue::Other(Value::from(v)), KnownValue::Int))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<KnownValue, E> {
        Ok(KnownValue::Other(Value::from(v)))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<KnownValue, E> {
        Ok(KnownValue::Other(Value::Bool(v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<KnownValue, E> {
        Ok(KnownValue::Other(Value::String(v.to_owned())))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<KnownValue, E> {
        Ok(KnownValue::Other(Value::String(v)))
    }

    fn visit_unit<E: de::Error>(self) -> Result<KnownValue, E> {
        Ok(KnownValue::Other(Value::Null))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<KnownValue, A::Error> {
        Value::deserialize(de::value::SeqAccessDeserializer::new(seq)).map(KnownValue::Other)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<KnownValue, A::Error> {
        Value::deserialize(de::value::MapAccessDeserializer::new(map)).map(KnownValue::Other)
    }
}

#[derive(Clone, Copy)]
enum KnownParameter {
    MigrateToChatId,
    RetryAfter,
}

/// A key of `parameters`: one of the two this library reads, or any other, kept by name.
enum ParameterKey {
    Known(KnownParameter),
    Other(String),
}

impl<'de> Deserialize<'de> for ParameterKey {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(ParameterKeyVisitor)
    }
}

struct ParameterKeyVisitor;

impl Visitor<'_> for ParameterKeyVisitor {
    type Value = ParameterKey;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a parameter name")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<ParameterKey, E> {
        Ok(match key {
            "migrate_to_chat_id" => ParameterKey::Known(KnownParameter::MigrateToChatId),
            "retry_after" => ParameterKey::Known(KnownParameter::RetryAfter),
            other => ParameterKey::Other(other.to_owned()),
        })
    }
}

struct LenientParameters;

impl<'de> Visitor<'de> for LenientParameters {
    type Value = ResponseParameters;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("error parameters")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ResponseParameters, A::Error> {
        let mut parameters = ResponseParameters::default();
        while let Some(key) = map.next_key::<ParameterKey>()? {
            match key {
                ParameterKey::Known(known) => {
                    parameters.set_known(known, map.next_value::<KnownValue>()?);
                }
                ParameterKey::Other(name) => {
                    parameters.other.insert(name, map.next_value()?);
                }
            }
        }
        Ok(parameters)
    }

    // Anything but an object: no parameters (the array is read to its end).
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<ResponseParameters, A::Error> {
        IgnoredAny.visit_seq(seq)?;
        Ok(ResponseParameters::default())
    }

    fn visit_unit<E: de::Error>(self) -> Result<ResponseParameters, E> {
        Ok(ResponseParameters::default())
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<ResponseParameters, E> {
        Ok(ResponseParameters::default())
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<ResponseParameters, E> {
        Ok(ResponseParameters::default())
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<ResponseParameters, E> {
        Ok(ResponseParameters::default())
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<ResponseParameters, E> {
        Ok(ResponseParameters::default())
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<ResponseParameters, E> {
        Ok(ResponseParameters::default())
    }
}

/// A coarse class of [`ApiError`], decided from its code alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// 400: the request is wrong (bad parameter, chat not found, group migrated, …).
    BadRequest,
    /// 401: the token is not valid, or the bot logged out of this server.
    Unauthorized,
    /// 403: the bot may not do this (blocked by the user, kicked from the chat, …).
    Forbidden,
    /// 404: no such method (or, on some servers, a wrong token).
    NotFound,
    /// 409: conflicting use, such as two `getUpdates` at once or polling while a webhook is set.
    Conflict,
    /// 429: flood control; see [`ApiError::retry_after`].
    TooManyRequests,
    /// 5xx: the server failed.
    ServerError,
    /// Any other code.
    Other,
}

impl ErrorKind {
    /// The class of an error code.
    pub fn from_code(code: i64) -> Self {
        match code {
            400 => ErrorKind::BadRequest,
            401 => ErrorKind::Unauthorized,
            403 => ErrorKind::Forbidden,
            404 => ErrorKind::NotFound,
            409 => ErrorKind::Conflict,
            429 => ErrorKind::TooManyRequests,
            500..=599 => ErrorKind::ServerError,
            _ => ErrorKind::Other,
        }
    }
}

// The errors above are boxed inside `DecodeError` and `Error` so that a `Result` stays small
// on the success path, whatever the error carries.

/// An answer that is not a usable Bot API envelope: an HTML page from a proxy, an empty or
/// cut-off body, JSON of another shape, or a result that does not fit the method's type.
///
/// It keeps the HTTP status, where decoding stopped, and a short snippet of the body with the
/// bot token removed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct MalformedResponse {
    /// The method that was called (borrowed for every generated method, whose name is fixed).
    pub method: Cow<'static, str>,
    /// The HTTP status of the answer.
    pub status: StatusCode,
    /// What was wrong.
    pub kind: MalformedKind,
    /// Where in the JSON decoding failed, as a path such as `result.id`, when known.
    pub path: Option<String>,
    /// Line and column (from 1) where decoding failed, when known.
    pub position: Option<(usize, usize)>,
    /// What the JSON decoder reported, token removed.
    pub detail: String,
    /// The start of the body, as text, token removed.
    pub snippet: String,
}

/// What was wrong with a [`MalformedResponse`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MalformedKind {
    /// The body is empty.
    Empty,
    /// The body is not JSON (an HTML error page, say).
    NotJson,
    /// The body is JSON that stops in the middle.
    Truncated,
    /// The body is JSON but not a Bot API envelope (`ok` missing or not a boolean, …).
    NotEnvelope,
    /// `ok: true` without a `result`.
    MissingResult,
    /// The `result` does not have the shape of the method's return type.
    UnexpectedResult,
}

impl MalformedKind {
    fn describe(self) -> &'static str {
        match self {
            MalformedKind::Empty => "empty body",
            MalformedKind::NotJson => "body is not JSON",
            MalformedKind::Truncated => "body ends in the middle of the JSON",
            MalformedKind::NotEnvelope => "body is not a Bot API envelope",
            MalformedKind::MissingResult => "ok is true but there is no result",
            MalformedKind::UnexpectedResult => "result has an unexpected shape",
        }
    }
}

impl fmt::Display for MalformedResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: HTTP {}: not a valid Bot API answer: {}",
            self.method,
            self.status,
            self.kind.describe()
        )?;
        if let Some(path) = &self.path {
            write!(f, " at `{path}`")?;
        }
        if let Some((line, column)) = self.position {
            write!(f, " (line {line}, column {column})")?;
        }
        if !self.detail.is_empty() {
            write!(f, ": {}", self.detail)?;
        }
        if !self.snippet.is_empty() {
            write!(f, "; body starts with {:?}", self.snippet)?;
        }
        Ok(())
    }
}

impl std::error::Error for MalformedResponse {}

/// Everything a call can end in, for a transport whose own failures are `T`.
///
/// Adapters use this with their transport error (`Error<hyper::Error>`-like types), so code
/// that handles API errors is the same whichever transport sends the request.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error<T> {
    /// The request could not be built; nothing was sent.
    Encode(EncodeError),
    /// The Bot API answered `ok: false`.
    Api(Box<ApiError>),
    /// The answer was not a usable Bot API answer.
    Malformed(Box<MalformedResponse>),
    /// The transport failed: no answer, or only part of one.
    Transport(T),
}

impl<T> Error<T> {
    /// The API error, if the Bot API answered with one.
    pub fn as_api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }

    /// Changes the transport error type.
    pub fn map_transport<U>(self, f: impl FnOnce(T) -> U) -> Error<U> {
        match self {
            Error::Encode(e) => Error::Encode(e),
            Error::Api(e) => Error::Api(e),
            Error::Malformed(e) => Error::Malformed(e),
            Error::Transport(e) => Error::Transport(f(e)),
        }
    }
}

impl<T> From<EncodeError> for Error<T> {
    fn from(e: EncodeError) -> Self {
        Error::Encode(e)
    }
}

impl From<crate::TransportError> for Error<crate::TransportError> {
    fn from(e: crate::TransportError) -> Self {
        Error::Transport(e)
    }
}

impl<T> From<DecodeError> for Error<T> {
    fn from(e: DecodeError) -> Self {
        match e {
            DecodeError::Api(e) => Error::Api(e),
            DecodeError::Malformed(e) => Error::Malformed(e),
        }
    }
}

impl<T: fmt::Display> fmt::Display for Error<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Encode(e) => fmt::Display::fmt(e, f),
            Error::Api(e) => fmt::Display::fmt(e, f),
            Error::Malformed(e) => fmt::Display::fmt(e, f),
            Error::Transport(e) => fmt::Display::fmt(e, f),
        }
    }
}

// Every variant is transparent: `Display` shows the inner error, so `source` continues with
// the inner error's own source instead of repeating it.
impl<T: std::error::Error + 'static> std::error::Error for Error<T> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport(e) => e.source(),
            _ => None,
        }
    }
}
