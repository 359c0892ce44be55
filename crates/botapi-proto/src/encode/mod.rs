//! Turning a method into an HTTP request: JSON when nothing is uploaded, multipart otherwise.

mod fields;
pub(crate) mod multipart;

use bytes::Bytes;
use http::header::CONTENT_TYPE;
use http::{HeaderValue, Method as HttpMethod};

use crate::Client;
use crate::call::CallContext;
use crate::error::EncodeError;
use crate::method::Method;
use crate::request::{Body, Chunk};

/// Builds the request for `method` and the context of the call. See [`Client::prepare`].
pub(crate) fn encode<M: Method + ?Sized>(
    client: &Client,
    method: &M,
) -> Result<(http::Request<Body>, CallContext), EncodeError> {
    let name = method.method_name();
    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return Err(EncodeError::InvalidMethodName {
            name: name.to_owned(),
        });
    }
    let mut uploads = Vec::new();
    method.uploads(&mut uploads);

    let (body, content_type) = if uploads.is_empty() {
        json_body(name, method)?
    } else {
        let fields = fields::fields(method).map_err(|e| fields_error(name, e))?;
        let form = multipart::encode(fields, &uploads).map_err(|e| match e {
            multipart::MultipartError::UndeclaredUpload => undeclared(name),
            multipart::MultipartError::InvalidContentType => EncodeError::InvalidContentType {
                method: name.to_owned(),
            },
        })?;
        (Body::from_chunks(form.chunks), Some(form.content_type))
    };

    let url = format!(
        "{}/bot{}/{name}",
        client.api_url().as_str(),
        client.token().expose_secret()
    );
    let mut builder = http::Request::builder().method(HttpMethod::POST).uri(url);
    if let Some(content_type) = content_type {
        // The value is built from ASCII we control; it cannot fail to parse.
        let value =
            HeaderValue::try_from(content_type).map_err(|_| EncodeError::InvalidContentType {
                method: name.to_owned(),
            })?;
        builder = builder.header(CONTENT_TYPE, value);
    }
    // The URI is made of a checked base, a checked token and a checked method name, so the
    // builder cannot refuse it; the error is mapped without its text, which would echo the URI.
    let http = builder
        .body(body)
        .map_err(|_| EncodeError::InvalidMethodName {
            name: name.to_owned(),
        })?;
    let context = CallContext::new(
        name,
        client.api_url().clone(),
        client.token().redactor(),
        method.timeout_hint(),
        method.is_read_only(),
    );
    Ok((http, context))
}

/// A JSON body, or no body at all when there are no parameters.
fn json_body<M: Method + ?Sized>(
    name: &str,
    method: &M,
) -> Result<(Body, Option<String>), EncodeError> {
    let json = serde_json::to_vec(method).map_err(|e| EncodeError::Serialize {
        method: name.to_owned(),
        message: e.to_string(),
    })?;
    match json.as_slice() {
        b"{}" | b"null" => return Ok((Body::empty(), None)),
        [b'{', ..] => {}
        _ => {
            return Err(EncodeError::ParametersNotAnObject {
                method: name.to_owned(),
            });
        }
    }
    // JSON escapes the marker's leading NUL as \u0000.
    if multipart::contains(&json, MARKER_IN_JSON.as_bytes()) {
        return Err(undeclared(name));
    }
    let body = Body::from_chunks(vec![Chunk::Bytes(Bytes::from(json))]);
    Ok((body, Some("application/json".to_owned())))
}

const MARKER_IN_JSON: &str = "\\u0000botapi-upload:";

fn undeclared(name: &str) -> EncodeError {
    EncodeError::UndeclaredUpload {
        method: name.to_owned(),
    }
}

fn fields_error(name: &str, e: fields::FieldsError) -> EncodeError {
    match e {
        fields::FieldsError::NotAnObject => EncodeError::ParametersNotAnObject {
            method: name.to_owned(),
        },
        fields::FieldsError::Custom(message) => EncodeError::Serialize {
            method: name.to_owned(),
            message,
        },
    }
}
