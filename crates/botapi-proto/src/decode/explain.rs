//! Why a decode failed, worked out after the one pass did: an API error, a body that is not
//! UTF-8 or not JSON or is cut off (in serde_json's words and places), JSON that is not an
//! envelope, or a result of the wrong shape (with the path where the reader stopped). Every
//! text an error keeps has the token removed.

use std::borrow::Cow;

use http::StatusCode;
use serde::de::{DeserializeSeed, IgnoredAny};
use serde_json::Value;
use serde_json::error::Category;

use super::{Envelope, EnvelopeSeed, MethodName};
use crate::error::{ApiError, DecodeError, MalformedKind, MalformedResponse, ResponseParameters};
use crate::json_path;
use crate::read::{ReadError, ReadErrorKind};
use crate::redact::{redact, redact_value, snippet};
use crate::token::Token;
use crate::types::wire::without_position;

/// What an error is built from: the call and the answer as received.
pub(super) struct Context<'a> {
    pub(super) method: MethodName<'a>,
    pub(super) status: StatusCode,
    pub(super) body: &'a [u8],
    pub(super) token: &'a Token,
}

impl Context<'_> {
    pub(super) fn api_error(
        &self,
        error_code: Option<i64>,
        description: String,
        mut parameters: ResponseParameters,
    ) -> DecodeError {
        let description = match redact(&description, self.token) {
            Cow::Borrowed(_) => description,
            Cow::Owned(clean) => clean,
        };
        if !parameters.other.is_empty() {
            let mut other = Value::Object(std::mem::take(&mut parameters.other));
            redact_value(&mut other, self.token);
            if let Value::Object(other) = other {
                parameters.other = other;
            }
        }
        DecodeError::Api(Box::new(ApiError {
            method: self.method.to_cow(),
            status: self.status,
            error_code,
            description,
            parameters,
        }))
    }

    /// A body that is not UTF-8 cannot be JSON; say where, without parsing it.
    pub(super) fn not_utf8(&self, e: std::str::Utf8Error) -> DecodeError {
        let at = e.valid_up_to();
        let before = &self.body[..at];
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |newline| newline + 1);
        let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
        let position = Some((line, at - line_start + 1));
        // A body cut in the middle of a character and of the JSON is truncated.
        let prefix = std::str::from_utf8(before).unwrap_or_default();
        let kind = match e.error_len() {
            None if serde_json::from_str::<IgnoredAny>(prefix)
                .is_err_and(|e| e.classify() == Category::Eof) =>
            {
                MalformedKind::Truncated
            }
            _ => MalformedKind::NotJson,
        };
        let detail = format!("invalid UTF-8 at byte {at}");
        self.malformed(kind, None, position, detail)
    }

    /// Works out why the one-pass decode failed.
    pub(super) fn explain(&self, text: &str, first: ReadError) -> DecodeError {
        if first.kind() != ReadErrorKind::Data {
            // Not JSON: serde_json says what is wrong.
            return match serde_json::from_str::<IgnoredAny>(text) {
                Err(e) if e.classify() == Category::Eof => {
                    self.json_error(MalformedKind::Truncated, None, &e)
                }
                Err(e) => self.json_error(MalformedKind::NotJson, None, &e),
                // Well formed, but past a limit serde_json also sets when it reads values
                // (nesting deeper than 128 levels, a number too large for a float).
                Ok(_) => self.read_error(MalformedKind::NotJson, None, text, &first),
            };
        }
        // The JSON is well formed. Is it an envelope at all, ignoring the result?
        match check_envelope(text) {
            Err(e) => self.json_error(MalformedKind::NotEnvelope, None, &e),
            Ok(Envelope {
                ok: false,
                error_code,
                description,
                parameters,
            }) => self.api_error(error_code.0, description.0, parameters),
            Ok(Envelope { ok: true, .. }) => {
                // The result has the wrong shape; the reader says where it stopped.
                let path = first
                    .offset()
                    .map(|offset| json_path::path_at(text, offset));
                self.read_error(MalformedKind::UnexpectedResult, path, text, &first)
            }
        }
    }

    fn read_error(
        &self,
        kind: MalformedKind,
        path: Option<String>,
        text: &str,
        e: &ReadError,
    ) -> DecodeError {
        self.malformed(kind, path, e.line_column(text), e.message().to_owned())
    }

    fn json_error(
        &self,
        kind: MalformedKind,
        path: Option<String>,
        e: &serde_json::Error,
    ) -> DecodeError {
        let position = (e.line() > 0).then(|| (e.line(), e.column()));
        self.malformed(kind, path, position, without_position(e))
    }

    pub(super) fn malformed(
        &self,
        kind: MalformedKind,
        path: Option<String>,
        position: Option<(usize, usize)>,
        detail: String,
    ) -> DecodeError {
        DecodeError::Malformed(Box::new(MalformedResponse {
            method: self.method.to_cow(),
            status: self.status,
            kind,
            path: path.map(|p| redact(&p, self.token).into_owned()),
            position,
            detail: redact(&detail, self.token).into_owned(),
            snippet: snippet(self.body, self.token),
        }))
    }
}

/// serde_json's reading of the envelope without its result: what a failure is explained
/// with, in serde_json's words and at its places.
fn check_envelope(text: &str) -> Result<Envelope, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(text);
    let envelope = EnvelopeSeed::<IgnoredAny>(&mut None).deserialize(&mut de)?;
    de.end()?;
    Ok(envelope)
}
