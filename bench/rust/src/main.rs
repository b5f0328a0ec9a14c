//! `zignsec-bench`: the Rust side of the benchmarks (driven by `bench/run.py`).
//!
//! Measures the core (`zignsec::Client` / `zignsec::AsyncClient`) and a floor:
//! a minimal HTTP/1.1 keep-alive client on a raw `std::net::TcpStream` that
//! sends the same request and parses the same JSON. Every mode prints one JSON
//! object on stdout. The gateway comes from `BENCH_URL`, the key from
//! `BENCH_KEY`, the session read from `BENCH_SESSION`.
//!
//! ```text
//! zignsec-bench seq <core|floor> <calls> <batches> <warmup>
//! zignsec-bench concurrent <core-async|core-threads> <n> <reps> <delay_ms>
//! zignsec-bench conns <core|floor> <calls>
//! zignsec-bench mem <core|floor> <calls_a> <calls_b>
//! zignsec-bench construct <reps>
//! zignsec-bench bulk <core-threads|core-async|reqwest|floor-async> <sends> <in_flight> <warmup>
//! ```

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use serde::Deserialize;
use serde_json::{json, Value};

type AnyResult<T> = Result<T, Box<dyn std::error::Error>>;

#[repr(C)]
struct Timespec {
    tv_sec: i64,
    tv_nsec: i64,
}

extern "C" {
    fn clock_gettime(clock: i32, ts: *mut Timespec) -> i32;
}

const CLOCK_PROCESS_CPUTIME_ID: i32 = 2;

/// CPU time of the whole process (every thread), in seconds.
fn cpu_seconds() -> f64 {
    let mut ts = Timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec for the duration of the call.
    let rc = unsafe { clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &mut ts) };
    if rc != 0 {
        return 0.0;
    }
    ts.tv_sec as f64 + ts.tv_nsec as f64 / 1e9
}

/// VmRSS and its anonymous part, RssAnon (memory the process allocated, without the
/// file-backed pages of its executable and libraries), in bytes, from one read of
/// /proc/self/status.
fn rss_and_anon() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .map_or(0, |kb| kb * 1024)
    };
    (field("VmRSS:"), field("RssAnon:"))
}

struct Env {
    url: String,
    host_port: String,
    key: String,
    session: String,
}

fn env() -> AnyResult<Env> {
    let url = std::env::var("BENCH_URL").map_err(|_| "BENCH_URL is not set")?;
    let key = std::env::var("BENCH_KEY").map_err(|_| "BENCH_KEY is not set")?;
    let session = std::env::var("BENCH_SESSION").map_err(|_| "BENCH_SESSION is not set")?;
    let host_port = url
        .strip_prefix("http://")
        .ok_or("BENCH_URL must be http://host:port")?
        .trim_end_matches('/')
        .to_string();
    Ok(Env {
        url,
        host_port,
        key,
        session,
    })
}

/// One request to the mock's control API on a fresh connection (`Connection: close`).
fn control(env: &Env, method: &str, path: &str, body: Option<&Value>) -> AnyResult<Value> {
    let mut stream = TcpStream::connect(&env.host_port)?;
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        env.host_port,
        body.len()
    );
    stream.write_all(req.as_bytes())?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let text = String::from_utf8_lossy(&raw);
    let (head, payload) = text.split_once("\r\n\r\n").ok_or("no header end")?;
    if !head.starts_with("HTTP/1.1 2") {
        return Err(format!("control {method} {path}: {head}").into());
    }
    Ok(serde_json::from_str(payload).unwrap_or(Value::Null))
}

fn api_connections(env: &Env) -> AnyResult<u64> {
    let stats = control(env, "GET", "/_mock/stats", None)?;
    stats["api_connections"]
        .as_u64()
        .ok_or_else(|| "no api_connections in /_mock/stats".into())
}

// ---------------------------------------------------------------------------
// The floor: raw HTTP/1.1 keep-alive on std TcpStream.

