//! Turning a method into an HTTP request: JSON when nothing is uploaded, multipart otherwise.

mod fields;
pub(crate) mod json;
pub(crate) mod multipart;

use bytes::Bytes;
use http::header::CONTENT_TYPE;
use http::{HeaderValue, Method as HttpMethod};

use crate::Client;
use crate::call::CallContext;
use crate::decode::MethodName;
use crate::error::EncodeError;
use crate::input_file;
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
        // The value is built from ASCII we control; it cannot fail to parse.
        let content_type = HeaderValue::try_from(form.content_type).map_err(|_| {
            EncodeError::InvalidContentType {
                method: name.to_owned(),
            }
        })?;
        (Body::from_chunks(form.chunks), Some(content_type))
    };

    // The URI is made of a checked base, a checked token and a checked method name, so it
    // cannot be refused; the error is mapped without its text, which would echo the URI.
    let invalid = || EncodeError::InvalidMethodName {
        name: name.to_owned(),
    };
    let uri = client
        .api_url()
        .method_uri(client.token().expose_secret(), name)
        .ok_or_else(invalid)?;
    let mut http = http::Request::new(body);
    *http.method_mut() = HttpMethod::POST;
    *http.uri_mut() = uri;
    if let Some(content_type) = content_type {
        http.headers_mut().insert(CONTENT_TYPE, content_type);
    }
    let context = CallContext::new(
        MethodName::of(method).to_cow(),
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
) -> Result<(Body, Option<HeaderValue>), EncodeError> {
    // Most bodies fit, so the buffer seldom grows.
    let mut json = Vec::with_capacity(JSON_CAPACITY);
    let (written, stray_upload) = input_file::serializes_upload(|| method.write_json(&mut json));
    written.map_err(|e| EncodeError::Serialize {
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
    // An upload serialized into JSON is one the method did not list in `uploads`.
    if stray_upload {
        return Err(undeclared(name));
    }
    let body = Body::from_chunk(Chunk::Bytes(Bytes::from(json)));
    Ok((body, Some(HeaderValue::from_static("application/json"))))
}

/// The buffer a JSON body starts with.
const JSON_CAPACITY: usize = 512;

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

#[cfg(test)]
mod tests {
    use serde::Serialize;

    use crate::{Client, EncodeError, InputFile, Method, Token};

    /// A method that carries a file but forgets to list it in `uploads`.
    #[derive(Serialize)]
    struct Forgetful {
        document: InputFile,
        caption: String,
    }

    impl Method for Forgetful {
        type Response = bool;

        fn method_name(&self) -> &str {
            "sendDocument"
        }
    }

    fn client() -> Client {
        Client::new(Token::new("1:SENTINELencode").unwrap())
    }

    #[test]
    fn an_upload_left_out_of_uploads_is_refused() {
        let method = Forgetful {
            document: InputFile::bytes("a.txt", &b"abc"[..]),
            caption: "c".into(),
        };
        let e = client().encode(&method).unwrap_err();
        assert!(matches!(e, EncodeError::UndeclaredUpload { method } if method == "sendDocument"));
    }

    #[test]
    fn text_that_looks_like_a_marker_is_sent_as_it_is() {
        let method = Forgetful {
            document: InputFile::file_id("AgAD"),
            caption: "\u{0}botapi-upload:7f00".into(),
        };
        let request = client().encode(&method).unwrap();
        let body = request.body().to_vec().unwrap();
        let sent: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(sent["caption"], "\u{0}botapi-upload:7f00");
        assert_eq!(request.headers()["content-type"], "application/json");
        assert_eq!(request.method_name(), "sendDocument");
    }
}
