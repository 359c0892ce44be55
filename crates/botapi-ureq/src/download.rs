//! Downloads: a file fetched over HTTP or copied from a local server's disk, to a writer or
//! to a path through a temporary file. The core plans and checks; this moves the bytes.

use std::fs;
use std::io::Write;
use std::path::Path;

use botapi_proto::download::{self, DownloadError, Downloaded, FileSource};
use botapi_proto::types::File;

use crate::client::Client;
use crate::error::from_ureq;

impl Client {
    /// Downloads `file` (what `getFile` answered) to `out`, refusing more than `max_size`
    /// bytes, and returns its size. Fetched over HTTP, or copied from disk when a local Bot
    /// API server answered an absolute path. Memory stays flat: the bytes pass through one
    /// buffer. A body larger than the limit, longer or shorter than `file_size`, or cut off
    /// is an error; what was written to `out` until then stays there (use
    /// [`Client::download_to_path`] to keep nothing).
    pub fn download(&self, file: &File, out: &mut dyn Write, max_size: u64) -> Downloaded {
        let plan = self.proto().download(file, max_size)?;
        let FileSource::Remote(remote) = plan.source() else {
            return plan.copy_local(fs::File::open, out);
        };
        let check = plan.check();
        let timeout = plan.timeout(self.inner.limits.timeout);
        let fail = |e| DownloadError::from(from_ureq(e, plan.context(), timeout, usize::MAX));
        let response = self.inner.run(remote.request().map(|_| ()), timeout);
        let response = response.map_err(fail)?;
        check.answer(response.status(), response.body().content_length())?;
        let body = response.into_body().into_reader();
        download::copy(body, out, check, |e| fail(ureq::Error::from(e)))
    }

    /// Downloads `file` to `path` through a temporary file in the same directory, renamed to
    /// `path` once every byte is in and synced: a failed download leaves nothing behind, and
    /// a file already at `path` is replaced only by a complete one.
    pub fn download_to_path(&self, file: &File, path: &Path, max_size: u64) -> Downloaded {
        let temp = download::temp_path(path, std::process::id())?;
        let failed = |e| DownloadError::output_failed(path, &e);
        let mut out = fs::File::create_new(&temp).map_err(failed)?;
        let written = self.download(file, &mut out, max_size).and_then(|size| {
            let finish = out.sync_all().and_then(|()| fs::rename(&temp, path));
            finish.map_err(failed).map(|()| size)
        });
        if written.is_err() {
            let _ = fs::remove_file(&temp);
        }
        written
    }
}
