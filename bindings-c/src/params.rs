//! The structs the caller fills, versioned the libgit2 way: the first field is
//! `unsigned int version`; `ZS_<STRUCT>_INIT` (in the header) and
//! `zs_<struct>_init()` set every field to "unset" (NULL strings, 0 durations and
//! counts, `max_retries` -1). Each converts into the core's intake
//! ([`zignsec::input`]) or request types: no rule or default lives here.

use std::ffi::{c_char, c_uint};
use std::ptr;

use zignsec::input::{self, Number, Span};
use zignsec::{StartEmailVerification, StartPhoneVerification};

use crate::boundary::{call, opt_text, text};
use crate::error::{Fail, ZsError, ZsErrorCode};
use crate::saturating_i64;

/// The ZsClientOptions layout this header describes.
pub const ZS_CLIENT_OPTIONS_VERSION: c_uint = 1;
/// The ZsSendSmsParams layout this header describes.
pub const ZS_SEND_SMS_PARAMS_VERSION: c_uint = 1;
/// The ZsStartPhoneVerificationParams layout this header describes.
pub const ZS_START_PHONE_VERIFICATION_PARAMS_VERSION: c_uint = 1;
/// The ZsStartEmailVerificationParams layout this header describes.
pub const ZS_START_EMAIL_VERIFICATION_PARAMS_VERSION: c_uint = 1;
/// The ZsOtpOptions layout this header describes.
pub const ZS_OTP_OPTIONS_VERSION: c_uint = 1;
/// The ZsSendOtpParams layout this header describes.
pub const ZS_SEND_OTP_PARAMS_VERSION: c_uint = 1;

/// `version` must be one this library knows (only 1 so far).
pub(crate) fn check_version(version: c_uint, known: c_uint, name: &str) -> Result<(), Fail> {
    if version == known {
        Ok(())
    } else {
        Err(ZsError::invalid_argument(
            name,
            &format!(
                "has version {version}, which this library does not know (expected {known}): \
                 initialise it with its _INIT macro or _init() function"
            ),
        ))
    }
}

/// Fill `*p` with `value` inside the boundary: the body of every `zs_*_init()`.
pub(crate) fn init<T>(p: *mut T, value: impl FnOnce() -> T) -> ZsErrorCode {
    call(ptr::null_mut(), || {
        if p.is_null() {
            return Err(ZsError::invalid_argument("opts", "must not be NULL"));
        }
        // SAFETY: non-NULL and writable for one T (the caller's promise).
        unsafe { p.write(value()) };
        Ok(())
    })
}

/// An optional string field, owned.
///
/// # Safety
/// `p` is NULL or NUL-terminated.
pub(crate) unsafe fn owned(p: *const c_char, name: &str) -> Result<Option<String>, Fail> {
    // SAFETY: forwarded.
    Ok(unsafe { opt_text(p, name) }?.map(str::to_owned))
}

/// Options for zs_client_new(). Initialise with `ZS_CLIENT_OPTIONS_INIT` or
/// zs_client_options_init(), then set what you need; every field left unset comes
/// from its `ZIGNSEC_*` environment variable, then the default. Strings are copied:
/// they may be freed after the call.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct ZsClientOptions {
    /// ZS_CLIENT_OPTIONS_VERSION. Another value is ZS_ERR_INVALID_ARGUMENT.
    pub version: c_uint,
    /// The API key. NULL: `ZIGNSEC_API_KEY`; missing everywhere is ZS_ERR_CONFIG.
    pub api_key: *const c_char,
    /// `"test"` or `"production"`. NULL: `ZIGNSEC_ENVIRONMENT`, else `"test"`.
    pub environment: *const c_char,
    /// A base URL that overrides the environment (`https://`, or `http://` for
    /// loopback hosts only). NULL: `ZIGNSEC_BASE_URL`, else from the environment.
    pub base_url: *const c_char,
    /// Total time for one call, retries included, in milliseconds.
    /// 0: `ZIGNSEC_TIMEOUT` (seconds), else 30000.
    pub timeout_ms: u64,
    /// Time to open one connection, in milliseconds. 0: the default, 5000.
    pub connect_timeout_ms: u64,
    /// Retries after the first attempt, 0 to 10. -1: `ZIGNSEC_MAX_RETRIES`, else 2.
    pub max_retries: i32,
    /// The proxy for `https://` base URLs, used only as a CONNECT tunnel (so it
    /// never sees the key): a URL such as `"http://proxy.corp:3128"`, or `"none"`
    /// to ignore the environment. NULL: `HTTPS_PROXY` / `ALL_PROXY` (either case),
    /// minus `NO_PROXY`. A loopback base URL never goes through a proxy.
    pub proxy: *const c_char,
    /// How the key is sent: `"authorization"` (`Authorization: <key>`) or
    /// `"product-key"` (`Zs-Product-Key: <key>`). NULL: `ZIGNSEC_AUTH_SCHEME`, else
    /// `"authorization"`.
    pub auth_scheme: *const c_char,
    /// A second key for rotation: a 401 to the key in use is retried at once, once,
    /// with the other, and the client keeps the one that works. NULL:
    /// `ZIGNSEC_SECONDARY_API_KEY`, else none.
    pub secondary_api_key: *const c_char,
}

