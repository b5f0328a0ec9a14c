//! What goes to the gateway and what comes back.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Reads a status from the JSON text without copying it first (a known status needs
/// no allocation; an unknown one is copied once, by `parse`).
struct StatusText<F>(F);

impl<'de, T, F: FnOnce(&str) -> T> serde::de::Visitor<'de> for StatusText<F> {
    type Value = T;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a status string")
    }
    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<T, E> {
        Ok((self.0)(text))
    }
}

macro_rules! status_enum {
    (
        $(#[$meta:meta])* $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $text:literal, final = $final:literal; )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )*
            /// A status this SDK does not know yet, kept verbatim; never final.
            Other(String),
        }

        impl $name {
            /// The status as the gateway spells it.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $text, )*
                    $name::Other(s) => s,
                }
            }

            /// The status as the gateway spells it, taken by value: a known status is
            /// a static text, not a copy.
            pub fn into_text(self) -> std::borrow::Cow<'static, str> {
                match self {
                    $( $name::$variant => std::borrow::Cow::Borrowed($text), )*
                    $name::Other(s) => std::borrow::Cow::Owned(s),
                }
            }

            /// Whether the session will not change any more. Judged case-insensitively
            /// (`Finished` is final), while the text is kept as the gateway sent it.
            pub fn is_final(&self) -> bool {
                match self {
                    $( $name::$variant => $final, )*
                    $name::Other(text) => {
                        false $( || ($final && text.eq_ignore_ascii_case($text)) )*
                    }
                }
            }

            /// Read a status; unknown text becomes `Other`.
            pub fn parse(text: &str) -> $name {
                match text {
                    $( $text => $name::$variant, )*
                    other => $name::Other(other.to_string()),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_str(StatusText(|text: &str| $name::parse(text)))
            }
        }
    };
}

status_enum! {
    /// Where an SMS is: `pending`, `dispatched` (in progress); `delivered`, `failed` (final).
    SmsStatus {
        /// Accepted, not yet handed to the operator.
        Pending = "pending", final = false;
        /// Handed to the operator.
        Dispatched = "dispatched", final = false;
        /// Delivered to the phone.
        Delivered = "delivered", final = true;
        /// Could not be delivered.
        Failed = "failed", final = true;
    }
}

status_enum! {
    /// Where a phone verification is: `created`, `pending` (in progress);
    /// `finished`, `accepted`, `failed`, `cancelled` (final).
    PhoneStatus {
        /// Created, the user has not opened the page.
        Created = "created", final = false;
        /// The user is verifying.
        Pending = "pending", final = false;
        /// The user typed the right code.
        Finished = "finished", final = true;
        /// Accepted (the gateway's other word for success).
        Accepted = "accepted", final = true;
        /// Too many wrong codes, or another failure.
        Failed = "failed", final = true;
        /// The user cancelled.
        Cancelled = "cancelled", final = true;
    }
}

/// An SMS to send. Build it with [`SendSms::new`] and set the optional fields.
/// Its `Debug` masks the recipient and shows only the message's length.
#[derive(Clone, PartialEq, Eq)]
pub struct SendSms {
    /// Recipient, E.164 (`+46701234567`).
    pub to: String,
    /// Sender: an E.164 number or 1 to 11 letters and digits.
    pub from: String,
    /// The text; must fit in `max_message_parts` parts.
    pub message: String,
    /// From 1 to 10; default 1.
    pub max_message_parts: i64,
    /// Your own reference, echoed back in reads and webhooks.
    pub relay_state: Option<String>,
    /// Where the gateway POSTs status changes (`https://`).
    pub webhook: Option<String>,
}

impl SendSms {
    /// An SMS of one part at most, without relay state or webhook.
    pub fn new(to: impl Into<String>, from: impl Into<String>, message: impl Into<String>) -> Self {
        SendSms {
            to: to.into(),
            from: from.into(),
            message: message.into(),
            max_message_parts: 1,
            relay_state: None,
            webhook: None,
        }
    }
}

