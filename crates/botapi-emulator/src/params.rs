//! Reading a request's parameters from its query string and body, in each of the forms the
//! Bot API accepts: JSON, `multipart/form-data`, `application/x-www-form-urlencoded`, or none.

use std::fmt;

use botapi_proto::form;
use serde_json::{Map, Value};

use crate::log::RecordedFile;

/// A request's parameters: fields by name, and uploaded files.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Params {
    pub(crate) fields: Map<String, Value>,
    pub(crate) files: Vec<RecordedFile>,
}

/// Why a request's parameters could not be read.
#[derive(Debug, PartialEq)]
pub(crate) enum ParamsError {
    /// A JSON body that is not a JSON object.
    Json,
    /// A multipart body that does not parse.
    Multipart(form::FormError),
    /// A URL-encoded body or query that is not UTF-8 once decoded.
    UrlEncoded,
}

impl fmt::Display for ParamsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParamsError::Json => f.write_str("Bad Request: can't parse JSON object"),
            ParamsError::Multipart(e) => {
                write!(f, "Bad Request: can't parse multipart/form-data body: {e}")
            }
            ParamsError::UrlEncoded => {
                f.write_str("Bad Request: can't parse URL-encoded parameters: not UTF-8")
            }
        }
    }
}

/// Reads the parameters of a request. The query string comes first; fields in the body
/// replace query fields of the same name. A body of a type the Bot API does not read (or
/// with no type) is ignored, as the real server ignores it.
pub(crate) fn read(
    query: Option<&str>,
    content_type: Option<&str>,
    body: &[u8],
) -> (Params, Result<(), ParamsError>) {
    let mut params = Params::default();
    if let Some(query) = query
        && let Err(e) = url_encoded(query.as_bytes(), &mut params.fields)
    {
        return (params, Err(e));
    }
    if body.is_empty() {
        return (params, Ok(()));
    }
    let mime = content_type
        .and_then(|c| c.split(';').next())
        .map(|m| m.trim().to_ascii_lowercase())
        .unwrap_or_default();
    let result = match mime.as_str() {
        "application/json" => json(body, &mut params.fields),
        "multipart/form-data" => multipart(content_type.unwrap_or_default(), body, &mut params),
        "application/x-www-form-urlencoded" => url_encoded(body, &mut params.fields),
        _ => Ok(()),
    };
    (params, result)
}

fn json(body: &[u8], fields: &mut Map<String, Value>) -> Result<(), ParamsError> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(object)) => {
            fields.extend(object);
            Ok(())
        }
        _ => Err(ParamsError::Json),
    }
}

fn multipart(content_type: &str, body: &[u8], params: &mut Params) -> Result<(), ParamsError> {
    let parts = form::parse(content_type, body).map_err(ParamsError::Multipart)?;
    for part in parts {
        if part.file_name.is_some() {
            params.files.push(RecordedFile {
                field: part.name,
                file_name: part.file_name,
                content_type: part.content_type,
                data: part.data,
            });
        } else {
            let text = String::from_utf8_lossy(&part.data);
            params.fields.insert(part.name, field_value(&text));
        }
    }
    Ok(())
}

fn url_encoded(raw: &[u8], fields: &mut Map<String, Value>) -> Result<(), ParamsError> {
    for pair in raw.split(|&b| b == b'&').filter(|p| !p.is_empty()) {
        let (key, value) = match pair.iter().position(|&b| b == b'=') {
            Some(eq) => (&pair[..eq], &pair[eq + 1..]),
            None => (pair, &[][..]),
        };
        let key = String::from_utf8(percent_decode(key)).map_err(|_| ParamsError::UrlEncoded)?;
        let value =
            String::from_utf8(percent_decode(value)).map_err(|_| ParamsError::UrlEncoded)?;
        fields.insert(key, field_value(&value));
    }
    Ok(())
}

/// A form value as the Bot API reads it: JSON where it parses as JSON (numbers, booleans,
/// arrays and objects sent as text), otherwise the string itself.
pub(crate) fn field_value(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_owned()))
}

