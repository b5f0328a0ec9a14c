//! The `/_mock/` control API: faults of every kind, stats and connection
//! counting, reset.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::{Duration, Instant};

use common::*;
use serde_json::{json, Value};

const GET_PATH: &str = "/core/api/sessions/26f5cc23-dbbb-45bb-a210-2818e70637bd";

fn fault(base: &str, spec: Value) -> Value {
    let r = req(
        base,
        "POST",
        "/_mock/faults",
        &[JSON],
        spec.to_string().as_bytes(),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()
}

#[test]
fn status_fault_with_retry_after_applies_count_times() {
    let m = start();
    let base = m.url();
    assert_eq!(
        fault(
            &base,
            json!({"status": 429, "retry_after": "1", "count": 2})
        ),
        json!({"queued": 2})
    );
    for _ in 0..2 {
        let r = get(&base, GET_PATH);
        assert_eq!(r.status, 429);
        assert_eq!(r.header("retry-after"), Some("1"));
        assert!(r.header("x-request-id").is_some());
        assert!(r.json()["errors"][0]["description"].is_string());
    }
    assert_eq!(get(&base, GET_PATH).status, 404);
    // Control paths are never faulted.
    fault(&base, json!({"status": 500}));
    assert_eq!(req(&base, "GET", "/_mock/stats", &[], b"").status, 200);
    assert_eq!(get(&base, GET_PATH).status, 500);
}

#[test]
fn faults_match_method_and_path_prefix_in_fifo_order() {
    let m = start();
    let base = m.url();
    fault(
        &base,
        json!({"method": "POST", "path": "/core/api/sessions/two_factor_auth/sms", "status": 502}),
    );
    fault(
        &base,
        json!({"method": "get", "path": "/core/api/sessions/", "status": 503}),
    );
    fault(&base, json!({"path": "/core/api/sessions/", "status": 504}));
    let v = req(&base, "GET", "/_mock/faults", &[], b"").json();
    assert_eq!(v["queued"], 3);
    assert_eq!(v["faults"].as_array().unwrap().len(), 3);
    // GET skips the POST-only fault and takes the first GET match.
    assert_eq!(get(&base, GET_PATH).status, 503);
    assert_eq!(get(&base, GET_PATH).status, 504);
    assert_eq!(get(&base, GET_PATH).status, 404);
    assert_eq!(
        post_json(
            &base,
            PHONE_PATH,
            &json!({"metadata": {"phone_number": "+46701234567"}})
        )
        .status,
        200
    );
    assert_eq!(
        post_json(&base, SMS_PATH, &sms_body("+46701234567")).status,
        502
    );
    assert_eq!(
        post_json(&base, SMS_PATH, &sms_body("+46701234567")).status,
        200
    );
    // DELETE clears the queue.
    fault(&base, json!({"status": 500, "count": 5}));
    let r = req(&base, "DELETE", "/_mock/faults", &[], b"");
    assert_eq!(r.json(), json!({"queued": 0}));
    assert_eq!(get(&base, GET_PATH).status, 404);
}

#[test]
fn body_and_content_type_faults() {
    let m = start();
    let base = m.url();
    fault(
        &base,
        json!({"status": 200, "body": "<html>oops</html>", "content_type": "text/html"}),
    );
    let r = get(&base, GET_PATH);
    assert_eq!(r.status, 200);
    assert_eq!(r.text(), "<html>oops</html>");
    assert_eq!(r.header("content-type"), Some("text/html"));
    fault(
        &base,
        json!({"status": 400, "body": "{\"error\":{\"type\":\"bad\",\"message\":\"nope\"}}"}),
    );
    let r = get(&base, GET_PATH);
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["error"]["message"], "nope");
    assert_eq!(r.header("content-type"), Some("application/json"));
    // A body alone answers 200.
    fault(&base, json!({"body": "not json"}));
    let r = get(&base, GET_PATH);
    assert_eq!(r.status, 200);
    assert_eq!(r.text(), "not json");
}

