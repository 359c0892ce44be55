//! Reading the answer's body under a size limit. (The request body is the core's
//! [`BodyReader`](botapi_proto::transport::BodyReader) over files opened here and readers
//! from their slots; without every length known it goes chunked.)

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use botapi_proto::BlockingReader;

/// Opens an upload file and takes its length, for the core's body reader (which also holds
/// reader uploads, hence the boxed reader).
pub(crate) fn open_file(path: &Path) -> io::Result<(BlockingReader, u64)> {
    let file = File::open(path)?;
    let len = file.metadata()?.len();
    Ok((Box::new(file), len))
}

/// Reads the whole body, refusing it once it is longer than `limit`. A body announced as
/// longer by its `Content-Length` is refused before any of it is read; otherwise reading
/// stops one byte past the limit.
pub(crate) fn read_limited(body: &mut ureq::Body, limit: usize) -> Result<Vec<u8>, ureq::Error> {
    let announced = body.content_length();
    if announced.is_some_and(|n| n > limit as u64) {
        return Err(ureq::Error::BodyExceedsLimit(limit as u64));
    }
    let mut out = Vec::with_capacity(announced.map_or(0, |n| n as usize));
    let mut reader = body.with_config().limit(limit as u64).reader();
    reader.read_to_end(&mut out).map_err(ureq::Error::from)?;
    Ok(out)
}