/// A phone verification to start. Build it with [`StartPhoneVerification::new`].
/// Its `Debug` masks the number and hides the CSRF token.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct StartPhoneVerification {
    /// The phone to verify, E.164.
    pub phone_number: String,
    /// Language of the hosted page (`"En"`).
    pub locale: Option<String>,
    /// Where the user lands after success (`https://`).
    pub redirect_success: Option<String>,
    /// Where the user lands after failure or cancel (`https://`).
    pub redirect_failure: Option<String>,
    /// Your own reference, echoed back.
    pub relay_state: Option<String>,
    /// Where the gateway POSTs status changes (`https://`).
    pub webhook: Option<String>,
    /// Sent as the `x-csrf-token` header when given.
    pub csrf_token: Option<String>,
}

impl StartPhoneVerification {
    /// A verification of `phone_number` with no optional fields.
    pub fn new(phone_number: impl Into<String>) -> Self {
        StartPhoneVerification {
            phone_number: phone_number.into(),
            ..Default::default()
        }
    }
}

/// The answer to [`send_sms`](crate::Client::send_sms).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SmsSession {
    /// The session id (a UUID).
    pub id: String,
    /// Usually `pending`.
    pub status: SmsStatus,
}

/// The answer to [`start_phone_verification`](crate::Client::start_phone_verification).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhoneSession {
    /// The session id (a UUID).
    pub id: String,
    /// The hosted page to send the user to.
    pub redirect_url: String,
    /// Usually `pending` or `created`.
    pub status: PhoneStatus,
}

/// What an SMS session was asked to do, as the gateway recorded it.
/// Its `Debug` masks the numbers and shows only the message's length.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct SmsRequestData {
    /// Sender.
    pub from: String,
    /// Recipient.
    pub to: String,
    /// The text.
    pub message: String,
    /// The part limit.
    pub max_message_parts: u32,
    /// Echoed reference.
    pub relay_state: Option<String>,
    /// Webhook URL.
    pub webhook: Option<String>,
}

/// A JSON object exactly as the gateway sent it (a session's `raw`): kept as its
/// text and parsed only when asked for, so reading a session does not build a
/// tree of every field for callers that never look. Equality compares the JSON
/// values, not the texts.
#[derive(Clone)]
pub struct RawJson(Box<serde_json::value::RawValue>);

impl RawJson {
    /// The JSON text, as received.
    pub fn as_str(&self) -> &str {
        self.0.get()
    }

    /// The parsed value (a new one on every call).
    pub fn to_value(&self) -> serde_json::Value {
        // The text was checked to be JSON when it was read.
        serde_json::from_str(self.0.get()).unwrap_or(serde_json::Value::Null)
    }

    /// One member of the object, parsed; `None` when absent.
    pub fn get(&self, key: &str) -> Option<serde_json::Value> {
        match self.to_value() {
            serde_json::Value::Object(mut members) => members.remove(key),
            _ => None,
        }
    }

    fn parse<'a, T: Deserialize<'a>>(&'a self) -> serde_json::Result<T> {
        serde_json::from_str(self.0.get())
    }
}

impl PartialEq for RawJson {
    fn eq(&self, other: &RawJson) -> bool {
        self.as_str() == other.as_str() || self.to_value() == other.to_value()
    }
}

impl Eq for RawJson {}

impl std::fmt::Debug for RawJson {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The text may hold message texts and numbers: only its size is shown.
        write!(f, "RawJson({} bytes)", self.as_str().len())
    }
}

impl Serialize for RawJson {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl<'de> Deserialize<'de> for RawJson {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Box::<serde_json::value::RawValue>::deserialize(d).map(RawJson)
    }
}

/// An SMS session read back with [`get_sms_session`](crate::Client::get_sms_session).
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct SmsSessionDetails {
    /// The session id.
    pub id: String,
    /// Current status.
    pub status: SmsStatus,
    /// Parts the message went out in, once known.
    pub number_of_message_parts: Option<u32>,
    /// The original request.
    pub request: SmsRequestData,
    /// `data.errors`: a failed session's reasons (empty when absent).
    pub errors: Vec<SessionError>,
    /// The whole `data` object as the gateway sent it, so fields this SDK does not
    /// know yet are reachable.
    pub raw: RawJson,
}

