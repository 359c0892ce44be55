//! Bodies on the wire: the request body (bytes from the core, files streamed from disk) and
//! reading the answer's body under a size limit.

use std::collections::VecDeque;
use std::fmt;
use std::fs::File;
use std::io::{self, Read};
use std::path::PathBuf;

use botapi_proto::Chunk;
use bytes::{Buf, Bytes};

/// A request body that reads the core's bytes and streams each file part from disk.
pub(crate) struct UploadReader {
    parts: VecDeque<Part>,
}

enum Part {
    Bytes(Bytes),
    File {
        file: File,
        path: PathBuf,
        /// Bytes still to send: the file's length when it was opened, minus what was sent.
        left: u64,
    },
}

impl UploadReader {
    /// Opens every file the core left as a [`Chunk::File`] and returns the reader with the
    /// body's whole length. The length sent for each file is its length now; a file that
    /// shrinks while it is sent fails the request.
    pub(crate) fn open(chunks: &[Chunk]) -> Result<(Self, u64), String> {
        let mut parts = VecDeque::with_capacity(chunks.len());
        let mut length = 0u64;
        for chunk in chunks {
            let part = match chunk {
                Chunk::Bytes(bytes) => {
                    length += bytes.len() as u64;
                    Part::Bytes(bytes.clone())
                }
                Chunk::File(path) => {
                    let fail = |e: io::Error| format!("cannot read {}: {e}", path.display());
                    let file = File::open(path).map_err(fail)?;
                    let left = file.metadata().map_err(fail)?.len();
                    length += left;
                    Part::File {
                        file,
                        path: path.clone(),
                        left,
                    }
                }
                // A chunk kind this crate does not know cannot be sent faithfully.
                _ => return Err("the request holds a body part this transport cannot send".into()),
            };
            parts.push_back(part);
        }
        Ok((UploadReader { parts }, length))
    }
}

impl Read for UploadReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        while let Some(part) = self.parts.front_mut() {
            let n = match part {
                Part::Bytes(bytes) => {
                    let n = bytes.len().min(buf.len());
                    bytes.copy_to_slice(&mut buf[..n]);
                    n
                }
                Part::File { left: 0, .. } => 0,
                Part::File { file, path, left } => {
                    let want = usize::try_from(*left).map_or(buf.len(), |l| l.min(buf.len()));
                    let n = file.read(&mut buf[..want]).map_err(|e| {
                        upload_error(format!("cannot read {}: {e}", path.display()))
                    })?;
                    if n == 0 {
                        return Err(upload_error(format!(
                            "cannot read {}: the file shrank while it was being sent",
                            path.display()
                        )));
                    }
                    *left -= n as u64;
                    n
                }
            };
            if n == 0 {
                self.parts.pop_front();
            } else {
                return Ok(n);
            }
        }
        Ok(0)
    }
}

fn upload_error(message: String) -> io::Error {
    io::Error::other(UploadError(message))
}

/// An upload file failed while the request was being sent.
#[derive(Debug)]
pub(crate) struct UploadError(String);

impl fmt::Display for UploadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UploadError {}

/// Why the answer's body could not be read whole.
pub(crate) enum ReadError {
    TooLarge,
    Ureq(ureq::Error),
}

/// Reads the whole body, refusing it once it is longer than `limit`. A body announced as
/// longer by its `Content-Length` is refused before any of it is read; otherwise reading
/// stops one byte past the limit.
pub(crate) fn read_limited(body: &mut ureq::Body, limit: usize) -> Result<Vec<u8>, ReadError> {
    let announced = body.content_length();
    if announced.is_some_and(|n| n > limit as u64) {
        return Err(ReadError::TooLarge);
    }
    let capacity = announced.map_or(0, |n| n as usize);
    let mut out = Vec::with_capacity(capacity);
    let mut reader = body.with_config().limit(limit as u64).reader();
    match reader.read_to_end(&mut out) {
        Ok(_) => Ok(out),
        Err(e) => match ureq::Error::from(e) {
            ureq::Error::BodyExceedsLimit(_) => Err(ReadError::TooLarge),
            other => Err(ReadError::Ureq(other)),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str, data: &[u8]) -> PathBuf {
        let path = std::env::temp_dir().join(format!("botapi-ureq-{}-{name}", std::process::id()));
        std::fs::write(&path, data).unwrap();
        path
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
        let (mut reader, length) = UploadReader::open(&chunks).unwrap();
        assert_eq!(length, 10 + file.len() as u64);
        let mut body = Vec::new();
        reader.read_to_end(&mut body).unwrap();
        let mut expected = b"head-".to_vec();
        expected.extend_from_slice(&file);
        expected.extend_from_slice(b"-tail");
        assert!(body == expected, "streamed body differs");
        std::fs::remove_file(path).unwrap();
    }

    #[test]
    fn a_file_that_shrinks_fails_the_body() {
        let path = scratch("shrink", &[7u8; 100_000]);
        let (mut reader, _) = UploadReader::open(&[Chunk::File(path.clone())]).unwrap();
        std::fs::write(&path, [7u8; 10]).unwrap();
        let error = reader.read_to_end(&mut Vec::new()).unwrap_err();
        let upload = error
            .get_ref()
            .and_then(|e| e.downcast_ref::<UploadError>());
        assert!(upload.is_some_and(|e| e.0.contains("shrank")), "{error}");
        std::fs::remove_file(path).unwrap();
    }

    #[test]
    fn a_missing_file_names_its_path() {
        let path = std::env::temp_dir().join("botapi-ureq-no-such-file");
        let error = UploadReader::open(&[Chunk::File(path)]).err().unwrap();
        assert!(error.contains("botapi-ureq-no-such-file"), "{error}");
    }
}
