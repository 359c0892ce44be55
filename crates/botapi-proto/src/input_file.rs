//! Files sent to the Bot API: an id or URL Telegram already knows, a path on a local Bot API
//! server's disk, or content to upload (bytes, a file, a reader).

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

use bytes::Bytes;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::reader_slot::{BlockingReader, ReaderSlot};

/// A file parameter (`InputFile or String` in the official reference).
///
/// A file Telegram already has is sent by its `file_id`, a file on the web by its URL, and
/// anything else is uploaded with the request as `multipart/form-data`. Uploads are
/// encoded automatically wherever they sit in the parameters, including inside
/// `InputMedia` and friends, where they become `attach://fileN` references.
///
/// See <https://core.telegram.org/bots/api#sending-files>.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum InputFile {
    /// The `file_id` of a file already stored by Telegram.
    FileId(String),
    /// An HTTP(S) URL that Telegram downloads itself.
    Url(String),
    /// Content sent with the request.
    Upload(Upload),
    /// A file on the disk of a local Bot API server (started with `--local`), sent as a
    /// `file://` reference: the server reads it itself, nothing is uploaded. Build it with
    /// [`InputFile::local`]; the cloud refuses such references.
    Local(PathBuf),
}

impl InputFile {
    /// A file Telegram already stores, by its `file_id`.
    pub fn file_id(id: impl Into<String>) -> Self {
        InputFile::FileId(id.into())
    }

    /// A file Telegram should fetch from the web.
    pub fn url(url: impl Into<String>) -> Self {
        InputFile::Url(url.into())
    }

    /// Bytes to upload, with the file name Telegram shows.
    pub fn bytes(file_name: impl Into<String>, data: impl Into<Bytes>) -> Self {
        InputFile::Upload(Upload::bytes(file_name, data))
    }

    /// A local file that the transport streams from disk when it sends the request.
    /// The core never opens it; see [`UploadSource::Path`].
    pub fn path(path: impl Into<PathBuf>) -> Self {
        InputFile::Upload(Upload::path(path))
    }

    /// Content read from `reader` while the request is sent, by a blocking transport
    /// (`botapi-ureq`); `len` is its length in bytes when known. With every length known the
    /// request has an exact `Content-Length`, otherwise it is sent chunked. The reader is
    /// read once: a second send of the same request fails. For an async transport, use its
    /// own constructor (`botapi_hyper::upload_reader`).
    pub fn reader(
        file_name: impl Into<String>,
        reader: impl Read + Send + 'static,
        len: Option<u64>,
    ) -> Self {
        let reader: BlockingReader = Box::new(reader);
        InputFile::Upload(Upload::reader(file_name, ReaderSlot::new(reader, len)))
    }

    /// A file on a local Bot API server's own disk, referenced as `file://{path}`. The path
    /// must be absolute and free of control characters; it is not read here or by the
    /// transport, only by the server.
    pub fn local(path: impl Into<PathBuf>) -> Result<Self, LocalPathError> {
        let path = path.into();
        let text = path.to_str().ok_or(LocalPathError::NotUnicode)?;
        if !(text.starts_with('/') || path.is_absolute()) {
            return Err(LocalPathError::NotAbsolute);
        }
        if text.chars().any(char::is_control) {
            return Err(LocalPathError::ControlCharacter);
        }
        Ok(InputFile::Local(path))
    }

    /// The upload, if this file is one.
    pub fn as_upload(&self) -> Option<&Upload> {
        match self {
            InputFile::Upload(upload) => Some(upload),
            _ => None,
        }
    }
}

impl fmt::Debug for InputFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InputFile::FileId(id) => f.debug_tuple("FileId").field(id).finish(),
            InputFile::Url(url) => f.debug_tuple("Url").field(url).finish(),
            InputFile::Upload(upload) => fmt::Debug::fmt(upload, f),
            InputFile::Local(path) => f.debug_tuple("Local").field(path).finish(),
        }
    }
}