#[test]
fn body_bytes_fault_sends_that_many_bytes_of_json() {
    let m = start();
    let base = m.url();
    fault(&base, json!({"body_bytes": 2_000_000}));
    let r = get(&base, GET_PATH);
    assert_eq!(r.status, 200);
    assert_eq!(r.body.len(), 2_000_000);
    let v = r.json();
    assert_eq!(v["data"]["status"], "pending");
    fault(&base, json!({"body_bytes": 10, "status": 500}));
    let r = get(&base, GET_PATH);
    assert_eq!(r.status, 500);
    assert_eq!(r.body.len(), 10);
}

#[test]
fn delay_fault_delays_then_answers_normally() {
    let m = start();
    let base = m.url();
    fault(&base, json!({"delay_ms": 400}));
    let t = Instant::now();
    let r = get(&base, GET_PATH);
    assert!(t.elapsed() >= Duration::from_millis(400));
    assert_eq!(r.status, 404);
    fault(&base, json!({"delay_ms": 300, "status": 503}));
    let t = Instant::now();
    assert_eq!(get(&base, GET_PATH).status, 503);
    assert!(t.elapsed() >= Duration::from_millis(300));
    // A delayed request does not hold up others.
    fault(&base, json!({"delay_ms": 2000}));
    let b2 = base.clone();
    let slow = std::thread::spawn(move || get(&b2, GET_PATH).status);
    std::thread::sleep(Duration::from_millis(100));
    let t = Instant::now();
    assert_eq!(get(&base, GET_PATH).status, 404);
    assert!(t.elapsed() < Duration::from_millis(1000));
    assert_eq!(slow.join().unwrap(), 404);
}

#[test]
fn drop_fault_closes_the_connection_without_a_response() {
    let m = start();
    let base = m.url();
    fault(&base, json!({"drop": true}));
    let mut c = Conn::open(&base);
    let r = c.send("GET", GET_PATH, &[KEY], b"");
    assert!(r.is_err(), "{r:?}");
    // And a POST with a delay first.
    fault(
        &base,
        json!({"drop": true, "delay_ms": 100, "method": "POST"}),
    );
    let mut c = Conn::open(&base);
    let body = sms_body("+46701234567").to_string();
    assert!(c
        .send("POST", SMS_PATH, &[KEY, JSON], body.as_bytes())
        .is_err());
    assert_eq!(get(&base, GET_PATH).status, 404);
    // The dropped POST created no session.
    let v = req(&base, "GET", "/_mock/sessions", &[], b"").json();
    assert!(v["sessions"].as_array().unwrap().is_empty());
}

#[test]
fn invalid_fault_specs_are_400() {
    let m = start();
    let base = m.url();
    for spec in [
        json!({"status": 99}),
        json!({"count": 0}),
        json!({"status": "x"}),
        json!({"unknown_field": 1}),
        json!({"retry_after": "a\nb"}),
        json!({"body_bytes": 1_000_000_000_000u64}),
        json!({"method": "G T"}),
    ] {
        let r = req(
            &base,
            "POST",
            "/_mock/faults",
            &[JSON],
            spec.to_string().as_bytes(),
        );
        assert_eq!(r.status, 400, "{spec}");
    }
    let r = req(&base, "POST", "/_mock/faults", &[JSON], b"{");
    assert_eq!(r.status, 400);
    assert_eq!(
        req(&base, "GET", "/_mock/faults", &[], b"").json()["queued"],
        0
    );
    // An array queues several at once.
    let v = fault(&base, json!([{"status": 500}, {"status": 502, "count": 2}]));
    assert_eq!(v["queued"], 3);
}

