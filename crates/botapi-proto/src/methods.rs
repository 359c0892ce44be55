//! Every method of the Bot API, generated from the official description.
//!
//! A method is a struct holding its parameters under their wire names: the required ones go
//! in `new(…)`, the optional ones are set one by one with the setter of the same name. Each
//! implements [`Method`](crate::Method) with its exact result type and has a `NAME` constant.
//! A method whose result is "Message or True" has two structs: `EditMessageText` (a message
//! in a chat, returns the `Message`) and `EditMessageTextInline` (an inline message,
//! returns `true`).
//!
//! File parameters take an [`InputFile`](crate::InputFile); uploads anywhere in the
//! parameters, nested ones included (`InputMedia*`, `InputSticker`, …), make the request
//! `multipart/form-data` with `attach://` references, automatically.
//!
//! Methods also implement `Deserialize` and refuse unknown fields, so a method can be built
//! from JSON (see [`meta::visit_method`](crate::meta::visit_method)).
//!
//! ```
//! use botapi_proto::methods::SendMessage;
//! use botapi_proto::types::{InlineKeyboardButton, InlineKeyboardMarkup, ParseMode};
//! use botapi_proto::{Client, Token};
//!
//! let button = InlineKeyboardButton::new("Open").url("https://example.org");
//! let send = SendMessage::new(-1001234567890, "<b>hello</b>")
//!     .parse_mode(ParseMode::Html)
//!     .reply_markup(InlineKeyboardMarkup::new(vec![vec![button]]));
//! let request = Client::new("1:secret".parse::<Token>()?).encode(&send)?;
//! let body: serde_json::Value = serde_json::from_slice(&request.body().to_vec().unwrap())?;
//! assert_eq!(body["chat_id"], -1001234567890_i64);
//! assert_eq!(body["parse_mode"], "HTML");
//! assert_eq!(body["reply_markup"]["inline_keyboard"][0][0]["url"], "https://example.org");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub use crate::generated::methods::*;
