//! Downloading a file that `getFile` described: where its bytes are, whether its `file_path`
//! is safe to use, and checking the bytes as they arrive. The transport moves them.
//!
//! A server that serves files over HTTP (the cloud, a local server without `--local`, the
//! emulator) answers a relative `file_path`, fetched with `GET {api_url}/file/bot{token}/{file_path}`.
//! A local Bot API server started with `--local` answers an absolute path on its own disk,
//! which it does not serve: the transport copies it from there. The cloud never answers an
//! absolute path, so one from `api.telegram.org` is refused; from any other server it means a
//! local server, and no setting is needed.
//!
//! ```
//! use botapi_proto::download::FileSource;
//! use botapi_proto::{Client, Token, types::File};
//!
//! let client = Client::new("123456:ABC-def".parse::<Token>()?);
//! let mut file = File::new("AgAD", "u1");
//! file.file_path = Some("photos/file_0.jpg".into());
//! file.file_size = Some(1234);
//! let download = client.download(&file, 20 << 20)?;
//! let FileSource::Remote(remote) = download.source() else { unreachable!() };
//! assert_eq!(remote.redacted_url(), "https://api.telegram.org/file/bot123456:<redacted>/photos/file_0.jpg");
//! assert_eq!(download.expected_size(), Some(1234));
//!
//! // A path that climbs out of its place is refused before anything is sent.
//! file.file_path = Some("photos/../../etc/passwd".into());
//! assert!(client.download(&file, 20 << 20).is_err());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crate::api_url::ApiUrl;
use crate::call::CallContext;
use crate::redact::Redactor;
use crate::request::Body;
use crate::transport_error::TransportErrorKind;
use crate::types::File;

mod check;
mod error;
mod path;

pub use check::{SizeCheck, copy, pump};
pub use error::{DownloadError, Downloaded};
pub use path::FilePathError;
use path::{FilePlace, check_file_path, encode_path};

/// How long a download may take beyond the transport's base timeout: one second per MiB it
/// may carry (its `file_size`, else the caller's limit), a floor of 1 MiB/s.
const SECONDS_PER_MIB: u64 = 1;

/// A file to fetch, built by [`Client::download`](crate::Client::download) from what `getFile`
/// answered: where the bytes are, how many to expect, and the call context that keeps the
/// token out of every error. `Debug` shows the URL redacted.
#[derive(Debug, Clone)]
pub struct Download {
    context: CallContext,
    file_path: String,
    source: FileSource,
    expected: Option<u64>,
    max_size: u64,
}

/// Where a file's bytes are. Exhaustive on purpose: a transport must handle both.
#[derive(Debug, Clone)]
pub enum FileSource {
    /// On the server, served over HTTP.
    Remote(RemoteFile),
    /// On this machine's disk, where a local Bot API server (`--local`) keeps it: the
    /// transport copies it from this absolute path.
    Local(PathBuf),
}

/// A file served over HTTP at `{api_url}/file/bot{token}/{file_path}`. Its URL holds the
/// token, so only [`RemoteFile::request`] gives it, inside a request not to be printed.
#[derive(Clone)]
pub struct RemoteFile {
    uri: http::Uri,
    redacted: String,
}

impl RemoteFile {
    /// The `GET` request that fetches the file. Its URI holds the token: do not print it.
    pub fn request(&self) -> http::Request<Body> {
        let mut request = http::Request::new(Body::empty());
        *request.uri_mut() = self.uri.clone();
        request
    }

    /// The URL with the token's secret replaced by `<redacted>`: safe to log.
    pub fn redacted_url(&self) -> &str {
        &self.redacted
    }
}

impl fmt::Debug for RemoteFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("RemoteFile").field(&self.redacted).finish()
    }
}

