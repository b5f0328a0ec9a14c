//! The `zs_error_*` accessors and zs_error_free(): they read a [`ZsError`]
//! inside the boundary's panic guard.

use std::ffi::{c_char, CString};
use std::ptr;

use crate::boundary::{drop_quietly, read};
use crate::error::{ErrorDetails, ZsError, ZsErrorCode, ZsMaybeSent, CODE_NAMES};
use crate::types::{ZsEmailSessionDetails, ZsPhoneSessionDetails, ZsSmsSessionDetails};

fn opt_ptr(s: &Option<CString>) -> *const c_char {
    s.as_ref().map_or(ptr::null(), |s| s.as_ptr())
}

/// The error's code. `ZS_ERR_INVALID_ARGUMENT` when `err` is NULL.
///
/// # Safety
/// `err` is NULL or a ZsError from this library not yet freed.
#[no_mangle]
pub unsafe extern "C" fn zs_error_code(err: *const ZsError) -> ZsErrorCode {
    read(err, ZsErrorCode::ZS_ERR_INVALID_ARGUMENT, |e| e.code)
}

/// The human-readable message (UTF-8; never contains the API key). Owned by the
/// error: valid until zs_error_free(). NULL only when `err` is NULL.
///
/// # Safety
/// `err` is NULL or a ZsError from this library not yet freed.
#[no_mangle]
pub unsafe extern "C" fn zs_error_message(err: *const ZsError) -> *const c_char {
    read(err, ptr::null(), |e| e.message.as_ptr())
}

/// For ZS_ERR_VALIDATION: the field at fault (`"to"`, `"max_message_parts"`, ...);
/// for ZS_ERR_INVALID_ARGUMENT: the parameter (`"client"`, `"to"`, `"out"`, ...).
/// NULL otherwise. Owned by the error.
///
/// # Safety
/// `err` is NULL or a ZsError from this library not yet freed.
#[no_mangle]
pub unsafe extern "C" fn zs_error_field(err: *const ZsError) -> *const c_char {
    read(err, ptr::null(), |e| opt_ptr(&e.field))
}

/// The HTTP status when the gateway answered, else 0.
///
/// # Safety
/// `err` is NULL or a ZsError from this library not yet freed.
#[no_mangle]
pub unsafe extern "C" fn zs_error_status(err: *const ZsError) -> i32 {
    read(err, 0, |e| i32::from(e.status))
}

/// The gateway's own error code (e.g. `"invalid_phone_number"`), or NULL. Owned by the error.
///
/// # Safety
/// `err` is NULL or a ZsError from this library not yet freed.
#[no_mangle]
pub unsafe extern "C" fn zs_error_gateway_code(err: *const ZsError) -> *const c_char {
    read(err, ptr::null(), |e| opt_ptr(&e.gateway_code))
}

/// The raw response body (capped at 8 KiB), or NULL. Owned by the error.
///
/// # Safety
/// `err` is NULL or a ZsError from this library not yet freed.
#[no_mangle]
pub unsafe extern "C" fn zs_error_body(err: *const ZsError) -> *const c_char {
    read(err, ptr::null(), |e| opt_ptr(&e.body))
}

/// The `x-request-id` response header, or NULL. Owned by the error.
///
/// # Safety
/// `err` is NULL or a ZsError from this library not yet freed.
#[no_mangle]
pub unsafe extern "C" fn zs_error_request_id(err: *const ZsError) -> *const c_char {
    read(err, ptr::null(), |e| opt_ptr(&e.request_id))
}

/// HTTP requests made (0 when nothing was sent).
///
/// # Safety
/// `err` is NULL or a ZsError from this library not yet freed.
#[no_mangle]
pub unsafe extern "C" fn zs_error_attempts(err: *const ZsError) -> u32 {
    read(err, 0, |e| e.attempts)
}

