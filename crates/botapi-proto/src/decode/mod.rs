//! Turning `(status, body)` into the method's result or a typed error.
//!
//! The success path is one pass of the crate's JSON reader ([`crate::read`]) over the
//! envelope straight into the result type, always through that one deserializer, so each
//! result type is compiled once. Only when that fails does the decoder look again, to say
//! precisely what was wrong: a Bot API error, a body that is not UTF-8 or not JSON or is cut
//! off (in serde_json's words, which only ever reads the text, not the result type), JSON
//! that is not an envelope, or a result of the wrong shape (with the path where it stopped,
//! found from the error's place in the text rather than by decoding again). That second
//! look lives in `explain`.
//!
//! A successful answer whose text beyond ASCII is escaped as `\u` (as api.telegram.org writes
//! it) is first rewritten with the characters in place of their escapes (`unescape`), which
//! reads faster; anything but a clean success is read again from the text as sent.
//!
//! An error in the server's own layout, under a status that is not a success, is read before
//! any of that by a small matcher (`usual_error`), which hands anything else on.

use std::borrow::Cow;
use std::fmt;

use http::StatusCode;
use serde::de::{
    self, DeserializeOwned, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor,
};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

use crate::error::{DecodeError, MalformedKind, ResponseParameters};
use crate::held::Held;
use crate::poll;
use crate::read::{ReadError, ReadErrorKind, Reader};
use crate::token::Token;
use crate::types::wire::Key;

mod explain;
mod unescape;
mod usual_error;

use explain::Context;

/// The Bot API envelope without its result, which is read into a slot of the caller's
/// (see [`EnvelopeSeed`]), so that a large result is not moved through every layer of the
/// deserializer. The error fields are read leniently, so that a server sending an odd
/// type in one of them still yields an API error rather than a decoding failure; they
/// cost nothing on success, where they are absent.
struct Envelope {
    ok: bool,
    error_code: ErrorCode,
    description: Description,
    parameters: ResponseParameters,
}

/// The name of the method an answer is for, kept by the error it may become: a fixed name
/// costs no copy.
#[derive(Clone, Copy)]
pub(crate) enum MethodName<'a> {
    /// A generated method's `NAME` (or any name fixed at compile time).
    Fixed(&'static str),
    /// A name chosen at run time, copied only into an error.
    Given(&'a str),
}

impl<'a> MethodName<'a> {
    /// The name of `method`, borrowed for good when it is fixed.
    pub(crate) fn of<M: crate::Method + ?Sized>(method: &'a M) -> Self {
        match method.static_name() {
            Some(fixed) => MethodName::Fixed(fixed),
            None => MethodName::Given(method.method_name()),
        }
    }

    /// The name as held by an error or a call in flight.
    pub(crate) fn to_cow(self) -> Cow<'static, str> {
        match self {
            MethodName::Fixed(fixed) => Cow::Borrowed(fixed),
            MethodName::Given(given) => Cow::Owned(given.to_owned()),
        }
    }
}

/// A name already held as a `Cow`: borrowed means fixed.
impl<'a> From<&'a Cow<'static, str>> for MethodName<'a> {
    fn from(name: &'a Cow<'static, str>) -> Self {
        match name {
            Cow::Borrowed(fixed) => MethodName::Fixed(fixed),
            Cow::Owned(given) => MethodName::Given(given),
        }
    }
}

/// Decodes an answer to `method`. `token` is removed from any text the error keeps.
pub(crate) fn decode<R: DeserializeOwned>(
    method: MethodName<'_>,
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
    // An error in the server's own layout is read without serde_json; anything else falls
    // through to the full decoder.
    if !status.is_success()
        && let Some(usual) = usual_error::read(body)
    {
        return Err(ctx.api_error(
            Some(usual.error_code),
            usual.description.to_owned(),
            usual.parameters,
        ));
    }
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(ctx.malformed(MalformedKind::Empty, None, None, String::new()));
    }
    // Checking UTF-8 once over the whole body is cheaper than checking each string. A
    // vectorised check takes under half the standard one's steps on text beyond ASCII;
    // the standard one then says where a body that fails it goes wrong.
    let text = match simdutf8::basic::from_utf8(body) {
        Ok(text) => text,
        Err(_) => match std::str::from_utf8(body) {
            Ok(text) => text,
            Err(e) => return Err(ctx.not_utf8(e)),
        },
    };
    // Text beyond ASCII sent as `\u` escapes (as api.telegram.org sends it) reads faster
    // once rewritten as the characters. Only a clean success is taken from the rewritten
    // text; anything else is read again below from the text as sent, so that every error
    // and position is the original's.
    if status.is_success()
        && let Some(plain) = unescape::non_ascii(text)
    {
        let mut result = Held::empty();
        if let (Ok(Envelope { ok: true, .. }), false) =
            poll::optimistic(|| read_envelope(&plain, result.slot()))
            && let Some(result) = result.slot().take()
        {
            return Ok(result);
        }
    }
    // Held: a result read before a later error is dropped out of line (see `held`).
    let mut result = Held::empty();
    let parsed = match poll::optimistic(|| read_envelope(text, result.slot())) {
        // A batch of updates where one does not fit: read it again, update by update.
        (Err(e), true) if e.kind() == ReadErrorKind::Data => {
            result = Held::empty();
            read_envelope(text, result.slot())
        }
        (parsed, _) => parsed,
    };
    // `result` is touched only on success: moving a large empty slot costs a copy of it.
    match parsed {
        Ok(Envelope { ok: true, .. }) => match result.take() {
            Some(result) => Ok(result),
            None => Err(ctx.malformed(MalformedKind::MissingResult, None, None, String::new())),
        },
        Ok(Envelope {
            ok: false,
            error_code,
            description,
            parameters,
        }) => Err(ctx.api_error(error_code.0, description.0, parameters)),
        Err(e) => Err(ctx.explain(text, e)),
    }
}

