//! A model of formatted text for the text tests: trees of styled nodes over strings drawn
//! from the hard cases, the builder pieces they stand for, and what building them must
//! give, worked out here independently of the library.
//!
//! Also used by the emulator round trips in `tests/tests/text.rs`.
#![allow(dead_code)] // each test file uses its own part of this module

use botapi_proto::text::{self, Piece, Text};
use botapi_proto::types::{MessageEntity, MessageEntityType as T, User};
use proptest::prelude::*;

/// Text fragments from the hard cases: ASCII, Cyrillic, CJK, emoji, a flag, a ZWJ family,
/// a skin tone, combining marks, right-to-left scripts and marks, every MarkdownV2 and
/// HTML special character, escapes and markup look-alikes, white space.
pub(crate) const FRAGMENTS: &[&str] = &[
    "a",
    "word",
    " ",
    "  ",
    "\n",
    "\n\n",
    "Привет",
    "日本語",
    "😀",
    "🇺🇦",
    "🇯🇵🇫🇷",
    "👨\u{200D}👩\u{200D}👧",
    "👍🏽",
    "e\u{301}",
    "n\u{303}\u{323}",
    "שלום",
    "مرحبا",
    "\u{200F}",
    "1.5!",
    "_*[]()~`>#+-=|{}.!\\",
    "<b>&amp;\"'",
    "a_b__c",
    "||",
    "```",
    "\\n",
    "#tag @name /cmd $USD",
    "https://example.com",
    "> ",
    "*",
    "_",
    "`",
    "]",
    ")",
];

/// The hard grapheme clusters among [`FRAGMENTS`]: a cut must never fall inside one.
pub(crate) const CLUSTERS: &[&str] = &[
    "🇺🇦",
    "🇯🇵",
    "🇫🇷",
    "👨\u{200D}👩\u{200D}👧",
    "👍🏽",
    "e\u{301}",
    "n\u{303}\u{323}",
];

/// URLs with characters that need escaping in both formats.
pub(crate) const URLS: &[&str] = &[
    "https://example.com/path",
    "https://example.com/a_(b)\\c?x=1&y=\"2\"",
    "http://пример.рф/страница",
    "https://example.com/😀?q=<tag>",
    "tg://resolve?domain=telegram",
];

/// A node of formatted text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node {
    Plain(String),
    /// A style and its content; `Code` and `Pre` hold one `Plain`.
    Styled(Kind, Vec<Node>),
}

/// The styles, with their data.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Kind {
    Bold,
    Italic,
    Underline,
    Strikethrough,
    Spoiler,
    Code,
    Pre(Option<String>),
    Link(String),
    Mention(i64),
    CustomEmoji(String),
    DateTime(i64, Option<String>),
    Blockquote,
    ExpandableBlockquote,
}

impl Kind {
    pub(crate) fn entity_type(&self) -> T {
        match self {
            Kind::Bold => T::Bold,
            Kind::Italic => T::Italic,
            Kind::Underline => T::Underline,
            Kind::Strikethrough => T::Strikethrough,
            Kind::Spoiler => T::Spoiler,
            Kind::Code => T::Code,
            Kind::Pre(_) => T::Pre,
            Kind::Link(_) => T::TextLink,
            Kind::Mention(_) => T::TextMention,
            Kind::CustomEmoji(_) => T::CustomEmoji,
            Kind::DateTime(..) => T::DateTime,
            Kind::Blockquote => T::Blockquote,
            Kind::ExpandableBlockquote => T::ExpandableBlockquote,
        }
    }

    pub(crate) fn is_style(&self) -> bool {
        matches!(
            self,
            Kind::Bold | Kind::Italic | Kind::Underline | Kind::Strikethrough | Kind::Spoiler
        )
    }

    pub(crate) fn is_quote(&self) -> bool {
        matches!(self, Kind::Blockquote | Kind::ExpandableBlockquote)
    }

    /// The entity this style gives over `offset..offset + length`.
    pub(crate) fn entity(&self, offset: usize, length: usize) -> MessageEntity {
        let e = MessageEntity::new(self.entity_type(), offset as i64, length as i64);
        match self {
            Kind::Pre(Some(language)) => e.language(language.clone()),
            Kind::Link(url) => e.url(url.clone()),
            Kind::Mention(id) => e.user(mention_user(*id)),
            Kind::CustomEmoji(id) => e.custom_emoji_id(id.clone()),
            Kind::DateTime(unix, format) => {
                let e = e.unix_time(*unix);
                match format {
                    Some(f) => e.date_time_format(f.clone()),
                    None => e,
                }
            }
            _ => e,
        }
    }
}

/// The user mentioned by id: what the emulator also fills in for a `tg://user?id=` link.
pub(crate) fn mention_user(id: i64) -> User {
    User::new(id, false, "User")
}

/// The builder pieces the nodes stand for.
pub(crate) fn pieces(nodes: &[Node]) -> Vec<Piece> {
    nodes.iter().map(piece).collect()
}

