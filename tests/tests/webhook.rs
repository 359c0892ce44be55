//! The webhook path end to end: the emulator delivers 1,000 updates to a listener over up to
//! 20 connections while strangers send bad secrets, garbage, oversized bodies and a stalled
//! connection; each update is taken exactly once, refusals are retried, and a method in an
//! answer is executed.

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use botapi_hyper::webhook::{
    Listener, ListenerRules, PolledUpdate, SECRET_HEADER, WebhookError, WebhookReply, WebhookSecret,
};
use botapi_proto::methods::{GetWebhookInfo, SendMessage, SetWebhook};
use botapi_tests::Emulator;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const UPDATES: i64 = 1_000;
const SECRET: &str = "SENTINEL_delivery-secret";

async fn raw(addr: std::net::SocketAddr, request: Vec<u8>) -> u16 {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream.write_all(&request).await.unwrap();
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer).await;
    String::from_utf8_lossy(&answer)
        .get(9..12)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

fn post(body: &[u8], secret: &str) -> Vec<u8> {
    let mut request = format!(
        "POST /hook HTTP/1.1\r\nHost: x\r\nConnection: close\r\n{SECRET_HEADER}: {secret}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    request.extend_from_slice(body);
    request
}

#[test]
fn a_thousand_updates_arrive_exactly_once_among_strangers() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let emulator = Emulator::builder().deliver_webhooks(true).start().unwrap();
    let client = botapi_ureq::Client::new(emulator.client());

    let received = Arc::new(Mutex::new(Vec::new()));
    let (busy, peak) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let refused_once = Arc::new(Mutex::new(HashSet::new()));
    let handler = {
        let (received, busy, peak, refused_once) = (
            received.clone(),
            busy.clone(),
            peak.clone(),
            refused_once.clone(),
        );
        move |update: PolledUpdate| {
            let (received, busy, peak, refused_once) = (
                received.clone(),
                busy.clone(),
                peak.clone(),
                refused_once.clone(),
            );
            async move {
                let id = update.update_id().unwrap();
                // Every 50th update is refused on its first delivery: Telegram sends it again.
                if id % 50 == 0 && refused_once.lock().unwrap().insert(id) {
                    return Err(WebhookError::NotReceiving);
                }
                let now = busy.fetch_add(1, Ordering::SeqCst) + 1;
                peak.fetch_max(now, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(2)).await;
                busy.fetch_sub(1, Ordering::SeqCst);
                received.lock().unwrap().push(id);
                if id == 7 {
                    return Ok(Some(
                        WebhookReply::new(&SendMessage::new(42, "answered in the reply")).unwrap(),
                    ));
                }
                Ok(None)
            }
        }
    };
    let rules = ListenerRules::new(Some(WebhookSecret::new(SECRET).unwrap())).max_body(64 * 1024);
    let running = runtime.block_on(async {
        Listener::bind("127.0.0.1:0", rules)
            .await
            .unwrap()
            .spawn(handler)
    });
    let addr = running.local_addr();

    let url = format!("{}/hook", running.url());
    let set = SetWebhook::new(url)
        .secret_token(SECRET)
        .max_connections(20);
    assert!(client.send(&set).unwrap());
    for i in 0..UPDATES {
        let message = json!({"message_id": i, "date": 0, "chat": {"id": 42, "type": "private"}, "text": "hi"});
        emulator.push_update(json!({ "message": message }));
    }

    // Strangers, meanwhile: each is refused, and none holds up the deliveries.
    let strangers = runtime.spawn(async move {
        let mut stalled = TcpStream::connect(addr).await.unwrap();
        stalled
            .write_all(b"POST /hook HTTP/1.1\r\nHost: x\r\n")
            .await
            .unwrap();
        let mut statuses = Vec::new();
        for i in 0..20 {
            statuses.push(
                raw(
                    addr,
                    post(br#"{"update_id":1}"#, &format!("SENTINEL_wrong{i}")),
                )
                .await,
            );
            statuses.push(raw(addr, post(b"<html>garbage</html>", SECRET)).await);
            statuses.push(raw(addr, post(&vec![b'{'; 70 * 1024], SECRET)).await);
        }
        drop(stalled);
        statuses
    });

    let started = Instant::now();
    while received.lock().unwrap().len() < UPDATES as usize {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "only {} arrived",
            received.lock().unwrap().len()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let statuses = runtime.block_on(strangers).unwrap();
    assert_eq!(
        statuses.iter().filter(|s| **s == 401).count(),
        20,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 400).count(),
        20,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 413).count(),
        20,
        "{statuses:?}"
    );

    std::thread::sleep(Duration::from_millis(200));
    let mut ids = received.lock().unwrap().clone();
    assert_eq!(ids.len(), UPDATES as usize, "nothing arrived twice");
    ids.sort_unstable();
    assert_eq!(ids, (1..=UPDATES).collect::<Vec<_>>());
    assert_eq!(refused_once.lock().unwrap().len(), (UPDATES / 50) as usize);
    let peak = peak.load(Ordering::SeqCst);
    assert!(
        (2..=20).contains(&peak),
        "at most max_connections at once, got {peak}"
    );
    let info = client.send(&GetWebhookInfo::new()).unwrap();
    assert_eq!(info.pending_update_count, 0);

    let answered: Vec<_> = emulator
        .requests()
        .into_iter()
        .filter(|r| r.http_method == "WEBHOOK-ANSWER")
        .collect();
    assert_eq!(answered.len(), 1);
    assert_eq!(answered[0].method, "sendMessage");
    assert_eq!(
        answered[0].param("text"),
        Some(&json!("answered in the reply"))
    );
    runtime.block_on(running.stop());
}