/// What a phone verification was asked to do, as the gateway recorded it.
/// Its `Debug` masks the number.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct PhoneRequestData {
    /// The phone being verified.
    pub phone_number: String,
    /// Page language.
    pub locale: Option<String>,
    /// Success redirect.
    pub redirect_success: Option<String>,
    /// Failure redirect.
    pub redirect_failure: Option<String>,
    /// Echoed reference.
    pub relay_state: Option<String>,
    /// Webhook URL.
    pub webhook: Option<String>,
}

/// A phone verification read back with [`get_phone_session`](crate::Client::get_phone_session).
/// Its `Debug` masks the number.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct PhoneSessionDetails {
    /// The session id.
    pub id: String,
    /// Current status.
    pub status: PhoneStatus,
    /// The phone being verified.
    pub phone_number: String,
    /// The original request.
    pub request: PhoneRequestData,
    /// `data.errors`: a failed session's reasons (empty when absent).
    pub errors: Vec<SessionError>,
    /// The whole `data` object as the gateway sent it.
    pub raw: RawJson,
}

/// Email verifications share the phone flow's statuses.
pub type EmailStatus = PhoneStatus;

/// One reason a session reports in `data.errors` (a failed session's reasons).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SessionError {
    /// The gateway's code (empty when absent).
    pub code: String,
    /// Its description (empty when absent).
    pub description: String,
}

/// An email verification to start. Build it with [`StartEmailVerification::new`]:
/// the locale and both redirects are required for email. Its `Debug` masks the address.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct StartEmailVerification {
    /// The address to verify.
    pub email_address: String,
    /// Language of the hosted page (`"En"`); required.
    pub locale: String,
    /// Where the user lands after success (`https://`); required.
    pub redirect_success: String,
    /// Where the user lands after failure or cancel (`https://`); required.
    pub redirect_failure: String,
    /// Your own reference, echoed back.
    pub relay_state: Option<String>,
    /// Where the gateway POSTs status changes (`https://`).
    pub webhook: Option<String>,
    /// Sent as the `x-csrf-token` header when given.
    pub csrf_token: Option<String>,
}

impl StartEmailVerification {
    /// A verification of `email_address` with its required fields.
    pub fn new(
        email_address: impl Into<String>,
        locale: impl Into<String>,
        redirect_success: impl Into<String>,
        redirect_failure: impl Into<String>,
    ) -> Self {
        StartEmailVerification {
            email_address: email_address.into(),
            locale: locale.into(),
            redirect_success: redirect_success.into(),
            redirect_failure: redirect_failure.into(),
            ..Default::default()
        }
    }
}

/// The answer to [`start_email_verification`](crate::Client::start_email_verification):
/// send the user to `redirect_url`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailSession {
    /// The session id.
    pub id: String,
    /// The hosted page the user opens.
    pub redirect_url: String,
    /// Usually `pending` or `created`.
    pub status: EmailStatus,
}

/// What an email verification was asked to do, as the gateway recorded it.
/// Its `Debug` masks the address.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct EmailRequestData {
    /// The address being verified.
    pub email_address: String,
    /// Page language.
    pub locale: Option<String>,
    /// Success redirect.
    pub redirect_success: Option<String>,
    /// Failure redirect.
    pub redirect_failure: Option<String>,
    /// Echoed reference.
    pub relay_state: Option<String>,
    /// Webhook URL.
    pub webhook: Option<String>,
}

/// An email verification read back with [`get_email_session`](crate::Client::get_email_session).
/// Its `Debug` masks the address and leaves out `raw`.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct EmailSessionDetails {
    /// The session id.
    pub id: String,
    /// Current status.
    pub status: EmailStatus,
    /// The address being verified, when the gateway names it.
    pub email_address: Option<String>,
    /// The original request.
    pub request: EmailRequestData,
    /// `data.errors`: a failed session's reasons (empty when absent).
    pub errors: Vec<SessionError>,
    /// The whole `data` object as the gateway sent it.
    pub raw: RawJson,
}

// ---- Debug: safe to log (no message text, numbers masked) ----

use crate::redact::{mask_email, text_len};
use crate::validate::mask_phone;

fn sender_shown(from: &str) -> String {
    if from.starts_with('+') {
        mask_phone(from)
    } else {
        from.to_string()
    }
}

