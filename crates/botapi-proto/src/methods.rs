//! Bot API methods. (Hand-written for now; replaced by generated code.)

use serde::{Deserialize, Serialize};

use crate::input_file::{HasUploads, InputFile, Upload};
use crate::method::Method;
use crate::types::{User, WebhookInfo};

macro_rules! no_params {
    ($(#[$doc:meta])* $ty:ident, $name:literal, $resp:ty) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
        #[non_exhaustive]
        pub struct $ty {}
        impl $ty {
            /// The method name.
            pub const NAME: &'static str = $name;
            /// The method.
            pub fn new() -> Self { $ty {} }
        }
        impl Method for $ty {
            type Response = $resp;
            fn name(&self) -> &str { $name }
        }
    };
}

no_params!(/// getMe <https://core.telegram.org/bots/api#getme>
    GetMe, "getMe", User);
no_params!(/// logOut <https://core.telegram.org/bots/api#logout>
    LogOut, "logOut", bool);
no_params!(/// close <https://core.telegram.org/bots/api#close>
    Close, "close", bool);
no_params!(/// getWebhookInfo <https://core.telegram.org/bots/api#getwebhookinfo>
    GetWebhookInfo, "getWebhookInfo", WebhookInfo);

/// deleteWebhook <https://core.telegram.org/bots/api#deletewebhook>
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DeleteWebhook {
    /// Drop pending updates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drop_pending_updates: Option<bool>,
}

impl DeleteWebhook {
    /// The method name.
    pub const NAME: &'static str = "deleteWebhook";
    /// The method.
    pub fn new() -> Self {
        Self::default()
    }
    /// Sets drop_pending_updates.
    #[must_use]
    pub fn drop_pending_updates(mut self, v: bool) -> Self {
        self.drop_pending_updates = Some(v);
        self
    }
}

impl Method for DeleteWebhook {
    type Response = bool;
    fn name(&self) -> &str {
        Self::NAME
    }
}

/// setWebhook <https://core.telegram.org/bots/api#setwebhook>
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SetWebhook {
    /// HTTPS URL.
    pub url: String,
    /// Public key certificate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate: Option<InputFile>,
    /// Fixed IP address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip_address: Option<String>,
    /// Connection limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_connections: Option<i64>,
    /// Update kinds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_updates: Option<Vec<String>>,
    /// Drop pending updates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drop_pending_updates: Option<bool>,
    /// Secret token header.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_token: Option<String>,
}

impl SetWebhook {
    /// The method name.
    pub const NAME: &'static str = "setWebhook";
    /// The method.
    pub fn new(url: impl Into<String>) -> Self {
        SetWebhook {
            url: url.into(),
            certificate: None,
            ip_address: None,
            max_connections: None,
            allowed_updates: None,
            drop_pending_updates: None,
            secret_token: None,
        }
    }
    /// Sets certificate.
    #[must_use]
    pub fn certificate(mut self, v: impl Into<InputFile>) -> Self {
        self.certificate = Some(v.into());
        self
    }
    /// Sets max_connections.
    #[must_use]
    pub fn max_connections(mut self, v: i64) -> Self {
        self.max_connections = Some(v);
        self
    }
    /// Sets allowed_updates.
    #[must_use]
    pub fn allowed_updates(mut self, v: Vec<String>) -> Self {
        self.allowed_updates = Some(v);
        self
    }
    /// Sets secret_token.
    #[must_use]
    pub fn secret_token(mut self, v: impl Into<String>) -> Self {
        self.secret_token = Some(v.into());
        self
    }
}

impl Method for SetWebhook {
    type Response = bool;
    fn name(&self) -> &str {
        Self::NAME
    }
    fn uploads<'a>(&'a self, out: &mut Vec<&'a Upload>) {
        self.certificate.uploads(out)
    }
}
