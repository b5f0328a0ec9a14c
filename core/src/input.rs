//! Each operation's rules in one place: a request is checked field by field and
//! turned into the exact JSON body the gateway gets (URLs in the normalized form the
//! validator parsed, so what was checked is what is sent). The client, the vectors'
//! runner and the bindings all go through here.
//!
//! A failure is a validation error naming the field, already marked
//! `maybe_sent = false`: nothing was sent.

use url::Url;

use crate::error::{Error, Result};
use crate::models::{
    EmailMetadataWire, PhoneMetadataWire, SendSms, SendSmsWire, SmsMetadataWire,
    StartEmailVerification, StartEmailWire, StartPhoneVerification, StartPhoneWire,
};
use crate::validate;

/// A send's error raised before any request left says so.
pub(crate) fn nothing_sent(err: Error) -> Error {
    err.unless_known_not_sent()
}

fn json(value: &impl serde::Serialize) -> Result<Vec<u8>> {
    serde_json::to_vec(value)
        .map_err(|e| Error::validation("body", format!("cannot be encoded: {e}")))
}

fn optional_url(field: &str, value: Option<&str>) -> Result<Option<Url>> {
    value.map(|u| validate::callback_url(field, u)).transpose()
}

/// The body of `send_sms`, or the first rule it breaks.
pub fn send_sms_body(request: &SendSms) -> Result<Vec<u8>> {
    (|| {
        validate::e164("to", &request.to)?;
        validate::sender("from", &request.from)?;
        let max_parts = validate::max_message_parts(request.max_message_parts)?;
        validate::message(&request.message, max_parts)?;
        if let Some(r) = &request.relay_state {
            validate::relay_state(r)?;
        }
        let webhook = optional_url("webhook", request.webhook.as_deref())?;
        json(&SendSmsWire {
            metadata: SmsMetadataWire {
                from: &request.from,
                to: &request.to,
                message: &request.message,
                max_message_parts: max_parts,
            },
            relay_state: request.relay_state.as_deref(),
            webhook: webhook.as_ref().map(Url::as_str),
        })
    })()
    .map_err(nothing_sent)
}

/// The body of `start_phone_verification`, or the first rule it breaks.
pub fn start_phone_body(request: &StartPhoneVerification) -> Result<Vec<u8>> {
    (|| {
        validate::e164("phone_number", &request.phone_number)?;
        if let Some(l) = &request.locale {
            validate::locale(l)?;
        }
        let redirect_success =
            optional_url("redirect_success", request.redirect_success.as_deref())?;
        let redirect_failure =
            optional_url("redirect_failure", request.redirect_failure.as_deref())?;
        if let Some(r) = &request.relay_state {
            validate::relay_state(r)?;
        }
        let webhook = optional_url("webhook", request.webhook.as_deref())?;
        if let Some(t) = &request.csrf_token {
            validate::csrf_token(t)?;
        }
        json(&StartPhoneWire {
            locale: request.locale.as_deref(),
            metadata: PhoneMetadataWire {
                phone_number: &request.phone_number,
            },
            redirect_failure: redirect_failure.as_ref().map(Url::as_str),
            redirect_success: redirect_success.as_ref().map(Url::as_str),
            relay_state: request.relay_state.as_deref(),
            webhook: webhook.as_ref().map(Url::as_str),
        })
    })()
    .map_err(nothing_sent)
}

/// The body of `start_email_verification`, or the first rule it breaks: the
/// locale and both redirects are required for email.
pub fn start_email_body(request: &StartEmailVerification) -> Result<Vec<u8>> {
    (|| {
        validate::email_address("email_address", &request.email_address)?;
        validate::required("locale", &request.locale)?;
        validate::locale(&request.locale)?;
        validate::required("redirect_success", &request.redirect_success)?;
        let redirect_success =
            validate::callback_url("redirect_success", &request.redirect_success)?;
        validate::required("redirect_failure", &request.redirect_failure)?;
        let redirect_failure =
            validate::callback_url("redirect_failure", &request.redirect_failure)?;
        if let Some(r) = &request.relay_state {
            validate::relay_state(r)?;
        }
        let webhook = optional_url("webhook", request.webhook.as_deref())?;
        if let Some(t) = &request.csrf_token {
            validate::csrf_token(t)?;
        }
        json(&StartEmailWire {
            locale: &request.locale,
            metadata: EmailMetadataWire {
                email_address: &request.email_address,
            },
            redirect_failure: redirect_failure.as_str(),
            redirect_success: redirect_success.as_str(),
            relay_state: request.relay_state.as_deref(),
            webhook: webhook.as_ref().map(Url::as_str),
        })
    })()
    .map_err(nothing_sent)
}