/// Decodes `%XX` escapes and `+` (a space in forms). A `%` not followed by two hex digits is
/// kept as it is, as browsers do.
fn percent_decode(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        match raw[i] {
            b'+' => out.push(b' '),
            b'%' => match (hex(raw.get(i + 1)), hex(raw.get(i + 2))) {
                (Some(hi), Some(lo)) => {
                    out.push(hi << 4 | lo);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    out
}

fn hex(b: Option<&u8>) -> Option<u8> {
    match b? {
        b @ b'0'..=b'9' => Some(b - b'0'),
        b @ b'a'..=b'f' => Some(b - b'a' + 10),
        b @ b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// A list of update kinds: a JSON array of strings, or a string holding one.
pub(crate) fn update_kinds(value: &Value) -> Option<Vec<String>> {
    let parsed;
    let value = match value {
        Value::String(s) => {
            parsed = field_value(s);
            &parsed
        }
        v => v,
    };
    value
        .as_array()?
        .iter()
        .map(|v| v.as_str().map(str::to_owned))
        .collect()
}

/// A parameter as text: strings as they are, anything else as its JSON text.
pub(crate) fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A parameter as a flag, read as the real server reads one: `true`, `"true"`, `"yes"` or
/// `1` (any case) are set, anything else is not.
pub(crate) fn flag(value: &Value) -> bool {
    match value {
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_i64() == Some(1),
        Value::String(s) => ["true", "yes", "1"]
            .iter()
            .any(|t| s.trim().eq_ignore_ascii_case(t)),
        _ => false,
    }
}

/// A parameter as an integer: a JSON integer or a string holding one.
pub(crate) fn integer(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fields(query: Option<&str>, content_type: Option<&str>, body: &[u8]) -> Value {
        let (params, result) = read(query, content_type, body);
        result.unwrap();
        Value::Object(params.fields)
    }

    #[test]
    fn reads_each_body_form() {
        assert_eq!(
            fields(
                None,
                Some("application/json; charset=utf-8"),
                br#"{"a":1,"b":"x"}"#
            ),
            json!({"a": 1, "b": "x"})
        );
        assert_eq!(
            fields(
                None,
                Some("application/x-www-form-urlencoded"),
                b"chat_id=-100123&text=a+b%26c&flag=true&list=%5B1%2C2%5D&empty="
            ),
            json!({"chat_id": -100123, "text": "a b&c", "flag": true, "list": [1, 2], "empty": ""})
        );
        assert_eq!(
            fields(Some("x=1&y=%zz%"), None, b""),
            json!({"x": 1, "y": "%zz%"})
        );
        assert_eq!(fields(None, None, b"{\"ignored\":1}"), json!({}));
    }

    #[test]
    fn body_fields_replace_query_fields() {
        assert_eq!(
            fields(Some("a=1&b=2"), Some("application/json"), br#"{"a":3}"#),
            json!({"a": 3, "b": 2})
        );
    }

    #[test]
    fn multipart_splits_fields_from_files() {
        let body = b"--B\r\nContent-Disposition: form-data; name=\"url\"\r\n\r\nhttps://x.example/hook\r\n\
--B\r\nContent-Disposition: form-data; name=\"certificate\"; filename=\"c.pem\"\r\n\r\n\x00\xffpem\r\n--B--\r\n";
        let (params, result) = read(None, Some("multipart/form-data; boundary=B"), body);
        result.unwrap();
        assert_eq!(params.fields["url"], "https://x.example/hook");
        assert_eq!(params.files.len(), 1);
        assert_eq!(params.files[0].field, "certificate");
        assert_eq!(params.files[0].file_name.as_deref(), Some("c.pem"));
        assert_eq!(params.files[0].data, b"\x00\xffpem");
    }

    #[test]
    fn malformed_bodies_are_errors_not_panics() {
        let (_, r) = read(None, Some("application/json"), b"[1,2]");
        assert_eq!(r, Err(ParamsError::Json));
        let (_, r) = read(None, Some("application/json"), b"{\"a\":");
        assert_eq!(r, Err(ParamsError::Json));
        let (_, r) = read(None, Some("multipart/form-data"), b"--B\r\n");
        assert!(matches!(r, Err(ParamsError::Multipart(_))));
        let (_, r) = read(None, Some("application/x-www-form-urlencoded"), b"a=%ff");
        assert_eq!(r, Err(ParamsError::UrlEncoded));
        for raw in [&b"%"[..], b"%4", b"%%%", b"+%4", b"a=%4"] {
            let _ = read(Some(&String::from_utf8_lossy(raw)), None, b"");
        }
    }

    #[test]
    fn percent_decoding_edges() {
        assert_eq!(percent_decode(b"%41%4a%4A+"), b"AJJ ");
        assert_eq!(percent_decode(b"%4"), b"%4");
        assert_eq!(percent_decode(b"%"), b"%");
        assert_eq!(percent_decode(b"100%"), b"100%");
    }
}