impl std::fmt::Debug for SendSms {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SendSms")
            .field("to", &mask_phone(&self.to))
            .field("from", &sender_shown(&self.from))
            .field("message", &text_len(&self.message))
            .field("max_message_parts", &self.max_message_parts)
            .field("relay_state", &self.relay_state.as_ref().map(|_| "<set>"))
            .field("webhook", &self.webhook)
            .finish()
    }
}

impl std::fmt::Debug for StartPhoneVerification {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StartPhoneVerification")
            .field("phone_number", &mask_phone(&self.phone_number))
            .field("locale", &self.locale)
            .field("redirect_success", &self.redirect_success)
            .field("redirect_failure", &self.redirect_failure)
            .field("relay_state", &self.relay_state.as_ref().map(|_| "<set>"))
            .field("webhook", &self.webhook)
            .field(
                "csrf_token",
                &self.csrf_token.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

impl std::fmt::Debug for SmsRequestData {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmsRequestData")
            .field("from", &sender_shown(&self.from))
            .field("to", &mask_phone(&self.to))
            .field("message", &text_len(&self.message))
            .field("max_message_parts", &self.max_message_parts)
            .field("relay_state", &self.relay_state.as_ref().map(|_| "<set>"))
            .field("webhook", &self.webhook)
            .finish()
    }
}

impl std::fmt::Debug for SmsSessionDetails {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmsSessionDetails")
            .field("id", &self.id)
            .field("status", &self.status)
            .field("number_of_message_parts", &self.number_of_message_parts)
            .field("request", &self.request)
            .field("errors", &self.errors)
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for PhoneRequestData {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PhoneRequestData")
            .field("phone_number", &mask_phone(&self.phone_number))
            .field("locale", &self.locale)
            .field("redirect_success", &self.redirect_success)
            .field("redirect_failure", &self.redirect_failure)
            .field("relay_state", &self.relay_state.as_ref().map(|_| "<set>"))
            .field("webhook", &self.webhook)
            .finish()
    }
}

impl std::fmt::Debug for PhoneSessionDetails {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PhoneSessionDetails")
            .field("id", &self.id)
            .field("status", &self.status)
            .field("phone_number", &mask_phone(&self.phone_number))
            .field("request", &self.request)
            .field("errors", &self.errors)
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for StartEmailVerification {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StartEmailVerification")
            .field("email_address", &mask_email(&self.email_address))
            .field("locale", &self.locale)
            .field("redirect_success", &self.redirect_success)
            .field("redirect_failure", &self.redirect_failure)
            .field("relay_state", &self.relay_state.as_ref().map(|_| "<set>"))
            .field("webhook", &self.webhook)
            .field(
                "csrf_token",
                &self.csrf_token.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

impl std::fmt::Debug for EmailRequestData {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmailRequestData")
            .field("email_address", &mask_email(&self.email_address))
            .field("locale", &self.locale)
            .field("redirect_success", &self.redirect_success)
            .field("redirect_failure", &self.redirect_failure)
            .field("relay_state", &self.relay_state.as_ref().map(|_| "<set>"))
            .field("webhook", &self.webhook)
            .finish()
    }
}

impl std::fmt::Debug for EmailSessionDetails {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmailSessionDetails")
            .field("id", &self.id)
            .field("status", &self.status)
            .field(
                "email_address",
                &self.email_address.as_deref().map(mask_email),
            )
            .field("request", &self.request)
            .field("errors", &self.errors)
            .finish_non_exhaustive()
    }
}

/// `data.errors` read leniently: entries without a code or description keep an
/// empty one, non-string values their JSON text.
/// `data.errors`, read leniently: anything but an array is no errors, and a
/// `code` or `description` that is not a string is shown as JSON text.
#[derive(Default)]
struct Errors(Vec<SessionError>);

impl<'de> Deserialize<'de> for Errors {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = serde_json::Value::deserialize(d)?;
        Ok(Errors(session_errors(&value)))
    }
}

fn session_errors(errors: &serde_json::Value) -> Vec<SessionError> {
    use serde_json::Value;
    let text = |v: Option<&Value>| match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    };
    match errors {
        Value::Array(items) => items
            .iter()
            .map(|e| SessionError {
                code: text(e.get("code")),
                description: text(e.get("description").or_else(|| e.get("message"))),
            })
            .collect(),
        _ => Vec::new(),
    }
}

