//! The plain C structs results come back in. Every pointer field is an owned,
//! NUL-terminated UTF-8 string (or NULL for an absent optional) that belongs to
//! the struct and is released by the struct's own free function.

use std::ffi::{c_char, CString};
use std::ptr;

use zignsec::{
    EmailRequestData, EmailSession, EmailSessionDetails, PhoneRequestData, PhoneSession,
    PhoneSessionDetails, SessionError, SmsEncoding, SmsParts, SmsRequestData, SmsSession,
    SmsSessionDetails, WebhookEvent,
};

/// A C string from Rust text. C strings cannot hold NUL, so a NUL in text the
/// gateway sent becomes U+FFFD.
pub(crate) fn to_c(s: &str) -> CString {
    match CString::new(s) {
        Ok(c) => c,
        Err(_) => CString::new(s.replace('\0', "\u{FFFD}")).unwrap_or_default(),
    }
}

pub(crate) fn own(s: &str) -> *const c_char {
    to_c(s).into_raw()
}

fn own_opt(s: Option<&str>) -> *const c_char {
    s.map_or(ptr::null(), own)
}

/// Release a string made by [`own`].
pub(crate) fn release(p: &mut *const c_char) {
    if !p.is_null() {
        // SAFETY: every non-NULL string field was made by CString::into_raw in `own`,
        // and is set to NULL here so it is released once.
        drop(unsafe { CString::from_raw(p.cast_mut()) });
        *p = ptr::null();
    }
}

/// The answer to zs_send_sms(). Free with zs_sms_session_free().
#[repr(C)]
#[derive(Debug)]
pub struct ZsSmsSession {
    /// The session id (a UUID).
    pub id: *const c_char,
    /// The status as the gateway spells it, usually `"pending"`. Unknown statuses
    /// are kept verbatim.
    pub status: *const c_char,
    /// Whether `status` is final (`delivered`, `failed`).
    pub is_final: bool,
}

/// The answer to zs_start_phone_verification(). Free with zs_phone_session_free().
#[repr(C)]
#[derive(Debug)]
pub struct ZsPhoneSession {
    /// The session id (a UUID).
    pub id: *const c_char,
    /// The hosted page to send the user to.
    pub redirect_url: *const c_char,
    /// Usually `"created"` or `"pending"`.
    pub status: *const c_char,
    /// Whether `status` is final (`finished`, `accepted`, `failed`, `cancelled`).
    pub is_final: bool,
}

/// What an SMS session was asked to do (part of ZsSmsSessionDetails).
#[repr(C)]
#[derive(Debug)]
pub struct ZsSmsRequest {
    /// Sender.
    pub from: *const c_char,
    /// Recipient.
    pub to: *const c_char,
    /// The text.
    pub message: *const c_char,
    /// The part limit.
    pub max_message_parts: u32,
    /// Echoed reference, or NULL.
    pub relay_state: *const c_char,
    /// Webhook URL, or NULL.
    pub webhook: *const c_char,
}

/// An SMS session read back by zs_get_sms_session() / zs_wait_sms_session().
/// Free with zs_sms_session_details_free().
#[repr(C)]
#[derive(Debug)]
pub struct ZsSmsSessionDetails {
    /// The session id.
    pub id: *const c_char,
    /// Current status (`pending`, `dispatched`, `delivered`, `failed`, or unknown text).
    pub status: *const c_char,
    /// Whether `status` is final.
    pub is_final: bool,
    /// Parts the message went out in; -1 when not known yet.
    pub number_of_message_parts: i64,
    /// The original request.
    pub request: ZsSmsRequest,
    /// The session's reasons from `data.errors` (a failed session's), `errors_count`
    /// entries; NULL when there are none.
    pub errors: *const ZsSessionError,
    /// Entries in `errors`.
    pub errors_count: usize,
    /// The whole `data` object as the gateway sent it, as compact JSON text, so
    /// fields this library does not know yet are reachable.
    pub raw: *const c_char,
}

/// What a phone verification was asked to do (part of ZsPhoneSessionDetails).
#[repr(C)]
#[derive(Debug)]
pub struct ZsPhoneRequest {
    /// The phone being verified.
    pub phone_number: *const c_char,
    /// Page language, or NULL.
    pub locale: *const c_char,
    /// Success redirect, or NULL.
    pub redirect_success: *const c_char,
    /// Failure redirect, or NULL.
    pub redirect_failure: *const c_char,
    /// Echoed reference, or NULL.
    pub relay_state: *const c_char,
    /// Webhook URL, or NULL.
    pub webhook: *const c_char,
}

