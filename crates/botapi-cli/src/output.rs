//! Writing results and errors. Everything leaves through [`Printer`], which removes the bot
//! token's secret from every line as a last guard: the messages are built token-free, and
//! this makes sure of it whatever a server or a library put in them.

use std::io::Write;

use botapi_proto::Redactor;
use botapi_proto::types::User;
use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};
use serde_json::{Map, Value};

use crate::failure::Failure;

/// Prints to stdout and stderr, redacting the token.
#[derive(Clone)]
pub(crate) struct Printer {
    /// Removes the token; `None` before a token is loaded (nothing to hide yet).
    redactor: Option<Redactor>,
    /// Other secrets to keep out (a webhook secret).
    hidden: Vec<String>,
    json: bool,
}

impl Printer {
    /// A printer for `--json` mode or not.
    pub(crate) fn new(json: bool) -> Self {
        Printer {
            redactor: None,
            hidden: Vec::new(),
            json,
        }
    }

    /// From now on, removes `redactor`'s token from everything printed.
    pub(crate) fn redact_with(&mut self, redactor: Redactor) {
        self.redactor = Some(redactor);
    }

    /// Whether `--json` was given.
    pub(crate) fn json(&self) -> bool {
        self.json
    }

    /// From now on, replaces `secret` with `<redacted>` in everything printed.
    pub(crate) fn hide(&mut self, secret: &str) {
        if !secret.is_empty() {
            self.hidden.push(secret.to_owned());
        }
    }

    fn clean<'a>(&self, text: &'a str) -> std::borrow::Cow<'a, str> {
        let mut text = match &self.redactor {
            Some(redactor) => redactor.redact(text),
            None => text.into(),
        };
        for secret in &self.hidden {
            if text.contains(secret.as_str()) {
                text = text.replace(secret.as_str(), "<redacted>").into();
            }
        }
        text
    }

    /// One line (or block) on stdout. A closed pipe (`botapi … | head`) is not an error.
    pub(crate) fn out(&self, text: &str) {
        let _ = writeln!(std::io::stdout().lock(), "{}", self.clean(text));
    }

    /// One line on stderr.
    pub(crate) fn err(&self, text: &str) {
        let _ = writeln!(std::io::stderr().lock(), "{}", self.clean(text));
    }

    /// A JSON document on stdout, on one line, fields in the order `value` gives them.
    pub(crate) fn json_doc<T: Serialize + ?Sized>(&self, value: &T) {
        match serde_json::to_string(value) {
            Ok(text) => self.out(&text),
            // Only a map with non-string keys fails, and no result type here has one.
            Err(e) => self.err(&format!("error: cannot write the result as JSON: {e}")),
        }
    }

    /// Reports a failure: the human line on stderr, and with `--json` the JSON document on
    /// stdout when the failure has one.
    pub(crate) fn failure(&self, failure: &Failure) {
        if self.json
            && let Some(doc) = failure.to_json()
        {
            self.out(&error_json_text(&doc));
        }
        self.err(&format!("error: {failure}"));
    }
}

/// The order of fields in error documents: the Bot API's own envelope order (`ok`,
/// `error_code`, `description`, `parameters`), and for our transport and malformed-answer
/// documents `ok`, `error`, `kind`, `status`, `description`.
const ERROR_FIELD_ORDER: &[&str] = &[
    "ok",
    "error",
    "kind",
    "status",
    "error_code",
    "description",
    "parameters",
];

/// An error document as one line of JSON, its fields in [`ERROR_FIELD_ORDER`] (a
/// `serde_json::Map` would sort them by name).
pub(crate) fn error_json_text(doc: &Value) -> String {
    match doc {
        Value::Object(map) => serde_json::to_string(&Ordered {
            map,
            first: ERROR_FIELD_ORDER,
        })
        .unwrap_or_else(|_| doc.to_string()),
        other => other.to_string(),
    }
}

