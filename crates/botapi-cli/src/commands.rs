//! The commands that talk to a real Bot API server: get-me, log-out, close and call.

use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use botapi_proto::meta::{self, MethodVisitor, visit_method};
use botapi_proto::methods::{Close, GetMe, LogOut};
use botapi_proto::retry::RetryPolicy;
use botapi_proto::run::{Notice, Observer, Sender};
use botapi_proto::types::{ChatId, User};
use botapi_proto::{ApiUrl, Call, InputFile, Method, Outgoing};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::failure::Failure;
use crate::output::{Printer, describe_bot, describe_value};
use crate::transport::Connection;
use crate::uploads;

/// `get-me`: who the token belongs to.
pub(crate) fn get_me(
    transport: &Connection,
    api_url: &ApiUrl,
    printer: &Printer,
) -> Result<(), Failure> {
    let me: User = transport.send(&GetMe::new())?;
    if printer.json() {
        printer.json_doc(&me);
    } else {
        printer.out(&format!(
            "The token works; {} answers for this bot:",
            api_url
        ));
        printer.out(&describe_bot(&me));
    }
    Ok(())
}

/// `log-out`: logs the bot out of the server (the cloud, before moving to a local server).
pub(crate) fn log_out(
    transport: &Connection,
    api_url: &ApiUrl,
    printer: &Printer,
) -> Result<(), Failure> {
    let done = transport.send(&LogOut::new())?;
    report_switch(printer, "logOut", done, || {
        format!(
            "logOut: done. The bot is logged out of {api_url}; point it at its new server \
             with --api-url (the cloud lets it back in only after ten minutes)."
        )
    })
}

/// `close`: closes the bot's instance (before moving it between local servers).
pub(crate) fn close(
    transport: &Connection,
    api_url: &ApiUrl,
    printer: &Printer,
) -> Result<(), Failure> {
    let done = transport.send(&Close::new())?;
    report_switch(printer, "close", done, || {
        format!(
            "close: done. The bot's instance on {api_url} is closed; it can be started on \
             another server now."
        )
    })
}

fn report_switch(
    printer: &Printer,
    method: &str,
    done: bool,
    message: impl FnOnce() -> String,
) -> Result<(), Failure> {
    if printer.json() {
        printer.json_doc(&Value::Bool(done));
    } else if done {
        printer.out(&message());
    } else {
        printer.out(&format!(
            "{method}: the server answered false (nothing changed)"
        ));
    }
    Ok(())
}

/// `call --retries N`: resends as the core's retry policy allows, up to `retries` times,
/// each one a line on stderr. 0 keeps the one attempt.
pub(crate) fn with_retries(connection: Connection, retries: u32, printer: &Printer) -> Connection {
    if retries == 0 {
        return connection;
    }
    let printer = printer.clone();
    let observer: Observer = Arc::new(move |notice: &Notice<'_>| {
        if let Notice::Retrying { .. } = notice {
            printer.err(&format!("warning: {notice}"));
        }
    });
    let policy = RetryPolicy::new().max_retries(retries);
    connection.with_sender(Sender::new().retry(policy).observe(observer))
}

/// `call METHOD [--params JSON]`: any method, parameters as a JSON object.
pub(crate) fn call(
    transport: &Connection,
    method: &str,
    params: Option<&str>,
    files: Vec<(String, InputFile)>,
    printer: &Printer,
) -> Result<(), Failure> {
    let params = parse_params(params)?;
    let result = if files.is_empty() {
        call_by_name(transport, method, params)?
    } else {
        uploads::call_with_files(transport, method, params, files)?
    };
    if printer.json() {
        printer.json_doc(&result);
    } else {
        printer.out(&describe_value(&result));
    }
    Ok(())
}