#[derive(Debug, Deserialize)]
#[allow(dead_code)] // fields are parsed (that is the point), not read
struct FloorMetadata {
    from: String,
    to: String,
    message: String,
    max_message_parts: i64,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct FloorRequest {
    metadata: FloorMetadata,
    relay_state: Option<String>,
    webhook: Option<String>,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct FloorDetails {
    id: String,
    status: String,
    number_of_message_parts: Option<i64>,
    request_data: FloorRequest,
}

#[derive(Debug, Deserialize)]
struct FloorEnvelope {
    data: FloorDetails,
}

struct Floor {
    reader: BufReader<TcpStream>,
    request: Vec<u8>,
    body: Vec<u8>,
    line: String,
}

impl Floor {
    fn new(env: &Env) -> AnyResult<Floor> {
        let stream = TcpStream::connect(&env.host_port)?;
        stream.set_nodelay(true)?;
        let request = format!(
            "GET /core/api/sessions/{} HTTP/1.1\r\nHost: {}\r\nAuthorization: {}\r\nAccept: application/json\r\nUser-Agent: zignsec-bench-floor\r\n\r\n",
            env.session, env.host_port, env.key
        )
        .into_bytes();
        Ok(Floor {
            reader: BufReader::new(stream),
            request,
            body: Vec::new(),
            line: String::new(),
        })
    }

    fn get(&mut self) -> AnyResult<FloorDetails> {
        self.reader.get_mut().write_all(&self.request)?;
        let mut content_length = None;
        let mut first = true;
        loop {
            self.line.clear();
            if self.reader.read_line(&mut self.line)? == 0 {
                return Err("connection closed".into());
            }
            let l = self.line.trim_end();
            if first {
                if !l.starts_with("HTTP/1.1 200") {
                    return Err(format!("status line {l:?}").into());
                }
                first = false;
                continue;
            }
            if l.is_empty() {
                break;
            }
            if let Some((name, value)) = l.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    content_length = Some(value.trim().parse::<usize>()?);
                }
            }
        }
        let n = content_length.ok_or("no Content-Length")?;
        self.body.resize(n, 0);
        self.reader.read_exact(&mut self.body)?;
        let env: FloorEnvelope = serde_json::from_slice(&self.body)?;
        Ok(env.data)
    }
}

// ---------------------------------------------------------------------------

fn client(env: &Env) -> AnyResult<zignsec::Client> {
    Ok(zignsec::Client::builder()
        .api_key(env.key.clone())
        .base_url(env.url.clone())
        .ignore_env()
        .build()?)
}

/// Something that can read the session once.
trait Caller {
    fn call(&mut self) -> AnyResult<()>;
}

struct CoreCaller(zignsec::Client, String);

impl Caller for CoreCaller {
    fn call(&mut self) -> AnyResult<()> {
        let d = self.0.get_sms_session(&self.1)?;
        if d.id.is_empty() {
            return Err("empty id".into());
        }
        Ok(())
    }
}

/// The fix proposed in .core-requests/bench.md, measured: the core's
/// `AsyncClient` driven by a current-thread runtime on the calling thread (no
/// hop to a worker thread per call).
struct CurrentThreadCaller(tokio::runtime::Runtime, zignsec::AsyncClient, String);

impl Caller for CurrentThreadCaller {
    fn call(&mut self) -> AnyResult<()> {
        let d = self.0.block_on(self.1.get_sms_session(&self.2))?;
        if d.id.is_empty() {
            return Err("empty id".into());
        }
        Ok(())
    }
}

struct FloorCaller(Floor);

impl Caller for FloorCaller {
    fn call(&mut self) -> AnyResult<()> {
        let d = self.0.get()?;
        if d.id.is_empty() {
            return Err("empty id".into());
        }
        Ok(())
    }
}

fn caller(env: &Env, which: &str) -> AnyResult<Box<dyn Caller>> {
    match which {
        "core" => Ok(Box::new(CoreCaller(client(env)?, env.session.clone()))),
        "floor" => Ok(Box::new(FloorCaller(Floor::new(env)?))),
        "core-current-thread" => Ok(Box::new(CurrentThreadCaller(
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?,
            zignsec::AsyncClient::builder()
                .api_key(env.key.clone())
                .base_url(env.url.clone())
                .ignore_env()
                .build_async()?,
            env.session.clone(),
        ))),
        other => Err(format!("unknown implementation {other:?}").into()),
    }
}

