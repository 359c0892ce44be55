//! The one trait every Bot API method implements.

use std::fmt;
use std::time::Duration;

use http::StatusCode;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::decode::MethodName;
use crate::error::DecodeError;
use crate::input_file::Upload;
use crate::token::Token;
use crate::types::ChatId;

/// A Bot API method: a value holding its parameters, which knows its name and the type of its
/// result.
///
/// The parameters are the method's `Serialize` form, which must be an object whose fields
/// have the wire names (`chat_id`, `reply_markup`, …). Absent optional parameters should be
/// skipped (`#[serde(skip_serializing_if = "Option::is_none")]`).
///
/// Every method of the current Bot API is generated in [`crate::methods`]; [`Call`](crate::Call)
/// calls any method by name. To add one by hand:
///
/// ```
/// use botapi_proto::Method;
/// use serde::Serialize;
///
/// /// `getChatMemberCount`: how many members a chat has.
/// #[derive(Serialize)]
/// struct GetChatMemberCount {
///     chat_id: i64,
/// }
///
/// impl Method for GetChatMemberCount {
///     type Response = i64;
///     fn method_name(&self) -> &str {
///         "getChatMemberCount"
///     }
/// }
/// ```
pub trait Method: Serialize {
    /// The type of `result` in a successful answer.
    type Response: DeserializeOwned;

    /// The method name as it appears in the URL, such as `getMe`.
    ///
    /// Named so that it never collides with a parameter: generated methods have a setter per
    /// parameter, and `name` is a parameter of several (`setMyName`, `editForumTopic`, …).
    fn method_name(&self) -> &str;

    /// The name again, when it is fixed at compile time: a call in flight then holds it
    /// without a copy. Generated methods return their `NAME`; the default, `None`, is right
    /// for a method whose name is chosen at run time (such as [`Call`](crate::Call)).
    fn static_name(&self) -> Option<&'static str> {
        None
    }

    /// How long the server may hold this request on purpose before answering (the long-poll
    /// `timeout` of `getUpdates`). Transports add it to their own timeout.
    fn timeout_hint(&self) -> Option<Duration> {
        None
    }

    /// Pushes every file to upload onto `out`, in the order the parameters serialize them.
    /// A request with uploads is sent as `multipart/form-data`, otherwise as JSON.
    ///
    /// The default lists none, which is right for methods without file parameters.
    fn uploads<'a>(&'a self, out: &mut Vec<&'a Upload>) {
        let _ = out;
    }

    /// Whether the call only reads: repeating it changes nothing on the server. Retries may
    /// resend such a call after a failure that may have reached the server; others never.
    ///
    /// The default says no, which is the safe answer for a method nobody has checked.
    /// Generated methods answer from [`MethodInfo::read_only`](crate::meta::MethodInfo).
    fn is_read_only(&self) -> bool {
        false
    }

    /// For a call that posts a message to a chat, which chat and whether it is a paid
    /// broadcast (`allow_paid_broadcast`), so flood control can pace it; `None` for calls
    /// that post nothing.
    ///
    /// The default is `None`. Generated methods answer for every method whose
    /// [`MethodInfo::sends_message`](crate::meta::MethodInfo) is set, with their `chat_id`.
    fn outgoing(&self) -> Option<Outgoing<'_>> {
        None
    }

    /// Appends the parameters to `out` as a JSON object: the body of a request without
    /// uploads.
    ///
    /// The default writes the `Serialize` form with serde_json. Generated methods write the
    /// same bytes directly, without serde's per-field calls; a transport that builds its own
    /// requests gets the faster path by calling this instead of `serde_json::to_writer`.
    fn write_json(&self, out: &mut Vec<u8>) -> serde_json::Result<()> {
        crate::encode::json::through_serde(self, out)
    }

    /// What reads the answer into [`Method::Response`]. The default,
    /// [`ResponseReader::new`], is right for any method written by hand.
    ///
    /// Generated methods return a reader compiled into this crate once, so that a bot's crate
    /// (or an adapter's) does not compile the decoder of every result type it receives a
    /// second time: in a release build the copy was a fifth of a small bot's binary.
    fn response_reader(&self) -> ResponseReader<Self::Response> {
        ResponseReader::new()
    }
}

/// Reads the answer to a method into its result type `R`: a plain function, chosen by
/// [`Method::response_reader`] when the request is built and used when the answer comes back.
pub struct ResponseReader<R> {
    read: for<'a> fn(MethodName<'a>, StatusCode, &'a [u8], &'a Token) -> Result<R, DecodeError>,
}

impl<R: DeserializeOwned> ResponseReader<R> {
    /// The reader of `R` through serde, compiled in the crate that calls this.
    pub fn new() -> Self {
        ResponseReader {
            read: crate::decode::decode::<R>,
        }
    }
}

impl<R: DeserializeOwned> Default for ResponseReader<R> {
    fn default() -> Self {
        ResponseReader::new()
    }
}

impl<R> ResponseReader<R> {
    /// Reads `body`; `token` is removed from any text an error keeps.
    pub(crate) fn read(
        &self,
        method: MethodName<'_>,
        status: StatusCode,
        body: &[u8],
        token: &Token,
    ) -> Result<R, DecodeError> {
        (self.read)(method, status, body, token)
    }
}

impl<R> Clone for ResponseReader<R> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<R> Copy for ResponseReader<R> {}

impl<R> fmt::Debug for ResponseReader<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ResponseReader")
    }
}

/// Where a call that posts a message goes, as [`Method::outgoing`] tells it: what flood
/// control needs to pace the call (see
/// [the limits](https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this)).
///
/// ```
/// use botapi_proto::methods::{SendChatAction, SendMessage};
/// use botapi_proto::types::{ChatAction, ChatId};
/// use botapi_proto::{Method, Outgoing};
///
/// let send = SendMessage::new(-1001234567890, "hi").allow_paid_broadcast(true);
/// let chat = ChatId::from(-1001234567890);
/// assert_eq!(send.outgoing(), Some(Outgoing::new(&chat, true)));
/// assert_eq!(SendChatAction::new(42, ChatAction::Typing).outgoing(), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Outgoing<'a> {
    /// The chat the message goes to.
    pub chat: &'a ChatId,
    /// Whether the call asks for a paid broadcast (`allow_paid_broadcast`), which Telegram
    /// lets go faster than the usual limits, for a fee in Stars.
    pub paid_broadcast: bool,
}

impl<'a> Outgoing<'a> {
    /// A message to `chat`, as a paid broadcast or not.
    pub fn new(chat: &'a ChatId, paid_broadcast: bool) -> Self {
        Outgoing {
            chat,
            paid_broadcast,
        }
    }
}

impl<M: Method + ?Sized> Method for &M {
    type Response = M::Response;

    fn method_name(&self) -> &str {
        (**self).method_name()
    }

    fn static_name(&self) -> Option<&'static str> {
        (**self).static_name()
    }

    fn timeout_hint(&self) -> Option<Duration> {
        (**self).timeout_hint()
    }

    fn uploads<'a>(&'a self, out: &mut Vec<&'a Upload>) {
        (**self).uploads(out)
    }

    fn is_read_only(&self) -> bool {
        (**self).is_read_only()
    }

    fn outgoing(&self) -> Option<Outgoing<'_>> {
        (**self).outgoing()
    }

    fn write_json(&self, out: &mut Vec<u8>) -> serde_json::Result<()> {
        (**self).write_json(out)
    }

    fn response_reader(&self) -> ResponseReader<Self::Response> {
        (**self).response_reader()
    }
}
