//! The server itself: starting from sync and async code, stopping, keep-alive, HTTP/2
//! without TLS, many clients at once, and hostile input that must not bring it down.

mod support;

use std::io::{Read, Write};
use std::net::{Shutdown, TcpStream};
use std::time::Duration;

use botapi_emulator::{DEFAULT_TOKEN, Emulator};
use http_body_util::{BodyExt, Empty};
use hyper_util::rt::{TokioExecutor, TokioIo};
use support::*;

#[test]
fn handles_can_be_shared_across_threads() {
    fn shareable<T: Send + Sync + 'static>() {}
    shareable::<Emulator>();
    shareable::<botapi_emulator::Builder>();
    shareable::<botapi_emulator::Fault>();
    shareable::<botapi_emulator::RecordedRequest>();
}

fn assert_alive(emulator: &Emulator) {
    let answer = post(emulator.addr(), &path(DEFAULT_TOKEN, "getMe"));
    assert_eq!(answer.result()["id"], 1234567890);
}

#[test]
fn keep_alive_serves_several_requests_on_one_connection() {
    let emulator = Emulator::start().unwrap();
    let mut stream = TcpStream::connect(emulator.addr()).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let one = format!(
        "POST {} HTTP/1.1\r\nhost: e\r\ncontent-length: 0\r\n\r\n",
        path(DEFAULT_TOKEN, "getMe")
    );
    let last = format!(
        "GET {} HTTP/1.1\r\nhost: e\r\nconnection: close\r\n\r\n",
        path(DEFAULT_TOKEN, "close")
    );
    stream
        .write_all(format!("{one}{one}{last}").as_bytes())
        .unwrap();
    let mut received = String::new();
    stream.read_to_string(&mut received).unwrap();
    assert_eq!(received.matches("HTTP/1.1 200 OK").count(), 3, "{received}");
    assert_eq!(emulator.requests().len(), 3);
}

#[test]
fn dropping_the_emulator_closes_connections_and_the_port() {
    let emulator = Emulator::start().unwrap();
    let addr = emulator.addr();
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let request = format!(
        "POST {} HTTP/1.1\r\nhost: e\r\ncontent-length: 0\r\n\r\n",
        path(DEFAULT_TOKEN, "getMe")
    );
    stream.write_all(request.as_bytes()).unwrap();
    let mut buffer = [0u8; 4096];
    assert!(stream.read(&mut buffer).unwrap() > 0);
    emulator.stop();
    // The idle keep-alive connection is closed, not left hanging.
    let mut rest = Vec::new();
    let _ = stream.read_to_end(&mut rest);
    assert!(TcpStream::connect_timeout(&addr, Duration::from_secs(2)).is_err());
}