/// Reads `--params`: absent means no parameters; otherwise it must be a JSON object.
pub(crate) fn parse_params(params: Option<&str>) -> Result<Map<String, Value>, Failure> {
    let Some(text) = params else {
        return Ok(Map::new());
    };
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(other) => Err(Failure::Usage(format!(
            "--params must be a JSON object such as '{{\"chat_id\":-100123}}', not {}",
            json_type(&other)
        ))),
        Err(e) => Err(Failure::Usage(format!("--params is not valid JSON: {e}"))),
    }
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Sends `name` with `params`. Every `call` goes through here. A method the library knows is
/// built as its typed struct from the JSON, so a misspelt, unknown or missing parameter is
/// a usage error naming it; the JSON is then sent as given (see [`Checked`]), and its result
/// is decoded into its type, so a wrong shape is reported as a malformed answer. A method
/// the library does not know is sent as given and its result printed raw.
pub(crate) fn call_by_name(
    transport: &Connection,
    name: &str,
    params: Map<String, Value>,
) -> Result<Value, Failure> {
    let params = Value::Object(params);
    let Some(info) = meta::method(name) else {
        return transport.send(&Call::new(name).params(params));
    };
    let typed = Typed {
        transport,
        params: &params,
        name: info.name,
    };
    match visit_method(info.name, &params, typed) {
        Some(result) => result,
        None => transport.send(&Call::new(name).params(params)),
    }
}

/// Checks `params` against `name`'s typed parameters without sending (a method the library
/// does not know passes as it is).
pub(crate) fn check_params(name: &str, params: &Value) -> Result<(), Failure> {
    let Some(info) = meta::method(name) else {
        return Ok(());
    };
    visit_method(
        info.name,
        params,
        Check {
            params,
            name: info.name,
        },
    )
    .unwrap_or(Ok(()))
}

/// Deserializes the typed method that [`visit_method`] picked, to check its parameters.
struct Check<'a> {
    params: &'a Value,
    name: &'static str,
}

impl MethodVisitor for Check<'_> {
    type Output = Result<(), Failure>;

    fn visit<M>(self) -> Self::Output
    where
        M: Method + Serialize + DeserializeOwned + std::fmt::Debug + Clone + 'static,
        M::Response: Serialize + std::fmt::Debug,
    {
        M::deserialize(self.params)
            .map(drop)
            .map_err(|e| Failure::Usage(format!("--params for {}: {e}", self.name)))
    }
}

/// Builds the typed method that [`visit_method`] picked, then sends it as [`Checked`].
struct Typed<'a> {
    transport: &'a Connection,
    params: &'a Value,
    /// The method's name as the reference spells it.
    name: &'static str,
}

impl MethodVisitor for Typed<'_> {
    type Output = Result<Value, Failure>;

    fn visit<M>(self) -> Self::Output
    where
        M: Method + Serialize + DeserializeOwned + std::fmt::Debug + Clone + 'static,
        M::Response: Serialize + std::fmt::Debug,
    {
        let method = M::deserialize(self.params)
            .map_err(|e| Failure::Usage(format!("--params for {}: {e}", self.name)))?;
        send_checked(
            self.transport,
            Checked::<M::Response>::of(&method, self.name, self.params.clone()),
        )
    }
}

/// Sends a checked method and shows its typed result as JSON. Generic only over the result
/// type, so the send path is compiled once per result type (`Message`, `bool`, …), not once
/// per method.
fn send_checked<R: Serialize + DeserializeOwned>(
    transport: &Connection,
    method: Checked<R>,
) -> Result<Value, Failure> {
    to_json(&transport.send(&method)?)
}

/// A known method whose parameters were checked by building its typed struct, sent as the
/// JSON they were built from. It answers for the typed method everything the sender asks
/// (read-only, flood-control target, long-poll hint), and decodes into the typed result.
struct Checked<R> {
    name: &'static str,
    params: Value,
    timeout_hint: Option<Duration>,
    read_only: bool,
    outgoing: Option<(ChatId, bool)>,
    result: PhantomData<fn() -> R>,
}

