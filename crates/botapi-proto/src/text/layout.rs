//! Laying pieces out: the plain text they make, and where each style begins and ends in it.
//! This is where the nesting rules are checked; entities, HTML and MarkdownV2 are all
//! produced from the one layout, so they cannot disagree.

use crate::types::{MessageEntity, MessageEntityType, User};

use super::builder::{Node, Piece, Style};
use super::entity::{self, Class};
use super::error::BuildError;
use super::formatted::FormattedText;
use super::utf16::utf16_len;

/// The plain text of some pieces and the styles laid over it.
#[derive(Debug)]
pub(crate) struct Layout<'p> {
    pub(crate) text: String,
    /// Every style, parents before children, siblings in order. They nest properly: two
    /// spans are disjoint or one contains the other.
    pub(crate) spans: Vec<Span<'p>>,
}

/// Where one style lies in the text, in bytes and in UTF-16 code units.
#[derive(Debug, Clone)]
pub(crate) struct Span<'p> {
    pub(crate) style: &'p Style,
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) start16: usize,
    pub(crate) end16: usize,
}

impl Style {
    pub(crate) fn kind(&self) -> MessageEntityType {
        use MessageEntityType as T;
        match self {
            Style::Bold => T::Bold,
            Style::Italic => T::Italic,
            Style::Underline => T::Underline,
            Style::Strikethrough => T::Strikethrough,
            Style::Spoiler => T::Spoiler,
            Style::Code => T::Code,
            Style::Pre { .. } => T::Pre,
            Style::Link { .. } => T::TextLink,
            Style::Mention { .. } => T::TextMention,
            Style::CustomEmoji { .. } => T::CustomEmoji,
            Style::DateTime { .. } => T::DateTime,
            Style::Blockquote => T::Blockquote,
            Style::ExpandableBlockquote => T::ExpandableBlockquote,
        }
    }

    fn class(&self) -> Class {
        entity::class(&self.kind())
    }

    /// Checks the data the style carries.
    fn check(&self) -> Result<(), BuildError> {
        match self {
            Style::Pre {
                language: Some(language),
            } if language.is_empty()
                || language
                    .chars()
                    .any(|c| c.is_whitespace() || c.is_control() || c == '`') =>
            {
                Err(BuildError::InvalidLanguage {
                    language: language.clone(),
                })
            }
            Style::Link { url } if url.is_empty() => Err(BuildError::EmptyUrl),
            Style::Mention { user } if user.id <= 0 => {
                Err(BuildError::InvalidUserId { id: user.id })
            }
            Style::CustomEmoji { id } if !is_positive_i64(id) => {
                Err(BuildError::InvalidCustomEmojiId { id: id.clone() })
            }
            Style::DateTime { unix_time, .. } if *unix_time <= 0 => {
                Err(BuildError::InvalidUnixTime {
                    unix_time: *unix_time,
                })
            }
            Style::DateTime {
                format: Some(format),
                ..
            } if !is_date_time_format(format) => Err(BuildError::InvalidDateTimeFormat {
                format: format.clone(),
            }),
            _ => Ok(()),
        }
    }

    fn is_quote(&self) -> bool {
        self.class() == Class::Quote
    }
}

/// A positive `i64` written the way Telegram writes it back: digits, no leading zero.
fn is_positive_i64(id: &str) -> bool {
    !id.starts_with('0')
        && id.bytes().all(|b| b.is_ascii_digit())
        && id.parse::<i64>().is_ok_and(|n| n > 0)
}

/// `r` or `R` alone, or any letters of `tTdDwW` (as Telegram reads the format).
fn is_date_time_format(format: &str) -> bool {
    matches!(format, "r" | "R")
        || (!format.is_empty() && format.chars().all(|c| "tTdDwW".contains(c)))
}

/// Lays `pieces` out, checking every rule.
pub(crate) fn lay_out(pieces: &[Piece]) -> Result<Layout<'_>, BuildError> {
    let mut layout = Layout {
        text: String::new(),
        spans: Vec::new(),
    };
    let mut open = Vec::new();
    walk(pieces, &mut layout, &mut open)?;
    close_quotes(&mut layout)?;
    Ok(layout)
}

