//! The whole bad-input corpus (tests/vectors/bad_inputs.json) through a real
//! `zignsec::Client` pointed at a mock gateway: every case is a validation error
//! naming its field, none panics, a failed send says `maybe_sent = false` with 0
//! attempts, and the gateway sees no request at all. Then the corpus's valid
//! boundary cases go through the same client and must not be refused by validation.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a failure is a test failure

mod common;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Duration;

use common::*;
use serde_json::{Map, Value};
use zignsec::{Client, ErrorKind, SendSms, StartPhoneVerification};

fn load() -> Value {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/bad_inputs.json");
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

/// A string argument, with `{"$repeat": [s, n]}` expanded.
fn arg(args: &Map<String, Value>, key: &str) -> Option<String> {
    match args.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Object(o) => {
            let r = o["$repeat"].as_array().expect("only $repeat objects here");
            let n = usize::try_from(r[1].as_u64().unwrap()).unwrap();
            Some(r[0].as_str().unwrap().repeat(n))
        }
        other => panic!("`{key}` is not a string: {other}"),
    }
}

/// What one call gave: an error, or success (`None`).
enum Outcome {
    Err(zignsec::Error),
    Ok,
    /// `max_message_parts` the Rust API cannot hold (not an i64): checked through
    /// `input::SendSmsInput` with a double, the entry point the bindings use.
    NotExpressible(zignsec::Error),
}

fn call(client: &Client, op: &str, args: &Map<String, Value>) -> Outcome {
    let need = |k: &str| arg(args, k).unwrap_or_else(|| panic!("{op}: missing {k}"));
    let res: zignsec::Result<()> = match op {
        "send_sms" => {
            let mut req = SendSms::new(need("to"), need("from"), need("message"));
            req.relay_state = arg(args, "relay_state");
            req.webhook = arg(args, "webhook");
            if let Some(v) = args.get("max_message_parts") {
                match v.as_i64() {
                    Some(i) => req.max_message_parts = i,
                    None => {
                        // Beyond i64 or fractional: the bindings' double, through the intake.
                        let f = v.as_f64().expect("max_message_parts is a number");
                        let loose = zignsec::input::SendSmsInput {
                            max_message_parts: Some(zignsec::input::Number::Float(f)),
                            ..Default::default()
                        };
                        match loose.into_request() {
                            Err(e) => return Outcome::NotExpressible(e),
                            Ok(r) => req.max_message_parts = r.max_message_parts,
                        }
                    }
                }
            }
            client.send_sms(&req).map(|_| ())
        }
        "start_phone_verification" => {
            let mut req = StartPhoneVerification::new(need("phone_number"));
            req.locale = arg(args, "locale");
            req.redirect_success = arg(args, "redirect_success");
            req.redirect_failure = arg(args, "redirect_failure");
            req.relay_state = arg(args, "relay_state");
            req.webhook = arg(args, "webhook");
            req.csrf_token = arg(args, "csrf_token");
            client.start_phone_verification(&req).map(|_| ())
        }
        "start_email_verification" => {
            let mut req = zignsec::StartEmailVerification::new(
                need("email_address"),
                need("locale"),
                need("redirect_success"),
                need("redirect_failure"),
            );
            req.relay_state = arg(args, "relay_state");
            req.webhook = arg(args, "webhook");
            req.csrf_token = arg(args, "csrf_token");
            client.start_email_verification(&req).map(|_| ())
        }
        "get_email_session" => client.get_email_session(&need("session_id")).map(|_| ()),
        "wait_email_session" => client
            .wait_email_session(
                &need("session_id"),
                Some(Duration::from_millis(300)),
                Some(Duration::from_millis(50)),
            )
            .map(|_| ()),
        "get_sms_session" => client.get_sms_session(&need("session_id")).map(|_| ()),
        "get_phone_session" => client.get_phone_session(&need("session_id")).map(|_| ()),
        "wait_sms_session" => client
            .wait_sms_session(
                &need("session_id"),
                Some(Duration::from_millis(300)),
                Some(Duration::from_millis(50)),
            )
            .map(|_| ()),
        "wait_phone_session" => client
            .wait_phone_session(
                &need("session_id"),
                Some(Duration::from_millis(300)),
                Some(Duration::from_millis(50)),
            )
            .map(|_| ()),
        other => panic!("unknown op {other}"),
    };
    match res {
        Ok(()) => Outcome::Ok,
        Err(e) => Outcome::Err(e),
    }
}

