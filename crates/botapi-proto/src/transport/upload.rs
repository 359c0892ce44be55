//! Sending upload files: the parts of a body, with each file read from a handle the
//! transport opened, its length checked as it goes.

use std::collections::VecDeque;
use std::error::Error as StdError;
use std::fmt;
use std::future::Future;
use std::io::Read;
use std::path::{Path, PathBuf};

use bytes::{Buf, Bytes};

use crate::call::CallContext;
use crate::request::{Body, Chunk};
use crate::transport_error::{TransportError, TransportErrorKind};

/// An upload file while it is sent: its path and how many of its bytes are still to go.
///
/// The length sent for a file is its length when it was opened; the transport reads at most
/// [`FileProgress::next_read`] bytes at a time and reports each read. A file that ends early
/// (it shrank) or fails to read is an [`UploadError`], which the transport's body returns and
/// later finds again in its library's error to report a
/// [`TransportErrorKind::File`](crate::TransportErrorKind::File).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileProgress {
    path: PathBuf,
    left: u64,
}

impl FileProgress {
    /// A file of `len` bytes at `path`, about to be sent.
    pub fn new(path: &Path, len: u64) -> Self {
        FileProgress {
            path: path.to_owned(),
            left: len,
        }
    }

    /// The bytes still to send.
    pub fn left(&self) -> u64 {
        self.left
    }

    /// How many bytes to read next into a buffer of `capacity`: never past the announced
    /// length.
    pub fn next_read(&self, capacity: usize) -> usize {
        usize::try_from(self.left).map_or(capacity, |left| left.min(capacity))
    }

    /// Records a read of `n` bytes. A read of 0 before the end means the file shrank.
    pub fn advance(&mut self, n: usize) -> Result<(), UploadError> {
        if n == 0 && self.left > 0 {
            return Err(UploadError(format!(
                "cannot read {}: the file shrank while it was being sent",
                self.path.display()
            )));
        }
        self.left = self.left.saturating_sub(n as u64);
        Ok(())
    }

    /// A read of the file failed.
    pub fn read_failed(&self, error: &std::io::Error) -> UploadError {
        UploadError(format!("cannot read {}: {error}", self.path.display()))
    }
}

/// A request body as a transport sends it: the core's bytes in order, with each file chunk
/// read from the handle the transport opened for it (`F`: a `std::fs::File`, a
/// `tokio::fs::File`, …; the core never touches the filesystem).
///
/// Each file's length is taken when it is opened, so the total is exact and the request can
/// carry a `Content-Length`. [`BodyParts::front`] gives what to send next; the transport
/// reports what it sent with [`BodyParts::sent`] (bytes) or through the part's
/// [`FileProgress`] (files).
pub struct BodyParts<F> {
    parts: VecDeque<BodyPart<F>>,
    remaining: u64,
}

/// One part of [`BodyParts`].
#[derive(Debug)]
pub enum BodyPart<F> {
    /// Bytes in memory, sent as they are.
    Bytes(Bytes),
    /// An open upload file and how much of it is left.
    File(F, FileProgress),
}

impl<F> BodyParts<F> {
    /// Opens every file chunk of `body` with `open`, which gives the file's handle and its
    /// length. A file that cannot be opened is a [`TransportErrorKind::File`] error naming it.
    pub fn open(
        body: &Body,
        call: &CallContext,
        mut open: impl FnMut(&Path) -> std::io::Result<(F, u64)>,
    ) -> Result<Self, TransportError> {
        let mut parts = BodyParts::with_capacity(body.chunks().len());
        for chunk in body.chunks() {
            match chunk {
                Chunk::Bytes(bytes) => parts.push_bytes(bytes.clone()),
                Chunk::File(path) => {
                    let (file, len) = open(path).map_err(|e| call.file_unreadable(path, &e))?;
                    parts.push_file(file, path, len);
                }
            }
        }
        Ok(parts)
    }

    /// [`BodyParts::open`] with an async `open`.
    pub async fn open_async<Fut>(
        body: &Body,
        call: &CallContext,
        mut open: impl FnMut(PathBuf) -> Fut,
    ) -> Result<Self, TransportError>
    where
        Fut: Future<Output = std::io::Result<(F, u64)>>,
    {
        let mut parts = BodyParts::with_capacity(body.chunks().len());
        for chunk in body.chunks() {
            match chunk {
                Chunk::Bytes(bytes) => parts.push_bytes(bytes.clone()),
                Chunk::File(path) => {
                    let opened = open(path.clone()).await;
                    let (file, len) = opened.map_err(|e| call.file_unreadable(path, &e))?;
                    parts.push_file(file, path, len);
                }
            }
        }
        Ok(parts)
    }

    /// A body held in memory.
    pub fn in_memory(bytes: Bytes) -> Self {
        let mut parts = BodyParts::with_capacity(1);
        parts.push_bytes(bytes);
        parts
    }

    fn with_capacity(n: usize) -> Self {
        BodyParts {
            parts: VecDeque::with_capacity(n),
            remaining: 0,
        }
    }

    fn push_bytes(&mut self, bytes: Bytes) {
        self.remaining += bytes.len() as u64;
        self.parts.push_back(BodyPart::Bytes(bytes));
    }

    fn push_file(&mut self, file: F, path: &Path, len: u64) {
        self.remaining += len;
        self.parts
            .push_back(BodyPart::File(file, FileProgress::new(path, len)));
    }

    /// The bytes still to send.
    pub fn remaining(&self) -> u64 {
        self.remaining
    }

