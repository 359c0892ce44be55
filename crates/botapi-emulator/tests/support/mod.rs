//! A tiny raw HTTP/1.1 client over a std `TcpStream`, so the tests see exactly what the
//! emulator puts on the wire (no adapter, no HTTP library in between).
#![allow(dead_code)]

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use serde_json::Value;

/// What came back on a connection.
#[derive(Debug)]
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(String, String)>,
    /// The body bytes received (de-chunked when chunked).
    pub(crate) body: Vec<u8>,
    /// `Content-Length`, when the server sent one.
    pub(crate) declared_length: Option<usize>,
}

impl Answer {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body as JSON; panics (failing the test) when it is not.
    pub(crate) fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "not JSON ({e}): {:?}",
                String::from_utf8_lossy(&self.body[..self.body.len().min(200)])
            )
        })
    }

    /// Asserts an error envelope with this code and description, HTTP status equal to the
    /// code, and `application/json`.
    pub(crate) fn assert_error(&self, code: u16, description: &str) {
        assert_eq!(
            self.status,
            code,
            "{:?}",
            String::from_utf8_lossy(&self.body)
        );
        assert_eq!(self.header("content-type"), Some("application/json"));
        let json = self.json();
        assert_eq!(json["ok"], false);
        assert_eq!(json["error_code"], code);
        assert_eq!(json["description"], description);
    }

    /// Asserts a 200 envelope and returns its result.
    pub(crate) fn result(&self) -> Value {
        assert_eq!(
            self.status,
            200,
            "{:?}",
            String::from_utf8_lossy(&self.body)
        );
        assert_eq!(self.header("content-type"), Some("application/json"));
        let json = self.json();
        assert_eq!(json["ok"], true, "{json}");
        json["result"].clone()
    }
}

/// `/bot<token>/<method>`.
pub(crate) fn path(token: &str, method: &str) -> String {
    format!("/bot{token}/{method}")
}

/// Sends raw bytes on a new connection and reads everything until the server closes it.
/// An answer with no bytes at all is an `UnexpectedEof` error.
pub(crate) fn send_raw(addr: SocketAddr, raw: &[u8]) -> io::Result<Answer> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(Duration::from_secs(20)))?;
    stream.write_all(raw)?;
    let mut received = Vec::new();
    // A reset after some bytes arrived still leaves those bytes to look at.
    if let Err(e) = stream.read_to_end(&mut received)
        && received.is_empty()
    {
        return Err(e);
    }
    parse(&received)
}

/// Sends one request with `connection: close` and a `content-length`.
pub(crate) fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> io::Result<Answer> {
    send_raw(addr, &build(method, path, headers, body))
}

pub(crate) fn build(method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut raw = format!("{method} {path} HTTP/1.1\r\nhost: emulator\r\nconnection: close\r\n");
    for (name, value) in headers {
        raw += &format!("{name}: {value}\r\n");
    }
    raw += &format!("content-length: {}\r\n\r\n", body.len());
    let mut raw = raw.into_bytes();
    raw.extend_from_slice(body);
    raw
}

pub(crate) fn get(addr: SocketAddr, path: &str) -> Answer {
    request(addr, "GET", path, &[], b"").unwrap()
}

pub(crate) fn post(addr: SocketAddr, path: &str) -> Answer {
    request(addr, "POST", path, &[], b"").unwrap()
}

pub(crate) fn post_json(addr: SocketAddr, path: &str, json: &Value) -> Answer {
    let body = serde_json::to_vec(json).unwrap();
    request(
        addr,
        "POST",
        path,
        &[("content-type", "application/json")],
        &body,
    )
    .unwrap()
}

/// Sends a request built by the core client (`botapi_proto::Client::encode`).
pub(crate) fn send_encoded(addr: SocketAddr, encoded: botapi_proto::Request) -> Answer {
    let http = encoded.into_http();
    let body = http.body().to_vec().expect("an in-memory body");
    let headers: Vec<(String, String)> = http
        .headers()
        .iter()
        .map(|(n, v)| (n.as_str().to_owned(), v.to_str().unwrap().to_owned()))
        .collect();
    let headers: Vec<(&str, &str)> = headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let path = http.uri().path_and_query().unwrap().as_str();
    request(addr, http.method().as_str(), path, &headers, &body).unwrap()
}

fn parse(raw: &[u8]) -> io::Result<Answer> {
    let bad = |what: &str| io::Error::new(io::ErrorKind::InvalidData, what.to_owned());
    let split = find(raw, b"\r\n\r\n").ok_or_else(|| bad("no end of headers"))?;
    let head = std::str::from_utf8(&raw[..split]).map_err(|_| bad("head not UTF-8"))?;
    let mut lines = head.split("\r\n");
    let status_line = lines.next().ok_or_else(|| bad("no status line"))?;
    let status = status_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| bad("no status"))?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let rest = &raw[split + 4..];
    let header = |name: &str| headers.iter().find(|(n, _)| n == name).map(|(_, v)| v);
    let declared_length = header("content-length").and_then(|v| v.parse().ok());
    let body = if header("transfer-encoding").is_some_and(|v| v.contains("chunked")) {
        dechunk(rest)
    } else {
        rest.to_vec()
    };
    Ok(Answer {
        status,
        headers,
        body,
        declared_length,
    })
}

fn dechunk(mut raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = find(raw, b"\r\n") {
        let size = std::str::from_utf8(&raw[..eol])
            .ok()
            .and_then(|s| usize::from_str_radix(s.split(';').next().unwrap_or("").trim(), 16).ok());
        let Some(size) = size.filter(|&n| n > 0) else {
            break;
        };
        let start = eol + 2;
        let end = (start + size).min(raw.len());
        out.extend_from_slice(&raw[start..end]);
        raw = raw.get(end + 2..).unwrap_or_default();
    }
    out
}

pub(crate) fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
