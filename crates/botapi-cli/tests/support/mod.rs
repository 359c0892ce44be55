//! Runs the built `botapi` binary against an emulator in the test process, and checks on
//! every run that no token secret and no panic reached its output.

#![allow(dead_code, unreachable_pub)] // Each test file uses a different part of this.

use std::process::Command;
use std::time::{Duration, Instant};

use botapi_emulator::Emulator;
use botapi_proto::types::User;

/// Every secret used in these tests starts with this, and nothing else prints it.
pub const SECRET_MARK: &str = "SENTINEL";
/// The token the emulator knows.
pub const TOKEN: &str = "4242424242:SENTINELsecret_XYZ-abc";
/// A well-formed token no bot has.
pub const WRONG_TOKEN: &str = "4242424243:SENTINELwrong_XYZ-abc";
/// The bot's id: 2^53 + 1, which a trip through f64 would change.
pub const BOT_ID: i64 = 9_007_199_254_740_993;
/// A supergroup id that also needs all 64 bits.
pub const SUPERGROUP_ID: i64 = -1_009_007_199_254_740_993;
/// Both transports, as `--transport` takes them.
pub const TRANSPORTS: [&str; 2] = ["ureq", "hyper"];

/// The emulator's public demo token's secret, which must not be printed either.
fn demo_secret() -> &'static str {
    let token = botapi_emulator::DEFAULT_TOKEN;
    &token[token.find(':').expect("a token has a colon") + 1..]
}

/// An emulator serving one bot under [`TOKEN`], without the ten-minute lockout after logOut.
pub fn emulator() -> Emulator {
    let mut bot = User::new(BOT_ID, true, "Sentinel Checker");
    bot.username = Some("sentinel_checker_bot".into());
    bot.can_join_groups = Some(true);
    bot.supports_inline_queries = Some(false);
    Emulator::builder()
        .bot(TOKEN.parse().expect("a valid token"), bot)
        .logout_lockout(Duration::ZERO)
        .start()
        .expect("the emulator starts on loopback")
}

/// What one run of `botapi` did.
#[derive(Debug)]
pub struct Run {
    /// The exit status.
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
}

impl Run {
    /// stdout as the one JSON document it must be.
    pub fn json(&self) -> serde_json::Value {
        assert_eq!(
            self.stdout.trim_end().lines().count(),
            1,
            "one JSON document on one line: {self:#?}"
        );
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("{e}: {self:#?}"))
    }

    /// Asserts the exit status, showing everything when it differs.
    pub fn expect_status(&self, status: i32) -> &Self {
        assert_eq!(self.status, status, "{self:#?}");
        self
    }

    /// Asserts stderr is exactly one line starting with `error: ` and containing `part`.
    pub fn expect_error_line(&self, part: &str) -> &Self {
        let lines: Vec<&str> = self.stderr.lines().collect();
        assert_eq!(lines.len(), 1, "one line on stderr: {self:#?}");
        assert!(lines[0].starts_with("error: "), "{self:#?}");
        assert!(lines[0].contains(part), "expected {part:?} in: {self:#?}");
        self
    }
}

/// Runs `botapi args…` with `token` (if any) in `TELEGRAM_BOT_TOKEN`.
pub fn botapi<S: AsRef<std::ffi::OsStr>>(args: &[S], token: Option<&str>) -> Run {
    botapi_in(None, args, token)
}

/// [`botapi`] in the directory `cwd`.
pub fn botapi_in<S: AsRef<std::ffi::OsStr>>(
    cwd: Option<&std::path::Path>,
    args: &[S],
    token: Option<&str>,
) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_botapi"));
    command.args(args).env_remove("TELEGRAM_BOT_TOKEN");
    if let Some(cwd) = cwd {
        command.current_dir(cwd);
    }
    if let Some(token) = token {
        command.env("TELEGRAM_BOT_TOKEN", token);
    }
    let start = Instant::now();
    let output = command.output().expect("botapi runs");
    checked(Run {
        status: output
            .status
            .code()
            .expect("botapi exited rather than being killed"),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
        elapsed: start.elapsed(),
    })
}

/// Checks a finished run for secrets, panics and undocumented statuses.
pub fn checked(run: Run) -> Run {
    for secret in [SECRET_MARK, demo_secret()] {
        assert!(!run.stdout.contains(secret), "a secret on stdout: {run:#?}");
        assert!(!run.stderr.contains(secret), "a secret on stderr: {run:#?}");
    }
    assert!(!run.stderr.contains("panicked"), "a panic: {run:#?}");
    assert!(
        [0, 2, 3, 4].contains(&run.status),
        "undocumented exit status: {run:#?}"
    );
    run
}

/// `--api-url URL --transport T`, then `rest`.
pub fn args(emulator_url: &str, transport: &str, rest: &[&str]) -> Vec<String> {
    let mut all = vec![
        "--api-url".to_owned(),
        emulator_url.to_owned(),
        "--transport".to_owned(),
        transport.to_owned(),
    ];
    all.extend(rest.iter().map(|s| (*s).to_owned()));
    all
}

/// A `botapi` running in the background, its stdout read line by line.
pub struct Running {
    child: std::process::Child,
    lines: std::sync::mpsc::Receiver<String>,
    stderr: std::thread::JoinHandle<String>,
}

/// Starts `botapi args…` with `token` in `TELEGRAM_BOT_TOKEN`, without waiting for it.
pub fn spawn_botapi(args: &[String], token: &str) -> Running {
    use std::io::{BufRead, Read};
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_botapi"))
        .args(args)
        .env("TELEGRAM_BOT_TOKEN", token)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("botapi starts");
    let stdout = child.stdout.take().expect("piped stdout");
    let mut stderr = child.stderr.take().expect("piped stderr");
    let (tx, lines) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let stderr = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    Running {
        child,
        lines,
        stderr,
    }
}

impl Running {
    /// The next line on stdout; panics (after killing the process) if none comes in 20 s.
    pub fn line(&mut self) -> String {
        match self.lines.recv_timeout(Duration::from_secs(20)) {
            Ok(line) => line,
            Err(e) => {
                let _ = self.child.kill();
                panic!("no line from botapi: {e}");
            }
        }
    }

    /// The process id, for sending it a signal.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits for the process to end (killing it after 20 s) and checks its output like
    /// [`botapi`] does; `stdout` holds the lines not read yet.
    pub fn finish(mut self) -> Run {
        let start = Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("botapi can be waited for") {
                break status;
            }
            if start.elapsed() > Duration::from_secs(20) {
                let _ = self.child.kill();
                panic!("botapi did not stop");
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let stdout: Vec<String> = self.lines.iter().collect();
        let run = Run {
            status: status
                .code()
                .expect("botapi exited rather than being killed"),
            stdout: stdout.join("\n"),
            stderr: self.stderr.join().expect("stderr is read"),
            elapsed: start.elapsed(),
        };
        for secret in [SECRET_MARK, demo_secret()] {
            assert!(!run.stdout.contains(secret), "a secret on stdout: {run:#?}");
            assert!(!run.stderr.contains(secret), "a secret on stderr: {run:#?}");
        }
        assert!(!run.stderr.contains("panicked"), "a panic: {run:#?}");
        run
    }
}

/// Sends `signal` (`INT`, `TERM`) to `pid` with `kill`.
pub fn signal(pid: u32, signal: &str) {
    let status = Command::new("kill")
        .args([format!("-{signal}"), pid.to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success(), "kill -{signal} {pid}");
}
