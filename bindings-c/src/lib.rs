//! The C ABI of the zignsec SDK: `libzignsec.so` / `libzignsec.a` and
//! `include/zignsec.h` (generated from this crate by cbindgen).
//!
//! Every rule lives in the core crate `zignsec`; this crate only converts C
//! arguments to Rust, results to owned C structs, and errors to [`ZsErrorCode`]s.
//! Every exported function checks its pointers and strings and runs inside
//! [`boundary::call`], so no panic ever crosses into C.

mod boundary;
mod error;
mod types;

use std::ffi::{c_char, CString};
use std::time::Duration;

use zignsec::{validate, SendSms, StartPhoneVerification};

use error::Fail;
pub use error::{ZsError, ZsErrorCode, ZsMaybeSent};
pub use types::{
    ZsPhoneRequest, ZsPhoneSession, ZsPhoneSessionDetails, ZsSmsEncoding, ZsSmsParts, ZsSmsRequest,
    ZsSmsSession, ZsSmsSessionDetails, ZsWebhookEvent,
};

use boundary::{bytes, call, free_box, opt_text, out_ptr, reference, text};

/// Options for zs_client_new(). Every field has an "unset" value that takes the
/// environment variable, then the default: zero-initialise the struct
/// (`ZsClientOptions opts = {0}; opts.max_retries = -1;`) and set what you need.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct ZsClientOptions {
    /// The API key (sent as the raw `Authorization` header). NULL: `ZIGNSEC_API_KEY`;
    /// missing everywhere is ZS_ERR_CONFIG. Copied: may be freed after the call.
    pub api_key: *const c_char,
    /// `"test"` or `"production"`. NULL: `ZIGNSEC_ENVIRONMENT`, else `"test"`.
    pub environment: *const c_char,
    /// A base URL that overrides the environment (`https://`, or `http://` for
    /// loopback hosts only). NULL: `ZIGNSEC_BASE_URL`, else from the environment.
    pub base_url: *const c_char,
    /// Total time for one call, retries included, in milliseconds.
    /// 0: `ZIGNSEC_TIMEOUT` (seconds), else 30000.
    pub timeout_ms: u64,
    /// Time to open one connection, in milliseconds. 0: 5000.
    pub connect_timeout_ms: u64,
    /// Retries after the first attempt, 0 to 10. -1: `ZIGNSEC_MAX_RETRIES`, else 2.
    /// (0 means "no retries", so -1 is the unset value here.)
    pub max_retries: i32,
    /// The proxy for `https://` base URLs, used only as a CONNECT tunnel (so it
    /// never sees the key): a URL such as `"http://proxy.corp:3128"`, or `"none"`
    /// to ignore the environment. NULL: `HTTPS_PROXY` / `ALL_PROXY` (either case),
    /// minus `NO_PROXY`. A loopback base URL never goes through a proxy, and
    /// `HTTP_PROXY` is never read. A bad URL is ZS_ERR_CONFIG. Copied.
    pub proxy: *const c_char,
}

/// A connection to the gateway. Thread-safe: build one with zs_client_new(),
/// share it between threads, free it once with zs_client_free() after every call
/// using it has returned.
#[derive(Debug)]
pub struct ZsClient {
    inner: zignsec::Client,
}

/// The arguments of zs_send_sms(). NULL optional fields are absent.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct ZsSendSmsParams {
    /// Recipient in E.164 (`"+46701234567"`). Required.
    pub to: *const c_char,
    /// The text; must fit in `max_message_parts` parts. Required.
    pub message: *const c_char,
    /// Sender: an E.164 number or 1 to 11 letters and digits. Required.
    pub from: *const c_char,
    /// From 1 to 10; 0 takes the default, 1.
    pub max_message_parts: i64,
    /// Your own reference, echoed back in reads and webhooks. Optional.
    pub relay_state: *const c_char,
    /// Where the gateway POSTs status changes (`https://`). Optional.
    pub webhook: *const c_char,
}

