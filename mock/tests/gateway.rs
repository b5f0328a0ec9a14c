//! The three gateway endpoints: seeds' examples, shapes, validation, errors,
//! SMS progression, and the binary's CLI contract.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use common::*;
use serde_json::json;
use zignsec_mock::MockConfig;

fn seed_sms() -> serde_json::Value {
    json!({
        "metadata": {
            "from": "+123456789",
            "max_message_parts": 1,
            "message": "ZignSec Testing",
            "to": "+46701234567"
        },
        "relay_state": "my-internal-user-id",
        "webhook": "https://webhook.site/"
    })
}

fn seed_phone() -> serde_json::Value {
    json!({ "locale": "En", "metadata": { "phone_number": "+46703339954" },
        "redirect_failure": "https://my_failure_url.com", "redirect_success": "https://my_success_url.com",
        "relay_state": "Tulasi_V5_SMS", "webhook": "https://webhook.site/zignsec" })
}

fn is_uuid(s: &str) -> bool {
    uuid::Uuid::try_parse(s).is_ok() && s.len() == 36
}

#[test]
fn seed_sms_example_gets_documented_shapes() {
    let m = start();
    let base = m.url();
    let r = req(
        &base,
        "POST",
        SMS_PATH,
        &[
            ("Authorization", "API key"),
            ("Content-Type", "application/json"),
            ("Accept", "application/json"),
        ],
        seed_sms().to_string().as_bytes(),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r
        .header("content-type")
        .unwrap()
        .starts_with("application/json"));
    assert!(is_uuid(r.header("x-request-id").unwrap()));
    let v = r.json();
    let data = v["data"].as_object().unwrap();
    assert_eq!(data.len(), 2, "{v}");
    let id = data["id"].as_str().unwrap();
    assert!(is_uuid(id));
    assert_eq!(data["status"], "pending");

    let r = req(
        &base,
        "GET",
        &format!("/core/api/sessions/{id}"),
        &[("Authorization", "API key")],
        b"",
    );
    assert_eq!(r.status, 200);
    let v = r.json();
    assert_eq!(v["data"]["id"], id);
    assert_eq!(v["data"]["number_of_message_parts"], 1);
    assert_eq!(v["data"]["request_data"], seed_sms());
    assert_eq!(v["data"].as_object().unwrap().len(), 4, "{v}");

    let done = wait_for(Duration::from_secs(5), || {
        let v = get(&base, &format!("/core/api/sessions/{id}")).json();
        (v["data"]["status"] == "delivered").then_some(v)
    });
    assert_eq!(done["data"]["request_data"], seed_sms());
}

