//! Rendering formatted text as MarkdownV2 (`parse_mode` `MarkdownV2`), and escaping plain
//! strings for it.
//!
//! MarkdownV2 reserves `_ * [ ] ( ) ~ ` > # + - = | { } . !` and `\`: outside entities each
//! must be escaped with a `\`. Inside `code` and `pre` only `` ` `` and `\` are, and inside
//! the `(…)` of a link or custom emoji only `)` and `\`. See
//! <https://core.telegram.org/bots/api#markdownv2-style>.
//!
//! A few sequences need care that escaping alone does not give: `_` and `__` (italic and
//! underline) run together would be read the other way, so an empty bold entity (`**`, or
//! an empty code entity when bold is open) goes between them, as the reference advises; the
//! same separator keeps a quote that starts right after another from continuing it.

use std::borrow::Cow;
use std::fmt::Write;

use super::builder::Style;
use super::layout::{Layout, Span};

/// The characters MarkdownV2 reserves outside entities.
const RESERVED: &str = "_*[]()~`>#+-=|{}.!\\";

/// Escapes `text` for MarkdownV2 outside entities (and inside any entity but `code`,
/// `pre` and the URL of a link).
///
/// ```
/// use botapi_proto::text::escape_markdown_v2;
///
/// assert_eq!(escape_markdown_v2("1.5 + 2 = 3.5!"), r"1\.5 \+ 2 \= 3\.5\!");
/// assert_eq!(escape_markdown_v2("plain text"), "plain text");
/// ```
pub fn escape_markdown_v2(text: &str) -> Cow<'_, str> {
    escape(text, RESERVED)
}

/// Escapes `text` for the inside of MarkdownV2 `code` and `pre`: `` ` `` and `\`.
///
/// ```
/// use botapi_proto::text::escape_markdown_v2_code;
///
/// assert_eq!(escape_markdown_v2_code(r"let s = `\n`;"), r"let s = \`\\n\`;");
/// ```
pub fn escape_markdown_v2_code(text: &str) -> Cow<'_, str> {
    escape(text, "`\\")
}

/// Escapes `url` for the `(…)` part of a MarkdownV2 link or custom emoji: `)` and `\`.
///
/// ```
/// use botapi_proto::text::escape_markdown_v2_url;
///
/// assert_eq!(escape_markdown_v2_url("https://en.wikipedia.org/wiki/Rust_(language)"),
///            r"https://en.wikipedia.org/wiki/Rust_(language\)");
/// ```
pub fn escape_markdown_v2_url(url: &str) -> Cow<'_, str> {
    escape(url, ")\\")
}