fn arg(args: &[String], i: usize, default: u64) -> u64 {
    args.get(i).and_then(|a| a.parse().ok()).unwrap_or(default)
}

fn seq(env: &Env, which: &str, calls: u64, batches: u64, warmup: u64) -> AnyResult<Value> {
    let mut c = caller(env, which)?;
    for _ in 0..warmup {
        c.call()?;
    }
    let batches = batches.max(1);
    let per = (calls / batches).max(1);
    let mut out = Vec::new();
    for _ in 0..batches {
        let (w0, c0) = (Instant::now(), cpu_seconds());
        for _ in 0..per {
            c.call()?;
        }
        let wall = w0.elapsed().as_secs_f64();
        let cpu = cpu_seconds() - c0;
        out.push(json!({
            "calls": per,
            "wall_us": wall * 1e6 / per as f64,
            "cpu_us": cpu * 1e6 / per as f64,
        }));
    }
    Ok(json!({ "impl": which, "batches": out }))
}

fn delay_fault(env: &Env, n: u64, delay_ms: u64) -> AnyResult<()> {
    control(env, "DELETE", "/_mock/faults", None)?;
    control(
        env,
        "POST",
        "/_mock/faults",
        Some(
            &json!({"method": "GET", "path": "/core/api/sessions/", "count": n, "delay_ms": delay_ms}),
        ),
    )?;
    Ok(())
}

/// Run `f` on `n` threads released at once (threads are started first and wait at
/// a barrier, so their creation is not timed); returns (successes, wall ms).
fn gated_threads(n: u64, f: impl Fn() -> bool + Sync) -> (u64, f64) {
    let gate = std::sync::Barrier::new(n as usize + 1);
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..n)
            .map(|_| {
                s.spawn(|| {
                    gate.wait();
                    f()
                })
            })
            .collect();
        gate.wait();
        let t0 = Instant::now();
        let ok = handles
            .into_iter()
            .map(|h| u64::from(h.join().unwrap_or(false)))
            .sum::<u64>();
        (ok, t0.elapsed().as_secs_f64() * 1e3)
    })
}

fn concurrent(env: &Env, which: &str, n: u64, reps: u64, delay_ms: u64) -> AnyResult<Value> {
    let mut runs = Vec::new();
    match which {
        "core-async" => {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()?;
            let client = zignsec::AsyncClient::builder()
                .api_key(env.key.clone())
                .base_url(env.url.clone())
                .ignore_env()
                .build_async()?;
            for _ in 0..reps {
                delay_fault(env, n, delay_ms)?;
                let t0 = Instant::now();
                let ok = rt.block_on(async {
                    let mut set = tokio::task::JoinSet::new();
                    for _ in 0..n {
                        let c = client.clone();
                        let id = env.session.clone();
                        set.spawn(async move { c.get_sms_session(&id).await.is_ok() });
                    }
                    let mut ok = 0u64;
                    while let Some(r) = set.join_next().await {
                        ok += u64::from(matches!(r, Ok(true)));
                    }
                    ok
                });
                runs.push(json!({"wall_ms": t0.elapsed().as_secs_f64() * 1e3, "ok": ok}));
            }
        }
        "core-threads" => {
            let client = client(env)?;
            for _ in 0..reps {
                delay_fault(env, n, delay_ms)?;
                let (ok, wall) = gated_threads(n, || client.get_sms_session(&env.session).is_ok());
                runs.push(json!({"wall_ms": wall, "ok": ok}));
            }
        }
        "core-current-thread-threads" => {
            // The proposed fix under load: one current-thread runtime shared by 64
            // blocking threads (tokio lets every thread call block_on at once).
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            let client = zignsec::AsyncClient::builder()
                .api_key(env.key.clone())
                .base_url(env.url.clone())
                .ignore_env()
                .build_async()?;
            for _ in 0..reps {
                delay_fault(env, n, delay_ms)?;
                let (ok, wall) = gated_threads(n, || {
                    rt.block_on(client.get_sms_session(&env.session)).is_ok()
                });
                runs.push(json!({"wall_ms": wall, "ok": ok}));
            }
        }
        other => return Err(format!("unknown implementation {other:?}").into()),
    }
    control(env, "DELETE", "/_mock/faults", None)?;
    Ok(json!({ "impl": which, "n": n, "delay_ms": delay_ms, "runs": runs }))
}