/// The arguments of zs_start_phone_verification(). NULL optional fields are absent.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct ZsStartPhoneVerificationParams {
    /// The phone to verify, E.164. Required.
    pub phone_number: *const c_char,
    /// Language of the hosted page (`"En"`). Optional.
    pub locale: *const c_char,
    /// Where the user lands after success (`https://`). Optional.
    pub redirect_success: *const c_char,
    /// Where the user lands after failure or cancel (`https://`). Optional.
    pub redirect_failure: *const c_char,
    /// Your own reference, echoed back. Optional.
    pub relay_state: *const c_char,
    /// Where the gateway POSTs status changes (`https://`). Optional.
    pub webhook: *const c_char,
    /// Sent as the `x-csrf-token` header. Optional.
    pub csrf_token: *const c_char,
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
        let mut builder = zignsec::Client::builder().sdk("c", env!("CARGO_PKG_VERSION"));
        // SAFETY: `opts` is NULL or valid.
        if let Some(o) = unsafe { opts.as_ref() } {
            // SAFETY: the strings are NULL or NUL-terminated.
            if let Some(key) = unsafe { opt_text(o.api_key, "api_key") }? {
                builder = builder.api_key(key);
            }
            // SAFETY: as above.
            if let Some(env) = unsafe { opt_text(o.environment, "environment") }? {
                builder = builder.environment(env);
            }
            // SAFETY: as above.
            if let Some(url) = unsafe { opt_text(o.base_url, "base_url") }? {
                builder = builder.base_url(url);
            }
            if o.timeout_ms != 0 {
                builder = builder.timeout_secs(o.timeout_ms as f64 / 1000.0);
            }
            if o.connect_timeout_ms != 0 {
                builder = builder.connect_timeout_secs(o.connect_timeout_ms as f64 / 1000.0);
            }
            if o.max_retries != -1 {
                builder = builder.max_retries(i64::from(o.max_retries));
            }
            // SAFETY: as above.
            if let Some(proxy) = unsafe { opt_text(o.proxy, "proxy") }? {
                builder = builder.proxy(proxy);
            }
        }
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
        let to = unsafe { text(p.to, "to") }?;
        let message = unsafe { text(p.message, "message") }?;
        let from = unsafe { text(p.from, "from") }?;
        let relay_state = unsafe { opt_text(p.relay_state, "relay_state") }?;
        let webhook = unsafe { opt_text(p.webhook, "webhook") }?;
        let mut request = SendSms::new(to, from, message);
        if p.max_message_parts != 0 {
            request.max_message_parts = p.max_message_parts;
        }
        request.relay_state = relay_state.map(str::to_owned);
        request.webhook = webhook.map(str::to_owned);
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
        let mut request =
            StartPhoneVerification::new(unsafe { text(p.phone_number, "phone_number") }?);
        let owned = |s: Option<&str>| s.map(str::to_owned);
        request.locale = owned(unsafe { opt_text(p.locale, "locale") }?);
        request.redirect_success =
            owned(unsafe { opt_text(p.redirect_success, "redirect_success") }?);
        request.redirect_failure =
            owned(unsafe { opt_text(p.redirect_failure, "redirect_failure") }?);
        request.relay_state = owned(unsafe { opt_text(p.relay_state, "relay_state") }?);
        request.webhook = owned(unsafe { opt_text(p.webhook, "webhook") }?);
        request.csrf_token = owned(unsafe { opt_text(p.csrf_token, "csrf_token") }?);
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

/// A wait duration in milliseconds: 0 takes the default.
fn wait_millis(field: &str, value: u64) -> Result<Option<Duration>, Fail> {
    if value == 0 {
        return Ok(None);
    }
    Ok(Some(validate::millis(field, value as f64)?))
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
        let timeout = wait_millis("timeout_ms", timeout_ms)?;
        let poll = wait_millis("poll_interval_ms", poll_interval_ms)?;
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
        let timeout = wait_millis("timeout_ms", timeout_ms)?;
        let poll = wait_millis("poll_interval_ms", poll_interval_ms)?;
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

/// A signature tolerance: negative takes the default (300 s); otherwise the core's
/// rule (0 to 86400 s).
fn tolerance(tolerance_s: i64) -> Result<Duration, Fail> {
    if tolerance_s < 0 {
        return Ok(zignsec::DEFAULT_TOLERANCE);
    }
    Ok(validate::tolerance("tolerance_s", tolerance_s as f64)?)
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

/// Free a string this library returned through a `char **out` (zs_sign_webhook()).
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
