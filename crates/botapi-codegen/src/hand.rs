//! Every decision the specification does not make by itself, in one place. Everything else
//! the generator does follows mechanically from the facts in the spec files.

/// Return types of the methods the structured description (Bot API 10.1) does not cover,
/// read from their 10.3 entries. The generator also checks every return type, these
/// included, against the 10.3 entry (the type's name must appear in it).
pub(crate) const HAND_RETURNS: &[(&str, &str)] = &[
    ("editEphemeralMessageText", "True"),
    ("editEphemeralMessageMedia", "True"),
    ("editEphemeralMessageCaption", "True"),
    ("editEphemeralMessageReplyMarkup", "True"),
    ("deleteEphemeralMessage", "True"),
];

/// String fields that become enums. The values are extracted from each field's description
/// (the words it quotes, or for `sendChatAction.action` the words it sets in emphasis); an
/// enum holds every value of its fields, plus `Unknown(String)` for the rest. Fields whose
/// quoted words are examples or a subset of a larger open set (`foursquare_type`, MIME
/// types, currencies, codecs, dice emoji, list labels) stay `String`.
pub(crate) const STRING_ENUMS: &[(&str, &[(&str, &str)])] = &[
    ("ChatType", &[("Chat", "type"), ("ChatFullInfo", "type")]),
    ("InlineQueryChatType", &[("InlineQuery", "chat_type")]),
    ("MessageEntityType", &[("MessageEntity", "type")]),
    ("PollType", &[("Poll", "type"), ("sendPoll", "type")]),
    (
        "StickerType",
        &[
            ("Sticker", "type"),
            ("StickerSet", "sticker_type"),
            ("createNewStickerSet", "sticker_type"),
        ],
    ),
    (
        "StickerFormat",
        &[
            ("InputSticker", "format"),
            ("uploadStickerFile", "sticker_format"),
            ("setStickerSetThumbnail", "format"),
        ],
    ),
    ("MaskPoint", &[("MaskPosition", "point")]),
    ("ChatAction", &[("sendChatAction", "action")]),
    (
        "ButtonStyle",
        &[
            ("KeyboardButton", "style"),
            ("InlineKeyboardButton", "style"),
        ],
    ),
    ("RichMessageButtonStyle", &[("RichMessageButton", "style")]),
    (
        "HorizontalAlignment",
        &[
            ("RichBlockTableCell", "align"),
            ("RichBlockButtons", "align"),
            ("InputRichBlockButtons", "align"),
        ],
    ),
    ("VerticalAlignment", &[("RichBlockTableCell", "valign")]),
    ("SubscriptionState", &[("BotSubscriptionUpdated", "state")]),
    ("SuggestedPostState", &[("SuggestedPostInfo", "state")]),
    (
        "SuggestedPostRefundReason",
        &[("SuggestedPostRefunded", "reason")],
    ),
    ("UniqueGiftRarity", &[("UniqueGiftModel", "rarity")]),
    ("UniqueGiftOrigin", &[("UniqueGiftInfo", "origin")]),
    (
        "TransactionType",
        &[("TransactionPartnerUser", "transaction_type")],
    ),
    (
        "PassportElementType",
        &[
            ("EncryptedPassportElement", "type"),
            ("PassportElementErrorDataField", "type"),
            ("PassportElementErrorFrontSide", "type"),
            ("PassportElementErrorReverseSide", "type"),
            ("PassportElementErrorSelfie", "type"),
            ("PassportElementErrorFile", "type"),
            ("PassportElementErrorFiles", "type"),
            ("PassportElementErrorTranslationFile", "type"),
            ("PassportElementErrorTranslationFiles", "type"),
            ("PassportElementErrorUnspecified", "type"),
        ],
    ),
    (
        "JoinRequestDecision",
        &[("answerChatJoinRequestQuery", "result")],
    ),
];

/// The parse modes. The spec files only point to the reference's "Formatting options"
/// section, whose text they do not hold, so the three values are written here by hand.
/// The enum applies to every `String` field named `parse_mode` or ending in `_parse_mode`.
pub(crate) const PARSE_MODE: (&str, &[&str]) = ("ParseMode", &["HTML", "MarkdownV2", "Markdown"]);

/// Names for the unions the reference writes inline in a field's type.
pub(crate) const INLINE_UNIONS: &[(&str, &str)] = &[
    (
        "InlineKeyboardMarkup or ReplyKeyboardMarkup or ReplyKeyboardRemove or ForceReply",
        "ReplyMarkup",
    ),
    (
        "InputMediaAudio, InputMediaDocument, InputMediaLivePhoto, InputMediaPhoto and InputMediaVideo",
        "InputMediaGroupItem",
    ),
    (
        "InputMediaAnimation or InputMediaAudio or InputMediaDocument or InputMediaPhoto or InputMediaVideo or InputMediaVoiceNote",
        "InputRichMedia",
    ),
];

