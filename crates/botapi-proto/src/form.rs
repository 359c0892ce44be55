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
            let (kind, params) = value.split_once(';').unwrap_or((value, ""));
            if !kind.trim().eq_ignore_ascii_case("form-data") {
                return Err(FormError::MissingName);
            }
            for (k, v) in disposition_params(params) {
                match k.as_str() {
                    "name" => name = Some(unescape(&v)),
                    "filename" => file_name = Some(unescape(&v)),
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

/// The `key=value` pairs after `form-data;`, with quoted values read whole (a `;` inside
/// quotes belongs to the value). Like browsers, the writer escapes `"` as `%22` and never
/// uses backslash escapes, so a backslash is an ordinary character here.
fn disposition_params(mut rest: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    loop {
        rest = rest.trim_start_matches(|c: char| c == ';' || c.is_whitespace());
        let Some(eq) = rest.find('=') else { return out };
        let key = rest[..eq].trim().to_ascii_lowercase();
        rest = &rest[eq + 1..];
        let mut value = String::new();
        if let Some(quoted) = rest.strip_prefix('"') {
            let end = quoted.find('"').unwrap_or(quoted.len());
            value.push_str(&quoted[..end]);
            rest = &quoted[(end + 1).min(quoted.len())..];
        } else {
            let end = rest.find(';').unwrap_or(rest.len());
            value.push_str(rest[..end].trim());
            rest = &rest[end..];
        }
        out.push((key, value));
    }
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
    fn quoted_values_keep_semicolons_and_backslashes() {
        let params = disposition_params(r#" name="a;b"; filename="c\%22d;e.txt""#);
        assert_eq!(
            params,
            vec![
                ("name".into(), "a;b".into()),
                ("filename".into(), "c\\%22d;e.txt".into())
            ]
        );
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
