//! Uploads read from a reader: the reader itself lives in an opaque slot that the transport
//! empties when it sends the request. The core never reads from it; it only carries it from
//! the [`InputFile`](crate::InputFile) into the request body.
//!
//! A blocking reader (`std::io::Read`) is put in by [`InputFile::reader`](crate::InputFile::reader);
//! an async transport puts in its own reader type (for `botapi-hyper`, a boxed tokio
//! `AsyncRead`) through [`ReaderSlot::new`], since the core depends on no runtime. Each
//! transport takes out the type it knows; any other type, or a second take, is a typed
//! failure of the call, never a panic.

use std::any::Any;
use std::fmt;
use std::io::Read;
use std::sync::{Arc, Mutex};

/// The reader behind a blocking reader upload, as [`InputFile::reader`](crate::InputFile::reader)
/// stores it and a blocking transport takes it out.
pub type BlockingReader = Box<dyn Read + Send>;

/// A reader waiting to be sent, and its length when known.
///
/// Cloning shares the reader: every clone of a request refers to the same one, and only the
/// first send can take it (a reader cannot be read twice). Two slots are equal when they
/// share the reader.
#[derive(Clone)]
pub struct ReaderSlot {
    reader: Arc<Mutex<Option<Box<dyn Any + Send>>>>,
    len: Option<u64>,
}

/// Why a transport could not take the reader out of a [`ReaderSlot`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TakeReaderError {
    /// An earlier send took the reader; a reader upload can be sent once.
    AlreadyTaken,
    /// The slot holds a reader for another kind of transport (a blocking `Read` given to
    /// an async client, say).
    OtherTransport,
}

impl fmt::Display for TakeReaderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TakeReaderError::AlreadyTaken => {
                "its reader was already sent once, and a reader cannot be read twice"
            }
            TakeReaderError::OtherTransport => "its reader is made for another kind of transport",
        })
    }
}

impl std::error::Error for TakeReaderError {}

impl ReaderSlot {
    /// A slot holding `reader`, whose content is `len` bytes long when `Some`. A transport
    /// later takes it out as `T` with [`ReaderSlot::take`].
    pub fn new<T: Send + 'static>(reader: T, len: Option<u64>) -> Self {
        ReaderSlot {
            reader: Arc::new(Mutex::new(Some(Box::new(reader)))),
            len,
        }
    }

    /// The length of the reader's content, if it was given.
    pub fn len(&self) -> Option<u64> {
        self.len
    }

    /// Whether the reader was given as empty (`Some(0)`).
    pub fn is_empty(&self) -> bool {
        self.len == Some(0)
    }

    /// Whether a send already took the reader.
    pub fn is_taken(&self) -> bool {
        self.lock().is_none()
    }

    /// Takes the reader out as `T`. A slot holding another type keeps it.
    pub fn take<T: 'static>(&self) -> Result<T, TakeReaderError> {
        let mut slot = self.lock();
        match slot.take() {
            None => Err(TakeReaderError::AlreadyTaken),
            Some(any) => match any.downcast::<T>() {
                Ok(reader) => Ok(*reader),
                Err(other) => {
                    *slot = Some(other);
                    Err(TakeReaderError::OtherTransport)
                }
            },
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Box<dyn Any + Send>>> {
        // A panic while the lock was held cannot leave the option half-written.
        self.reader.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl PartialEq for ReaderSlot {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.reader, &other.reader)
    }
}

impl Eq for ReaderSlot {}

impl fmt::Debug for ReaderSlot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReaderSlot")
            .field("len", &self.len)
            .field("taken", &self.is_taken())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reader_is_taken_once_and_only_as_its_own_type() {
        let slot = ReaderSlot::new(
            Box::new(std::io::Cursor::new(vec![1u8])) as BlockingReader,
            Some(1),
        );
        let clone = slot.clone();
        assert_eq!(slot, clone);
        assert_eq!(
            slot.take::<String>().unwrap_err(),
            TakeReaderError::OtherTransport
        );
        assert!(!slot.is_taken(), "a wrong type leaves the reader in place");
        let mut reader = clone.take::<BlockingReader>().unwrap();
        let mut out = Vec::new();
        reader.read_to_end(&mut out).unwrap();
        assert_eq!(out, [1]);
        assert!(slot.is_taken());
        assert_eq!(
            slot.take::<BlockingReader>().err(),
            Some(TakeReaderError::AlreadyTaken)
        );
        assert_ne!(slot, ReaderSlot::new((), None));
    }
}
