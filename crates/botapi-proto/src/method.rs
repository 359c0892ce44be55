//! The one trait every Bot API method implements.

use std::time::Duration;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::input_file::Upload;

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
}

impl<M: Method + ?Sized> Method for &M {
    type Response = M::Response;

    fn method_name(&self) -> &str {
        (**self).method_name()
    }

    fn timeout_hint(&self) -> Option<Duration> {
        (**self).timeout_hint()
    }

    fn uploads<'a>(&'a self, out: &mut Vec<&'a Upload>) {
        (**self).uploads(out)
    }
}
