//! Sending upload files and readers: the parts of a body, with each file read from a handle
//! the transport opened and each reader from its slot, its length checked as it goes.

use std::collections::VecDeque;
use std::error::Error as StdError;
use std::fmt;
use std::future::Future;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::task::{Context, Poll, ready};

use bytes::{Buf, Bytes, BytesMut};

use crate::call::CallContext;
use crate::reader_slot::ReaderSlot;
use crate::request::{Body, Chunk};
use crate::transport_error::{TransportError, TransportErrorKind};

/// How much of an upload file or reader is read at a time.
pub const UPLOAD_CHUNK: usize = 64 * 1024;

/// An upload file or reader while it is sent: what it is called and how many of its bytes
/// are still to go.
///
/// The length sent for a file is its length when it was opened; a reader's is the length it
/// was given, or unknown (then it is read to its end). The transport reads at most
/// [`FileProgress::next_read`] bytes at a time and reports each read. A file that ends early
/// (it shrank), a reader that ends before or goes on past its given length, and a failed
/// read are each an [`UploadError`], which the transport's body returns and later finds
/// again in its library's error to report a
/// [`TransportErrorKind::File`](crate::TransportErrorKind::File).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileProgress {
    name: String,
    /// Bytes still to send; `None` when the length is unknown.
    left: Option<u64>,
    sent: u64,
    /// A reader of given length gets one more read at its end, to catch extra content.
    check_end: bool,
    done: bool,
}

impl FileProgress {
    /// A file of `len` bytes at `path`, about to be sent.
    pub fn new(path: &Path, len: u64) -> Self {
        FileProgress::start(path.display().to_string(), Some(len), false)
    }

    /// A reader upload named `file_name`, of `len` bytes when known, about to be sent.
    pub fn reader(file_name: &str, len: Option<u64>) -> Self {
        FileProgress::start(file_name.to_owned(), len, len.is_some())
    }

    fn start(name: String, left: Option<u64>, check_end: bool) -> Self {
        FileProgress {
            name,
            done: left == Some(0) && !check_end,
            left,
            sent: 0,
            check_end,
        }
    }

    /// The bytes still to send, when the length is known.
    pub fn left(&self) -> Option<u64> {
        self.left
    }

    /// Whether every byte went out (and, for a reader of given length, it ended there).
    pub fn is_done(&self) -> bool {
        self.done
    }

    /// How many bytes to read next into a buffer of `capacity`: never past the announced
    /// length (one byte at the end of a reader of given length, to see that it ends there).
    pub fn next_read(&self, capacity: usize) -> usize {
        match self.left {
            None => capacity,
            Some(0) => capacity.min(1),
            Some(left) => usize::try_from(left).map_or(capacity, |left| left.min(capacity)),
        }
    }

    /// Records a read of `n` bytes. A read of 0 before the announced length means the file
    /// shrank or the reader ended early; a read past it, that the reader is longer.
    pub fn advance(&mut self, n: usize) -> Result<(), UploadError> {
        let n = n as u64;
        match self.left {
            None if n == 0 => self.done = true,
            None => {}
            Some(0) if n == 0 => self.done = true,
            Some(0) => {
                return Err(self.fail(&format!(
                    "the reader is longer than its given length of {} bytes",
                    self.sent
                )));
            }
            Some(left) if n == 0 => {
                return Err(self.fail(&if self.check_end {
                    format!(
                        "the reader ended after {} of {} bytes",
                        self.sent,
                        self.sent + left
                    )
                } else {
                    "the file shrank while it was being sent".to_owned()
                }));
            }
            Some(left) => {
                let left = left.saturating_sub(n);
                self.left = Some(left);
                self.done = left == 0 && !self.check_end;
            }
        }
        self.sent += n;
        Ok(())
    }

    /// A read of the file failed.
    pub fn read_failed(&self, error: &std::io::Error) -> UploadError {
        self.fail(&error.to_string())
    }

