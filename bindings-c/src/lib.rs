//! The C ABI of the zignsec SDK: `libzignsec.so` / `libzignsec.a` and
//! `include/zignsec.h` (generated from this crate by cbindgen).
//!
//! Every rule lives in the core crate `zignsec`; this crate only converts C
//! arguments to Rust, results to owned C structs, and errors to [`ZsErrorCode`]s.
//! Every exported function checks its pointers and strings and runs inside
//! [`boundary::call`], so no panic ever crosses into C.

mod accessors;
mod boundary;
mod email;
mod error;
mod otp;
mod params;
mod types;

use std::ffi::{c_char, CString};

use zignsec::input::{self, Number, Span};

pub use error::{ZsError, ZsErrorCode, ZsMaybeSent};
pub use otp::{ZsOtp, ZsOtpCheck, ZsOtpOptions, ZsOtpReason, ZsOtpSend, ZsSendOtpParams};
pub use params::{
    ZsClientOptions, ZsSendSmsParams, ZsStartEmailVerificationParams,
    ZsStartPhoneVerificationParams, ZS_CLIENT_OPTIONS_VERSION, ZS_OTP_OPTIONS_VERSION,
    ZS_SEND_OTP_PARAMS_VERSION, ZS_SEND_SMS_PARAMS_VERSION,
    ZS_START_EMAIL_VERIFICATION_PARAMS_VERSION, ZS_START_PHONE_VERIFICATION_PARAMS_VERSION,
};
pub use types::{
    ZsEmailRequest, ZsEmailSession, ZsEmailSessionDetails, ZsPhoneRequest, ZsPhoneSession,
    ZsPhoneSessionDetails, ZsSessionError, ZsSmsEncoding, ZsSmsParts, ZsSmsRequest, ZsSmsSession,
    ZsSmsSessionDetails, ZsWebhookEvent,
};

use boundary::{bytes, call, free_box, opt_text, out_ptr, reference, text};
use error::Fail;

/// A connection to the gateway. Thread-safe: build one with zs_client_new(),
/// share it between threads, free it once with zs_client_free() after every call
/// using it has returned.
#[derive(Debug)]
pub struct ZsClient {
    pub(crate) inner: zignsec::Client,
}

/// This library's version (`"0.1.0"`), a static string: never free it.
#[no_mangle]
pub extern "C" fn zs_version() -> *const c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}

/// Build a client. Options left unset (see ZsClientOptions) come from the
/// `ZIGNSEC_*` environment variables, then the defaults; `opts` itself may be
/// NULL (everything from the environment). Nothing is sent.
///
/// Returns ZS_OK and stores a new client in `*out` (free it with
/// zs_client_free()), or ZS_ERR_CONFIG (no API key, bad environment, base URL or
/// option), or ZS_ERR_INVALID_ARGUMENT (NULL `out`, a field that is not UTF-8).
///
/// # Safety
/// `opts` is NULL or a valid ZsClientOptions whose strings are NULL or
/// NUL-terminated; `out` points to storage for one pointer; `err` is NULL or
/// points to storage for one pointer.
#[no_mangle]
pub unsafe extern "C" fn zs_client_new(
    opts: *const ZsClientOptions,
    out: *mut *mut ZsClient,
    err: *mut *mut ZsError,
) -> ZsErrorCode {
    call(err, || {
        // SAFETY: the caller's promises, forwarded.
        let out = unsafe { out_ptr(out, "out") }?;
        // SAFETY: `opts` is NULL or valid (the caller's promise).
        let options = match unsafe { opts.as_ref() } {
            None => input::ClientOptions::default(),
            // SAFETY: its strings are NULL or NUL-terminated.
            Some(o) => unsafe { o.to_input() }?,
        };
        let builder = options.into_builder("c", env!("CARGO_PKG_VERSION"))?;
        let client = builder.build()?;
        out.set(Box::new(ZsClient { inner: client }));
        Ok(())
    })
}

/// Free a client. NULL is a no-op. No call may be using it any more.
///
/// # Safety
/// `client` is NULL or a ZsClient from zs_client_new(), freed at most once.
#[no_mangle]
pub unsafe extern "C" fn zs_client_free(client: *mut ZsClient) {
    // SAFETY: the caller's promise.
    unsafe { free_box(client) }
}

