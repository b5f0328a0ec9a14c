//! Email verification: the endpoint's validation, session reads, and the
//! hosted email page driven by plain form POSTs.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use common::*;
use serde_json::{json, Value};

fn page(base: &str, id: &str) -> String {
    let r = req(base, "GET", &format!("/2fa-ui/2fa/email/{id}"), &[], b"");
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    r.text()
}

fn send_code(base: &str, id: &str) -> String {
    let r = post_form(base, &format!("/2fa-ui/2fa/email/{id}/send"), "");
    assert_eq!(r.status, 303);
    assert_eq!(
        r.header("location").unwrap(),
        format!("/2fa-ui/2fa/email/{id}?notice=sent")
    );
    state(base, id)["last_code"].as_str().unwrap().to_string()
}

fn verify(base: &str, id: &str, code: &str) -> Resp {
    post_form(
        base,
        &format!("/2fa-ui/2fa/email/{id}/verify"),
        &format!("code={code}"),
    )
}

fn read(base: &str, id: &str) -> Value {
    let r = get(base, &format!("/core/api/sessions/{id}"));
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()["data"].clone()
}

fn wrong(code: &str) -> &'static str {
    if code == "00000" {
        "11111"
    } else {
        "00000"
    }
}

#[test]
fn create_answers_id_redirect_url_and_pending() {
    let m = start();
    let base = m.url();
    let mut body = email_body("jane.doe@example.com");
    body["relay_state"] = json!("user-9");
    body["webhook"] = json!("https://hooks.example/z");
    let r = req(
        &base,
        "POST",
        EMAIL_PATH,
        &[KEY, JSON, ("x-csrf-token", "tok-123")],
        body.to_string().as_bytes(),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let data = r.json()["data"].clone();
    let id = data["id"].as_str().unwrap().to_string();
    assert_eq!(data["status"], "pending");
    assert_eq!(
        data["redirect_url"],
        format!("{base}/2fa-ui/2fa/email/{id}")
    );
    let d = read(&base, &id);
    assert_eq!(d["id"], id.as_str());
    assert_eq!(d["status"], "pending");
    assert_eq!(d["email_address"], "jane.doe@example.com");
    assert!(d.get("phone_number").is_none());
    assert!(d.get("errors").is_none());
    assert_eq!(
        d["request_data"],
        json!({
            "locale": "sv-SE",
            "metadata": {"email_address": "jane.doe@example.com"},
            "redirect_success": "https://app.example/ok?x=1",
            "redirect_failure": "https://app.example/fail",
            "relay_state": "user-9",
            "webhook": "https://hooks.example/z",
        })
    );
    let s = state(&base, &id);
    assert_eq!(s["kind"], "email");
    assert_eq!(s["email_address"], "jane.doe@example.com");
    assert_eq!(s["csrf_token"], "tok-123");
    assert!(s["last_code"].is_null());
    let list = req(&base, "GET", "/_mock/sessions", &[], b"").json();
    assert_eq!(
        list["sessions"],
        json!([{"id": id, "kind": "email", "status": "pending"}])
    );
}

#[test]
fn locale_and_both_redirects_are_required() {
    let m = start();
    let base = m.url();
    for field in ["locale", "redirect_success", "redirect_failure", "metadata"] {
        let mut body = email_body("jane@example.com");
        body.as_object_mut().unwrap().remove(field);
        let r = post_json(&base, EMAIL_PATH, &body);
        assert_eq!(r.status, 400, "{field}: {}", r.text());
        assert_eq!(r.json()["errors"][0]["code"], "invalid_request");
        assert!(r.error_description().contains(field), "{}", r.text());
        let mut body = email_body("jane@example.com");
        body[field] = Value::Null;
        assert_eq!(post_json(&base, EMAIL_PATH, &body).status, 400, "{field}");
    }
    // Everything missing: one entry per field.
    let r = post_json(&base, EMAIL_PATH, &json!({"metadata": {}}));
    assert_eq!(r.status, 400);
    let descriptions: Vec<String> = r.json()["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["description"].as_str().unwrap().to_string())
        .collect();
    for field in [
        "locale",
        "email_address",
        "redirect_success",
        "redirect_failure",
    ] {
        assert!(
            descriptions.iter().any(|d| d.contains(field)),
            "{field}: {descriptions:?}"
        );
    }
    // Bad values of the other fields.
    for (field, value) in [
        ("locale", json!("not a locale!")),
        ("locale", json!(5)),
        ("redirect_success", json!("http://app.example/ok")),
        ("redirect_failure", json!("ftp://app.example/")),
        ("webhook", json!("not a url")),
        ("relay_state", json!(7)),
    ] {
        let mut body = email_body("jane@example.com");
        body[field] = value.clone();
        let r = post_json(&base, EMAIL_PATH, &body);
        assert_eq!(r.status, 400, "{field}={value}: {}", r.text());
        assert!(r.error_description().contains(field), "{}", r.text());
    }
    let r = req(
        &base,
        "POST",
        EMAIL_PATH,
        &[KEY, JSON, ("x-csrf-token", "a b")],
        email_body("jane@example.com").to_string().as_bytes(),
    );
    assert_eq!(r.status, 400);
    assert!(r.error_description().contains("csrf"));
    // Nothing was created by the refused requests.
    let list = req(&base, "GET", "/_mock/sessions", &[], b"").json();
    assert!(list["sessions"].as_array().unwrap().is_empty());
}

#[test]
fn email_addresses_follow_the_contract() {
    let m = start();
    let base = m.url();
    let local64 = format!("{}@example.com", "a".repeat(64));
    for ok in [
        "jane@example.com",
        "jane.doe+news@mail.example.co.uk",
        "o'brien@example.ie",
        "jöns@exämple.se",
        "x@xn--exmple-cua.se",
        local64.as_str(),
    ] {
        let (id, _) = new_email(&base, &email_body(ok));
        assert_eq!(read(&base, &id)["email_address"], ok);
    }
    let local65 = format!("{}@example.com", "a".repeat(65));
    let too_long = format!("jane@{}.example.com", "b".repeat(250));
    for bad in [
        "",
        "jane",
        "jane@",
        "@example.com",
        "jane@example",
        "ja@ne@example.com",
        "ja ne@example.com",
        "\"jane\"@example.com",
        "ja\u{1}ne@example.com",
        ".jane@example.com",
        "jane.@example.com",
        "ja..ne@example.com",
        "jane@example..com",
        "jane@example.com.",
        "jane@-example.com",
        "jane@127.0.0.1",
        local65.as_str(),
        too_long.as_str(),
    ] {
        let r = post_json(&base, EMAIL_PATH, &email_body(bad));
        assert_eq!(r.status, 400, "{bad:?}: {}", r.text());
        assert!(
            r.error_description().starts_with("email_address:"),
            "{}",
            r.text()
        );
    }
    let mut body = email_body("x");
    body["metadata"]["email_address"] = json!(42);
    let r = post_json(&base, EMAIL_PATH, &body);
    assert_eq!(r.status, 400);
    assert!(r.error_description().contains("must be a string"));
}

#[test]
fn email_create_needs_the_key() {
    let m = start_with(zignsec_mock::MockConfig {
        api_key: Some("right".into()),
        ..zignsec_mock::MockConfig::default()
    });
    let base = m.url();
    let body = email_body("jane@example.com").to_string();
    let r = req(&base, "POST", EMAIL_PATH, &[JSON], body.as_bytes());
    assert_eq!(r.status, 401);
    assert_eq!(r.json()["errors"][0]["code"], "unauthorized");
    let r = req(
        &base,
        "POST",
        EMAIL_PATH,
        &[JSON, ("Authorization", "right")],
        body.as_bytes(),
    );
    assert_eq!(r.status, 200);
}

#[test]
fn right_code_finishes_and_redirects_to_success() {
    let m = start();
    let base = m.url();
    let (id, _) = new_email(&base, &email_body("jane@example.com"));
    let html = page(&base, &id);
    for needle in [
        "Verify your email address",
        "id=\"send-code\"",
        "id=\"cancel\"",
        "j***@example.com",
        "by email",
        &format!("action=\"/2fa-ui/2fa/email/{id}/send\""),
        &format!("action=\"/2fa-ui/2fa/email/{id}/cancel\""),
    ] {
        assert!(html.contains(needle), "page lacks {needle}: {html}");
    }
    assert!(!html.contains("jane@example.com"), "the address is masked");
    assert!(!html.contains("id=\"code\""));

    let code = send_code(&base, &id);
    assert_eq!(code.len(), 5);
    assert!(code.bytes().all(|b| b.is_ascii_digit()));
    let html = page(&base, &id);
    for needle in [
        "id=\"code\"",
        "name=\"code\"",
        "id=\"verify\"",
        &format!("action=\"/2fa-ui/2fa/email/{id}/verify\""),
        "Send a new code",
    ] {
        assert!(html.contains(needle), "page lacks {needle}: {html}");
    }
    assert!(!html.contains(&code), "the page never shows the code");

    let r = verify(&base, &id, wrong(&code));
    assert_eq!(r.status, 303);
    assert_eq!(
        r.header("location").unwrap(),
        format!("/2fa-ui/2fa/email/{id}?notice=wrong")
    );
    let html = req(
        &base,
        "GET",
        &format!("/2fa-ui/2fa/email/{id}?notice=wrong"),
        &[],
        b"",
    )
    .text();
    assert!(html.contains("Wrong code"), "{html}");
    assert!(html.contains("id=\"send-code\""), "a new code is offered");
    // A new code replaces the old one.
    let new_code = send_code(&base, &id);
    let s = state(&base, &id);
    assert_eq!(s["codes_sent"], 2);
    assert_eq!(s["wrong_codes"], 1);
    assert_eq!(read(&base, &id)["status"], "pending");

    let r = verify(&base, &id, &new_code);
    assert_eq!(r.status, 303);
    assert_eq!(r.header("location").unwrap(), "https://app.example/ok?x=1");
    assert_eq!(read(&base, &id)["status"], "finished");
    let html = page(&base, &id);
    assert!(html.contains("Email verified"), "{html}");
    // A final session takes no more codes.
    let r = verify(&base, &id, &new_code);
    assert_eq!(
        r.header("location").unwrap(),
        format!("/2fa-ui/2fa/email/{id}")
    );
}

#[test]
fn three_wrong_codes_fail_and_cancel_cancels() {
    let m = start();
    let base = m.url();
    let (id, _) = new_email(&base, &email_body("jane@example.com"));
    let r = verify(&base, &id, "12345");
    assert_eq!(
        r.header("location").unwrap(),
        format!("/2fa-ui/2fa/email/{id}?notice=no_code")
    );
    let code = send_code(&base, &id);
    for _ in 0..2 {
        assert_eq!(
            verify(&base, &id, wrong(&code)).header("location").unwrap(),
            format!("/2fa-ui/2fa/email/{id}?notice=wrong")
        );
    }
    let r = verify(&base, &id, wrong(&code));
    assert_eq!(r.header("location").unwrap(), "https://app.example/fail");
    assert_eq!(read(&base, &id)["status"], "failed");

    let (id, _) = new_email(&base, &email_body("jane@example.com"));
    let r = post_form(&base, &format!("/2fa-ui/2fa/email/{id}/cancel"), "");
    assert_eq!(r.status, 303);
    assert_eq!(r.header("location").unwrap(), "https://app.example/fail");
    assert_eq!(read(&base, &id)["status"], "cancelled");
    let r = req(
        &base,
        "GET",
        &format!("/2fa-ui/2fa/email/{id}/result"),
        &[],
        b"",
    );
    assert_eq!(r.status, 200);
    assert!(r.text().contains("cancelled"));
}

#[test]
fn the_pages_do_not_mix_kinds() {
    let m = start();
    let base = m.url();
    let (email_id, _) = new_email(&base, &email_body("jane@example.com"));
    let (phone_id, _) = new_phone(
        &base,
        &json!({"metadata": {"phone_number": "+46701234567"}}),
    );
    for path in [
        format!("/2fa-ui/2fa/phone/{email_id}"),
        format!("/2fa-ui/2fa/email/{phone_id}"),
        format!("/2fa-ui/2fa/email/{phone_id}/result"),
        "/2fa-ui/2fa/email/26f5cc23-dbbb-45bb-a210-2818e70637bd".to_string(),
    ] {
        let r = req(&base, "GET", &path, &[], b"");
        assert_eq!(r.status, 404, "{path}");
    }
    for action in ["send", "verify", "cancel"] {
        let r = post_form(
            &base,
            &format!("/2fa-ui/2fa/email/{phone_id}/{action}"),
            "code=1",
        );
        assert_eq!(r.status, 404, "{action}");
    }
    assert_eq!(state(&base, &phone_id)["status"], "pending");
}

#[test]
fn forced_statuses_and_webhooks_for_email_sessions() {
    let m = start();
    let base = m.url();
    let hook = Listener::start(vec![200]);
    let mut body = email_body("jane@example.com");
    body["webhook"] = json!(hook.url("/h"));
    body["relay_state"] = json!("e-1");
    let (id, _) = new_email(&base, &body);
    for status in ["created", "pending", "accepted"] {
        let r = req(
            &base,
            "POST",
            &format!("/_mock/sessions/{id}/status"),
            &[JSON],
            json!({ "status": status }).to_string().as_bytes(),
        );
        assert_eq!(r.status, 200);
        assert_eq!(read(&base, &id)["status"], status);
    }
    let got = wait_for(Duration::from_secs(5), || {
        let r = hook.received();
        (r.len() >= 3).then_some(r)
    });
    let events: Vec<(String, String)> = got
        .iter()
        .map(|c| {
            let e = zignsec::verify_webhook(
                &c.body,
                c.header(zignsec::SIGNATURE_HEADER).unwrap(),
                SECRET,
                zignsec::DEFAULT_TOLERANCE,
            )
            .unwrap();
            assert_eq!(e.id, id);
            assert_eq!(e.integration_id.as_deref(), Some("Zignsec.v5.Email"));
            assert_eq!(e.relay_state.as_deref(), Some("e-1"));
            assert_eq!(e.raw["workflow_session_id"], id.as_str());
            assert!(e.raw.get("number_of_message_parts").is_none());
            (e.event, e.status)
        })
        .collect();
    assert_eq!(
        events,
        [
            ("session_created".into(), "created".into()),
            ("session_updated".into(), "pending".into()),
            ("session_finished".into(), "accepted".into()),
        ]
    );
    let d = deliveries(&base, &id, 3, Duration::from_secs(5));
    assert_eq!(d[2]["event"], "session_finished");
    assert_eq!(d[2]["event_status"], "accepted");
}
