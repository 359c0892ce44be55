//! Formatted text as typed pieces: plain text, and styles wrapped around other pieces.
//!
//! A [`Text`] is a sequence of [`Piece`]s. Each piece is built by one of the functions of
//! this module ([`bold`], [`link`], [`pre`], …), so a piece is always one of the styles
//! Telegram knows, with the data that style needs. `code` and `pre` take a string, not
//! pieces, so nothing can be put inside them. Whether the pieces nest the way Telegram
//! allows is checked when the text is turned into entities, HTML or MarkdownV2, and any
//! breach is a [`BuildError`].

use crate::types::User;

use super::error::BuildError;
use super::formatted::FormattedText;
use super::{html, layout, markdown};

/// One piece of formatted text: plain text, or a style around other pieces.
#[derive(Debug, Clone, PartialEq)]
pub struct Piece(pub(crate) Node);

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node {
    Plain(String),
    Styled(Style, Vec<Piece>),
}

/// A style and the data it carries. Code and pre hold one plain piece.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Style {
    Bold,
    Italic,
    Underline,
    Strikethrough,
    Spoiler,
    Code,
    Pre {
        language: Option<String>,
    },
    Link {
        url: String,
    },
    Mention {
        user: Box<User>,
    },
    CustomEmoji {
        id: String,
    },
    DateTime {
        unix_time: i64,
        format: Option<String>,
    },
    Blockquote,
    ExpandableBlockquote,
}

impl Piece {
    fn styled(style: Style, content: impl IntoPieces) -> Self {
        Piece(Node::Styled(style, content.into_pieces()))
    }
}

/// What can be the content of a styled piece, or be appended to a [`Text`]: strings
/// (plain text), pieces, arrays and vectors of pieces, and whole texts.
pub trait IntoPieces {
    /// The pieces, in order.
    fn into_pieces(self) -> Vec<Piece>;
}

impl IntoPieces for Piece {
    fn into_pieces(self) -> Vec<Piece> {
        vec![self]
    }
}

impl IntoPieces for &str {
    fn into_pieces(self) -> Vec<Piece> {
        vec![plain(self)]
    }
}

impl IntoPieces for String {
    fn into_pieces(self) -> Vec<Piece> {
        vec![plain(self)]
    }
}

impl IntoPieces for &String {
    fn into_pieces(self) -> Vec<Piece> {
        vec![plain(self.as_str())]
    }
}

impl IntoPieces for Vec<Piece> {
    fn into_pieces(self) -> Vec<Piece> {
        self
    }
}

impl<const N: usize> IntoPieces for [Piece; N] {
    fn into_pieces(self) -> Vec<Piece> {
        self.into()
    }
}

impl IntoPieces for Text {
    fn into_pieces(self) -> Vec<Piece> {
        self.pieces
    }
}

/// Plain text, shown as it is (the renderers escape it).
pub fn plain(text: impl Into<String>) -> Piece {
    Piece(Node::Plain(text.into()))
}

/// **Bold** content.
pub fn bold(content: impl IntoPieces) -> Piece {
    Piece::styled(Style::Bold, content)
}

/// *Italic* content.
pub fn italic(content: impl IntoPieces) -> Piece {
    Piece::styled(Style::Italic, content)
}

/// Underlined content.
pub fn underline(content: impl IntoPieces) -> Piece {
    Piece::styled(Style::Underline, content)
}

/// Struck-through content.
pub fn strikethrough(content: impl IntoPieces) -> Piece {
    Piece::styled(Style::Strikethrough, content)
}

/// Content hidden under a spoiler until tapped.
pub fn spoiler(content: impl IntoPieces) -> Piece {
    Piece::styled(Style::Spoiler, content)
}

/// Inline monospace text. It holds plain text only: Telegram allows nothing inside it.
pub fn code(text: impl Into<String>) -> Piece {
    Piece::styled(Style::Code, plain(text))
}

/// A monospace block, with the programming language to highlight it as, if any.
/// It holds plain text only. The language must be non-empty, without white space or
/// backticks.
pub fn pre(text: impl Into<String>, language: Option<&str>) -> Piece {
    let language = language.map(str::to_owned);
    Piece::styled(Style::Pre { language }, plain(text))
}

