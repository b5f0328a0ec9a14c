//! One-time codes: an opaque issuer (`ZsOtp`), issue, check, and send in one step.
//! Every rule (ranges, defaults, the challenge format, the template) is the core's
//! [`zignsec::otp`].

use std::ffi::{c_char, c_uint, CString};
use std::ptr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use zignsec::input::{Number, Span};
use zignsec::otp::{Otp, OtpCheck, OtpOptions, OtpReason, OtpSend, SendOtp};

use crate::boundary::{bytes, call, drop_quietly, free_box, out_ptr, reference, text, OutPtr};
use crate::error::{Fail, ZsError, ZsErrorCode};
use crate::params::{
    check_version, init, owned, ZS_OTP_OPTIONS_VERSION, ZS_SEND_OTP_PARAMS_VERSION,
};
use crate::types::{own, release, ZsSmsSession};
use crate::ZsClient;

/// Options for zs_otp_new(). Initialise with `ZS_OTP_OPTIONS_INIT` or
/// zs_otp_options_init(); 0 in a field takes its default.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct ZsOtpOptions {
    /// ZS_OTP_OPTIONS_VERSION. Another value is ZS_ERR_INVALID_ARGUMENT.
    pub version: c_uint,
    /// Digits per code, 4 to 10. 0: the default, 6.
    pub digits: u32,
    /// How long a challenge is valid, in milliseconds, 1 s to 1 day. 0: the
    /// default, 300000 (5 minutes).
    pub ttl_ms: u64,
    /// Checks allowed per challenge, 1 to 20. 0: the default, 5.
    pub max_attempts: u32,
}

impl ZsOtpOptions {
    fn unset() -> Self {
        ZsOtpOptions {
            version: ZS_OTP_OPTIONS_VERSION,
            digits: 0,
            ttl_ms: 0,
            max_attempts: 0,
        }
    }

    /// The core's options: unset fields keep the core's defaults; the core checks
    /// the ranges when the issuer is built.
    fn to_options(self) -> Result<OtpOptions, Fail> {
        check_version(self.version, ZS_OTP_OPTIONS_VERSION, "opts")?;
        let set = |n: u64| (n != 0).then(|| Number::Int(i64::try_from(n).unwrap_or(i64::MAX)));
        zignsec::input::OtpOptionsInput {
            digits: set(self.digits.into()),
            ttl: set(self.ttl_ms).map(Span::Millis),
            max_attempts: set(self.max_attempts.into()),
            spelling: zignsec::OptionSpelling::SnakeMillis,
        }
        .into_options()
        .map_err(Fail::from)
    }
}

/// A one-time code issuer built from a server-side secret. Thread-safe: build it
/// once with zs_otp_new(), share it, free it with zs_otp_free().
#[derive(Debug)]
pub struct ZsOtp {
    inner: Otp,
}

/// Why a check passed or failed (ZsOtpCheck.reason).
#[allow(non_camel_case_types)]
#[repr(i32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ZsOtpReason {
    /// The right code, in time, within the attempts; the challenge is now spent.
    ZS_OTP_OK = 0,
    /// Not the code. Counts as an attempt.
    ZS_OTP_WRONG_CODE = 1,
    /// The challenge's time to live has passed.
    ZS_OTP_EXPIRED = 2,
    /// Every allowed attempt has been used; even the right code fails now.
    ZS_OTP_TOO_MANY_ATTEMPTS = 3,
    /// The challenge already passed a check once.
    ZS_OTP_USED = 4,
    /// Not a challenge of this issuer for this recipient (malformed, edited, other
    /// secret, other recipient).
    ZS_OTP_INVALID = 5,
}

impl From<OtpReason> for ZsOtpReason {
    fn from(r: OtpReason) -> Self {
        match r {
            OtpReason::Ok => ZsOtpReason::ZS_OTP_OK,
            OtpReason::WrongCode => ZsOtpReason::ZS_OTP_WRONG_CODE,
            OtpReason::Expired => ZsOtpReason::ZS_OTP_EXPIRED,
            OtpReason::TooManyAttempts => ZsOtpReason::ZS_OTP_TOO_MANY_ATTEMPTS,
            OtpReason::Used => ZsOtpReason::ZS_OTP_USED,
            OtpReason::Invalid => ZsOtpReason::ZS_OTP_INVALID,
        }
    }
}

