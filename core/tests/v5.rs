//! The rest of the v5 family: both auth schemes, key rotation, email verification,
//! `errors`/`raw` on details, case-insensitive finality, any 2xx.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use common::*;
use serde_json::json;
use zignsec::{ErrorKind, SendSms, StartEmailVerification};
use zignsec_mock::{AuthScheme, MockConfig, MockServer};

const KEY_A: &str = "sk_test_key_A_4f1d2c9e";
const KEY_B: &str = "sk_test_key_B_7a3e5b1d";
const REVOKED: &str = "sk_test_revoked_0c9f8e";

fn mock(scheme: AuthScheme, secondary: Option<&str>) -> Gateway {
    let server = MockServer::start(MockConfig {
        api_key: Some(KEY_A.to_string()),
        secondary_api_key: secondary.map(str::to_string),
        auth_scheme: scheme,
        sms_delivery: Duration::from_millis(200),
        ..MockConfig::default()
    })
    .unwrap();
    Gateway { server }
}

fn client(gw: &Gateway, scheme: &str, primary: &str, secondary: Option<&str>) -> zignsec::Client {
    let mut b = zignsec::Client::builder()
        .ignore_env()
        .base_url(gw.url())
        .api_key(primary)
        .auth_scheme(scheme)
        .max_retries(0);
    if let Some(k) = secondary {
        b = b.secondary_api_key(k);
    }
    b.build().unwrap()
}

fn sms() -> SendSms {
    SendSms::new("+46701234567", "ZignSec", "Your code is 12345")
}

#[test]
fn each_scheme_works_against_a_gateway_that_takes_only_it() {
    for (mock_scheme, name, other) in [
        (AuthScheme::Authorization, "authorization", "product-key"),
        (AuthScheme::ProductKey, "product-key", "authorization"),
    ] {
        let gw = mock(mock_scheme, None);
        let ok = client(&gw, name, KEY_A, None);
        let s = ok.send_sms(&sms()).unwrap();
        ok.get_sms_session(&s.id).unwrap();
        let wrong = client(&gw, other, KEY_A, None);
        let err = wrong.send_sms(&sms()).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Authentication, "{name}: {err}");
        assert_eq!(err.maybe_sent(), Some(false));
    }
    let err = zignsec::Client::builder()
        .ignore_env()
        .api_key("k")
        .auth_scheme("bearer")
        .build()
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Config);
}

#[test]
fn a_revoked_primary_rotates_to_the_secondary_once_and_sticks() {
    let gw = mock(AuthScheme::Any, Some(KEY_B));
    let client = client(&gw, "authorization", REVOKED, Some(KEY_B));
    let s = client.send_sms(&sms()).unwrap();
    let path = "POST /core/api/sessions/two_factor_auth/sms";
    assert_eq!(gw.count(path), 2, "one extra request on the first call");
    client.send_sms(&sms()).unwrap();
    assert_eq!(gw.count(path), 3, "none after");
    client.get_sms_session(&s.id).unwrap();
    assert_eq!(gw.count(&format!("GET /core/api/sessions/{}", s.id)), 1);
    // Both keys wrong: one 401 each, then the error (not counted as retries).
    let both_bad = client_with(&gw, REVOKED, "sk_also_revoked_x1");
    let err = both_bad.get_sms_session(&s.id).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Authentication);
    assert_eq!(err.attempts(), 2);
    for text in [err.to_string(), format!("{err:?}"), format!("{both_bad:?}")] {
        assert!(
            !text.contains(REVOKED) && !text.contains("sk_also_revoked_x1"),
            "{text}"
        );
    }
}

fn client_with(gw: &Gateway, primary: &str, secondary: &str) -> zignsec::Client {
    client(gw, "authorization", primary, Some(secondary))
}

#[test]
fn email_verification_walks_to_finished_failed_and_cancelled() {
    let gw = mock(AuthScheme::Any, None);
    let client = client(&gw, "authorization", KEY_A, None);
    let start = || {
        client
            .start_email_verification(&StartEmailVerification::new(
                "jane.doe@example.com",
                "En",
                "https://example.com/ok",
                "https://example.com/fail",
            ))
            .unwrap()
    };
    let s = start();
    assert!(
        s.redirect_url.contains("/2fa-ui/2fa/email/"),
        "{}",
        s.redirect_url
    );
    assert!(!s.status.is_final());
    gw.hosted_page(&s.redirect_url, "send", None);
    gw.hosted_page(&s.redirect_url, "verify", None);
    let done = client
        .wait_email_session(
            &s.id,
            Some(Duration::from_secs(5)),
            Some(Duration::from_millis(50)),
        )
        .unwrap();
    assert_eq!(done.status.as_str(), "finished");
    assert_eq!(done.request.email_address, "jane.doe@example.com");
    assert_eq!(done.raw.get("id"), Some(json!(s.id)));
    assert!(!format!("{done:?}").contains("jane.doe"));

    let s = start();
    gw.hosted_page(&s.redirect_url, "cancel", None);
    assert_eq!(
        client.get_email_session(&s.id).unwrap().status.as_str(),
        "cancelled"
    );

    let s = start();
    gw.hosted_page(&s.redirect_url, "send", None);
    for _ in 0..3 {
        gw.hosted_page(&s.redirect_url, "verify", Some("00000"));
    }
    assert_eq!(
        client.get_email_session(&s.id).unwrap().status.as_str(),
        "failed"
    );
}

