//! Answering a webhook request with a method call: Telegram executes a method named in the
//! body of a successful answer, which saves the bot a request of its own.

use std::fmt;

use bytes::Bytes;
use http::header::CONTENT_TYPE;
use http::{HeaderValue, StatusCode};
use serde_json::Value;

use crate::method::Method;

/// A webhook answer that carries a method call: `{"method": "sendMessage", ...parameters}`
/// as JSON, which Telegram executes once the answer arrives. Nothing tells whether it
/// succeeded, so use it for calls whose result the bot does not need.
///
/// ```
/// use botapi_proto::methods::{GetMe, SendMessage};
/// use botapi_proto::webhook::WebhookReply;
///
/// let reply = WebhookReply::new(&SendMessage::new(42, "got it"))?;
/// assert_eq!(
///     serde_json::from_slice::<serde_json::Value>(reply.body())?,
///     serde_json::json!({"method": "sendMessage", "chat_id": 42, "text": "got it"})
/// );
/// // Telegram does not execute these from a webhook answer.
/// assert!(WebhookReply::new(&GetMe::new()).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookReply {
    method: String,
    body: Bytes,
}

impl WebhookReply {
    /// Encodes `method` as a webhook answer. Refused: methods Telegram does not run from an
    /// answer (`get*`, `setWebhook`, `deleteWebhook`, `close`, `logOut`), and uploads (a file
    /// must be sent with a request of its own, or by `file_id` or URL).
    pub fn new<M: Method + ?Sized>(method: &M) -> Result<Self, ReplyError> {
        let name = method.method_name();
        let refuse = |why| ReplyError {
            method: name.to_owned(),
            why,
        };
        if !allowed_in_reply(name) {
            return Err(refuse(Why::NotAllowed));
        }
        let mut uploads = Vec::new();
        method.uploads(&mut uploads);
        if !uploads.is_empty() {
            return Err(refuse(Why::Upload));
        }
        // An upload the method did not list is caught as it is serialized; it must not be sent.
        let (params, stray_upload) =
            crate::input_file::serializes_upload(|| serde_json::to_value(method));
        if stray_upload {
            return Err(refuse(Why::Upload));
        }
        let mut params = match params {
            Ok(Value::Object(params)) => params,
            Ok(Value::Null) => serde_json::Map::new(),
            Ok(_) => return Err(refuse(Why::NotAnObject)),
            Err(e) => return Err(refuse(Why::Serialize(e.to_string()))),
        };
        if params.contains_key("method") {
            return Err(refuse(Why::MethodParameter));
        }
        params.insert("method".to_owned(), Value::String(name.to_owned()));
        let body =
            serde_json::to_vec(&params).map_err(|e| refuse(Why::Serialize(e.to_string())))?;
        Ok(WebhookReply {
            method: name.to_owned(),
            body: Bytes::from(body),
        })
    }

    /// The method it calls.
    pub fn method_name(&self) -> &str {
        &self.method
    }

    /// The JSON body.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The whole answer: 200 with the JSON body.
    pub fn into_response(self) -> http::Response<Bytes> {
        let mut response = http::Response::new(self.body);
        response
            .headers_mut()
            .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        *response.status_mut() = StatusCode::OK;
        response
    }
}

/// Whether Telegram executes `name` when a webhook answer names it. Names are compared
/// without regard to case, as the server reads them.
pub fn allowed_in_reply(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    !(lower.is_empty()
        || lower.starts_with("get")
        || matches!(
            lower.as_str(),
            "setwebhook" | "deletewebhook" | "close" | "logout"
        ))
}

/// Why a method cannot be sent as a webhook answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplyError {
    method: String,
    why: Why,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Why {
    NotAllowed,
    Upload,
    NotAnObject,
    MethodParameter,
    Serialize(String),
}

impl ReplyError {
    /// The method that was refused.
    pub fn method(&self) -> &str {
        &self.method
    }

    /// Whether it was refused because Telegram does not run it from a webhook answer.
    pub fn is_not_allowed(&self) -> bool {
        self.why == Why::NotAllowed
    }
}

impl fmt::Display for ReplyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let method = &self.method;
        match &self.why {
            Why::NotAllowed => write!(f, "{method} cannot be called from a webhook answer"),
            Why::Upload => write!(f, "{method}: a webhook answer cannot upload files"),
            Why::NotAnObject => write!(f, "{method}: parameters are not a JSON object"),
            Why::MethodParameter => write!(f, "{method}: a parameter is named \"method\""),
            Why::Serialize(message) => write!(f, "{method}: cannot serialize: {message}"),
        }
    }
}

impl std::error::Error for ReplyError {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::methods::{Close, DeleteWebhook, LogOut, SendDocument, SetWebhook};
    use crate::{Call, InputFile};

    #[test]
    fn methods_telegram_does_not_run_from_an_answer_are_refused() {
        for name in [
            "getMe",
            "getUpdates",
            "GETCHAT",
            "setWebhook",
            "deletewebhook",
            "close",
            "logOut",
            "",
        ] {
            assert!(!allowed_in_reply(name), "{name}");
        }
        for name in [
            "sendMessage",
            "setMyCommands",
            "answerCallbackQuery",
            "closeForumTopic",
            "logOutput",
        ] {
            assert!(allowed_in_reply(name), "{name}");
        }
        assert!(
            WebhookReply::new(&SetWebhook::new("https://x.example"))
                .unwrap_err()
                .is_not_allowed()
        );
        assert!(WebhookReply::new(&DeleteWebhook::new()).is_err());
        assert!(WebhookReply::new(&Close::new()).is_err());
        assert!(WebhookReply::new(&LogOut::new()).is_err());
    }

    #[test]
    fn uploads_are_refused_and_ids_pass() {
        let upload = SendDocument::new(1, InputFile::bytes("a.txt", &b"x"[..]));
        let e = WebhookReply::new(&upload).unwrap_err();
        assert_eq!(
            e.to_string(),
            "sendDocument: a webhook answer cannot upload files"
        );
        let by_id = SendDocument::new(1, InputFile::file_id("BQAD"));
        let reply = WebhookReply::new(&by_id).unwrap();
        let json: Value = serde_json::from_slice(reply.body()).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"method": "sendDocument", "chat_id": 1, "document": "BQAD"})
        );
        let response = reply.into_response();
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()[CONTENT_TYPE], "application/json");
        let raw = WebhookReply::new(&Call::new("setMyName")).unwrap();
        assert_eq!(raw.body(), br#"{"method":"setMyName"}"#);
    }

    /// A method that carries a file but does not list it in `uploads`.
    #[derive(serde::Serialize)]
    struct Forgetful {
        chat_id: i64,
        document: InputFile,
    }

    impl crate::Method for Forgetful {
        type Response = bool;

        fn method_name(&self) -> &str {
            "sendDocument"
        }
    }

    #[test]
    fn an_upload_left_out_of_uploads_is_caught_while_serializing() {
        let forgetful = Forgetful {
            chat_id: 1,
            document: InputFile::bytes("a.txt", &b"x"[..]),
        };
        let e = WebhookReply::new(&forgetful).unwrap_err();
        assert_eq!(
            e.to_string(),
            "sendDocument: a webhook answer cannot upload files"
        );
        // The flag is per call: the next reply on this thread is not refused for it.
        let by_id = Forgetful {
            chat_id: 1,
            document: InputFile::file_id("BQAD"),
        };
        assert!(WebhookReply::new(&by_id).is_ok());
    }
}