/// How a union without a discriminator field is told apart.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Untagged {
    /// The variant whose required fields are all present; the one with the most required
    /// fields wins (a venue has a location's fields and more). No match: `Unknown`.
    Presence,
    /// `date` 0 is an `InaccessibleMessage`, any other date a `Message`; no date: `Unknown`.
    DateZero,
    /// A JSON string is plain text, an array is a sequence of rich texts, and an object is
    /// tagged by `type`.
    PlainArrayOrTagged,
}

/// The unions the discriminator file lists without a field, and the rule for each. Inline
/// unions (above) whose members all have a one-valued `type` are tagged by it; the others
/// use [`Untagged::Presence`].
pub(crate) const UNTAGGED: &[(&str, Untagged)] = &[
    ("InputMessageContent", Untagged::Presence),
    ("MaybeInaccessibleMessage", Untagged::DateZero),
    ("RichText", Untagged::PlainArrayOrTagged),
];

/// The variant names of `RichText` for a JSON string and for a JSON array.
pub(crate) const RICH_TEXT_PLAIN: &str = "Plain";
pub(crate) const RICH_TEXT_ARRAY: &str = "Concat";

/// How a field reads payloads that do not follow the current spec.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Lenient {
    /// A missing value reads as the type's default (`false`, `0`, `""`).
    Default,
    /// A number reads as its decimal text.
    StringOrNumber,
}

/// Rule for decoding: a required `Boolean`/`True` field of a type reads as `false` when
/// missing, and a required array as empty. Payloads from a server older than the spec (a
/// self-hosted Bot API server that lags behind, stored updates, the shared corpus) lack
/// exactly these: rights and options Telegram added to existing objects later
/// (`ChatMemberAdministrator.can_post_stories`, `Poll.members_only`, …). Failing on them
/// would fail a whole `getUpdates` batch. Method parameters stay strict.
pub(crate) const DEFAULT_MISSING_FLAGS_AND_LISTS: bool = true;

/// Other required fields that accept what real payloads send although the spec says
/// otherwise. Each is backed by a payload of the shared corpus:
/// - `CallbackQuery.chat_instance`: the official webhook guide's inline callback query has
///   none.
/// - `InlineQuery.id`: the same guide sends it as a number.
/// - `ChatMemberBanned.until_date`: a captured `chat_member` update has none (0 means
///   "forever" in the reference).
/// - `ChatFullInfo.accent_color_id`, `PollOption.persistent_id`, `UniqueGift.gift_id`,
///   `Sticker.type`: fields payloads from older servers do not have yet (0, empty text, and
///   an unknown empty sticker type).
pub(crate) const LENIENT: &[(&str, &str, Lenient)] = &[
    ("CallbackQuery", "chat_instance", Lenient::Default),
    ("InlineQuery", "id", Lenient::StringOrNumber),
    ("ChatMemberBanned", "until_date", Lenient::Default),
    ("ChatFullInfo", "accent_color_id", Lenient::Default),
    ("PollOption", "persistent_id", Lenient::Default),
    ("UniqueGift", "gift_id", Lenient::Default),
    ("Sticker", "type", Lenient::Default),
];

/// Structs whose `fill` matches keys with comparisons written out in place rather than
/// through the key table (`wire::fill::Keys`). The table makes a struct's reader much
/// smaller (`User`'s: 1,065 bytes against 3,496), but a lookup costs more than the unrolled
/// comparisons of a short key; these are the structs read over and over in the usual
/// update (a message, who sent it, the chat, its entities and photo sizes), where that
/// cost counts.
pub(crate) const INLINE_KEYS: &[&str] = &["Message", "User", "Chat", "MessageEntity", "PhotoSize"];

/// The type whose optional fields are the kinds of update: it becomes `update_id` plus an
/// `UpdateKind` enum.
pub(crate) const UPDATE: &str = "Update";

/// The long-polling method and its parameter (seconds) that gives its timeout hint.
pub(crate) const LONG_POLL: (&str, &str) = ("getUpdates", "timeout");

/// Suffix of the second type of a "Message or True" method, the one for inline messages.
pub(crate) const INLINE_SUFFIX: &str = "Inline";

