//! The call in flight (`Client::prepare`, `Pending`, `CallContext`) and the transport traits:
//! what a transport gets, what it gives back, and that the token stays out of every error
//! and every `Debug` built on this path.

use std::convert::Infallible;
use std::io;
use std::path::Path;
use std::time::Duration;

use botapi_proto::methods::{GetMe, GetUpdates, SendDocument, SendMessage};
use botapi_proto::transport::{
    AsyncTransport, BlockingTransport, BodyParts, BodyReader, error_text, io_failure,
};
use botapi_proto::{
    ApiUrl, Body, CallContext, Client, EncodeError, Error, InputFile, Token, TransportErrorKind,
};
use bytes::Bytes;
use http::StatusCode;

const SECRET: &str = "SENTINELsecret_in_flight";

fn client() -> Client {
    let token: Token = format!("4242:{SECRET}").parse().unwrap();
    Client::new(token).with_api_url("http://127.0.0.1:9".parse::<ApiUrl>().unwrap())
}

fn assert_clean(text: &str) {
    assert!(!text.contains(SECRET), "the secret leaked: {text}");
}

#[test]
fn prepare_gives_the_request_and_a_context_that_knows_the_call() {
    let (request, pending) = client().prepare(&GetUpdates::new().timeout(25)).unwrap();
    assert_eq!(
        request.uri().path(),
        format!("/bot4242:{SECRET}/getUpdates")
    );
    let call = pending.context();
    assert_eq!(call.method_name(), "getUpdates");
    assert_eq!(call.timeout_hint(), Some(Duration::from_secs(25)));
    assert_eq!(
        call.timeout(Duration::from_secs(5)),
        Duration::from_secs(30)
    );
    assert!(call.is_read_only());
    assert_eq!(
        call.redacted_url(),
        "http://127.0.0.1:9/bot4242:<redacted>/getUpdates"
    );
    let (_, send) = client().prepare(&SendMessage::new(1, "hi")).unwrap();
    assert!(!send.context().is_read_only());
    assert_eq!(send.timeout(Duration::from_secs(5)), Duration::from_secs(5));
}

#[test]
fn debug_of_the_in_flight_values_hides_the_token() {
    let (_, pending) = client().prepare(&GetMe::new()).unwrap();
    assert_clean(&format!("{pending:?} {:?}", pending.context()));
    assert_clean(&format!("{:?}", pending.context().redactor()));
    assert_clean(&format!("{:?}", client().encode(&GetMe::new()).unwrap()));
}

/// Every transport error a transport can build from the context, each fed text that quotes
/// the token the way HTTP libraries quote request URLs.
#[test]
fn every_transport_error_from_the_context_is_token_free() {
    let (_, pending) = client().prepare(&GetMe::new()).unwrap();
    let call: &CallContext = pending.context();
    let url = format!("http://127.0.0.1:9/bot4242:{SECRET}/getMe");
    let quoting = io::Error::other(format!("error sending request for url ({url})"));
    let mut errors = vec![
        call.transport_error(TransportErrorKind::Io, &url),
        call.timed_out(Duration::from_millis(1500)),
        call.body_too_large(10),
        call.file_unreadable(Path::new(&format!("/tmp/{SECRET}.bin")), &quoting),
    ];
    let (kind, message) = io_failure(&quoting);
    errors.push(call.transport_error(kind, &message));
    errors.push(call.transport_error(TransportErrorKind::Http, &error_text(&quoting)));
    for e in &errors {
        assert_clean(&format!("{e} {e:?}"));
        assert_eq!(e.method(), "getMe");
    }
    assert_eq!(errors[1].to_string(), "getMe: timed out after 1.5 s");
    assert_eq!(
        errors[2].kind(),
        TransportErrorKind::BodyTooLarge { limit: 10 }
    );
    assert!(!errors[3].may_have_reached_server());
    assert!(errors[0].may_have_reached_server());
}

