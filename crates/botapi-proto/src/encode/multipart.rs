//! `multipart/form-data` bodies (RFC 7578) with a deterministic boundary.
//!
//! Each top-level parameter becomes a part: strings as they are, every other value as JSON
//! text. An upload given directly as a parameter is sent as a file part under the
//! parameter's own name, the way browsers upload files; an upload nested inside a value
//! (`InputMedia.media`, `InputSticker.sticker`, …) is replaced by `attach://fileN` and sent
//! as a file part named `fileN`, numbered in order from 0 (skipping any name a parameter
//! already has).
//!
//! The boundary is a fixed string, lengthened with a counter until it occurs in no part
//! held in memory, so the same parameters always give the same bytes (golden tests rely on
//! it). Files streamed from disk cannot be checked; the boundary is long and unusual enough
//! that a collision there needs a file crafted for it.

use std::collections::HashSet;

use bytes::Bytes;
use serde_json::Value;

use super::fields::Field;
use crate::input_file::{UPLOAD_MARKER, Upload, UploadSource};
use crate::request::Chunk;

/// The boundary before any counter is added.
pub(crate) const BOUNDARY_BASE: &str = "botapi-part-7c0e5f3a9d1b4e62";

/// What a part holds.
enum Content<'a> {
    Text(String),
    File(&'a Upload),
}

struct Part<'a> {
    name: String,
    content: Content<'a>,
}

/// Why a multipart body could not be built.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum MultipartError {
    /// A marker names an upload the method did not list.
    UndeclaredUpload,
    /// An upload's content type is not a valid header value.
    InvalidContentType,
}

/// A multipart body: its chunks and the `Content-Type` header value naming the boundary.
pub(crate) struct Multipart {
    pub(crate) chunks: Vec<Chunk>,
    pub(crate) content_type: String,
}

/// Builds the body from the method's top-level `fields` and the `uploads` it listed.
pub(crate) fn encode(fields: Vec<Field>, uploads: &[&Upload]) -> Result<Multipart, MultipartError> {
    let mut attachments = Attachments {
        taken: fields.iter().map(|(name, _)| name.clone()).collect(),
        uploads: Vec::new(),
        next: 0,
    };
    let mut parts = Vec::with_capacity(fields.len());
    for (name, value) in fields {
        let content = match value {
            Value::Null => continue,
            Value::String(s) => match upload_for(&s, uploads)? {
                Some(upload) => Content::File(upload),
                None => Content::Text(s),
            },
            mut value => {
                attachments.replace_markers(&mut value, uploads)?;
                Content::Text(value.to_string())
            }
        };
        parts.push(Part { name, content });
    }
    for (name, upload) in attachments.uploads {
        parts.push(Part {
            name,
            content: Content::File(upload),
        });
    }
    for part in &parts {
        if let Content::File(upload) = part.content
            && let Some(ct) = upload.content_type()
        {
            http::HeaderValue::from_str(ct).map_err(|_| MultipartError::InvalidContentType)?;
        }
    }

    let boundary = choose_boundary(&parts);
    let content_type = format!("multipart/form-data; boundary={boundary}");
    Ok(Multipart {
        chunks: write(&parts, &boundary),
        content_type,
    })
}

/// The listed upload a string stands for, if it is an upload marker.
fn upload_for<'a>(s: &str, uploads: &[&'a Upload]) -> Result<Option<&'a Upload>, MultipartError> {
    let Some(address) = s.strip_prefix(UPLOAD_MARKER) else {
        return Ok(None);
    };
    let address =
        usize::from_str_radix(address, 16).map_err(|_| MultipartError::UndeclaredUpload)?;
    match uploads.iter().find(|u| u.address() == address) {
        Some(upload) => Ok(Some(upload)),
        None => Err(MultipartError::UndeclaredUpload),
    }
}

/// Uploads nested inside parameter values, each under its own part name.
struct Attachments<'a> {
    /// Part names in use: every top-level parameter, then every name handed out.
    taken: HashSet<String>,
    uploads: Vec<(String, &'a Upload)>,
    next: usize,
}

impl<'a> Attachments<'a> {
    /// Replaces every upload marker inside `value` with `attach://<name>`.
    fn replace_markers(
        &mut self,
        value: &mut Value,
        uploads: &[&'a Upload],
    ) -> Result<(), MultipartError> {
        match value {
            Value::String(s) => {
                if let Some(upload) = upload_for(s, uploads)? {
                    *s = format!("attach://{}", self.name_for(upload));
                }
            }
            Value::Array(items) => {
                for item in items {
                    self.replace_markers(item, uploads)?;
                }
            }
            Value::Object(map) => {
                for item in map.values_mut() {
                    self.replace_markers(item, uploads)?;
                }
            }
            Value::Null | Value::Bool(_) | Value::Number(_) => {}
        }
        Ok(())
    }

    /// The part name of `upload`: `file0`, `file1`, … in order of appearance, skipping any
    /// name a parameter already uses.
    fn name_for(&mut self, upload: &'a Upload) -> String {
        if let Some((name, _)) = self.uploads.iter().find(|(_, u)| std::ptr::eq(*u, upload)) {
            return name.clone();
        }
        let name = loop {
            let candidate = format!("file{}", self.next);
            self.next += 1;
            if self.taken.insert(candidate.clone()) {
                break candidate;
            }
        };
        self.uploads.push((name.clone(), upload));
        name
    }
}

/// Escapes a parameter or file name for a `Content-Disposition` header, as browsers do
/// (WHATWG HTML, "multipart/form-data encoding algorithm"): `"`, CR and LF become
/// percent-escapes, so a name can neither end the quoted string nor start a new header.
pub(crate) fn escape_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        match c {
            '"' => out.push_str("%22"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c => out.push(c),
        }
    }
    out
}

