//! What carries requests: the two transport traits, and the plumbing every transport needs
//! written once (error text from a library's error chain, upload file bookkeeping).
//!
//! A transport takes the `http::Request` the core built and gives back the
//! `http::Response` with its whole body, read under a size limit and a timeout. That is all:
//! the core encodes before and decodes after. [`BlockingTransport`] and [`AsyncTransport`]
//! are implemented by `botapi-ureq` and `botapi-hyper`, and by plain closures, so code can be
//! generic over "some transport" and tests can answer from memory:
//!
//! ```
//! use botapi_proto::transport::BlockingTransport;
//! use botapi_proto::{Client, Error, Token, methods::GetMe};
//!
//! /// Works with any blocking transport.
//! fn bot_name<T: BlockingTransport>(client: &Client, transport: &T) -> Result<String, Error<T::Error>> {
//!     Ok(client.send(transport, &GetMe::new())?.first_name.into())
//! }
//!
//! let client = Client::new("123456:ABC-def".parse::<Token>()?);
//! let from_memory = |_request: http::Request<Vec<u8>>| {
//!     let body = br#"{"ok":true,"result":{"id":123456,"is_bot":true,"first_name":"Echo"}}"#;
//!     Ok::<_, std::io::Error>(http::Response::new(body.to_vec()))
//! };
//! assert_eq!(bot_name(&client, &from_memory)?, "Echo");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The same function takes a `botapi_ureq::Client` (the README shows both).

mod error_text;
mod response;
mod upload;

use std::future::Future;

use bytes::Bytes;

use crate::call::CallContext;
use crate::error::Error;
use crate::request::Body;

pub use error_text::{error_text, find_source, io_failure};
pub use response::{BodyCollector, TooLarge};
pub use upload::{BodyPart, BodyParts, BodyReader, FileProgress, UPLOAD_CHUNK, UploadError};

/// Carries a request and brings back its answer, blocking the thread meanwhile.
///
/// Implemented by `botapi_ureq::Client` and by every closure
/// `Fn(http::Request<Vec<u8>>) -> Result<http::Response<Vec<u8>>, E>` (which cannot stream
/// upload files from disk: such requests fail with
/// [`EncodeError::StreamingRequired`](crate::EncodeError::StreamingRequired)).
///
/// Call it through [`Client::send`](crate::Client::send), which encodes before and decodes
/// after.
pub trait BlockingTransport {
    /// The transport's own failure (for the adapters, [`TransportError`](crate::TransportError)).
    type Error;

    /// Sends `request` and returns the answer with its whole body. `call` says which method
    /// this is, how long the call may take ([`CallContext::timeout`]) and builds token-free
    /// errors. An HTTP error status is an answer, not a failure: its body says what went
    /// wrong.
    fn round_trip(
        &self,
        request: http::Request<Body>,
        call: &CallContext,
    ) -> Result<http::Response<Bytes>, Error<Self::Error>>;
}

/// Carries a request and brings back its answer, asynchronously.
///
/// Implemented by `botapi_hyper::Client` and by every closure
/// `Fn(http::Request<Vec<u8>>) -> impl Future<Output = Result<http::Response<Vec<u8>>, E>>`.
/// The future must be `Send`, so calls can run on a multi-threaded runtime; a transport
/// whose futures are not (a browser's `fetch`) drives [`Client::prepare`](crate::Client::prepare)
/// and [`Pending::decode`](crate::Pending::decode) itself.
///
/// Call it through [`Client::send_async`](crate::Client::send_async).
pub trait AsyncTransport {
    /// The transport's own failure (for the adapters, [`TransportError`](crate::TransportError)).
    type Error;

    /// Sends `request` and returns the answer with its whole body; see
    /// [`BlockingTransport::round_trip`].
    fn round_trip(
        &self,
        request: http::Request<Body>,
        call: &CallContext,
    ) -> impl Future<Output = Result<http::Response<Bytes>, Error<Self::Error>>> + Send;
}

/// The body in one buffer, for transports that only send memory.
fn in_memory<E>(
    request: http::Request<Body>,
    call: &CallContext,
) -> Result<http::Request<Vec<u8>>, Error<E>> {
    let (parts, body) = request.into_parts();
    let body = body.to_vec().ok_or_else(|| call.streaming_required())?;
    Ok(http::Request::from_parts(parts, body))
}

impl<F, E> BlockingTransport for F
where
    F: Fn(http::Request<Vec<u8>>) -> Result<http::Response<Vec<u8>>, E>,
{
    type Error = E;

    fn round_trip(
        &self,
        request: http::Request<Body>,
        call: &CallContext,
    ) -> Result<http::Response<Bytes>, Error<E>> {
        let response = self(in_memory(request, call)?).map_err(Error::Transport)?;
        Ok(response.map(Bytes::from))
    }
}

impl<F, Fut, E> AsyncTransport for F
where
    F: Fn(http::Request<Vec<u8>>) -> Fut + Sync,
    Fut: Future<Output = Result<http::Response<Vec<u8>>, E>> + Send,
    E: Send,
{
    type Error = E;

    fn round_trip(
        &self,
        request: http::Request<Body>,
        call: &CallContext,
    ) -> impl Future<Output = Result<http::Response<Bytes>, Error<E>>> + Send {
        let request = in_memory(request, call);
        async move {
            let response = self(request?).await.map_err(Error::Transport)?;
            Ok(response.map(Bytes::from))
        }
    }
}
