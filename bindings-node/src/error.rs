//! The one place where core errors become JavaScript errors.
//!
//! Every [`ErrorKind`] maps to the stable `ZIGNSEC_*` code of API.md. The native
//! layer throws (or rejects with) a plain `Error` whose message is [`ERROR_MARK`]
//! followed by a JSON object holding the code, the message and every field the
//! error carries; the package's JavaScript wrapper (`zignsec.js`) decodes it into
//! the matching error class (`ValidationError`, `RateLimitError`, …).

use napi::Status;
use serde_json::{json, Map, Value};
use zignsec::{Error, ErrorKind, WaitDetails};

use crate::models::{PhoneSessionDetails, SmsSessionDetails};

/// Prefix of a native error message that carries a zignsec error as JSON.
pub const ERROR_MARK: &str = "ZIGNSEC_ERROR_JSON:";

/// The stable `err.code` of a kind (API.md's table).
pub fn code_of(kind: ErrorKind) -> &'static str {
    // Exhaustive on purpose (no wildcard): a new kind in the core fails to compile here.
    match kind {
        ErrorKind::Validation => "ZIGNSEC_VALIDATION",
        ErrorKind::Config => "ZIGNSEC_CONFIG",
        ErrorKind::BadRequest => "ZIGNSEC_BAD_REQUEST",
        ErrorKind::Authentication => "ZIGNSEC_AUTHENTICATION",
        ErrorKind::PermissionDenied => "ZIGNSEC_PERMISSION_DENIED",
        ErrorKind::NotFound => "ZIGNSEC_NOT_FOUND",
        ErrorKind::RateLimited => "ZIGNSEC_RATE_LIMITED",
        ErrorKind::Server => "ZIGNSEC_SERVER",
        ErrorKind::HttpStatus => "ZIGNSEC_HTTP_STATUS",
        ErrorKind::Connection => "ZIGNSEC_CONNECTION",
        ErrorKind::Timeout => "ZIGNSEC_TIMEOUT",
        ErrorKind::Decode => "ZIGNSEC_DECODE",
        ErrorKind::WaitTimeout => "ZIGNSEC_WAIT_TIMEOUT",
        ErrorKind::WebhookSignature => "ZIGNSEC_WEBHOOK_SIGNATURE",
    }
}

/// `max_message_parts` → `maxMessageParts`: Node names fields in camelCase.
pub fn camel_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = false;
    for c in name.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// The JSON payload of an error: what the JavaScript wrapper turns into properties.
pub fn payload(err: &Error) -> Value {
    let mut m = Map::new();
    m.insert("code".into(), json!(code_of(err.kind())));
    m.insert("kind".into(), json!(err.kind().as_str()));
    m.insert("message".into(), json!(err.message()));
    if let Some(field) = err.field() {
        m.insert("field".into(), json!(camel_case(field)));
    }
    if let Some(status) = err.status() {
        m.insert("status".into(), json!(status));
    }
    if let Some(code) = err.gateway_code() {
        m.insert("gatewayCode".into(), json!(code));
    }
    if let Some(body) = err.body() {
        m.insert("body".into(), json!(body));
    }
    if let Some(id) = err.request_id() {
        m.insert("requestId".into(), json!(id));
    }
    m.insert("attempts".into(), json!(err.attempts()));
    if let Some(sent) = err.maybe_sent() {
        m.insert("maybeSent".into(), json!(sent));
    }
    if let Some(wait) = err.retry_after() {
        m.insert("retryAfter".into(), json!(wait.as_secs_f64()));
    }
    if let Some(details) = err.wait_details() {
        let value = match details {
            WaitDetails::Sms(d) => serde_json::to_value(SmsSessionDetails::from(d)),
            WaitDetails::Phone(d) => serde_json::to_value(PhoneSessionDetails::from(d)),
            WaitDetails::Email(d) => Ok(serde_json::json!({"id": d.id, "status": d.status.as_str()})),
        };
        if let Ok(v) = value {
            m.insert("details".into(), v);
        }
    }
    Value::Object(m)
}

fn native(payload: Value) -> napi::Error {
    napi::Error::new(Status::GenericFailure, format!("{ERROR_MARK}{payload}"))
}

/// A core error as the native error the wrapper decodes.
pub fn to_napi(err: Error) -> napi::Error {
    native(payload(&err))
}

/// For sends: an error raised before the request could leave says so
/// (`maybeSent: false`), like the core's own send errors.
pub fn to_napi_unsent(err: Error) -> napi::Error {
    let mut p = payload(&err);
    if let Value::Object(m) = &mut p {
        m.entry("maybeSent").or_insert(json!(false));
    }
    native(p)
}

/// A config error found while converting an option the core takes in other
/// units (`timeoutMs` → seconds), worded in the units the caller used.
pub fn config(message: impl Into<String>) -> napi::Error {
    native(json!({
        "code": code_of(ErrorKind::Config),
        "kind": ErrorKind::Config.as_str(),
        "message": message.into(),
        "attempts": 0,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_kind_has_its_own_code() {
        let codes: HashSet<&str> = ErrorKind::ALL.iter().map(|k| code_of(*k)).collect();
        assert_eq!(codes.len(), ErrorKind::ALL.len());
        for kind in ErrorKind::ALL {
            let expected = format!("ZIGNSEC_{}", kind.as_str().to_uppercase());
            assert_eq!(code_of(kind), expected, "{kind:?}");
        }
    }

    #[test]
    fn camel_case_fields() {
        assert_eq!(camel_case("max_message_parts"), "maxMessageParts");
        assert_eq!(camel_case("to"), "to");
        assert_eq!(camel_case("session_id"), "sessionId");
    }

    #[test]
    fn payload_carries_the_field() {
        let e = Error::validation("phone_number", "bad");
        let p = payload(&e);
        assert_eq!(p["code"], "ZIGNSEC_VALIDATION");
        assert_eq!(p["field"], "phoneNumber");
        assert_eq!(p["attempts"], 0);
    }
}
