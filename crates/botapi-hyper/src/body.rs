//! Bodies on the wire: the request body (bytes from the core, files streamed from disk) and
//! reading the answer's body under a size limit.

use std::collections::VecDeque;
use std::fmt;
use std::io;
use std::path::PathBuf;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use botapi_proto::Chunk;
use bytes::{Bytes, BytesMut};
use http_body_util::BodyExt;
use hyper::body::{Body, Frame, Incoming, SizeHint};
use tokio::io::{AsyncRead, ReadBuf};

/// How much of an upload file is read per frame.
const FILE_CHUNK: usize = 64 * 1024;

/// The body of a request this crate sends: the bytes the core encoded, with any file part
/// streamed from disk as it is sent.
///
/// It is public only so that a custom client can be named in
/// [`Builder::hyper_client`](crate::Builder::hyper_client): build that client with
/// `RequestBody` as its body type. Its length is always known, so requests carry a
/// `Content-Length`.
pub struct RequestBody {
    parts: VecDeque<Part>,
    remaining: u64,
}

enum Part {
    Bytes(Bytes),
    File(OpenFile),
}

struct OpenFile {
    file: tokio::fs::File,
    path: PathBuf,
    /// Bytes still to send: the file's length when it was opened, minus what was sent.
    left: u64,
}

impl RequestBody {
    /// A body held in memory.
    pub(crate) fn full(bytes: Bytes) -> Self {
        let remaining = bytes.len() as u64;
        let mut parts = VecDeque::new();
        if !bytes.is_empty() {
            parts.push_back(Part::Bytes(bytes));
        }
        RequestBody { parts, remaining }
    }

    /// Opens every file the core left as a [`Chunk::File`]. The length sent for each file is
    /// its length now; a file that shrinks while it is sent fails the request.
    pub(crate) async fn open(chunks: &[Chunk]) -> Result<Self, String> {
        let mut parts = VecDeque::with_capacity(chunks.len());
        let mut remaining = 0u64;
        for chunk in chunks {
            let part = match chunk {
                Chunk::Bytes(bytes) => {
                    remaining += bytes.len() as u64;
                    Part::Bytes(bytes.clone())
                }
                Chunk::File(path) => {
                    let fail = |e: io::Error| format!("cannot read {}: {e}", path.display());
                    let file = tokio::fs::File::open(path).await.map_err(fail)?;
                    let left = file.metadata().await.map_err(fail)?.len();
                    remaining += left;
                    Part::File(OpenFile {
                        file,
                        path: path.clone(),
                        left,
                    })
                }
                // A chunk kind this crate does not know cannot be sent faithfully.
                _ => return Err("the request holds a body part this transport cannot send".into()),
            };
            parts.push_back(part);
        }
        Ok(RequestBody { parts, remaining })
    }
}

impl fmt::Debug for RequestBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestBody")
            .field("remaining", &self.remaining)
            .finish_non_exhaustive()
    }
}