/// A JSON object written with the keys in `first` first, in that order, then the others.
struct Ordered<'a> {
    map: &'a Map<String, Value>,
    first: &'a [&'a str],
}

impl Serialize for Ordered<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_map(Some(self.map.len()))?;
        for key in self.first {
            if let Some(value) = self.map.get(*key) {
                out.serialize_entry(key, value)?;
            }
        }
        for (key, value) in self.map {
            if !self.first.contains(&key.as_str()) {
                out.serialize_entry(key, value)?;
            }
        }
        out.end()
    }
}

/// The bot from getMe, for people: who it is and what it may do.
pub(crate) fn describe_bot(user: &User) -> String {
    let mut name = user.first_name.clone();
    if let Some(last) = &user.last_name {
        name.push(' ');
        name.push_str(last);
    }
    let username = user
        .username
        .as_deref()
        .map_or_else(|| "(none)".to_owned(), |u| format!("@{u}"));
    let mut lines = vec![
        format!("{:<28}{}", "name:", name),
        format!("{:<28}{}", "username:", username),
        format!("{:<28}{}", "id:", user.id),
        format!("{:<28}{}", "is a bot:", yes_no(Some(user.is_bot))),
    ];
    for (label, flag) in [
        ("can join groups:", user.can_join_groups),
        (
            "reads all group messages:",
            user.can_read_all_group_messages,
        ),
        ("supports inline queries:", user.supports_inline_queries),
        ("connects to business:", user.can_connect_to_business),
        ("has a main web app:", user.has_main_web_app),
    ] {
        lines.push(format!("{label:<28}{}", yes_no(flag)));
    }
    lines.join("\n")
}

fn yes_no(flag: Option<bool>) -> &'static str {
    match flag {
        Some(true) => "yes",
        Some(false) => "no",
        None => "not reported",
    }
}

/// Any result, for people: `true`/numbers/strings plainly, objects and lists as indented
/// JSON.
pub(crate) fn describe_value(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Object(_) | Value::Array(_) => {
            serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string())
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bot_is_described_with_its_capabilities() {
        let mut user = User::new(9007199254740993, true, "Demo");
        user.username = Some("demo_bot".into());
        user.can_join_groups = Some(true);
        user.supports_inline_queries = Some(false);
        let text = describe_bot(&user);
        assert!(text.contains("9007199254740993"), "{text}");
        assert!(text.contains("@demo_bot"), "{text}");
        assert!(
            text.lines()
                .any(|l| l.starts_with("can join groups:") && l.ends_with("yes"))
        );
        assert!(
            text.lines()
                .any(|l| l.starts_with("supports inline queries:") && l.ends_with("no"))
        );
        assert!(
            text.lines()
                .any(|l| l.starts_with("has a main web app:") && l.ends_with("not reported"))
        );
    }

    #[test]
    fn error_documents_keep_the_envelope_order() {
        let doc = serde_json::json!({
            "parameters": {"retry_after": 7, "zz_new_hint": "kept"},
            "description": "Too Many Requests: retry after 7",
            "error_code": 429,
            "ok": false,
        });
        assert_eq!(
            error_json_text(&doc),
            r#"{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 7","parameters":{"retry_after":7,"zz_new_hint":"kept"}}"#
        );
        let doc = serde_json::json!({"description": "d", "kind": "timeout", "error": "transport", "ok": false, "extra": 1});
        assert_eq!(
            error_json_text(&doc),
            r#"{"ok":false,"error":"transport","kind":"timeout","description":"d","extra":1}"#
        );
    }

    #[test]
    fn values_are_shown_plainly() {
        assert_eq!(describe_value(&Value::Bool(true)), "true");
        assert_eq!(describe_value(&serde_json::json!("x")), "x");
        assert_eq!(
            describe_value(&serde_json::json!({"a": 1})),
            "{\n  \"a\": 1\n}"
        );
    }
}
