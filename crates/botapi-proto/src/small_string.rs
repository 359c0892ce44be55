//! [`SmallString`], the string type of every text field.
//!
//! It stores its text as a `compact_str::CompactString` (up to 24 bytes inline, so most
//! strings in an update cost no allocation) and differs from it in one thing: its drop
//! cannot unwind. `CompactString` frees its heap buffer in a function of its own crate
//! that the compiler must assume can panic, so the drop glue of every struct holding one
//! carried an unwinding path for each field after it, for a panic that cannot happen
//! (54 KB of the buildbench echo bot, 1.3 %). Here the buffer is freed through an
//! `extern "C"` function, which never unwinds, and the glue is a plain sequence of frees.

use std::borrow::{Borrow, Cow};
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::mem::ManuallyDrop;
use std::ops::Deref;
use std::str::FromStr;

use compact_str::CompactString;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The string type of every text field in [`types`](crate::types) and
/// [`methods`](crate::methods): a `String` that keeps up to 24 bytes inline, so the short
/// strings that fill most updates (names, usernames, language codes, file ids) cost no
/// allocation.
///
/// It derefs to `str`, compares with `str`, `&str` and `String`, and converts from and to
/// `String`; builders take `impl Into<SmallString>`, so `&str` and `String` arguments work
/// as they are.
///
/// ```
/// use botapi_proto::SmallString;
///
/// let name = SmallString::from("Ada");
/// assert_eq!(name, "Ada");
/// assert!(name.starts_with('A'));
/// let owned: String = name.into();
/// assert_eq!(owned, "Ada");
/// ```
pub struct SmallString(ManuallyDrop<CompactString>);

impl SmallString {
    /// The empty string.
    pub const EMPTY: SmallString = SmallString::const_new("");

    /// A string from static text, in a `const` context. Text of more than 24 bytes is not
    /// copied: the string refers to it.
    pub const fn const_new(text: &'static str) -> SmallString {
        SmallString(ManuallyDrop::new(CompactString::const_new(text)))
    }

    /// A copy of `text`.
    pub fn new(text: &str) -> SmallString {
        SmallString::from(text)
    }

    /// The text.
    #[inline]
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    /// Appends `text`.
    pub fn push_str(&mut self, text: &str) {
        self.0.push_str(text);
    }

    /// Appends `c`.
    pub fn push(&mut self, c: char) {
        self.0.push(c);
    }

    /// Empties the string, keeping its buffer.
    pub fn clear(&mut self) {
        self.0.clear();
    }

    /// The text as a `String`.
    pub fn into_string(self) -> String {
        self.into_compact().into_string()
    }

    /// The text as a `CompactString`.
    pub fn into_compact(mut self) -> CompactString {
        // The empty string left behind owns nothing: dropping `self` frees nothing.
        std::mem::take(&mut *self.0)
    }
}

impl Drop for SmallString {
    #[inline]
    fn drop(&mut self) {
        if self.0.is_heap_allocated() {
            free(&mut self.0);
        }
    }
}

// `extern "C"`: a call to it cannot unwind (a panic inside would abort), so the glue that
// drops a `SmallString` needs no unwinding path. Freeing memory does not panic. Not marked
// cold: measured, that made the compiler inline more drop glue, and the binary larger.
#[inline(never)]
#[allow(improper_ctypes_definitions)]
extern "C" fn free(text: &mut CompactString) {
    drop(std::mem::take(text));
}

impl fmt::Write for SmallString {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        self.push_str(text);
        Ok(())
    }
}

impl Clone for SmallString {
    fn clone(&self) -> SmallString {
        SmallString(ManuallyDrop::new(CompactString::clone(&self.0)))
    }
}

impl Default for SmallString {
    fn default() -> SmallString {
        SmallString::EMPTY
    }
}

impl Deref for SmallString {
    type Target = str;

    #[inline]
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for SmallString {
    fn as_ref(&self) -> &str {
        self
    }
}

impl AsRef<[u8]> for SmallString {
    fn as_ref(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl Borrow<str> for SmallString {
    fn borrow(&self) -> &str {
        self
    }
}

impl fmt::Debug for SmallString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for SmallString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_str(), f)
    }
}