/// Appends `pieces` to the layout; `open` holds the indexes of the enclosing spans.
fn walk<'p>(
    pieces: &'p [Piece],
    layout: &mut Layout<'p>,
    open: &mut Vec<usize>,
) -> Result<(), BuildError> {
    for Piece(node) in pieces {
        match node {
            Node::Plain(text) => layout.text.push_str(text),
            Node::Styled(style, content) => {
                let outer: Vec<&Style> = open.iter().map(|&i| layout.spans[i].style).collect();
                // A style inside the same style adds nothing: Telegram merges the two.
                if style.class() == Class::Style && outer.contains(&style) {
                    walk(content, layout, open)?;
                    continue;
                }
                check_nesting(style, &outer)?;
                style.check()?;
                if style.is_quote() && !layout.at_line_start() {
                    return Err(BuildError::QuoteStartsMidLine { kind: style.kind() });
                }
                let start = layout.text.len();
                let index = layout.spans.len();
                layout.spans.push(Span {
                    style,
                    start,
                    end: start,
                    start16: 0,
                    end16: 0,
                });
                open.push(index);
                walk(content, layout, open)?;
                open.pop();
                let end = layout.text.len();
                if end == start {
                    return Err(BuildError::Empty { kind: style.kind() });
                }
                layout.spans[index].end = end;
            }
        }
    }
    Ok(())
}

/// Refuses `inner` inside the `outer` styles (outermost first) where Telegram would.
fn check_nesting(inner: &Style, outer: &[&Style]) -> Result<(), BuildError> {
    let refuse = |outer: &Style| BuildError::Nesting {
        inner: inner.kind(),
        outer: outer.kind(),
    };
    for parent in outer.iter().rev() {
        let allowed = match (inner.class(), parent.class()) {
            (_, Class::Code) => false,
            (Class::Code, parent) => parent == Class::Quote,
            (Class::Quote, Class::Quote) => false,
            (Class::Quote | Class::Other, Class::Other) => false,
            _ => true,
        };
        if !allowed {
            return Err(refuse(parent));
        }
    }
    Ok(())
}

/// Makes every quote end a line, and fills in the UTF-16 positions.
///
/// A quote that ends with a line break is fine if that break is its own plain text. A
/// quote followed by a plain line break takes it in (with its enclosing styles that end
/// where it does), as Telegram's MarkdownV2 parser does. A quote at the end of the text is
/// fine. Anything else cannot be written in MarkdownV2, and is refused.
fn close_quotes(layout: &mut Layout<'_>) -> Result<(), BuildError> {
    let len = layout.text.len();
    for q in 0..layout.spans.len() {
        let quote = &layout.spans[q];
        if !quote.style.is_quote() {
            continue;
        }
        let (start, end, kind) = (quote.start, quote.end, quote.style.kind());
        let nested_to_end = || {
            layout.spans[q + 1..]
                .iter()
                .any(|s| s.start >= start && s.end == end)
        };
        if layout.text[..end].ends_with('\n') {
            if nested_to_end() {
                return Err(BuildError::QuoteEndsMidLine { kind });
            }
        } else if end < len {
            let followed_by_plain_break = layout.text[end..].starts_with('\n')
                && !layout.spans.iter().any(|s| s.start == end);
            if !followed_by_plain_break {
                return Err(BuildError::QuoteEndsMidLine { kind });
            }
            // The quote and the spans around it that end with it take in the break.
            for span in layout.spans[..=q].iter_mut() {
                if span.end == end && span.start <= start {
                    span.end = end + 1;
                }
            }
        }
    }
    let text = &layout.text;
    for span in &mut layout.spans {
        span.start16 = utf16_len(&text[..span.start]);
        span.end16 = span.start16 + utf16_len(&text[span.start..span.end]);
    }
    Ok(())
}