fn escape<'a>(text: &'a str, special: &str) -> Cow<'a, str> {
    if !text.contains(|c| special.contains(c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if special.contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    Cow::Owned(out)
}

/// The layout as MarkdownV2.
pub(crate) fn render(layout: &Layout<'_>) -> String {
    let text = &layout.text;
    let mut writer = Writer {
        out: String::with_capacity(text.len() * 2),
        open: Vec::new(),
        after_underscore: false,
        after_quote: false,
    };
    let mut next = layout.spans.iter().peekable();
    let mut pos = 0;
    loop {
        while writer.open.last().is_some_and(|s| s.end == pos) {
            writer.close(text[..pos].ends_with('\n'));
        }
        while let Some(span) = next.next_if(|s| s.start == pos) {
            writer.start(span);
        }
        let Some(c) = text[pos..].chars().next() else {
            break;
        };
        writer.char(c, pos);
        pos += c.len_utf8();
    }
    writer.out
}

struct Writer<'l, 'p> {
    out: String,
    open: Vec<&'l Span<'p>>,
    /// The last thing written was a marker ending in `_`.
    after_underscore: bool,
    /// The last thing written was the line break that ends a quote.
    after_quote: bool,
}

impl<'l, 'p> Writer<'l, 'p> {
    fn write(&mut self, s: &str) {
        self.out.push_str(s);
        self.after_underscore = false;
        self.after_quote = false;
    }

    /// An empty entity, which the parser drops, to keep its neighbours apart.
    fn separator(&mut self) {
        let bold_open = self.open.iter().any(|s| *s.style == Style::Bold);
        self.write(if bold_open { "``" } else { "**" });
    }

    fn marker(&mut self, marker: &str) {
        if marker.starts_with('_') && self.after_underscore {
            self.separator();
        }
        self.write(marker);
        self.after_underscore = marker.ends_with('_');
    }

    /// The quote being written, if any (quotes do not nest).
    fn quote(&self) -> Option<&'l Span<'p>> {
        self.open
            .iter()
            .find(|s| matches!(s.style, Style::Blockquote | Style::ExpandableBlockquote))
            .copied()
    }

    fn start(&mut self, span: &'l Span<'p>) {
        match span.style {
            Style::Bold => self.marker("*"),
            Style::Italic => self.marker("_"),
            Style::Underline => self.marker("__"),
            Style::Strikethrough => self.marker("~"),
            Style::Spoiler => self.marker("||"),
            Style::Code => self.write("`"),
            Style::Pre { language } => {
                // The line break ends the language, and the parser drops it.
                self.write("```");
                self.write(language.as_deref().unwrap_or_default());
                self.write("\n");
            }
            Style::Link { .. } | Style::Mention { .. } => self.write("["),
            Style::CustomEmoji { .. } | Style::DateTime { .. } => self.write("!["),
            Style::Blockquote | Style::ExpandableBlockquote => {
                if self.after_quote {
                    self.separator();
                }
                self.write(">");
            }
        }
        self.open.push(span);
    }

    /// Closes the innermost open span; `after_break` says whether its text ends with a
    /// line break.
    fn close(&mut self, after_break: bool) {
        let Some(span) = self.open.pop() else {
            return;
        };
        match span.style {
            Style::Bold => self.marker("*"),
            Style::Italic => self.marker("_"),
            Style::Underline => self.marker("__"),
            Style::Strikethrough => self.marker("~"),
            Style::Spoiler => self.marker("||"),
            Style::Code => self.write("`"),
            Style::Pre { .. } => self.write("```"),
            Style::Link { url } => {
                let url = format!("]({})", escape_markdown_v2_url(url));
                self.write(&url);
            }
            Style::Mention { user } => {
                let url = format!("](tg://user?id={})", user.id);
                self.write(&url);
            }
            Style::CustomEmoji { id } => {
                let url = format!("](tg://emoji?id={})", escape_markdown_v2_url(id));
                self.write(&url);
            }
            Style::DateTime { unix_time, format } => {
                let mut url = format!("](tg://time?unix={unix_time}");
                if let Some(format) = format {
                    let _ = write!(url, "&format={}", escape_markdown_v2_url(format));
                }
                url.push(')');
                self.write(&url);
            }
            // A quote that ends with its line break was closed by it. Otherwise it is at
            // the end of the text: an expandable one is marked, and if styles around it
            // still have to close, a line break closes the quote first (Telegram trims it).
            Style::Blockquote | Style::ExpandableBlockquote if !after_break => {
                if *span.style == Style::ExpandableBlockquote {
                    self.write("||");
                }
                if !self.open.is_empty() {
                    self.write("\n");
                    self.after_quote = true;
                }
            }
            Style::Blockquote | Style::ExpandableBlockquote => {}
        }
    }

    fn char(&mut self, c: char, pos: usize) {
        let in_code = self
            .open
            .last()
            .is_some_and(|s| matches!(s.style, Style::Code | Style::Pre { .. }));
        let mut buf = [0; 4];
        if in_code {
            // A carriage return right after the opening line break would be dropped with it.
            if c == '`' || c == '\\' || c == '\r' {
                self.write("\\");
            }
            self.write(c.encode_utf8(&mut buf));
        } else if c == '\n' {
            match self.quote() {
                // The line break that ends a quote: an expandable one is marked first.
                Some(quote) if pos + 1 == quote.end => {
                    if *quote.style == Style::ExpandableBlockquote {
                        self.write("||");
                    }
                    self.write("\n");
                    self.after_quote = true;
                }
                // A line break inside a quote: the next line is quoted too.
                Some(_) => self.write("\n>"),
                None => self.write("\n"),
            }
        } else {
            if RESERVED.contains(c) {
                self.write("\\");
            }
            self.write(c.encode_utf8(&mut buf));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::text::*;
    use crate::types::User;

    fn md(text: Text) -> String {
        text.to_markdown_v2().unwrap()
    }

    #[test]
    fn every_style() {
        let text = Text::new()
            .bold("b")
            .italic("i")
            .underline("u")
            .strikethrough("s")
            .spoiler("p")
            .code("c`\\")
            .pre("x", None)
            .pre("y", Some("rust"))
            .link("l.", r"https://e.example/a_(b)\c")
            .mention("m", User::new(7, false, "M"))
            .custom_emoji("👍", "5368324170671202286")
            .date_time("t", 1_647_531_900, Some("wDT"))
            .date_time("u", 1, None);
        assert_eq!(
            md(text),
            concat!(
                r"*b*_i_**__u__~s~||p||`c\`\\`",
                "```\nx``````rust\ny```",
                r"[l\.](https://e.example/a_(b\)\\c)[m](tg://user?id=7)",
                r"![👍](tg://emoji?id=5368324170671202286)",
                r"![t](tg://time?unix=1647531900&format=wDT)![u](tg://time?unix=1)"
            )
        );
    }

    #[test]
    fn reserved_characters_are_escaped_outside_code() {
        let all = "_*[]()~`>#+-=|{}.!\\";
        let text = Text::new().plain(all).code(all);
        assert_eq!(
            md(text),
            r"\_\*\[\]\(\)\~\`\>\#\+\-\=\|\{\}\.\!\\`_*[]()~\`>#+-=|{}.!\\`"
        );
    }

    #[test]
    fn italic_and_underline_are_kept_apart() {
        assert_eq!(md(Text::new().italic(underline("x"))), "_**__x__**_");
        assert_eq!(md(Text::new().underline(italic("x"))), "__**_x_**__");
        assert_eq!(md(Text::new().italic("a").italic("b")), "_a_**_b_");
        assert_eq!(
            md(Text::new().bold([italic("a"), underline("b")])),
            "*_a_``__b__*"
        );
    }

    #[test]
    fn quotes_prefix_every_line_and_end_at_a_line_break() {
        let text = Text::new().push([
            blockquote(["one\ntwo".into(), pre("a\nb", None), "\nthree".into()]),
            "\n".into(),
            expandable_blockquote("four\nfive"),
            "\n".into(),
            blockquote("six"),
            "\nafter".into(),
        ]);
        assert_eq!(
            md(text),
            ">one\n>two```\na\nb```\n>three\n**>four\n>five||\n**>six\nafter"
        );
    }

    #[test]
    fn a_quote_at_the_end_inside_styles_closes_with_a_line_break() {
        assert_eq!(md(Text::new().bold(blockquote("q"))), "*>q\n*");
        assert_eq!(
            md(Text::new().italic(expandable_blockquote("q"))),
            "_>q||\n_"
        );
        assert_eq!(md(Text::new().blockquote("q")), ">q");
        assert_eq!(md(Text::new().expandable_blockquote("q")), ">q||");
    }
}
