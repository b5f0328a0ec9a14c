//! Test helpers: a mock on a free port, and a tiny HTTP/1.1 client on plain
//! `std::net::TcpStream` (so tests control every byte and connection).
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::Value;
use zignsec_mock::{MockConfig, MockServer};

pub const SECRET: &str = "test-webhook-secret";

pub fn start() -> MockServer {
    start_with(MockConfig {
        webhook_secret: SECRET.to_string(),
        ..MockConfig::default()
    })
}

pub fn start_with(config: MockConfig) -> MockServer {
    MockServer::start(config).expect("mock starts")
}

#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }
    /// The first error description of a gateway error body.
    pub fn error_description(&self) -> String {
        let v = self.json();
        v["errors"][0]["description"]
            .as_str()
            .unwrap_or_else(|| panic!("no errors[0].description: {v}"))
            .to_string()
    }
}

/// One keep-alive HTTP/1.1 connection.
pub struct Conn {
    reader: BufReader<TcpStream>,
    host: String,
}

impl Conn {
    pub fn open(base: &str) -> Conn {
        let addr = base.trim_start_matches("http://").to_string();
        let stream = TcpStream::connect(&addr).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        Conn {
            reader: BufReader::new(stream),
            host: addr,
        }
    }

    pub fn stream(&mut self) -> &mut TcpStream {
        self.reader.get_mut()
    }

    pub fn send(
        &mut self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> std::io::Result<Resp> {
        let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {}\r\n", self.host);
        for (k, v) in headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        if !body.is_empty() || method == "POST" {
            head.push_str(&format!("Content-Length: {}\r\n", body.len()));
        }
        head.push_str("\r\n");
        let stream = self.reader.get_mut();
        stream.write_all(head.as_bytes())?;
        stream.write_all(body)?;
        stream.flush()?;
        read_response(&mut self.reader)
    }
}

pub fn read_response<R: BufRead>(reader: &mut R) -> std::io::Result<Resp> {
    let mut line = String::new();
    if reader.read_line(&mut line)? == 0 {
        return Err(std::io::Error::new(
            std::io::ErrorKind::UnexpectedEof,
            "connection closed before a response",
        ));
    }
    let status: u16 = line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("bad status line {line:?}")))?;
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        reader.read_line(&mut h)?;
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
    }
    let get = |n: &str| headers.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone());
    let mut body = Vec::new();
    if let Some(len) = get("content-length").and_then(|v| v.parse::<usize>().ok()) {
        body.resize(len, 0);
        reader.read_exact(&mut body)?;
    } else if get("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked")) {
        loop {
            let mut size = String::new();
            reader.read_line(&mut size)?;
            let n = usize::from_str_radix(size.trim(), 16).map_err(std::io::Error::other)?;
            let mut chunk = vec![0; n + 2];
            reader.read_exact(&mut chunk)?;
            if n == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..n]);
        }
    } else if status >= 200 && status != 204 && status != 304 {
        reader.read_to_end(&mut body)?;
    }
    Ok(Resp {
        status,
        headers,
        body,
    })
}