fn conns(env: &Env, which: &str, calls: u64) -> AnyResult<Value> {
    control(env, "POST", "/_mock/stats/reset", None)?;
    let before = api_connections(env)?;
    let mut c = caller(env, which)?;
    for _ in 0..calls {
        c.call()?;
    }
    let after = api_connections(env)?;
    Ok(json!({ "impl": which, "calls": calls, "connections": after - before }))
}

fn mem(env: &Env, which: &str, a: u64, b: u64) -> AnyResult<Value> {
    let (rss0, _) = rss_and_anon();
    let mut c = caller(env, which)?;
    let t0 = Instant::now();
    for _ in 0..a {
        c.call()?;
    }
    let (rss_a, anon_a) = rss_and_anon();
    let mid = a + (b - a) / 2;
    for _ in a..mid {
        c.call()?;
    }
    let (rss_mid, anon_mid) = rss_and_anon();
    for _ in mid..b {
        c.call()?;
    }
    let (rss_b, anon_b) = rss_and_anon();
    Ok(json!({
        "impl": which, "calls_a": a, "calls_mid": mid, "calls_b": b,
        "rss_start": rss0, "rss_a": rss_a, "rss_mid": rss_mid, "rss_b": rss_b,
        "anon_a": anon_a, "anon_mid": anon_mid, "anon_b": anon_b,
        "seconds": t0.elapsed().as_secs_f64(),
    }))
}

fn construct(env: &Env, reps: u64) -> AnyResult<Value> {
    let mut blocking = Vec::new();
    let mut asynchronous = Vec::new();
    for _ in 0..reps {
        let t0 = Instant::now();
        let c = client(env)?;
        blocking.push(t0.elapsed().as_secs_f64() * 1e6);
        drop(c);
        let t0 = Instant::now();
        let c = zignsec::AsyncClient::builder()
            .api_key(env.key.clone())
            .base_url(env.url.clone())
            .ignore_env()
            .build_async()?;
        asynchronous.push(t0.elapsed().as_secs_f64() * 1e6);
        drop(c);
        std::thread::sleep(Duration::from_millis(1));
    }
    Ok(json!({ "impl": "core", "client_us": blocking, "async_client_us": asynchronous }))
}

/// Peak resident set size in bytes (`VmHWM` of /proc/self/status).
fn hwm_bytes() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb * 1024)
}

const SMS_PATH: &str = "/core/api/sessions/two_factor_auth/sms";
const BULK_BODY: &str = r#"{"metadata":{"from":"ZignSec","to":"+46701234567","message":"Your code: 12345","max_message_parts":1}}"#;

fn bulk_sms() -> zignsec::SendSms {
    zignsec::SendSms::new("+46701234567", "ZignSec", "Your code: 12345")
}

#[derive(Deserialize)]
struct CreatedData {
    id: String,
}

#[derive(Deserialize)]
struct Created {
    data: CreatedData,
}

