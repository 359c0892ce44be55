//! A broadcast through the throttle against the emulator's flood control: 1,000 messages to
//! 100 chats (50 users, 50 groups), sent by 20 senders at once through one client per
//! adapter, with Telegram's default limits on both sides. It reports the 429s received
//! (target 0) and the total time as a ratio to the least time the limits allow (target 1.1
//! or less). For contrast, the same broadcast through botapi-ureq without a throttle, resending
//! after each 429.
//!
//! `cargo bench -p botapi-tests --bench broadcast`. Under `cargo test --benches` it sends a
//! small broadcast through each client as a check that the bench still runs; those figures
//! mean nothing. The figures are in `docs/BENCHMARKS.md`.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use botapi_emulator::{Emulator, FloodControl};
use botapi_proto::methods::SendMessage;
use botapi_proto::retry::RetryPolicy;
use botapi_proto::run::{Notice, Observer, Sender};
use botapi_proto::throttle::{Rate, ThrottleLimits};

/// The broadcast: how many chats, messages per chat, and senders.
#[derive(Debug, Clone, Copy)]
struct Plan {
    chats: usize,
    per_chat: usize,
    senders: usize,
}

impl Plan {
    fn messages(&self) -> usize {
        self.chats * self.per_chat
    }

    /// The chats: users (positive ids) and groups (negative ids), alternately.
    fn chat(&self, n: usize) -> i64 {
        let n = i64::try_from(n).expect("a small index");
        if n % 2 == 0 {
            1_000_000 + n
        } else {
            -1_001_000_000_000 - n
        }
    }

    /// A lower bound on the time from the first message to the last that the limits allow:
    /// each limit alone needs `floor((k - 1) / count) * per` for the `k` messages it covers,
    /// and the broadcast needs at least the longest of those. (Sending round-robin over the
    /// chats reaches it.)
    fn least_time(&self, limits: &ThrottleLimits) -> Duration {
        let need = |rate: Option<Rate>, k: usize| {
            rate.map_or(Duration::ZERO, |rate| {
                let spans = (k.saturating_sub(1)) / rate.count() as usize;
                rate.per() * u32::try_from(spans).expect("a small count")
            })
        };
        [
            need(limits.overall, self.messages()),
            need(limits.private_chat, self.per_chat),
            need(limits.group_chat, self.per_chat),
        ]
        .into_iter()
        .max()
        .unwrap_or_default()
    }
}

/// What one broadcast gave.
struct Outcome {
    floods: usize,
    errors: usize,
    elapsed: Duration,
}

/// Counts the 429s a sender was refused with.
fn flood_counter() -> (Observer, Arc<AtomicUsize>) {
    let floods = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&floods);
    let observer: Observer = Arc::new(move |notice: &Notice<'_>| {
        if let Notice::Retrying { error, .. } | Notice::GivingUp { error, .. } = notice
            && error.to_string().contains("Bot API error 429")
        {
            count.fetch_add(1, Ordering::Relaxed);
        }
    });
    (observer, floods)
}

fn sender(throttle: Option<ThrottleLimits>, observer: Observer) -> Sender {
    // Enough resends that every message arrives in the end, without a throttle too.
    let sender = Sender::new()
        .retry(RetryPolicy::new().max_retries(1000))
        .observe(observer);
    match throttle {
        Some(limits) => sender.throttle(limits),
        None => sender,
    }
}

/// The messages sender `s` of the plan sends, in order: round-robin over its chats.
fn share(plan: Plan, s: usize) -> Vec<SendMessage> {
    let chats: Vec<usize> = (s..plan.chats).step_by(plan.senders).collect();
    (0..plan.per_chat)
        .flat_map(|round| {
            chats
                .iter()
                .map(move |&c| SendMessage::new(plan.chat(c), format!("news {round}")))
                .collect::<Vec<_>>()
        })
        .collect()
}

fn broadcast_ureq(emulator: &Emulator, plan: Plan, throttle: Option<ThrottleLimits>) -> Outcome {
    let (observer, floods) = flood_counter();
    let client = botapi_ureq::Client::builder(emulator.client())
        .sender(sender(throttle, observer))
        .build();
    let errors = AtomicUsize::new(0);
    let start = Instant::now();
    std::thread::scope(|scope| {
        for s in 0..plan.senders {
            let (client, errors) = (client.clone(), &errors);
            scope.spawn(move || {
                for message in share(plan, s) {
                    if client.send(&message).is_err() {
                        errors.fetch_add(1, Ordering::Relaxed);
                    }
                }
            });
        }
    });
    Outcome {
        floods: floods.load(Ordering::Relaxed),
        errors: errors.load(Ordering::Relaxed),
        elapsed: start.elapsed(),
    }
}

fn broadcast_hyper(emulator: &Emulator, plan: Plan, throttle: Option<ThrottleLimits>) -> Outcome {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let (observer, floods) = flood_counter();
    let client = {
        let _inside = runtime.enter();
        botapi_hyper::Client::builder(emulator.client())
            .sender(sender(throttle, observer))
            .build()
    };
    let errors = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    runtime.block_on(async {
        let tasks: Vec<_> = (0..plan.senders)
            .map(|s| {
                let (client, errors) = (client.clone(), Arc::clone(&errors));
                tokio::spawn(async move {
                    for message in share(plan, s) {
                        if client.send(&message).await.is_err() {
                            errors.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                })
            })
            .collect();
        for task in tasks {
            task.await.expect("a sender task finishes");
        }
    });
    Outcome {
        floods: floods.load(Ordering::Relaxed),
        errors: errors.load(Ordering::Relaxed),
        elapsed: start.elapsed(),
    }
}

fn main() {
    let measuring = std::env::args().any(|a| a == "--bench");
    let plan = if measuring {
        Plan {
            chats: 100,
            per_chat: 10,
            senders: 20,
        }
    } else {
        Plan {
            chats: 10,
            per_chat: 4,
            senders: 4,
        }
    };
    let limits = ThrottleLimits::default();
    let least = plan.least_time(&limits);
    println!(
        "broadcast: {} messages to {} chats (half users, half groups), {} senders at once",
        plan.messages(),
        plan.chats,
        plan.senders
    );
    println!(
        "limits on both sides: {limits:?}; emulator grace {:?}",
        FloodControl::default().grace
    );
    println!("least time the limits allow: {:.3} s", least.as_secs_f64());
    println!();
    println!(
        "{:<14} {:<9} {:>6} {:>7} {:>9} {:>7}",
        "adapter", "throttle", "429s", "errors", "total s", "ratio"
    );
    type Run = fn(&Emulator, Plan, Option<ThrottleLimits>) -> Outcome;
    let runs: [(&str, Run, bool); 3] = [
        ("botapi-ureq", broadcast_ureq, true),
        ("botapi-hyper", broadcast_hyper, true),
        ("botapi-ureq", broadcast_ureq, false),
    ];
    for (name, run, throttled) in runs {
        // A fresh emulator per run: its flood control starts with no message counted.
        let emulator = Emulator::builder()
            .record_requests(false)
            .flood_control(Some(FloodControl::new(limits)))
            .start()
            .expect("start the emulator");
        let outcome = run(&emulator, plan, throttled.then_some(limits));
        let ratio = outcome.elapsed.as_secs_f64() / least.as_secs_f64().max(f64::MIN_POSITIVE);
        println!(
            "{:<14} {:<9} {:>6} {:>7} {:>9.3} {:>7.3}",
            name,
            if throttled { "yes" } else { "no" },
            outcome.floods,
            outcome.errors,
            outcome.elapsed.as_secs_f64(),
            ratio
        );
    }
}