/// Content that opens `url` when tapped
/// ([`text_link`](https://core.telegram.org/bots/api#messageentity)).
pub fn link(content: impl IntoPieces, url: impl Into<String>) -> Piece {
    let url = url.into();
    Piece::styled(Style::Link { url }, content)
}

/// Content that mentions `user` by id, for users without a username
/// ([`text_mention`](https://core.telegram.org/bots/api#messageentity)). In HTML and
/// MarkdownV2 it becomes a `tg://user?id=` link; only the id is sent.
pub fn mention(content: impl IntoPieces, user: User) -> Piece {
    let user = Box::new(user);
    Piece::styled(Style::Mention { user }, content)
}

/// A custom emoji sticker shown in place of `emoji`, an ordinary emoji that clients show
/// where custom emoji cannot be displayed. `id` is the sticker's `custom_emoji_id`.
pub fn custom_emoji(emoji: impl IntoPieces, id: impl Into<String>) -> Piece {
    let id = id.into();
    Piece::styled(Style::CustomEmoji { id }, emoji)
}

/// A date and time that clients show in the reader's time zone, with `content` shown where
/// they cannot. `format` is `r` (relative), or letters from `tTdDwW` (short or long time,
/// short or long date, day of the week); `None` lets the client choose.
pub fn date_time(content: impl IntoPieces, unix_time: i64, format: Option<&str>) -> Piece {
    let format = format.map(str::to_owned);
    Piece::styled(Style::DateTime { unix_time, format }, content)
}

/// A block quotation. It must begin a line and end one (see
/// [`BuildError::QuoteStartsMidLine`] and [`BuildError::QuoteEndsMidLine`]); a line
/// break right after it, in plain text, is counted as part of it, as Telegram's
/// MarkdownV2 parser counts it.
pub fn blockquote(content: impl IntoPieces) -> Piece {
    Piece::styled(Style::Blockquote, content)
}

/// A block quotation shown collapsed until tapped, under the same rules as
/// [`blockquote`].
pub fn expandable_blockquote(content: impl IntoPieces) -> Piece {
    Piece::styled(Style::ExpandableBlockquote, content)
}

/// A formatted text being put together from [`Piece`]s.
///
/// Append pieces with the methods named after the styles, or any piece with
/// [`Text::push`]; then [`build`](Text::build) the text and its entities, or render it as
/// [HTML](Text::to_html) or [MarkdownV2](Text::to_markdown_v2) for `parse_mode`. The three
/// agree: Telegram parses the HTML and the MarkdownV2 into exactly the text and entities
/// that `build` returns (the tests check this through the emulator).
///
/// ```
/// use botapi_proto::text::{Text, bold, italic, link};
///
/// let text = Text::new()
///     .plain("Price: ")
///     .bold(["12.50 ".into(), italic("USD")])
///     .plain(". ")
///     .push(link("Terms", "https://example.com/terms"));
/// assert_eq!(text.to_html()?, r#"Price: <b>12.50 <i>USD</i></b>. <a href="https://example.com/terms">Terms</a>"#);
/// assert_eq!(text.to_markdown_v2()?, r"Price: *12\.50 _USD_*\. [Terms](https://example.com/terms)");
/// let built = text.build()?;
/// assert_eq!(built.text, "Price: 12.50 USD. Terms");
/// assert_eq!(built.entities.len(), 3);
/// # Ok::<(), botapi_proto::text::BuildError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Text {
    pieces: Vec<Piece>,
}

impl From<&str> for Piece {
    fn from(text: &str) -> Self {
        plain(text)
    }
}

impl From<String> for Piece {
    fn from(text: String) -> Self {
        plain(text)
    }
}

impl Text {
    /// An empty text.
    pub fn new() -> Self {
        Text::default()
    }

    /// The pieces so far.
    pub fn pieces(&self) -> &[Piece] {
        &self.pieces
    }

