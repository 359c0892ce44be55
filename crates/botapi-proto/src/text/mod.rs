//! Message text: formatting without markup, escaping, reading entities back, splitting
//! long texts, and bot commands.
//!
//! Telegram describes formatting with [entities](https://core.telegram.org/bots/api#messageentity):
//! a type, an offset and a length, counted in **UTF-16 code units**. An emoji outside the
//! Basic Multilingual Plane counts two, a flag four, a family emoji joined with zero width
//! joiners eight; counting bytes or `char`s shifts every entity after one of them. Everything
//! here counts in UTF-16 where Telegram does, and nothing here panics on what the network
//! sends.
//!
//! - **Building**: [`Text`] appends [`Piece`]s ([`plain`], [`bold`], [`italic`],
//!   [`underline`], [`strikethrough`], [`spoiler`], [`code`], [`pre`], [`link`],
//!   [`mention`], [`custom_emoji`], [`date_time`], [`blockquote`],
//!   [`expandable_blockquote`]), nested where Telegram allows it, and
//!   [`Text::build`]s a [`FormattedText`]: the text and its entities, ready for
//!   `sendMessage`'s `entities` or a caption's `caption_entities`. What Telegram refuses
//!   is a [`BuildError`].
//! - **Rendering** the same pieces for `parse_mode`: [`Text::to_html`] and
//!   [`Text::to_markdown_v2`], with exactly the escaping each needs; Telegram parses them
//!   into the same text and entities that [`Text::build`] gives. For plain strings:
//!   [`escape_html`], [`escape_markdown_v2`], [`escape_markdown_v2_code`],
//!   [`escape_markdown_v2_url`].
//! - **Reading back** a received message: [`FormattedRef::message`] and
//!   [`EntityTexts`] give each entity with the text it covers; a bad range is reported as
//!   a [`RangeError`], never a panic. [`utf16_len`], [`byte_offset`], [`utf16_offset`] and
//!   [`entity_range`] convert positions.
//! - **Splitting** a long text into [`Parts`] within [`MESSAGE_TEXT_LIMIT`] (or
//!   [`CAPTION_LIMIT`]), at paragraph, line or word breaks where possible, with entities
//!   clipped to each part; [`Parts::join`] puts them back together exactly.
//! - **Commands**: [`Command`] reads `/name@bot args` from a [`Message`](crate::types::Message)
//!   or a string, refuses commands addressed to another bot, and reads `/start`
//!   deep-link payloads.
//!
//! # Example
//! ```
//! use botapi_proto::text::{Command, FormattedRef, MESSAGE_TEXT_LIMIT, Text, bold, link};
//! use botapi_proto::types::{Message, MessageEntityType};
//!
//! // Build: entities count UTF-16 code units, so the emoji moves the link by two.
//! let text = Text::new()
//!     .plain("🚀 Release ")
//!     .bold("v1.0")
//!     .plain(" is out: ")
//!     .push(link("notes", "https://example.com/notes?v=1.0"));
//! let built = text.build()?;
//! assert_eq!(built.text, "🚀 Release v1.0 is out: notes");
//! assert_eq!((built.entities[0].offset, built.entities[0].length), (11, 4));
//! assert_eq!((built.entities[1].offset, built.entities[1].length), (24, 5));
//!
//! // Render for parse_mode.
//! assert_eq!(
//!     text.to_markdown_v2()?,
//!     r"🚀 Release *v1\.0* is out: [notes](https://example.com/notes?v=1.0)"
//! );
//! assert_eq!(
//!     text.to_html()?,
//!     r#"🚀 Release <b>v1.0</b> is out: <a href="https://example.com/notes?v=1.0">notes</a>"#
//! );
//!
//! // Read back what Telegram sent.
//! let message: Message = serde_json::from_value(serde_json::json!({
//!     "message_id": 7, "date": 0, "chat": {"id": 1, "type": "private"},
//!     "text": built.text, "entities": built.entities,
//! }))?;
//! let received = FormattedRef::message(&message).unwrap();
//! for item in received.entity_texts() {
//!     let (entity, covered) = item?;
//!     if entity.r#type == MessageEntityType::Bold {
//!         assert_eq!(covered, "v1.0");
//!     }
//! }
//!
//! // Split a long text: every part fits, and joining them gives the original back.
//! let long = Text::new().push(bold("word ".repeat(2000))).build()?;
//! let parts = long.split(MESSAGE_TEXT_LIMIT)?;
//! assert_eq!(parts.len(), 3);
//! assert!(parts.iter().all(|p| p.char_count() <= MESSAGE_TEXT_LIMIT));
//! assert_eq!(parts.join(), long);
//!
//! // Commands, and refusing another bot's.
//! let command = Command::parse("/start@my_bot ref-42").unwrap();
//! assert!(command.is_for("My_Bot"));
//! assert_eq!(command.start_payload(), Some("ref-42"));
//! assert!(Command::parse_for("/start@other_bot", "my_bot").is_none());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod builder;
mod command;
mod entity;
mod error;
mod formatted;
mod html;
mod layout;
mod markdown;
mod read;
mod split;
mod utf16;

pub use builder::{
    IntoPieces, Piece, Text, blockquote, bold, code, custom_emoji, date_time,
    expandable_blockquote, italic, link, mention, plain, pre, spoiler, strikethrough, underline,
};
pub use command::Command;
pub use error::{BuildError, RangeError, RangeProblem, SplitError};
pub use formatted::{FormattedRef, FormattedText};
pub use html::escape_html;
pub use markdown::{escape_markdown_v2, escape_markdown_v2_code, escape_markdown_v2_url};
pub use read::EntityTexts;
pub use split::{CAPTION_LIMIT, MESSAGE_TEXT_LIMIT, Parts};
pub use utf16::{byte_offset, entity_range, utf16_len, utf16_offset};