impl Body for RequestBody {
    type Data = Bytes;
    type Error = UploadError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, UploadError>>> {
        let this = &mut *self;
        loop {
            let Some(part) = this.parts.front_mut() else {
                return Poll::Ready(None);
            };
            let data = match part {
                Part::Bytes(bytes) => std::mem::take(bytes),
                Part::File(open) if open.left == 0 => Bytes::new(),
                Part::File(open) => ready!(open.poll_chunk(cx))?,
            };
            if matches!(part, Part::Bytes(_)) || data.is_empty() {
                this.parts.pop_front();
            }
            if !data.is_empty() {
                this.remaining -= data.len() as u64;
                return Poll::Ready(Some(Ok(Frame::data(data))));
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.remaining == 0
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.remaining)
    }
}

impl OpenFile {
    /// The next piece of the file, or an error when it ends before its announced length.
    fn poll_chunk(&mut self, cx: &mut Context<'_>) -> Poll<Result<Bytes, UploadError>> {
        let want = usize::try_from(self.left).map_or(FILE_CHUNK, |left| left.min(FILE_CHUNK));
        let mut buf = BytesMut::zeroed(want);
        let mut read = ReadBuf::new(&mut buf);
        let result = ready!(Pin::new(&mut self.file).poll_read(cx, &mut read));
        let n = read.filled().len();
        let path = self.path.display();
        match result {
            Err(e) => Poll::Ready(Err(UploadError(format!("cannot read {path}: {e}")))),
            Ok(()) if n == 0 => Poll::Ready(Err(UploadError(format!(
                "cannot read {path}: the file shrank while it was being sent"
            )))),
            Ok(()) => {
                self.left -= n as u64;
                buf.truncate(n);
                Poll::Ready(Ok(buf.freeze()))
            }
        }
    }
}

/// An upload file failed while the request was being sent: the error of [`RequestBody`].
/// [`Client::send`](crate::Client::send) reports it as a
/// [`TransportErrorKind::File`](crate::TransportErrorKind::File).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadError(String);

impl fmt::Display for UploadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UploadError {}

/// Why the answer's body could not be read whole.
pub(crate) enum ReadError {
    TooLarge,
    Hyper(hyper::Error),
}

/// Reads the whole body, refusing it once it is longer than `limit`. A body announced as
/// longer by its `Content-Length` is refused before any of it is read; otherwise the frame
/// that crosses the limit is dropped, and nothing past the limit is kept.
pub(crate) async fn read_limited(mut body: Incoming, limit: usize) -> Result<Bytes, ReadError> {
    let hint = body.size_hint();
    if hint.lower() > limit as u64 {
        return Err(ReadError::TooLarge);
    }
    // Most answers arrive as one frame, kept as is; later frames are gathered in `more`.
    let mut first: Option<Bytes> = None;
    let mut more: Vec<u8> = Vec::new();
    let mut received = 0usize;
    while let Some(frame) = body.frame().await {
        let Ok(data) = frame.map_err(ReadError::Hyper)?.into_data() else {
            continue; // trailers
        };
        received = received.saturating_add(data.len());
        if received > limit {
            return Err(ReadError::TooLarge);
        }
        match &first {
            None => first = Some(data),
            Some(head) => {
                if more.is_empty() {
                    let expected = hint.exact().map_or(0, |n| n as usize);
                    more.reserve(expected.max(received).min(limit));
                    more.extend_from_slice(head);
                }
                more.extend_from_slice(&data);
            }
        }
    }
    Ok(if more.is_empty() {
        first.unwrap_or_default()
    } else {
        Bytes::from(more)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str, data: &[u8]) -> PathBuf {
        let path = std::env::temp_dir().join(format!("botapi-hyper-{}-{name}", std::process::id()));
        std::fs::write(&path, data).unwrap();
        path
    }

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
    }

    #[test]
    fn streams_bytes_and_files_in_order_with_an_exact_length() {
        let file: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        let path = scratch("order", &file);
        let chunks = [
            Chunk::Bytes(Bytes::from_static(b"head-")),
            Chunk::File(path.clone()),
            Chunk::Bytes(Bytes::from_static(b"-tail")),
        ];
        let body = runtime().block_on(async {
            let body = RequestBody::open(&chunks).await.unwrap();
            assert_eq!(body.size_hint().exact(), Some(10 + file.len() as u64));
            body.collect().await.unwrap().to_bytes()
        });
        let mut expected = b"head-".to_vec();
        expected.extend_from_slice(&file);
        expected.extend_from_slice(b"-tail");
        assert!(body == expected, "streamed body differs");
        std::fs::remove_file(path).unwrap();
    }

    #[test]
    fn a_file_that_shrinks_fails_the_body() {
        let path = scratch("shrink", &[7u8; 100_000]);
        let chunks = [Chunk::File(path.clone())];
        let error = runtime().block_on(async {
            let body = RequestBody::open(&chunks).await.unwrap();
            std::fs::write(&path, [7u8; 10]).unwrap();
            body.collect().await.unwrap_err()
        });
        assert!(error.to_string().contains("shrank"), "{error}");
        std::fs::remove_file(path).unwrap();
    }

    #[test]
    fn a_missing_file_names_its_path() {
        let path = std::env::temp_dir().join("botapi-hyper-no-such-file");
        let chunks = [Chunk::File(path)];
        let error = runtime().block_on(RequestBody::open(&chunks)).unwrap_err();
        assert!(error.contains("botapi-hyper-no-such-file"), "{error}");
    }

    #[test]
    fn a_memory_body_is_one_frame() {
        let mut body = RequestBody::full(Bytes::from_static(b"{\"a\":1}"));
        assert_eq!(body.size_hint().exact(), Some(7));
        let frame = runtime().block_on(body.frame()).unwrap().unwrap();
        assert_eq!(frame.into_data().unwrap(), Bytes::from_static(b"{\"a\":1}"));
        assert!(body.is_end_stream());
    }
}