#[test]
fn decoding_through_pending_keeps_the_token_out_of_errors() {
    let (_, pending) = client().prepare(&GetMe::new()).unwrap();
    let bodies = [
        format!("<html>bot4242:{SECRET}</html>"),
        format!(
            r#"{{"ok":false,"error_code":400,"description":"bad {SECRET}","parameters":{{"x":"{SECRET}"}}}}"#
        ),
        format!(r#"{{"ok":true,"result":{{"id":"{SECRET}"}}}}"#),
        format!(r#"{{"ok":true,"result":{{"id":1,"is_bot":true,"first_name":"{SECRET}"#),
    ];
    for body in &bodies {
        let e = pending
            .decode(StatusCode::BAD_GATEWAY, body.as_bytes())
            .unwrap_err();
        assert_clean(&format!("{e} {e:?}"));
    }
}

#[test]
fn a_closure_is_a_blocking_transport_and_its_error_is_kept() {
    let answer = |request: http::Request<Vec<u8>>| {
        assert_eq!(request.headers()["content-type"], "application/json");
        let body =
            br#"{"ok":true,"result":{"message_id":5,"date":1,"chat":{"id":-100,"type":"group"}}}"#;
        Ok::<_, Infallible>(http::Response::new(body.to_vec()))
    };
    let sent = client()
        .send(&answer, &SendMessage::new(-100, "hi"))
        .unwrap();
    assert_eq!(sent.message_id, 5);

    let refuse = |_: http::Request<Vec<u8>>| Err::<http::Response<Vec<u8>>, _>("refused");
    match client().send(&refuse, &GetMe::new()) {
        Err(Error::Transport(e)) => assert_eq!(e, "refused"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_in_memory_transport_refuses_to_stream_a_file() {
    let answer = |_: http::Request<Vec<u8>>| -> Result<http::Response<Vec<u8>>, Infallible> {
        panic!("nothing may be sent")
    };
    let upload = SendDocument::new(1, InputFile::path("/no/such/file.bin"));
    match client().send(&answer, &upload) {
        Err(Error::Encode(EncodeError::StreamingRequired { method })) => {
            assert_eq!(method, "sendDocument")
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_async_closure_is_an_async_transport() {
    let answer = |_: http::Request<Vec<u8>>| async {
        let body = br#"{"ok":true,"result":{"id":4242,"is_bot":true,"first_name":"Async"}}"#;
        Ok::<_, Infallible>(http::Response::new(body.to_vec()))
    };
    let me = block_on(client().send_async(&answer, &GetMe::new())).unwrap();
    assert_eq!(me.first_name, "Async");
}

/// A transport of our own, as a third party would write one: it streams file chunks through
/// the core's body reader and reports through the context.
struct Recording;

impl BlockingTransport for Recording {
    type Error = botapi_proto::TransportError;

    fn round_trip(
        &self,
        request: http::Request<Body>,
        call: &CallContext,
    ) -> Result<http::Response<Bytes>, Error<Self::Error>> {
        let (_, body) = request.into_parts();
        let mut reader = BodyReader::<io::Empty>::open(&body, call, |path| {
            Err(io::Error::new(
                io::ErrorKind::NotFound,
                format!("{} is gone", path.display()),
            ))
        })?;
        let mut sink = Vec::new();
        io::copy(&mut reader, &mut sink)
            .map_err(|e| call.transport_error(TransportErrorKind::Io, &e.to_string()))?;
        Ok(http::Response::new(Bytes::new()))
    }
}

#[test]
fn a_file_that_cannot_be_opened_fails_before_anything_is_sent() {
    let upload = SendDocument::new(1, InputFile::path(format!("/tmp/{SECRET}/doc.bin")));
    match client().send(&Recording, &upload) {
        Err(Error::Transport(e)) => {
            assert_eq!(e.kind(), TransportErrorKind::File);
            assert!(!e.may_have_reached_server());
            assert!(
                e.to_string().starts_with("sendDocument: cannot read "),
                "{e}"
            );
            assert_clean(&e.to_string());
        }
        other => panic!("{other:?}"),
    }
    // The async opener reports the same way.
    let (request, pending) = client().prepare(&upload).unwrap();
    let opened = block_on(BodyParts::<()>::open_async(
        request.body(),
        pending.context(),
        |_| async { Err(io::Error::from(io::ErrorKind::PermissionDenied)) },
    ));
    assert_eq!(opened.unwrap_err().kind(), TransportErrorKind::File);
}

/// Just enough of an executor for futures that never wait.
fn block_on<F: std::future::Future>(future: F) -> F::Output {
    use std::task::{Context, Poll, Waker};
    let mut future = std::pin::pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(out) = future.as_mut().poll(&mut cx) {
            return out;
        }
    }
}

// The async trait is usable as a bound.
#[allow(dead_code)]
async fn generic_over_async<T: AsyncTransport>(
    client: &Client,
    t: &T,
) -> Result<botapi_proto::SmallString, Error<T::Error>> {
    Ok(client.send_async(t, &GetMe::new()).await?.first_name)
}