impl From<Upload> for InputFile {
    fn from(upload: Upload) -> Self {
        InputFile::Upload(upload)
    }
}

/// A file to send with the request.
#[derive(Clone, PartialEq, Eq)]
pub struct Upload {
    file_name: String,
    content_type: Option<String>,
    source: UploadSource,
}

/// Where the content of an [`Upload`] comes from.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum UploadSource {
    /// Content already in memory.
    Bytes(Bytes),
    /// A placeholder for a file on disk. The core puts it in the request body as a
    /// [`Chunk::File`](crate::Chunk::File); the transport opens and streams it, so large
    /// files are never read into memory by the core.
    Path(PathBuf),
    /// A reader the transport takes out of its slot and reads while it sends the request
    /// (see [`ReaderSlot`]).
    Reader(ReaderSlot),
}

/// Why a path cannot be sent as a local server's `file://` reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum LocalPathError {
    /// The path is relative; the server could not know what it is relative to.
    NotAbsolute,
    /// The path is not valid Unicode, so it cannot go into a request parameter.
    NotUnicode,
    /// The path holds a control character.
    ControlCharacter,
}

impl fmt::Display for LocalPathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            LocalPathError::NotAbsolute => "a local server file path must be absolute",
            LocalPathError::NotUnicode => "a local server file path must be valid Unicode",
            LocalPathError::ControlCharacter => {
                "a local server file path must not hold control characters"
            }
        })
    }
}

impl std::error::Error for LocalPathError {}

/// The scheme of a local server file reference.
const LOCAL_SCHEME: &str = "file://";

impl Upload {
    /// Content in memory.
    pub fn bytes(file_name: impl Into<String>, data: impl Into<Bytes>) -> Self {
        Upload {
            file_name: file_name.into(),
            content_type: None,
            source: UploadSource::Bytes(data.into()),
        }
    }

    /// A file on disk, streamed by the transport. The file name sent is the last component
    /// of the path.
    pub fn path(path: impl Into<PathBuf>) -> Self {
        let path = path.into();
        let file_name = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_else(|| "file".to_owned());
        Upload {
            file_name,
            content_type: None,
            source: UploadSource::Path(path),
        }
    }

    /// Content from the reader in `slot`, taken out and read by the transport as it sends.
    /// For transports with their own reader type; see [`ReaderSlot`].
    pub fn reader(file_name: impl Into<String>, slot: ReaderSlot) -> Self {
        Upload {
            file_name: file_name.into(),
            content_type: None,
            source: UploadSource::Reader(slot),
        }
    }

    /// Sets the file name Telegram sees (the default for bytes is the one given, for paths the
    /// last path component).
    #[must_use]
    pub fn with_file_name(mut self, file_name: impl Into<String>) -> Self {
        self.file_name = file_name.into();
        self
    }

    /// Sets the part's `Content-Type` (default `application/octet-stream`).
    #[must_use]
    pub fn with_content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// The file name sent in the part's `Content-Disposition`.
    pub fn file_name(&self) -> &str {
        &self.file_name
    }

    /// The part's `Content-Type`, if set.
    pub fn content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }

    /// Where the content comes from.
    pub fn source(&self) -> &UploadSource {
        &self.source
    }

    /// The marker that stands for this upload while parameters are serialized; the multipart
    /// encoder swaps it for the part name. It holds the upload's address, which identifies
    /// it among the uploads the method lists, and never reaches the wire.
    pub(crate) fn marker(&self) -> String {
        format!("{UPLOAD_MARKER}{:x}", self.address())
    }

    pub(crate) fn address(&self) -> usize {
        std::ptr::from_ref(self) as usize
    }
}

/// Prefix of the placeholder string an [`Upload`] serializes to. It starts with NUL, which no
/// real parameter holds.
pub(crate) const UPLOAD_MARKER: &str = "\u{0}botapi-upload:";

