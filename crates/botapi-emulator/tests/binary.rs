//! The `botapi-emulator` binary starts, prints where it listens, answers, and never prints a
//! token it was given.

mod support;

use std::io::{BufRead, BufReader, Read};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};

use botapi_emulator::DEFAULT_TOKEN;
use support::*;

const BINARY: &str = env!("CARGO_BIN_EXE_botapi-emulator");

/// A running binary, killed when dropped.
struct Running {
    child: Child,
    addr: SocketAddr,
    /// The lines printed after the first.
    banner: Vec<String>,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn run(args: &[&str]) -> Running {
    let mut child = Command::new(BINARY)
        .args(["--port", "0"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    let url = first.trim();
    let addr: SocketAddr = url
        .strip_prefix("http://")
        .unwrap_or_else(|| panic!("first line is not a URL: {first:?}"))
        .parse()
        .unwrap();
    // The banner ends with the line that says how to stop it.
    let mut banner = Vec::new();
    loop {
        let mut line = String::new();
        if stdout.read_line(&mut line).unwrap() == 0 {
            break;
        }
        let done = line.contains("Ctrl-C");
        banner.push(line);
        if done {
            break;
        }
    }
    Running {
        child,
        addr,
        banner,
    }
}

#[test]
fn starts_prints_its_url_and_answers_get_me() {
    let running = run(&[]);
    assert!(running.addr.ip().is_loopback());
    assert_ne!(running.addr.port(), 0);
    assert!(
        running.banner.iter().any(|l| l.contains(DEFAULT_TOKEN)),
        "the public test token is printed: {:?}",
        running.banner
    );
    let answer = post(running.addr, &path(DEFAULT_TOKEN, "getMe"));
    assert_eq!(answer.result()["username"], "emulator_bot");
    post(running.addr, &path("1:other", "getMe")).assert_error(401, "Unauthorized");
}

#[test]
fn registers_given_tokens_and_never_prints_them() {
    let secret = "SENTINELsecret_binary";
    let (one, two) = (format!("4242:{secret}"), format!("4343:{secret}"));
    let mut running = run(&[
        "--token",
        &one,
        &format!("--token={two}"),
        "--logout-lockout",
        "1",
    ]);
    assert_eq!(
        post(running.addr, &path(&one, "getMe")).result()["id"],
        4242
    );
    assert_eq!(
        post(running.addr, &path(&two, "getMe")).result()["username"],
        "emulator_4343_bot"
    );
    post(running.addr, &path(DEFAULT_TOKEN, "getMe")).assert_error(401, "Unauthorized");
    assert_eq!(post(running.addr, &path(&one, "logOut")).result(), true);
    post(running.addr, &path(&one, "getMe")).assert_error(401, "Unauthorized");

    let banner = running.banner.concat();
    assert!(
        banner.contains("4242") && banner.contains("4343"),
        "{banner}"
    );
    let _ = running.child.kill();
    let mut rest = String::new();
    running
        .child
        .stdout
        .take()
        .map(|mut s| s.read_to_string(&mut rest));
    running
        .child
        .stderr
        .take()
        .map(|mut s| s.read_to_string(&mut rest));
    for text in [banner, rest] {
        assert!(!text.contains(secret), "{text}");
    }
}

#[test]
fn bad_arguments_exit_with_usage_and_no_secret() {
    let output = Command::new(BINARY)
        .args(["--token", "12:SENTINEL/secret"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("usage: botapi-emulator"), "{stderr}");
    assert!(!stderr.contains("SENTINEL"), "{stderr}");
    assert!(output.stdout.is_empty());

    let output = Command::new(BINARY).arg("--frobnicate").output().unwrap();
    assert_eq!(output.status.code(), Some(2));

    let help = Command::new(BINARY).arg("--help").output().unwrap();
    assert!(help.status.success());
    assert!(String::from_utf8_lossy(&help.stdout).contains("--logout-lockout"));
}

#[test]
fn a_busy_port_is_a_clear_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let output = Command::new(BINARY)
        .args(["--port", &port])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("cannot listen on 127.0.0.1:"), "{stderr}");
}