/// Whether the quick reader of errors agrees with the full decoder on `body`: when it reads
/// `body` at all, the full decoder must give the same error. For tests and the fuzzer.
#[cfg(any(test, feature = "fuzzing"))]
pub(crate) fn usual_error_agrees(body: &[u8]) -> bool {
    if usual_error::read(body).is_none() {
        return true;
    }
    let token = Token::new("1:quickcheck").expect("a valid token");
    let read = |status| decode::<IgnoredAny>(MethodName::Fixed("check"), status, body, &token);
    // A success status keeps the quick reader out of it.
    match (read(StatusCode::TOO_MANY_REQUESTS), read(StatusCode::OK)) {
        (Err(DecodeError::Api(quick)), Err(DecodeError::Api(full))) => {
            quick.error_code == full.error_code
                && quick.description == full.description
                && quick.parameters == full.parameters
        }
        _ => false,
    }
}

/// Whether rewriting the escapes of `body` keeps its meaning: when the rewritten text is
/// JSON, the text as sent must be the same JSON value. For the fuzzer.
#[cfg(any(test, feature = "fuzzing"))]
pub(crate) fn unescape_agrees(body: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(body) else {
        return true;
    };
    let Some(rewritten) = unescape::non_ascii(text) else {
        return true;
    };
    match serde_json::from_str::<Value>(&rewritten) {
        Ok(value) => serde_json::from_str::<Value>(text).is_ok_and(|original| original == value),
        Err(_) => true,
    }
}

/// How many of `n` values drawn from `strategy` (always the same ones) meet `keep`: for the
/// tests that make sure a generator is not vacuous.
#[cfg(test)]
fn count_drawn<S: proptest::strategy::Strategy>(
    strategy: S,
    n: usize,
    mut keep: impl FnMut(&S::Value) -> bool,
) -> usize {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    (0..n)
        .filter(|_| keep(&strategy.new_tree(&mut runner).expect("a value").current()))
        .count()
}

/// Reads the envelope in `text`, its result into `result`, which must be empty: the result is
/// written over it without a drop.
fn read_envelope<'de, R: Deserialize<'de>>(
    text: &'de str,
    result: &mut Option<R>,
) -> Result<Envelope, ReadError> {
    let mut reader = Reader::new(text);
    let envelope = EnvelopeSeed(result).deserialize(&mut reader)?;
    reader.end()?;
    Ok(envelope)
}

/// Reads an envelope, writing its `result` (absent or `null`: `None`) into the slot held.
/// Like a derived `Deserialize`: unknown fields are skipped, a repeated one is refused, `ok`
/// is required.
struct EnvelopeSeed<'a, R>(&'a mut Option<R>);

const ENVELOPE_FIELDS: &[&str] = &["ok", "result", "error_code", "description", "parameters"];

impl<'de, R: Deserialize<'de>> DeserializeSeed<'de> for EnvelopeSeed<'_, R> {
    type Value = Envelope;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Envelope, D::Error> {
        deserializer.deserialize_struct("Envelope", ENVELOPE_FIELDS, self)
    }
}