#[test]
fn seed_phone_example_gets_documented_shapes() {
    let m = start();
    let base = m.url();
    let r = req(
        &base,
        "POST",
        PHONE_PATH,
        &[
            ("accept", "application/json"),
            ("Content-Type", "application/json"),
            (
                "x-csrf-token",
                "XAoXAwglHykhAEkcUGp0T0A_BAgnUgMvoSUgkouQSjzof3Y87HcYu8lb",
            ),
            ("Authorization", "API key"),
        ],
        seed_phone().to_string().as_bytes(),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let v = r.json();
    let data = v["data"].as_object().unwrap();
    assert_eq!(data.len(), 3);
    let id = data["id"].as_str().unwrap();
    assert_eq!(data["status"], "pending");
    assert_eq!(
        data["redirect_url"],
        format!("{base}/2fa-ui/2fa/phone/{id}")
    );
    assert!(base.starts_with("http://127.0.0.1:"));

    let v = get(&base, &format!("/core/api/sessions/{id}")).json();
    assert_eq!(v["data"]["id"], id);
    assert_eq!(v["data"]["status"], "pending");
    assert_eq!(v["data"]["phone_number"], "+46703339954");
    assert_eq!(v["data"]["request_data"], seed_phone());
    assert!(v["data"].get("number_of_message_parts").is_none());

    let s = state(&base, id);
    assert_eq!(
        s["csrf_token"],
        "XAoXAwglHykhAEkcUGp0T0A_BAgnUgMvoSUgkouQSjzof3Y87HcYu8lb"
    );
    assert_eq!(s["kind"], "phone");
    assert_eq!(s["last_code"], serde_json::Value::Null);
}

#[test]
fn optional_fields_are_omitted_from_request_data() {
    let m = start();
    let base = m.url();
    let id = new_sms(&base, &sms_body("+46701234567"));
    let v = get(&base, &format!("/core/api/sessions/{id}")).json();
    assert_eq!(
        v["data"]["request_data"],
        json!({"metadata": {"from": "ZignSec", "to": "+46701234567", "message": "Your code: 12345", "max_message_parts": 1}})
    );
    let (pid, _) = new_phone(
        &base,
        &json!({"metadata": {"phone_number": "+46701234567"}}),
    );
    let v = get(&base, &format!("/core/api/sessions/{pid}")).json();
    assert_eq!(
        v["data"]["request_data"],
        json!({"metadata": {"phone_number": "+46701234567"}})
    );
    assert!(state(&base, &pid).get("csrf_token").is_none());
}

#[test]
fn number_of_message_parts_comes_from_the_core() {
    let m = start();
    let base = m.url();
    let message = "{}[]".repeat(45); // GSM-7 extension characters count two septets
    let ucs2 = "Привет ".repeat(20); // 140 UCS-2 units -> 3 parts of 67
    let expected = zignsec::sms_parts(&ucs2).unwrap().parts;
    assert!(expected > 1);
    let mut body = sms_body("+46701234567");
    body["metadata"]["message"] = json!(ucs2);
    body["metadata"]["max_message_parts"] = json!(10);
    let id = new_sms(&base, &body);
    let v = get(&base, &format!("/core/api/sessions/{id}")).json();
    assert_eq!(v["data"]["number_of_message_parts"], expected);
    body["metadata"]["message"] = json!(message);
    let id = new_sms(&base, &body);
    assert_eq!(
        get(&base, &format!("/core/api/sessions/{id}")).json()["data"]["number_of_message_parts"],
        zignsec::sms_parts(&message).unwrap().parts
    );
}

#[test]
fn sms_progresses_to_delivered_and_0000_fails() {
    let m = start_with(MockConfig {
        sms_delivery: Duration::from_millis(400),
        ..MockConfig::default()
    });
    let base = m.url();
    let ok = new_sms(&base, &sms_body("+46701234567"));
    let bad = new_sms(&base, &sms_body("+46700000000"));
    let mut seen = Vec::new();
    let status = |id: &str| {
        get(&base, &format!("/core/api/sessions/{id}")).json()["data"]["status"]
            .as_str()
            .unwrap()
            .to_string()
    };
    wait_for(Duration::from_secs(5), || {
        let s = status(&ok);
        if seen.last() != Some(&s) {
            seen.push(s.clone());
        }
        (s == "delivered").then_some(())
    });
    assert_eq!(seen.first().map(String::as_str), Some("pending"));
    assert!(seen.contains(&"dispatched".to_string()), "{seen:?}");
    wait_for(Duration::from_secs(5), || {
        (status(&bad) == "failed").then_some(())
    });
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(status(&ok), "delivered");
    assert_eq!(status(&bad), "failed");
}

#[test]
fn validation_errors_are_400_with_gateway_error_bodies() {
    let m = start();
    let base = m.url();
    let cases: Vec<(serde_json::Value, &str)> = vec![
        (json!({}), "metadata"),
        (json!({"metadata": "x"}), "metadata"),
        (
            json!({"metadata": {"from": "ZignSec", "message": "hi", "max_message_parts": 1}}),
            "to",
        ),
        (
            json!({"metadata": {"from": "ZignSec", "to": "0701234567", "message": "hi", "max_message_parts": 1}}),
            "to",
        ),
        (
            json!({"metadata": {"from": "ZignSec", "to": 46701234567u64, "message": "hi", "max_message_parts": 1}}),
            "to",
        ),
        (
            json!({"metadata": {"from": "ThisSenderIsTooLong", "to": "+46701234567", "message": "hi", "max_message_parts": 1}}),
            "from",
        ),
        (
            json!({"metadata": {"from": "ZignSec", "to": "+46701234567", "message": "", "max_message_parts": 1}}),
            "message",
        ),
        (
            json!({"metadata": {"from": "ZignSec", "to": "+46701234567", "message": "x".repeat(200), "max_message_parts": 1}}),
            "message",
        ),
        (
            json!({"metadata": {"from": "ZignSec", "to": "+46701234567", "message": "hi", "max_message_parts": 11}}),
            "max_message_parts",
        ),
        (
            json!({"metadata": {"from": "ZignSec", "to": "+46701234567", "message": "hi", "max_message_parts": 1.5}}),
            "max_message_parts",
        ),
        (
            json!({"metadata": {"from": "ZignSec", "to": "+46701234567", "message": "hi"}}),
            "max_message_parts",
        ),
        (
            json!({"metadata": {"from": "ZignSec", "to": "+46701234567", "message": "hi", "max_message_parts": 1}, "webhook": "http://example.com/x"}),
            "webhook",
        ),
        (
            json!({"metadata": {"from": "ZignSec", "to": "+46701234567", "message": "hi", "max_message_parts": 1}, "relay_state": ""}),
            "relay_state",
        ),
    ];
    for (body, field) in cases {
        let r = post_json(&base, SMS_PATH, &body);
        assert_eq!(r.status, 400, "{body}: {}", r.text());
        let v = r.json();
        assert_eq!(v["errors"][0]["code"], "invalid_request");
        let all: Vec<&str> = v["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["description"].as_str().unwrap())
            .collect();
        assert!(
            all.iter().any(|d| d.contains(field)),
            "{body}: {all:?} should name {field}"
        );
        assert!(r.header("x-request-id").is_some());
    }
    let phone_cases: Vec<(serde_json::Value, &str)> = vec![
        (json!({"metadata": {}}), "phone_number"),
        (json!({"metadata": {"phone_number": "+46"}}), "phone_number"),
        (
            json!({"metadata": {"phone_number": "+46701234567"}, "locale": "a b"}),
            "locale",
        ),
        (
            json!({"metadata": {"phone_number": "+46701234567"}, "redirect_success": "ftp://x"}),
            "redirect_success",
        ),
        (
            json!({"metadata": {"phone_number": "+46701234567"}, "redirect_failure": "http://evil.example/"}),
            "redirect_failure",
        ),
    ];
    for (body, field) in phone_cases {
        let r = post_json(&base, PHONE_PATH, &body);
        assert_eq!(r.status, 400, "{body}: {}", r.text());
        assert!(r.error_description().contains(field), "{}", r.text());
    }
    let r = req(
        &base,
        "POST",
        PHONE_PATH,
        &[KEY, JSON, ("x-csrf-token", "bad token with spaces")],
        json!({"metadata": {"phone_number": "+46701234567"}})
            .to_string()
            .as_bytes(),
    );
    assert_eq!(r.status, 400);
    assert!(r.error_description().contains("csrf"));
    // Nothing was created by any of them.
    let v = req(&base, "GET", "/_mock/sessions", &[], b"").json();
    assert_eq!(v["sessions"].as_array().unwrap().len(), 0);
}

#[test]
fn malformed_json_and_wrong_content_type_are_400() {
    let m = start();
    let base = m.url();
    let r = req(&base, "POST", SMS_PATH, &[KEY, JSON], b"{\"metadata\": ");
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["errors"][0]["code"], "invalid_json");
    let r = req(&base, "POST", SMS_PATH, &[KEY, JSON], b"[1,2]");
    assert_eq!(r.status, 400);
    let body = sms_body("+46701234567").to_string();
    for ct in [
        None,
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
    ] {
        let mut headers = vec![KEY];
        if let Some(ct) = ct {
            headers.push(("Content-Type", ct));
        }
        let r = req(&base, "POST", PHONE_PATH, &headers, body.as_bytes());
        assert_eq!(r.status, 400, "{ct:?}");
        assert_eq!(r.json()["errors"][0]["code"], "unsupported_content_type");
    }
    let r = req(
        &base,
        "POST",
        SMS_PATH,
        &[KEY, ("Content-Type", "application/json; charset=utf-8")],
        body.as_bytes(),
    );
    assert_eq!(r.status, 200, "{}", r.text());
}

#[test]
fn missing_or_wrong_key_is_401() {
    let m = start_with(MockConfig {
        api_key: Some("right-key".into()),
        ..MockConfig::default()
    });
    let base = m.url();
    let body = sms_body("+46701234567").to_string();
    for headers in [
        vec![JSON],
        vec![JSON, ("Authorization", "wrong-key")],
        vec![JSON, ("Authorization", "Bearer right-key")],
        vec![JSON, ("Authorization", "")],
    ] {
        let r = req(&base, "POST", SMS_PATH, &headers, body.as_bytes());
        assert_eq!(r.status, 401, "{headers:?}");
        assert_eq!(r.json()["errors"][0]["code"], "unauthorized");
        assert!(!r.text().contains("right-key"));
    }
    let r = req(
        &base,
        "GET",
        "/core/api/sessions/26f5cc23-dbbb-45bb-a210-2818e70637bd",
        &[],
        b"",
    );
    assert_eq!(r.status, 401);
    let r = req(
        &base,
        "POST",
        SMS_PATH,
        &[JSON, ("Authorization", "right-key")],
        body.as_bytes(),
    );
    assert_eq!(r.status, 200);

    // Without a configured key any non-empty key passes, an empty one does not.
    let open = start();
    let r = req(&open.url(), "POST", SMS_PATH, &[JSON], body.as_bytes());
    assert_eq!(r.status, 401);
    let r = req(
        &open.url(),
        "POST",
        SMS_PATH,
        &[JSON, ("Authorization", "anything")],
        body.as_bytes(),
    );
    assert_eq!(r.status, 200);
}

#[test]
fn unknown_sessions_and_paths_are_json_404() {
    let m = start();
    let base = m.url();
    for path in [
        "/core/api/sessions/26f5cc23-dbbb-45bb-a210-2818e70637bd",
        "/core/api/sessions/not-a-uuid",
        "/core/api/sessions/%FF%FE",
        "/nope",
        "/",
        "/core/api/sessions/two_factor_auth/sms/extra",
        "/_mock/nope",
    ] {
        let r = get(&base, path);
        assert_eq!(r.status, 404, "{path}");
        assert!(r.json()["errors"][0]["code"].is_string(), "{path}");
        assert!(r.header("x-request-id").is_some());
    }
    let r = req(
        &base,
        "GET",
        "/_mock/sessions/26f5cc23-dbbb-45bb-a210-2818e70637bd",
        &[],
        b"",
    );
    assert_eq!(r.status, 404);
    let r = get(&base, SMS_PATH);
    assert_eq!(r.status, 405);
    assert!(r.json()["errors"].is_array());
}

#[test]
fn bodies_over_1_mib_are_413() {
    let m = start();
    let base = m.url();
    let mut body = sms_body("+46701234567");
    body["relay_state"] = json!("x".repeat(1024 * 1024 + 10));
    let r = post_json(&base, SMS_PATH, &body);
    assert_eq!(r.status, 413);
    assert_eq!(r.json()["errors"][0]["code"], "payload_too_large");
    // Chunked, so no Content-Length announces it.
    let mut conn = Conn::open(&base);
    use std::io::Write;
    let chunk = vec![b' '; 600 * 1024];
    let s = conn.stream();
    write!(
        s,
        "POST {SMS_PATH} HTTP/1.1\r\nHost: x\r\nAuthorization: k\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    .unwrap();
    for _ in 0..2 {
        write!(s, "{:x}\r\n", chunk.len()).unwrap();
        let _ = s.write_all(&chunk);
        let _ = s.write_all(b"\r\n");
    }
    let _ = s.write_all(b"0\r\n\r\n");
    let mut reader = std::io::BufReader::new(conn.stream().try_clone().unwrap());
    let r = read_response(&mut reader).unwrap();
    assert_eq!(r.status, 413);
}

#[test]
fn every_response_has_a_fresh_request_id() {
    let m = start();
    let base = m.url();
    let a = get(&base, "/nope");
    let b = get(&base, "/nope");
    let c = req(&base, "GET", "/_mock/stats", &[], b"");
    let ids: Vec<&str> = [&a, &b, &c]
        .iter()
        .map(|r| r.header("x-request-id").unwrap())
        .collect();
    assert!(ids.iter().all(|i| is_uuid(i)));
    assert_ne!(ids[0], ids[1]);
    assert_ne!(ids[1], ids[2]);
}

#[test]
fn binary_prints_its_url_first_and_exits_cleanly_on_sigterm() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_zignsec-mock"))
        .args([
            "--port",
            "0",
            "--api-key",
            "cli-key",
            "--sms-delivery-ms",
            "50",
        ])
        .stdout(Stdio::piped())
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
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let port: u16 = url.rsplit(':').next().unwrap().parse().unwrap();
    assert_ne!(port, 0);
    let r = req(
        &url,
        "POST",
        SMS_PATH,
        &[("Authorization", "cli-key"), JSON],
        sms_body("+46701234567").to_string().as_bytes(),
    );
    assert_eq!(r.status, 200);
    let r = req(
        &url,
        "POST",
        SMS_PATH,
        &[("Authorization", "other"), JSON],
        sms_body("+46701234567").to_string().as_bytes(),
    );
    assert_eq!(r.status, 401);
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = child.wait().unwrap();
    assert!(exit.success(), "{exit:?}");

    let help = Command::new(env!("CARGO_BIN_EXE_zignsec-mock"))
        .arg("--help")
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&help.stdout);
    for flag in [
        "--host",
        "--port",
        "--api-key",
        "--webhook-secret",
        "--sms-delivery-ms",
        "--auth-scheme",
        "--allow-remote",
        "--create-status",
        "--body-read-timeout-ms",
    ] {
        assert!(help.contains(flag), "--help lacks {flag}");
    }
}