#[test]
fn email_requests_are_validated_before_anything_is_sent() {
    let gw = mock(AuthScheme::Any, None);
    let client = client(&gw, "authorization", KEY_A, None);
    let ok = StartEmailVerification::new("a@b.se", "En", "https://x.se/ok", "https://x.se/no");
    let cases: Vec<(&str, StartEmailVerification)> = vec![
        (
            "email_address",
            StartEmailVerification {
                email_address: "a..b@x.se".into(),
                ..ok.clone()
            },
        ),
        (
            "email_address",
            StartEmailVerification {
                email_address: "a b@x.se".into(),
                ..ok.clone()
            },
        ),
        (
            "locale",
            StartEmailVerification {
                locale: String::new(),
                ..ok.clone()
            },
        ),
        (
            "redirect_success",
            StartEmailVerification {
                redirect_success: String::new(),
                ..ok.clone()
            },
        ),
        (
            "redirect_failure",
            StartEmailVerification {
                redirect_failure: "http://x.se/".into(),
                ..ok.clone()
            },
        ),
    ];
    for (field, req) in cases {
        let err = client.start_email_verification(&req).unwrap_err();
        assert_eq!(
            (err.kind(), err.field()),
            (ErrorKind::Validation, Some(field)),
            "{err}"
        );
        assert_eq!(err.maybe_sent(), Some(false));
    }
    assert_eq!(gw.count("POST /core/api/sessions/two_factor_auth/email"), 0);
}

#[test]
fn details_carry_errors_and_raw_and_finality_ignores_case() {
    let gw = mock(AuthScheme::Any, None);
    let client = client(&gw, "authorization", KEY_A, None);
    let s = client.send_sms(&sms()).unwrap();
    let d = client.get_sms_session(&s.id).unwrap();
    assert!(d.errors.is_empty());
    assert_eq!(d.raw.get("id"), Some(json!(s.id)));
    let r = http(
        &gw.url(),
        "POST",
        &format!("/_mock/sessions/{}/errors", s.id),
        Some("application/json"),
        r#"{"errors":[{"code":"E_BARRED","description":"the number is barred"}]}"#,
    );
    assert_eq!(r.status, 200, "{}", r.body);
    gw.force_status(&s.id, "Failed");
    let d = client.get_sms_session(&s.id).unwrap();
    assert_eq!(d.status.as_str(), "Failed", "kept as sent");
    assert!(d.status.is_final());
    assert_eq!(d.errors.len(), 1);
    assert_eq!(
        (d.errors[0].code.as_str(), d.errors[0].description.as_str()),
        ("E_BARRED", "the number is barred")
    );
}

#[test]
fn a_201_create_is_success() {
    let server = MockServer::start(MockConfig {
        api_key: Some(KEY_A.to_string()),
        create_status: 201,
        ..MockConfig::default()
    })
    .unwrap();
    let gw = Gateway { server };
    let client = client(&gw, "authorization", KEY_A, None);
    let s = client.send_sms(&sms()).unwrap();
    assert!(!s.id.is_empty());
}

#[test]
fn auth_vectors() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/vectors/auth.json");
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut failures = Vec::new();
    let cases = doc["cases"].as_array().unwrap();
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let keys: Vec<String> = case["mock"]["api_keys"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k.as_str().unwrap().to_string())
            .collect();
        let scheme = match case["mock"]["auth_scheme"].as_str().unwrap() {
            "authorization" => AuthScheme::Authorization,
            "product-key" => AuthScheme::ProductKey,
            _ => AuthScheme::Any,
        };
        let server = MockServer::start(MockConfig {
            api_key: keys.first().cloned(),
            secondary_api_key: keys.get(1).cloned(),
            auth_scheme: scheme,
            ..MockConfig::default()
        })
        .unwrap();
        let gw = Gateway { server };
        let c = &case["client"];
        let mut b = zignsec::Client::builder()
            .ignore_env()
            .base_url(gw.url())
            .api_key(c["api_key"].as_str().unwrap());
        if let Some(k) = c["secondary_api_key"].as_str() {
            b = b.secondary_api_key(k);
        }
        if let Some(s) = c["auth_scheme"].as_str() {
            b = b.auth_scheme(s);
        }
        if let Some(n) = c["max_retries"].as_i64() {
            b = b.max_retries(n);
        }
        let client = b.build().unwrap();
        let posts = || gw.count("POST /core/api/sessions/two_factor_auth/sms");
        let expect = &case["expect"];
        let first = client.send_sms(&sms());
        let kind = match &first {
            Ok(_) => "ok".to_string(),
            Err(e) => e.kind().as_str().to_string(),
        };
        if kind != expect["kind"].as_str().unwrap() {
            failures.push(format!("{name}: kind {kind}"));
        }
        if let Err(e) = &first {
            for k in keys
                .iter()
                .map(String::as_str)
                .chain([c["api_key"].as_str().unwrap()])
            {
                if format!("{e} {e:?}").contains(k) {
                    failures.push(format!("{name}: a key in the error"));
                }
            }
        }
        let n1 = posts();
        if n1 != expect["first_call_requests"].as_u64().unwrap() {
            failures.push(format!("{name}: first call made {n1} requests"));
        }
        if kind == "ok" {
            let second = client.send_sms(&sms());
            let n2 = posts() - n1;
            if second.is_err() || n2 != expect["second_call_requests"].as_u64().unwrap() {
                failures.push(format!("{name}: second call {second:?}, {n2} requests"));
            }
        }
    }
    assert!(failures.is_empty(), "auth.json: {failures:#?}");
    eprintln!("auth.json: {} cases", cases.len());
}
