//! getMe round trips per second over loopback keep-alive, each adapter against its bare HTTP
//! client doing the same exchange without botapi, all against one emulator in one run.
//!
//! `cargo bench -p botapi-tests --bench roundtrip` (optionally `-- <calls per round>
//! <rounds>`). Each round runs every client once, each adapter next to its bare client and
//! alternately before and after it. The report gives each client's median rate over the
//! rounds, and for each adapter the median over the rounds of its rate divided by its bare
//! client's rate in the same round (target: 0.95 or more), so a machine whose load changes
//! during the run skews both sides of a ratio alike.
//!
//! Under `cargo test --benches` it makes a few calls through each client and prints the same
//! report, as a check that the bench still runs; those figures mean nothing.
//!
//! A fifth client, bare ureq with the same whole-request timeout the adapter sets, shows what
//! ureq's own timeout handling costs per call. The figures are in `docs/BENCHMARKS.md`.

use std::hint::black_box;
use std::time::Instant;

use botapi_emulator::Emulator;
use botapi_proto::methods::GetMe;
use bytes::Bytes;
use http_body_util::{BodyExt, Empty};
use hyper_util::client::legacy::Client as HyperClient;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;

const WARM_UP: usize = 500;

/// One of the four clients: runs `calls` getMe round trips.
type Runner<'a> = Box<dyn FnMut(usize) + 'a>;

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` does not, and gets a short
    // smoke run that checks every client works.
    let measuring = std::env::args().any(|a| a == "--bench");
    let mut args = std::env::args().skip(1).filter(|a| !a.starts_with('-'));
    let default = if measuring { (500, 61) } else { (5, 2) };
    let calls: usize = args
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(default.0);
    let rounds: usize = args
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(default.1);
    let warm_up = if measuring { WARM_UP } else { 1 };

    let emulator = Emulator::builder()
        .record_requests(false)
        .start()
        .expect("start the emulator");
    let proto = emulator.client();
    let url = format!(
        "{}/bot{}/getMe",
        emulator.api_url(),
        proto.token().expose_secret()
    );
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");

    let adapter_hyper = {
        let _guard = runtime.enter();
        botapi_hyper::Client::new(proto.clone())
    };
    let bare_hyper: HyperClient<HttpConnector, Empty<Bytes>> = {
        let _guard = runtime.enter();
        let mut connector = HttpConnector::new();
        connector.set_nodelay(true);
        HyperClient::builder(TokioExecutor::new()).build(connector)
    };
    let adapter_ureq = botapi_ureq::Client::new(proto.clone());
    let bare_ureq = ureq::Agent::new_with_defaults();
    let bare_ureq_timeout: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(botapi_ureq::DEFAULT_TIMEOUT))
        .build()
        .into();

    let mut clients: Vec<(&str, Runner)> = vec![
        (
            "botapi-hyper",
            Box::new(|n| {
                runtime.block_on(async {
                    for _ in 0..n {
                        black_box(adapter_hyper.send(&GetMe::new()).await.expect("getMe"));
                    }
                })
            }),
        ),
        (
            "bare hyper-util",
            Box::new(|n| {
                runtime.block_on(async {
                    for _ in 0..n {
                        let request = http::Request::post(&url)
                            .body(Empty::<Bytes>::new())
                            .expect("a request");
                        let response = bare_hyper.request(request).await.expect("a response");
                        assert!(response.status().is_success());
                        let body = response.into_body().collect().await.expect("a body");
                        black_box(body.to_bytes());
                    }
                })
            }),
        ),
        (
            "botapi-ureq",
            Box::new(|n| {
                for _ in 0..n {
                    black_box(adapter_ureq.send(&GetMe::new()).expect("getMe"));
                }
            }),
        ),
        (
            "bare ureq",
            Box::new(|n| {
                for _ in 0..n {
                    let mut response = bare_ureq.post(&url).send_empty().expect("a response");
                    black_box(response.body_mut().read_to_vec().expect("a body"));
                }
            }),
        ),
        (
            "bare ureq+timeout",
            Box::new(|n| {
                for _ in 0..n {
                    let mut response = bare_ureq_timeout
                        .post(&url)
                        .send_empty()
                        .expect("a response");
                    black_box(response.body_mut().read_to_vec().expect("a body"));
                }
            }),
        ),
    ];

    for (_, run) in clients.iter_mut() {
        run(warm_up);
    }
    // `BENCH_ONLY=<client name>` runs that client alone, for a profiler.
    if let Ok(only) = std::env::var("BENCH_ONLY") {
        let (name, run) = clients
            .iter_mut()
            .find(|(name, _)| *name == only)
            .expect("BENCH_ONLY names one of the clients");
        let start = Instant::now();
        run(calls * rounds);
        let rate = (calls * rounds) as f64 / start.elapsed().as_secs_f64();
        println!("{name}: {rate:.0} /s");
        return;
    }
    let mut rates: Vec<Vec<f64>> = vec![Vec::new(); clients.len()];
    // Index `r` of every client's rates is round `r`.
    for round in 0..rounds {
        // Each adapter runs right next to its bare client, first on even rounds and second on
        // odd ones, so both sides of a ratio see the same machine.
        for group in [&[0, 1][..], &[2, 3], &[4]] {
            for i in 0..group.len() {
                let index = group[(i + round) % group.len()];
                let start = Instant::now();
                (clients[index].1)(calls);
                rates[index].push(calls as f64 / start.elapsed().as_secs_f64());
            }
        }
    }

    println!(
        "getMe round trips per second over loopback keep-alive: {calls} calls x {rounds} rounds"
    );
    for (name, all) in clients.iter().map(|c| c.0).zip(&rates) {
        let mut sorted = all.clone();
        let median = median(&mut sorted);
        let (low, high) = (sorted[0], sorted[sorted.len() - 1]);
        println!("  {name:<18} {median:>8.0} /s   (rounds: {low:.0} .. {high:.0})");
    }

    // What the core alone costs per call: encoding getMe and decoding a getMe answer.
    let answer = {
        let _guard = runtime.enter();
        runtime.block_on(async {
            let request = http::Request::post(&url)
                .body(Empty::<Bytes>::new())
                .unwrap();
            let response = bare_hyper.request(request).await.unwrap();
            response.into_body().collect().await.unwrap().to_bytes()
        })
    };
    let core_calls = calls * 10;
    let start = Instant::now();
    for _ in 0..core_calls {
        let request = proto.encode(black_box(&GetMe::new())).expect("encode");
        black_box(request.into_http());
        let me = proto.decode(&GetMe::new(), http::StatusCode::OK, black_box(&answer));
        black_box(me.expect("decode"));
    }
    let core_micros = start.elapsed().as_secs_f64() * 1e6 / core_calls as f64;
    println!("  core alone (encode + decode, no IO): {core_micros:.2} µs per call");
    for (adapter, bare) in [(0, 1), (2, 3), (2, 4)] {
        let mut ratios: Vec<f64> = rates[adapter]
            .iter()
            .zip(&rates[bare])
            .map(|(a, b)| a / b)
            .collect();
        let ratio = median(&mut ratios);
        let note = match (adapter, bare) {
            (2, 4) => "  (information: the same timeout on both sides)",
            _ if ratio >= 0.95 => "",
            _ => "  BELOW 0.95",
        };
        println!(
            "  {} / {}: {ratio:.3} (rounds: {:.3} .. {:.3}){note}",
            clients[adapter].0,
            clients[bare].0,
            ratios[0],
            ratios[ratios.len() - 1],
        );
    }
}

/// Sorts `values` and returns their median.
fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    if values.len().is_multiple_of(2) {
        (values[mid - 1] + values[mid]) / 2.0
    } else {
        values[mid]
    }
}