impl<R> Checked<R> {
    fn of<M: Method>(method: &M, name: &'static str, params: Value) -> Self {
        Checked {
            name,
            params,
            timeout_hint: method.timeout_hint(),
            read_only: method.is_read_only(),
            outgoing: method
                .outgoing()
                .map(|to| (to.chat.clone(), to.paid_broadcast)),
            result: PhantomData,
        }
    }
}

/// The parameters as given, less the top-level `null`s: the typed method reads those as
/// absent and would not have sent them.
impl<R> Serialize for Checked<R> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let Value::Object(params) = &self.params else {
            return self.params.serialize(serializer);
        };
        serializer.collect_map(params.iter().filter(|(_, value)| !value.is_null()))
    }
}

impl<R: DeserializeOwned> Method for Checked<R> {
    type Response = R;

    fn method_name(&self) -> &str {
        self.name
    }

    fn static_name(&self) -> Option<&'static str> {
        Some(self.name)
    }

    fn timeout_hint(&self) -> Option<Duration> {
        self.timeout_hint
    }

    fn is_read_only(&self) -> bool {
        self.read_only
    }

    fn outgoing(&self) -> Option<Outgoing<'_>> {
        self.outgoing
            .as_ref()
            .map(|(chat, paid)| Outgoing::new(chat, *paid))
    }
}

fn to_json<T: Serialize>(value: &T) -> Result<Value, Failure> {
    // Our own result types always serialize; say so plainly if one ever does not.
    serde_json::to_value(value)
        .map_err(|e| Failure::Usage(format!("cannot show the result as JSON: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_checked_method_answers_as_its_typed_method_and_sends_the_params_given() {
        use botapi_proto::methods::{GetUpdates, SendMessage};
        use botapi_proto::types::Message;
        use serde::Deserialize;

        let params = serde_json::json!({
            "chat_id": -1009007199254740993_i64,
            "text": "hi",
            "allow_paid_broadcast": true,
            "reply_markup": null,
            "link_preview_options": {"is_disabled": true, "url": null},
        });
        let typed = SendMessage::deserialize(&params).unwrap();
        let checked = Checked::<Message>::of(&typed, "sendMessage", params.clone());
        assert_eq!(checked.outgoing(), typed.outgoing());
        assert!(checked.outgoing().is_some_and(|to| to.paid_broadcast));
        assert!(!checked.is_read_only());
        assert_eq!(checked.static_name(), Some("sendMessage"));
        // Exactly the given JSON (ids exact, nested values untouched), top-level nulls left out.
        assert_eq!(
            serde_json::to_value(&checked).unwrap(),
            serde_json::json!({
                "chat_id": -1009007199254740993_i64,
                "text": "hi",
                "allow_paid_broadcast": true,
                "link_preview_options": {"is_disabled": true, "url": null},
            })
        );

        let params = serde_json::json!({"timeout": 30});
        let typed = GetUpdates::deserialize(&params).unwrap();
        let checked = Checked::<Vec<Value>>::of(&typed, "getUpdates", params);
        assert!(checked.is_read_only());
        assert_eq!(checked.timeout_hint(), typed.timeout_hint());
        assert!(checked.timeout_hint().is_some());
        assert_eq!(checked.outgoing(), None);
    }

    #[test]
    fn params_must_be_an_object() {
        assert!(parse_params(None).unwrap().is_empty());
        let map = parse_params(Some(r#"{"chat_id":-1009007199254740993}"#)).unwrap();
        assert_eq!(map["chat_id"].as_i64(), Some(-1009007199254740993));
        let err = parse_params(Some("[1,2]")).unwrap_err();
        assert!(err.to_string().contains("not an array"), "{err}");
        let err = parse_params(Some("{chat_id: 1}")).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("--params is not valid JSON: key must be a string"),
            "{err}"
        );
        assert_eq!(err.exit_status(), crate::failure::EXIT_USAGE);
    }
}