#[test]
fn stats_count_requests_and_connections() {
    let m = start();
    let base = m.url();
    let r = req(&base, "POST", "/_mock/stats/reset", &[], b"");
    assert_eq!(r.status, 200);
    // One keep-alive connection carrying three gateway requests.
    let mut c = Conn::open(&base);
    for _ in 0..3 {
        assert_eq!(c.send("GET", GET_PATH, &[KEY], b"").unwrap().status, 404);
    }
    let body = sms_body("+46701234567").to_string();
    assert_eq!(
        c.send("POST", SMS_PATH, &[KEY, JSON], body.as_bytes())
            .unwrap()
            .status,
        200
    );
    // A connection with only control requests is not an API connection.
    let mut ctl = Conn::open(&base);
    ctl.send("GET", "/_mock/faults", &[], b"").unwrap();
    let v = ctl.send("GET", "/_mock/stats", &[], b"").unwrap().json();
    // The reset's own connection was counted before the reset.
    assert_eq!(v["connections"], 2, "{v}");
    assert_eq!(v["api_connections"], 1, "{v}");
    assert_eq!(v["requests_total"], 4);
    assert_eq!(v["requests"][format!("GET {GET_PATH}")], 3);
    assert_eq!(v["requests"][format!("POST {SMS_PATH}")], 1);
    assert_eq!(v["requests"].as_object().unwrap().len(), 2);
    // Fresh connections each time.
    for _ in 0..5 {
        get(&base, GET_PATH);
    }
    let v = req(&base, "GET", "/_mock/stats", &[], b"").json();
    assert_eq!(v["connections"], 8);
    assert_eq!(v["api_connections"], 6);
    assert_eq!(v["requests"][format!("GET {GET_PATH}")], 8);
    let v = req(&base, "POST", "/_mock/stats/reset", &[], b"").json();
    assert_eq!(v["requests_total"], 0);
    let v = req(&base, "GET", "/_mock/stats", &[], b"").json();
    assert_eq!(v["requests_total"], 0);
    assert_eq!(v["connections"], 1);
    assert_eq!(v["api_connections"], 0);
    assert!(v["requests"].as_object().unwrap().is_empty());
}

#[test]
fn reset_forgets_sessions_faults_and_stats() {
    let m = start();
    let base = m.url();
    let id = new_sms(&base, &sms_body("+46701234567"));
    fault(&base, json!({"status": 500, "count": 3}));
    let r = req(&base, "POST", "/_mock/reset", &[], b"");
    assert_eq!(r.status, 200);
    assert_eq!(
        req(&base, "GET", &format!("/_mock/sessions/{id}"), &[], b"").status,
        404
    );
    assert_eq!(get(&base, &format!("/core/api/sessions/{id}")).status, 404);
    let v = req(&base, "GET", "/_mock/stats", &[], b"").json();
    assert_eq!(v["requests_total"], 1);
}