    fn fail(&self, why: &str) -> UploadError {
        UploadError(format!("cannot read {}: {why}", self.name))
    }
}

/// A request body as a transport sends it: the core's bytes in order, with each file chunk
/// read from the handle the transport opened for it and each reader chunk from the reader it
/// took out of its slot (`F`: a `std::fs::File`, a boxed tokio reader, …; the core never
/// touches the filesystem).
///
/// Each file's length is taken when it is opened, so the total is exact, and the request can
/// carry a `Content-Length`, unless a reader of unknown length is in it
/// ([`BodyParts::remaining`] is `None`; send it chunked). [`BodyParts::front`] gives what
/// to send next; the transport reports what it sent with [`BodyParts::sent`] (bytes) or
/// through the part's [`FileProgress`] (files), or lets [`BodyParts::poll_next`] do both.
pub struct BodyParts<F> {
    parts: VecDeque<BodyPart<F>>,
    remaining: u64,
    length_known: bool,
}

/// One part of [`BodyParts`].
#[derive(Debug)]
pub enum BodyPart<F> {
    /// Bytes in memory, sent as they are.
    Bytes(Bytes),
    /// An open upload file or reader and how much of it is left.
    File(F, FileProgress),
}

impl<F: 'static> BodyParts<F> {
    /// Opens every file chunk of `body` with `open`, which gives the file's handle and its
    /// length, and takes every reader chunk's reader out of its slot as `F`. A file that
    /// cannot be opened, or a reader already sent or made for another transport, is a
    /// [`TransportErrorKind::File`] error naming it.
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
                    parts.push(file, FileProgress::new(path, len));
                }
                Chunk::Reader { file_name, slot } => parts.push_reader(file_name, slot, call)?,
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
                    parts.push(file, FileProgress::new(path, len));
                }
                Chunk::Reader { file_name, slot } => parts.push_reader(file_name, slot, call)?,
            }
        }
        Ok(parts)
    }

    fn push_reader(
        &mut self,
        file_name: &str,
        slot: &ReaderSlot,
        call: &CallContext,
    ) -> Result<(), TransportError> {
        let reader = slot.take::<F>().map_err(|e| {
            let message = format!("cannot send {file_name}: {e}");
            call.transport_error(TransportErrorKind::File, &message)
        })?;
        self.push(reader, FileProgress::reader(file_name, slot.len()));
        Ok(())
    }
}

impl<F> BodyParts<F> {
    /// A body held in memory.
    pub fn in_memory(bytes: Bytes) -> Self {
        let mut parts = BodyParts::with_capacity(1);
        parts.push_bytes(bytes);
        parts
    }

    /// A body that is one open file (or reader) and its progress: a local file copied
    /// through the same path as an upload, say.
    pub fn single(file: F, progress: FileProgress) -> Self {
        let mut parts = BodyParts::with_capacity(1);
        parts.push(file, progress);
        parts
    }

    fn with_capacity(n: usize) -> Self {
        BodyParts {
            parts: VecDeque::with_capacity(n),
            remaining: 0,
            length_known: true,
        }
    }

    fn push_bytes(&mut self, bytes: Bytes) {
        self.remaining += bytes.len() as u64;
        self.parts.push_back(BodyPart::Bytes(bytes));
    }

    fn push(&mut self, file: F, progress: FileProgress) {
        match progress.left() {
            Some(len) => self.remaining += len,
            None => self.length_known = false,
        }
        self.parts.push_back(BodyPart::File(file, progress));
    }

    /// The bytes still to send, or `None` when a reader of unknown length is in the body.
    pub fn remaining(&self) -> Option<u64> {
        self.length_known.then_some(self.remaining)
    }

    /// Whether nothing is left to send.
    pub fn is_finished(&mut self) -> bool {
        self.front().is_none()
    }