impl<'de, R: Deserialize<'de>> Visitor<'de> for EnvelopeSeed<'_, R> {
    type Value = Envelope;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("struct Envelope")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Envelope, A::Error> {
        let mut ok = None;
        let mut seen = [false; 4];
        let mut envelope = Envelope {
            ok: false,
            error_code: ErrorCode::default(),
            description: Description::default(),
            parameters: ResponseParameters::default(),
        };
        let mut first = |index: usize, name: &'static str| {
            if std::mem::replace(&mut seen[index], true) {
                return Err(de::Error::duplicate_field(name));
            }
            Ok(())
        };
        while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
            match &*key {
                "ok" => {
                    if ok.is_some() {
                        return Err(de::Error::duplicate_field("ok"));
                    }
                    ok = Some(map.next_value::<bool>()?);
                }
                "result" => {
                    first(0, "result")?;
                    // The slot is empty (the caller's, and a repeat was refused above):
                    // writing over it needs no drop, and the drop glue of `R` stays out
                    // of this reader.
                    debug_assert!(self.0.is_none(), "the result slot starts empty");
                    crate::types::wire::fill::put(self.0, map.next_value()?);
                }
                "error_code" => {
                    first(1, "error_code")?;
                    envelope.error_code = map.next_value()?;
                }
                "description" => {
                    first(2, "description")?;
                    envelope.description = map.next_value()?;
                }
                "parameters" => {
                    first(3, "parameters")?;
                    envelope.parameters = map.next_value::<LenientParameters>()?.0;
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        envelope.ok = ok.ok_or_else(|| de::Error::missing_field("ok"))?;
        Ok(envelope)
    }
}

/// `parameters`, read leniently.
struct LenientParameters(ResponseParameters);

impl<'de> Deserialize<'de> for LenientParameters {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        ResponseParameters::read_lenient(deserializer).map(LenientParameters)
    }
}

/// `error_code`: an integer, or `None` for anything else (which is read and dropped).
#[derive(Default)]
struct ErrorCode(Option<i64>);

impl<'de> Deserialize<'de> for ErrorCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ErrorCodeVisitor)
    }
}

struct ErrorCodeVisitor;