/// The outcome of zs_otp_check(). Free with zs_otp_check_free().
#[repr(C)]
#[derive(Debug)]
pub struct ZsOtpCheck {
    /// Whether the code was right (`reason == ZS_OTP_OK`).
    pub ok: bool,
    /// Why.
    pub reason: ZsOtpReason,
    /// The challenge to store back in place of the one checked (it counts this
    /// attempt; after ok it is spent).
    pub challenge: *const c_char,
    /// Further checks that could still pass.
    pub attempts_left: u32,
}

impl From<&OtpCheck> for ZsOtpCheck {
    fn from(c: &OtpCheck) -> Self {
        ZsOtpCheck {
            ok: c.ok,
            reason: c.reason.into(),
            challenge: own(&c.challenge),
            attempts_left: c.attempts_left,
        }
    }
}

impl Drop for ZsOtpCheck {
    fn drop(&mut self) {
        release(&mut self.challenge);
    }
}

/// The arguments of zs_send_otp(). Initialise with `ZS_SEND_OTP_PARAMS_INIT` or
/// zs_send_otp_params_init(). NULL optional fields are absent.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct ZsSendOtpParams {
    /// ZS_SEND_OTP_PARAMS_VERSION. Another value is ZS_ERR_INVALID_ARGUMENT.
    pub version: c_uint,
    /// The issuer that makes the code. Required.
    pub otp: *const ZsOtp,
    /// Recipient in E.164; the challenge is bound to it. Required.
    pub to: *const c_char,
    /// Sender: an E.164 number or 1 to 11 letters and digits. Required.
    pub from: *const c_char,
    /// The SMS text with `{code}` exactly once (the contract's `template`; named so
    /// because `template` is a C++ keyword). NULL: `"Your code is {code}"`.
    pub message_template: *const c_char,
    /// From 1 to 10; 0: the default, 1.
    pub max_message_parts: i64,
    /// Your own reference, echoed back in reads and webhooks. Optional.
    pub relay_state: *const c_char,
    /// Where the gateway POSTs status changes (`https://`). Optional.
    pub webhook: *const c_char,
}

impl ZsSendOtpParams {
    fn unset() -> Self {
        ZsSendOtpParams {
            version: ZS_SEND_OTP_PARAMS_VERSION,
            otp: ptr::null(),
            to: ptr::null(),
            from: ptr::null(),
            message_template: ptr::null(),
            max_message_parts: 0,
            relay_state: ptr::null(),
            webhook: ptr::null(),
        }
    }
}

/// The answer to zs_send_otp(): the SMS session and the challenge to store. The
/// code itself is never returned. Free with zs_otp_send_free().
#[repr(C)]
#[derive(Debug)]
pub struct ZsOtpSend {
    /// The SMS session that carries the code.
    pub session: ZsSmsSession,
    /// The challenge to store server-side and pass to zs_otp_check().
    pub challenge: *const c_char,
}

impl From<&OtpSend> for ZsOtpSend {
    fn from(s: &OtpSend) -> Self {
        ZsOtpSend {
            session: ZsSmsSession::from(&s.session),
            challenge: own(&s.challenge),
        }
    }
}

impl Drop for ZsOtpSend {
    fn drop(&mut self) {
        release(&mut self.challenge);
    }
}

fn at_millis(now_ms: i64) -> SystemTime {
    let offset = Duration::from_millis(now_ms.unsigned_abs());
    if now_ms >= 0 {
        UNIX_EPOCH + offset
    } else {
        UNIX_EPOCH - offset
    }
}

/// Set every field of `*opts` to "unset" (the same as `ZS_OTP_OPTIONS_INIT`).
///
/// # Safety
/// `opts` is NULL or points to writable storage for one ZsOtpOptions.
#[no_mangle]
pub unsafe extern "C" fn zs_otp_options_init(opts: *mut ZsOtpOptions) -> ZsErrorCode {
    init(opts, ZsOtpOptions::unset)
}

/// Set every field of `*params` to "unset" (the same as `ZS_SEND_OTP_PARAMS_INIT`).
///
/// # Safety
/// `params` is NULL or points to writable storage for one ZsSendOtpParams.
#[no_mangle]
pub unsafe extern "C" fn zs_send_otp_params_init(params: *mut ZsSendOtpParams) -> ZsErrorCode {
    init(params, ZsSendOtpParams::unset)
}

