//! Whether a `file_path` from `getFile` is safe to use, and where it points: a relative path
//! served over HTTP, or an absolute one on a local server's disk.

use std::fmt;
use std::path::Path;

use crate::api_url::ApiUrl;

/// Where a checked `file_path` points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum FilePlace {
    Relative,
    Absolute,
}

/// Checks a `file_path` from `api_url`'s `getFile`: never empty, no control character, no
/// `..` segment, and absolute only from a server that is not the cloud.
pub(super) fn check_file_path(
    api_url: &ApiUrl,
    file_path: &str,
) -> Result<FilePlace, FilePathError> {
    if file_path.is_empty() {
        return Err(FilePathError::Empty);
    }
    if file_path.chars().any(char::is_control) {
        return Err(FilePathError::ControlCharacter);
    }
    if file_path.split(['/', '\\']).any(|segment| segment == "..") {
        return Err(FilePathError::ParentSegment);
    }
    let absolute = file_path.starts_with(['/', '\\']) || Path::new(file_path).is_absolute();
    match (absolute, api_url.is_cloud()) {
        (false, _) => Ok(FilePlace::Relative),
        (true, true) => Err(FilePathError::AbsoluteFromCloud),
        (true, false) => Ok(FilePlace::Absolute),
    }
}

/// Percent-encodes what cannot stand in a URL path as it is (`?`, `#`, `%`, spaces, non-ASCII).
pub(super) fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for &b in path.as_bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Why a `file_path` is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FilePathError {
    /// It is empty.
    Empty,
    /// It holds a control character.
    ControlCharacter,
    /// It has a `..` segment, which would climb out of the server's file directory (or, as an
    /// output name, out of the caller's).
    ParentSegment,
    /// It is an absolute path from `api.telegram.org`, which never answers one.
    AbsoluteFromCloud,
    /// It does not make a valid URL.
    NotAUrl,
}

impl fmt::Display for FilePathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FilePathError::Empty => "it is empty",
            FilePathError::ControlCharacter => "it holds a control character",
            FilePathError::ParentSegment => "it has a '..' segment",
            FilePathError::AbsoluteFromCloud => {
                "it is an absolute path, which the cloud Bot API never answers"
            }
            FilePathError::NotAUrl => "it does not make a valid URL",
        })
    }
}

impl std::error::Error for FilePathError {}
