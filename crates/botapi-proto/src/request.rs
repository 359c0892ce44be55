//! An encoded request, ready for a transport, and its body.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use bytes::Bytes;
use http::HeaderMap;

use crate::call::CallContext;
use crate::reader_slot::ReaderSlot;

/// A request built by [`Client::encode`](crate::Client::encode): an `http::Request` plus what
/// a transport needs to know to send it well.
///
/// Its URI holds the bot token, so `Debug` shows a redacted URL, and the inner
/// `http::Request` (whose `Debug` would print the token) is only reached through
/// [`Request::into_http`] or [`Request::into_parts`].
pub struct Request {
    pub(crate) http: http::Request<Body>,
    pub(crate) context: CallContext,
}

impl Request {
    /// The Bot API method, such as `getMe`.
    pub fn method_name(&self) -> &str {
        self.context.method_name()
    }

    /// The URL with the token's secret replaced by `<redacted>`: safe to log. Built on
    /// demand, since only errors and logs need it.
    pub fn redacted_url(&self) -> String {
        self.context.redacted_url()
    }

    /// How long the server may hold this request on purpose (long polling). A transport's
    /// timeout for the request should be its usual timeout plus this.
    pub fn timeout_hint(&self) -> Option<Duration> {
        self.context.timeout_hint()
    }

    /// The request headers.
    pub fn headers(&self) -> &HeaderMap {
        self.http.headers()
    }

    /// The request body.
    pub fn body(&self) -> &Body {
        self.http.body()
    }

    /// The `http::Request` to send. Its URI holds the token: do not print or log it.
    pub fn into_http(self) -> http::Request<Body> {
        self.http
    }

    /// The `http::Request` to send and the call's context, which a
    /// [transport](crate::transport) takes beside it.
    pub fn into_parts(self) -> (http::Request<Body>, CallContext) {
        (self.http, self.context)
    }
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Request")
            .field("method", self.http.method())
            .field("url", &self.redacted_url())
            .field("headers", self.http.headers())
            .field("body", self.http.body())
            .field("timeout_hint", &self.timeout_hint())
            .finish()
    }
}

/// A request body: a sequence of chunks that are either bytes in memory, files that the
/// transport streams from disk, or readers it takes out of their slot and streams.
///
/// JSON bodies and multipart bodies whose uploads are all in memory need no streaming; for
/// them [`Body::to_vec`] gives the whole body at once.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Body {
    chunks: Chunks,
}

/// A body's chunks: a JSON body is one chunk, held without a `Vec`.
#[derive(Clone, Default)]
enum Chunks {
    #[default]
    None,
    One(Chunk),
    Many(Vec<Chunk>),
}

impl Chunks {
    fn as_slice(&self) -> &[Chunk] {
        match self {
            Chunks::None => &[],
            Chunks::One(chunk) => std::slice::from_ref(chunk),
            Chunks::Many(chunks) => chunks,
        }
    }
}

// Equal when they hold the same chunks, however they hold them.
impl PartialEq for Chunks {
    fn eq(&self, other: &Self) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl Eq for Chunks {}

/// One piece of a [`Body`].
///
/// Exhaustive on purpose: a transport must be able to send every kind of chunk, so a new
/// kind is a change every transport has to see.
#[derive(Clone, PartialEq, Eq)]
pub enum Chunk {
    /// Bytes to send as they are.
    Bytes(Bytes),
    /// The whole content of this file, to be read and sent by the transport.
    File(PathBuf),
    /// The content of a reader, to be taken out of its slot and sent by the transport.
    Reader {
        /// The upload's file name, to name it in errors.
        file_name: String,
        /// Where the reader waits, with its length when known.
        slot: ReaderSlot,
    },
}

impl Body {
    /// A body with no content.
    pub fn empty() -> Self {
        Body::default()
    }

    /// A body that is the whole content of the file at `path`, which the transport reads
    /// (a local server's file copied through the same path as an upload, say).
    pub fn file(path: impl Into<PathBuf>) -> Self {
        Body::from_chunks(vec![Chunk::File(path.into())])
    }

    pub(crate) fn from_chunks(chunks: Vec<Chunk>) -> Self {
        Body {
            chunks: Chunks::Many(chunks),
        }
    }

    /// A body of one chunk.
    pub(crate) fn from_chunk(chunk: Chunk) -> Self {
        Body {
            chunks: Chunks::One(chunk),
        }
    }

    /// The chunks, in order.
    pub fn chunks(&self) -> &[Chunk] {
        self.chunks.as_slice()
    }

    /// Whether the body has no content.
    pub fn is_empty(&self) -> bool {
        self.chunks()
            .iter()
            .all(|c| matches!(c, Chunk::Bytes(b) if b.is_empty()))
    }

    /// Whether the transport must read a file or a reader to send this body.
    pub fn needs_streaming(&self) -> bool {
        self.chunks().iter().any(|c| !matches!(c, Chunk::Bytes(_)))
    }

    /// The length in bytes of the in-memory part of the body. Equal to the whole length
    /// unless [`Body::needs_streaming`].
    pub fn len_in_memory(&self) -> u64 {
        self.chunks()
            .iter()
            .map(|c| match c {
                Chunk::Bytes(b) => b.len() as u64,
                Chunk::File(_) | Chunk::Reader { .. } => 0,
            })
            .sum()
    }

    /// The whole body in one buffer, or `None` if part of it must be streamed from a file.
    pub fn to_vec(&self) -> Option<Vec<u8>> {
        if self.needs_streaming() {
            return None;
        }
        let mut out = Vec::with_capacity(usize::try_from(self.len_in_memory()).ok()?);
        for chunk in self.chunks() {
            if let Chunk::Bytes(b) = chunk {
                out.extend_from_slice(b);
            }
        }
        Some(out)
    }

    /// The whole body as one `Bytes` without copying when it is a single chunk (every JSON
    /// body), or `None` if part of it must be streamed from a file.
    pub fn to_bytes(&self) -> Option<Bytes> {
        match self.chunks() {
            [] => Some(Bytes::new()),
            [Chunk::Bytes(b)] => Some(b.clone()),
            _ => self.to_vec().map(Bytes::from),
        }
    }
}

impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut list = f.debug_list();
        for chunk in self.chunks() {
            list.entry(chunk);
        }
        list.finish()
    }
}

impl fmt::Debug for Chunk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Chunk::Bytes(b) => write!(f, "Bytes({} bytes)", b.len()),
            Chunk::File(path) => f.debug_tuple("File").field(path).finish(),
            Chunk::Reader { file_name, slot } => f
                .debug_struct("Reader")
                .field("file_name", file_name)
                .field("len", &slot.len())
                .finish(),
        }
    }
}