/// Send an SMS. Everything is validated first (ZS_ERR_VALIDATION naming the
/// field, nothing sent). A send is retried only when it provably never left, so
/// no SMS goes out twice; on a connection or timeout error zs_error_maybe_sent()
/// says whether it may be on its way.
///
/// Returns ZS_OK and stores the new session in `*out` (free it with
/// zs_sms_session_free()), or an error code (see ZsErrorCode), with `*out` NULL.
///
/// # Safety
/// `client` is NULL or a live ZsClient; `params` is NULL or a valid
/// ZsSendSmsParams whose strings are NULL or NUL-terminated; `out` and `err` as
/// in zs_client_new().
#[no_mangle]
pub unsafe extern "C" fn zs_send_sms(
    client: *const ZsClient,
    params: *const ZsSendSmsParams,
    out: *mut *mut ZsSmsSession,
    err: *mut *mut ZsError,
) -> ZsErrorCode {
    call(err, || {
        // SAFETY: the caller's promises, forwarded to each check.
        let out = unsafe { out_ptr(out, "out") }?;
        let client = unsafe { reference(client, "client") }?;
        let p = unsafe { reference(params, "params") }?;
        // SAFETY: its strings are NULL or NUL-terminated.
        let request = unsafe { p.to_input() }?.into_request()?;
        let session = client.inner.send_sms(&request)?;
        out.set(Box::new(ZsSmsSession::from(&session)));
        Ok(())
    })
}

/// Start a phone verification: the user opens `redirect_url`, receives a code by
/// SMS and types it in. Validated first (ZS_ERR_VALIDATION, nothing sent).
///
/// Returns ZS_OK and stores the session in `*out` (free it with
/// zs_phone_session_free()), or an error code with `*out` NULL.
///
/// # Safety
/// `client` is NULL or a live ZsClient; `params` is NULL or a valid
/// ZsStartPhoneVerificationParams whose strings are NULL or NUL-terminated;
/// `out` and `err` as in zs_client_new().
#[no_mangle]
pub unsafe extern "C" fn zs_start_phone_verification(
    client: *const ZsClient,
    params: *const ZsStartPhoneVerificationParams,
    out: *mut *mut ZsPhoneSession,
    err: *mut *mut ZsError,
) -> ZsErrorCode {
    call(err, || {
        // SAFETY: the caller's promises, forwarded to each check.
        let out = unsafe { out_ptr(out, "out") }?;
        let client = unsafe { reference(client, "client") }?;
        let p = unsafe { reference(params, "params") }?;
        // SAFETY: its strings are NULL or NUL-terminated.
        let request = unsafe { p.to_request() }?;
        let session = client.inner.start_phone_verification(&request)?;
        out.set(Box::new(ZsPhoneSession::from(&session)));
        Ok(())
    })
}

/// Read an SMS session by id (a UUID; anything else is ZS_ERR_VALIDATION, nothing sent).
///
/// Returns ZS_OK and stores the details in `*out` (free them with
/// zs_sms_session_details_free()), or an error code (ZS_ERR_NOT_FOUND for an
/// unknown session) with `*out` NULL.
///
/// # Safety
/// `client` is NULL or a live ZsClient; `session_id` is NULL or NUL-terminated;
/// `out` and `err` as in zs_client_new().
#[no_mangle]
pub unsafe extern "C" fn zs_get_sms_session(
    client: *const ZsClient,
    session_id: *const c_char,
    out: *mut *mut ZsSmsSessionDetails,
    err: *mut *mut ZsError,
) -> ZsErrorCode {
    call(err, || {
        // SAFETY: the caller's promises, forwarded to each check.
        let out = unsafe { out_ptr(out, "out") }?;
        let client = unsafe { reference(client, "client") }?;
        let id = unsafe { text(session_id, "session_id") }?;
        let details = client.inner.get_sms_session(id)?;
        out.set(Box::new(ZsSmsSessionDetails::from(&details)));
        Ok(())
    })
}