/// Box a struct field whose type would take more than this many bytes inline (estimated by
/// the generator), so that one large optional object (`Poll`, `ExternalReplyInfo`, …) does
/// not make every `Message` tens of kilobytes.
pub(crate) const BOX_FIELD_ABOVE: usize = 256;

/// Types whose optional object fields are boxed above this lower size instead. A `Message`
/// has about a hundred optional objects (media, service messages, gifts, …) and a message
/// holds one or two of them: inline, they made it over 6 KB, allocated, filled and dropped
/// for every message of a batch; boxed, only the ones present cost anything. Entities and
/// keyboard buttons come in lists, where each element is as big as its largest field: an
/// entity's `user` (only a text mention has one) and a button's `login_url` and chosen-chat
/// switch would otherwise set the size of every element.
pub(crate) const COMPACT_TYPES: &[(&str, usize)] = &[
    ("Message", 24),
    ("MessageEntity", 24),
    ("InlineKeyboardButton", 24),
];

/// Fields of those types kept inline whatever their size, because nearly every value has
/// them (`Message.chat` is required, hence never boxed by the rule above).
pub(crate) const KEEP_INLINE: &[(&str, &str)] = &[("Message", "from")];

/// Box an enum variant (of a union, or of `UpdateKind`) whose type would take more than
/// this many bytes inline, so that variants stay close in size.
pub(crate) const BOX_VARIANT_ABOVE: usize = 128;

/// Split sections into files of at most this many items.
pub(crate) const ITEMS_PER_FILE: usize = 50;

/// Rule: a method whose name starts with this only reads, so repeating it after a failure
/// that may have reached the server is harmless (`MethodInfo::read_only`,
/// `Method::is_read_only`). Every other method changes something unless
/// [`READ_ONLY_DECISIONS`] says otherwise.
pub(crate) const READ_ONLY_PREFIX: &str = "get";

/// Methods decided by hand, `(name, read only, why)`: where the rule would be wrong, and
/// where a name could mislead a reader. Bot API 10.3 has no `get*` method that changes
/// anything and no other method that only reads, so every entry agrees with the rule.
pub(crate) const READ_ONLY_DECISIONS: &[(&str, bool, &str)] = &[
    (
        "getUpdates",
        true,
        "an offset confirms updates, but the same request again confirms the same ones",
    ),
    (
        "getFile",
        true,
        "prepares a download link; asking again gives a link to the same file",
    ),
    (
        "getManagedBotToken",
        true,
        "reads the current token; replaceManagedBotToken is the call that makes a new one",
    ),
    (
        "exportChatInviteLink",
        false,
        "makes a new primary link and revokes the previous one",
    ),
];

/// Rule: a method whose name starts with this posts a message to the chat `chat_id` and
/// counts against Telegram's flood limits (`MethodInfo::sends_message`, `Method::outgoing`),
/// unless [`SENDS_MESSAGE_DECISIONS`] says otherwise. Edits do not post a message.
pub(crate) const SENDS_MESSAGE_PREFIX: &str = "send";

/// The parameter naming the chat a message goes to; every method that sends a message must
/// have it, required and `Integer or String`.
pub(crate) const OUTGOING_CHAT: &str = "chat_id";

/// The parameter that asks for a paid broadcast (higher flood limits, paid in Stars).
pub(crate) const PAID_BROADCAST: &str = "allow_paid_broadcast";

/// Methods decided by hand, `(name, sends a message, why)`.
pub(crate) const SENDS_MESSAGE_DECISIONS: &[(&str, bool, &str)] = &[
    (
        "sendChatAction",
        false,
        "shows a status such as \"typing\" for a few seconds; posts nothing",
    ),
    (
        "sendMessageDraft",
        false,
        "streams a short-lived preview; the sendMessage that follows posts the message",
    ),
    (
        "sendRichMessageDraft",
        false,
        "streams a short-lived preview; the sendRichMessage that follows posts the message",
    ),
    (
        "sendChatJoinRequestWebApp",
        false,
        "opens a Mini App for a user asking to join; posts nothing in the chat",
    ),
    (
        "sendGift",
        false,
        "buys a gift for a user or channel; its chat is optional and may be a user id instead",
    ),
    (
        "answerGuestQuery",
        false,
        "answers a query by its id like answerInlineQuery; there is no chat to pace by",
    ),
    (
        "forwardMessage",
        true,
        "posts a copy of a message in chat_id",
    ),
    (
        "forwardMessages",
        true,
        "posts copies of messages in chat_id",
    ),
    ("copyMessage", true, "posts a copy of a message in chat_id"),
    ("copyMessages", true, "posts copies of messages in chat_id"),
];
