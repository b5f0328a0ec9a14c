//! What keeps the mock safe to leave running: the control API and hosted
//! pages answer loopback peers only (unless `allow_remote`), the stats map is
//! bounded, and a body that trickles in is cut off with a 408.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::{IpAddr, TcpStream, UdpSocket};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use serde_json::json;
use zignsec_mock::MockConfig;

/// One of this machine's own non-loopback addresses (the source address a
/// route to a non-local network would use; no packet is sent), if any.
fn own_lan_address() -> Option<IpAddr> {
    let socket = UdpSocket::bind("0.0.0.0:0").ok()?;
    socket.connect("10.255.255.255:9").ok()?;
    let ip = socket.local_addr().ok()?.ip();
    (!ip.is_loopback() && !ip.is_unspecified()).then_some(ip)
}

fn on_all_interfaces(allow_remote: bool) -> zignsec_mock::MockServer {
    start_with(MockConfig {
        host: "0.0.0.0".into(),
        allow_remote,
        ..MockConfig::default()
    })
}

#[test]
fn control_api_and_pages_answer_loopback_peers_only() {
    let Some(lan) = own_lan_address() else {
        eprintln!("skipped: this machine has no non-loopback address to connect from");
        return;
    };
    let m = on_all_interfaces(false);
    let local = m.url();
    let remote = format!("http://{}", std::net::SocketAddr::new(lan, m.port()));
    let (id, _) = new_phone(
        &local,
        &json!({"metadata": {"phone_number": "+46701234567"}}),
    );
    let (email_id, _) = new_email(&local, &email_body("jane@example.com"));
    let keyless = [
        ("GET", "/_mock/health".to_string()),
        ("GET", "/_mock/sessions".to_string()),
        ("GET", format!("/_mock/sessions/{id}")),
        ("POST", format!("/_mock/sessions/{id}/status")),
        ("GET", "/_mock/stats".to_string()),
        ("POST", "/_mock/reset".to_string()),
        ("GET", "/_mock/nope".to_string()),
        ("GET", format!("/2fa-ui/2fa/phone/{id}")),
        ("POST", format!("/2fa-ui/2fa/phone/{id}/send")),
        ("POST", format!("/2fa-ui/2fa/phone/{id}/cancel")),
        ("GET", format!("/2fa-ui/2fa/email/{email_id}")),
        ("POST", format!("/2fa-ui/2fa/email/{email_id}/verify")),
    ];
    for (method, path) in &keyless {
        let r = req(&remote, method, path, &[JSON], br#"{"status":"failed"}"#);
        assert_eq!(r.status, 403, "{method} {path}: {}", r.text());
        let v = r.json();
        assert_eq!(v["errors"][0]["code"], "forbidden", "{v}");
        assert!(r.error_description().contains("--allow-remote"), "{v}");
        assert!(!r.text().contains(&id));
    }
    // Nothing the remote peer asked for happened.
    assert_eq!(state(&local, &id)["status"], "pending");
    assert_eq!(state(&local, &id)["codes_sent"], 0);
    // The gateway endpoints (which need the key) answer remote peers.
    assert_eq!(
        get(&remote, &format!("/core/api/sessions/{id}")).status,
        200
    );
    assert_eq!(
        post_json(&remote, SMS_PATH, &sms_body("+46701234567")).status,
        200
    );
    // Loopback peers keep everything.
    assert_eq!(req(&local, "GET", "/_mock/health", &[], b"").status, 200);
    assert_eq!(
        req(&local, "GET", &format!("/2fa-ui/2fa/phone/{id}"), &[], b"").status,
        200
    );

    let open = on_all_interfaces(true);
    let remote = format!("http://{}", std::net::SocketAddr::new(lan, open.port()));
    assert_eq!(req(&remote, "GET", "/_mock/health", &[], b"").status, 200);
    let (id, _) = new_phone(
        &remote,
        &json!({"metadata": {"phone_number": "+46701234567"}}),
    );
    assert_eq!(state(&remote, &id)["kind"], "phone");
    assert_eq!(
        req(&remote, "GET", &format!("/2fa-ui/2fa/phone/{id}"), &[], b"").status,
        200
    );
}

/// Start the binary; its stderr (read until the URL line is out) and URL.
fn run_binary(args: &[&str]) -> (std::process::Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_zignsec-mock"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let url = first
        .trim_end()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("first line {first:?}"))
        .to_string();
    (child, url)
}

