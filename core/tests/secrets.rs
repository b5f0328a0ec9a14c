//! The API key never appears in a log record (any crate, any level), an error
//! message, or the `Debug` of a client, builder or error.

#![allow(clippy::unwrap_used)]

mod common;

use std::sync::Mutex;
use std::time::Duration;

use common::*;
use serde_json::json;
use zignsec::{SendSms, StartPhoneVerification};

static LINES: Mutex<Vec<String>> = Mutex::new(Vec::new());

struct Capture;

impl log::Log for Capture {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }
    fn log(&self, record: &log::Record<'_>) {
        LINES.lock().unwrap().push(format!(
            "{} {} {}",
            record.level(),
            record.target(),
            record.args()
        ));
    }
    fn flush(&self) {}
}

#[test]
fn the_key_is_never_shown() {
    static CAPTURE: Capture = Capture;
    log::set_logger(&CAPTURE).unwrap();
    log::set_max_level(log::LevelFilter::Trace);
    let gw = gateway();
    let builder = gw.builder().timeout(Duration::from_secs(3));
    let mut shown = vec![format!("{builder:?}")];
    let client = builder.build().unwrap();
    shown.push(format!("{client:?}"));
    shown.push(format!("{:?}", client.as_async()));

    let sms = SendSms::new("+46701234567", "ZignSec", "Your code is 48213");
    let s = client.send_sms(&sms).unwrap();
    client
        .wait_sms_session(
            &s.id,
            Some(Duration::from_secs(5)),
            Some(Duration::from_millis(50)),
        )
        .unwrap();
    client
        .start_phone_verification(&StartPhoneVerification::new("+46703339954"))
        .unwrap();

    let mut errors = Vec::new();
    for fault in [
        json!({"method": "GET", "status": 500}),
        json!({"method": "POST", "status": 401, "body": "{\"errors\":[{\"code\":\"unauthorized\",\"description\":\"bad key\"}]}"}),
        json!({"method": "GET", "status": 200, "body": "garbage"}),
        json!({"method": "POST", "drop": true}),
    ] {
        gw.fault(fault);
        errors.push(client.get_sms_session(&s.id).err());
        errors.push(client.send_sms(&sms).err());
    }
    errors.push(client.get_sms_session("not-a-uuid").err());
    errors.push(
        zignsec::Client::builder()
            .ignore_env()
            .api_key(KEY)
            .base_url("http://example.com")
            .build()
            .err(),
    );
    let wrong = zignsec::Client::builder()
        .ignore_env()
        .api_key(format!("{KEY}-wrong"))
        .base_url(gw.url())
        .build()
        .unwrap();
    errors.push(wrong.send_sms(&sms).err());
    for e in errors.into_iter().flatten() {
        shown.push(e.to_string());
        shown.push(format!("{e:?}"));
    }

    let lines = LINES.lock().unwrap().clone();
    assert!(
        lines
            .iter()
            .any(|l| l.contains("zignsec") && l.contains("POST")),
        "the core logs its calls"
    );
    assert!(
        lines.iter().any(|l| l.contains("+*********67")),
        "phone numbers are masked"
    );
    for text in shown.iter().chain(lines.iter()) {
        assert!(!text.contains(KEY), "key leaked in: {text}");
        assert!(!text.contains("48213"), "message text leaked in: {text}");
        assert!(
            !text.contains("+46701234567"),
            "unmasked phone number in: {text}"
        );
    }
}
