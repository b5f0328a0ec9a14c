//! Runs the shared, language-neutral test vectors in `tests/vectors/` (written by
//! the independent Python oracle `tests/vectors/generate.py`) against the core.
//!
//! Each test collects every failing case and asserts once at the end, listing them.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use serde_json::{json, Map, Value};
use zignsec::{validate, ErrorKind};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/vectors/");

fn load(name: &str) -> Value {
    let path = format!("{DIR}{name}");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn cases<'a>(doc: &'a Value, key: &str) -> &'a [Value] {
    doc[key]
        .as_array()
        .unwrap_or_else(|| panic!("no `{key}` array"))
}

fn name(case: &Value) -> String {
    case["name"].as_str().unwrap().to_string()
}

fn report(file: &str, total: usize, failures: &[String]) {
    assert!(total > 0, "{file}: no cases");
    assert!(
        failures.is_empty(),
        "{file}: {} of {total} cases failed:\n  {}",
        failures.len(),
        failures.join("\n  ")
    );
}

fn opt_str(v: &Value) -> Option<&str> {
    v.as_str()
}

// ---------------------------------------------------------------- sms_parts

#[test]
fn sms_parts_vectors() {
    let doc = load("sms_parts.json");
    let mut failures = Vec::new();
    let all = cases(&doc, "cases");
    for case in all {
        let p = zignsec::sms_parts(case["message"].as_str().unwrap()).unwrap();
        let got = json!({
            "encoding": p.encoding.as_str(),
            "parts": p.parts,
            "units": p.units,
            "units_per_part": p.units_per_part,
        });
        let want = json!({
            "encoding": case["encoding"],
            "parts": case["parts"],
            "units": case["units"],
            "units_per_part": case["units_per_part"],
        });
        if got != want {
            failures.push(format!("{}: want {want}, got {got}", name(case)));
        }
    }
    report("sms_parts.json", all.len(), &failures);
}

// ---------------------------------------------------------------- webhooks

#[test]
fn webhook_vectors() {
    let doc = load("webhooks.json");
    let secret = doc["secret"].as_str().unwrap();
    let mut failures = Vec::new();
    let all = cases(&doc, "cases");
    for case in all {
        let n = name(case);
        let body = case["body"].as_str().unwrap();
        let header = case["header"].as_str().unwrap();
        let now = case["now"].as_i64().unwrap();
        let tolerance = Duration::from_secs(case["tolerance_s"].as_u64().unwrap());
        let expect = case["expect"].as_str().unwrap();
        match zignsec::verify_webhook_at(body.as_bytes(), header, secret, tolerance, now) {
            Ok(ev) => {
                if expect != "ok" {
                    failures.push(format!("{n}: want {expect}, got ok"));
                    continue;
                }
                let got = json!({
                    "event": ev.event,
                    "id": ev.id,
                    "integration_id": ev.integration_id,
                    "relay_state": ev.relay_state,
                    "status": ev.status,
                    "number_of_message_parts": ev.number_of_message_parts,
                });
                if got != case["event"] {
                    failures.push(format!("{n}: want event {}, got {got}", case["event"]));
                }
                let raw: Value = serde_json::from_str(body).unwrap();
                if ev.raw != raw {
                    failures.push(format!("{n}: raw is not the body as JSON"));
                }
            }
            Err(e) => {
                if e.kind().as_str() != expect {
                    failures.push(format!("{n}: want {expect}, got {:?}: {e}", e.kind()));
                }
            }
        }
    }
    let signs = cases(&doc, "sign_cases");
    for case in signs {
        let n = name(case);
        let body = case["body"].as_str().unwrap();
        let key = case["secret"].as_str().unwrap();
        let ts = case["timestamp"].as_i64().unwrap();
        let want = case["header"].as_str().unwrap();
        match zignsec::sign_webhook(body.as_bytes(), key, ts) {
            Ok(got) if got == want => {}
            Ok(got) => failures.push(format!("{n}: want {want}, got {got}")),
            Err(e) => failures.push(format!("{n}: want {want}, got error {e}")),
        }
        // What the oracle signed must verify (unless the body is not an event).
        let verified =
            zignsec::verify_webhook_at(body.as_bytes(), want, key, Duration::from_secs(0), ts);
        if let Err(e) = verified {
            if e.kind() != ErrorKind::Decode {
                failures.push(format!("{n}: oracle header does not verify: {e}"));
            }
        }
    }
    report("webhooks.json", all.len() + signs.len(), &failures);
}

// ---------------------------------------------------------------- gateway errors