    /// The part to send from next, once finished parts are dropped; `None` at the end.
    pub fn front(&mut self) -> Option<&mut BodyPart<F>> {
        while let Some(part) = self.parts.front() {
            let done = match part {
                BodyPart::Bytes(bytes) => bytes.is_empty(),
                BodyPart::File(_, progress) => progress.left() == 0,
            };
            if !done {
                break;
            }
            self.parts.pop_front();
        }
        self.parts.front_mut()
    }

    /// Records that `n` more bytes of the body went out.
    pub fn sent(&mut self, n: usize) {
        self.remaining = self.remaining.saturating_sub(n as u64);
    }
}

impl<F> fmt::Debug for BodyParts<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BodyParts")
            .field("remaining", &self.remaining)
            .finish_non_exhaustive()
    }
}

/// A request body as one blocking reader over [`BodyParts`], for transports that send a body
/// from a `std::io::Read`. A file that fails or ends early makes `read` fail with an
/// [`UploadError`] inside the `io::Error` ([`UploadError::find_in`] finds it).
#[derive(Debug)]
pub struct BodyReader<R>(BodyParts<R>);

impl<R: Read> BodyReader<R> {
    /// Opens every file chunk of `body` with `open`; see [`BodyParts::open`].
    pub fn open(
        body: &Body,
        call: &CallContext,
        open: impl FnMut(&Path) -> std::io::Result<(R, u64)>,
    ) -> Result<Self, TransportError> {
        BodyParts::open(body, call, open).map(BodyReader)
    }

    /// The whole body's length in bytes.
    pub fn len(&self) -> u64 {
        self.0.remaining()
    }

    /// Whether the body is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl<R: Read> Read for BodyReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = match self.0.front() {
            None => return Ok(0),
            Some(_) if buf.is_empty() => return Ok(0),
            Some(BodyPart::Bytes(bytes)) => {
                let n = bytes.len().min(buf.len());
                bytes.copy_to_slice(&mut buf[..n]);
                n
            }
            Some(BodyPart::File(reader, progress)) => {
                let want = progress.next_read(buf.len());
                let n = reader.read(&mut buf[..want]);
                let n = n.map_err(|e| std::io::Error::other(progress.read_failed(&e)))?;
                progress.advance(n).map_err(std::io::Error::other)?;
                n
            }
        };
        self.0.sent(n);
        Ok(n)
    }
}

/// An upload file failed while the request was being sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadError(pub(crate) String);

impl fmt::Display for UploadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl StdError for UploadError {}

impl UploadError {
    /// This failure as the call's transport error.
    pub fn to_transport_error(&self, call: &CallContext) -> TransportError {
        call.transport_error(TransportErrorKind::File, &self.0)
    }

    /// The upload failure inside an `io::Error` from a [`BodyReader`], if that is what it is.
    pub fn find_in(error: &std::io::Error) -> Option<&UploadError> {
        error.get_ref()?.downcast_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io;

    fn call() -> CallContext {
        let token = crate::Token::new("1:SENTINEL").unwrap();
        CallContext::new(
            "sendDocument",
            crate::ApiUrl::default(),
            token.redactor(),
            None,
            false,
        )
    }

    fn body(chunks: Vec<Chunk>) -> Body {
        Body::from_chunks(chunks)
    }

    #[test]
    fn a_body_reader_reads_bytes_and_files_in_order_with_an_exact_length() {
        let file: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        let chunks = vec![
            Chunk::Bytes(Bytes::from_static(b"head-")),
            Chunk::File("a.bin".into()),
            Chunk::Bytes(Bytes::from_static(b"-tail")),
        ];
        let mut opened = Vec::new();
        let mut reader = BodyReader::open(&body(chunks), &call(), |path| {
            opened.push(path.to_owned());
            Ok((io::Cursor::new(file.clone()), file.len() as u64))
        })
        .unwrap();
        assert_eq!(opened, [PathBuf::from("a.bin")]);
        assert_eq!(reader.len(), 10 + file.len() as u64);
        let mut out = Vec::new();
        reader.read_to_end(&mut out).unwrap();
        let mut expected = b"head-".to_vec();
        expected.extend_from_slice(&file);
        expected.extend_from_slice(b"-tail");
        assert!(out == expected, "body differs");
    }

    #[test]
    fn a_body_reader_fails_on_a_file_that_shrank_or_cannot_be_opened() {
        let chunks = vec![Chunk::File("short.bin".into())];
        let mut reader = BodyReader::open(&body(chunks.clone()), &call(), |_| {
            Ok((io::Cursor::new(vec![1u8; 10]), 100))
        })
        .unwrap();
        let e = reader.read_to_end(&mut Vec::new()).unwrap_err();
        let upload = UploadError::find_in(&e).expect("an upload error");
        assert!(upload.to_string().contains("shrank"), "{upload}");
        let e = BodyReader::<io::Empty>::open(&body(chunks), &call(), |_| {
            Err(io::Error::from(io::ErrorKind::NotFound))
        })
        .unwrap_err();
        assert_eq!(e.kind(), TransportErrorKind::File);
        assert_eq!(
            e.to_string(),
            "sendDocument: cannot read short.bin: entity not found"
        );
    }

    #[test]
    fn a_file_that_ends_early_is_an_error() {
        let mut file = FileProgress::new(Path::new("/tmp/x.bin"), 10);
        assert_eq!(file.next_read(64), 10);
        file.advance(4).unwrap();
        assert_eq!((file.left(), file.next_read(3)), (6, 3));
        let e = file.advance(0).unwrap_err();
        assert_eq!(
            e.to_string(),
            "cannot read /tmp/x.bin: the file shrank while it was being sent"
        );
        file.advance(6).unwrap();
        assert!(file.advance(0).is_ok(), "a read of 0 at the end is the end");
    }
}