fn piece(node: &Node) -> Piece {
    let (kind, content) = match node {
        Node::Plain(s) => return text::plain(s.clone()),
        Node::Styled(kind, content) => (kind, content),
    };
    let inner = || pieces(content);
    let plain = || plain_text(content);
    match kind {
        Kind::Bold => text::bold(inner()),
        Kind::Italic => text::italic(inner()),
        Kind::Underline => text::underline(inner()),
        Kind::Strikethrough => text::strikethrough(inner()),
        Kind::Spoiler => text::spoiler(inner()),
        Kind::Code => text::code(plain()),
        Kind::Pre(language) => text::pre(plain(), language.as_deref()),
        Kind::Link(url) => text::link(inner(), url.clone()),
        Kind::Mention(id) => text::mention(inner(), mention_user(*id)),
        Kind::CustomEmoji(id) => text::custom_emoji(inner(), id.clone()),
        Kind::DateTime(unix, format) => text::date_time(inner(), *unix, format.as_deref()),
        Kind::Blockquote => text::blockquote(inner()),
        Kind::ExpandableBlockquote => text::expandable_blockquote(inner()),
    }
}

/// The builder text the nodes stand for.
pub(crate) fn text(nodes: &[Node]) -> Text {
    Text::new().push(pieces(nodes))
}

/// The plain text of the nodes.
pub(crate) fn plain_text(nodes: &[Node]) -> String {
    let mut out = String::new();
    for node in nodes {
        match node {
            Node::Plain(s) => out.push_str(s),
            Node::Styled(_, content) => out.push_str(&plain_text(content)),
        }
    }
    out
}

/// Where each style lies, as the rules say it must.
#[derive(Debug, Clone)]
pub(crate) struct Span {
    pub(crate) kind: Kind,
    /// UTF-16 positions.
    pub(crate) start: usize,
    pub(crate) end: usize,
    /// The index of the enclosing span.
    pub(crate) parent: Option<usize>,
}

/// The text and the spans of the nodes, with each quote that is followed by a line
/// break taking it in, with its enclosing spans that end where it does.
pub(crate) fn spans(nodes: &[Node]) -> (String, Vec<Span>) {
    fn walk(nodes: &[Node], parent: Option<usize>, text: &mut String, spans: &mut Vec<Span>) {
        for node in nodes {
            match node {
                Node::Plain(s) => text.push_str(s),
                Node::Styled(kind, content) => {
                    let start = text.encode_utf16().count();
                    let index = spans.len();
                    spans.push(Span {
                        kind: kind.clone(),
                        start,
                        end: start,
                        parent,
                    });
                    walk(content, Some(index), text, spans);
                    spans[index].end = text.encode_utf16().count();
                }
            }
        }
    }
    let mut text = String::new();
    let mut spans = Vec::new();
    walk(nodes, None, &mut text, &mut spans);
    let units: Vec<u16> = text.encode_utf16().collect();
    for q in 0..spans.len() {
        let (start, end) = (spans[q].start, spans[q].end);
        let ends_with_break = units[..end].last() == Some(&u16::from(b'\n'));
        if spans[q].kind.is_quote() && !ends_with_break && units.get(end) == Some(&u16::from(b'\n'))
        {
            let mut at = Some(q);
            while let Some(i) = at {
                if spans[i].end == end && spans[i].start <= start {
                    spans[i].end = end + 1;
                }
                at = spans[i].parent;
            }
        }
    }
    (text, spans)
}

/// The text between two UTF-16 positions.
pub(crate) fn utf16_slice(text: &str, start: usize, end: usize) -> String {
    let units: Vec<u16> = text.encode_utf16().collect();
    String::from_utf16(&units[start..end]).expect("a slice on character boundaries")
}

/// Plain text from the fragments.
pub(crate) fn fragment_text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(FRAGMENTS), 1..4).prop_map(|f| f.concat())
}

fn style() -> impl Strategy<Value = Kind> {
    prop_oneof![
        Just(Kind::Bold),
        Just(Kind::Italic),
        Just(Kind::Underline),
        Just(Kind::Strikethrough),
        Just(Kind::Spoiler),
    ]
}

/// Links, mentions, custom emoji and dates.
fn other() -> impl Strategy<Value = Kind> {
    prop_oneof![
        prop::sample::select(URLS).prop_map(|u| Kind::Link(u.to_owned())),
        (1_i64..1 << 40).prop_map(Kind::Mention),
        (1_i64..=i64::MAX).prop_map(|id| Kind::CustomEmoji(id.to_string())),
        (
            1_i64..4_000_000_000,
            prop::option::of(prop::sample::select(
                &["r", "R", "t", "T", "d", "D", "w", "wDT", "dt"][..]
            ))
        )
            .prop_map(|(unix, f)| Kind::DateTime(unix, f.map(str::to_owned))),
    ]
}

