//! The hosted phone-verification page, driven by plain form POSTs.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use serde_json::json;

fn phone_with_redirects(base: &str) -> (String, String) {
    new_phone(
        base,
        &json!({
            "metadata": {"phone_number": "+46703339954"},
            "redirect_success": "https://app.example/ok?x=1",
            "redirect_failure": "https://app.example/fail",
        }),
    )
}

fn page(base: &str, id: &str) -> String {
    let r = req(base, "GET", &format!("/2fa-ui/2fa/phone/{id}"), &[], b"");
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    r.text()
}

fn send_code(base: &str, id: &str) -> String {
    let r = post_form(base, &format!("/2fa-ui/2fa/phone/{id}/send"), "");
    assert_eq!(r.status, 303);
    assert_eq!(
        r.header("location").unwrap(),
        format!("/2fa-ui/2fa/phone/{id}?notice=sent")
    );
    state(base, id)["last_code"].as_str().unwrap().to_string()
}

fn verify(base: &str, id: &str, code: &str) -> Resp {
    post_form(
        base,
        &format!("/2fa-ui/2fa/phone/{id}/verify"),
        &format!("code={code}"),
    )
}

fn status(base: &str, id: &str) -> String {
    get(base, &format!("/core/api/sessions/{id}")).json()["data"]["status"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn right_code_finishes_and_redirects_to_success() {
    let m = start();
    let base = m.url();
    let (id, redirect_url) = phone_with_redirects(&base);
    assert_eq!(redirect_url, format!("{base}/2fa-ui/2fa/phone/{id}"));
    let html = page(&base, &id);
    for needle in [
        "id=\"send-code\"",
        "id=\"cancel\"",
        &format!("action=\"/2fa-ui/2fa/phone/{id}/send\""),
        &format!("action=\"/2fa-ui/2fa/phone/{id}/cancel\""),
        "+*********54",
    ] {
        assert!(html.contains(needle), "page lacks {needle}: {html}");
    }
    assert!(
        !html.contains("id=\"code\""),
        "no code field before a code is sent"
    );
    assert!(!html.contains("+46703339954"), "the full number is masked");
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "no external assets"
    );

    let code = send_code(&base, &id);
    assert_eq!(code.len(), 5);
    assert!(code.bytes().all(|b| b.is_ascii_digit()));
    let s = state(&base, &id);
    assert_eq!(s["codes_sent"], 1);
    assert_eq!(s["status"], "pending");
    let html = page(&base, &id);
    for needle in [
        "id=\"code\"",
        "name=\"code\"",
        "id=\"verify\"",
        &format!("action=\"/2fa-ui/2fa/phone/{id}/verify\""),
    ] {
        assert!(html.contains(needle), "page lacks {needle}");
    }
    let r = verify(&base, &id, &code);
    assert_eq!(r.status, 303);
    assert_eq!(r.header("location").unwrap(), "https://app.example/ok?x=1");
    assert_eq!(status(&base, &id), "finished");
    // Once final the page shows the result and further posts change nothing.
    assert!(page(&base, &id).contains("data-status=\"finished\""));
    let r = post_form(&base, &format!("/2fa-ui/2fa/phone/{id}/cancel"), "");
    assert_eq!(r.status, 303);
    assert_eq!(status(&base, &id), "finished");
}

#[test]
fn three_wrong_codes_fail_and_redirect_to_failure() {
    let m = start();
    let base = m.url();
    let (id, _) = phone_with_redirects(&base);
    let code = send_code(&base, &id);
    let wrong = if code == "00000" { "11111" } else { "00000" };
    let r = verify(&base, &id, wrong);
    assert_eq!(r.status, 303);
    let loc = r.header("location").unwrap().to_string();
    assert_eq!(loc, format!("/2fa-ui/2fa/phone/{id}?notice=wrong"));
    let html = req(&base, "GET", &loc, &[], b"").text();
    assert!(html.to_lowercase().contains("wrong code"), "{html}");
    assert!(html.contains("Send a new code"), "{html}");
    assert_eq!(state(&base, &id)["wrong_codes"], 1);
    assert_eq!(status(&base, &id), "pending");

    // A new code can be sent; the count of wrong codes goes on.
    let code2 = send_code(&base, &id);
    assert_eq!(state(&base, &id)["codes_sent"], 2);
    let wrong2 = if code2 == "00000" { "11111" } else { "00000" };
    assert_eq!(verify(&base, &id, wrong2).status, 303);
    let r = verify(&base, &id, wrong2);
    assert_eq!(r.status, 303);
    assert_eq!(r.header("location").unwrap(), "https://app.example/fail");
    assert_eq!(status(&base, &id), "failed");
    assert_eq!(state(&base, &id)["wrong_codes"], 3);
    // The right code is no use any more.
    let r = verify(&base, &id, &code2);
    assert_eq!(
        r.header("location").unwrap(),
        format!("/2fa-ui/2fa/phone/{id}")
    );
    assert_eq!(status(&base, &id), "failed");
}

#[test]
fn cancel_redirects_to_failure() {
    let m = start();
    let base = m.url();
    let (id, _) = phone_with_redirects(&base);
    let r = post_form(&base, &format!("/2fa-ui/2fa/phone/{id}/cancel"), "");
    assert_eq!(r.status, 303);
    assert_eq!(r.header("location").unwrap(), "https://app.example/fail");
    assert_eq!(status(&base, &id), "cancelled");
}

#[test]
fn without_caller_redirects_the_mock_result_page_is_used() {
    let m = start();
    let base = m.url();
    let (id, _) = new_phone(
        &base,
        &json!({"metadata": {"phone_number": "+46701234567"}}),
    );
    let code = send_code(&base, &id);
    let r = verify(&base, &id, &code);
    assert_eq!(r.status, 303);
    let loc = r.header("location").unwrap().to_string();
    assert_eq!(loc, format!("/2fa-ui/2fa/phone/{id}/result"));
    let html = req(&base, "GET", &loc, &[], b"").text();
    assert!(html.contains("data-status=\"finished\""), "{html}");

    let (id2, _) = new_phone(
        &base,
        &json!({"metadata": {"phone_number": "+46701234567"}}),
    );
    let r = post_form(&base, &format!("/2fa-ui/2fa/phone/{id2}/cancel"), "");
    assert_eq!(
        r.header("location").unwrap(),
        format!("/2fa-ui/2fa/phone/{id2}/result")
    );
    let html = req(
        &base,
        "GET",
        &format!("/2fa-ui/2fa/phone/{id2}/result"),
        &[],
        b"",
    )
    .text();
    assert!(html.contains("data-status=\"cancelled\""));
}

#[test]
fn verify_before_sending_and_empty_codes_do_not_count() {
    let m = start();
    let base = m.url();
    let (id, _) = phone_with_redirects(&base);
    let r = verify(&base, &id, "12345");
    assert_eq!(
        r.header("location").unwrap(),
        format!("/2fa-ui/2fa/phone/{id}?notice=no_code")
    );
    send_code(&base, &id);
    let r = post_form(&base, &format!("/2fa-ui/2fa/phone/{id}/verify"), "");
    assert_eq!(
        r.header("location").unwrap(),
        format!("/2fa-ui/2fa/phone/{id}?notice=invalid")
    );
    assert_eq!(state(&base, &id)["wrong_codes"], 0);
    // A code with spaces around it (as typed) still matches.
    let code = state(&base, &id)["last_code"].as_str().unwrap().to_string();
    let r = verify(&base, &id, &format!("+{code}+"));
    assert_eq!(r.header("location").unwrap(), "https://app.example/ok?x=1");
}

#[test]
fn unknown_or_sms_sessions_have_no_page() {
    let m = start();
    let base = m.url();
    let sms = new_sms(&base, &sms_body("+46701234567"));
    for id in [
        "26f5cc23-dbbb-45bb-a210-2818e70637bd",
        sms.as_str(),
        "%3Cscript%3E",
    ] {
        let r = req(&base, "GET", &format!("/2fa-ui/2fa/phone/{id}"), &[], b"");
        assert_eq!(r.status, 404, "{id}");
        let r = post_form(&base, &format!("/2fa-ui/2fa/phone/{id}/send"), "");
        assert_eq!(r.status, 404, "{id}");
    }
}