    /// Appends pieces (a string is plain text).
    pub fn push(mut self, pieces: impl IntoPieces) -> Self {
        self.pieces.extend(pieces.into_pieces());
        self
    }

    /// Appends plain text.
    pub fn plain(self, text: impl Into<String>) -> Self {
        self.push(plain(text))
    }

    /// Appends [`bold`] content.
    pub fn bold(self, content: impl IntoPieces) -> Self {
        self.push(bold(content))
    }

    /// Appends [`italic`] content.
    pub fn italic(self, content: impl IntoPieces) -> Self {
        self.push(italic(content))
    }

    /// Appends [`underline`]d content.
    pub fn underline(self, content: impl IntoPieces) -> Self {
        self.push(underline(content))
    }

    /// Appends [`strikethrough`] content.
    pub fn strikethrough(self, content: impl IntoPieces) -> Self {
        self.push(strikethrough(content))
    }

    /// Appends a [`spoiler`].
    pub fn spoiler(self, content: impl IntoPieces) -> Self {
        self.push(spoiler(content))
    }

    /// Appends inline [`code`].
    pub fn code(self, text: impl Into<String>) -> Self {
        self.push(code(text))
    }

    /// Appends a [`pre`] block.
    pub fn pre(self, text: impl Into<String>, language: Option<&str>) -> Self {
        self.push(pre(text, language))
    }

    /// Appends a [`link`].
    pub fn link(self, content: impl IntoPieces, url: impl Into<String>) -> Self {
        self.push(link(content, url))
    }

    /// Appends a [`mention`] of `user`.
    pub fn mention(self, content: impl IntoPieces, user: User) -> Self {
        self.push(mention(content, user))
    }

    /// Appends a [`custom_emoji`].
    pub fn custom_emoji(self, emoji: impl IntoPieces, id: impl Into<String>) -> Self {
        self.push(custom_emoji(emoji, id))
    }

    /// Appends a [`date_time`].
    pub fn date_time(self, content: impl IntoPieces, unix_time: i64, format: Option<&str>) -> Self {
        self.push(date_time(content, unix_time, format))
    }

    /// Appends a [`blockquote`].
    pub fn blockquote(self, content: impl IntoPieces) -> Self {
        self.push(blockquote(content))
    }

    /// Appends an [`expandable_blockquote`].
    pub fn expandable_blockquote(self, content: impl IntoPieces) -> Self {
        self.push(expandable_blockquote(content))
    }

    /// The text and its entities (offsets and lengths in UTF-16 code units), in the shape
    /// Telegram stores them: sorted by offset (longer first), touching styles of one type
    /// merged, and styles cut where a link, mention, custom emoji, date, code block or
    /// quote begins or ends inside them.
    ///
    /// Telegram also removes spaces and line breaks from the two ends of a message; the
    /// builder keeps the text as given.
    pub fn build(&self) -> Result<FormattedText, BuildError> {
        Ok(layout::lay_out(&self.pieces)?.formatted())
    }

    /// The text as HTML, for `parse_mode` `HTML`: `<`, `>` and `&` escaped, attributes
    /// quoted.
    pub fn to_html(&self) -> Result<String, BuildError> {
        Ok(html::render(&layout::lay_out(&self.pieces)?))
    }

    /// The text as MarkdownV2, for `parse_mode` `MarkdownV2`: every character that the
    /// format reserves escaped where it must be.
    pub fn to_markdown_v2(&self) -> Result<String, BuildError> {
        Ok(markdown::render(&layout::lay_out(&self.pieces)?))
    }
}

impl Extend<Piece> for Text {
    fn extend<I: IntoIterator<Item = Piece>>(&mut self, pieces: I) {
        self.pieces.extend(pieces);
    }
}

impl FromIterator<Piece> for Text {
    fn from_iter<I: IntoIterator<Item = Piece>>(pieces: I) -> Self {
        Text {
            pieces: pieces.into_iter().collect(),
        }
    }
}

impl From<Piece> for Text {
    fn from(piece: Piece) -> Self {
        Text {
            pieces: vec![piece],
        }
    }
}