#[tokio::test(flavor = "current_thread")]
async fn starts_and_stops_inside_a_current_thread_runtime() {
    let emulator = Emulator::start().unwrap();
    let answer = async_get_me(&emulator).await;
    assert!(answer.starts_with("HTTP/1.1 200 OK"), "{answer}");
    drop(emulator);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn starts_and_stops_inside_a_multi_thread_runtime() {
    let emulator = Emulator::start().unwrap();
    let answer = async_get_me(&emulator).await;
    assert!(answer.contains("\"username\":\"emulator_bot\""), "{answer}");
    emulator.stop();
}

async fn async_get_me(emulator: &Emulator) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(emulator.addr())
        .await
        .unwrap();
    let request = format!(
        "GET {} HTTP/1.1\r\nhost: e\r\nconnection: close\r\n\r\n",
        path(DEFAULT_TOKEN, "getMe")
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    answer
}

#[tokio::test]
async fn speaks_http2_without_tls() {
    let emulator = Emulator::start().unwrap();
    let stream = tokio::net::TcpStream::connect(emulator.addr())
        .await
        .unwrap();
    let (mut sender, connection) =
        hyper::client::conn::http2::handshake(TokioExecutor::new(), TokioIo::new(stream))
            .await
            .unwrap();
    tokio::spawn(connection);
    let uri = format!("{}{}", emulator.api_url(), path(DEFAULT_TOKEN, "getMe"));
    let request = http::Request::post(uri)
        .body(Empty::<bytes::Bytes>::new())
        .unwrap();
    let response = sender.send_request(request).await.unwrap();
    assert_eq!(response.status(), 200);
    let body = response.into_body().collect().await.unwrap().to_bytes();
    let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(json["result"]["id"], 1234567890);
}

#[test]
fn many_clients_at_once() {
    let emulator = Emulator::start().unwrap();
    let addr = emulator.addr();
    let threads: Vec<_> = (0..16)
        .map(|_| {
            std::thread::spawn(move || {
                for _ in 0..10 {
                    let answer = post(addr, &path(DEFAULT_TOKEN, "getMe"));
                    assert_eq!(answer.status, 200);
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().unwrap();
    }
    assert_eq!(emulator.requests().len(), 160);
}

/// A small deterministic generator, so a failure can be replayed.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, options: &[&'a str]) -> &'a str {
        options[self.below(options.len())]
    }

    fn bytes(&mut self, max: usize) -> Vec<u8> {
        let len = self.below(max + 1);
        (0..len).map(|_| self.next() as u8).collect()
    }
}

/// Sends `raw` and reads whatever comes back, with a short timeout; errors are expected.
fn throw(addr: std::net::SocketAddr, raw: &[u8]) {
    let Ok(mut stream) = TcpStream::connect(addr) else {
        return;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let _ = stream.write_all(raw);
    let _ = stream.shutdown(Shutdown::Write);
    let mut sink = Vec::new();
    let _ = stream.read_to_end(&mut sink);
}

#[test]
fn hostile_input_never_brings_it_down() {
    let emulator = Emulator::start().unwrap();
    let addr = emulator.addr();
    let mut rng = XorShift(0x9e37_79b9_7f4a_7c15);
    let token_path = path(DEFAULT_TOKEN, "setWebhook");
    let paths = [
        token_path.as_str(),
        "/bot",
        "/bot1:/getMe",
        "/bot%00/getMe",
        "/bot1:a/%ff",
        "/file/bot1:a/x",
        "//////",
        "/bot99999999999999999999999:abc/getMe",
        "*",
    ];
    let content_types = [
        "application/json",
        "multipart/form-data; boundary=zz",
        "multipart/form-data; boundary=",
        "multipart/form-data",
        "application/x-www-form-urlencoded",
        "text/plain",
        "application/json; charset=\u{7f}",
    ];
    let bodies: [&[u8]; 8] = [
        b"",
        b"{",
        b"{\"url\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]}",
        b"--zz\r\nContent-Disposition: form-data; name=\"url\"\r\n\r\nhttps://x/\r\n--zz--",
        b"--zz\r\nContent-Disposition: form-data\r\n\r\nx\r\n--zz--",
        b"--zz\r\n\r\n\r\n--zz",
        b"url=%%%%&&&===&max_connections=99999999999999999999",
        b"\xff\xfe\x00\x01",
    ];
    for round in 0..300 {
        let raw = match round % 4 {
            // Plausible requests with odd parts.
            0 | 1 => {
                let mut body = bodies[rng.below(bodies.len())].to_vec();
                body.extend(rng.bytes(if round % 2 == 0 { 0 } else { 64 }));
                let declared = match rng.below(4) {
                    0 => body.len().to_string(),
                    1 => (body.len() + rng.below(10)).to_string(),
                    2 => "-1".to_owned(),
                    _ => "18446744073709551616".to_owned(),
                };
                let mut raw = format!(
                    "{} {} HTTP/1.1\r\nhost: e\r\ncontent-type: {}\r\ncontent-length: {declared}\r\n\r\n",
                    rng.pick(&["POST", "GET", "PUT", "HEAD", "OPTIONS", "BREW"]),
                    rng.pick(&paths),
                    rng.pick(&content_types),
                )
                .into_bytes();
                raw.extend(body);
                raw
            }
            // Chunked bodies, some broken.
            2 => {
                let mut raw = format!(
                    "POST {} HTTP/1.1\r\nhost: e\r\ntransfer-encoding: chunked\r\ncontent-type: application/json\r\n\r\n",
                    rng.pick(&paths)
                )
                .into_bytes();
                raw.extend_from_slice(
                    rng.pick(&[
                        "5\r\n{\"a\":\r\n0\r\n\r\n",
                        "zz\r\n",
                        "ffffffffffffffff\r\nx",
                        "3\r\n{}}\r\n",
                    ])
                    .as_bytes(),
                );
                raw
            }
            // Pure noise.
            _ => rng.bytes(512),
        };
        throw(addr, &raw);
    }
    // Headers far too large, and a preface of HTTP/2 cut short.
    let mut huge = b"GET / HTTP/1.1\r\nx: ".to_vec();
    huge.extend(std::iter::repeat_n(b'a', 1024 * 1024));
    throw(addr, &huge);
    throw(addr, b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00");
    assert_alive(&emulator);
}

#[test]
fn a_client_that_stalls_does_not_block_others() {
    let emulator = Emulator::start().unwrap();
    let mut stalled = TcpStream::connect(emulator.addr()).unwrap();
    stalled
        .write_all(b"POST /bot1:a/getMe HTTP/1.1\r\nhost: e\r\ncontent-length: 100\r\n\r\n{")
        .unwrap();
    let mut half_headers = TcpStream::connect(emulator.addr()).unwrap();
    half_headers
        .write_all(b"GET /bot1:a/getMe HTTP/1.1\r\nhos")
        .unwrap();
    assert_alive(&emulator);
}