/// Build a code issuer from `secret` (`secret_len` bytes, at least 16; need not be
/// text) and `opts` (NULL: every default). No network.
///
/// Returns ZS_OK and stores the issuer in `*out` (free it with zs_otp_free()), or
/// ZS_ERR_CONFIG (short secret, an option out of range; zs_error_field() names
/// it), or ZS_ERR_INVALID_ARGUMENT.
///
/// # Safety
/// `secret` is NULL or points to `secret_len` readable bytes; `opts` is NULL or a
/// valid ZsOtpOptions; `out` and `err` as in zs_client_new().
#[no_mangle]
pub unsafe extern "C" fn zs_otp_new(
    secret: *const c_char,
    secret_len: usize,
    opts: *const ZsOtpOptions,
    out: *mut *mut ZsOtp,
    err: *mut *mut ZsError,
) -> ZsErrorCode {
    call(err, || {
        // SAFETY: the caller's promises, forwarded to each check.
        let out = unsafe { out_ptr(out, "out") }?;
        // SAFETY: as above.
        let secret = unsafe { bytes(secret, secret_len, "secret") }?;
        // SAFETY: `opts` is NULL or valid.
        let options = match unsafe { opts.as_ref() } {
            None => OtpOptions::default(),
            Some(o) => o.to_options()?,
        };
        let inner = Otp::new(secret, options)?;
        out.set(Box::new(ZsOtp { inner }));
        Ok(())
    })
}

/// Free a code issuer. NULL is a no-op.
///
/// # Safety
/// `otp` is NULL or came from zs_otp_new(), freed at most once, no call using it.
#[no_mangle]
pub unsafe extern "C" fn zs_otp_free(otp: *mut ZsOtp) {
    // SAFETY: the caller's promise.
    unsafe { free_box(otp) }
}

fn set_issued(
    code_out: OutPtr<c_char>,
    challenge_out: OutPtr<c_char>,
    code: &zignsec::otp::OtpCode,
    challenge: String,
) -> Result<(), Fail> {
    let challenge =
        CString::new(challenge).map_err(|_| ZsError::internal("a challenge held a NUL byte"))?;
    let code =
        CString::new(code.expose()).map_err(|_| ZsError::internal("a code held a NUL byte"))?;
    code_out.set_raw(code.into_raw());
    challenge_out.set_raw(challenge.into_raw());
    Ok(())
}

/// Issue a new code for `to` (E.164, else ZS_ERR_VALIDATION on `to`): `*code_out`
/// gets the code to send (free it with zs_otp_code_free(), which wipes it) and
/// `*challenge_out` the challenge to store server-side (free it with
/// zs_string_free()). Both are NULL on error.
///
/// # Safety
/// `otp` is NULL or a live ZsOtp; `to` is NULL or NUL-terminated; `code_out`,
/// `challenge_out` and `err` as `out` and `err` in zs_client_new().
#[no_mangle]
pub unsafe extern "C" fn zs_otp_issue(
    otp: *const ZsOtp,
    to: *const c_char,
    code_out: *mut *mut c_char,
    challenge_out: *mut *mut c_char,
    err: *mut *mut ZsError,
) -> ZsErrorCode {
    call(err, || {
        // SAFETY: the caller's promises, forwarded to each check.
        let code_out = unsafe { out_ptr(code_out, "code_out") }?;
        // SAFETY: as above.
        let challenge_out = unsafe { out_ptr(challenge_out, "challenge_out") }?;
        // SAFETY: as above.
        let otp = unsafe { reference(otp, "otp") }?;
        // SAFETY: as above.
        let to = unsafe { text(to, "to") }?;
        let (code, challenge) = otp.inner.issue(to)?;
        set_issued(code_out, challenge_out, &code, challenge)
    })
}