fn stop(mut child: std::process::Child) -> String {
    child.kill().unwrap();
    let out = child.wait_with_output().unwrap();
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_non_loopback_host_without_allow_remote_warns() {
    let (child, url) = run_binary(&["--host", "0.0.0.0", "--port", "0"]);
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    assert_eq!(req(&url, "GET", "/_mock/health", &[], b"").status, 200);
    let stderr = stop(child);
    assert!(stderr.contains("warning"), "{stderr:?}");
    assert!(stderr.contains("--allow-remote"), "{stderr:?}");

    for args in [
        vec!["--host", "0.0.0.0", "--port", "0", "--allow-remote"],
        vec!["--host", "127.0.0.1", "--port", "0"],
        vec!["--host", "localhost", "--port", "0"],
    ] {
        let (child, url) = run_binary(&args);
        assert_eq!(req(&url, "GET", "/_mock/health", &[], b"").status, 200);
        let stderr = stop(child);
        assert!(!stderr.contains("warning"), "{args:?}: {stderr:?}");
    }
}

#[test]
fn stats_stay_bounded() {
    let m = start();
    let base = m.url();
    let (id, _) = new_phone(
        &base,
        &json!({"metadata": {"phone_number": "+46701234567"}}),
    );
    req(&base, "POST", "/_mock/stats/reset", &[], b"");
    let mut c = Conn::open(&base);
    let read = format!("/core/api/sessions/{id}");
    assert_eq!(c.send("GET", &read, &[KEY], b"").unwrap().status, 200);
    // Far more distinct session ids than exact keys are kept.
    for i in 0..4200u32 {
        let path = format!("/core/api/sessions/00000000-0000-4000-8000-{i:012}");
        assert_eq!(c.send("GET", &path, &[KEY], b"").unwrap().status, 404);
    }
    // Ids that are no UUID, pages, unknown paths and methods.
    for i in 0..300 {
        c.send("GET", &format!("/core/api/sessions/junk-{i}"), &[KEY], b"")
            .unwrap();
        c.send("GET", &format!("/random/{i}"), &[], b"").unwrap();
        c.send("GET", &format!("/2fa-ui/2fa/phone/x{i}/result"), &[], b"")
            .unwrap();
    }
    c.send("BREW", "/core/api/sessions/two_factor_auth/sms", &[], b"")
        .unwrap();
    // Known ids keep counting under their own path once the map is full.
    assert_eq!(c.send("GET", &read, &[KEY], b"").unwrap().status, 200);
    let v = req(&base, "GET", "/_mock/stats", &[], b"").json();
    let requests = v["requests"].as_object().unwrap();
    assert_eq!(v["requests_total"], 1 + 4200 + 900 + 1 + 1);
    assert!(requests.len() <= 4096 + 10, "{} keys", requests.len());
    assert_eq!(requests[&format!("GET {read}")], 2);
    assert_eq!(
        requests["GET /core/api/sessions/00000000-0000-4000-8000-000000000000"],
        1
    );
    // 4096 exact keys in all: the phone read and 4095 of the loop's.
    assert_eq!(requests["GET /core/api/sessions/{id}"], 4200 - 4095 + 300);
    assert_eq!(requests["GET /2fa-ui/2fa/phone/{id}/result"], 300);
    assert_eq!(requests["other"], 301);
    let total: u64 = requests.values().map(|n| n.as_u64().unwrap()).sum();
    assert_eq!(v["requests_total"].as_u64().unwrap(), total);
    // A reset empties the map (and makes room for exact keys again).
    req(&base, "POST", "/_mock/stats/reset", &[], b"");
    let path = "/core/api/sessions/00000000-0000-4000-8000-999999999999";
    assert_eq!(get(&base, path).status, 404);
    let v = req(&base, "GET", "/_mock/stats", &[], b"").json();
    assert_eq!(v["requests"], json!({ format!("GET {path}"): 1 }));
}

/// Send a request's headers, then its body one byte at a time, `gap` apart,
/// stopping as soon as the mock answers; the answer's status line and how
/// long it took.
fn drip(base: &str, path: &str, body: &[u8], gap: Duration) -> (String, Duration) {
    let mut s = TcpStream::connect(base.trim_start_matches("http://")).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(
        s,
        "POST {path} HTTP/1.1\r\nHost: x\r\nAuthorization: k\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .unwrap();
    s.flush().unwrap();
    let started = Instant::now();
    let reader = s.try_clone().unwrap();
    let waiter = std::thread::spawn(move || {
        let mut reader = BufReader::new(reader);
        let r = read_response(&mut reader);
        (r, started.elapsed())
    });
    for b in body {
        if waiter.is_finished() || s.write_all(&[*b]).is_err() {
            break;
        }
        std::thread::sleep(gap);
    }
    let (r, took) = waiter.join().unwrap();
    let r = r.unwrap();
    if r.status == 408 {
        assert_eq!(r.header("connection"), Some("close"));
        assert_eq!(r.json()["errors"][0]["code"], "request_timeout");
    }
    (format!("{} {}", r.status, r.text()), took)
}

#[test]
fn a_trickling_body_is_cut_off_with_408() {
    let m = start_with(MockConfig {
        body_read_timeout: Duration::from_millis(800),
        ..MockConfig::default()
    });
    let base = m.url();
    let body = sms_body("+46701234567").to_string();
    // 100 bytes at 50 ms each would take 5 s.
    let (answer, took) = drip(&base, SMS_PATH, body.as_bytes(), Duration::from_millis(50));
    assert!(answer.starts_with("408 "), "{answer}");
    assert!(
        took >= Duration::from_millis(700) && took < Duration::from_secs(3),
        "{took:?}"
    );
    // The same for the control API and the hosted pages' forms.
    let (answer, _) = drip(
        &base,
        "/_mock/faults",
        br#"{"status":500,"count":1}"#.repeat(4).as_slice(),
        Duration::from_millis(50),
    );
    assert!(answer.starts_with("408 "), "{answer}");
    assert_eq!(
        req(&base, "GET", "/_mock/faults", &[], b"").json()["queued"],
        0
    );
    // A slow body that makes it in time is fine.
    let short = br#"{"metadata":{"phone_number":"+46701234567"}}"#;
    let (answer, _) = drip(&base, PHONE_PATH, short, Duration::from_millis(5));
    assert!(answer.starts_with("200 "), "{answer}");
    // Headers and no body at all: cut off too, and others are served meanwhile.
    let mut idle = TcpStream::connect(base.trim_start_matches("http://")).unwrap();
    write!(
        idle,
        "POST {SMS_PATH} HTTP/1.1\r\nHost: x\r\nAuthorization: k\r\nContent-Type: application/json\r\nContent-Length: 50\r\n\r\n"
    )
    .unwrap();
    assert_eq!(req(&base, "GET", "/_mock/health", &[], b"").status, 200);
    idle.set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let r = read_response(&mut BufReader::new(idle)).unwrap();
    assert_eq!(r.status, 408);
    // Nothing was created by the refused sends.
    let v = req(&base, "GET", "/_mock/sessions", &[], b"").json();
    assert_eq!(v["sessions"].as_array().unwrap().len(), 1);
}

#[test]
fn the_body_deadline_defaults_to_ten_seconds() {
    assert_eq!(
        MockConfig::default().body_read_timeout,
        Duration::from_secs(10)
    );
    assert_eq!(
        zignsec_mock::DEFAULT_BODY_READ_TIMEOUT,
        Duration::from_secs(10)
    );
    let (child, url) = run_binary(&["--port", "0", "--body-read-timeout-ms", "500"]);
    let (answer, took) = drip(&url, SMS_PATH, &[b' '; 100], Duration::from_millis(50));
    assert!(answer.starts_with("408 "), "{answer}");
    assert!(took < Duration::from_secs(3), "{took:?}");
    stop(child);
}
