//! What can go wrong with a download.

use std::fmt;
use std::path::Path;

use http::StatusCode;

use super::FilePathError;
use crate::transport_error::TransportError;

/// What a download ends in: the number of bytes written (or another `T`), or why it failed.
pub type Downloaded<T = u64> = Result<T, DownloadError>;

/// Why a download failed. Whatever failed, a download to a path leaves nothing behind.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DownloadError {
    /// `getFile` answered no `file_path` (the file is not available for download).
    NoFilePath,
    /// The `file_path` is refused; nothing was fetched.
    FilePath {
        /// The path as the server answered it.
        file_path: String,
        /// What is wrong with it.
        reason: FilePathError,
    },
    /// `getFile` answered a negative `file_size`.
    BadSize(i64),
    /// The server answered with an error status (404 when it has no such file).
    Status {
        /// The HTTP status.
        status: StatusCode,
    },
    /// The file is larger than the caller's limit.
    TooLarge {
        /// The limit in bytes.
        limit: u64,
    },
    /// The body is longer or shorter than the `file_size` `getFile` announced (a cut-off
    /// body, or another file).
    SizeMismatch {
        /// The announced size.
        expected: u64,
        /// The size received (or announced by the answer).
        received: u64,
    },
    /// The transfer failed: no connection, a timeout, a body cut off, a local file that
    /// cannot be read.
    Transport(TransportError),
    /// Writing to the output failed.
    Output {
        /// What went wrong.
        message: String,
    },
}

impl fmt::Display for DownloadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DownloadError::NoFilePath => f.write_str("download: getFile answered no file_path"),
            DownloadError::FilePath { file_path, reason } => {
                write!(f, "download: file_path {file_path:?} is refused: {reason}")
            }
            DownloadError::BadSize(size) => {
                write!(f, "download: getFile answered file_size {size}")
            }
            DownloadError::Status { status } => {
                write!(f, "download: the server answered {status}")
            }
            DownloadError::TooLarge { limit } => {
                write!(
                    f,
                    "download: the file is larger than the limit of {limit} bytes"
                )
            }
            DownloadError::SizeMismatch { expected, received } => write!(
                f,
                "download: got {received} bytes where getFile announced {expected}"
            ),
            DownloadError::Transport(e) => fmt::Display::fmt(e, f),
            DownloadError::Output { message } => write!(f, "download: cannot write: {message}"),
        }
    }
}

impl std::error::Error for DownloadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            DownloadError::FilePath { reason, .. } => Some(reason),
            DownloadError::Transport(e) => Some(e),
            _ => None,
        }
    }
}

impl DownloadError {
    /// Creating, finishing or renaming the output file at `path` failed.
    pub fn output_failed(path: &Path, error: &std::io::Error) -> Self {
        let message = format!("{}: {error}", path.display());
        DownloadError::Output { message }
    }
}

impl From<TransportError> for DownloadError {
    fn from(e: TransportError) -> Self {
        DownloadError::Transport(e)
    }
}