impl ZsClientOptions {
    /// Every field unset (what `ZS_CLIENT_OPTIONS_INIT` spells in C).
    pub(crate) fn unset() -> Self {
        ZsClientOptions {
            version: ZS_CLIENT_OPTIONS_VERSION,
            api_key: ptr::null(),
            environment: ptr::null(),
            base_url: ptr::null(),
            timeout_ms: 0,
            connect_timeout_ms: 0,
            max_retries: -1,
            proxy: ptr::null(),
            auth_scheme: ptr::null(),
            secondary_api_key: ptr::null(),
        }
    }

    /// The core's intake form.
    ///
    /// # Safety
    /// The string fields are NULL or NUL-terminated.
    pub(crate) unsafe fn to_input(self) -> Result<input::ClientOptions, Fail> {
        check_version(self.version, ZS_CLIENT_OPTIONS_VERSION, "opts")?;
        let millis = |ms: u64| (ms != 0).then(|| Span::Millis(Number::Int(saturating_i64(ms))));
        // SAFETY (every `owned` below): the caller's promise, forwarded.
        Ok(input::ClientOptions {
            api_key: unsafe { owned(self.api_key, "api_key") }?,
            secondary_api_key: unsafe { owned(self.secondary_api_key, "secondary_api_key") }?,
            auth_scheme: unsafe { owned(self.auth_scheme, "auth_scheme") }?,
            environment: unsafe { owned(self.environment, "environment") }?,
            base_url: unsafe { owned(self.base_url, "base_url") }?,
            proxy: unsafe { owned(self.proxy, "proxy") }?,
            timeout: millis(self.timeout_ms),
            connect_timeout: millis(self.connect_timeout_ms),
            max_retries: (self.max_retries != -1).then(|| Number::Int(self.max_retries.into())),
            spelling: zignsec::OptionSpelling::SnakeMillis,
        })
    }
}

/// The arguments of zs_send_sms(). Initialise with `ZS_SEND_SMS_PARAMS_INIT` or
/// zs_send_sms_params_init(). NULL optional fields are absent.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct ZsSendSmsParams {
    /// ZS_SEND_SMS_PARAMS_VERSION. Another value is ZS_ERR_INVALID_ARGUMENT.
    pub version: c_uint,
    /// Recipient in E.164 (`"+46701234567"`). Required.
    pub to: *const c_char,
    /// The text; must fit in `max_message_parts` parts. Required.
    pub message: *const c_char,
    /// Sender: an E.164 number or 1 to 11 letters and digits. Required.
    pub from: *const c_char,
    /// From 1 to 10; 0: the default, 1.
    pub max_message_parts: i64,
    /// Your own reference, echoed back in reads and webhooks. Optional.
    pub relay_state: *const c_char,
    /// Where the gateway POSTs status changes (`https://`). Optional.
    pub webhook: *const c_char,
}

impl ZsSendSmsParams {
    /// Every field unset (what `ZS_SEND_SMS_PARAMS_INIT` spells in C).
    pub(crate) fn unset() -> Self {
        ZsSendSmsParams {
            version: ZS_SEND_SMS_PARAMS_VERSION,
            to: ptr::null(),
            message: ptr::null(),
            from: ptr::null(),
            max_message_parts: 0,
            relay_state: ptr::null(),
            webhook: ptr::null(),
        }
    }