/// `total` sends, `in_flight` at a time, by threads or tasks pulling from one
/// counter; returns how many succeeded.
fn bulk_round(env: &Env, which: &str, total: u64, in_flight: u64, state: &BulkState) -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    let next = AtomicU64::new(0);
    let ok = AtomicU64::new(0);
    match (which, state) {
        ("core-threads", BulkState::Blocking(client)) => {
            std::thread::scope(|s| {
                for _ in 0..in_flight {
                    s.spawn(|| {
                        let req = bulk_sms();
                        while next.fetch_add(1, Ordering::Relaxed) < total {
                            if client.send_sms(&req).is_ok_and(|r| !r.id.is_empty()) {
                                ok.fetch_add(1, Ordering::Relaxed);
                            }
                        }
                    });
                }
            });
        }
        ("core-async", BulkState::Async(rt, client)) => {
            let next = std::sync::Arc::new(next);
            let ok = std::sync::Arc::new(AtomicU64::new(0));
            rt.block_on(async {
                let mut set = tokio::task::JoinSet::new();
                for _ in 0..in_flight {
                    let (c, next, ok) = (client.clone(), next.clone(), ok.clone());
                    set.spawn(async move {
                        let req = bulk_sms();
                        while next.fetch_add(1, Ordering::Relaxed) < total {
                            if c.send_sms(&req).await.is_ok_and(|r| !r.id.is_empty()) {
                                ok.fetch_add(1, Ordering::Relaxed);
                            }
                        }
                    });
                }
                while set.join_next().await.is_some() {}
            });
            return ok.load(Ordering::Relaxed);
        }
        ("reqwest", BulkState::Reqwest(rt, client)) => {
            let next = std::sync::Arc::new(next);
            let ok = std::sync::Arc::new(AtomicU64::new(0));
            let url = format!("{}{SMS_PATH}", env.url);
            rt.block_on(async {
                let mut set = tokio::task::JoinSet::new();
                for _ in 0..in_flight {
                    let (c, next, ok, url, key) = (
                        client.clone(),
                        next.clone(),
                        ok.clone(),
                        url.clone(),
                        env.key.clone(),
                    );
                    set.spawn(async move {
                        while next.fetch_add(1, Ordering::Relaxed) < total {
                            let sent = c
                                .post(&url)
                                .header("Authorization", &key)
                                .header("Accept", "application/json")
                                .header("Content-Type", "application/json")
                                .body(BULK_BODY)
                                .send()
                                .await;
                            let Ok(resp) = sent else { continue };
                            if !resp.status().is_success() {
                                continue;
                            }
                            let Ok(bytes) = resp.bytes().await else {
                                continue;
                            };
                            if serde_json::from_slice::<Created>(&bytes)
                                .is_ok_and(|c| !c.data.id.is_empty())
                            {
                                ok.fetch_add(1, Ordering::Relaxed);
                            }
                        }
                    });
                }
                while set.join_next().await.is_some() {}
            });
            return ok.load(Ordering::Relaxed);
        }
        ("floor-async", BulkState::Floor(rt, pool)) => {
            let next = std::sync::Arc::new(next);
            let ok = std::sync::Arc::new(AtomicU64::new(0));
            let request = std::sync::Arc::new(
                format!(
                    "POST {SMS_PATH} HTTP/1.1\r\nHost: {}\r\nAuthorization: {}\r\nAccept: application/json\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{BULK_BODY}",
                    env.host_port,
                    env.key,
                    BULK_BODY.len()
                )
                .into_bytes(),
            );
            let addr = env.host_port.clone();
            rt.block_on(async {
                let mut set = tokio::task::JoinSet::new();
                for _ in 0..in_flight {
                    let (next, ok, pool, request, addr) = (
                        next.clone(),
                        ok.clone(),
                        pool.clone(),
                        request.clone(),
                        addr.clone(),
                    );
                    set.spawn(async move {
                        let kept = pool.lock().ok().and_then(|mut p| p.pop());
                        let mut stream = match kept {
                            Some(s) => s,
                            None => match tokio::net::TcpStream::connect(&addr).await {
                                Ok(s) if s.set_nodelay(true).is_ok() => s,
                                _ => return,
                            },
                        };
                        let mut buf = Vec::with_capacity(4096);
                        while next.fetch_add(1, Ordering::Relaxed) < total {
                            match floor_send(&mut stream, &request, &mut buf).await {
                                Ok(true) => {
                                    ok.fetch_add(1, Ordering::Relaxed);
                                }
                                Ok(false) => {}
                                Err(_) => return,
                            }
                        }
                        if let Ok(mut p) = pool.lock() {
                            p.push(stream);
                        }
                    });
                }
                while set.join_next().await.is_some() {}
            });
            return ok.load(Ordering::Relaxed);
        }
        _ => {}
    }
    ok.load(Ordering::Relaxed)
}

/// The async floor's connections, kept between rounds as the clients keep theirs.
type FloorPool = std::sync::Arc<std::sync::Mutex<Vec<tokio::net::TcpStream>>>;