impl Download {
    pub(crate) fn new(
        api_url: &ApiUrl,
        redactor: Redactor,
        file: &File,
        max_size: u64,
    ) -> Result<Self, DownloadError> {
        let file_path = file.file_path.as_deref().ok_or(DownloadError::NoFilePath)?;
        let refuse = |reason| DownloadError::FilePath {
            file_path: redactor.redact(file_path).into_owned(),
            reason,
        };
        let place = check_file_path(api_url, file_path).map_err(refuse)?;
        let expected = match file.file_size {
            Some(size) => Some(u64::try_from(size).map_err(|_| DownloadError::BadSize(size))?),
            None => None,
        };
        let context = CallContext::for_download(api_url.clone(), redactor.clone(), file_path);
        let source = match place {
            FilePlace::Absolute => FileSource::Local(PathBuf::from(file_path)),
            FilePlace::Relative => {
                let secret = context.redactor().token().expose_secret();
                let url = format!("{api_url}/file/bot{secret}/{}", encode_path(file_path));
                let uri = url.parse().map_err(|_| refuse(FilePathError::NotAUrl))?;
                let redacted = context.redacted_url();
                FileSource::Remote(RemoteFile { uri, redacted })
            }
        };
        Ok(Download {
            context,
            file_path: file_path.to_owned(),
            source,
            expected,
            max_size,
        })
    }

    /// Where the bytes are.
    pub fn source(&self) -> &FileSource {
        &self.source
    }

    /// The `file_path` the server answered.
    pub fn file_path(&self) -> &str {
        &self.file_path
    }

    /// The last component of the `file_path`, fit to name a file in a directory of the
    /// caller's choosing (it can hold no separator and is never `.` or `..`), if there is one.
    pub fn file_name(&self) -> Option<&str> {
        let name = self.file_path.rsplit(['/', '\\']).next()?;
        (!name.is_empty() && name != "." && name != "..").then_some(name)
    }

    /// The size `getFile` announced (`file_size`), which the body must match.
    pub fn expected_size(&self) -> Option<u64> {
        self.expected
    }

    /// The caller's limit on the file's size.
    pub fn max_size(&self) -> u64 {
        self.max_size
    }

    /// What a transport needs to build token-free errors for this download.
    pub fn context(&self) -> &CallContext {
        &self.context
    }

    /// The whole-download timeout for a transport whose usual timeout is `base`: `base` plus
    /// one second per MiB the download may carry.
    pub fn timeout(&self, base: Duration) -> Duration {
        let bytes = self.expected.unwrap_or(self.max_size);
        let allowance = Duration::from_secs((bytes >> 20).saturating_add(1) * SECONDS_PER_MIB);
        base.saturating_add(allowance)
    }

    /// A fresh check of the bytes, for one attempt.
    pub fn check(&self) -> SizeCheck {
        SizeCheck {
            expected: self.expected,
            limit: self.max_size,
            received: 0,
            context: self.context.clone(),
        }
    }

    /// For a [`FileSource::Local`] file: opens it with `open` (`std::fs::File::open`) and
    /// [`copy`]s it to `out` under a fresh check. For a remote file, an error: nothing local
    /// to copy.
    pub fn copy_local<R: Read>(
        &self,
        open: impl FnOnce(PathBuf) -> std::io::Result<R>,
        out: impl Write,
    ) -> Downloaded {
        let check = self.check();
        let FileSource::Local(path) = &self.source else {
            let message = "the file is not on this machine's disk";
            return Err(check.transport_error(TransportErrorKind::File, message));
        };
        let local = open(path.clone()).map_err(|e| check.local_unreadable(path, &e))?;
        let unreadable = |e| self.check().local_unreadable(path, &e);
        copy(local, out, check, unreadable)
    }

    /// The download ran out of its [`timeout`](Download::timeout).
    pub fn timed_out(&self, after: Duration) -> DownloadError {
        DownloadError::Transport(self.context.timed_out(after))
    }
}

