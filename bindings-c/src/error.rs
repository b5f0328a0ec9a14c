//! Error codes and the `ZsError` object. The one place where the core's
//! [`zignsec::ErrorKind`]s become [`ZsErrorCode`]s.

use std::ffi::CString;

use zignsec::{ErrorKind, WaitDetails};

use crate::types::{to_c, ZsEmailSessionDetails, ZsPhoneSessionDetails, ZsSmsSessionDetails};

/// What a call returned. `ZS_OK` (0) is success; every other value is an error
/// of one kind. The kinds from `ZS_ERR_VALIDATION` to `ZS_ERR_WEBHOOK_SIGNATURE`
/// are the SDK's contract (shared with Rust, Python and Node); the last two are
/// the C surface's own.
#[allow(non_camel_case_types)]
#[repr(i32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ZsErrorCode {
    /// Success.
    ZS_OK = 0,
    /// Bad input, caught before anything was sent; zs_error_field() names the field.
    ZS_ERR_VALIDATION = 1,
    /// No API key, an unknown environment, an unusable base URL or option.
    ZS_ERR_CONFIG = 2,
    /// HTTP 400 from the gateway.
    ZS_ERR_BAD_REQUEST = 3,
    /// HTTP 401: missing or wrong API key.
    ZS_ERR_AUTHENTICATION = 4,
    /// HTTP 403.
    ZS_ERR_PERMISSION_DENIED = 5,
    /// HTTP 404: unknown session.
    ZS_ERR_NOT_FOUND = 6,
    /// HTTP 429; zs_error_retry_after_ms() tells how long the gateway asked to wait.
    ZS_ERR_RATE_LIMITED = 7,
    /// HTTP 5xx.
    ZS_ERR_SERVER = 8,
    /// Any other non-2xx HTTP status.
    ZS_ERR_HTTP_STATUS = 9,
    /// Connection refused or reset, DNS or TLS failure.
    ZS_ERR_CONNECTION = 10,
    /// The call's total time (ZsClientOptions.timeout_ms) ran out.
    ZS_ERR_TIMEOUT = 11,
    /// A 2xx response (or a webhook body) that is not the documented JSON.
    ZS_ERR_DECODE = 12,
    /// A zs_wait_* whose session did not reach a final status in time;
    /// zs_error_last_status() and zs_error_sms_details() / zs_error_phone_details() /
    /// zs_error_email_details()
    /// hold what was read last.
    ZS_ERR_WAIT_TIMEOUT = 13,
    /// A webhook signature that is missing, malformed, wrong or stale.
    ZS_ERR_WEBHOOK_SIGNATURE = 14,
    /// A NULL pointer where one is required, a string that is not valid UTF-8, or
    /// a struct whose `version` this library does not know; zs_error_field() names
    /// the parameter. Nothing was sent.
    ZS_ERR_INVALID_ARGUMENT = 15,
    /// A bug inside the library (a caught Rust panic). Nothing crossed into C.
    ZS_ERR_INTERNAL = 16,
}

/// Whether a failed send may have reached the gateway (so an SMS may be on its way).
#[allow(non_camel_case_types)]
#[repr(i32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ZsMaybeSent {
    /// Not known, or not a send (reads, webhooks, invalid arguments).
    ZS_MAYBE_SENT_UNKNOWN = -1,
    /// The request provably never reached the gateway.
    ZS_MAYBE_SENT_NO = 0,
    /// The request may have reached the gateway.
    ZS_MAYBE_SENT_YES = 1,
}