/// A phone verification read back by zs_get_phone_session() /
/// zs_wait_phone_session(). Free with zs_phone_session_details_free().
#[repr(C)]
#[derive(Debug)]
pub struct ZsPhoneSessionDetails {
    /// The session id.
    pub id: *const c_char,
    /// Current status (`created`, `pending`, `finished`, `accepted`, `failed`,
    /// `cancelled`, or unknown text).
    pub status: *const c_char,
    /// Whether `status` is final.
    pub is_final: bool,
    /// The phone being verified.
    pub phone_number: *const c_char,
    /// The original request.
    pub request: ZsPhoneRequest,
    /// The session's reasons from `data.errors` (a failed session's), `errors_count`
    /// entries; NULL when there are none.
    pub errors: *const ZsSessionError,
    /// Entries in `errors`.
    pub errors_count: usize,
    /// The whole `data` object as the gateway sent it, as compact JSON text, so
    /// fields this library does not know yet are reachable.
    pub raw: *const c_char,
}

/// One reason from a session's `data.errors` (part of a details struct).
#[repr(C)]
#[derive(Debug)]
pub struct ZsSessionError {
    /// The gateway's code.
    pub code: *const c_char,
    /// Its description.
    pub description: *const c_char,
}

/// The answer to zs_start_email_verification(). Free with zs_email_session_free().
#[repr(C)]
#[derive(Debug)]
pub struct ZsEmailSession {
    /// The session id (a UUID).
    pub id: *const c_char,
    /// The hosted page to send the user to.
    pub redirect_url: *const c_char,
    /// Usually `"created"` or `"pending"`.
    pub status: *const c_char,
    /// Whether `status` is final (`finished`, `accepted`, `failed`, `cancelled`).
    pub is_final: bool,
}

/// What an email verification was asked to do (part of ZsEmailSessionDetails).
#[repr(C)]
#[derive(Debug)]
pub struct ZsEmailRequest {
    /// The address being verified.
    pub email_address: *const c_char,
    /// Page language, or NULL.
    pub locale: *const c_char,
    /// Success redirect, or NULL.
    pub redirect_success: *const c_char,
    /// Failure redirect, or NULL.
    pub redirect_failure: *const c_char,
    /// Echoed reference, or NULL.
    pub relay_state: *const c_char,
    /// Webhook URL, or NULL.
    pub webhook: *const c_char,
}

/// An email verification read back by zs_get_email_session() /
/// zs_wait_email_session(). Free with zs_email_session_details_free().
#[repr(C)]
#[derive(Debug)]
pub struct ZsEmailSessionDetails {
    /// The session id.
    pub id: *const c_char,
    /// Current status (as for phone verifications, or unknown text).
    pub status: *const c_char,
    /// Whether `status` is final.
    pub is_final: bool,
    /// The address being verified, or NULL when the read did not carry it.
    pub email_address: *const c_char,
    /// The original request.
    pub request: ZsEmailRequest,
    /// The session's reasons from `data.errors` (a failed session's), `errors_count`
    /// entries; NULL when there are none.
    pub errors: *const ZsSessionError,
    /// Entries in `errors`.
    pub errors_count: usize,
    /// The whole `data` object as the gateway sent it, as compact JSON text, so
    /// fields this library does not know yet are reachable.
    pub raw: *const c_char,
}

/// A details struct's `errors` array and `raw` text, owned by the struct.
fn own_errors(errors: &[SessionError]) -> (*const ZsSessionError, usize) {
    if errors.is_empty() {
        return (ptr::null(), 0);
    }
    let items: Box<[ZsSessionError]> = errors
        .iter()
        .map(|e| ZsSessionError {
            code: own(&e.code),
            description: own(&e.description),
        })
        .collect();
    let len = items.len();
    (
        Box::into_raw(items).cast::<ZsSessionError>().cast_const(),
        len,
    )
}

/// Release an array made by [`own_errors`].
fn release_errors(p: &mut *const ZsSessionError, len: &mut usize) {
    if !p.is_null() {
        // SAFETY: a non-NULL `errors` was made by `own_errors` from a boxed slice
        // of exactly `len` items; it is set to NULL here so it is released once.
        let slice = unsafe { std::slice::from_raw_parts_mut(p.cast_mut(), *len) };
        // SAFETY: as above: this is the pointer Box::into_raw returned.
        drop(unsafe { Box::from_raw(slice as *mut [ZsSessionError]) });
        *p = ptr::null();
        *len = 0;
    }
}

impl Drop for ZsSessionError {
    fn drop(&mut self) {
        release(&mut self.code);
        release(&mut self.description);
    }
}

