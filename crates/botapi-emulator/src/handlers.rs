//! The methods the emulator models in depth: a table from method name to handler.
//!
//! A handler gets the calling bot's state and the request's parameters and returns the
//! result or a refusal. Adding a method is adding a row to [`HANDLERS`]. `getUpdates` waits,
//! so it lives in [`long_poll`](crate::long_poll); every other method is answered from the
//! core's metadata by [`generic`](crate::generic).

use std::time::Instant;

use botapi_proto::types::WebhookInfo;
use serde_json::Value;

use crate::bots::{Bot, Webhook};
use crate::params::{Params, flag, integer, text, update_kinds};
use crate::reply::Reply;

/// A method call as a handler sees it.
pub(crate) struct Call<'a> {
    pub(crate) params: &'a Params,
    pub(crate) now: Instant,
    /// Whether `setWebhook` takes any `http`/`https` URL on any port (local mode, delivery).
    pub(crate) any_webhook_url: bool,
}

/// What a handler decided.
#[derive(Debug, PartialEq)]
pub(crate) enum Outcome {
    /// `ok: true` with this result and, for some methods, a description.
    Done {
        result: Value,
        description: Option<&'static str>,
    },
    /// `ok: false` with this code and description.
    Refused { code: u16, description: String },
}

impl Outcome {
    pub(crate) fn done(result: impl Into<Value>) -> Self {
        Outcome::Done {
            result: result.into(),
            description: None,
        }
    }

    fn bad_request(description: impl Into<String>) -> Self {
        Outcome::Refused {
            code: 400,
            description: description.into(),
        }
    }

    /// The refusal for a required parameter that is missing, in the real server's words.
    pub(crate) fn missing(param: &str) -> Self {
        Outcome::bad_request(format!("Bad Request: {param} is empty"))
    }

    pub(crate) fn into_reply(self) -> Reply {
        match self {
            Outcome::Done {
                result,
                description,
            } => Reply::ok(result, description),
            Outcome::Refused { code, description } => Reply::error(code, &description, None),
        }
    }
}

/// A method's implementation.
pub(crate) type Handler = fn(&mut Bot, &Call<'_>) -> Outcome;

/// A row of [`HANDLERS`].
pub(crate) struct Entry {
    /// The official name.
    pub(crate) name: &'static str,
    pub(crate) handler: Handler,
    /// Whether the method can end a waiting `getUpdates` (by setting a webhook or logging
    /// out), so waiting requests must look again.
    pub(crate) wakes_pollers: bool,
}

const fn entry(name: &'static str, handler: Handler, wakes_pollers: bool) -> Entry {
    Entry {
        name,
        handler,
        wakes_pollers,
    }
}

/// Every method the emulator models in depth, by its official name.
pub(crate) const HANDLERS: &[Entry] = &[
    entry("getMe", get_me, false),
    entry("logOut", log_out, true),
    entry("close", close, false),
    entry("setWebhook", set_webhook, true),
    entry("deleteWebhook", delete_webhook, true),
    entry("getWebhookInfo", get_webhook_info, false),
];

/// The row for `method`; names match without regard to case, as on the real server.
pub(crate) fn find(method: &str) -> Option<&'static Entry> {
    HANDLERS
        .iter()
        .find(|e| e.name.eq_ignore_ascii_case(method))
}

fn get_me(bot: &mut Bot, _: &Call<'_>) -> Outcome {
    Outcome::done(serde_json::to_value(&bot.user).unwrap_or(Value::Null))
}

/// Succeeds, and the bot is then refused until the lockout runs out.
fn log_out(bot: &mut Bot, call: &Call<'_>) -> Outcome {
    bot.logged_out_at = Some(call.now);
    Outcome::done(true)
}

/// Always succeeds. The real cloud refuses `close` with 429 during the first ten minutes
/// after the bot's launch; the emulator does not.
fn close(_: &mut Bot, _: &Call<'_>) -> Outcome {
    Outcome::done(true)
}

/// The ports Telegram delivers webhooks to.
const WEBHOOK_PORTS: [u16; 4] = [80, 88, 443, 8443];
/// The default and the bounds of `max_connections`.
const MAX_CONNECTIONS: (i64, i64, i64) = (40, 1, 100);

