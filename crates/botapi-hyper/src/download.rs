//! Downloads: a file fetched over HTTP or copied from a local server's disk, to a writer or
//! to a path through a temporary file. The core plans, checks and runs the copy loop; this
//! moves the bytes.

use std::path::Path;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use botapi_proto::Body;
use botapi_proto::download::{self, DownloadError, Downloaded, FileSource};
use botapi_proto::types::File;
use bytes::Bytes;
use hyper::body::Body as HttpBody;
use tokio::fs;
use tokio::io::AsyncWrite;

use crate::body::RequestBody;
use crate::client::Client;
use crate::error::from_hyper;

impl Client {
    /// Downloads `file` (what `getFile` answered) to `out`, refusing more than `max_size`
    /// bytes, and returns its size. Fetched over HTTP, or copied from disk when a local Bot
    /// API server answered an absolute path. Memory stays flat: each piece is written as it
    /// arrives. A body larger than the limit, longer or shorter than `file_size`, or cut off
    /// is an error; what was written to `out` until then stays there (use
    /// [`Client::download_to_path`] to keep nothing).
    pub async fn download<W>(&self, file: &File, out: &mut W, max_size: u64) -> Downloaded
    where
        W: AsyncWrite + Unpin + ?Sized,
    {
        let plan = self.proto().download(file, max_size)?;
        let (call, check) = (plan.context(), plan.check());
        let timeout = plan.timeout(self.inner.limits.timeout);
        let copy = async {
            let next = match plan.source() {
                FileSource::Local(path) => {
                    let local = RequestBody::open(&Body::file(path), call).await?;
                    pieces(local, |e| e.to_transport_error(call).into())
                }
                FileSource::Remote(remote) => {
                    let response = self.inner.send(remote.request(), call).await?;
                    check.answer(response.status(), response.body().size_hint().exact())?;
                    pieces(response.into_body(), |e| from_hyper(&e, call).into())
                }
            };
            download::pump(check, next, out, W::poll_write, W::poll_flush).await
        };
        let timed = tokio::time::timeout(timeout, copy).await;
        timed.unwrap_or_else(|_| Err(plan.timed_out(timeout)))
    }

    /// Downloads `file` to `path` through a temporary file in the same directory, renamed to
    /// `path` once every byte is in and synced: a failed download leaves nothing behind, and
    /// a file already at `path` is replaced only by a complete one.
    pub async fn download_to_path(&self, file: &File, path: &Path, max_size: u64) -> Downloaded {
        let temp = download::temp_path(path, std::process::id())?;
        let failed = |e| DownloadError::output_failed(path, &e);
        let mut out = fs::File::create_new(&temp).await.map_err(failed)?;
        let mut written = self.download(file, &mut out, max_size).await;
        if let Ok(size) = written {
            let finished = match out.sync_all().await {
                Ok(()) => fs::rename(&temp, path).await,
                Err(e) => Err(e),
            };
            written = finished.map_err(failed).map(|()| size);
        }
        if written.is_err() {
            let _ = fs::remove_file(&temp).await;
        }
        written
    }
}

/// The data of `body`'s frames, one poll at a time, for the core's copy loop.
type Pieces<'a> = Box<dyn FnMut(&mut Context<'_>) -> Poll<Option<Downloaded<Bytes>>> + Send + 'a>;

fn pieces<'a, B>(body: B, fail: impl Fn(B::Error) -> DownloadError + Send + 'a) -> Pieces<'a>
where
    B: HttpBody<Data = Bytes> + Send + Unpin + 'a,
{
    let mut body = body;
    Box::new(move |cx| {
        let frame = ready!(Pin::new(&mut body).poll_frame(cx));
        Poll::Ready(frame.map(|f| f.map(|f| f.into_data().unwrap_or_default()).map_err(&fail)))
    })
}