impl PartialEq for SmallString {
    fn eq(&self, other: &SmallString) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for SmallString {}

impl PartialOrd for SmallString {
    fn partial_cmp(&self, other: &SmallString) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for SmallString {
    fn cmp(&self, other: &SmallString) -> Ordering {
        self.as_str().cmp(other.as_str())
    }
}

// As `str` hashes, so that a `HashMap<SmallString, _>` can be searched with a `&str`.
impl Hash for SmallString {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

macro_rules! eq_with {
    ($($other:ty),*) => {$(
        impl PartialEq<$other> for SmallString {
            fn eq(&self, other: &$other) -> bool {
                self.as_str() == AsRef::<str>::as_ref(other)
            }
        }

        impl PartialEq<SmallString> for $other {
            fn eq(&self, other: &SmallString) -> bool {
                AsRef::<str>::as_ref(self) == other.as_str()
            }
        }
    )*};
}

eq_with!(str, &str, String, Cow<'_, str>);

// The other way round is `CompactString`'s own (it compares with anything that is text).
impl PartialEq<CompactString> for SmallString {
    fn eq(&self, other: &CompactString) -> bool {
        self.as_str() == other.as_str()
    }
}

impl From<&str> for SmallString {
    fn from(text: &str) -> SmallString {
        SmallString(ManuallyDrop::new(CompactString::from(text)))
    }
}

impl From<&mut str> for SmallString {
    fn from(text: &mut str) -> SmallString {
        SmallString::from(&*text)
    }
}

impl From<String> for SmallString {
    fn from(text: String) -> SmallString {
        SmallString(ManuallyDrop::new(CompactString::from(text)))
    }
}

impl From<&String> for SmallString {
    fn from(text: &String) -> SmallString {
        SmallString::from(text.as_str())
    }
}

impl From<Box<str>> for SmallString {
    fn from(text: Box<str>) -> SmallString {
        SmallString(ManuallyDrop::new(CompactString::from(text)))
    }
}

impl From<Cow<'_, str>> for SmallString {
    fn from(text: Cow<'_, str>) -> SmallString {
        SmallString(ManuallyDrop::new(CompactString::from(text)))
    }
}

impl From<char> for SmallString {
    fn from(c: char) -> SmallString {
        SmallString::from(&*c.encode_utf8(&mut [0; 4]))
    }
}

impl From<CompactString> for SmallString {
    fn from(text: CompactString) -> SmallString {
        SmallString(ManuallyDrop::new(text))
    }
}

impl From<&SmallString> for SmallString {
    fn from(text: &SmallString) -> SmallString {
        text.clone()
    }
}

impl From<SmallString> for String {
    fn from(text: SmallString) -> String {
        text.into_string()
    }
}

impl From<SmallString> for CompactString {
    fn from(text: SmallString) -> CompactString {
        text.into_compact()
    }
}

impl FromStr for SmallString {
    type Err = std::convert::Infallible;

    fn from_str(text: &str) -> Result<SmallString, Self::Err> {
        Ok(SmallString::from(text))
    }
}

impl Serialize for SmallString {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self)
    }
}

impl<'de> Deserialize<'de> for SmallString {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<SmallString, D::Error> {
        CompactString::deserialize(deserializer).map(SmallString::from)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::SmallString;

    const LONG: &str = "a text that is well over twenty-four bytes long";

    #[test]
    fn short_text_is_inline_and_long_text_is_not() {
        assert!(!SmallString::from("Ada").0.is_heap_allocated());
        assert!(SmallString::from(LONG).0.is_heap_allocated());
        assert_eq!(SmallString::from(LONG), LONG);
    }

    #[test]
    fn a_string_moved_out_is_not_freed_twice() {
        // Miri and the sanitizers would catch a double free here; the tests check the text.
        let long = SmallString::from(LONG.to_owned());
        let copy = long.clone();
        let owned: String = long.into();
        assert_eq!(owned, LONG);
        assert_eq!(copy.into_compact(), LONG);
    }

    #[test]
    fn compares_and_hashes_as_its_text() {
        let name = SmallString::from("Ada");
        assert_eq!(name, "Ada");
        assert_eq!("Ada", name);
        assert_eq!(name, String::from("Ada"));
        let mut sorted = vec![SmallString::from("b"), SmallString::from("a")];
        sorted.sort();
        assert_eq!(sorted, ["a", "b"]);
        let mut map = HashMap::new();
        map.insert(SmallString::from("key"), 1);
        assert_eq!(map.get("key"), Some(&1));
        assert_eq!(format!("{name} {name:?}"), "Ada \"Ada\"");
    }

    #[test]
    fn reads_and_writes_json_as_a_string() {
        let text: SmallString = serde_json::from_str("\"caf\\u00e9\"").unwrap();
        assert_eq!(text, "café");
        assert_eq!(serde_json::to_string(&text).unwrap(), "\"café\"");
        assert!(serde_json::from_str::<SmallString>("12").is_err());
    }

    #[test]
    fn grows_from_inline_to_the_heap() {
        use std::fmt::Write;
        let mut text = SmallString::from("Ada");
        text.push(' ');
        text.push_str("Lovelace, who wrote the first program");
        write!(text, " in {}", 1843).unwrap();
        assert_eq!(text, "Ada Lovelace, who wrote the first program in 1843");
        assert!(text.0.is_heap_allocated());
        text.clear();
        assert_eq!(text, "");
    }

    #[test]
    fn static_text_in_a_const() {
        const KIND: SmallString = SmallString::const_new("message");
        assert_eq!(KIND, "message");
        assert_eq!(SmallString::EMPTY, "");
        assert_eq!(SmallString::default(), SmallString::EMPTY);
    }
}