    /// The core's intake form.
    ///
    /// # Safety
    /// The string fields are NULL or NUL-terminated.
    pub(crate) unsafe fn to_input(self) -> Result<input::SendSmsInput, Fail> {
        check_version(self.version, ZS_SEND_SMS_PARAMS_VERSION, "params")?;
        // SAFETY (every `text` / `owned` below): the caller's promise, forwarded.
        Ok(input::SendSmsInput {
            to: unsafe { text(self.to, "to") }?.to_owned(),
            from: unsafe { text(self.from, "from") }?.to_owned(),
            message: unsafe { text(self.message, "message") }?.to_owned(),
            max_message_parts: (self.max_message_parts != 0)
                .then_some(Number::Int(self.max_message_parts)),
            relay_state: unsafe { owned(self.relay_state, "relay_state") }?,
            webhook: unsafe { owned(self.webhook, "webhook") }?,
        })
    }
}

/// The arguments of zs_start_phone_verification(). Initialise with
/// `ZS_START_PHONE_VERIFICATION_PARAMS_INIT` or
/// zs_start_phone_verification_params_init(). NULL optional fields are absent.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct ZsStartPhoneVerificationParams {
    /// ZS_START_PHONE_VERIFICATION_PARAMS_VERSION. Another value is
    /// ZS_ERR_INVALID_ARGUMENT.
    pub version: c_uint,
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

impl ZsStartPhoneVerificationParams {
    /// Every field unset.
    pub(crate) fn unset() -> Self {
        ZsStartPhoneVerificationParams {
            version: ZS_START_PHONE_VERIFICATION_PARAMS_VERSION,
            phone_number: ptr::null(),
            locale: ptr::null(),
            redirect_success: ptr::null(),
            redirect_failure: ptr::null(),
            relay_state: ptr::null(),
            webhook: ptr::null(),
            csrf_token: ptr::null(),
        }
    }

    /// The core's request.
    ///
    /// # Safety
    /// The string fields are NULL or NUL-terminated.
    pub(crate) unsafe fn to_request(self) -> Result<StartPhoneVerification, Fail> {
        check_version(
            self.version,
            ZS_START_PHONE_VERIFICATION_PARAMS_VERSION,
            "params",
        )?;
        // SAFETY (every `text` / `owned` below): the caller's promise, forwarded.
        let mut r =
            StartPhoneVerification::new(unsafe { text(self.phone_number, "phone_number") }?);
        r.locale = unsafe { owned(self.locale, "locale") }?;
        r.redirect_success = unsafe { owned(self.redirect_success, "redirect_success") }?;
        r.redirect_failure = unsafe { owned(self.redirect_failure, "redirect_failure") }?;
        r.relay_state = unsafe { owned(self.relay_state, "relay_state") }?;
        r.webhook = unsafe { owned(self.webhook, "webhook") }?;
        r.csrf_token = unsafe { owned(self.csrf_token, "csrf_token") }?;
        Ok(r)
    }
}

/// The arguments of zs_start_email_verification(). Initialise with
/// `ZS_START_EMAIL_VERIFICATION_PARAMS_INIT` or
/// zs_start_email_verification_params_init(). NULL optional fields are absent.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct ZsStartEmailVerificationParams {
    /// ZS_START_EMAIL_VERIFICATION_PARAMS_VERSION. Another value is
    /// ZS_ERR_INVALID_ARGUMENT.
    pub version: c_uint,
    /// The address to verify (`"jane@example.com"`). Required.
    pub email_address: *const c_char,
    /// Language of the hosted page (`"En"`). Required by the gateway for email.
    pub locale: *const c_char,
    /// Where the user lands after success (`https://`). Required for email.
    pub redirect_success: *const c_char,
    /// Where the user lands after failure or cancel (`https://`). Required for email.
    pub redirect_failure: *const c_char,
    /// Your own reference, echoed back. Optional.
    pub relay_state: *const c_char,
    /// Where the gateway POSTs status changes (`https://`). Optional.
    pub webhook: *const c_char,
    /// Sent as the `x-csrf-token` header. Optional.
    pub csrf_token: *const c_char,
}

impl ZsStartEmailVerificationParams {
    /// Every field unset.
    pub(crate) fn unset() -> Self {
        ZsStartEmailVerificationParams {
            version: ZS_START_EMAIL_VERIFICATION_PARAMS_VERSION,
            email_address: ptr::null(),
            locale: ptr::null(),
            redirect_success: ptr::null(),
            redirect_failure: ptr::null(),
            relay_state: ptr::null(),
            webhook: ptr::null(),
            csrf_token: ptr::null(),
        }
    }