/// A webhook event from zs_parse_webhook() / zs_verify_webhook(). Free with
/// zs_webhook_event_free().
#[repr(C)]
#[derive(Debug)]
pub struct ZsWebhookEvent {
    /// The event name (`"status_changed"`); empty when the body has none.
    pub event: *const c_char,
    /// The session id (from `id` or `session_id`).
    pub id: *const c_char,
    /// The integration the session belongs to, or NULL.
    pub integration_id: *const c_char,
    /// The caller's relay state, or NULL.
    pub relay_state: *const c_char,
    /// The session status, from `status` or `result.status`.
    pub status: *const c_char,
    /// For SMS sessions: the parts the message was sent in; -1 when absent.
    pub number_of_message_parts: i64,
    /// The whole body as compact JSON text.
    pub raw_json: *const c_char,
}

/// The character set a message is sent in.
#[allow(non_camel_case_types)]
#[repr(i32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ZsSmsEncoding {
    /// The GSM 03.38 7-bit alphabet (with its extension table).
    ZS_SMS_GSM7 = 0,
    /// UTF-16 units, when any character is outside GSM-7.
    ZS_SMS_UCS2 = 1,
}

/// How a message splits into SMS parts (zs_sms_parts()). A plain value: nothing to free.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct ZsSmsParts {
    /// The encoding the message needs.
    pub encoding: ZsSmsEncoding,
    /// Parts on the wire; 0 for an empty message.
    pub parts: u32,
    /// Septets (GSM-7) or UTF-16 units (UCS-2) in the whole message.
    pub units: u32,
    /// Capacity of one part: 160 or 153 (GSM-7), 70 or 67 (UCS-2).
    pub units_per_part: u32,
}

impl From<&SmsSession> for ZsSmsSession {
    fn from(s: &SmsSession) -> Self {
        ZsSmsSession {
            id: own(&s.id),
            status: own(s.status.as_str()),
            is_final: s.status.is_final(),
        }
    }
}

impl Drop for ZsSmsSession {
    fn drop(&mut self) {
        release(&mut self.id);
        release(&mut self.status);
    }
}

impl From<&PhoneSession> for ZsPhoneSession {
    fn from(s: &PhoneSession) -> Self {
        ZsPhoneSession {
            id: own(&s.id),
            redirect_url: own(&s.redirect_url),
            status: own(s.status.as_str()),
            is_final: s.status.is_final(),
        }
    }
}

impl Drop for ZsPhoneSession {
    fn drop(&mut self) {
        release(&mut self.id);
        release(&mut self.redirect_url);
        release(&mut self.status);
    }
}

impl From<&SmsRequestData> for ZsSmsRequest {
    fn from(r: &SmsRequestData) -> Self {
        ZsSmsRequest {
            from: own(&r.from),
            to: own(&r.to),
            message: own(&r.message),
            max_message_parts: r.max_message_parts,
            relay_state: own_opt(r.relay_state.as_deref()),
            webhook: own_opt(r.webhook.as_deref()),
        }
    }
}

impl Drop for ZsSmsRequest {
    fn drop(&mut self) {
        release(&mut self.from);
        release(&mut self.to);
        release(&mut self.message);
        release(&mut self.relay_state);
        release(&mut self.webhook);
    }
}

impl From<&SmsSessionDetails> for ZsSmsSessionDetails {
    fn from(d: &SmsSessionDetails) -> Self {
        let (errors, errors_count) = own_errors(&d.errors);
        ZsSmsSessionDetails {
            id: own(&d.id),
            status: own(d.status.as_str()),
            is_final: d.status.is_final(),
            number_of_message_parts: d.number_of_message_parts.map_or(-1, i64::from),
            request: ZsSmsRequest::from(&d.request),
            errors,
            errors_count,
            raw: own(d.raw.as_str()),
        }
    }
}

impl Drop for ZsSmsSessionDetails {
    fn drop(&mut self) {
        release(&mut self.id);
        release(&mut self.status);
        release_errors(&mut self.errors, &mut self.errors_count);
        release(&mut self.raw);
    }
}

impl From<&PhoneRequestData> for ZsPhoneRequest {
    fn from(r: &PhoneRequestData) -> Self {
        ZsPhoneRequest {
            phone_number: own(&r.phone_number),
            locale: own_opt(r.locale.as_deref()),
            redirect_success: own_opt(r.redirect_success.as_deref()),
            redirect_failure: own_opt(r.redirect_failure.as_deref()),
            relay_state: own_opt(r.relay_state.as_deref()),
            webhook: own_opt(r.webhook.as_deref()),
        }
    }
}