/// Read a phone verification by id (a UUID; anything else is ZS_ERR_VALIDATION).
///
/// Returns ZS_OK and stores the details in `*out` (free them with
/// zs_phone_session_details_free()), or an error code with `*out` NULL.
///
/// # Safety
/// As zs_get_sms_session().
#[no_mangle]
pub unsafe extern "C" fn zs_get_phone_session(
    client: *const ZsClient,
    session_id: *const c_char,
    out: *mut *mut ZsPhoneSessionDetails,
    err: *mut *mut ZsError,
) -> ZsErrorCode {
    call(err, || {
        // SAFETY: the caller's promises, forwarded to each check.
        let out = unsafe { out_ptr(out, "out") }?;
        let client = unsafe { reference(client, "client") }?;
        let id = unsafe { text(session_id, "session_id") }?;
        let details = client.inner.get_phone_session(id)?;
        out.set(Box::new(ZsPhoneSessionDetails::from(&details)));
        Ok(())
    })
}

/// A wait's timeout and poll interval in milliseconds, 0 for "unset", checked by
/// the core.
pub(crate) fn wait_spans(
    timeout_ms: u64,
    poll_interval_ms: u64,
) -> Result<(Option<std::time::Duration>, Option<std::time::Duration>), Fail> {
    let span = |ms: u64| (ms != 0).then(|| Span::Millis(Number::Int(saturating_i64(ms))));
    Ok(input::wait_durations(
        span(timeout_ms),
        span(poll_interval_ms),
        ("timeout_ms", "poll_interval_ms"),
    )?)
}