/// A path beside `target`, in the same directory, to download into before renaming it to
/// `target`: a hidden name made from the target's, `process_id` and a counter, so two
/// downloads never share one. Fails when `target` has no file name (`/`, `..`).
pub fn temp_path(target: &Path, process_id: u32) -> Result<PathBuf, DownloadError> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let Some(name) = target.file_name() else {
        let message = format!("{} does not name a file", target.display());
        return Err(DownloadError::Output { message });
    };
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let name = name.to_string_lossy();
    Ok(target.with_file_name(format!(".{name}.{process_id}-{n}.part")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Client;
    use bytes::Bytes;
    use http::StatusCode;
    use std::future::Future;
    use std::pin::Pin;
    use std::task::{Context, Poll};

    fn client(api_url: &str) -> Client {
        Client::new(crate::Token::new("42:SENTINELsecret").unwrap())
            .with_api_url(api_url.parse().unwrap())
    }

    fn file(path: &str, size: Option<i64>) -> File {
        let mut file = File::new("id", "uid");
        file.file_path = Some(path.into());
        file.file_size = size;
        file
    }

    fn refusal(client: &Client, path: &str) -> Option<FilePathError> {
        match client.download(&file(path, None), 1) {
            Err(DownloadError::FilePath { reason, .. }) => Some(reason),
            Ok(_) => None,
            Err(other) => panic!("{other}"),
        }
    }

    #[test]
    fn remote_files_get_a_redacted_url_and_local_ones_a_path() {
        let local = client("http://127.0.0.1:8081/prefix");
        let d = local
            .download(&file("docs/a b?#%.pdf", Some(5)), 10)
            .unwrap();
        let FileSource::Remote(remote) = d.source() else {
            panic!()
        };
        assert_eq!(
            remote.redacted_url(),
            "http://127.0.0.1:8081/prefix/file/bot42:<redacted>/docs/a b?#%.pdf"
        );
        let request = remote.request();
        assert_eq!(request.method(), http::Method::GET);
        assert_eq!(
            request.uri().path(),
            "/prefix/file/bot42:SENTINELsecret/docs/a%20b%3F%23%25.pdf"
        );
        assert_eq!(d.file_name(), Some("a b?#%.pdf"));
        for text in [format!("{d:?}"), format!("{:?}", d.context())] {
            assert!(!text.contains("SENTINEL"), "{text}");
        }
        let d = local
            .download(&file("/var/lib/tg/42/documents/file_1.pdf", None), 10)
            .unwrap();
        assert!(
            matches!(d.source(), FileSource::Local(p) if p == Path::new("/var/lib/tg/42/documents/file_1.pdf"))
        );
        assert_eq!(d.file_name(), Some("file_1.pdf"));
        assert_eq!(
            local.download(&file("dir/", None), 1).unwrap().file_name(),
            None
        );
        assert_eq!(
            local.download(&File::new("id", "u"), 1).unwrap_err(),
            DownloadError::NoFilePath
        );
        assert_eq!(
            local.download(&file("a", Some(-1)), 1).unwrap_err(),
            DownloadError::BadSize(-1)
        );
    }

    #[test]
    fn sizes_are_checked_against_the_limit_and_file_size() {
        let c = client("http://127.0.0.1:1");
        let d = c.download(&file("a", Some(10)), 12).unwrap();
        let check = d.check();
        assert_eq!(
            check.answer(StatusCode::NOT_FOUND, None),
            Err(DownloadError::Status {
                status: StatusCode::NOT_FOUND
            })
        );
        assert_eq!(
            check.answer(StatusCode::OK, Some(13)),
            Err(DownloadError::TooLarge { limit: 12 })
        );
        assert_eq!(
            check.answer(StatusCode::OK, Some(11)),
            Err(DownloadError::SizeMismatch {
                expected: 10,
                received: 11
            })
        );
        assert_eq!(check.answer(StatusCode::OK, Some(10)), Ok(()));
        let mut long = d.check();
        long.push(6).unwrap();
        assert_eq!(
            long.push(5),
            Err(DownloadError::SizeMismatch {
                expected: 10,
                received: 11
            })
        );
        let mut short = d.check();
        short.push(9).unwrap();
        assert_eq!(
            short.finish(),
            Err(DownloadError::SizeMismatch {
                expected: 10,
                received: 9
            })
        );
        let unknown = c.download(&file("a", None), 12).unwrap();
        let mut big = unknown.check();
        assert_eq!(big.push(13), Err(DownloadError::TooLarge { limit: 12 }));
        let mut fine = unknown.check();
        fine.push(12).unwrap();
        assert_eq!(fine.finish(), Ok(12));
        assert_eq!(d.timeout(Duration::from_secs(30)), Duration::from_secs(31));
        let big = c.download(&file("a", Some(200 << 20)), u64::MAX).unwrap();
        assert_eq!(
            big.timeout(Duration::from_secs(30)),
            Duration::from_secs(231)
        );
    }

    #[test]
    fn copy_checks_what_it_writes() {
        let c = client("http://127.0.0.1:1");
        let d = c.download(&file("a", Some(100_000)), u64::MAX).unwrap();
        let data = vec![7u8; 100_000];
        let mut out = Vec::new();
        let n = copy(&data[..], &mut out, d.check(), |_| unreachable!()).unwrap();
        assert_eq!((n, out.len()), (100_000, 100_000));
        let e = copy(&data[..99_999], Vec::new(), d.check(), |_| unreachable!()).unwrap_err();
        assert!(matches!(
            e,
            DownloadError::SizeMismatch {
                received: 99_999,
                ..
            }
        ));
        let mut full = [0u8; 10];
        let e = copy(&data[..], &mut full[..], d.check(), |_| unreachable!()).unwrap_err();
        assert!(matches!(e, DownloadError::Output { .. }), "{e}");
    }

    #[test]
    fn pump_writes_every_piece_in_short_writes_and_checks_sizes() {
        let c = client("http://127.0.0.1:1");
        let d = c.download(&file("a", Some(7)), 100).unwrap();
        let run = |pieces: Vec<&'static [u8]>| {
            let mut pieces = pieces.into_iter();
            let mut out = Vec::new();
            let next =
                |_: &mut Context<'_>| Poll::Ready(pieces.next().map(|p| Ok(Bytes::from_static(p))));
            // A writer that takes at most two bytes at a time.
            let write = |out: Pin<&mut Vec<u8>>, _: &mut Context<'_>, buf: &[u8]| {
                let n = buf.len().min(2);
                out.get_mut().extend_from_slice(&buf[..n]);
                Poll::Ready(Ok(n))
            };
            let flush = |_: Pin<&mut Vec<u8>>, _: &mut Context<'_>| Poll::Ready(Ok(()));
            let mut cx = Context::from_waker(std::task::Waker::noop());
            let polled =
                std::pin::pin!(pump(d.check(), next, &mut out, write, flush)).poll(&mut cx);
            match polled {
                Poll::Ready(result) => result.map(|n| (n, out)),
                Poll::Pending => panic!("nothing here waits"),
            }
        };
        assert_eq!(
            run(vec![b"abc", b"", b"defg"]).unwrap(),
            (7, b"abcdefg".to_vec())
        );
        assert!(matches!(
            run(vec![b"abc"]),
            Err(DownloadError::SizeMismatch { received: 3, .. })
        ));
        assert!(matches!(
            run(vec![b"abcdefgh"]),
            Err(DownloadError::SizeMismatch { received: 8, .. })
        ));
    }

    #[test]
    fn temp_paths_sit_beside_the_target_and_differ() {
        let a = temp_path(Path::new("out/cat.jpg"), 7).unwrap();
        let b = temp_path(Path::new("out/cat.jpg"), 7).unwrap();
        assert_eq!(a.parent(), Some(Path::new("out")));
        assert!(
            a.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with(".cat.jpg.7-")
        );
        assert_ne!(a, b);
        assert!(temp_path(Path::new("/"), 7).is_err());
    }

    #[test]
    fn file_paths_that_escape_are_refused() {
        let cloud = client("https://api.telegram.org");
        let local = client("http://127.0.0.1:8081");
        for c in [&cloud, &local] {
            assert_eq!(refusal(c, ""), Some(FilePathError::Empty));
            assert_eq!(refusal(c, "a/../b"), Some(FilePathError::ParentSegment));
            assert_eq!(refusal(c, ".."), Some(FilePathError::ParentSegment));
            assert_eq!(refusal(c, "a\\..\\b"), Some(FilePathError::ParentSegment));
            assert_eq!(
                refusal(c, "/srv/../etc/passwd"),
                Some(FilePathError::ParentSegment)
            );
            assert_eq!(refusal(c, "a\nb"), Some(FilePathError::ControlCharacter));
            assert_eq!(refusal(c, "a\0b"), Some(FilePathError::ControlCharacter));
            assert_eq!(refusal(c, "photos/..x/a.jpg"), None, "'..x' is a name");
        }
        assert_eq!(
            refusal(&cloud, "/var/lib/bot/a.jpg"),
            Some(FilePathError::AbsoluteFromCloud)
        );
        assert_eq!(refusal(&local, "/var/lib/bot/a.jpg"), None);
    }
}
