//! Garbage never crashes the mock: it keeps answering afterwards.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use common::*;
use rand::{Rng, SeedableRng};

fn still_alive(base: &str) {
    let r = req(base, "GET", "/_mock/health", &[], b"");
    assert_eq!(r.status, 200);
    assert_eq!(
        post_json(base, SMS_PATH, &sms_body("+46701234567")).status,
        200
    );
}

/// Send raw bytes, read whatever comes back (until close or timeout).
fn raw(base: &str, bytes: &[u8]) -> Vec<u8> {
    let mut s = TcpStream::connect(base.trim_start_matches("http://")).unwrap();
    s.set_read_timeout(Some(Duration::from_millis(500)))
        .unwrap();
    let _ = s.write_all(bytes);
    let _ = s.shutdown(std::net::Shutdown::Write);
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    out
}

#[test]
fn random_bytes() {
    let m = start();
    let base = m.url();
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    for i in 0..200 {
        let len = rng.random_range(0..4096);
        let mut bytes: Vec<u8> = (0..len).map(|_| rng.random()).collect();
        if i % 3 == 0 {
            // Random bytes behind a plausible request line.
            let mut v = format!("POST {SMS_PATH} HTTP/1.1\r\nContent-Length: {len}\r\nAuthorization: k\r\nContent-Type: application/json\r\n\r\n").into_bytes();
            v.append(&mut bytes);
            bytes = v;
        }
        raw(&base, &bytes);
    }
    still_alive(&base);
}

#[test]
fn random_json_bodies() {
    let m = start();
    let base = m.url();
    let mut rng = rand::rngs::StdRng::seed_from_u64(11);
    let pieces = [
        "{",
        "}",
        "[",
        "]",
        "\"metadata\"",
        ":",
        ",",
        "\"to\"",
        "\"+46701234567\"",
        "null",
        "1e999",
        "-1",
        "\"\\u0000\"",
        "\"from\"",
        "\"message\"",
        "\"max_message_parts\"",
        "99999999999999999999",
        "true",
        "\"\\ud800\"",
        "{\"metadata\":{",
        "\"webhook\"",
        "\"http://127.0.0.1:1/\"",
    ];
    for _ in 0..300 {
        let n = rng.random_range(1..30);
        let body: String = (0..n)
            .map(|_| pieces[rng.random_range(0..pieces.len())])
            .collect();
        for path in [
            SMS_PATH,
            PHONE_PATH,
            "/_mock/faults",
            "/_mock/sessions/x/status",
        ] {
            let r = req(&base, "POST", path, &[KEY, JSON], body.as_bytes());
            assert!(
                r.status < 500 || path == "/_mock/faults",
                "{path} {body}: {}",
                r.status
            );
        }
        req(&base, "DELETE", "/_mock/faults", &[], b"");
    }
    still_alive(&base);
}

#[test]
fn huge_headers_and_bad_utf8() {
    let m = start();
    let base = m.url();
    let huge = "a".repeat(1024 * 1024);
    let mut bytes =
        format!("GET /core/api/sessions/x HTTP/1.1\r\nHost: x\r\nX-Big: {huge}\r\n\r\n")
            .into_bytes();
    let reply = raw(&base, &bytes);
    if !reply.is_empty() {
        assert!(String::from_utf8_lossy(&reply).starts_with("HTTP/1.1 431"));
    }
    // Thousands of headers.
    bytes = b"GET / HTTP/1.1\r\nHost: x\r\n".to_vec();
    for i in 0..5000 {
        bytes.extend_from_slice(format!("X-H{i}: v\r\n").as_bytes());
    }
    bytes.extend_from_slice(b"\r\n");
    raw(&base, &bytes);
    // Bad UTF-8 in the path, headers and body.
    for req_bytes in [
        b"GET /core/api/sessions/\xff\xfe HTTP/1.1\r\nHost: x\r\nAuthorization: k\r\n\r\n".to_vec(),
        b"GET /core/api/sessions/%ff%fe%00 HTTP/1.1\r\nHost: x\r\nAuthorization: k\r\n\r\n".to_vec(),
        b"GET /2fa-ui/2fa/phone/%ff%fe HTTP/1.1\r\nHost: x\r\n\r\n".to_vec(),
        b"GET /_mock/sessions/%ff HTTP/1.1\r\nHost: x\r\n\r\n".to_vec(),
        b"POST /core/api/sessions/two_factor_auth/sms HTTP/1.1\r\nHost: x\r\nAuthorization: \xff\xfe\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}".to_vec(),
        b"POST /core/api/sessions/two_factor_auth/phone HTTP/1.1\r\nHost: x\r\nAuthorization: k\r\nx-csrf-token: \xff\r\nContent-Type: application/json\r\nContent-Length: 40\r\n\r\n{\"metadata\":{\"phone_number\":\"+46\xff\xfe\"}}  ".to_vec(),
        b"POST /core/api/sessions/two_factor_auth/sms HTTP/1.1\r\nHost: x\r\nAuthorization: k\r\nContent-Type: \xff\r\nContent-Length: 2\r\n\r\n{}".to_vec(),
        b"POST /2fa-ui/2fa/phone/26f5cc23-dbbb-45bb-a210-2818e70637bd/verify HTTP/1.1\r\nHost: x\r\nContent-Length: 8\r\n\r\ncode=\xff\xfe\x00".to_vec(),
        b"GET /2fa-ui/2fa/phone/x?notice=%ff&notice=1 HTTP/1.1\r\nHost: x\r\n\r\n".to_vec(),
        b"POST /core/api/sessions/two_factor_auth/sms HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999999\r\n\r\n".to_vec(),
        b"POST /core/api/sessions/two_factor_auth/sms HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n".to_vec(),
        b"GET http://evil/%2e%2e/ HTTP/1.1\r\n\r\n".to_vec(),
        b"\r\n\r\n\r\n".to_vec(),
        b"GET / HTTP/9.9\r\n\r\n".to_vec(),
    ] {
        let reply = raw(&base, &req_bytes);
        let text = String::from_utf8_lossy(&reply);
        assert!(!text.starts_with("HTTP/1.1 5"), "{text}");
    }
    // A bad-UTF-8 phone number inside JSON is a 400, not a crash.
    let r = req(
        &base,
        "POST",
        PHONE_PATH,
        &[KEY, JSON],
        b"{\"metadata\":{\"phone_number\":\"+46\xff\xfe\"}}",
    );
    assert_eq!(r.status, 400);
    still_alive(&base);
}

#[test]
fn half_open_and_slow_clients_do_not_block_others() {
    let m = start();
    let base = m.url();
    // Connections that send a partial request and sit there.
    let idle: Vec<TcpStream> = (0..50)
        .map(|_| {
            let mut s = TcpStream::connect(base.trim_start_matches("http://")).unwrap();
            let _ = s.write_all(b"POST /core/api/sessions/two_factor_auth/sms HTTP/1.1\r\nContent-Length: 100\r\n\r\n{");
            s
        })
        .collect();
    still_alive(&base);
    drop(idle);
    still_alive(&base);
}