// ---- wire shapes (the seeds' JSON) ----

#[derive(Serialize)]
pub(crate) struct SmsMetadataWire<'a> {
    pub from: &'a str,
    pub to: &'a str,
    pub message: &'a str,
    pub max_message_parts: u32,
}

#[derive(Serialize)]
pub(crate) struct SendSmsWire<'a> {
    pub metadata: SmsMetadataWire<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relay_state: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub webhook: Option<&'a str>,
}

#[derive(Serialize)]
pub(crate) struct PhoneMetadataWire<'a> {
    pub phone_number: &'a str,
}

#[derive(Serialize)]
pub(crate) struct StartPhoneWire<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub locale: Option<&'a str>,
    pub metadata: PhoneMetadataWire<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub redirect_failure: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub redirect_success: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relay_state: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub webhook: Option<&'a str>,
}

#[derive(Deserialize)]
pub(crate) struct Envelope<T> {
    pub data: T,
}

#[derive(Deserialize, Default)]
struct SmsMetadataIn {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    message: String,
    #[serde(default)]
    max_message_parts: u32,
}

#[derive(Deserialize, Default)]
struct SmsRequestIn {
    #[serde(default)]
    metadata: SmsMetadataIn,
    relay_state: Option<String>,
    webhook: Option<String>,
}

#[derive(Deserialize)]
struct SmsDetailsIn {
    id: String,
    #[serde(default)]
    errors: Errors,
    status: SmsStatus,
    number_of_message_parts: Option<u32>,
    #[serde(default)]
    request_data: SmsRequestIn,
}

impl<'de> Deserialize<'de> for SmsSessionDetails {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = RawJson::deserialize(d)?;
        let w: SmsDetailsIn = raw.parse().map_err(serde::de::Error::custom)?;
        let errors = w.errors.0;
        let m = w.request_data.metadata;
        Ok(SmsSessionDetails {
            id: w.id,
            status: w.status,
            number_of_message_parts: w.number_of_message_parts,
            request: SmsRequestData {
                from: m.from,
                to: m.to,
                message: m.message,
                max_message_parts: m.max_message_parts,
                relay_state: w.request_data.relay_state,
                webhook: w.request_data.webhook,
            },
            errors,
            raw,
        })
    }
}

#[derive(Deserialize, Default)]
struct PhoneMetadataIn {
    #[serde(default)]
    phone_number: String,
}

#[derive(Deserialize, Default)]
struct PhoneRequestIn {
    #[serde(default)]
    metadata: PhoneMetadataIn,
    locale: Option<String>,
    redirect_success: Option<String>,
    redirect_failure: Option<String>,
    relay_state: Option<String>,
    webhook: Option<String>,
}

#[derive(Deserialize)]
struct PhoneDetailsIn {
    id: String,
    #[serde(default)]
    errors: Errors,
    status: PhoneStatus,
    phone_number: Option<String>,
    #[serde(default)]
    request_data: PhoneRequestIn,
}

impl<'de> Deserialize<'de> for PhoneSessionDetails {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = RawJson::deserialize(d)?;
        let w: PhoneDetailsIn = raw.parse().map_err(serde::de::Error::custom)?;
        let errors = w.errors.0;
        let r = w.request_data;
        Ok(PhoneSessionDetails {
            id: w.id,
            status: w.status,
            phone_number: w
                .phone_number
                .unwrap_or_else(|| r.metadata.phone_number.clone()),
            request: PhoneRequestData {
                phone_number: r.metadata.phone_number,
                locale: r.locale,
                redirect_success: r.redirect_success,
                redirect_failure: r.redirect_failure,
                relay_state: r.relay_state,
                webhook: r.webhook,
            },
            errors,
            raw,
        })
    }
}

#[derive(Deserialize, Default)]
struct EmailMetadataIn {
    #[serde(default)]
    email_address: String,
}

#[derive(Deserialize, Default)]
struct EmailRequestIn {
    #[serde(default)]
    metadata: EmailMetadataIn,
    locale: Option<String>,
    redirect_success: Option<String>,
    redirect_failure: Option<String>,
    relay_state: Option<String>,
    webhook: Option<String>,
}

