//! The fault matrix (tests/vectors/faults.json) against the Rust client: for every
//! cell, one call against a mock gateway that misbehaves as the cell says. Checks
//! the error kind, the attempts, the requests the gateway saw (for sends: the POSTs,
//! i.e. possible SMS), `maybe_sent`, and that no call outlives its timeout.
//! Results go to target/reliability/rust.json for scripts/reliability/report.py.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a failure is a test failure

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime};

use common::*;
use serde_json::{json, Map, Value};
use zignsec::SendSms;
use zignsec_mock::{MockConfig, MockServer};

/// The key of the mock and the client: `ZIGNSEC_API_KEY` when set (the secrets
/// check runs this test with a canary key and greps all output for it).
fn api_key() -> String {
    std::env::var("ZIGNSEC_API_KEY")
        .ok()
        .filter(|k| !k.trim().is_empty())
        .unwrap_or_else(|| KEY.to_string())
}

/// The matrix times calls against their timeout: the stress test never runs beside it.
static SERIAL: Mutex<()> = Mutex::new(());

fn root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn load_matrix() -> Value {
    let path = root().join("tests/vectors/faults.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    serde_json::from_str(&text).unwrap()
}

/// The fault body for POST /_mock/faults: the cell's fault, with `$http_date_in_s`
/// resolved now, plus the op's method and path and the cell's count.
fn fault_spec(matrix: &Value, cell: &Value) -> Value {
    let op = cell["op"].as_str().unwrap();
    let mut spec: Map<String, Value> = cell["fault"].as_object().cloned().unwrap_or_default();
    for v in spec.values_mut() {
        if let Some(n) = v.get("$http_date_in_s").and_then(Value::as_u64) {
            *v = json!(httpdate::fmt_http_date(
                SystemTime::now() + Duration::from_secs(n)
            ));
        }
    }
    spec.insert("method".into(), matrix["paths"][op]["method"].clone());
    spec.insert("path".into(), matrix["paths"][op]["path"].clone());
    spec.insert("count".into(), cell["count"].clone());
    Value::Object(spec)
}

fn sms() -> SendSms {
    SendSms::new("+46701234567", "ZignSec", "Your code is 12345")
}

/// Play one cell on its own mock; return its result record.
fn run_cell(matrix: &Value, cell: &Value) -> Value {
    let name = cell["name"].as_str().unwrap();
    let op = cell["op"].as_str().unwrap();
    let timeout_ms = cell["timeout_ms"]
        .as_u64()
        .unwrap_or_else(|| matrix["client"]["timeout_ms"].as_u64().unwrap());
    let max_retries = matrix["client"]["max_retries"].as_i64().unwrap();
    let tolerance_ms = matrix["tolerance_ms"].as_u64().unwrap();
    let expect = &cell["expect"];
    let closed = cell["target"].as_str() == Some("closed_port");

    let key = api_key();
    let gw = Gateway {
        server: MockServer::start(MockConfig {
            api_key: Some(key.clone()),
            ..MockConfig::default()
        })
        .unwrap(),
    };
    let builder = |base: String| {
        zignsec::Client::builder()
            .ignore_env()
            .api_key(key.as_str())
            .base_url(base)
            .max_retries(max_retries)
            .timeout(Duration::from_millis(timeout_ms))
    };
    let base = if closed { closed_port_url() } else { gw.url() };
    let builder = builder(base);
    let client = builder.clone().build().unwrap();
    // A real session to read, made before the stats are reset.
    let session_id = zignsec::Client::builder()
        .ignore_env()
        .api_key(key.as_str())
        .base_url(gw.url())
        .build()
        .unwrap()
        .send_sms(&sms())
        .unwrap()
        .id;
    let control = |method: &str, path: &str, body: &str| {
        let r = http(&gw.url(), method, path, Some("application/json"), body);
        assert!(r.status < 300, "{name}: {method} {path}: {}", r.body);
    };
    control("DELETE", "/_mock/faults", "");
    control("POST", "/_mock/stats/reset", "");
    if !closed {
        control(
            "POST",
            "/_mock/faults",
            &fault_spec(matrix, cell).to_string(),
        );
    }

    let started = Instant::now();
    let outcome: Result<(), zignsec::Error> = match op {
        "read" => client.get_sms_session(&session_id).map(|_| ()),
        "send" => client.send_sms(&sms()).map(|_| ()),
        other => panic!("{name}: unknown op {other}"),
    };
    let elapsed_ms = started.elapsed().as_millis() as u64;
    // Anything still in flight (a late retry) would show up here.
    std::thread::sleep(Duration::from_millis(50));
    let stats_key = format!(
        "{} {}",
        matrix["paths"][op]["method"].as_str().unwrap(),
        if op == "read" {
            format!("/core/api/sessions/{session_id}")
        } else {
            matrix["paths"][op]["path"].as_str().unwrap().to_string()
        }
    );
    let requests = if closed { 0 } else { gw.count(&stats_key) };
    // Everything a user could print: the secrets check greps this output for the key.
    eprintln!("{name}: builder={builder:?} client={client:?} outcome={outcome:?}");
    if let Err(e) = &outcome {
        eprintln!("{name}: {e}");
        assert!(
            !format!("{e} {e:?}").contains(&key),
            "{name}: the key is in the error"
        );
    }
    let (kind, attempts, maybe_sent, message) = match &outcome {
        Ok(()) => ("ok".to_string(), requests, None, None),
        Err(e) => (
            e.kind().as_str().to_string(),
            u64::from(e.attempts()),
            e.maybe_sent(),
            Some(e.message().to_string()),
        ),
    };
    control("DELETE", "/_mock/faults", "");

    let mut failures = Vec::new();
    if kind != expect["kind"].as_str().unwrap() {
        failures.push(format!("kind {kind}, want {}", expect["kind"]));
    }
    if Some(attempts) != expect["attempts"].as_u64() {
        failures.push(format!("attempts {attempts}, want {}", expect["attempts"]));
    }
    if Some(requests) != expect["requests"].as_u64() {
        failures.push(format!(
            "gateway saw {requests} request(s), want {}",
            expect["requests"]
        ));
    }
    if let Some(want) = expect.get("maybe_sent").and_then(Value::as_bool) {
        if maybe_sent != Some(want) {
            failures.push(format!("maybe_sent {maybe_sent:?}, want {want}"));
        }
    }
    if elapsed_ms > timeout_ms + tolerance_ms {
        failures.push(format!(
            "took {elapsed_ms} ms, over the {timeout_ms} ms timeout + {tolerance_ms} ms"
        ));
    }
    json!({
        "name": name,
        "op": op,
        "kind": kind,
        "attempts": attempts,
        "requests": requests,
        "maybe_sent": maybe_sent,
        "elapsed_ms": elapsed_ms,
        "timeout_ms": timeout_ms,
        "expect": expect,
        "message": message,
        "pass": failures.is_empty(),
        "failures": failures,
    })
}

#[test]
fn fault_matrix() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let matrix = load_matrix();
    let cells = matrix["cells"].as_array().unwrap().clone();
    assert!(cells.len() >= 30, "faults.json has {} cells", cells.len());
    // Cells run a few at a time, each on its own mock, to keep the suite short.
    let jobs = std::env::var("RELIABILITY_JOBS")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(4)
        .max(1);
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<(usize, Value)>> = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..jobs {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some(cell) = cells.get(i) else { break };
                let r = run_cell(&matrix, cell);
                results.lock().unwrap().push((i, r));
            });
        }
    });
    let mut results = results.into_inner().unwrap();
    results.sort_by_key(|(i, _)| *i);
    let results: Vec<Value> = results.into_iter().map(|(_, r)| r).collect();
    assert_eq!(results.len(), cells.len(), "a cell panicked");

    let out = root().join("target/reliability");
    std::fs::create_dir_all(&out).unwrap();
    let doc = json!({
        "language": "rust",
        "sdk": format!("zignsec-rust/{}", zignsec::VERSION),
        "runner": "core/tests/fault_matrix.rs",
        "client": matrix["client"],
        "tolerance_ms": matrix["tolerance_ms"],
        "cells": results,
    });
    std::fs::write(
        out.join("rust.json"),
        serde_json::to_string_pretty(&doc).unwrap(),
    )
    .unwrap();

    let failed: Vec<String> = results
        .iter()
        .filter(|r| r["pass"] != json!(true))
        .map(|r| format!("{}: {}", r["name"], r["failures"]))
        .collect();
    for r in &results {
        eprintln!(
            "{:<36} {:<13} attempts={} requests={} {:>5} ms",
            r["name"].as_str().unwrap(),
            r["kind"].as_str().unwrap(),
            r["attempts"],
            r["requests"],
            r["elapsed_ms"]
        );
    }
    assert!(
        failed.is_empty(),
        "{} of {} cells failed:\n{}",
        failed.len(),
        results.len(),
        failed.join("\n")
    );
}