#[test]
fn works_from_inside_another_tokio_runtime() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let m = start();
        let base = m.url();
        let r = tokio::task::spawn_blocking(move || get(&base, "/nope").status)
            .await
            .unwrap();
        assert_eq!(r, 404);
        drop(m);
    });
}

#[test]
fn dropping_the_server_frees_the_port() {
    let m = start();
    let port = m.port();
    assert_eq!(m.url(), format!("http://127.0.0.1:{port}"));
    drop(m);
    assert!(std::net::TcpStream::connect(("127.0.0.1", port)).is_err());
}

#[test]
fn creates_answer_the_configured_status() {
    let m = start_with(MockConfig {
        create_status: 201,
        ..MockConfig::default()
    });
    let base = m.url();
    let r = post_json(&base, SMS_PATH, &sms_body("+46701234567"));
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.json()["data"]["status"], "pending");
    let r = post_json(
        &base,
        PHONE_PATH,
        &json!({"metadata": {"phone_number": "+46701234567"}}),
    );
    assert_eq!(r.status, 201);
    let r = post_json(&base, EMAIL_PATH, &email_body("jane@example.com"));
    assert_eq!(r.status, 201);
    let id = r.json()["data"]["id"].as_str().unwrap().to_string();
    // Reads and errors keep their own statuses.
    assert_eq!(get(&base, &format!("/core/api/sessions/{id}")).status, 200);
    assert_eq!(post_json(&base, SMS_PATH, &json!({})).status, 400);
    // The default stays 200; a non-2xx setting counts as 200.
    let m = start_with(MockConfig {
        create_status: 500,
        ..MockConfig::default()
    });
    assert_eq!(
        post_json(&m.url(), SMS_PATH, &sms_body("+46701234567")).status,
        200
    );
    for (arg, ok) in [("201", true), ("202", true), ("204", false), ("500", false)] {
        let out = Command::new(env!("CARGO_BIN_EXE_zignsec-mock"))
            .args(["--create-status", arg, "--version"])
            .output()
            .unwrap();
        assert_eq!(out.status.success(), ok, "--create-status {arg}");
    }
}