fn set_webhook(bot: &mut Bot, call: &Call<'_>) -> Outcome {
    let fields = &call.params.fields;
    let url = match fields.get("url") {
        None | Some(Value::Null) => return Outcome::missing("url"),
        Some(v) => text(v),
    };
    if url.is_empty() {
        // An empty URL removes the webhook.
        return delete_webhook(bot, call);
    }
    if let Err(why) = check_webhook_url(&url, call.any_webhook_url) {
        return Outcome::bad_request(format!("Bad Request: bad webhook: {why}"));
    }
    let secret_token = match fields.get("secret_token").map(text) {
        Some(s) if !valid_secret_token(&s) => {
            return Outcome::bad_request("Bad Request: secret token contains unallowed characters");
        }
        other => other.filter(|s| !s.is_empty()),
    };
    let allowed_updates = match fields.get("allowed_updates") {
        None | Some(Value::Null) => None,
        Some(v) => match update_kinds(v) {
            Some(kinds) => Some(kinds),
            None => {
                return Outcome::bad_request("Bad Request: can't parse allowed updates");
            }
        },
    };
    if fields.get("drop_pending_updates").is_some_and(flag) {
        bot.updates.clear();
    }
    if let Some(kinds) = &allowed_updates {
        // One setting serves the webhook and getUpdates alike, as on the real server.
        bot.updates.set_allowed(kinds.clone());
    }
    let (default, min, max) = MAX_CONNECTIONS;
    let max_connections = match fields.get("max_connections").and_then(integer) {
        None | Some(0) => default,
        Some(n) => n.clamp(min, max),
    };
    let webhook = Webhook {
        has_custom_certificate: certificate_uploaded(call.params),
        url,
        max_connections,
        allowed_updates,
        ip_address: fields.get("ip_address").map(text).filter(|s| !s.is_empty()),
        secret_token,
    };
    let description = if bot.webhook.as_ref().is_some_and(|w| w.url == webhook.url) {
        "Webhook is already set"
    } else {
        "Webhook was set"
    };
    bot.webhook = Some(webhook);
    Outcome::Done {
        result: Value::Bool(true),
        description: Some(description),
    }
}

fn delete_webhook(bot: &mut Bot, call: &Call<'_>) -> Outcome {
    if call
        .params
        .fields
        .get("drop_pending_updates")
        .is_some_and(flag)
    {
        bot.updates.clear();
    }
    let description = match bot.webhook.take() {
        Some(_) => "Webhook was deleted",
        None => "Webhook is already deleted",
    };
    Outcome::Done {
        result: Value::Bool(true),
        description: Some(description),
    }
}

fn get_webhook_info(bot: &mut Bot, _: &Call<'_>) -> Outcome {
    let pending = i64::try_from(bot.updates.len()).unwrap_or(i64::MAX);
    let info = match &bot.webhook {
        None => WebhookInfo::new("", false, pending),
        Some(webhook) => {
            let mut info =
                WebhookInfo::new(webhook.url.clone(), webhook.has_custom_certificate, pending);
            info.max_connections = Some(webhook.max_connections);
            info.ip_address = webhook.ip_address.as_deref().map(Into::into);
            info.allowed_updates = webhook
                .allowed_updates
                .as_ref()
                .filter(|u| !u.is_empty())
                .map(|u| u.iter().map(|k| k.as_str().into()).collect());
            info
        }
    };
    Outcome::done(serde_json::to_value(info).unwrap_or(Value::Null))
}

/// Checks what the real server checks of a webhook URL: HTTPS, and one of its ports (a
/// local server, and `any`, take `http` too and any port).
fn check_webhook_url(url: &str, any: bool) -> Result<(), &'static str> {
    let uri: http::Uri = url.parse().map_err(|_| "invalid URL")?;
    let scheme = uri.scheme_str().unwrap_or_default();
    if any && (scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https")) {
        return uri
            .host()
            .filter(|h| !h.is_empty())
            .map(|_| ())
            .ok_or("invalid URL");
    }
    if !scheme.eq_ignore_ascii_case("https") {
        return Err("An HTTPS URL must be provided for webhook");
    }
    if uri.host().is_none_or(str::is_empty) {
        return Err("invalid URL");
    }
    match uri.port_u16() {
        Some(port) if !WEBHOOK_PORTS.contains(&port) => {
            Err("Webhook can be set up only on ports 80, 88, 443 or 8443")
        }
        _ => Ok(()),
    }
}