/// One request on a fresh connection.
pub fn req(base: &str, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Resp {
    Conn::open(base)
        .send(method, path, headers, body)
        .unwrap_or_else(|e| panic!("{method} {path}: {e}"))
}

pub const KEY: (&str, &str) = ("Authorization", "test-key");
pub const JSON: (&str, &str) = ("Content-Type", "application/json");

pub fn get(base: &str, path: &str) -> Resp {
    req(base, "GET", path, &[KEY], b"")
}

pub fn post_json(base: &str, path: &str, body: &Value) -> Resp {
    req(
        base,
        "POST",
        path,
        &[KEY, JSON],
        body.to_string().as_bytes(),
    )
}

pub fn post_form(base: &str, path: &str, form: &str) -> Resp {
    req(
        base,
        "POST",
        path,
        &[("Content-Type", "application/x-www-form-urlencoded")],
        form.as_bytes(),
    )
}

/// `GET /_mock/sessions/{id}`
pub fn state(base: &str, id: &str) -> Value {
    let r = req(base, "GET", &format!("/_mock/sessions/{id}"), &[], b"");
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()
}

/// The gateway's delivery records for session `id` once it holds at least `n` (it
/// records a delivery when the receiver has answered, which can be after the receiver
/// saw the request).
pub fn deliveries(base: &str, id: &str, n: usize, timeout: Duration) -> Vec<Value> {
    wait_for(timeout, || {
        let d = state(base, id)["webhook_deliveries"]
            .as_array()
            .expect("webhook_deliveries is a list")
            .clone();
        (d.len() >= n).then_some(d)
    })
}

pub const SMS_PATH: &str = "/core/api/sessions/two_factor_auth/sms";
pub const PHONE_PATH: &str = "/core/api/sessions/two_factor_auth/phone";
pub const EMAIL_PATH: &str = "/core/api/sessions/two_factor_auth/email";

/// A valid email-verification body (every required field).
pub fn email_body(address: &str) -> Value {
    serde_json::json!({
        "locale": "sv-SE",
        "metadata": {"email_address": address},
        "redirect_success": "https://app.example/ok?x=1",
        "redirect_failure": "https://app.example/fail",
    })
}

pub fn new_email(base: &str, body: &Value) -> (String, String) {
    let r = post_json(base, EMAIL_PATH, body);
    assert_eq!(r.status, 200, "{}", r.text());
    let v = r.json();
    (
        v["data"]["id"].as_str().unwrap().to_string(),
        v["data"]["redirect_url"].as_str().unwrap().to_string(),
    )
}

pub fn sms_body(to: &str) -> Value {
    serde_json::json!({
        "metadata": {"from": "ZignSec", "to": to, "message": "Your code: 12345", "max_message_parts": 1}
    })
}

pub fn new_sms(base: &str, body: &Value) -> String {
    let r = post_json(base, SMS_PATH, body);
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()["data"]["id"].as_str().unwrap().to_string()
}

pub fn new_phone(base: &str, body: &Value) -> (String, String) {
    let r = post_json(base, PHONE_PATH, body);
    assert_eq!(r.status, 200, "{}", r.text());
    let v = r.json();
    (
        v["data"]["id"].as_str().unwrap().to_string(),
        v["data"]["redirect_url"].as_str().unwrap().to_string(),
    )
}

/// Poll `f` until it returns `Some` or `timeout` passes.
pub fn wait_for<T>(timeout: Duration, mut f: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(v) = f() {
            return v;
        }
        assert!(Instant::now() < deadline, "timed out waiting");
        thread::sleep(Duration::from_millis(20));
    }
}

/// A request a [`Listener`] received.
#[derive(Debug, Clone)]
pub struct Captured {
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Captured {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A local HTTP listener that records requests and answers with the given
/// statuses in turn (the last one repeated).
pub struct Listener {
    pub addr: SocketAddr,
    pub received: Arc<Mutex<Vec<Captured>>>,
}

impl Listener {
    pub fn start(statuses: Vec<u16>) -> Listener {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let received = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&received);
        thread::spawn(move || {
            let mut n = 0usize;
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let status = *statuses.get(n).or(statuses.last()).unwrap_or(&200);
                n += 1;
                let _ = handle_one(stream, status, &sink);
            }
        });
        Listener { addr, received }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub fn received(&self) -> Vec<Captured> {
        self.received.lock().unwrap().clone()
    }
}

fn handle_one(stream: TcpStream, status: u16, sink: &Mutex<Vec<Captured>>) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let path = line.split_whitespace().nth(1).unwrap_or("").to_string();
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        reader.read_line(&mut h)?;
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    let len = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = vec![0; len];
    reader.read_exact(&mut body)?;
    sink.lock().unwrap().push(Captured {
        path,
        headers,
        body,
    });
    let mut stream = reader.into_inner();
    write!(
        stream,
        "HTTP/1.1 {status} X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )?;
    stream.flush()
}