/// The C code for a core error kind: exhaustive, no wildcard, so a new kind in
/// the core fails to compile here until it has its own code.
pub(crate) fn code_of(kind: ErrorKind) -> ZsErrorCode {
    match kind {
        ErrorKind::Validation => ZsErrorCode::ZS_ERR_VALIDATION,
        ErrorKind::Config => ZsErrorCode::ZS_ERR_CONFIG,
        ErrorKind::BadRequest => ZsErrorCode::ZS_ERR_BAD_REQUEST,
        ErrorKind::Authentication => ZsErrorCode::ZS_ERR_AUTHENTICATION,
        ErrorKind::PermissionDenied => ZsErrorCode::ZS_ERR_PERMISSION_DENIED,
        ErrorKind::NotFound => ZsErrorCode::ZS_ERR_NOT_FOUND,
        ErrorKind::RateLimited => ZsErrorCode::ZS_ERR_RATE_LIMITED,
        ErrorKind::Server => ZsErrorCode::ZS_ERR_SERVER,
        ErrorKind::HttpStatus => ZsErrorCode::ZS_ERR_HTTP_STATUS,
        ErrorKind::Connection => ZsErrorCode::ZS_ERR_CONNECTION,
        ErrorKind::Timeout => ZsErrorCode::ZS_ERR_TIMEOUT,
        ErrorKind::Decode => ZsErrorCode::ZS_ERR_DECODE,
        ErrorKind::WaitTimeout => ZsErrorCode::ZS_ERR_WAIT_TIMEOUT,
        ErrorKind::WebhookSignature => ZsErrorCode::ZS_ERR_WEBHOOK_SIGNATURE,
    }
}

/// Every code, in order, with its static NUL-terminated name.
pub(crate) const CODE_NAMES: [(ZsErrorCode, &str); 17] = [
    (ZsErrorCode::ZS_OK, "ZS_OK\0"),
    (ZsErrorCode::ZS_ERR_VALIDATION, "ZS_ERR_VALIDATION\0"),
    (ZsErrorCode::ZS_ERR_CONFIG, "ZS_ERR_CONFIG\0"),
    (ZsErrorCode::ZS_ERR_BAD_REQUEST, "ZS_ERR_BAD_REQUEST\0"),
    (
        ZsErrorCode::ZS_ERR_AUTHENTICATION,
        "ZS_ERR_AUTHENTICATION\0",
    ),
    (
        ZsErrorCode::ZS_ERR_PERMISSION_DENIED,
        "ZS_ERR_PERMISSION_DENIED\0",
    ),
    (ZsErrorCode::ZS_ERR_NOT_FOUND, "ZS_ERR_NOT_FOUND\0"),
    (ZsErrorCode::ZS_ERR_RATE_LIMITED, "ZS_ERR_RATE_LIMITED\0"),
    (ZsErrorCode::ZS_ERR_SERVER, "ZS_ERR_SERVER\0"),
    (ZsErrorCode::ZS_ERR_HTTP_STATUS, "ZS_ERR_HTTP_STATUS\0"),
    (ZsErrorCode::ZS_ERR_CONNECTION, "ZS_ERR_CONNECTION\0"),
    (ZsErrorCode::ZS_ERR_TIMEOUT, "ZS_ERR_TIMEOUT\0"),
    (ZsErrorCode::ZS_ERR_DECODE, "ZS_ERR_DECODE\0"),
    (ZsErrorCode::ZS_ERR_WAIT_TIMEOUT, "ZS_ERR_WAIT_TIMEOUT\0"),
    (
        ZsErrorCode::ZS_ERR_WEBHOOK_SIGNATURE,
        "ZS_ERR_WEBHOOK_SIGNATURE\0",
    ),
    (
        ZsErrorCode::ZS_ERR_INVALID_ARGUMENT,
        "ZS_ERR_INVALID_ARGUMENT\0",
    ),
    (ZsErrorCode::ZS_ERR_INTERNAL, "ZS_ERR_INTERNAL\0"),
];

/// The last details a wait read, owned by the error.
#[derive(Debug)]
pub(crate) enum ErrorDetails {
    Sms(Box<ZsSmsSessionDetails>),
    Phone(Box<ZsPhoneSessionDetails>),
    Email(Box<ZsEmailSessionDetails>),
}

/// An error: its code, message and, where known, the gateway's answer.
///
/// Created by the library through a `ZsError **err` out-parameter, read with the
/// `zs_error_*` accessors, freed with zs_error_free(). Strings returned by the
/// accessors belong to the error and live until zs_error_free().
#[derive(Debug)]
pub struct ZsError {
    pub(crate) code: ZsErrorCode,
    pub(crate) message: CString,
    pub(crate) field: Option<CString>,
    pub(crate) status: u16,
    pub(crate) gateway_code: Option<CString>,
    pub(crate) body: Option<CString>,
    pub(crate) request_id: Option<CString>,
    pub(crate) attempts: u32,
    pub(crate) maybe_sent: ZsMaybeSent,
    pub(crate) retry_after_ms: i64,
    pub(crate) last_status: Option<CString>,
    pub(crate) details: Option<ErrorDetails>,
}

