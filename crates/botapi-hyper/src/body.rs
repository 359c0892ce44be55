//! Bodies on the wire: the request body (bytes from the core, files and readers streamed) and
//! reading the answer's body under a size limit.

use std::path::PathBuf;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use botapi_proto::transport::{BodyCollector, BodyParts, UploadError};
use botapi_proto::{CallContext, InputFile, ReaderSlot, TransportError, Upload};
use bytes::Bytes;
use http_body_util::BodyExt;
use hyper::body::{Body, Frame, Incoming, SizeHint};
use tokio::io::{AsyncRead, ReadBuf};

/// The reader type of this crate's uploads: upload files once opened, and the readers
/// of [`upload_reader`].
pub type AsyncReader = Pin<Box<dyn AsyncRead + Send>>;

/// An upload read from `reader` while the request is sent, `len` bytes long when known (with
/// every length known the request has an exact `Content-Length`, otherwise it is chunked).
/// The reader is read once: sending the same request again fails with a file error.
pub fn upload_reader(
    file_name: impl Into<String>,
    reader: impl AsyncRead + Send + 'static,
    len: Option<u64>,
) -> InputFile {
    let reader: AsyncReader = Box::pin(reader);
    Upload::reader(file_name, ReaderSlot::new(reader, len)).into()
}

/// The body of a request this crate sends: the bytes the core encoded, with any file or
/// reader part streamed as it is sent.
///
/// It is public only so that a custom client can be named in
/// [`Builder::hyper_client`](crate::Builder::hyper_client): build that client with
/// `RequestBody` as its body type. A file or reader that fails while it is sent fails the
/// body with the core's [`UploadError`].
#[derive(Debug)]
pub struct RequestBody(BodyParts<AsyncReader>);

impl RequestBody {
    /// A body held in memory.
    pub(crate) fn full(bytes: Bytes) -> Self {
        RequestBody(BodyParts::in_memory(bytes))
    }

    /// Opens every file the core left as a file chunk (the length sent for each is its
    /// length now) and takes every reader out of its slot.
    pub(crate) async fn open(
        body: &botapi_proto::Body,
        call: &CallContext,
    ) -> Result<Self, TransportError> {
        let open = |path: PathBuf| async move {
            let file = tokio::fs::File::open(path).await?;
            let len = file.metadata().await?.len();
            Ok((Box::pin(file) as AsyncReader, len))
        };
        BodyParts::open_async(body, call, open)
            .await
            .map(RequestBody)
    }
}

impl Body for RequestBody {
    type Data = Bytes;
    type Error = UploadError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, UploadError>>> {
        let next = self.0.poll_next(cx, |reader, cx, buf| {
            let mut read = ReadBuf::new(buf);
            ready!(reader.as_mut().poll_read(cx, &mut read))?;
            Poll::Ready(Ok(read.filled().len()))
        });
        next.map(|piece| piece.map(|data| data.map(Frame::data)))
    }

    fn size_hint(&self) -> SizeHint {
        self.0
            .remaining()
            .map_or_else(SizeHint::default, SizeHint::with_exact)
    }
}

/// Reads the whole answer body under `limit` bytes; see [`BodyCollector`].
pub(crate) async fn read_limited(
    mut body: Incoming,
    limit: usize,
    call: &CallContext,
) -> Result<Bytes, TransportError> {
    let too_large = |_| call.body_too_large(limit);
    let mut collected = BodyCollector::new(limit, body.size_hint().lower()).map_err(too_large)?;
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| crate::error::from_hyper(&e, call))?;
        // Trailers carry nothing the core reads.
        if let Ok(data) = frame.into_data() {
            collected.push(data).map_err(too_large)?;
        }
    }
    Ok(collected.finish())
}