impl fmt::Debug for Upload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Upload");
        d.field("file_name", &self.file_name);
        if let Some(content_type) = &self.content_type {
            d.field("content_type", content_type);
        }
        match &self.source {
            UploadSource::Bytes(bytes) => d.field("bytes", &bytes.len()),
            UploadSource::Path(path) => d.field("path", path),
            UploadSource::Reader(slot) => d.field("reader", slot),
        };
        d.finish()
    }
}

impl fmt::Debug for UploadSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UploadSource::Bytes(bytes) => write!(f, "Bytes({} bytes)", bytes.len()),
            UploadSource::Path(path) => f.debug_tuple("Path").field(path).finish(),
            UploadSource::Reader(slot) => fmt::Debug::fmt(slot, f),
        }
    }
}

impl Serialize for InputFile {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            InputFile::FileId(s) | InputFile::Url(s) => serializer.serialize_str(s),
            InputFile::Upload(upload) => upload.serialize(serializer),
            InputFile::Local(path) => {
                let path = path.to_string_lossy();
                serializer.serialize_str(&format!("{LOCAL_SCHEME}{path}"))
            }
        }
    }
}

impl Serialize for Upload {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        SERIALIZED.set(true);
        serializer.serialize_str(&self.marker())
    }
}

thread_local! {
    /// Set whenever an [`Upload`] is serialized on this thread (see [`serializes_upload`]).
    static SERIALIZED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `serialize` and says whether it serialized an [`Upload`]: how the JSON encoder
/// catches an upload a method did not declare, without scanning the body for markers.
pub(crate) fn serializes_upload<T>(serialize: impl FnOnce() -> T) -> (T, bool) {
    let before = SERIALIZED.replace(false);
    let out = serialize();
    (out, SERIALIZED.replace(before))
}

/// Reading a file parameter back (from JSON a user typed, say) gives a URL for `http://` and
/// `https://` strings, a local server path for `file://` ones, and a `file_id` otherwise.
/// Uploads cannot be written as JSON.
impl<'de> Deserialize<'de> for InputFile {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        if s.starts_with("http://") || s.starts_with("https://") {
            Ok(InputFile::Url(s))
        } else if let Some(path) = s.strip_prefix(LOCAL_SCHEME) {
            InputFile::local(Path::new(path)).map_err(serde::de::Error::custom)
        } else {
            Ok(InputFile::FileId(s))
        }
    }
}

/// Lists the uploads inside a parameter value, in the order they are serialized.
///
/// Every method with a file parameter reports its uploads through
/// [`Method::uploads`](crate::Method::uploads), which walks its fields with this trait.
/// Implement it for your own parameter types only if they can hold an [`InputFile`].
pub trait HasUploads {
    /// Pushes every upload inside `self` onto `out`.
    fn uploads<'a>(&'a self, out: &mut Vec<&'a Upload>);
}

impl HasUploads for InputFile {
    fn uploads<'a>(&'a self, out: &mut Vec<&'a Upload>) {
        if let InputFile::Upload(upload) = self {
            out.push(upload);
        }
    }
}

impl HasUploads for Upload {
    fn uploads<'a>(&'a self, out: &mut Vec<&'a Upload>) {
        out.push(self);
    }
}

impl<T: HasUploads> HasUploads for Option<T> {
    fn uploads<'a>(&'a self, out: &mut Vec<&'a Upload>) {
        if let Some(value) = self {
            value.uploads(out);
        }
    }
}

impl<T: HasUploads> HasUploads for Vec<T> {
    fn uploads<'a>(&'a self, out: &mut Vec<&'a Upload>) {
        for value in self {
            value.uploads(out);
        }
    }
}

impl<T: HasUploads + ?Sized> HasUploads for Box<T> {
    fn uploads<'a>(&'a self, out: &mut Vec<&'a Upload>) {
        (**self).uploads(out);
    }
}
