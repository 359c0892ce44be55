//! Every object of the Bot API, generated from the official description.
//!
//! - Structs keep the wire names as public fields: `i64` for every integer (ids can need 52
//!   bits), `f64` for floats, `Option` for optional fields, `Box` where a type contains
//!   itself. Every struct is `#[non_exhaustive]`, since Telegram adds fields several times a
//!   year; build one with `new(required…)` and, for the types sent to the API, set optional
//!   fields with the setter of the same name.
//! - Types that are one of several others (`ChatMember`, `MessageOrigin`, `InputMedia`,
//!   `ReactionType`, …) are enums with one variant per type and an `Unknown` variant that
//!   keeps the JSON of a variant this version does not know. A variant's struct always
//!   writes its tag (`"status": "creator"`), on its own or inside the enum.
//! - String fields whose values the reference lists (`ChatType`, `MessageEntityType`,
//!   `ParseMode`, …) are enums that keep unknown values in `Unknown(String)`.
//! - [`Update`] is `update_id` plus an [`UpdateKind`]; a kind this version does not know is
//!   kept whole, so one new kind never fails a `getUpdates` batch.
//!
//! ```
//! use botapi_proto::types::{ChatMember, Update, UpdateKind};
//!
//! let json = r#"{"update_id": 7, "new_kind_from_the_future": {"x": 1}}"#;
//! let update: Update = serde_json::from_str(json)?;
//! assert!(matches!(&update.kind, UpdateKind::Unknown { name, .. } if name == "new_kind_from_the_future"));
//! assert_eq!(serde_json::to_string(&update)?, r#"{"update_id":7,"new_kind_from_the_future":{"x":1}}"#);
//!
//! let member: ChatMember = serde_json::from_str(
//!     r#"{"status": "creator", "user": {"id": 1, "is_bot": false, "first_name": "A"}, "is_anonymous": false}"#,
//! )?;
//! assert!(matches!(member, ChatMember::Owner(_)));
//! # Ok::<(), serde_json::Error>(())
//! ```

mod chat_id;
pub(crate) mod wire;

pub use self::chat_id::ChatId;
pub use crate::generated::types::*;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::DecodeError;

    /// Optional objects of a `Message` are boxed (see the generator's `COMPACT_TYPES`), so a
    /// decoded message stays small wherever it is held.
    #[test]
    fn a_message_fits_in_a_kilobyte_and_a_half() {
        let size = std::mem::size_of::<Result<Message, DecodeError>>();
        assert!(size <= 1536, "Result<Message, DecodeError> is {size} bytes");
    }
}
