//! What this library knows about every Bot API method and type, as data.
//!
//! The tables are generated from the same specification as [`methods`](crate::methods) and
//! [`types`](crate::types), so they always agree with them. A server emulator can answer any
//! method from them (check the required parameters, build a plausible result from
//! [`TypeInfo`]); a command-line tool can turn JSON into the typed method with
//! [`visit_method`].
//!
//! Type expressions (`ty`, `returns`) are written the way the official reference writes
//! them: `Integer`, `String`, `Boolean`, `True`, `Float`, `InputFile or String`,
//! `Integer or String`, `Array of Message`, `Message or True`, or a type name.
//!
//! ```
//! use botapi_proto::meta;
//!
//! let send = meta::method("SENDMESSAGE").unwrap(); // case-insensitive, like the server
//! assert_eq!(send.name, "sendMessage");
//! assert_eq!(send.returns, "Message");
//! let required: Vec<_> = send.params.iter().filter(|p| p.required).map(|p| p.name).collect();
//! assert_eq!(required, ["chat_id", "text"]);
//!
//! let member = meta::type_info("ChatMember").unwrap().union.unwrap();
//! assert_eq!(member.discriminator, Some("status"));
//! assert_eq!(member.variants[0], ("creator", "ChatMemberOwner"));
//! ```

use std::fmt::Debug;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::method::Method;

pub use crate::generated::meta::METHODS;
pub use crate::generated::meta_types::TYPES;

/// A Bot API method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct MethodInfo {
    /// The name as the URL spells it, such as `sendMessage`.
    pub name: &'static str,
    /// Its parameters, in the order of the reference.
    pub params: &'static [ParamInfo],
    /// The type of its result, as the reference writes it (`Message`, `Array of Update`,
    /// `True`, `Message or True`, …).
    pub returns: &'static str,
    /// Whether any parameter can carry a file to upload, directly or nested (in an
    /// `InputMedia`, an `InputSticker`, …).
    pub uploads: bool,
    /// Whether the method only reads, so repeating it after a failure that may have reached
    /// the server changes nothing: every `get…` method (`getUpdates` too: the same request
    /// again confirms the same updates). The typed method's
    /// [`Method::is_read_only`] agrees.
    pub read_only: bool,
    /// Whether the method posts a message to the chat in its `chat_id` and so counts against
    /// Telegram's flood limits: the `send…` methods except `sendChatAction`, the drafts,
    /// `sendChatJoinRequestWebApp` and `sendGift`, plus `forwardMessage(s)` and
    /// `copyMessage(s)`. Edits do not count. The typed method's [`Method::outgoing`] names the
    /// chat.
    pub sends_message: bool,
    /// The link to its entry in the official reference.
    pub doc: &'static str,
}

impl MethodInfo {
    /// The parameter called `name`.
    pub fn param(&self, name: &str) -> Option<&'static ParamInfo> {
        self.params.iter().find(|p| p.name == name)
    }

    /// The parameters the reference marks as required.
    pub fn required_params(&self) -> impl Iterator<Item = &'static ParamInfo> + use<> {
        self.params.iter().filter(|p| p.required)
    }
}

/// A parameter of a method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct ParamInfo {
    /// The wire name, such as `chat_id`.
    pub name: &'static str,
    /// Its type, as the reference writes it.
    pub ty: &'static str,
    /// Whether the reference marks it as required. Parameters that are required only in
    /// some combinations (`chat_id` unless `inline_message_id` is given) are not.
    pub required: bool,
    /// Whether it can carry a file to upload, directly or nested.
    pub file: bool,
    /// The values the reference lists for a string parameter (`sendChatAction.action`, …);
    /// empty when the text is free. The library keeps values it does not know.
    pub values: &'static [&'static str],
}

/// A Bot API type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct TypeInfo {
    /// Its name, such as `Message`.
    pub name: &'static str,
    /// Its fields in the order of the reference; empty for a union.
    pub fields: &'static [FieldInfo],
    /// For a type that is one of several others (`ChatMember`, `MessageOrigin`, …), how
    /// the variant is told apart.
    pub union: Option<UnionInfo>,
    /// The link to its entry in the official reference.
    pub doc: &'static str,
}

impl TypeInfo {
    /// The field called `name`.
    pub fn field(&self, name: &str) -> Option<&'static FieldInfo> {
        self.fields.iter().find(|f| f.name == name)
    }
}