impl Drop for ZsPhoneRequest {
    fn drop(&mut self) {
        release(&mut self.phone_number);
        release(&mut self.locale);
        release(&mut self.redirect_success);
        release(&mut self.redirect_failure);
        release(&mut self.relay_state);
        release(&mut self.webhook);
    }
}

impl From<&PhoneSessionDetails> for ZsPhoneSessionDetails {
    fn from(d: &PhoneSessionDetails) -> Self {
        let (errors, errors_count) = own_errors(&d.errors);
        ZsPhoneSessionDetails {
            id: own(&d.id),
            status: own(d.status.as_str()),
            is_final: d.status.is_final(),
            phone_number: own(&d.phone_number),
            request: ZsPhoneRequest::from(&d.request),
            errors,
            errors_count,
            raw: own(d.raw.as_str()),
        }
    }
}

impl Drop for ZsPhoneSessionDetails {
    fn drop(&mut self) {
        release(&mut self.id);
        release(&mut self.status);
        release(&mut self.phone_number);
        release_errors(&mut self.errors, &mut self.errors_count);
        release(&mut self.raw);
    }
}

impl From<&EmailSession> for ZsEmailSession {
    fn from(s: &EmailSession) -> Self {
        ZsEmailSession {
            id: own(&s.id),
            redirect_url: own(&s.redirect_url),
            status: own(s.status.as_str()),
            is_final: s.status.is_final(),
        }
    }
}

impl Drop for ZsEmailSession {
    fn drop(&mut self) {
        release(&mut self.id);
        release(&mut self.redirect_url);
        release(&mut self.status);
    }
}

impl From<&EmailRequestData> for ZsEmailRequest {
    fn from(r: &EmailRequestData) -> Self {
        ZsEmailRequest {
            email_address: own(&r.email_address),
            locale: own_opt(r.locale.as_deref()),
            redirect_success: own_opt(r.redirect_success.as_deref()),
            redirect_failure: own_opt(r.redirect_failure.as_deref()),
            relay_state: own_opt(r.relay_state.as_deref()),
            webhook: own_opt(r.webhook.as_deref()),
        }
    }
}

impl Drop for ZsEmailRequest {
    fn drop(&mut self) {
        release(&mut self.email_address);
        release(&mut self.locale);
        release(&mut self.redirect_success);
        release(&mut self.redirect_failure);
        release(&mut self.relay_state);
        release(&mut self.webhook);
    }
}

impl From<&EmailSessionDetails> for ZsEmailSessionDetails {
    fn from(d: &EmailSessionDetails) -> Self {
        let (errors, errors_count) = own_errors(&d.errors);
        ZsEmailSessionDetails {
            id: own(&d.id),
            status: own(d.status.as_str()),
            is_final: d.status.is_final(),
            email_address: own_opt(d.email_address.as_deref()),
            request: ZsEmailRequest::from(&d.request),
            errors,
            errors_count,
            raw: own(d.raw.as_str()),
        }
    }
}

impl Drop for ZsEmailSessionDetails {
    fn drop(&mut self) {
        release(&mut self.id);
        release(&mut self.status);
        release(&mut self.email_address);
        release_errors(&mut self.errors, &mut self.errors_count);
        release(&mut self.raw);
    }
}

impl From<&WebhookEvent> for ZsWebhookEvent {
    fn from(e: &WebhookEvent) -> Self {
        ZsWebhookEvent {
            event: own(&e.event),
            id: own(&e.id),
            integration_id: own_opt(e.integration_id.as_deref()),
            relay_state: own_opt(e.relay_state.as_deref()),
            status: own(&e.status),
            number_of_message_parts: e.number_of_message_parts.map_or(-1, i64::from),
            raw_json: own(&e.raw.to_string()),
        }
    }
}

impl Drop for ZsWebhookEvent {
    fn drop(&mut self) {
        release(&mut self.event);
        release(&mut self.id);
        release(&mut self.integration_id);
        release(&mut self.relay_state);
        release(&mut self.status);
        release(&mut self.raw_json);
    }
}

impl From<SmsParts> for ZsSmsParts {
    fn from(p: SmsParts) -> Self {
        ZsSmsParts {
            encoding: match p.encoding {
                SmsEncoding::Gsm7 => ZsSmsEncoding::ZS_SMS_GSM7,
                SmsEncoding::Ucs2 => ZsSmsEncoding::ZS_SMS_UCS2,
            },
            parts: p.parts,
            units: p.units,
            units_per_part: p.units_per_part,
        }
    }
}