/// Check the code the user typed (`code`; spaces and hyphens ignored) against
/// `challenge` for recipient `to`. A wrong code is not an error: every outcome is
/// a ZsOtpCheck (store its `challenge` back).
///
/// Returns ZS_OK and stores the outcome in `*out` (free it with
/// zs_otp_check_free()), or ZS_ERR_INVALID_ARGUMENT (NULL or non-UTF-8 argument).
///
/// # Safety
/// `otp` is NULL or a live ZsOtp; `challenge`, `code` and `to` are NULL or
/// NUL-terminated; `out` and `err` as in zs_client_new().
#[no_mangle]
pub unsafe extern "C" fn zs_otp_check(
    otp: *const ZsOtp,
    challenge: *const c_char,
    code: *const c_char,
    to: *const c_char,
    out: *mut *mut ZsOtpCheck,
    err: *mut *mut ZsError,
) -> ZsErrorCode {
    call(err, || {
        // SAFETY: the caller's promises, forwarded to each check.
        let out = unsafe { out_ptr(out, "out") }?;
        // SAFETY: as above.
        let otp = unsafe { reference(otp, "otp") }?;
        // SAFETY: as above.
        let challenge = unsafe { text(challenge, "challenge") }?;
        // SAFETY: as above.
        let code = unsafe { text(code, "code") }?;
        // SAFETY: as above.
        let to = unsafe { text(to, "to") }?;
        let check = otp.inner.check(challenge, code, to);
        out.set(Box::new(ZsOtpCheck::from(&check)));
        Ok(())
    })
}

/// Test hook: zs_otp_issue() with the clock at `now_ms` (unix milliseconds), to
/// replay fixed-time flows. Not for production code.
///
/// # Safety
/// As zs_otp_issue().
#[no_mangle]
pub unsafe extern "C" fn zs_otp__issue_at(
    otp: *const ZsOtp,
    to: *const c_char,
    now_ms: i64,
    code_out: *mut *mut c_char,
    challenge_out: *mut *mut c_char,
    err: *mut *mut ZsError,
) -> ZsErrorCode {
    call(err, || {
        // SAFETY: the caller's promises, forwarded to each check.
        let code_out = unsafe { out_ptr(code_out, "code_out") }?;
        // SAFETY: as above.
        let challenge_out = unsafe { out_ptr(challenge_out, "challenge_out") }?;
        // SAFETY: as above.
        let otp = unsafe { reference(otp, "otp") }?;
        // SAFETY: as above.
        let to = unsafe { text(to, "to") }?;
        let (code, challenge) = otp.inner.issue_at(to, at_millis(now_ms))?;
        set_issued(code_out, challenge_out, &code, challenge)
    })
}

/// Test hook: zs_otp_check() with the clock at `now_ms` (unix milliseconds). Not
/// for production code.
///
/// # Safety
/// As zs_otp_check().
#[no_mangle]
pub unsafe extern "C" fn zs_otp__check_at(
    otp: *const ZsOtp,
    challenge: *const c_char,
    code: *const c_char,
    to: *const c_char,
    now_ms: i64,
    out: *mut *mut ZsOtpCheck,
    err: *mut *mut ZsError,
) -> ZsErrorCode {
    call(err, || {
        // SAFETY: the caller's promises, forwarded to each check.
        let out = unsafe { out_ptr(out, "out") }?;
        // SAFETY: as above.
        let otp = unsafe { reference(otp, "otp") }?;
        // SAFETY: as above.
        let challenge = unsafe { text(challenge, "challenge") }?;
        // SAFETY: as above.
        let code = unsafe { text(code, "code") }?;
        // SAFETY: as above.
        let to = unsafe { text(to, "to") }?;
        let check = otp.inner.check_at(challenge, code, to, at_millis(now_ms));
        out.set(Box::new(ZsOtpCheck::from(&check)));
        Ok(())
    })
}