/// A field of a type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct FieldInfo {
    /// The wire name.
    pub name: &'static str,
    /// Its type, as the reference writes it.
    pub ty: &'static str,
    /// Whether it is always present.
    pub required: bool,
    /// The values the reference lists for a string field; for the tag of a union's variant,
    /// the one value it always has. Empty when the text is free.
    pub values: &'static [&'static str],
}

/// How a union type is told apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct UnionInfo {
    /// The field whose value names the variant (`type`, `status`, `source`), or `None`
    /// when the variants are told apart by their fields (`InputMessageContent`,
    /// `MaybeInaccessibleMessage`).
    pub discriminator: Option<&'static str>,
    /// `(tag, type)` for each variant, in the order of the reference; the tag is empty when
    /// there is no discriminator.
    ///
    /// The type is a type name, except for `RichText`, whose first two variants are the
    /// expressions `String` (plain text) and `Array of RichText` (untagged). Among the
    /// untagged unions, `MaybeInaccessibleMessage` is an `InaccessibleMessage` when its
    /// `date` is 0 and a `Message` otherwise; the others are told apart by which required
    /// fields are present.
    pub variants: &'static [(&'static str, &'static str)],
}

/// The method called `name`, compared without regard to ASCII case as the Bot API server
/// does. A binary search of a generated index: O(log n), and it allocates nothing.
pub fn method(name: &str) -> Option<&'static MethodInfo> {
    use crate::generated::meta::METHODS_BY_NAME;
    // The index holds lower-case names, so lower-casing `name` byte by byte compares as
    // `eq_ignore_ascii_case` does; non-ASCII bytes stay as they are and match nothing.
    let lowered = || name.bytes().map(|b| b.to_ascii_lowercase());
    let at = METHODS_BY_NAME
        .binary_search_by(|(key, _)| key.bytes().cmp(lowered()))
        .ok()?;
    METHODS.get(usize::from(METHODS_BY_NAME[at].1))
}

/// The type called `name` (exact spelling). A binary search of a generated index:
/// O(log n), and it allocates nothing.
pub fn type_info(name: &str) -> Option<&'static TypeInfo> {
    use crate::generated::meta_types::TYPES_BY_NAME;
    let at = TYPES_BY_NAME
        .binary_search_by(|(key, _)| (*key).cmp(name))
        .ok()?;
    TYPES.get(usize::from(TYPES_BY_NAME[at].1))
}

/// Receives the Rust type of a method chosen at run time by [`visit_method`].
pub trait MethodVisitor {
    /// What the visit gives back.
    type Output;

    /// Called once, with `M` the method's type. Every method type is `Send + Sync`, so the
    /// visit may send it from async code on any runtime.
    fn visit<M>(self) -> Self::Output
    where
        M: Method + Serialize + DeserializeOwned + Debug + Clone + Send + Sync + 'static,
        M::Response: Serialize + Debug;
}

/// Calls `visitor` with the type of the method called `name` (any ASCII case), or returns
/// `None` for a name this library does not know.
///
/// A method whose result is "Message or True" has two types; the one taking
/// `inline_message_id` is picked when `params` holds that field, the other otherwise.
///
/// ```
/// use botapi_proto::meta::{MethodVisitor, visit_method};
/// use botapi_proto::Method;
/// use serde::Serialize;
/// use serde::de::DeserializeOwned;
/// use serde_json::{Value, json};
///
/// /// Builds the typed method from JSON and names its result type.
/// struct Check(Value);
///
/// impl MethodVisitor for Check {
///     type Output = Result<&'static str, serde_json::Error>;
///     fn visit<M>(self) -> Self::Output
///     where
///         M: Method + Serialize + DeserializeOwned + 'static,
///     {
///         let method: M = serde_json::from_value(self.0)?;
///         let _ = method.method_name();
///         Ok(std::any::type_name::<M::Response>())
///     }
/// }
///
/// let params = json!({"inline_message_id": "abc", "text": "hi"});
/// let result = visit_method("editMessageText", &params, Check(params.clone())).unwrap();
/// assert_eq!(result.unwrap(), "bool");
///
/// let missing = visit_method("sendMessage", &json!({}), Check(json!({}))).unwrap();
/// assert!(missing.unwrap_err().to_string().contains("missing field `chat_id`"));
/// ```
pub fn visit_method<V: MethodVisitor>(name: &str, params: &Value, visitor: V) -> Option<V::Output> {
    let info = method(name)?;
    let inline = params
        .get("inline_message_id")
        .is_some_and(|v| !v.is_null());
    crate::generated::meta::dispatch(info.name, inline, visitor)
}