impl<'de> Visitor<'de> for ErrorCodeVisitor {
    type Value = ErrorCode;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an error code")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<ErrorCode, E> {
        Ok(ErrorCode(Some(v)))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<ErrorCode, E> {
        Ok(ErrorCode(i64::try_from(v).ok()))
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<ErrorCode, E> {
        Ok(ErrorCode(None))
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<ErrorCode, E> {
        Ok(ErrorCode(None))
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<ErrorCode, E> {
        Ok(ErrorCode(None))
    }

    fn visit_unit<E: de::Error>(self) -> Result<ErrorCode, E> {
        Ok(ErrorCode(None))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<ErrorCode, A::Error> {
        IgnoredAny.visit_seq(seq)?;
        Ok(ErrorCode(None))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<ErrorCode, A::Error> {
        IgnoredAny.visit_map(map)?;
        Ok(ErrorCode(None))
    }
}

/// `description`: the string, empty for `null`, or the JSON text of any other value.
#[derive(Default)]
struct Description(String);

impl<'de> Deserialize<'de> for Description {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(DescriptionVisitor)
    }
}

struct DescriptionVisitor;

impl<'de> Visitor<'de> for DescriptionVisitor {
    type Value = Description;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a description")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Description, E> {
        Ok(Description(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Description, E> {
        Ok(Description(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Description, E> {
        Ok(Description(String::new()))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Description, E> {
        Ok(Description(Value::from(v).to_string()))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Description, E> {
        Ok(Description(Value::from(v).to_string()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Description, E> {
        Ok(Description(Value::from(v).to_string()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Description, E> {
        Ok(Description(Value::from(v).to_string()))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Description, A::Error> {
        let value = Value::deserialize(de::value::SeqAccessDeserializer::new(seq))?;
        Ok(Description(value.to_string()))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Description, A::Error> {
        let value = Value::deserialize(de::value::MapAccessDeserializer::new(map))?;
        Ok(Description(value.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{ApiError, MalformedResponse};
    use crate::types::User;

    fn token() -> Token {
        Token::new("1:SENTINELdecode").unwrap()
    }

    fn malformed(body: &[u8]) -> MalformedResponse {
        match decode::<User>(MethodName::Fixed("getMe"), StatusCode::OK, body, &token()) {
            Err(DecodeError::Malformed(e)) => *e,
            other => panic!("{other:?}"),
        }
    }

    fn api(body: &str) -> ApiError {
        match decode::<User>(
            MethodName::Fixed("getMe"),
            StatusCode::BAD_REQUEST,
            body.as_bytes(),
            &token(),
        ) {
            Err(DecodeError::Api(e)) => *e,
            other => panic!("{other:?}"),
        }
    }

    fn get_me(body: &str) -> Result<User, DecodeError> {
        decode::<User>(
            MethodName::Fixed("getMe"),
            StatusCode::OK,
            body.as_bytes(),
            &token(),
        )
    }

    #[test]
    fn escaped_text_reads_as_the_characters() {
        let body = r#"{"ok":true,"result":{"id":1,"is_bot":true,"first_name":"\u041f\u0440\u0438 \ud83d\ude80","last_name":"\\u00e9\u00e9\"","username":"\u0062"}}"#;
        assert!(unescape::non_ascii(body).is_some());
        let user = get_me(body).unwrap();
        assert_eq!(user.first_name, "При 🚀");
        assert_eq!(user.last_name.as_deref(), Some("\\u00e9é\""));
        assert_eq!(user.username.as_deref(), Some("b"));
    }

    #[test]
    fn a_failure_after_the_rewrite_is_reported_on_the_text_as_sent() {
        // Three escapes of six bytes each become two bytes each before the wrong-typed `id`.
        let escaped =
            r#"{"ok":true,"result":{"first_name":"\u00e9\u00e9\u00e9","is_bot":true,"id":"x"}}"#;
        let plain = r#"{"ok":true,"result":{"first_name":"ééé","is_bot":true,"id":"x"}}"#;
        let place = |body: &str| match get_me(body) {
            Err(DecodeError::Malformed(e)) => (e.kind, e.path, e.position, e.snippet),
            other => panic!("{other:?}"),
        };
        let (kind, path, Some((line, column)), snippet) = place(escaped) else {
            panic!("no position");
        };
        let (plain_kind, plain_path, Some((_, plain_column)), _) = place(plain) else {
            panic!("no position");
        };
        assert_eq!((kind, path.as_deref()), (plain_kind, plain_path.as_deref()));
        assert_eq!(path.as_deref(), Some("result.id"));
        assert_eq!((line, column), (1, plain_column + 12));
        assert!(snippet.contains("\\u00e9"), "{snippet}");
    }

    #[test]
    fn a_body_that_is_not_utf8_says_where_without_parsing() {
        let e = malformed(b"{\"ok\":true,\n\"result\":\"\xff\"}");
        assert_eq!(e.kind, MalformedKind::NotJson);
        assert_eq!(e.position, Some((2, 11)));
        assert_eq!(e.detail, "invalid UTF-8 at byte 22");
        // Cut in the middle of a character, and of the JSON.
        let e = malformed(
            "{\"ok\":true,\"result\":{\"first_name\":\"é"
                .as_bytes()
                .split_last()
                .unwrap()
                .1,
        );
        assert_eq!(e.kind, MalformedKind::Truncated);
        // Cut in the middle of a character after the JSON ended.
        let e = malformed(
            "{\"ok\":true,\"result\":true}é"
                .as_bytes()
                .split_last()
                .unwrap()
                .1,
        );
        assert_eq!(e.kind, MalformedKind::NotJson);
    }

    #[test]
    fn error_fields_are_read_leniently_and_in_full() {
        let e = api(r#"{"ok":false,"error_code":1e3,"description":["a",{"b":null}]}"#);
        assert_eq!(e.error_code, None);
        assert_eq!(e.description, r#"["a",{"b":null}]"#);
        let e = api(
            r#"{"description":null,"error_code":18446744073709551615,"ok":false,"parameters":[1,2]}"#,
        );
        assert_eq!((e.error_code, e.description.as_str()), (None, ""));
        assert!(e.parameters.is_empty());
        let e = api(r#"{"ok":false,"error_code":{"x":[1]},"description":true,"parameters":"p"}"#);
        assert_eq!((e.error_code, e.description.as_str()), (None, "true"));
        assert!(e.parameters.is_empty());
    }

    #[test]
    fn a_repeated_parameter_counts_as_its_last_value() {
        let e = api(
            r#"{"ok":false,"error_code":429,"parameters":{"retry_after":1,"retry_after":"2","migrate_to_chat_id":"x","migrate_to_chat_id":-5}}"#,
        );
        assert_eq!(e.parameters.retry_after, None);
        assert_eq!(
            e.parameters.other.get("retry_after"),
            Some(&Value::from("2"))
        );
        assert_eq!(e.parameters.migrate_to_chat_id, Some(-5));
        assert!(!e.parameters.other.contains_key("migrate_to_chat_id"));
    }

    #[test]
    fn error_text_loses_the_secret() {
        let e = api(
            r#"{"ok":false,"error_code":400,"description":"bad 1:SENTINELdecode","parameters":{"k":"SENTINELdecode","SENTINELdecode":1,"retry_after":3}}"#,
        );
        let shown = format!("{e:?} {e}");
        assert!(!shown.contains("SENTINEL"), "{shown}");
        assert_eq!(e.parameters.retry_after, Some(3));
        assert_eq!(e.description, "bad 1:<redacted>");
    }
}
