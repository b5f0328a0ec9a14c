//! The one place where core errors become JavaScript errors.
//!
//! Every [`ErrorKind`] maps to the stable `ZIGNSEC_*` code of docs/CONTRACT.md. The
//! native layer throws (or rejects with) a JavaScript `Error` built on the JS thread:
//! its `message` is the core's (safe to log), its `code` is the `ZIGNSEC_*` string, and
//! its `info` property is an [`ErrorInfo`] holding every field the error carries. The
//! package's facade (`index.js`) maps `code` to the matching error class.

use napi::bindgen_prelude::{Either3, JsObjectValue, JsValue, Object};
use napi::{Env, Status};
use napi_derive::napi;
use zignsec::{Error, ErrorKind, WaitDetails};

use crate::models::{EmailSessionDetails, PhoneSessionDetails, SmsSessionDetails};

/// The stable `err.code` of a kind (docs/CONTRACT.md's table).
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

/// `max_message_parts` → `maxMessageParts`: Node names fields in camelCase (the
/// core's rule).
pub use zignsec::camel_case;

/// The fields of a zignsec error, as the native error's `info` property.
#[napi(object)]
#[derive(Debug, Clone)]
pub struct ErrorInfo {
    /// The kind (`'validation'`, `'rate_limited'`, …); `code` is `ZIGNSEC_<KIND>`.
    pub kind: String,
    /// The field at fault, in camelCase.
    pub field: Option<String>,
    /// The HTTP status, when the gateway answered.
    pub status: Option<u32>,
    /// The gateway's own error code.
    pub gateway_code: Option<String>,
    /// The raw response body (capped).
    pub body: Option<String>,
    /// The `x-request-id` response header.
    pub request_id: Option<String>,
    /// Requests made.
    pub attempts: u32,
    /// For sends: whether the request may have reached the gateway.
    pub maybe_sent: Option<bool>,
    /// Seconds the gateway asked to wait (`Retry-After`).
    pub retry_after: Option<f64>,
    /// For a wait timeout: the last details read.
    pub details: Option<Either3<SmsSessionDetails, PhoneSessionDetails, EmailSessionDetails>>,
}

impl From<&Error> for ErrorInfo {
    fn from(err: &Error) -> Self {
        ErrorInfo {
            kind: err.kind().as_str().to_string(),
            field: err.field().map(camel_case),
            status: err.status().map(u32::from),
            gateway_code: err.gateway_code().map(str::to_string),
            body: err.body().map(str::to_string),
            request_id: err.request_id().map(str::to_string),
            attempts: err.attempts(),
            maybe_sent: err.maybe_sent(),
            retry_after: err.retry_after().map(|d| d.as_secs_f64()),
            details: err.wait_details().map(|d| match d {
                WaitDetails::Sms(d) => Either3::A(SmsSessionDetails::from(d)),
                WaitDetails::Phone(d) => Either3::B(PhoneSessionDetails::from(d)),
                WaitDetails::Email(d) => Either3::C(EmailSessionDetails::from(d)),
            }),
        }
    }
}

fn build<'env>(env: &'env Env, err: &Error) -> napi::Result<Object<'env>> {
    let mut obj = env.create_error(napi::Error::new(
        Status::GenericFailure,
        err.message().to_string(),
    ))?;
    obj.set_named_property("code", code_of(err.kind()))?;
    obj.set_named_property("info", ErrorInfo::from(err))?;
    Ok(obj)
}

/// A core error as the JavaScript error to throw or reject with (built on the JS
/// thread, `code` the `ZIGNSEC_*` string, `info` its fields).
pub fn to_js(env: &Env, err: &Error) -> napi::Error {
    match build(env, err) {
        Ok(obj) => napi::Error::from(obj.to_unknown()),
        Err(e) => e,
    }
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
    fn info_carries_the_field() {
        let e = Error::validation("phone_number", "bad");
        let info = ErrorInfo::from(&e);
        assert_eq!(info.kind, "validation");
        assert_eq!(info.field.as_deref(), Some("phoneNumber"));
        assert_eq!(info.attempts, 0);
    }
}
