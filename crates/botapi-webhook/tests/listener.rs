//! The listener over real sockets: every answer, replies, stalled clients, many connections,
//! HTTPS, and a clean stop.

use std::sync::Arc;
use std::time::{Duration, Instant};

use botapi_proto::methods::SendMessage;
use botapi_webhook::{
    Listener, ListenerRules, PolledUpdate, SECRET_HEADER, Timeouts, WebhookReply, WebhookSecret,
    channel,
};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;

const SECRET: &str = "SENTINEL_webhook-secret";

fn rules() -> ListenerRules {
    ListenerRules::new(Some(WebhookSecret::new(SECRET).unwrap())).max_body(4096)
}

fn post(body: &str, secret: Option<&str>) -> Vec<u8> {
    let secret = secret.map_or(String::new(), |s| format!("{SECRET_HEADER}: {s}\r\n"));
    format!(
        "POST /hook HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\n{secret}Content-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// Sends raw bytes and reads the whole answer (the request asks to close).
async fn exchange<S: AsyncRead + AsyncWrite + Unpin>(
    mut stream: S,
    request: &[u8],
) -> (u16, String) {
    stream.write_all(request).await.unwrap();
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer).await;
    let text = String::from_utf8_lossy(&answer).into_owned();
    let status = text.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map_or("", |(_, b)| b)
        .to_owned();
    (status, body)
}

async fn send(addr: std::net::SocketAddr, request: impl AsRef<[u8]>) -> (u16, String) {
    exchange(TcpStream::connect(addr).await.unwrap(), request.as_ref()).await
}

#[tokio::test]
async fn every_kind_of_request_gets_its_answer() {
    let listener = Listener::bind("127.0.0.1:0", rules()).await.unwrap();
    let (handler, mut updates) = channel(16);
    let running = listener.spawn(handler);
    let addr = running.local_addr();
    let update = r#"{"update_id":7,"message":{"message_id":1,"date":0,"chat":{"id":5,"type":"private"},"text":"hi"}}"#;

    assert_eq!(send(addr, &post(update, Some(SECRET))).await.0, 200);
    let got = updates.recv().await.unwrap();
    assert!(matches!(got, PolledUpdate::Update(ref u) if u.update_id == 7));

    let (status, body) = send(addr, &post(update, Some("SENTINEL_wrong"))).await;
    assert_eq!(status, 401);
    assert!(!body.contains("SENTINEL"), "{body}");
    assert_eq!(send(addr, &post(update, None)).await.0, 401);
    assert_eq!(send(addr, &post("<html>", Some(SECRET))).await.0, 400);
    assert_eq!(send(addr, &post("[1,2]", Some(SECRET))).await.0, 400);
    assert_eq!(
        send(addr, &post(&"x".repeat(5000), Some(SECRET))).await.0,
        413
    );
    let get = b"GET /hook HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    assert_eq!(send(addr, get).await.0, 405);
    // A chunked body that grows past the limit, with no Content-Length to refuse it early.
    let mut chunked = format!(
        "POST /hook HTTP/1.1\r\nHost: x\r\nConnection: close\r\n{SECRET_HEADER}: {SECRET}\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    .into_bytes();
    for _ in 0..5 {
        chunked.extend_from_slice(format!("400\r\n{}\r\n", "y".repeat(1024)).as_bytes());
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    assert_eq!(send(addr, &chunked).await.0, 413);
    // An unreadable update is accepted: refusing it would make Telegram resend it forever.
    assert_eq!(
        send(
            addr,
            &post(r#"{"update_id":8,"message":{"chat":1}}"#, Some(SECRET))
        )
        .await
        .0,
        200
    );
    assert!(matches!(
        updates.recv().await.unwrap(),
        PolledUpdate::Unreadable(_)
    ));

    drop(updates);
    assert_eq!(
        send(addr, &post(update, Some(SECRET))).await.0,
        503,
        "nobody takes updates"
    );
    running.stop().await;
    assert!(TcpStream::connect(addr).await.is_err(), "stopped listening");
}

#[tokio::test]
async fn a_handler_can_answer_with_a_method_call() {
    let listener = Listener::bind("127.0.0.1:0", ListenerRules::new(None))
        .await
        .unwrap();
    let running = listener.spawn(|update: PolledUpdate| async move {
        let chat = update.update_id().unwrap_or_default();
        Ok(Some(
            WebhookReply::new(&SendMessage::new(chat, "pong")).unwrap(),
        ))
    });
    let (status, body) = send(running.local_addr(), &post(r#"{"update_id":99}"#, None)).await;
    assert_eq!(status, 200);
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"method": "sendMessage", "chat_id": 99, "text": "pong"})
    );
    running.stop().await;
}

#[tokio::test]
async fn a_stalled_client_holds_nobody_up_and_is_dropped() {
    let listener = Listener::bind("127.0.0.1:0", rules())
        .await
        .unwrap()
        .timeouts(Timeouts::all(Duration::from_millis(300)));
    let (handler, mut updates) = channel(64);
    let running = listener.spawn(handler);
    let addr = running.local_addr();
    // One client sends half a head, another a head and half a body, then both go quiet.
    let mut half_head = TcpStream::connect(addr).await.unwrap();
    half_head
        .write_all(b"POST /hook HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let mut half_body = TcpStream::connect(addr).await.unwrap();
    let request = post(r#"{"update_id":1}"#, Some(SECRET));
    half_body
        .write_all(&request[..request.len() - 5])
        .await
        .unwrap();

    let started = Instant::now();
    let tasks: Vec<_> = (0..20)
        .map(|i| {
            tokio::spawn(send(
                addr,
                post(&format!(r#"{{"update_id":{i}}}"#), Some(SECRET)),
            ))
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap().0, 200);
    }
    assert!(
        started.elapsed() < Duration::from_millis(250),
        "others waited: {:?}",
        started.elapsed()
    );
    let mut ids: Vec<_> = (0..20)
        .map(|_| updates.try_recv().unwrap().update_id().unwrap())
        .collect();
    ids.sort_unstable();
    assert_eq!(ids, (0..20).collect::<Vec<i64>>());

    // Both stalled connections are closed by the timeouts (the half body gets 408).
    let mut rest = Vec::new();
    let closed =
        tokio::time::timeout(Duration::from_secs(3), half_head.read_to_end(&mut rest)).await;
    assert!(closed.is_ok(), "a half head is dropped");
    let (status, _) = tokio::time::timeout(Duration::from_secs(3), exchange(half_body, b""))
        .await
        .unwrap();
    assert_eq!(status, 408);
    running.stop().await;
}

#[tokio::test]
async fn stop_lets_a_request_in_flight_finish() {
    let listener = Listener::bind("127.0.0.1:0", ListenerRules::new(None))
        .await
        .unwrap();
    let running = listener.spawn(|_update: PolledUpdate| async move {
        tokio::time::sleep(Duration::from_millis(300)).await;
        Ok(None)
    });
    let addr = running.local_addr();
    let in_flight = tokio::spawn(send(addr, post(r#"{"update_id":1}"#, None)));
    tokio::time::sleep(Duration::from_millis(100)).await;
    running.stop().await;
    assert_eq!(in_flight.await.unwrap().0, 200);
}

#[tokio::test]
async fn https_with_a_pem_certificate() {
    let data = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data");
    let listener = Listener::bind("127.0.0.1:0", rules())
        .await
        .unwrap()
        .tls_pem_files(
            format!("{data}/cert.pem").as_ref(),
            format!("{data}/key.pem").as_ref(),
        )
        .unwrap();
    assert!(listener.url().starts_with("https://127.0.0.1:"));
    let (handler, mut updates) = channel(4);
    let running = listener.spawn(handler);

    let cert = std::fs::read(format!("{data}/cert.pem")).unwrap();
    let mut roots = rustls::RootCertStore::empty();
    use rustls::pki_types::pem::PemObject;
    for cert in rustls::pki_types::CertificateDer::pem_slice_iter(&cert) {
        roots.add(cert.unwrap()).unwrap();
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let tcp = TcpStream::connect(running.local_addr()).await.unwrap();
    let name = rustls::pki_types::ServerName::try_from("localhost").unwrap();
    let tls = connector.connect(name, tcp).await.unwrap();
    let (status, _) = exchange(tls, &post(r#"{"update_id":3}"#, Some(SECRET))).await;
    assert_eq!(status, 200);
    assert_eq!(updates.recv().await.unwrap().update_id(), Some(3));

    // Plain HTTP to the TLS port gets nowhere, and holds nothing up.
    let (status, _) = send(running.local_addr(), &post("{}", Some(SECRET))).await;
    assert_eq!(status, 0);
    running.stop().await;
}

#[test]
fn bad_pem_files_are_typed_errors_without_their_content() {
    let key = b"-----BEGIN PRIVATE KEY-----\nSENTINELSENTINEL\n-----END PRIVATE KEY-----\n";
    let cert = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/cert.pem")).unwrap();
    let e = botapi_webhook::tls_config_from_pem(&cert, key).unwrap_err();
    assert!(!format!("{e} {e:?}").contains("SENTINEL"), "{e}");
    let e = botapi_webhook::tls_config_from_pem(b"nothing", key).unwrap_err();
    assert!(matches!(e, botapi_webhook::TlsError::Certificate(_)), "{e}");
}