    /// The part to send from next, once finished parts are dropped; `None` at the end.
    pub fn front(&mut self) -> Option<&mut BodyPart<F>> {
        while let Some(part) = self.parts.front() {
            let done = match part {
                BodyPart::Bytes(bytes) => bytes.is_empty(),
                BodyPart::File(_, progress) => progress.is_done(),
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

    /// The next piece of the body, for a transport whose handles `F` read through `read`
    /// (a poll-style read into a buffer, as async readers have): bytes as they are, files
    /// and readers [`UPLOAD_CHUNK`] bytes at a time, with their lengths checked. `None` at
    /// the end.
    pub fn poll_next(
        &mut self,
        cx: &mut Context<'_>,
        mut read: impl FnMut(&mut F, &mut Context<'_>, &mut [u8]) -> Poll<std::io::Result<usize>>,
    ) -> Poll<Option<Result<Bytes, UploadError>>> {
        loop {
            let data = match self.front() {
                None => return Poll::Ready(None),
                Some(BodyPart::Bytes(bytes)) => std::mem::take(bytes),
                Some(BodyPart::File(file, progress)) => {
                    let mut buf = BytesMut::zeroed(progress.next_read(UPLOAD_CHUNK));
                    let n = match ready!(read(file, cx, &mut buf)) {
                        Ok(n) => n.min(buf.len()),
                        Err(e) => return Poll::Ready(Some(Err(progress.read_failed(&e)))),
                    };
                    if let Err(e) = progress.advance(n) {
                        return Poll::Ready(Some(Err(e)));
                    }
                    buf.truncate(n);
                    buf.freeze()
                }
            };
            if !data.is_empty() {
                self.sent(data.len());
                return Poll::Ready(Some(Ok(data)));
            }
        }
    }
}

impl<F> fmt::Debug for BodyParts<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BodyParts")
            .field("remaining", &self.remaining())
            .finish_non_exhaustive()
    }
}

/// A request body as one blocking reader over [`BodyParts`], for transports that send a body
/// from a `std::io::Read`. A file that fails or ends early makes `read` fail with an
/// [`UploadError`] inside the `io::Error` ([`UploadError::find_in`] finds it).
#[derive(Debug)]
pub struct BodyReader<R>(BodyParts<R>);

impl<R: Read + 'static> BodyReader<R> {
    /// Opens every file chunk of `body` with `open`; see [`BodyParts::open`].
    pub fn open(
        body: &Body,
        call: &CallContext,
        open: impl FnMut(&Path) -> std::io::Result<(R, u64)>,
    ) -> Result<Self, TransportError> {
        BodyParts::open(body, call, open).map(BodyReader)
    }
}

impl<R: Read> BodyReader<R> {
    /// A reader over parts built some other way ([`BodyParts::single`], say).
    pub fn from_parts(parts: BodyParts<R>) -> Self {
        BodyReader(parts)
    }

    /// The whole body's length in bytes, or `None` when a reader of unknown length is in it
    /// (send the body chunked then).
    pub fn len(&self) -> Option<u64> {
        self.0.remaining()
    }