#[test]
fn gateway_error_vectors() {
    let doc = load("gateway_errors.json");
    let mut failures = Vec::new();
    let all = cases(&doc, "cases");
    for case in all {
        let n = name(case);
        let status = u16::try_from(case["status"].as_u64().unwrap()).unwrap();
        let kind = ErrorKind::from_status(status).as_str();
        if kind != case["kind"].as_str().unwrap() {
            failures.push(format!(
                "{n}: status {status}: want kind {}, got {kind}",
                case["kind"]
            ));
        }
        let parsed = zignsec::parse_gateway_error(case["body"].as_str().unwrap());
        if parsed.code.as_deref() != opt_str(&case["code"]) {
            failures.push(format!(
                "{n}: want code {}, got {:?}",
                case["code"], parsed.code
            ));
        }
        if parsed.description.as_deref() != opt_str(&case["description"]) {
            failures.push(format!(
                "{n}: want description {}, got {:?}",
                case["description"], parsed.description
            ));
        }
    }
    report("gateway_errors.json", all.len(), &failures);
}

// ---------------------------------------------------------------- seeds

fn parse_response(op: &str, data: &Value) -> Result<Value, String> {
    let err = |e: serde_json::Error| e.to_string();
    Ok(match op {
        "send_sms" => {
            let s: zignsec::SmsSession = serde_json::from_value(data.clone()).map_err(err)?;
            json!({"id": s.id, "status": s.status.as_str(), "is_final": s.status.is_final()})
        }
        "start_phone_verification" => {
            let s: zignsec::PhoneSession = serde_json::from_value(data.clone()).map_err(err)?;
            json!({
                "id": s.id,
                "redirect_url": s.redirect_url,
                "status": s.status.as_str(),
                "is_final": s.status.is_final(),
            })
        }
        "get_sms_session" => {
            let d: zignsec::SmsSessionDetails =
                serde_json::from_value(data.clone()).map_err(err)?;
            let r = &d.request;
            json!({
                "id": d.id,
                "status": d.status.as_str(),
                "number_of_message_parts": d.number_of_message_parts,
                "request": {
                    "from": r.from,
                    "to": r.to,
                    "message": r.message,
                    "max_message_parts": r.max_message_parts,
                    "relay_state": r.relay_state,
                    "webhook": r.webhook,
                },
                "is_final": d.status.is_final(),
            })
        }
        "get_phone_session" => {
            let d: zignsec::PhoneSessionDetails =
                serde_json::from_value(data.clone()).map_err(err)?;
            let r = &d.request;
            json!({
                "id": d.id,
                "status": d.status.as_str(),
                "phone_number": d.phone_number,
                "request": {
                    "phone_number": r.phone_number,
                    "locale": r.locale,
                    "redirect_success": r.redirect_success,
                    "redirect_failure": r.redirect_failure,
                    "relay_state": r.relay_state,
                    "webhook": r.webhook,
                },
                "is_final": d.status.is_final(),
            })
        }
        other => return Err(format!("unknown op {other}")),
    })
}

#[test]
fn seed_vectors() {
    let doc = load("seeds.json");
    let mut failures = Vec::new();
    let responses = cases(&doc, "responses");
    for case in responses {
        let n = name(case);
        let op = case["op"].as_str().unwrap();
        match parse_response(op, &case["body"]["data"]) {
            Ok(got) if got == case["expect"] => {}
            Ok(got) => failures.push(format!("{n}: want {}, got {got}", case["expect"])),
            Err(e) => failures.push(format!("{n}: does not parse: {e}")),
        }
    }
    // The wire body needs a client (the client-level suites check `wire_body`
    // against the mock); here every seed request's arguments must validate.
    let requests = cases(&doc, "requests");
    for case in requests {
        let n = name(case);
        let args = case["args"].as_object().unwrap();
        if let Err(e) = validate_op(case["op"].as_str().unwrap(), args) {
            failures.push(format!("{n}: seed args rejected: {e}"));
        }
        if !case["wire_body"].is_object() {
            failures.push(format!("{n}: no wire_body"));
        }
    }
    report("seeds.json", responses.len() + requests.len(), &failures);
}

// ---------------------------------------------------------------- bad inputs

/// A string argument, with `{"$repeat": [s, n]}` expanded.
fn arg_str(args: &Map<String, Value>, key: &str) -> Result<Option<String>, String> {
    match args.get(key) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(Value::Object(o)) if o.contains_key("$repeat") => {
            let r = o["$repeat"].as_array().ok_or("bad $repeat")?;
            let s = r[0].as_str().ok_or("bad $repeat string")?;
            let n = r[1].as_u64().ok_or("bad $repeat count")?;
            Ok(Some(s.repeat(usize::try_from(n).unwrap())))
        }
        Some(other) => Err(format!("`{key}` is not a string: {other}")),
    }
}

fn check_keys(op: &str, args: &Map<String, Value>, allowed: &[&str]) -> Result<(), String> {
    match args.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(k) => Err(format!("{op} takes no `{k}`")),
        None => Ok(()),
    }
}

