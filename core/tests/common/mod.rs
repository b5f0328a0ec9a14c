//! Shared helpers for the core's integration tests: a mock gateway per test, and a
//! tiny HTTP/1.1 client for its control API (plain std, so it shares nothing with
//! the client under test).
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use serde_json::Value;
use zignsec_mock::{MockConfig, MockServer};

pub const KEY: &str = "sk_test_RECOGNISABLE_KEY_4f1d2c";
pub const SESSION_ID: &str = "26f5cc23-dbbb-45bb-a210-2818e70637bd";

pub struct Gateway {
    pub server: MockServer,
}

pub fn gateway() -> Gateway {
    gateway_with(Duration::from_millis(200))
}

pub fn gateway_with(sms_delivery: Duration) -> Gateway {
    let server = MockServer::start(MockConfig {
        api_key: Some(KEY.to_string()),
        sms_delivery,
        ..MockConfig::default()
    })
    .expect("start the mock gateway");
    Gateway { server }
}

pub struct Reply {
    pub status: u16,
    pub headers: String,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim()
                .eq_ignore_ascii_case(name)
                .then(|| v.trim().to_string())
        })
    }
}

/// One HTTP/1.1 request on its own connection.
pub fn http(url: &str, method: &str, path: &str, content_type: Option<&str>, body: &str) -> Reply {
    let authority = url.trim_start_matches("http://");
    let mut stream = TcpStream::connect(authority).expect("connect to the mock");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\nContent-Length: {}\r\n", body.len());
    if let Some(ct) = content_type {
        req.push_str(&format!("Content-Type: {ct}\r\n"));
    }
    req.push_str("\r\n");
    req.push_str(body);
    stream.write_all(req.as_bytes()).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).to_string();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        dechunk(body)
    } else {
        body.to_string()
    };
    Reply {
        status,
        headers: head.to_string(),
        body,
    }
}

fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 || rest.len() < n {
            break;
        }
        out.push_str(&rest[..n]);
        body = rest[n..].trim_start_matches("\r\n");
    }
    out
}

impl Gateway {
    pub fn url(&self) -> String {
        self.server.url()
    }

    pub fn client(&self) -> zignsec::Client {
        self.builder().build().expect("build client")
    }

    pub fn builder(&self) -> zignsec::ClientBuilder {
        zignsec::Client::builder()
            .ignore_env()
            .api_key(KEY)
            .base_url(self.url())
    }

    pub fn fault(&self, fault: Value) {
        let r = http(
            &self.url(),
            "POST",
            "/_mock/faults",
            Some("application/json"),
            &fault.to_string(),
        );
        assert_eq!(r.status, 200, "queue fault: {}", r.body);
    }

    pub fn stats(&self) -> Value {
        http(&self.url(), "GET", "/_mock/stats", None, "").json()
    }

    /// Requests the gateway saw for "<METHOD> <path>".
    pub fn count(&self, key: &str) -> u64 {
        self.stats()["requests"][key].as_u64().unwrap_or(0)
    }

    pub fn total(&self) -> u64 {
        self.stats()["requests_total"].as_u64().unwrap_or(0)
    }

    pub fn session(&self, id: &str) -> Value {
        http(
            &self.url(),
            "GET",
            &format!("/_mock/sessions/{id}"),
            None,
            "",
        )
        .json()
    }

    pub fn force_status(&self, id: &str, status: &str) {
        let r = http(
            &self.url(),
            "POST",
            &format!("/_mock/sessions/{id}/status"),
            Some("application/json"),
            &serde_json::json!({ "status": status }).to_string(),
        );
        assert!(r.status < 300, "force status: {}", r.body);
    }

    /// Play the user on the hosted page: ask for a code, read it from the mock's
    /// inbox, type `code` (or the right one when `None`).
    pub fn hosted_page(&self, redirect_url: &str, action: &str, code: Option<&str>) -> Reply {
        let path = redirect_url
            .strip_prefix(&self.url())
            .expect("redirect_url on the mock");
        match action {
            "send" => http(
                &self.url(),
                "POST",
                &format!("{path}/send"),
                Some("application/x-www-form-urlencoded"),
                "",
            ),
            "cancel" => http(
                &self.url(),
                "POST",
                &format!("{path}/cancel"),
                Some("application/x-www-form-urlencoded"),
                "",
            ),
            _ => {
                let id = path.rsplit('/').next().unwrap();
                let right = self.session(id)["last_code"]
                    .as_str()
                    .unwrap_or("")
                    .to_string();
                let code = code.map(str::to_string).unwrap_or(right);
                http(
                    &self.url(),
                    "POST",
                    &format!("{path}/verify"),
                    Some("application/x-www-form-urlencoded"),
                    &format!("code={code}"),
                )
            }
        }
    }
}

/// A port with nothing listening on it.
pub fn closed_port_url() -> String {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    drop(l);
    format!("http://127.0.0.1:{port}")
}