fn code_block() -> impl Strategy<Value = Node> {
    let languages = prop::option::of(prop::sample::select(
        &["rust", "c++", "python", "x-y_z"][..],
    ));
    prop_oneof![
        fragment_text().prop_map(|s| Node::Styled(Kind::Code, vec![Node::Plain(s)])),
        (fragment_text(), languages)
            .prop_map(|(s, l)| Node::Styled(Kind::Pre(l.map(str::to_owned)), vec![Node::Plain(s)])),
    ]
}

/// An inline node: `in_other` when inside a link, mention, custom emoji or date (where only
/// styles may go), `code_ok` when only quotes enclose it.
pub(crate) fn inline(depth: u32, in_other: bool, code_ok: bool) -> BoxedStrategy<Node> {
    let leaf = fragment_text().prop_map(Node::Plain).boxed();
    let leaf = if code_ok {
        prop_oneof![3 => leaf, 1 => code_block()].boxed()
    } else {
        leaf
    };
    if depth == 0 {
        return leaf;
    }
    let styled = (
        style(),
        prop::collection::vec(inline(depth - 1, in_other, false), 1..3),
    )
        .prop_map(|(k, c)| Node::Styled(k, c));
    if in_other {
        prop_oneof![2 => leaf, 1 => styled].boxed()
    } else {
        let other = (
            other(),
            prop::collection::vec(inline(depth - 1, true, false), 1..3),
        )
            .prop_map(|(k, c)| Node::Styled(k, c));
        prop_oneof![3 => leaf, 2 => styled, 1 => other].boxed()
    }
}

#[derive(Debug, Clone)]
enum Block {
    Inline(Vec<Node>),
    /// A quote wrapped in styles (outermost first).
    Quote(Kind, Vec<Kind>, Vec<Node>),
}

fn block() -> impl Strategy<Value = Block> {
    let quote = prop_oneof![Just(Kind::Blockquote), Just(Kind::ExpandableBlockquote)];
    prop_oneof![
        2 => prop::collection::vec(inline(3, false, true), 1..4).prop_map(Block::Inline),
        1 => (quote, prop::collection::vec(style(), 0..3))
            .prop_flat_map(|(quote, wrappers)| {
                let code_ok = wrappers.is_empty();
                let content = prop::collection::vec(inline(2, false, code_ok), 1..4);
                (Just(quote), Just(wrappers), content)
            })
            .prop_map(|(q, w, c)| Block::Quote(q, w, c)),
    ]
}

/// A document: inline runs and quotes, with line breaks put where quotes need them.
pub(crate) fn document() -> impl Strategy<Value = Vec<Node>> {
    prop::collection::vec(block(), 1..5).prop_map(|blocks| {
        let mut nodes = Vec::new();
        let mut after_quote = false;
        for block in blocks {
            let so_far = plain_text(&nodes);
            match block {
                Block::Inline(content) => {
                    if after_quote {
                        nodes.push(Node::Plain("\n".into()));
                    }
                    nodes.extend(content);
                    after_quote = false;
                }
                Block::Quote(quote, wrappers, content) => {
                    if after_quote || !(so_far.is_empty() || ends_with_markup_break(&nodes)) {
                        nodes.push(Node::Plain("\n".into()));
                    }
                    let mut node = Node::Styled(quote, content);
                    for wrapper in wrappers.into_iter().rev() {
                        node = Node::Styled(wrapper, vec![node]);
                    }
                    nodes.push(node);
                    after_quote = true;
                }
            }
        }
        nodes
    })
}

/// Whether the nodes end with a line break outside `code` and `pre` (inside them a line
/// break is text, and a quote cannot start after it in MarkdownV2).
fn ends_with_markup_break(nodes: &[Node]) -> bool {
    match nodes.last() {
        None => false,
        Some(Node::Plain(s)) => s.ends_with('\n'),
        Some(Node::Styled(Kind::Code | Kind::Pre(_), _)) => false,
        Some(Node::Styled(_, content)) => ends_with_markup_break(content),
    }
}

/// What the builder must give for the nodes: the entities of every span but the styles
/// (exactly), and for each style the UTF-16 units it covers.
pub(crate) struct Expected {
    pub(crate) text: String,
    pub(crate) others: Vec<MessageEntity>,
    pub(crate) styles: Vec<(T, Vec<bool>)>,
}

pub(crate) fn expected(nodes: &[Node]) -> Expected {
    let (text, spans) = spans(nodes);
    let len = text.encode_utf16().count();
    let mut others: Vec<MessageEntity> = spans
        .iter()
        .filter(|s| !s.kind.is_style())
        .map(|s| s.kind.entity(s.start, s.end - s.start))
        .collect();
    others.sort_by_key(|e| (e.offset, -e.length, e.r#type.as_str().to_owned()));
    let styles = [
        T::Bold,
        T::Italic,
        T::Underline,
        T::Strikethrough,
        T::Spoiler,
    ]
    .into_iter()
    .map(|kind| {
        let mut covered = vec![false; len];
        for s in spans.iter().filter(|s| s.kind.entity_type() == kind) {
            covered[s.start..s.end].iter_mut().for_each(|c| *c = true);
        }
        (kind, covered)
    })
    .collect();
    Expected {
        text,
        others,
        styles,
    }
}