fn rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// 16 threads share one client for `ZIGNSEC_STRESS_CALLS` (default 150; `make
/// test-stress` runs 5 000) `get_sms_session` calls each: 0 errors, a bounded
/// number of connections, and no steady memory growth after warm-up.
#[test]
fn stress_one_client_sixteen_threads() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let calls: usize = std::env::var("ZIGNSEC_STRESS_CALLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(150);
    let threads = 16;
    let gw = gateway();
    let client = gw
        .builder()
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    let id = client.send_sms(&sms()).unwrap().id;
    let errors = std::sync::atomic::AtomicUsize::new(0);
    let first_error: Mutex<Option<String>> = Mutex::new(None);
    let run = |n: usize| {
        std::thread::scope(|s| {
            for _ in 0..threads {
                s.spawn(|| {
                    for _ in 0..n {
                        if let Err(e) = client.get_sms_session(&id) {
                            errors.fetch_add(1, Ordering::SeqCst);
                            first_error.lock().unwrap().get_or_insert(e.to_string());
                        }
                    }
                });
            }
        })
    };
    let started = Instant::now();
    let warm = (calls / 5).max(1);
    run(warm);
    let rss_warm = rss_kib();
    run(calls - warm.min(calls));
    let rss_end = rss_kib();
    let total = threads * calls.max(warm);
    let stats = gw.stats();
    eprintln!(
        "stress: {total} calls on {threads} threads in {:.1} s, {} errors, {} API connections, RSS {:?} -> {:?} KiB",
        started.elapsed().as_secs_f64(),
        errors.load(Ordering::SeqCst),
        stats["api_connections"],
        rss_warm,
        rss_end
    );
    assert_eq!(
        errors.load(Ordering::SeqCst),
        0,
        "first error: {:?}",
        first_error.lock().unwrap()
    );
    let key = format!("GET /core/api/sessions/{id}");
    assert_eq!(gw.count(&key), total as u64, "every call is one request");
    // Connections are pooled: never one per call.
    let conns = stats["api_connections"].as_u64().unwrap();
    assert!(
        conns <= 4 * threads as u64,
        "{conns} connections for {total} calls"
    );
    if let (Some(a), Some(b)) = (rss_warm, rss_end) {
        // Generous: the mock shares this process and its session store grows.
        assert!(
            b.saturating_sub(a) < 64 * 1024,
            "RSS grew {} KiB after warm-up",
            b - a
        );
    }
}