/// Issue a code for `params->to` with `params->otp`, put it in the template and
/// send it as an SMS (every send rule applies: validation, parts, retries,
/// zs_error_maybe_sent()). The code is never returned, logged or put in an error.
/// A template without `{code}` exactly once is ZS_ERR_VALIDATION on `template`,
/// nothing sent.
///
/// Returns ZS_OK and stores the session and challenge in `*out` (free it with
/// zs_otp_send_free()), or an error code with `*out` NULL.
///
/// # Safety
/// `client` is NULL or a live ZsClient; `params` is NULL or a valid
/// ZsSendOtpParams whose `otp` is NULL or a live ZsOtp and whose strings are NULL
/// or NUL-terminated; `out` and `err` as in zs_client_new().
#[no_mangle]
pub unsafe extern "C" fn zs_send_otp(
    client: *const ZsClient,
    params: *const ZsSendOtpParams,
    out: *mut *mut ZsOtpSend,
    err: *mut *mut ZsError,
) -> ZsErrorCode {
    call(err, || {
        // SAFETY: the caller's promises, forwarded to each check.
        let out = unsafe { out_ptr(out, "out") }?;
        // SAFETY: as above.
        let client = unsafe { reference(client, "client") }?;
        // SAFETY: as above.
        let p = unsafe { reference(params, "params") }?;
        check_version(p.version, ZS_SEND_OTP_PARAMS_VERSION, "params")?;
        // SAFETY: as above.
        let otp = unsafe { reference(p.otp, "otp") }?;
        // SAFETY (every `text` / `owned` below): as above.
        let mut request = SendOtp::new(unsafe { text(p.to, "to") }?, unsafe {
            text(p.from, "from")
        }?);
        request.template = unsafe { owned(p.message_template, "template") }?;
        if p.max_message_parts != 0 {
            request.max_message_parts = p.max_message_parts;
        }
        request.relay_state = unsafe { owned(p.relay_state, "relay_state") }?;
        request.webhook = unsafe { owned(p.webhook, "webhook") }?;
        let sent = client.inner.send_otp(&request, &otp.inner)?;
        out.set(Box::new(ZsOtpSend::from(&sent)));
        Ok(())
    })
}

/// Free a ZsOtpCheck and its challenge. NULL is a no-op.
///
/// # Safety
/// `check` is NULL or came from zs_otp_check(), freed at most once.
#[no_mangle]
pub unsafe extern "C" fn zs_otp_check_free(check: *mut ZsOtpCheck) {
    // SAFETY: the caller's promise.
    unsafe { free_box(check) }
}

/// Free a ZsOtpSend, its session and its challenge. NULL is a no-op.
///
/// # Safety
/// `send` is NULL or came from zs_send_otp(), freed at most once.
#[no_mangle]
pub unsafe extern "C" fn zs_otp_send_free(send: *mut ZsOtpSend) {
    // SAFETY: the caller's promise.
    unsafe { free_box(send) }
}

/// Wipe and free a code from zs_otp_issue(). NULL is a no-op.
///
/// # Safety
/// `code` is NULL or a code from zs_otp_issue(), freed once.
#[no_mangle]
pub unsafe extern "C" fn zs_otp_code_free(code: *mut c_char) {
    if code.is_null() {
        return;
    }
    // SAFETY: the caller's promise: it came from CString::into_raw in zs_otp_issue.
    let owned = unsafe { CString::from_raw(code) };
    let mut bytes = owned.into_bytes_with_nul();
    for b in bytes.iter_mut() {
        // SAFETY: `b` is a valid, aligned, writable byte of `bytes`; a volatile
        // write is not optimised away although the buffer is freed next.
        unsafe { ptr::write_volatile(b, 0) };
    }
    drop_quietly(bytes);
}

/// The static name of a reason (`"ok"`, `"wrong_code"`, `"expired"`,
/// `"too_many_attempts"`, `"used"`, `"invalid"`; `"unknown"` for other values), as
/// every language spells it. Never free it.
#[no_mangle]
pub extern "C" fn zs_otp_reason_name(reason: i32) -> *const c_char {
    match OtpReason::ALL
        .iter()
        .find(|r| ZsOtpReason::from(**r) as i32 == reason)
    {
        Some(r) => REASON_NAMES[*r as usize].as_ptr().cast(),
        None => c"unknown".as_ptr(),
    }
}

/// NUL-terminated copies of the core's reason names, in [`OtpReason::ALL`] order.
const REASON_NAMES: [&std::ffi::CStr; 6] = [
    c"ok",
    c"wrong_code",
    c"expired",
    c"too_many_attempts",
    c"used",
    c"invalid",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reason_names_are_the_cores() {
        for r in OtpReason::ALL {
            assert_eq!(REASON_NAMES[r as usize].to_str().ok(), Some(r.as_str()));
            assert_eq!(ZsOtpReason::from(r) as usize, r as usize);
        }
    }
}
