//! Bodies on the wire: the request body (bytes from the core, files streamed from disk) and
//! reading the answer's body under a size limit.

use std::path::PathBuf;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use botapi_proto::transport::{BodyCollector, BodyPart, BodyParts, FileProgress, UploadError};
use botapi_proto::{CallContext, TransportError};
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
/// `Content-Length`. A file that fails while it is sent fails the body with the core's
/// [`UploadError`].
#[derive(Debug)]
pub struct RequestBody(BodyParts<tokio::fs::File>);

impl RequestBody {
    /// A body held in memory.
    pub(crate) fn full(bytes: Bytes) -> Self {
        RequestBody(BodyParts::in_memory(bytes))
    }

    /// Opens every file the core left as a file chunk. The length sent for each file is its
    /// length now.
    pub(crate) async fn open(
        body: &botapi_proto::Body,
        call: &CallContext,
    ) -> Result<Self, TransportError> {
        let open = |path: PathBuf| async move {
            let file = tokio::fs::File::open(path).await?;
            let len = file.metadata().await?.len();
            Ok((file, len))
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
        let parts = &mut self.0;
        let data = match parts.front() {
            None => return Poll::Ready(None),
            Some(BodyPart::Bytes(bytes)) => std::mem::take(bytes),
            Some(BodyPart::File(file, progress)) => ready!(poll_file(file, progress, cx))?,
        };
        parts.sent(data.len());
        Poll::Ready(Some(Ok(Frame::data(data))))
    }

    fn is_end_stream(&self) -> bool {
        self.0.remaining() == 0
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.0.remaining())
    }
}

/// The next piece of an upload file, or an error when it ends before its announced length.
fn poll_file(
    file: &mut tokio::fs::File,
    progress: &mut FileProgress,
    cx: &mut Context<'_>,
) -> Poll<Result<Bytes, UploadError>> {
    let mut buf = BytesMut::zeroed(progress.next_read(FILE_CHUNK));
    let mut read = ReadBuf::new(&mut buf);
    let result = ready!(Pin::new(file).poll_read(cx, &mut read));
    let n = read.filled().len();
    Poll::Ready(match result {
        Err(e) => Err(progress.read_failed(&e)),
        Ok(()) => progress.advance(n).map(|()| {
            buf.truncate(n);
            buf.freeze()
        }),
    })
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
