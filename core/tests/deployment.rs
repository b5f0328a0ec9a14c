//! What deployments rely on: option precedence, errors safe to log, what is sent is
//! what was checked, and `maybe_sent` after redirects.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use common::*;
use serde_json::json;
use zignsec::{ErrorKind, SendSms, StartPhoneVerification};

const CODE_TEXT: &str = "Your code is 48213";
const NUMBER: &str = "+46701234567";

/// Every env-var case in one test: the process environment is shared by threads.
#[test]
fn explicit_options_beat_the_environment() {
    std::env::set_var("ZIGNSEC_BASE_URL", "http://127.0.0.1:4010");
    std::env::set_var("ZIGNSEC_API_KEY", "sk_from_a_file_mount\n");
    let explicit = zignsec::Client::builder()
        .api_key("k")
        .environment("production")
        .build()
        .unwrap();
    assert_eq!(explicit.base_url(), zignsec::PRODUCTION_BASE_URL);
    let explicit_test = zignsec::Client::builder()
        .environment("test")
        .build()
        .unwrap();
    assert_eq!(explicit_test.base_url(), zignsec::TEST_BASE_URL);
    let from_env = zignsec::Client::from_env().unwrap();
    assert_eq!(from_env.base_url(), "http://127.0.0.1:4010");
    std::env::set_var("ZIGNSEC_ENVIRONMENT", "production");
    let env_url_beats_env_name = zignsec::Client::from_env().unwrap();
    assert_eq!(env_url_beats_env_name.base_url(), "http://127.0.0.1:4010");
    let explicit_url = zignsec::Client::builder()
        .environment("production")
        .base_url("http://127.0.0.1:4011")
        .build()
        .unwrap();
    assert_eq!(explicit_url.base_url(), "http://127.0.0.1:4011");
    for var in ["ZIGNSEC_BASE_URL", "ZIGNSEC_API_KEY", "ZIGNSEC_ENVIRONMENT"] {
        std::env::remove_var(var);
    }
}

#[test]
fn a_redirect_answer_to_a_send_may_have_been_sent() {
    let gw = gateway();
    let client = gw.builder().max_retries(2).build().unwrap();
    for status in [303, 307, 308, 302] {
        gw.fault(json!({"method": "POST", "status": status}));
        let err = client
            .send_sms(&SendSms::new(NUMBER, "ZignSec", CODE_TEXT))
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::HttpStatus, "{status}: {err}");
        assert_eq!(err.maybe_sent(), Some(true), "{status}");
        assert_eq!(err.attempts(), 1, "{status}: never retried");
    }
}

#[test]
fn echoed_keys_and_numbers_never_reach_the_error_text() {
    let gw = gateway();
    let client = gw.client();
    let body = format!(
        r#"{{"errors":[{{"code":"E_KEY","description":"key {KEY} cannot send to {NUMBER}: {CODE_TEXT}"}}]}}"#
    );
    gw.fault(
        json!({"method": "POST", "status": 400, "body": body, "content_type": "application/json"}),
    );
    let err = client
        .send_sms(&SendSms::new(NUMBER, "ZignSec", CODE_TEXT))
        .unwrap_err();
    for text in [err.to_string(), format!("{err:?}")] {
        assert!(!text.contains(KEY), "{text}");
        assert!(!text.contains(NUMBER), "{text}");
        assert!(!text.contains("48213"), "{text}");
    }
    assert!(err.to_string().contains("+*********67"), "{err}");
    let kept = err.body().unwrap();
    assert!(!kept.contains(KEY) && kept.contains("<redacted>"), "{kept}");
    assert!(
        kept.contains(NUMBER),
        "the body keeps the real values: {kept}"
    );
}

#[test]
fn a_wait_timeout_is_safe_to_log() {
    let gw = gateway_with(Duration::from_secs(60));
    let client = gw.client();
    let sms = client
        .send_sms(&SendSms::new(NUMBER, "ZignSec", CODE_TEXT))
        .unwrap();
    let err = client
        .wait_sms_session(
            &sms.id,
            Some(Duration::from_millis(300)),
            Some(Duration::from_millis(50)),
        )
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::WaitTimeout);
    assert!(err.attempts() >= 2, "polls are counted: {}", err.attempts());
    let shown = format!("{err:?} {err} {:?}", err.wait_details());
    assert!(!shown.contains("48213"), "{shown}");
    assert!(!shown.contains(NUMBER), "{shown}");
    match err.wait_details() {
        Some(zignsec::WaitDetails::Sms(d)) => assert_eq!(d.request.message, CODE_TEXT),
        other => panic!("{other:?}"),
    }
    let request = SendSms::new(NUMBER, "ZignSec", CODE_TEXT);
    assert!(!format!("{request:?}").contains("48213"));
    assert!(!format!("{:?}", StartPhoneVerification::new(NUMBER)).contains(NUMBER));
}

#[test]
fn validation_errors_mask_numbers_and_urls() {
    let client = gateway().client();
    let err = client
        .send_sms(&SendSms::new("+46 70 123 45 67", "ZignSec", "hi"))
        .unwrap_err();
    assert!(!err.to_string().contains("123 45"), "{err}");
    let mut req = SendSms::new(NUMBER, "ZignSec", "hi");
    req.webhook = Some("http://example.com/hook?token=s3cr3t".into());
    let err = client.send_sms(&req).unwrap_err();
    assert!(!err.to_string().contains("s3cr3t"), "{err}");
    assert_eq!(err.field(), Some("webhook"));
}

#[test]
fn callback_urls_are_sent_as_the_validator_read_them() {
    let gw = gateway();
    let client = gw.client();
    let mut req = SendSms::new(NUMBER, "ZignSec", "hi");
    req.webhook = Some(r"http://127.0.0.1\@evil.example/hook".into());
    let sms = client.send_sms(&req).unwrap();
    let details = client.get_sms_session(&sms.id).unwrap();
    assert_eq!(
        details.request.webhook.as_deref(),
        Some("http://127.0.0.1/@evil.example/hook")
    );
    let mut phone = StartPhoneVerification::new(NUMBER);
    phone.redirect_success = Some("http://0x7f.1:8080/ok".into());
    let session = client.start_phone_verification(&phone).unwrap();
    let details = client.get_phone_session(&session.id).unwrap();
    assert_eq!(
        details.request.redirect_success.as_deref(),
        Some("http://127.0.0.1:8080/ok")
    );
}