impl ZsError {
    fn bare(code: ZsErrorCode, message: &str) -> ZsError {
        ZsError {
            code,
            message: to_c(message),
            field: None,
            status: 0,
            gateway_code: None,
            body: None,
            request_id: None,
            attempts: 0,
            maybe_sent: ZsMaybeSent::ZS_MAYBE_SENT_UNKNOWN,
            retry_after_ms: -1,
            last_status: None,
            details: None,
        }
    }

    /// `ZS_ERR_INVALID_ARGUMENT` about parameter `name`.
    pub(crate) fn invalid_argument(name: &str, problem: &str) -> Fail {
        let mut e = ZsError::bare(
            ZsErrorCode::ZS_ERR_INVALID_ARGUMENT,
            &format!("invalid argument `{name}`: {problem}"),
        );
        e.field = Some(to_c(name));
        Box::new(e)
    }

    /// `ZS_ERR_INTERNAL` for a caught panic.
    pub(crate) fn internal(what: &str) -> Fail {
        Box::new(ZsError::bare(
            ZsErrorCode::ZS_ERR_INTERNAL,
            &format!("internal error in libzignsec (please report it): {what}"),
        ))
    }
}

/// How a call fails inside the library (boxed: results stay small).
pub(crate) type Fail = Box<ZsError>;

impl From<zignsec::Error> for Fail {
    fn from(e: zignsec::Error) -> Fail {
        let mut out = ZsError::bare(code_of(e.kind()), e.message());
        out.field = e.field().map(to_c);
        out.status = e.status().unwrap_or(0);
        out.gateway_code = e.gateway_code().map(to_c);
        out.body = e.body().map(to_c);
        out.request_id = e.request_id().map(to_c);
        out.attempts = e.attempts();
        out.maybe_sent = match e.maybe_sent() {
            None => ZsMaybeSent::ZS_MAYBE_SENT_UNKNOWN,
            Some(false) => ZsMaybeSent::ZS_MAYBE_SENT_NO,
            Some(true) => ZsMaybeSent::ZS_MAYBE_SENT_YES,
        };
        out.retry_after_ms = e
            .retry_after()
            .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
            .unwrap_or(-1);
        match e.wait_details() {
            Some(WaitDetails::Sms(d)) => {
                out.last_status = Some(to_c(d.status.as_str()));
                out.details = Some(ErrorDetails::Sms(Box::new(ZsSmsSessionDetails::from(d))));
            }
            Some(WaitDetails::Phone(d)) => {
                out.last_status = Some(to_c(d.status.as_str()));
                out.details = Some(ErrorDetails::Phone(Box::new(ZsPhoneSessionDetails::from(
                    d,
                ))));
            }
            Some(WaitDetails::Email(d)) => {
                out.last_status = Some(to_c(d.status.as_str()));
                out.details = Some(ErrorDetails::Email(Box::new(ZsEmailSessionDetails::from(
                    d,
                ))));
            }
            None => {}
        }
        Box::new(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_its_own_code() {
        let mut seen = std::collections::HashSet::new();
        for kind in ErrorKind::ALL {
            let code = code_of(kind);
            assert_ne!(code, ZsErrorCode::ZS_ERR_INTERNAL, "{kind:?} is unmapped");
            assert!(seen.insert(code), "{kind:?} shares a code");
            let name = CODE_NAMES
                .iter()
                .find(|(c, _)| *c == code)
                .map(|(_, n)| n.trim_end_matches('\0'))
                .expect("every code has a name");
            assert_eq!(name, format!("ZS_ERR_{}", kind.as_str().to_uppercase()));
        }
    }

    #[test]
    fn names_are_in_code_order() {
        for (i, (code, name)) in CODE_NAMES.iter().enumerate() {
            assert_eq!(*code as usize, i);
            assert!(name.ends_with('\0'));
        }
    }
}
