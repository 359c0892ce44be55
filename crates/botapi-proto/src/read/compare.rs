//! Whether the reader and serde_json read a text alike: for the tests and the fuzzer.

use std::fmt::Debug;

use serde::Deserialize;
use serde::de::{DeserializeOwned, IgnoredAny};
use serde_json::Value;
use serde_json::error::Category;

use super::{ReadErrorKind, from_str};
use crate::types::{ChatFullInfo, ChatMember, Message, Update, User};

/// An answer's envelope, derived: to compare the readers on a result type inside one.
#[derive(Debug, PartialEq, Deserialize)]
struct Envelope<T> {
    ok: bool,
    result: Option<T>,
}

/// Whether both read `text` as the same `T`, or both refuse it for the same reason: JSON of
/// the wrong shape, or text that is not JSON (the decoder relies on telling these apart).
pub(crate) fn same<T: DeserializeOwned + PartialEq + Debug>(text: &str) -> Result<(), String> {
    match (from_str::<T>(text), serde_json::from_str::<T>(text)) {
        (Ok(ours), Ok(theirs)) if ours == theirs => Ok(()),
        (Ok(ours), Ok(theirs)) => Err(format!("read {ours:?}, serde_json {theirs:?}")),
        (Err(ours), Err(theirs)) => {
            let ours_data = ours.kind() == ReadErrorKind::Data;
            let theirs_data = theirs.classify() == Category::Data;
            if ours_data == theirs_data {
                Ok(())
            } else {
                Err(format!("refused as {ours:?}, serde_json {theirs}"))
            }
        }
        (Ok(ours), Err(theirs)) => Err(format!("read {ours:?}, serde_json refused: {theirs}")),
        (Err(ours), Ok(theirs)) => Err(format!("refused {ours:?}, serde_json read {theirs:?}")),
    }
}

/// [`same`] for a value of any shape, a value ignored, and the envelopes of the result types
/// that exercise most of the reader (unions, boxed fields, string enums, nested arrays).
pub(crate) fn agree(text: &str) -> Result<(), String> {
    let ignored = match (
        from_str::<IgnoredAny>(text),
        serde_json::from_str::<IgnoredAny>(text),
    ) {
        (Ok(_), Ok(_)) | (Err(_), Err(_)) => Ok(()),
        (ours, theirs) => Err(format!("ignoring: read {ours:?}, serde_json {theirs:?}")),
    };
    ignored?;
    same::<Value>(text)?;
    same::<Envelope<Vec<Update>>>(text)?;
    same::<Envelope<Message>>(text)?;
    same::<Envelope<User>>(text)?;
    same::<Envelope<ChatMember>>(text)?;
    same::<Envelope<ChatFullInfo>>(text)?;
    same::<Update>(text)?;
    same::<Message>(text)
}
