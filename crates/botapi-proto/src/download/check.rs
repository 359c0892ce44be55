//! Checking a download's bytes as they arrive ([`SizeCheck`]) and the copy loops that do it
//! for blocking ([`copy`]) and async ([`pump`]) writers.

use std::future::poll_fn;
use std::io::{Read, Write};
use std::path::Path;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::{Buf, Bytes};
use http::StatusCode;

use super::{DownloadError, Downloaded};
use crate::call::CallContext;
use crate::transport_error::TransportErrorKind;

/// Counts a download's bytes as they arrive and refuses a body that is larger than the
/// caller's limit, or longer or shorter than `file_size`, as soon as that is known. It is
/// what every transport runs the same way: [`SizeCheck::answer`] on the status and announced
/// length, [`SizeCheck::push`] on every piece before it is written, [`SizeCheck::finish`]
/// at the end.
#[derive(Debug, Clone)]
pub struct SizeCheck {
    pub(super) expected: Option<u64>,
    pub(super) limit: u64,
    pub(super) received: u64,
    pub(super) context: CallContext,
}

impl SizeCheck {
    /// Checks the answer's status and its announced length (`Content-Length`) before any of
    /// the body is read.
    pub fn answer(&self, status: StatusCode, announced: Option<u64>) -> Result<(), DownloadError> {
        if !status.is_success() {
            return Err(DownloadError::Status { status });
        }
        match announced {
            Some(len) => self.check_total(len),
            None => Ok(()),
        }
    }

    /// Adds `n` received bytes; fails once they are more than allowed or expected.
    pub fn push(&mut self, n: usize) -> Result<(), DownloadError> {
        self.received = self.received.saturating_add(n as u64);
        if self.received > self.limit {
            return Err(DownloadError::TooLarge { limit: self.limit });
        }
        match self.expected {
            Some(expected) if self.received > expected => Err(DownloadError::SizeMismatch {
                expected,
                received: self.received,
            }),
            _ => Ok(()),
        }
    }

    /// The body ended: its size, or an error if it is shorter than `file_size`.
    pub fn finish(&self) -> Result<u64, DownloadError> {
        match self.expected {
            Some(expected) if self.received != expected => Err(DownloadError::SizeMismatch {
                expected,
                received: self.received,
            }),
            _ => Ok(self.received),
        }
    }

    /// The bytes received so far.
    pub fn received(&self) -> u64 {
        self.received
    }

    fn check_total(&self, len: u64) -> Result<(), DownloadError> {
        if len > self.limit {
            return Err(DownloadError::TooLarge { limit: self.limit });
        }
        match self.expected {
            Some(expected) if len != expected => Err(DownloadError::SizeMismatch {
                expected,
                received: len,
            }),
            _ => Ok(()),
        }
    }

    /// Writing to the output failed.
    pub fn write_failed(&self, error: &std::io::Error) -> DownloadError {
        let message = self
            .context
            .redactor()
            .redact(&error.to_string())
            .into_owned();
        DownloadError::Output { message }
    }

    /// The local file at `path` could not be opened or read.
    pub fn local_unreadable(&self, path: &Path, error: &std::io::Error) -> DownloadError {
        DownloadError::Transport(self.context.file_unreadable(path, error))
    }

    /// A transport failure of `kind` while the body was read.
    pub fn transport_error(&self, kind: TransportErrorKind, message: &str) -> DownloadError {
        DownloadError::Transport(self.context.transport_error(kind, message))
    }
}

/// Copies a download from a blocking `reader` (an answer's body, a local file) to `out`
/// through `check`, and flushes `out`. `read_failed` sorts the reader's errors. The bytes
/// pass through one 64 KiB buffer, whatever the size.
pub fn copy(
    mut reader: impl Read,
    mut out: impl Write,
    mut check: SizeCheck,
    read_failed: impl Fn(std::io::Error) -> DownloadError,
) -> Result<u64, DownloadError> {
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(read_failed(e)),
        };
        check.push(n)?;
        out.write_all(&buf[..n])
            .map_err(|e| check.write_failed(&e))?;
    }
    out.flush().map_err(|e| check.write_failed(&e))?;
    check.finish()
}

/// [`copy`] for async transports, with no runtime: pulls pieces from `next` (a poll-style
/// source, an answer's body say) and writes each to `out` through `poll_write` once `check`
/// lets it through, then flushes with `poll_flush`. A transport passes its writer's own
/// poll functions (for tokio, `AsyncWrite::poll_write` and `AsyncWrite::poll_flush`).
pub async fn pump<W: Unpin + ?Sized>(
    mut check: SizeCheck,
    mut next: impl FnMut(&mut Context<'_>) -> Poll<Option<Result<Bytes, DownloadError>>>,
    out: &mut W,
    mut poll_write: impl FnMut(Pin<&mut W>, &mut Context<'_>, &[u8]) -> Poll<std::io::Result<usize>>,
    mut poll_flush: impl FnMut(Pin<&mut W>, &mut Context<'_>) -> Poll<std::io::Result<()>>,
) -> Downloaded {
    while let Some(piece) = poll_fn(&mut next).await {
        let mut piece = piece?;
        check.push(piece.len())?;
        while !piece.is_empty() {
            let written = poll_fn(|cx| poll_write(Pin::new(&mut *out), cx, &piece)).await;
            match written {
                Ok(0) => return Err(check.write_failed(&std::io::ErrorKind::WriteZero.into())),
                Ok(n) => piece.advance(n.min(piece.len())),
                Err(e) => return Err(check.write_failed(&e)),
            }
        }
    }
    let flushed = poll_fn(|cx| poll_flush(Pin::new(&mut *out), cx)).await;
    flushed.map_err(|e| check.write_failed(&e))?;
    check.finish()
}
