//! Calling any method by name, for methods this library does not know yet.

use std::fmt;
use std::marker::PhantomData;
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::{Serialize, Serializer};
use serde_json::{Map, Value};

use crate::method::Method;

/// Any Bot API method by name, with parameters of any `Serialize` type `P` and a result read
/// as any `DeserializeOwned` type `R` (both `serde_json::Value` by default).
///
/// ```
/// use botapi_proto::Call;
/// use serde_json::json;
///
/// // A method from a newer Bot API than this crate knows:
/// let call = Call::new("getBrandNewThing").params(json!({"chat_id": -1001234567890_i64}));
/// # let _ = call;
/// ```
///
/// `Call` sends JSON only; use the typed methods for file uploads.
pub struct Call<P = Value, R = Value> {
    name: String,
    params: P,
    timeout_hint: Option<Duration>,
    result: PhantomData<fn() -> R>,
}

impl Call {
    /// `name` with no parameters, read as `serde_json::Value`.
    pub fn new(name: impl Into<String>) -> Self {
        Call {
            name: name.into(),
            params: Value::Object(Map::new()),
            timeout_hint: None,
            result: PhantomData,
        }
    }
}

impl<P, R> Call<P, R> {
    /// Sets the parameters; they must serialize to an object.
    pub fn params<Q: Serialize>(self, params: Q) -> Call<Q, R> {
        Call {
            name: self.name,
            params,
            timeout_hint: self.timeout_hint,
            result: PhantomData,
        }
    }

    /// Reads the result as `T` instead.
    pub fn returns<T: DeserializeOwned>(self) -> Call<P, T> {
        Call {
            name: self.name,
            params: self.params,
            timeout_hint: self.timeout_hint,
            result: PhantomData,
        }
    }

    /// Tells the transport the server may hold the request this long (long polling).
    #[must_use]
    pub fn timeout_hint(mut self, hint: Duration) -> Self {
        self.timeout_hint = Some(hint);
        self
    }

    /// The parameters.
    pub fn parameters(&self) -> &P {
        &self.params
    }
}

impl<P: Clone, R> Clone for Call<P, R> {
    fn clone(&self) -> Self {
        Call {
            name: self.name.clone(),
            params: self.params.clone(),
            timeout_hint: self.timeout_hint,
            result: PhantomData,
        }
    }
}

impl<P: fmt::Debug, R> fmt::Debug for Call<P, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Call")
            .field("name", &self.name)
            .field("params", &self.params)
            .finish()
    }
}

impl<P: Serialize, R> Serialize for Call<P, R> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.params.serialize(serializer)
    }
}

impl<P: Serialize, R: DeserializeOwned> Method for Call<P, R> {
    type Response = R;

    fn method_name(&self) -> &str {
        &self.name
    }

    fn timeout_hint(&self) -> Option<Duration> {
        self.timeout_hint
    }
}