    /// The core's request. A NULL locale or redirect is handed to the core as
    /// absent (empty), so the core's "required" rule names the field.
    ///
    /// # Safety
    /// The string fields are NULL or NUL-terminated.
    pub(crate) unsafe fn to_request(self) -> Result<StartEmailVerification, Fail> {
        check_version(
            self.version,
            ZS_START_EMAIL_VERIFICATION_PARAMS_VERSION,
            "params",
        )?;
        // SAFETY (every `text` / `owned` below): the caller's promise, forwarded.
        let address = unsafe { text(self.email_address, "email_address") }?;
        let locale = unsafe { owned(self.locale, "locale") }?;
        let success = unsafe { owned(self.redirect_success, "redirect_success") }?;
        let failure = unsafe { owned(self.redirect_failure, "redirect_failure") }?;
        let mut r = StartEmailVerification::new(
            address,
            locale.unwrap_or_default(),
            success.unwrap_or_default(),
            failure.unwrap_or_default(),
        );
        r.relay_state = unsafe { owned(self.relay_state, "relay_state") }?;
        r.webhook = unsafe { owned(self.webhook, "webhook") }?;
        r.csrf_token = unsafe { owned(self.csrf_token, "csrf_token") }?;
        Ok(r)
    }
}

/// Set every field of `*opts` to "unset" (the same as `ZS_CLIENT_OPTIONS_INIT`).
/// Returns ZS_OK, or ZS_ERR_INVALID_ARGUMENT for a NULL `opts`.
///
/// # Safety
/// `opts` is NULL or points to writable storage for one ZsClientOptions.
#[no_mangle]
pub unsafe extern "C" fn zs_client_options_init(opts: *mut ZsClientOptions) -> ZsErrorCode {
    init(opts, ZsClientOptions::unset)
}

/// Set every field of `*params` to "unset" (the same as `ZS_SEND_SMS_PARAMS_INIT`).
///
/// # Safety
/// `params` is NULL or points to writable storage for one ZsSendSmsParams.
#[no_mangle]
pub unsafe extern "C" fn zs_send_sms_params_init(params: *mut ZsSendSmsParams) -> ZsErrorCode {
    init(params, ZsSendSmsParams::unset)
}

/// Set every field of `*params` to "unset" (the same as
/// `ZS_START_PHONE_VERIFICATION_PARAMS_INIT`).
///
/// # Safety
/// `params` is NULL or points to writable storage for one ZsStartPhoneVerificationParams.
#[no_mangle]
pub unsafe extern "C" fn zs_start_phone_verification_params_init(
    params: *mut ZsStartPhoneVerificationParams,
) -> ZsErrorCode {
    init(params, ZsStartPhoneVerificationParams::unset)
}

/// Set every field of `*params` to "unset" (the same as
/// `ZS_START_EMAIL_VERIFICATION_PARAMS_INIT`).
///
/// # Safety
/// `params` is NULL or points to writable storage for one ZsStartEmailVerificationParams.
#[no_mangle]
pub unsafe extern "C" fn zs_start_email_verification_params_init(
    params: *mut ZsStartEmailVerificationParams,
) -> ZsErrorCode {
    init(params, ZsStartEmailVerificationParams::unset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unset_options_are_the_cores_defaults() {
        // SAFETY: every string field is NULL.
        let o = unsafe { ZsClientOptions::unset().to_input() }.expect("unset options convert");
        assert!(o.api_key.is_none() && o.auth_scheme.is_none() && o.secondary_api_key.is_none());
        assert!(o.timeout.is_none() && o.connect_timeout.is_none() && o.max_retries.is_none());
        let mut p = ZsSendSmsParams::unset();
        p.to = c"+46701234567".as_ptr();
        p.from = c"ZignSec".as_ptr();
        p.message = c"hi".as_ptr();
        // SAFETY: the strings are NUL-terminated literals.
        let sms = unsafe { p.to_input() }.expect("converts");
        assert!(sms.max_message_parts.is_none());
    }

    #[test]
    fn an_unknown_version_is_an_invalid_argument() {
        for v in [0, 2, c_uint::MAX] {
            let mut o = ZsClientOptions::unset();
            o.version = v;
            // SAFETY: every string field is NULL.
            let err = unsafe { o.to_input() }.expect_err("refused");
            assert_eq!(err.code, ZsErrorCode::ZS_ERR_INVALID_ARGUMENT);
            let mut e = ZsStartEmailVerificationParams::unset();
            e.version = v;
            // SAFETY: as above.
            let err = unsafe { e.to_request() }.expect_err("refused");
            assert_eq!(err.code, ZsErrorCode::ZS_ERR_INVALID_ARGUMENT);
        }
    }
}
