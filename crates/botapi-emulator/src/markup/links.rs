//! The links the parsers understand: `tg://user?id=` (a text mention), `tg://emoji?id=`
//! (a custom emoji), `tg://time?unix=&format=` (a date), and ordinary URLs.

/// The user id of a `tg://user?id=<id>` link.
pub(super) fn user_id(url: &str) -> Option<i64> {
    let id: i64 = tg_query(url, "user")?.get("id")?.parse().ok()?;
    (id > 0).then_some(id)
}

/// The custom emoji id of a `tg://emoji?id=<id>` link, as Telegram writes it back.
pub(super) fn custom_emoji_id(url: &str) -> Option<String> {
    let id: i64 = tg_query(url, "emoji")?.get("id")?.parse().ok()?;
    (id != 0).then(|| id.to_string())
}

/// The Unix time and format of a `tg://time?unix=<time>[&format=<format>]` link.
pub(super) fn time(url: &str) -> Option<(i64, Option<String>)> {
    let query = tg_query(url, "time")?;
    let unix: i64 = query.get("unix")?.parse().ok()?;
    (unix > 0).then(|| (unix, query.get("format").map(str::to_owned)))
}

/// Whether `format` is a date format Telegram reads: `r` or `R` alone, or letters from
/// `tTdDwW` (the empty format lets the client choose).
pub(super) fn valid_date_format(format: &str) -> bool {
    matches!(format, "r" | "R") || format.chars().all(|c| "tTdDwW".contains(c))
}

/// The URL of a link as Telegram keeps it, or `None` when Telegram would drop the link:
/// one of the schemes it opens, or none (then `http://` is put in front). The real server
/// normalizes further (a `/` after a bare host, for one); the emulator does not.
pub(super) fn checked(url: &str) -> Option<String> {
    let url = url.trim();
    if url.is_empty() || url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return None;
    }
    match url.split_once("://") {
        Some((scheme, rest)) => {
            let scheme = scheme.to_ascii_lowercase();
            let known = ["http", "https", "tg", "ton", "ftp"].contains(&scheme.as_str());
            (known && !rest.is_empty()).then(|| url.to_owned())
        }
        None if url.contains('.') && !url.contains(':') => Some(format!("http://{url}")),
        None => None,
    }
}

/// The query of a `tg://<host>?…` (or `tg:<host>?…`) link, as name and value pairs.
fn tg_query<'a>(url: &'a str, host: &str) -> Option<Query<'a>> {
    let (scheme, rest) = url.split_once(':')?;
    if !scheme.eq_ignore_ascii_case("tg") {
        return None;
    }
    let rest = rest.strip_prefix("//").unwrap_or(rest);
    let (name, query) = rest.split_once('?')?;
    name.eq_ignore_ascii_case(host).then_some(Query(query))
}

struct Query<'a>(&'a str);

impl<'a> Query<'a> {
    fn get(&self, name: &str) -> Option<&'a str> {
        self.0
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tg_links() {
        assert_eq!(user_id("tg://user?id=123"), Some(123));
        assert_eq!(user_id("TG:user?id=5"), Some(5));
        assert_eq!(user_id("tg://user?id=0"), None);
        assert_eq!(user_id("https://user?id=1"), None);
        assert_eq!(custom_emoji_id("tg://emoji?id=0070"), Some("70".into()));
        assert_eq!(custom_emoji_id("tg://emoji?id=x"), None);
        assert_eq!(
            time("tg://time?unix=10&format=wDT"),
            Some((10, Some("wDT".into())))
        );
        assert_eq!(time("tg://time?unix=10"), Some((10, None)));
        assert_eq!(time("tg://time?unix=-1"), None);
        assert!(valid_date_format("") && valid_date_format("R") && valid_date_format("dT"));
        assert!(!valid_date_format("rt") && !valid_date_format("x"));
    }

    #[test]
    fn urls() {
        assert_eq!(
            checked("https://a.example/x"),
            Some("https://a.example/x".into())
        );
        assert_eq!(checked("a.example"), Some("http://a.example".into()));
        assert_eq!(checked("javascript://x"), None);
        assert_eq!(checked("not a url"), None);
        assert_eq!(checked(""), None);
    }
}