/// For sends (zs_send_sms, zs_start_phone_verification): whether the request may
/// have reached the gateway. ZS_MAYBE_SENT_UNKNOWN for other calls or a NULL `err`.
///
/// # Safety
/// `err` is NULL or a ZsError from this library not yet freed.
#[no_mangle]
pub unsafe extern "C" fn zs_error_maybe_sent(err: *const ZsError) -> ZsMaybeSent {
    read(err, ZsMaybeSent::ZS_MAYBE_SENT_UNKNOWN, |e| e.maybe_sent)
}

/// For ZS_ERR_RATE_LIMITED: the wait the gateway asked for, in milliseconds; -1 when unknown.
///
/// # Safety
/// `err` is NULL or a ZsError from this library not yet freed.
#[no_mangle]
pub unsafe extern "C" fn zs_error_retry_after_ms(err: *const ZsError) -> i64 {
    read(err, -1, |e| e.retry_after_ms)
}

/// For ZS_ERR_WAIT_TIMEOUT: the session's last status read (`"pending"`, ...), else
/// NULL. Owned by the error.
///
/// # Safety
/// `err` is NULL or a ZsError from this library not yet freed.
#[no_mangle]
pub unsafe extern "C" fn zs_error_last_status(err: *const ZsError) -> *const c_char {
    read(err, ptr::null(), |e| opt_ptr(&e.last_status))
}

/// For ZS_ERR_WAIT_TIMEOUT from zs_wait_sms_session(): the last details read, else
/// NULL. Owned by the error: do not free it, do not use it after zs_error_free().
///
/// # Safety
/// `err` is NULL or a ZsError from this library not yet freed.
#[no_mangle]
pub unsafe extern "C" fn zs_error_sms_details(err: *const ZsError) -> *const ZsSmsSessionDetails {
    read(err, ptr::null(), |e| match &e.details {
        Some(ErrorDetails::Sms(d)) => &**d as *const ZsSmsSessionDetails,
        _ => ptr::null(),
    })
}

/// For ZS_ERR_WAIT_TIMEOUT from zs_wait_phone_session(): the last details read,
/// else NULL. Owned by the error: do not free it, do not use it after zs_error_free().
///
/// # Safety
/// `err` is NULL or a ZsError from this library not yet freed.
#[no_mangle]
pub unsafe extern "C" fn zs_error_phone_details(
    err: *const ZsError,
) -> *const ZsPhoneSessionDetails {
    read(err, ptr::null(), |e| match &e.details {
        Some(ErrorDetails::Phone(d)) => &**d as *const ZsPhoneSessionDetails,
        _ => ptr::null(),
    })
}

/// For ZS_ERR_WAIT_TIMEOUT from zs_wait_email_session(): the last details read,
/// else NULL. Owned by the error: do not free it, do not use it after zs_error_free().
///
/// # Safety
/// `err` is NULL or a ZsError from this library not yet freed.
#[no_mangle]
pub unsafe extern "C" fn zs_error_email_details(
    err: *const ZsError,
) -> *const ZsEmailSessionDetails {
    read(err, ptr::null(), |e| match &e.details {
        Some(ErrorDetails::Email(d)) => &**d as *const ZsEmailSessionDetails,
        _ => ptr::null(),
    })
}

/// Free an error and every string its accessors returned. NULL is a no-op.
///
/// # Safety
/// `err` is NULL or a ZsError from this library, freed at most once.
#[no_mangle]
pub unsafe extern "C" fn zs_error_free(err: *mut ZsError) {
    if !err.is_null() {
        // SAFETY: `err` came from Box::into_raw in this library (the caller's promise).
        let boxed = unsafe { Box::from_raw(err) };
        drop_quietly(boxed);
    }
}

/// The static name of a code (`"ZS_ERR_NOT_FOUND"`), or `"ZS_ERR_UNKNOWN"` for a
/// value that is not a ZsErrorCode. Never NULL; never free it.
#[no_mangle]
pub extern "C" fn zs_error_code_name(code: i32) -> *const c_char {
    CODE_NAMES
        .iter()
        .find(|(c, _)| *c as i32 == code)
        .map_or("ZS_ERR_UNKNOWN\0", |(_, name)| name)
        .as_ptr()
        .cast()
}