    /// Whether the body is known to be empty.
    pub fn is_empty(&self) -> bool {
        self.len() == Some(0)
    }
}

impl<R: Read> Read for BodyReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            let n = match self.0.front() {
                None => return Ok(0),
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
            if n > 0 {
                self.0.sent(n);
                return Ok(n);
            }
        }
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
            "sendDocument".into(),
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
        assert_eq!(reader.len(), Some(10 + file.len() as u64));
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
        assert_eq!((file.left(), file.next_read(3)), (Some(6), 3));
        let e = file.advance(0).unwrap_err();
        assert_eq!(
            e.to_string(),
            "cannot read /tmp/x.bin: the file shrank while it was being sent"
        );
        file.advance(6).unwrap();
        assert!(file.is_done(), "a file is done at its length");
    }

    fn reader_body(data: &[u8], len: Option<u64>) -> (Body, crate::ReaderSlot) {
        let reader: crate::BlockingReader = Box::new(io::Cursor::new(data.to_vec()));
        let slot = crate::ReaderSlot::new(reader, len);
        let chunks = vec![
            Chunk::Bytes(Bytes::from_static(b"<")),
            Chunk::Reader {
                file_name: "r.bin".into(),
                slot: slot.clone(),
            },
            Chunk::Bytes(Bytes::from_static(b">")),
        ];
        (body(chunks), slot)
    }

    fn read_all(body: &Body) -> Result<(Option<u64>, Vec<u8>), String> {
        let no_files = |_: &Path| -> io::Result<(crate::BlockingReader, u64)> { unreachable!() };
        let mut reader = BodyReader::open(body, &call(), no_files).map_err(|e| e.to_string())?;
        let len = reader.len();
        let mut out = Vec::new();
        match reader.read_to_end(&mut out) {
            Ok(_) => Ok((len, out)),
            Err(e) => Err(UploadError::find_in(&e)
                .expect("an upload error")
                .to_string()),
        }
    }

    #[test]
    fn a_reader_of_known_length_gives_an_exact_length_and_is_checked_at_both_ends() {
        let data: Vec<u8> = (0..150_000u32).map(|i| (i % 7) as u8).collect();
        let (exact, slot) = reader_body(&data, Some(data.len() as u64));
        let (len, out) = read_all(&exact).unwrap();
        assert_eq!(len, Some(data.len() as u64 + 2));
        assert!(out[1..out.len() - 1] == data[..] && out[0] == b'<' && out[out.len() - 1] == b'>');
        assert!(slot.is_taken());
        assert_eq!(
            read_all(&exact).unwrap_err(),
            "sendDocument: cannot send r.bin: its reader was already sent once, and a reader cannot be read twice"
        );
        let (short, _) = reader_body(&data[..10], Some(11));
        assert_eq!(
            read_all(&short).unwrap_err(),
            "cannot read r.bin: the reader ended after 10 of 11 bytes"
        );
        let (long, _) = reader_body(&data[..12], Some(11));
        assert_eq!(
            read_all(&long).unwrap_err(),
            "cannot read r.bin: the reader is longer than its given length of 11 bytes"
        );
    }

    #[test]
    fn a_reader_of_unknown_length_is_read_to_its_end() {
        let (unknown, _) = reader_body(b"abc", None);
        assert_eq!(read_all(&unknown).unwrap(), (None, b"<abc>".to_vec()));
        let (empty, _) = reader_body(b"", None);
        assert_eq!(read_all(&empty).unwrap(), (None, b"<>".to_vec()));
        let other = crate::ReaderSlot::new(String::new(), None);
        let chunks = vec![Chunk::Reader {
            file_name: "x".into(),
            slot: other,
        }];
        assert!(
            read_all(&body(chunks))
                .unwrap_err()
                .contains("another kind of transport")
        );
    }

    #[test]
    fn poll_next_reads_files_in_chunks_and_skips_empty_reads() {
        let (known, _) = reader_body(&vec![9u8; UPLOAD_CHUNK + 5], Some(UPLOAD_CHUNK as u64 + 5));
        let no_files = |_: &Path| -> io::Result<(crate::BlockingReader, u64)> { unreachable!() };
        let mut parts = BodyParts::open(&known, &call(), no_files).unwrap();
        let waker = std::task::Waker::noop();
        let mut cx = Context::from_waker(waker);
        let mut sizes = Vec::new();
        while let Poll::Ready(Some(piece)) =
            parts.poll_next(&mut cx, |r, _, buf| Poll::Ready(r.read(buf)))
        {
            sizes.push(piece.unwrap().len());
        }
        assert_eq!(sizes, [1, UPLOAD_CHUNK, 5, 1]);
        assert_eq!(parts.remaining(), Some(0));
        assert!(parts.is_finished());
    }
}
