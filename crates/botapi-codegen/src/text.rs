//! Mechanical extraction of facts from the reference's HTML, Rust naming, and links into the
//! reference.

/// The type names a union's description lists as `<li><a href="#…">Name</a></li>`.
pub(crate) fn listed_links(html: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<li><a href=\"#") {
        rest = &rest[start + "<li><a href=\"#".len()..];
        let Some(close) = rest.find("\">") else { break };
        let after = &rest[close + 2..];
        let Some(end) = after.find("</a></li>") else {
            break;
        };
        names.push(after[..end].to_owned());
        rest = &after[end..];
    }
    names
}

/// Values quoted with typographic quotes (`&#8220;value&#8221;`) that are plain words,
/// in order of first appearance, without repeats.
pub(crate) fn quoted_values(html: &str) -> Vec<String> {
    between(html, "&#8220;", "&#8221;")
}

/// Words set in `<em>` (`<em>typing</em>`), in order, without repeats.
pub(crate) fn emphasized_values(html: &str) -> Vec<String> {
    between(html, "<em>", "</em>")
}

fn between(html: &str, open: &str, close: &str) -> Vec<String> {
    let mut values: Vec<String> = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find(open) {
        rest = &rest[start + open.len()..];
        let Some(end) = rest.find(close) else { break };
        let value = &rest[..end];
        rest = &rest[end + close.len()..];
        let word = !value.is_empty()
            && value
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_');
        if word && !values.iter().any(|v| v == value) {
            values.push(value.to_owned());
        }
    }
    values
}

/// The one value a union member's tag field always holds ("always “creator”",
/// "must be <em>photo</em>").
pub(crate) fn tag_value(html: &str) -> Result<String, String> {
    let mut values = quoted_values(html);
    if values.is_empty() {
        values = emphasized_values(html);
    }
    match values.as_slice() {
        [one] => Ok(one.clone()),
        _ => Err(format!("expected one tag value, found {values:?}")),
    }
}

/// `send_message` or `sendMessage` → `SendMessage`.
pub(crate) fn upper_camel(name: &str) -> String {
    let mut out = String::new();
    for part in name.split('_').filter(|p| !p.is_empty()) {
        let mut chars = part.chars();
        if let Some(first) = chars.next() {
            out.extend(first.to_uppercase());
            out.push_str(chars.as_str());
        }
    }
    out
}

/// A string value as an enum variant: `bot_command` → `BotCommand`, `HTML` → `Html`,
/// `MarkdownV2` → `MarkdownV2`.
pub(crate) fn value_variant(value: &str) -> String {
    let mut out = String::new();
    for part in value.split('_').filter(|p| !p.is_empty()) {
        let all_upper = part.bytes().all(|b| !b.is_ascii_lowercase());
        let mut chars = part.chars();
        if let Some(first) = chars.next() {
            out.extend(first.to_uppercase());
            if all_upper {
                out.push_str(&chars.as_str().to_lowercase());
            } else {
                out.push_str(chars.as_str());
            }
        }
    }
    out
}

/// `ChatMemberOwner` → `["Chat", "Member", "Owner"]`.
pub(crate) fn words(camel: &str) -> Vec<&str> {
    let mut words = Vec::new();
    let mut start = 0;
    let bytes = camel.as_bytes();
    for i in 1..bytes.len() {
        if bytes[i].is_ascii_uppercase() && !bytes[i - 1].is_ascii_uppercase() {
            words.push(&camel[start..i]);
            start = i;
        }
    }
    words.push(&camel[start..]);
    words
}

/// The Rust spelling of a field name: `type` is a keyword, so `r#type`.
pub(crate) fn field_ident(name: &str) -> String {
    match name {
        "type" | "match" | "ref" | "move" | "loop" | "box" | "use" | "mod" | "fn" | "impl"
        | "where" | "self" | "super" | "static" | "const" | "async" | "await" | "dyn" | "yield"
        | "gen" | "try" | "final" | "override" | "priv" | "macro" | "abstract" | "become"
        | "do" | "typeof" | "unsized" | "virtual" | "enum" | "struct" | "trait" | "as"
        | "break" | "continue" | "crate" | "else" | "extern" | "false" | "true" | "for" | "if"
        | "in" | "let" | "mut" | "pub" | "return" | "unsafe" | "while" => {
            format!("r#{name}")
        }
        _ => name.to_owned(),
    }
}

/// The link to `anchor` in the official reference.
pub(crate) fn doc_url(anchor: &str) -> String {
    format!("https://core.telegram.org/bots/api#{anchor}")
}

/// A Rust string literal for `s`.
pub(crate) fn lit(s: &str) -> String {
    format!("{s:?}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_and_names() {
        let html = "<td>either &#8220;private&#8221;, &#8220;group&#8221; or &#8220;private&#8221; \
                    &#8220;<img alt=\"x\"/>&#8221;</td>";
        assert_eq!(quoted_values(html), ["private", "group"]);
        assert_eq!(
            tag_value("<td>must be <em>photo</em></td>").unwrap(),
            "photo"
        );
        assert!(tag_value("<td>free text</td>").is_err());
        assert_eq!(upper_camel("sendMessage"), "SendMessage");
        assert_eq!(upper_camel("edited_message"), "EditedMessage");
        assert_eq!(value_variant("HTML"), "Html");
        assert_eq!(value_variant("MarkdownV2"), "MarkdownV2");
        assert_eq!(value_variant("bot_command"), "BotCommand");
        assert_eq!(words("ChatMemberOwner"), ["Chat", "Member", "Owner"]);
        assert_eq!(field_ident("type"), "r#type");
        assert_eq!(
            doc_url("sendmessage"),
            "https://core.telegram.org/bots/api#sendmessage"
        );
        let list =
            "<ul>\n<li><a href=\"#a\">Alpha</a></li>\n<li><a href=\"#b\">Beta</a></li>\n</ul>";
        assert_eq!(listed_links(list), ["Alpha", "Beta"]);
    }
}