#[test]
fn bad_input_corpus_is_refused_before_sending() {
    let doc = load();
    let cases = doc["cases"].as_array().unwrap();
    assert!(cases.len() >= 150, "only {} bad-input cases", cases.len());
    let gw = gateway();
    let client = gw
        .builder()
        .timeout(Duration::from_secs(3))
        .build()
        .unwrap();
    let mut failures = Vec::new();
    let mut not_expressible = 0;
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let op = case["op"].as_str().unwrap();
        let field = case["field"].as_str().unwrap();
        let args = case["args"].as_object().unwrap();
        let outcome = match catch_unwind(AssertUnwindSafe(|| call(&client, op, args))) {
            Ok(o) => o,
            Err(_) => {
                failures.push(format!("{name}: PANICKED"));
                continue;
            }
        };
        let (err, through_client) = match outcome {
            Outcome::Ok => {
                failures.push(format!("{name}: accepted"));
                continue;
            }
            Outcome::Err(e) => (e, true),
            Outcome::NotExpressible(e) => {
                not_expressible += 1;
                (e, false)
            }
        };
        if err.kind() != ErrorKind::Validation || err.field() != Some(field) {
            failures.push(format!(
                "{name}: want validation on {field}, got {} on {:?}: {err}",
                err.kind(),
                err.field()
            ));
        }
        if !err.message().contains(field) {
            failures.push(format!("{name}: message does not name {field}: {err}"));
        }
        if through_client {
            if err.attempts() != 0 {
                failures.push(format!("{name}: attempts {}", err.attempts()));
            }
            let is_send = matches!(
                op,
                "send_sms" | "start_phone_verification" | "start_email_verification"
            );
            if is_send && err.maybe_sent() != Some(false) {
                failures.push(format!("{name}: maybe_sent {:?}", err.maybe_sent()));
            }
        }
    }
    let stats = gw.stats();
    assert_eq!(
        stats["requests_total"], 0,
        "the gateway saw requests: {stats}"
    );
    assert_eq!(
        stats["api_connections"], 0,
        "API connections opened: {stats}"
    );
    assert!(
        failures.is_empty(),
        "{} of {} bad inputs misbehaved:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
    eprintln!(
        "bad_inputs.json: {} cases refused, 0 requests sent ({not_expressible} max_message_parts values outside i64 checked through input::SendSmsInput)",
        cases.len()
    );

    // The valid boundary values go through and are not refused by validation.
    let valid = doc["valid_cases"].as_array().unwrap();
    let mut refused = Vec::new();
    for case in valid {
        let name = case["name"].as_str().unwrap();
        let op = case["op"].as_str().unwrap();
        match catch_unwind(AssertUnwindSafe(|| {
            call(&client, op, case["args"].as_object().unwrap())
        })) {
            Err(_) => refused.push(format!("{name}: PANICKED")),
            Ok(Outcome::Err(e) | Outcome::NotExpressible(e))
                if e.kind() == ErrorKind::Validation =>
            {
                refused.push(format!("{name}: {e}"))
            }
            // Reads of the placeholder id are a 404 from the mock: fine here.
            Ok(_) => {}
        }
    }
    assert!(
        refused.is_empty(),
        "valid inputs refused:\n{}",
        refused.join("\n")
    );
    assert!(
        gw.total() as usize >= valid.len(),
        "valid cases were not sent"
    );
}