impl Layout<'_> {
    /// Whether the text so far ends at the start of a line, as MarkdownV2 sees it: at the
    /// start of the text, or after a line break that is not in `code` or `pre` (there it
    /// is text, and does not start a line of markup).
    fn at_line_start(&self) -> bool {
        let len = self.text.len();
        let in_code = |s: &Span<'_>| s.end == len && s.style.class() == Class::Code;
        len == 0 || (self.text.ends_with('\n') && !self.spans.iter().any(in_code))
    }

    /// The text and its entities, in the shape Telegram stores.
    pub(crate) fn formatted(&self) -> FormattedText {
        let entities = self.spans.iter().map(Span::entity).collect();
        FormattedText::new(self.text.clone(), entity::normalize(entities))
    }
}

impl Span<'_> {
    fn entity(&self) -> MessageEntity {
        let offset = i64::try_from(self.start16).unwrap_or(i64::MAX);
        let length = i64::try_from(self.end16 - self.start16).unwrap_or(i64::MAX);
        let entity = MessageEntity::new(self.style.kind(), offset, length);
        match self.style {
            Style::Pre {
                language: Some(language),
            } => entity.language(language.clone()),
            Style::Link { url } => entity.url(url.clone()),
            Style::Mention { user } => entity.user(User::clone(user)),
            Style::CustomEmoji { id } => entity.custom_emoji_id(id.clone()),
            Style::DateTime { unix_time, format } => {
                let entity = entity.unix_time(*unix_time);
                match format {
                    Some(format) => entity.date_time_format(format.clone()),
                    None => entity,
                }
            }
            _ => entity,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::builder::*;
    use MessageEntityType as T;

    fn build(pieces: impl IntoPieces) -> Result<FormattedText, BuildError> {
        Text::new().push(pieces).build()
    }

    fn nesting(inner: T, outer: T) -> BuildError {
        BuildError::Nesting { inner, outer }
    }

    #[test]
    fn styles_nest_in_anything_but_code() {
        assert!(build(bold([italic(underline(strikethrough(spoiler("x"))))])).is_ok());
        assert!(build(link(bold("x"), "https://a.example/")).is_ok());
        assert!(build(blockquote(bold(link("x", "https://a.example/")))).is_ok());
        assert!(build(custom_emoji(bold("👍"), "5368324170671202286")).is_ok());
    }

    #[test]
    fn code_only_inside_quotes() {
        assert!(build(blockquote(["a ".into(), code("x")])).is_ok());
        assert!(build(expandable_blockquote(pre("x", Some("rust")))).is_ok());
        assert_eq!(build(bold(code("x"))), Err(nesting(T::Code, T::Bold)));
        assert_eq!(
            build(italic(pre("x", None))),
            Err(nesting(T::Pre, T::Italic))
        );
        assert_eq!(
            build(link(code("x"), "https://a.example/")),
            Err(nesting(T::Code, T::TextLink))
        );
        assert_eq!(
            build(blockquote(bold(code("x")))),
            Err(nesting(T::Code, T::Bold))
        );
    }

    #[test]
    fn links_mentions_emoji_dates_and_quotes_do_not_nest() {
        let url = "https://a.example/";
        assert_eq!(
            build(link(link("x", url), url)),
            Err(nesting(T::TextLink, T::TextLink))
        );
        assert_eq!(
            build(link(custom_emoji("👍", "1"), url)),
            Err(nesting(T::CustomEmoji, T::TextLink))
        );
        assert_eq!(
            build(date_time(mention("x", User::new(1, false, "A")), 1, None)),
            Err(nesting(T::TextMention, T::DateTime))
        );
        assert_eq!(
            build(blockquote(expandable_blockquote("x"))),
            Err(nesting(T::ExpandableBlockquote, T::Blockquote))
        );
        assert_eq!(
            build(link(blockquote("x"), url)),
            Err(nesting(T::Blockquote, T::TextLink))
        );
        assert!(build(bold(blockquote("x"))).is_ok());
    }

    #[test]
    fn empty_pieces_are_refused() {
        assert_eq!(build(bold("")), Err(BuildError::Empty { kind: T::Bold }));
        assert_eq!(
            build(italic(bold(""))),
            Err(BuildError::Empty { kind: T::Bold })
        );
        assert_eq!(build(code("")), Err(BuildError::Empty { kind: T::Code }));
        assert_eq!(build(Text::new()), Ok(FormattedText::default()));
    }

    #[test]
    fn the_data_of_each_style_is_checked() {
        let language = |l: &str| BuildError::InvalidLanguage { language: l.into() };
        assert_eq!(build(pre("x", Some(""))), Err(language("")));
        assert_eq!(build(pre("x", Some("c sharp"))), Err(language("c sharp")));
        assert_eq!(build(pre("x", Some("a`b"))), Err(language("a`b")));
        assert_eq!(build(link("x", "")), Err(BuildError::EmptyUrl));
        assert_eq!(
            build(mention("x", User::new(0, false, "A"))),
            Err(BuildError::InvalidUserId { id: 0 })
        );
        for id in ["", "0", "07", "-5", "+5", "12a", "99999999999999999999"] {
            assert_eq!(
                build(custom_emoji("👍", id)),
                Err(BuildError::InvalidCustomEmojiId { id: id.into() })
            );
        }
        assert_eq!(
            build(date_time("x", 0, None)),
            Err(BuildError::InvalidUnixTime { unix_time: 0 })
        );
        for format in ["", "rt", "x", "dd d"] {
            assert_eq!(
                build(date_time("x", 1, Some(format))),
                Err(BuildError::InvalidDateTimeFormat {
                    format: format.into()
                })
            );
        }
        for format in ["r", "R", "wDT", "t", "dT"] {
            assert!(build(date_time("x", 1, Some(format))).is_ok());
        }
    }

    #[test]
    fn quotes_begin_and_end_lines() {
        let starts = BuildError::QuoteStartsMidLine {
            kind: T::Blockquote,
        };
        let ends = BuildError::QuoteEndsMidLine {
            kind: T::Blockquote,
        };
        assert_eq!(build(["a".into(), blockquote("q")]), Err(starts));
        assert_eq!(build([blockquote("q"), "a".into()]), Err(ends.clone()));
        assert_eq!(build([blockquote("q"), bold("\na")]), Err(ends.clone()));
        assert_eq!(
            build([blockquote(bold("q\n")), "a".into()]),
            Err(ends.clone())
        );
        assert_eq!(build(blockquote(bold("q\n"))), Err(ends));
        assert!(build(["a\n".into(), blockquote("q\n"), "b".into()]).is_ok());
        assert!(build([bold("a\n"), blockquote("q")]).is_ok());
        // A line break in code is text, and does not start a line of MarkdownV2.
        assert_eq!(
            build([pre("a\n", None), blockquote("q")]),
            Err(BuildError::QuoteStartsMidLine {
                kind: T::Blockquote
            })
        );
    }

    #[test]
    fn a_quote_takes_in_the_line_break_after_it() {
        let built = build([bold(blockquote("q")), "\nrest".into()]).unwrap();
        assert_eq!(built.text, "q\nrest");
        assert_eq!(
            built.entities,
            vec![
                MessageEntity::new(T::Blockquote, 0, 2),
                MessageEntity::new(T::Bold, 0, 2)
            ]
        );
        let built = build([blockquote("q"), "\n".into(), expandable_blockquote("r")]).unwrap();
        assert_eq!(
            built.entities,
            vec![
                MessageEntity::new(T::Blockquote, 0, 2),
                MessageEntity::new(T::ExpandableBlockquote, 2, 1)
            ]
        );
    }

    #[test]
    fn entities_count_utf16_units_and_carry_their_data() {
        let user = User::new(42, false, "Ann");
        let built = build([
            "👍 ".into(),
            mention("Ann", user.clone()),
            " 🇺🇦 ".into(),
            custom_emoji("🔥", "7"),
            date_time("now", 1_700_000_000, Some("r")),
            pre("let x;", Some("rust")),
        ])
        .unwrap();
        assert_eq!(built.text, "👍 Ann 🇺🇦 🔥nowlet x;");
        assert_eq!(
            built.entities,
            vec![
                MessageEntity::new(T::TextMention, 3, 3).user(user),
                MessageEntity::new(T::CustomEmoji, 12, 2).custom_emoji_id("7"),
                MessageEntity::new(T::DateTime, 14, 3)
                    .unix_time(1_700_000_000)
                    .date_time_format("r"),
                MessageEntity::new(T::Pre, 17, 6).language("rust"),
            ]
        );
    }
}
