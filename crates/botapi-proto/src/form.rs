//! Reading `multipart/form-data` bodies back into parts: the server's half of what
//! [`Client::encode`](crate::Client::encode) writes.
//!
//! The Bot API emulator uses it to read uploads, and tests use it to check that encoded
//! bodies say what they should. It is strict about structure and reads only what it is
//! given, so it is safe on untrusted input.

use std::fmt;

/// One part of a `multipart/form-data` body.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct FormPart {
    /// The `name` from `Content-Disposition`, unescaped.
    pub name: String,
    /// The `filename` from `Content-Disposition`, unescaped, for file parts.
    pub file_name: Option<String>,
    /// The part's `Content-Type`, if it has one.
    pub content_type: Option<String>,
    /// The part's content.
    pub data: Vec<u8>,
}

impl FormPart {
    /// The content as text, if it is UTF-8.
    pub fn text(&self) -> Option<&str> {
        std::str::from_utf8(&self.data).ok()
    }
}

/// Why a body is not a well-formed `multipart/form-data` body.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FormError {
    /// The `Content-Type` is not `multipart/form-data` with a boundary.
    NotMultipart,
    /// The body does not start with the boundary.
    MissingFirstBoundary,
    /// The body ends before the closing boundary.
    Unterminated,
    /// A part's headers are not terminated by an empty line or are not UTF-8.
    BadHeaders,
    /// A part has no `Content-Disposition: form-data; name="…"`.
    MissingName,
}

impl fmt::Display for FormError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FormError::NotMultipart => "content type is not multipart/form-data with a boundary",
            FormError::MissingFirstBoundary => "body does not start with the boundary",
            FormError::Unterminated => "body ends before the closing boundary",
            FormError::BadHeaders => "a part has malformed headers",
            FormError::MissingName => "a part has no form-data name",
        })
    }
}

impl std::error::Error for FormError {}

/// The boundary named by a `multipart/form-data` content type.
pub fn boundary(content_type: &str) -> Option<&str> {
    let mut params = content_type.split(';');
    let mime = params.next()?.trim();
    if !mime.eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    params
        .find_map(|p| {
            let (key, value) = p.split_once('=')?;
            key.trim()
                .eq_ignore_ascii_case("boundary")
                .then(|| value.trim().trim_matches('"'))
        })
        .filter(|b| !b.is_empty())
}

/// Splits a `multipart/form-data` body into its parts.
pub fn parse(content_type: &str, body: &[u8]) -> Result<Vec<FormPart>, FormError> {
    let boundary = boundary(content_type).ok_or(FormError::NotMultipart)?;
    let first = format!("--{boundary}");
    let delimiter = format!("\r\n--{boundary}");
    let mut rest = body
        .strip_prefix(first.as_bytes())
        .ok_or(FormError::MissingFirstBoundary)?;
    let mut parts = Vec::new();
    loop {
        if rest.starts_with(b"--") {
            return Ok(parts);
        }
        rest = rest.strip_prefix(b"\r\n").ok_or(FormError::Unterminated)?;
        let end = find(rest, delimiter.as_bytes()).ok_or(FormError::Unterminated)?;
        parts.push(parse_part(&rest[..end])?);
        rest = &rest[end + delimiter.len()..];
    }
}

fn parse_part(raw: &[u8]) -> Result<FormPart, FormError> {
    let split = find(raw, b"\r\n\r\n").ok_or(FormError::BadHeaders)?;
    let headers = std::str::from_utf8(&raw[..split]).map_err(|_| FormError::BadHeaders)?;
    let data = raw[split + 4..].to_vec();
    let (mut name, mut file_name, mut content_type) = (None, None, None);
    for line in headers.split("\r\n") {
        let (key, value) = line.split_once(':').ok_or(FormError::BadHeaders)?;
        let value = value.trim();
        if key.trim().eq_ignore_ascii_case("content-disposition") {
            let mut params = value.split(';');
            if !params
                .next()
                .is_some_and(|d| d.trim().eq_ignore_ascii_case("form-data"))
            {
                return Err(FormError::MissingName);
            }
            for param in params {
                let Some((k, v)) = param.split_once('=') else {
                    continue;
                };
                let v = unescape(v.trim().trim_matches('"'));
                match k.trim() {
                    "name" => name = Some(v),
                    "filename" => file_name = Some(v),
                    _ => {}
                }
            }
        } else if key.trim().eq_ignore_ascii_case("content-type") {
            content_type = Some(value.to_owned());
        }
    }
    let name = name.ok_or(FormError::MissingName)?;
    Ok(FormPart {
        name,
        file_name,
        content_type,
        data,
    })
}

/// Reverses the escaping of names (`%22`, `%0D`, `%0A`).
fn unescape(s: &str) -> String {
    s.replace("%22", "\"")
        .replace("%0D", "\r")
        .replace("%0A", "\n")
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_text_and_file_parts() {
        let body = b"--XY\r\nContent-Disposition: form-data; name=\"chat_id\"\r\n\r\n42\r\n\
--XY\r\nContent-Disposition: form-data; name=\"doc\"; filename=\"a%22b.txt\"\r\nContent-Type: text/plain\r\n\r\nhi\r\nthere\r\n--XY--\r\n";
        let parts = parse("multipart/form-data; boundary=XY", body).unwrap();
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].text(), Some("42"));
        assert_eq!(parts[1].file_name.as_deref(), Some("a\"b.txt"));
        assert_eq!(parts[1].data, b"hi\r\nthere");
        assert_eq!(parts[1].content_type.as_deref(), Some("text/plain"));
    }

    #[test]
    fn refuses_broken_bodies() {
        assert_eq!(parse("text/plain", b""), Err(FormError::NotMultipart));
        assert_eq!(
            parse("multipart/form-data; boundary=XY", b"junk"),
            Err(FormError::MissingFirstBoundary)
        );
        assert_eq!(
            parse(
                "multipart/form-data; boundary=XY",
                b"--XY\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nno end"
            ),
            Err(FormError::Unterminated)
        );
    }
}
