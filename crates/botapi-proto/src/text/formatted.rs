//! Text with its entities, owned ([`FormattedText`]) or borrowed from a received message
//! ([`FormattedRef`]).

use crate::types::{Message, MessageEntity};

use super::command::Command;
use super::error::SplitError;
use super::read::EntityTexts;
use super::split::{self, Parts};
use super::utf16::utf16_len;

/// A text and its entities, with offsets and lengths in UTF-16 code units: what
/// [`Text::build`](super::Text::build) produces, ready for `sendMessage`'s `text` and
/// `entities` (or a caption and its `caption_entities`).
///
/// ```
/// use botapi_proto::methods::SendMessage;
/// use botapi_proto::text::{FormattedText, Text};
///
/// let FormattedText { text, entities } = Text::new().plain("Total: ").bold("42 €").build()?;
/// let send = SendMessage::new(-1001234567890, text).entities(entities);
/// # let _ = send;
/// # Ok::<(), botapi_proto::text::BuildError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FormattedText {
    /// The text, without markup.
    pub text: String,
    /// Its entities, in the order Telegram returns them (by offset, longer first).
    pub entities: Vec<MessageEntity>,
}

impl FormattedText {
    /// A text with these entities.
    pub fn new(text: impl Into<String>, entities: impl Into<Vec<MessageEntity>>) -> Self {
        FormattedText {
            text: text.into(),
            entities: entities.into(),
        }
    }

    /// A text without entities.
    pub fn plain(text: impl Into<String>) -> Self {
        FormattedText::new(text, Vec::new())
    }

    /// The message's text and entities, or its caption and caption entities when it has no
    /// text; `None` when it has neither.
    pub fn from_message(message: &Message) -> Option<Self> {
        FormattedRef::message(message).map(FormattedRef::to_owned)
    }

    /// A borrowed view of this text.
    pub fn as_ref(&self) -> FormattedRef<'_> {
        FormattedRef::new(&self.text, &self.entities)
    }

    /// Each entity with the text it covers; see [`EntityTexts`].
    pub fn entity_texts(&self) -> EntityTexts<'_> {
        EntityTexts::new(&self.text, &self.entities)
    }

    /// The length in Unicode code points, the unit of Telegram's length limits
    /// ([`MESSAGE_TEXT_LIMIT`](super::MESSAGE_TEXT_LIMIT),
    /// [`CAPTION_LIMIT`](super::CAPTION_LIMIT)).
    pub fn char_count(&self) -> usize {
        self.text.chars().count()
    }

    /// The length in UTF-16 code units, the unit of entity offsets.
    pub fn utf16_len(&self) -> usize {
        utf16_len(&self.text)
    }

    /// Splits the text into parts of at most `limit` code points each; see [`Parts`].
    pub fn split(&self, limit: usize) -> Result<Parts, SplitError> {
        split::split(self.as_ref(), limit)
    }
}

impl From<String> for FormattedText {
    fn from(text: String) -> Self {
        FormattedText::plain(text)
    }
}

impl From<&str> for FormattedText {
    fn from(text: &str) -> Self {
        FormattedText::plain(text)
    }
}

/// A text and its entities, borrowed: usually from a received [`Message`].
///
/// ```
/// use botapi_proto::text::FormattedRef;
/// use botapi_proto::types::Message;
///
/// let message: Message = serde_json::from_str(r#"{
///     "message_id": 1, "date": 0, "chat": {"id": 1, "type": "private"},
///     "text": "Visit 🌍 example.com",
///     "entities": [{"type": "url", "offset": 9, "length": 11}]
/// }"#)?;
/// let text = FormattedRef::message(&message).expect("a text message");
/// let urls: Vec<&str> = text.entity_texts().flatten().map(|(_, s)| s).collect();
/// assert_eq!(urls, ["example.com"]);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FormattedRef<'a> {
    /// The text.
    pub text: &'a str,
    /// Its entities, as received.
    pub entities: &'a [MessageEntity],
}

impl<'a> FormattedRef<'a> {
    /// A view of `text` with `entities`.
    pub fn new(text: &'a str, entities: &'a [MessageEntity]) -> Self {
        FormattedRef { text, entities }
    }

    /// The message's text with its `entities`, if it has a text.
    pub fn message_text(message: &'a Message) -> Option<Self> {
        let text = message.text.as_deref()?;
        Some(FormattedRef::new(
            text,
            message.entities.as_deref().unwrap_or_default(),
        ))
    }

    /// The message's caption with its `caption_entities`, if it has a caption.
    pub fn message_caption(message: &'a Message) -> Option<Self> {
        let caption = message.caption.as_deref()?;
        Some(FormattedRef::new(
            caption,
            message.caption_entities.as_deref().unwrap_or_default(),
        ))
    }

    /// The message's text, or its caption when it has no text.
    pub fn message(message: &'a Message) -> Option<Self> {
        FormattedRef::message_text(message).or_else(|| FormattedRef::message_caption(message))
    }

    /// Each entity with the text it covers; see [`EntityTexts`].
    pub fn entity_texts(&self) -> EntityTexts<'a> {
        EntityTexts::new(self.text, self.entities)
    }

    /// The bot command this text starts with, read from its `bot_command` entity at
    /// offset 0; see [`Command::from_entities`].
    pub fn command(&self) -> Option<Command<'a>> {
        Command::from_entities(self.text, self.entities)
    }

    /// Splits the text into parts of at most `limit` code points each; see [`Parts`].
    pub fn split(&self, limit: usize) -> Result<Parts, SplitError> {
        split::split(*self, limit)
    }

    /// An owned copy.
    pub fn to_owned(self) -> FormattedText {
        FormattedText::new(self.text, self.entities.to_vec())
    }
}