fn choose_boundary(parts: &[Part<'_>]) -> String {
    let mut boundary = BOUNDARY_BASE.to_owned();
    let mut counter = 0u32;
    while parts
        .iter()
        .any(|part| part_contains(part, boundary.as_bytes()))
    {
        counter += 1;
        boundary = format!("{BOUNDARY_BASE}-{counter}");
    }
    boundary
}

fn part_contains(part: &Part<'_>, needle: &[u8]) -> bool {
    let in_content = match &part.content {
        Content::Text(text) => contains(text.as_bytes(), needle),
        Content::File(upload) => {
            contains(upload.file_name().as_bytes(), needle)
                || upload
                    .content_type()
                    .is_some_and(|ct| contains(ct.as_bytes(), needle))
                || matches!(upload.source(), UploadSource::Bytes(b) if contains(b, needle))
        }
    };
    in_content || contains(part.name.as_bytes(), needle)
}

/// Whether `needle` occurs in `haystack`.
fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    let Some((&first, rest)) = needle.split_first() else {
        return true;
    };
    let mut from = 0;
    while let Some(offset) = haystack[from..].iter().position(|&b| b == first) {
        let start = from + offset;
        if haystack[start + 1..].starts_with(rest) {
            return true;
        }
        from = start + 1;
    }
    false
}

/// Lays the parts out as chunks: headers and text in shared buffers, upload bytes as their
/// own chunks (no copy), files on disk as [`Chunk::File`], readers as [`Chunk::Reader`].
fn write(parts: &[Part<'_>], boundary: &str) -> Vec<Chunk> {
    let mut chunks = Vec::new();
    let mut buf = Vec::new();
    for part in parts {
        buf.extend_from_slice(b"--");
        buf.extend_from_slice(boundary.as_bytes());
        buf.extend_from_slice(b"\r\nContent-Disposition: form-data; name=\"");
        buf.extend_from_slice(escape_name(&part.name).as_bytes());
        buf.push(b'"');
        match &part.content {
            Content::Text(text) => {
                buf.extend_from_slice(b"\r\n\r\n");
                buf.extend_from_slice(text.as_bytes());
            }
            Content::File(upload) => {
                buf.extend_from_slice(b"; filename=\"");
                buf.extend_from_slice(escape_name(upload.file_name()).as_bytes());
                buf.extend_from_slice(b"\"\r\nContent-Type: ");
                let content_type = upload.content_type().unwrap_or("application/octet-stream");
                buf.extend_from_slice(content_type.as_bytes());
                buf.extend_from_slice(b"\r\n\r\n");
                match upload.source() {
                    UploadSource::Bytes(bytes) => {
                        chunks.push(Chunk::Bytes(Bytes::from(std::mem::take(&mut buf))));
                        chunks.push(Chunk::Bytes(bytes.clone()));
                    }
                    UploadSource::Path(path) => {
                        chunks.push(Chunk::Bytes(Bytes::from(std::mem::take(&mut buf))));
                        chunks.push(Chunk::File(path.clone()));
                    }
                    UploadSource::Reader(slot) => {
                        chunks.push(Chunk::Bytes(Bytes::from(std::mem::take(&mut buf))));
                        chunks.push(Chunk::Reader {
                            file_name: upload.file_name().to_owned(),
                            slot: slot.clone(),
                        });
                    }
                }
            }
        }
        buf.extend_from_slice(b"\r\n");
    }
    buf.extend_from_slice(b"--");
    buf.extend_from_slice(boundary.as_bytes());
    buf.extend_from_slice(b"--\r\n");
    chunks.push(Chunk::Bytes(Bytes::from(buf)));
    chunks.retain(|c| !matches!(c, Chunk::Bytes(b) if b.is_empty()));
    chunks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contains_finds_needles() {
        assert!(contains(b"abcabd", b"abd"));
        assert!(!contains(b"abcab", b"abd"));
        assert!(contains(b"x", b""));
        assert!(!contains(b"", b"a"));
    }

    #[test]
    fn names_cannot_break_out_of_the_header() {
        assert_eq!(escape_name("a\"b\r\nc"), "a%22b%0D%0Ac");
    }

    #[test]
    fn boundary_grows_until_unique() {
        let text = format!("{BOUNDARY_BASE} and {BOUNDARY_BASE}-1");
        let parts = [Part {
            name: "x".into(),
            content: Content::Text(text),
        }];
        assert_eq!(choose_boundary(&parts), format!("{BOUNDARY_BASE}-2"));
    }
}