/// A C unsigned count as the core's loose number (saturating: the core refuses
/// values this large anyway).
pub(crate) fn saturating_i64(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

/// Poll an SMS session until its status is final (`delivered` or `failed`).
/// `timeout_ms` 0 takes the default (60000), `poll_interval_ms` 0 the default (1000).
///
/// Returns ZS_OK and stores the final details in `*out` (free them with
/// zs_sms_session_details_free()); ZS_ERR_WAIT_TIMEOUT when the session is still
/// not final (the ZsError holds the last details: zs_error_sms_details()); or
/// another error code. `*out` is NULL on error.
///
/// # Safety
/// As zs_get_sms_session().
#[no_mangle]
pub unsafe extern "C" fn zs_wait_sms_session(
    client: *const ZsClient,
    session_id: *const c_char,
    timeout_ms: u64,
    poll_interval_ms: u64,
    out: *mut *mut ZsSmsSessionDetails,
    err: *mut *mut ZsError,
) -> ZsErrorCode {
    call(err, || {
        // SAFETY: the caller's promises, forwarded to each check.
        let out = unsafe { out_ptr(out, "out") }?;
        let client = unsafe { reference(client, "client") }?;
        let id = unsafe { text(session_id, "session_id") }?;
        let (timeout, poll) = wait_spans(timeout_ms, poll_interval_ms)?;
        let details = client.inner.wait_sms_session(id, timeout, poll)?;
        out.set(Box::new(ZsSmsSessionDetails::from(&details)));
        Ok(())
    })
}

/// Poll a phone verification until its status is final (`finished`, `accepted`,
/// `failed`, `cancelled`). `timeout_ms` 0 takes the default (300000),
/// `poll_interval_ms` 0 the default (1000).
///
/// Returns ZS_OK and stores the final details in `*out` (free them with
/// zs_phone_session_details_free()); ZS_ERR_WAIT_TIMEOUT when still not final
/// (zs_error_phone_details() holds the last details); or another error code.
///
/// # Safety
/// As zs_get_sms_session().
#[no_mangle]
pub unsafe extern "C" fn zs_wait_phone_session(
    client: *const ZsClient,
    session_id: *const c_char,
    timeout_ms: u64,
    poll_interval_ms: u64,
    out: *mut *mut ZsPhoneSessionDetails,
    err: *mut *mut ZsError,
) -> ZsErrorCode {
    call(err, || {
        // SAFETY: the caller's promises, forwarded to each check.
        let out = unsafe { out_ptr(out, "out") }?;
        let client = unsafe { reference(client, "client") }?;
        let id = unsafe { text(session_id, "session_id") }?;
        let (timeout, poll) = wait_spans(timeout_ms, poll_interval_ms)?;
        let details = client.inner.wait_phone_session(id, timeout, poll)?;
        out.set(Box::new(ZsPhoneSessionDetails::from(&details)));
        Ok(())
    })
}

/// How `message` splits into SMS parts (GSM-7 160/153 septets, UCS-2 70/67 units).
/// No network. Fills the caller's `*out` (a plain value: nothing to free).
///
/// Returns ZS_OK, or ZS_ERR_INVALID_ARGUMENT for a NULL or non-UTF-8 `message`
/// or a NULL `out` (then `*out` is untouched).
///
/// # Safety
/// `message` is NULL or NUL-terminated; `out` is NULL or points to a writable
/// ZsSmsParts; `err` as in zs_client_new().
#[no_mangle]
pub unsafe extern "C" fn zs_sms_parts(
    message: *const c_char,
    out: *mut ZsSmsParts,
    err: *mut *mut ZsError,
) -> ZsErrorCode {
    call(err, || {
        if out.is_null() {
            return Err(ZsError::invalid_argument("out", "must not be NULL"));
        }
        // SAFETY: the caller's promise.
        let message = unsafe { text(message, "message") }?;
        let parts = ZsSmsParts::from(zignsec::sms_parts(message)?);
        // SAFETY: checked non-NULL; writable by the caller's promise.
        unsafe { out.write(parts) };
        Ok(())
    })
}

/// The static name of an encoding (`"gsm7"`, `"ucs2"`; `"unknown"` for other
/// values). Never free it.
#[no_mangle]
pub extern "C" fn zs_sms_encoding_name(encoding: i32) -> *const c_char {
    let name: &str = match encoding {
        e if e == ZsSmsEncoding::ZS_SMS_GSM7 as i32 => "gsm7\0",
        e if e == ZsSmsEncoding::ZS_SMS_UCS2 as i32 => "ucs2\0",
        _ => "unknown\0",
    };
    name.as_ptr().cast()
}

/// Parse a webhook body without checking its signature (use zs_verify_webhook()
/// for requests from the network). `body` is `body_len` bytes (need not be
/// NUL-terminated; must not be NULL even when empty).
///
/// Returns ZS_OK and stores the event in `*out` (free it with
/// zs_webhook_event_free()), or ZS_ERR_DECODE (not a JSON object with a session
/// id and status), or ZS_ERR_INVALID_ARGUMENT.
///
/// # Safety
/// `body` is NULL or points to `body_len` readable bytes; `out` and `err` as in
/// zs_client_new().
#[no_mangle]
pub unsafe extern "C" fn zs_parse_webhook(
    body: *const c_char,
    body_len: usize,
    out: *mut *mut ZsWebhookEvent,
    err: *mut *mut ZsError,
) -> ZsErrorCode {
    call(err, || {
        // SAFETY: the caller's promises, forwarded to each check.
        let out = unsafe { out_ptr(out, "out") }?;
        let body = unsafe { bytes(body, body_len, "body") }?;
        let event = zignsec::parse_webhook(body)?;
        out.set(Box::new(ZsWebhookEvent::from(&event)));
        Ok(())
    })
}

/// A signature tolerance in seconds, negative for "unset", checked by the core.
fn tolerance(tolerance_s: i64) -> Result<std::time::Duration, Fail> {
    let span = (tolerance_s >= 0).then_some(Span::Seconds(Number::Int(tolerance_s)));
    Ok(input::webhook_tolerance("tolerance_s", span)?)
}

/// Check a webhook's `X-ZignSec-Hmac-SHA256` header (`header`, e.g.
/// `"t=1700000000,v1=<hex>"`) against `secret`, then parse the body. The
/// timestamp must lie within `tolerance_s` seconds of now: 0 to 86400 (0 means
/// "this very second"); a negative `tolerance_s` takes the default, 300.
///
/// Returns ZS_OK and stores the event in `*out` (free it with
/// zs_webhook_event_free()), or ZS_ERR_WEBHOOK_SIGNATURE (missing, malformed,
/// wrong or stale signature), ZS_ERR_DECODE (signed but unparseable body),
/// ZS_ERR_VALIDATION (empty secret, `tolerance_s` above 86400),
/// ZS_ERR_INVALID_ARGUMENT.
///
/// # Safety
/// `body` is NULL or points to `body_len` readable bytes; `header` and `secret`
/// are NULL or NUL-terminated; `out` and `err` as in zs_client_new().
#[no_mangle]
pub unsafe extern "C" fn zs_verify_webhook(
    body: *const c_char,
    body_len: usize,
    header: *const c_char,
    secret: *const c_char,
    tolerance_s: i64,
    out: *mut *mut ZsWebhookEvent,
    err: *mut *mut ZsError,
) -> ZsErrorCode {
    call(err, || {
        // SAFETY: the caller's promises, forwarded to each check.
        let out = unsafe { out_ptr(out, "out") }?;
        let body = unsafe { bytes(body, body_len, "body") }?;
        let header = unsafe { text(header, "header") }?;
        let secret = unsafe { text(secret, "secret") }?;
        let event = zignsec::verify_webhook(body, header, secret, tolerance(tolerance_s)?)?;
        out.set(Box::new(ZsWebhookEvent::from(&event)));
        Ok(())
    })
}

/// zs_verify_webhook() against a given clock: `now` in unix seconds. For tests
/// (and replaying stored webhooks); same returns and ownership.
///
/// # Safety
/// As zs_verify_webhook().
#[no_mangle]
pub unsafe extern "C" fn zs_verify_webhook_at(
    body: *const c_char,
    body_len: usize,
    header: *const c_char,
    secret: *const c_char,
    tolerance_s: i64,
    now: i64,
    out: *mut *mut ZsWebhookEvent,
    err: *mut *mut ZsError,
) -> ZsErrorCode {
    call(err, || {
        // SAFETY: the caller's promises, forwarded to each check.
        let out = unsafe { out_ptr(out, "out") }?;
        let body = unsafe { bytes(body, body_len, "body") }?;
        let header = unsafe { text(header, "header") }?;
        let secret = unsafe { text(secret, "secret") }?;
        let event = zignsec::verify_webhook_at(body, header, secret, tolerance(tolerance_s)?, now)?;
        out.set(Box::new(ZsWebhookEvent::from(&event)));
        Ok(())
    })
}

/// The header value the gateway would send for `body` at `timestamp` (unix
/// seconds): `"t=<timestamp>,v1=<hex>"`. For your own tests.
///
/// Returns ZS_OK and stores a new string in `*out` (free it with
/// zs_string_free()), or ZS_ERR_VALIDATION (empty secret) or
/// ZS_ERR_INVALID_ARGUMENT, with `*out` NULL.
///
/// # Safety
/// `body` is NULL or points to `body_len` readable bytes; `secret` is NULL or
/// NUL-terminated; `out` and `err` as in zs_client_new().
#[no_mangle]
pub unsafe extern "C" fn zs_sign_webhook(
    body: *const c_char,
    body_len: usize,
    secret: *const c_char,
    timestamp: i64,
    out: *mut *mut c_char,
    err: *mut *mut ZsError,
) -> ZsErrorCode {
    call(err, || {
        // SAFETY: the caller's promises, forwarded to each check.
        let out = unsafe { out_ptr(out, "out") }?;
        let body = unsafe { bytes(body, body_len, "body") }?;
        let secret = unsafe { text(secret, "secret") }?;
        let header = zignsec::sign_webhook(body, secret, timestamp)?;
        let header = CString::new(header)
            .map_err(|_| ZsError::internal("a signature header held a NUL byte"))?;
        out.set_raw(header.into_raw());
        Ok(())
    })
}

/// The phone number `number` in E.164 (`"070-123 45 67"` with `"SE"` →
/// `"+46701234567"`), judged valid by libphonenumber's metadata. `default_region`
/// is an ISO 3166-1 alpha-2 code for national formats, or NULL (then the number
/// must start with `+` or `00`). No network.
///
/// Returns ZS_OK and stores a new string in `*e164_out` (free it with
/// zs_string_free()), or ZS_ERR_VALIDATION naming `number` or `default_region`,
/// or ZS_ERR_INVALID_ARGUMENT, with `*e164_out` NULL.
///
/// # Safety
/// `number` is NULL or NUL-terminated; `default_region` is NULL or
/// NUL-terminated; `e164_out` and `err` as `out` and `err` in zs_client_new().
#[no_mangle]
pub unsafe extern "C" fn zs_normalize_phone(
    number: *const c_char,
    default_region: *const c_char,
    e164_out: *mut *mut c_char,
    err: *mut *mut ZsError,
) -> ZsErrorCode {
    call(err, || {
        // SAFETY: the caller's promises, forwarded to each check.
        let out = unsafe { out_ptr(e164_out, "e164_out") }?;
        // SAFETY: as above.
        let number = unsafe { text(number, "number") }?;
        // SAFETY: as above.
        let region = unsafe { opt_text(default_region, "default_region") }?;
        let e164 = zignsec::normalize_phone(number, region)?;
        let e164 =
            CString::new(e164).map_err(|_| ZsError::internal("an E.164 number held a NUL byte"))?;
        out.set_raw(e164.into_raw());
        Ok(())
    })
}

/// Free a string this library returned through a `char **out` (zs_sign_webhook(),
/// zs_normalize_phone(), the challenge of zs_otp_issue()).
/// NULL is a no-op. Never pass strings owned by a struct or a ZsError.
///
/// # Safety
/// `s` is NULL or a string from this library's `char **out` parameters, freed once.
#[no_mangle]
pub unsafe extern "C" fn zs_string_free(s: *mut c_char) {
    if !s.is_null() {
        // SAFETY: the caller's promise: it came from CString::into_raw here.
        boundary::drop_quietly(unsafe { CString::from_raw(s) });
    }
}

/// Free a ZsSmsSession and its strings. NULL is a no-op.
///
/// # Safety
/// `session` is NULL or came from zs_send_sms(), freed at most once.
#[no_mangle]
pub unsafe extern "C" fn zs_sms_session_free(session: *mut ZsSmsSession) {
    // SAFETY: the caller's promise.
    unsafe { free_box(session) }
}

/// Free a ZsPhoneSession and its strings. NULL is a no-op.
///
/// # Safety
/// `session` is NULL or came from zs_start_phone_verification(), freed at most once.
#[no_mangle]
pub unsafe extern "C" fn zs_phone_session_free(session: *mut ZsPhoneSession) {
    // SAFETY: the caller's promise.
    unsafe { free_box(session) }
}

/// Free a ZsSmsSessionDetails and its strings. NULL is a no-op. Never pass the
/// pointer from zs_error_sms_details() (the error owns that one).
///
/// # Safety
/// `details` is NULL or came from zs_get_sms_session() / zs_wait_sms_session(),
/// freed at most once.
#[no_mangle]
pub unsafe extern "C" fn zs_sms_session_details_free(details: *mut ZsSmsSessionDetails) {
    // SAFETY: the caller's promise.
    unsafe { free_box(details) }
}

/// Free a ZsPhoneSessionDetails and its strings. NULL is a no-op. Never pass the
/// pointer from zs_error_phone_details() (the error owns that one).
///
/// # Safety
/// `details` is NULL or came from zs_get_phone_session() /
/// zs_wait_phone_session(), freed at most once.
#[no_mangle]
pub unsafe extern "C" fn zs_phone_session_details_free(details: *mut ZsPhoneSessionDetails) {
    // SAFETY: the caller's promise.
    unsafe { free_box(details) }
}

/// Free a ZsWebhookEvent and its strings. NULL is a no-op.
///
/// # Safety
/// `event` is NULL or came from zs_parse_webhook() / zs_verify_webhook(), freed
/// at most once.
#[no_mangle]
pub unsafe extern "C" fn zs_webhook_event_free(event: *mut ZsWebhookEvent) {
    // SAFETY: the caller's promise.
    unsafe { free_box(event) }
}

/// cbindgen:ignore
///
/// Test hook (debug builds only, not in the header): panics inside the FFI
/// boundary so the test suite can check that the panic becomes ZS_ERR_INTERNAL.
///
/// # Safety
/// `err` as in zs_client_new().
#[cfg(debug_assertions)]
#[no_mangle]
pub unsafe extern "C" fn zs__test_panic(err: *mut *mut ZsError) -> ZsErrorCode {
    call(err, || panic!("zs__test_panic: a deliberate panic"))
}