/// One send on a raw socket: the prebuilt request written, the answer's head read
/// to its Content-Length, the body parsed as the other clients parse it. Whether
/// the gateway created a session.
async fn floor_send(
    stream: &mut tokio::net::TcpStream,
    request: &[u8],
    buf: &mut Vec<u8>,
) -> std::io::Result<bool> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let bad = |what: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, what.to_string());
    stream.write_all(request).await?;
    buf.clear();
    let (start, length) = loop {
        if buf.capacity() - buf.len() < 2048 {
            buf.reserve(4096);
        }
        if stream.read_buf(buf).await? == 0 {
            return Err(bad("connection closed"));
        }
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = std::str::from_utf8(&buf[..end]).map_err(|_| bad("head"))?;
            let length = head
                .lines()
                .filter_map(|l| l.split_once(':'))
                .find(|(name, _)| name.eq_ignore_ascii_case("content-length"))
                .and_then(|(_, v)| v.trim().parse::<usize>().ok())
                .ok_or_else(|| bad("no Content-Length"))?;
            if !head.starts_with("HTTP/1.1 20") {
                return Ok(false);
            }
            break (end + 4, length);
        }
    };
    while buf.len() < start + length {
        if stream.read_buf(buf).await? == 0 {
            return Err(bad("connection closed"));
        }
    }
    Ok(
        serde_json::from_slice::<Created>(&buf[start..start + length])
            .is_ok_and(|c| !c.data.id.is_empty()),
    )
}

enum BulkState {
    Blocking(zignsec::Client),
    Async(tokio::runtime::Runtime, zignsec::AsyncClient),
    Reqwest(tokio::runtime::Runtime, reqwest::Client),
    Floor(tokio::runtime::Runtime, FloorPool),
}

fn bulk(env: &Env, which: &str, sends: u64, in_flight: u64, warmup: u64) -> AnyResult<Value> {
    let state = match which {
        "core-threads" => BulkState::Blocking(client(env)?),
        "core-async" => BulkState::Async(
            tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()?,
            zignsec::AsyncClient::builder()
                .api_key(env.key.clone())
                .base_url(env.url.clone())
                .ignore_env()
                .build_async()?,
        ),
        "reqwest" => BulkState::Reqwest(
            {
                // reqwest is built without a crypto provider in this workspace.
                let _ = rustls::crypto::ring::default_provider().install_default();
                tokio::runtime::Builder::new_multi_thread()
                    .enable_all()
                    .build()?
            },
            reqwest::Client::builder()
                .tcp_nodelay(true)
                .pool_max_idle_per_host(in_flight as usize)
                .build()?,
        ),
        "floor-async" => BulkState::Floor(
            tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()?,
            FloorPool::default(),
        ),
        other => return Err(format!("unknown implementation {other:?}").into()),
    };
    bulk_round(env, which, warmup, in_flight, &state);
    let (w0, c0) = (Instant::now(), cpu_seconds());
    let ok = bulk_round(env, which, sends, in_flight, &state);
    let wall = w0.elapsed().as_secs_f64();
    let cpu = cpu_seconds() - c0;
    Ok(json!({
        "impl": which, "sends": sends, "in_flight": in_flight, "ok": ok,
        "wall_s": wall, "cpu_s": cpu, "hwm_bytes": hwm_bytes(),
    }))
}

fn run(args: &[String]) -> AnyResult<Value> {
    let env = env()?;
    let mode = args.first().map(String::as_str).unwrap_or("");
    let which = args.get(1).map(String::as_str).unwrap_or("core");
    match mode {
        "seq" => seq(
            &env,
            which,
            arg(args, 2, 10_000),
            arg(args, 3, 20),
            arg(args, 4, 500),
        ),
        "concurrent" => concurrent(
            &env,
            which,
            arg(args, 2, 64),
            arg(args, 3, 5),
            arg(args, 4, 100),
        ),
        "conns" => conns(&env, which, arg(args, 2, 1000)),
        "mem" => mem(&env, which, arg(args, 2, 1000), arg(args, 3, 100_000)),
        "construct" => construct(&env, arg(args, 1, 100)),
        "bulk" => bulk(
            &env,
            which,
            arg(args, 2, 10_000),
            arg(args, 3, 64),
            arg(args, 4, 256),
        ),
        _ => Err("usage: zignsec-bench <seq|concurrent|conns|mem|construct|bulk> ...".into()),
    }
}

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(v) => {
            println!("{v}");
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("zignsec-bench: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