/// What the client checks before sending `op(args)`, through `zignsec::validate`.
/// `Err(String)` is a malformed vector; `Ok(Err(e))` a validation result.
/// Check one op's arguments with the core's intake (`zignsec::input`), the same
/// functions the client runs before sending. `Err` is a malformed vector.
fn validate_op_inner(op: &str, args: &Map<String, Value>) -> Result<zignsec::Result<()>, String> {
    let need = |k: &str| -> Result<String, String> {
        arg_str(args, k)?.ok_or_else(|| format!("missing `{k}`"))
    };
    let res = match op {
        "send_sms" => {
            check_keys(
                op,
                args,
                &[
                    "to",
                    "from",
                    "message",
                    "max_message_parts",
                    "relay_state",
                    "webhook",
                ],
            )?;
            // As the bindings hand it over: a part count beyond i64 (or a fraction)
            // arrives as a double.
            let parts = match args.get("max_message_parts") {
                None => None,
                Some(v) => match (v.as_i64(), v.as_f64()) {
                    (Some(i), _) => Some(zignsec::input::Number::Int(i)),
                    (None, Some(f)) => Some(zignsec::input::Number::Float(f)),
                    _ => return Err("max_message_parts is not a number".into()),
                },
            };
            zignsec::input::SendSmsInput {
                to: need("to")?,
                from: need("from")?,
                message: need("message")?,
                max_message_parts: parts,
                relay_state: arg_str(args, "relay_state")?,
                webhook: arg_str(args, "webhook")?,
            }
            .into_request()
            .and_then(|req| zignsec::input::send_sms_body(&req))
            .map(|_| ())
        }
        "start_phone_verification" => {
            check_keys(
                op,
                args,
                &[
                    "phone_number",
                    "locale",
                    "redirect_success",
                    "redirect_failure",
                    "relay_state",
                    "webhook",
                    "csrf_token",
                ],
            )?;
            let mut req = zignsec::StartPhoneVerification::new(need("phone_number")?);
            req.locale = arg_str(args, "locale")?;
            req.redirect_success = arg_str(args, "redirect_success")?;
            req.redirect_failure = arg_str(args, "redirect_failure")?;
            req.relay_state = arg_str(args, "relay_state")?;
            req.webhook = arg_str(args, "webhook")?;
            req.csrf_token = arg_str(args, "csrf_token")?;
            zignsec::input::start_phone_body(&req).map(|_| ())
        }
        "start_email_verification" => {
            check_keys(
                op,
                args,
                &[
                    "email_address",
                    "locale",
                    "redirect_success",
                    "redirect_failure",
                    "relay_state",
                    "webhook",
                    "csrf_token",
                ],
            )?;
            let mut req = zignsec::StartEmailVerification::new(
                need("email_address")?,
                need("locale")?,
                need("redirect_success")?,
                need("redirect_failure")?,
            );
            req.relay_state = arg_str(args, "relay_state")?;
            req.webhook = arg_str(args, "webhook")?;
            req.csrf_token = arg_str(args, "csrf_token")?;
            zignsec::input::start_email_body(&req).map(|_| ())
        }
        "get_sms_session" | "get_phone_session" | "get_email_session" | "wait_sms_session"
        | "wait_phone_session" | "wait_email_session" => {
            check_keys(op, args, &["session_id"])?;
            let id = need("session_id")?;
            validate::session_id(&id).map(|_| ())
        }
        other => return Err(format!("unknown op {other}")),
    };
    Ok(res)
}

fn validate_op(op: &str, args: &Map<String, Value>) -> Result<(), String> {
    match validate_op_inner(op, args)? {
        Ok(()) => Ok(()),
        Err(e) => Err(format!("{:?} on {:?}: {e}", e.kind(), e.field())),
    }
}

#[test]
fn bad_input_vectors() {
    let doc = load("bad_inputs.json");
    let mut failures = Vec::new();
    let all = cases(&doc, "cases");
    for case in all {
        let n = name(case);
        let op = case["op"].as_str().unwrap();
        let field = case["field"].as_str().unwrap();
        assert_eq!(case["kind"], "validation", "{n}");
        match validate_op_inner(op, case["args"].as_object().unwrap()) {
            Err(e) => failures.push(format!("{n}: malformed vector: {e}")),
            Ok(Ok(())) => failures.push(format!("{n}: accepted")),
            Ok(Err(e)) if e.kind() == ErrorKind::Validation && e.field() == Some(field) => {}
            Ok(Err(e)) => failures.push(format!(
                "{n}: want validation on {field}, got {:?} on {:?}: {e}",
                e.kind(),
                e.field()
            )),
        }
    }
    let valid = cases(&doc, "valid_cases");
    for case in valid {
        let n = name(case);
        let op = case["op"].as_str().unwrap();
        if let Err(e) = validate_op(op, case["args"].as_object().unwrap()) {
            failures.push(format!("{n}: valid input rejected: {e}"));
        }
    }
    // Lone surrogates cannot exist in a Rust `&str`; the bindings run these.
    let language = cases(&doc, "language_cases");
    for case in language {
        let field = case["field"].as_str().unwrap();
        if case["args"][field].get("$lone_surrogate").is_none() {
            failures.push(format!("{}: no $lone_surrogate value", name(case)));
        }
    }
    report("bad_inputs.json", all.len() + valid.len(), &failures);
}