#[test]
fn force_status_validates_and_404s() {
    let m = start();
    let base = m.url();
    let (id, _) = new_phone(
        &base,
        &json!({"metadata": {"phone_number": "+46701234567"}}),
    );
    let p = format!("/_mock/sessions/{id}/status");
    assert_eq!(req(&base, "POST", &p, &[JSON], b"{}").status, 400);
    assert_eq!(
        req(&base, "POST", &p, &[JSON], br#"{"status":3}"#).status,
        400
    );
    assert_eq!(req(&base, "POST", &p, &[JSON], b"nope").status, 400);
    let r = req(&base, "POST", &p, &[JSON], br#"{"status":"accepted"}"#);
    assert_eq!(r.status, 200);
    assert_eq!(
        get(&base, &format!("/core/api/sessions/{id}")).json()["data"]["status"],
        "accepted"
    );
    let r = req(
        &base,
        "POST",
        "/_mock/sessions/26f5cc23-dbbb-45bb-a210-2818e70637bd/status",
        &[JSON],
        br#"{"status":"x"}"#,
    );
    assert_eq!(r.status, 404);
}

#[test]
fn many_concurrent_keep_alive_clients() {
    let m = start();
    let base = m.url();
    let id = new_sms(&base, &sms_body("+46701234567"));
    let threads: Vec<_> = (0..16)
        .map(|_| {
            let base = base.clone();
            let path = format!("/core/api/sessions/{id}");
            std::thread::spawn(move || {
                let mut c = Conn::open(&base);
                for _ in 0..100 {
                    let r = c.send("GET", &path, &[KEY], b"").unwrap();
                    assert_eq!(r.status, 200);
                }
            })
        })
        .collect();
    let t = Instant::now();
    for t in threads {
        t.join().unwrap();
    }
    let elapsed = t.elapsed();
    eprintln!(
        "1600 keep-alive GETs over 16 connections in {elapsed:?} ({:.0}/s)",
        1600.0 / elapsed.as_secs_f64()
    );
    let v = req(&base, "GET", "/_mock/stats", &[], b"").json();
    assert_eq!(v["requests"][format!("GET /core/api/sessions/{id}")], 1600);
    assert!(elapsed < Duration::from_secs(20), "{elapsed:?}");
}

#[test]
fn session_errors_appear_on_reads() {
    let m = start();
    let base = m.url();
    let sms = new_sms(&base, &sms_body("+46701234567"));
    let (phone, _) = new_phone(
        &base,
        &json!({"metadata": {"phone_number": "+46701234567"}}),
    );
    let (email, _) = new_email(&base, &email_body("jane@example.com"));
    let errors = json!([
        {"code": "blocked_number", "description": "the operator refused the number"},
        {"code": "e2", "description": "second reason"},
    ]);
    for id in [&sms, &phone, &email] {
        let read = format!("/core/api/sessions/{id}");
        assert!(get(&base, &read).json()["data"].get("errors").is_none());
        let r = req(
            &base,
            "POST",
            &format!("/_mock/sessions/{id}/errors"),
            &[JSON],
            json!({ "errors": errors }).to_string().as_bytes(),
        );
        assert_eq!(r.status, 200, "{}", r.text());
        assert_eq!(r.json()["errors"], errors);
        let r = get(&base, &read);
        assert_eq!(r.status, 200);
        assert_eq!(r.json()["data"]["errors"], errors);
        assert_eq!(r.json()["data"]["id"], id.as_str());
        // An empty list removes them.
        let r = req(
            &base,
            "POST",
            &format!("/_mock/sessions/{id}/errors"),
            &[JSON],
            br#"{"errors":[]}"#,
        );
        assert_eq!(r.status, 200);
        assert!(get(&base, &read).json()["data"].get("errors").is_none());
    }
    // Refused bodies leave the errors as they were.
    req(
        &base,
        "POST",
        &format!("/_mock/sessions/{sms}/errors"),
        &[JSON],
        json!({ "errors": errors }).to_string().as_bytes(),
    );
    let p = format!("/_mock/sessions/{sms}/errors");
    for bad in [
        r#"{}"#,
        r#"{"errors":{}}"#,
        r#"{"errors":[{"code":"x"}]}"#,
        r#"{"errors":[{"code":1,"description":"d"}]}"#,
        r#"{"errors":[],"extra":1}"#,
        "nope",
    ] {
        let r = req(&base, "POST", &p, &[JSON], bad.as_bytes());
        assert_eq!(r.status, 400, "{bad}");
    }
    let many: Vec<_> = (0..101)
        .map(|i| json!({"code": format!("c{i}"), "description": "d"}))
        .collect();
    let r = req(
        &base,
        "POST",
        &p,
        &[JSON],
        json!({ "errors": many }).to_string().as_bytes(),
    );
    assert_eq!(r.status, 400);
    assert_eq!(
        get(&base, &format!("/core/api/sessions/{sms}")).json()["data"]["errors"],
        errors
    );
    let r = req(
        &base,
        "POST",
        "/_mock/sessions/26f5cc23-dbbb-45bb-a210-2818e70637bd/errors",
        &[JSON],
        br#"{"errors":[]}"#,
    );
    assert_eq!(r.status, 404);
}
