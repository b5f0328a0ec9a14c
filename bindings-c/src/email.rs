//! Email verification: the sibling of phone verification, with its own session
//! and details structs.

use std::ffi::c_char;

use crate::boundary::{call, free_box, out_ptr, reference, text};
use crate::error::{ZsError, ZsErrorCode};
use crate::types::{ZsEmailSession, ZsEmailSessionDetails};
use crate::{wait_spans, ZsClient, ZsStartEmailVerificationParams};

/// Start an email verification: the user opens `redirect_url`, receives a code by
/// email and types it in. `email_address`, `locale`, `redirect_success` and
/// `redirect_failure` are required (a NULL one is ZS_ERR_VALIDATION naming it);
/// everything is validated first (ZS_ERR_VALIDATION, nothing sent).
///
/// Returns ZS_OK and stores the session in `*out` (free it with
/// zs_email_session_free()), or an error code with `*out` NULL.
///
/// # Safety
/// `client` is NULL or a live ZsClient; `params` is NULL or a valid
/// ZsStartEmailVerificationParams whose strings are NULL or NUL-terminated;
/// `out` and `err` as in zs_client_new().
#[no_mangle]
pub unsafe extern "C" fn zs_start_email_verification(
    client: *const ZsClient,
    params: *const ZsStartEmailVerificationParams,
    out: *mut *mut ZsEmailSession,
    err: *mut *mut ZsError,
) -> ZsErrorCode {
    call(err, || {
        // SAFETY: the caller's promises, forwarded to each check.
        let out = unsafe { out_ptr(out, "out") }?;
        // SAFETY: as above.
        let client = unsafe { reference(client, "client") }?;
        // SAFETY: as above.
        let p = unsafe { reference(params, "params") }?;
        // SAFETY: its strings are NULL or NUL-terminated.
        let request = unsafe { p.to_request() }?;
        let session = client.inner.start_email_verification(&request)?;
        out.set(Box::new(ZsEmailSession::from(&session)));
        Ok(())
    })
}

/// Read an email verification by id (a UUID; anything else is ZS_ERR_VALIDATION).
///
/// Returns ZS_OK and stores the details in `*out` (free them with
/// zs_email_session_details_free()), or an error code with `*out` NULL.
///
/// # Safety
/// As zs_get_sms_session().
#[no_mangle]
pub unsafe extern "C" fn zs_get_email_session(
    client: *const ZsClient,
    session_id: *const c_char,
    out: *mut *mut ZsEmailSessionDetails,
    err: *mut *mut ZsError,
) -> ZsErrorCode {
    call(err, || {
        // SAFETY: the caller's promises, forwarded to each check.
        let out = unsafe { out_ptr(out, "out") }?;
        // SAFETY: as above.
        let client = unsafe { reference(client, "client") }?;
        // SAFETY: as above.
        let id = unsafe { text(session_id, "session_id") }?;
        let details = client.inner.get_email_session(id)?;
        out.set(Box::new(ZsEmailSessionDetails::from(&details)));
        Ok(())
    })
}

/// Poll an email verification until its status is final (as for phone).
/// `timeout_ms` 0 takes the default (300000), `poll_interval_ms` 0 the default (1000).
///
/// Returns ZS_OK and stores the final details in `*out` (free them with
/// zs_email_session_details_free()); ZS_ERR_WAIT_TIMEOUT when still not final
/// (zs_error_email_details() holds the last details); or another error code.
///
/// # Safety
/// As zs_get_sms_session().
#[no_mangle]
pub unsafe extern "C" fn zs_wait_email_session(
    client: *const ZsClient,
    session_id: *const c_char,
    timeout_ms: u64,
    poll_interval_ms: u64,
    out: *mut *mut ZsEmailSessionDetails,
    err: *mut *mut ZsError,
) -> ZsErrorCode {
    call(err, || {
        // SAFETY: the caller's promises, forwarded to each check.
        let out = unsafe { out_ptr(out, "out") }?;
        // SAFETY: as above.
        let client = unsafe { reference(client, "client") }?;
        // SAFETY: as above.
        let id = unsafe { text(session_id, "session_id") }?;
        let (timeout, poll) = wait_spans(timeout_ms, poll_interval_ms)?;
        let details = client.inner.wait_email_session(id, timeout, poll)?;
        out.set(Box::new(ZsEmailSessionDetails::from(&details)));
        Ok(())
    })
}

/// Free a ZsEmailSession and its strings. NULL is a no-op.
///
/// # Safety
/// `session` is NULL or came from zs_start_email_verification(), freed at most once.
#[no_mangle]
pub unsafe extern "C" fn zs_email_session_free(session: *mut ZsEmailSession) {
    // SAFETY: the caller's promise.
    unsafe { free_box(session) }
}

/// Free a ZsEmailSessionDetails, its strings and its `errors`. NULL is a no-op.
/// Never pass the pointer from zs_error_email_details() (the error owns that one).
///
/// # Safety
/// `details` is NULL or came from zs_get_email_session() /
/// zs_wait_email_session(), freed at most once.
#[no_mangle]
pub unsafe extern "C" fn zs_email_session_details_free(details: *mut ZsEmailSessionDetails) {
    // SAFETY: the caller's promise.
    unsafe { free_box(details) }
}
