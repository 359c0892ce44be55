//! Turning `(status, body)` into the method's result or a typed error.
//!
//! The success path is one pass of `serde_json` over the envelope straight into the result
//! type. Only when that fails does the decoder look again, to say precisely what was wrong:
//! a Bot API error, a body that is not JSON or is cut off, JSON that is not an envelope, or a
//! result of the wrong shape (with the path where it stopped).

use http::StatusCode;
use serde::Deserialize;
use serde::de::{DeserializeOwned, IgnoredAny};
use serde_json::Value;
use serde_json::error::Category;

use crate::error::{ApiError, DecodeError, MalformedKind, MalformedResponse, ResponseParameters};
use crate::redact::{redact, redact_value, snippet};
use crate::token::Token;

/// The Bot API envelope. Error fields are kept as raw JSON so that a server sending an odd
/// type in one of them still yields an API error rather than a decoding failure.
#[derive(Deserialize)]
struct Envelope<R> {
    ok: bool,
    #[serde(default = "Option::default")]
    result: Option<R>,
    #[serde(default)]
    error_code: Option<Value>,
    #[serde(default)]
    description: Option<Value>,
    #[serde(default)]
    parameters: Option<Value>,
}

/// Decodes an answer to `method`. `token` is removed from any text the error keeps.
pub(crate) fn decode<R: DeserializeOwned>(
    method: &str,
    status: StatusCode,
    body: &[u8],
    token: &Token,
) -> Result<R, DecodeError> {
    let ctx = Context {
        method,
        status,
        body,
        token,
    };
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(ctx.malformed(MalformedKind::Empty, None, None, String::new()));
    }
    // Checking UTF-8 once over the whole body is cheaper than serde_json checking each
    // string; a body that is not UTF-8 goes the slower way and fails with a position.
    let parsed = match std::str::from_utf8(body) {
        Ok(text) => serde_json::from_str::<Envelope<R>>(text),
        Err(_) => serde_json::from_slice::<Envelope<R>>(body),
    };
    match parsed {
        Ok(Envelope {
            ok: true,
            result: Some(result),
            ..
        }) => Ok(result),
        Ok(Envelope {
            ok: true,
            result: None,
            ..
        }) => Err(ctx.malformed(MalformedKind::MissingResult, None, None, String::new())),
        Ok(Envelope {
            ok: false,
            error_code,
            description,
            parameters,
            ..
        }) => Err(ctx.api_error(error_code, description, parameters)),
        Err(e) => Err(ctx.explain::<R>(e)),
    }
}

struct Context<'a> {
    method: &'a str,
    status: StatusCode,
    body: &'a [u8],
    token: &'a Token,
}

impl Context<'_> {
    fn api_error(
        &self,
        error_code: Option<Value>,
        description: Option<Value>,
        parameters: Option<Value>,
    ) -> DecodeError {
        let description = match description {
            Some(Value::String(s)) => s,
            Some(Value::Null) | None => String::new(),
            Some(other) => other.to_string(),
        };
        let mut parameters = parameters.unwrap_or(Value::Null);
        redact_value(&mut parameters, self.token);
        DecodeError::Api(Box::new(ApiError {
            method: self.method.to_owned(),
            status: self.status,
            error_code: error_code.as_ref().and_then(Value::as_i64),
            description: redact(&description, self.token).into_owned(),
            parameters: ResponseParameters::from_value(parameters),
        }))
    }

    /// Works out why the one-pass decode failed.
    fn explain<R: DeserializeOwned>(&self, first: serde_json::Error) -> DecodeError {
        match first.classify() {
            Category::Eof => return self.json_error(MalformedKind::Truncated, None, &first),
            Category::Syntax | Category::Io => {
                return self.json_error(MalformedKind::NotJson, None, &first);
            }
            Category::Data => {}
        }
        // The JSON is well formed. Is it an envelope at all, ignoring the result?
        match serde_json::from_slice::<Envelope<IgnoredAny>>(self.body) {
            Err(e) => self.json_error(MalformedKind::NotEnvelope, None, &e),
            Ok(Envelope {
                ok: false,
                error_code,
                description,
                parameters,
                ..
            }) => self.api_error(error_code, description, parameters),
            Ok(Envelope { ok: true, .. }) => {
                // The result has the wrong shape: decode again, tracking the path.
                let de = &mut serde_json::Deserializer::from_slice(self.body);
                match serde_path_to_error::deserialize::<_, Envelope<R>>(de) {
                    Err(e) => {
                        let path = e.path().to_string();
                        self.json_error(MalformedKind::UnexpectedResult, Some(path), e.inner())
                    }
                    // Cannot happen (the first pass failed on the same input); say so plainly.
                    Ok(_) => self.malformed(
                        MalformedKind::UnexpectedResult,
                        None,
                        None,
                        first.to_string(),
                    ),
                }
            }
        }
    }

    fn json_error(
        &self,
        kind: MalformedKind,
        path: Option<String>,
        e: &serde_json::Error,
    ) -> DecodeError {
        let position = (e.line() > 0).then(|| (e.line(), e.column()));
        // serde_json appends " at line L column C"; the position is kept separately.
        let message = e.to_string();
        let suffix = format!(" at line {} column {}", e.line(), e.column());
        let detail = message.strip_suffix(&suffix).unwrap_or(&message);
        self.malformed(kind, path, position, detail.to_owned())
    }

    fn malformed(
        &self,
        kind: MalformedKind,
        path: Option<String>,
        position: Option<(usize, usize)>,
        detail: String,
    ) -> DecodeError {
        DecodeError::Malformed(Box::new(MalformedResponse {
            method: self.method.to_owned(),
            status: self.status,
            kind,
            path: path.map(|p| redact(&p, self.token).into_owned()),
            position,
            detail: redact(&detail, self.token).into_owned(),
            snippet: snippet(self.body, self.token),
        }))
    }
}