/// 1 to 256 characters of `A-Z`, `a-z`, `0-9`, `_` and `-`.
fn valid_secret_token(s: &str) -> bool {
    (1..=256).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// A certificate part was uploaded: as the `certificate` field itself, or referenced as
/// `attach://<name>`.
fn certificate_uploaded(params: &Params) -> bool {
    let attached = params
        .fields
        .get("certificate")
        .and_then(Value::as_str)
        .and_then(|s| s.strip_prefix("attach://"));
    params
        .files
        .iter()
        .any(|f| f.field == "certificate" || Some(f.field.as_str()) == attached)
}

#[cfg(test)]
mod tests {
    use super::*;
    use botapi_proto::types::User;
    use serde_json::json;

    fn bot() -> Bot {
        Bot::new("1:abc".parse().unwrap(), User::new(1, true, "One"))
    }

    fn call(params: &Params) -> Call<'_> {
        Call {
            params,
            now: Instant::now(),
            any_webhook_url: false,
        }
    }

    fn with(fields: Value) -> Params {
        Params {
            fields: fields.as_object().cloned().unwrap_or_default(),
            files: Vec::new(),
        }
    }

    #[test]
    fn names_match_without_case() {
        assert!(find("getme").is_some());
        assert!(find("GETWEBHOOKINFO").is_some());
        assert!(find("sendMessage").is_none());
        assert!(find("").is_none());
    }

    #[test]
    fn webhook_urls_are_checked() {
        assert!(check_webhook_url("https://example.org/hook", false).is_ok());
        assert!(check_webhook_url("https://example.org:8443/hook", false).is_ok());
        assert!(check_webhook_url("http://example.org/hook", false).is_err());
        assert!(check_webhook_url("https://example.org:8080/hook", false).is_err());
        assert!(check_webhook_url("not a url", false).is_err());
        assert!(check_webhook_url("http://127.0.0.1:45678/hook", true).is_ok());
        assert!(check_webhook_url("ftp://127.0.0.1/hook", true).is_err());
    }

    #[test]
    fn update_kinds_read_arrays_and_json_text() {
        let kinds = Some(vec!["message".to_owned()]);
        assert_eq!(update_kinds(&serde_json::json!(["message"])), kinds);
        assert_eq!(update_kinds(&serde_json::json!("[\"message\"]")), kinds);
        assert_eq!(update_kinds(&serde_json::json!("message")), None);
        assert_eq!(update_kinds(&serde_json::json!([1])), None);
    }

    #[test]
    fn flags_read_as_the_real_server_reads_them() {
        for set in [
            json!(true),
            json!("true"),
            json!("YES"),
            json!(1),
            json!("1"),
        ] {
            assert!(flag(&set), "{set}");
        }
        for unset in [
            json!(false),
            json!("false"),
            json!(0),
            json!("on"),
            json!(null),
        ] {
            assert!(!flag(&unset), "{unset}");
        }
    }

    #[test]
    fn drop_pending_updates_clears_the_queue() {
        let mut bot = bot();
        bot.updates
            .push(json!({"message": {}}).as_object().cloned().unwrap());
        delete_webhook(
            &mut bot,
            &call(&with(json!({"drop_pending_updates": false}))),
        );
        assert_eq!(bot.updates.len(), 1);
        delete_webhook(
            &mut bot,
            &call(&with(json!({"drop_pending_updates": "true"}))),
        );
        assert_eq!(bot.updates.len(), 0);
    }

    #[test]
    fn set_webhook_needs_a_url() {
        let mut bot = bot();
        let params = with(serde_json::json!({}));
        assert_eq!(
            set_webhook(&mut bot, &call(&params)),
            Outcome::bad_request("Bad Request: url is empty")
        );
    }
}