#[derive(Deserialize)]
struct EmailDetailsIn {
    id: String,
    #[serde(default)]
    errors: Errors,
    status: EmailStatus,
    email_address: Option<String>,
    #[serde(default)]
    request_data: EmailRequestIn,
}

impl<'de> Deserialize<'de> for EmailSessionDetails {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = RawJson::deserialize(d)?;
        let w: EmailDetailsIn = raw.parse().map_err(serde::de::Error::custom)?;
        let errors = w.errors.0;
        let r = w.request_data;
        Ok(EmailSessionDetails {
            id: w.id,
            status: w.status,
            email_address: w.email_address,
            request: EmailRequestData {
                email_address: r.metadata.email_address,
                locale: r.locale,
                redirect_success: r.redirect_success,
                redirect_failure: r.redirect_failure,
                relay_state: r.relay_state,
                webhook: r.webhook,
            },
            errors,
            raw,
        })
    }
}

#[derive(Serialize)]
pub(crate) struct EmailMetadataWire<'a> {
    pub email_address: &'a str,
}

#[derive(Serialize)]
pub(crate) struct StartEmailWire<'a> {
    pub locale: &'a str,
    pub metadata: EmailMetadataWire<'a>,
    pub redirect_failure: &'a str,
    pub redirect_success: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relay_state: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub webhook: Option<&'a str>,
}

#[cfg(test)]
mod raw_json_tests {
    use super::*;

    #[test]
    fn raw_keeps_the_gateway_text_and_compares_by_value() {
        let text = r#"{"id":"a1", "status":"delivered","request_data":{},"extra":{"z":1,"a":[2]}}"#;
        let d: SmsSessionDetails = serde_json::from_str(text).expect("details");
        assert_eq!(d.raw.as_str(), text);
        assert_eq!(
            d.raw.get("extra"),
            Some(serde_json::json!({"a": [2], "z": 1}))
        );
        assert_eq!(d.raw.get("missing"), None);
        let reordered: SmsSessionDetails = serde_json::from_str(
            r#"{"status":"delivered","extra":{"a":[2],"z":1},"request_data":{},"id":"a1"}"#,
        )
        .expect("details");
        assert_eq!(d, reordered);
        assert_eq!(
            format!("{:?}", d.raw),
            format!("RawJson({} bytes)", text.len())
        );
        // From a value (as the vectors do) too.
        let v: SmsSessionDetails =
            serde_json::from_value(serde_json::from_str(text).expect("json")).expect("details");
        assert_eq!(v, d);
        assert_eq!(
            serde_json::to_value(&d).expect("to_value")["raw"]["extra"]["z"],
            serde_json::json!(1)
        );
    }

    #[test]
    fn errors_are_read_leniently() {
        let read = |errors: &str| -> Vec<(String, String)> {
            let text = format!(r#"{{"id":"a","status":"failed","errors":{errors}}}"#);
            let d: PhoneSessionDetails = serde_json::from_str(&text).expect("details");
            d.errors
                .into_iter()
                .map(|e| (e.code, e.description))
                .collect()
        };
        assert_eq!(read("null"), vec![]);
        assert_eq!(read(r#""not a list""#), vec![]);
        assert_eq!(
            read(r#"[{"code":42,"message":"m"},{"code":"E","description":"d"},{}]"#),
            vec![
                ("42".to_string(), "m".to_string()),
                ("E".to_string(), "d".to_string()),
                (String::new(), String::new())
            ]
        );
    }
}

#[cfg(test)]
mod status_text_tests {
    use super::*;
    use std::borrow::Cow;

    #[test]
    fn a_known_status_is_its_static_text_and_an_unknown_one_is_kept_verbatim() {
        assert!(matches!(
            SmsStatus::Delivered.into_text(),
            Cow::Borrowed("delivered")
        ));
        assert!(matches!(
            PhoneStatus::parse("finished").into_text(),
            Cow::Borrowed("finished")
        ));
        let newer = SmsStatus::parse("Queued-At-Operator");
        assert_eq!(newer.as_str(), "Queued-At-Operator");
        assert!(matches!(newer.into_text(), Cow::Owned(ref s) if s == "Queued-At-Operator"));
    }
}
