//! Rendering formatted text as Telegram's HTML (`parse_mode` `HTML`), and escaping plain
//! strings for it.
//!
//! Telegram's HTML knows a fixed set of tags and four named character references (`&lt;`,
//! `&gt;`, `&amp;`, `&quot;`) besides numeric ones; every `<`, `>` and `&` that is not
//! markup must be escaped. See
//! <https://core.telegram.org/bots/api#html-style>.

use std::borrow::Cow;
use std::fmt::Write;

use super::builder::Style;
use super::layout::{Layout, Span};

/// Escapes `text` for Telegram's HTML: `&`, `<`, `>` and `"` become character references,
/// so the result is safe both between tags and inside a quoted attribute.
///
/// ```
/// use botapi_proto::text::escape_html;
///
/// assert_eq!(escape_html("a < b && c > \"d\""), "a &lt; b &amp;&amp; c &gt; &quot;d&quot;");
/// assert_eq!(escape_html("plain"), "plain");
/// ```
pub fn escape_html(text: &str) -> Cow<'_, str> {
    if !text.contains(['&', '<', '>', '"']) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    push_escaped(&mut out, text);
    Cow::Owned(out)
}

fn push_escaped(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
}

/// The layout as HTML.
pub(crate) fn render(layout: &Layout<'_>) -> String {
    let text = &layout.text;
    let mut out = String::with_capacity(text.len() * 2);
    let mut open: Vec<&Span<'_>> = Vec::new();
    let mut next = layout.spans.iter().peekable();
    let mut pos = 0;
    loop {
        while let Some(span) = open.last().filter(|s| s.end == pos) {
            close(&mut out, span.style);
            open.pop();
        }
        while let Some(span) = next.next_if(|s| s.start == pos) {
            start(&mut out, span.style);
            open.push(span);
        }
        let Some(c) = text[pos..].chars().next() else {
            break;
        };
        let end = pos + c.len_utf8();
        push_escaped(&mut out, &text[pos..end]);
        pos = end;
    }
    out
}

fn start(out: &mut String, style: &Style) {
    // Writing to a String cannot fail.
    let _ = match style {
        Style::Bold => out.write_str("<b>"),
        Style::Italic => out.write_str("<i>"),
        Style::Underline => out.write_str("<u>"),
        Style::Strikethrough => out.write_str("<s>"),
        Style::Spoiler => out.write_str("<tg-spoiler>"),
        Style::Code => out.write_str("<code>"),
        Style::Pre { language: None } => out.write_str("<pre>"),
        Style::Pre {
            language: Some(language),
        } => write!(
            out,
            "<pre><code class=\"language-{}\">",
            escape_html(language)
        ),
        Style::Link { url } => write!(out, "<a href=\"{}\">", escape_html(url)),
        Style::Mention { user } => write!(out, "<a href=\"tg://user?id={}\">", user.id),
        Style::CustomEmoji { id } => write!(out, "<tg-emoji emoji-id=\"{}\">", escape_html(id)),
        Style::DateTime { unix_time, format } => {
            let _ = write!(out, "<tg-time unix=\"{unix_time}\"");
            if let Some(format) = format {
                let _ = write!(out, " format=\"{}\"", escape_html(format));
            }
            out.write_str(">")
        }
        Style::Blockquote => out.write_str("<blockquote>"),
        Style::ExpandableBlockquote => out.write_str("<blockquote expandable>"),
    };
}

fn close(out: &mut String, style: &Style) {
    out.push_str(match style {
        Style::Bold => "</b>",
        Style::Italic => "</i>",
        Style::Underline => "</u>",
        Style::Strikethrough => "</s>",
        Style::Spoiler => "</tg-spoiler>",
        Style::Code => "</code>",
        Style::Pre { language: None } => "</pre>",
        Style::Pre { language: Some(_) } => "</code></pre>",
        Style::Link { .. } | Style::Mention { .. } => "</a>",
        Style::CustomEmoji { .. } => "</tg-emoji>",
        Style::DateTime { .. } => "</tg-time>",
        Style::Blockquote | Style::ExpandableBlockquote => "</blockquote>",
    });
}

#[cfg(test)]
mod tests {
    use crate::text::*;
    use crate::types::User;

    fn html(text: Text) -> String {
        text.to_html().unwrap()
    }

    #[test]
    fn every_tag() {
        let text = Text::new()
            .bold("b")
            .italic("i")
            .underline("u")
            .strikethrough("s")
            .spoiler("p")
            .code("c<")
            .pre("x", None)
            .pre("y", Some("c++"))
            .link("l", "https://e.example/?a=1&b=\"2\"")
            .mention("m", User::new(7, false, "M"))
            .custom_emoji("👍", "5368324170671202286")
            .date_time("t", 1_647_531_900, Some("wDT"))
            .date_time("u", 1, None)
            .plain("\n")
            .blockquote("q\n")
            .expandable_blockquote("e");
        assert_eq!(
            html(text),
            concat!(
                "<b>b</b><i>i</i><u>u</u><s>s</s><tg-spoiler>p</tg-spoiler><code>c&lt;</code>",
                "<pre>x</pre><pre><code class=\"language-c++\">y</code></pre>",
                "<a href=\"https://e.example/?a=1&amp;b=&quot;2&quot;\">l</a>",
                "<a href=\"tg://user?id=7\">m</a>",
                "<tg-emoji emoji-id=\"5368324170671202286\">👍</tg-emoji>",
                "<tg-time unix=\"1647531900\" format=\"wDT\">t</tg-time><tg-time unix=\"1\">u</tg-time>\n",
                "<blockquote>q\n</blockquote><blockquote expandable>e</blockquote>"
            )
        );
    }

    #[test]
    fn nested_tags_close_in_order_and_text_is_escaped() {
        let text = Text::new().bold(["a & ".into(), italic(["<b>".into(), underline("x")])]);
        assert_eq!(html(text), "<b>a &amp; <i>&lt;b&gt;<u>x</u></i></b>");
    }

    #[test]
    fn a_quote_closes_after_the_line_break_it_takes_in() {
        let text = Text::new().push([blockquote("q"), "\nafter".into()]);
        assert_eq!(html(text), "<blockquote>q\n</blockquote>after");
    }
}
