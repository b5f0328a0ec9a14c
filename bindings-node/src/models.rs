//! The plain objects the package takes and returns (`#[napi(object)]`: camelCase
//! fields; absent optionals are `undefined`). Statuses are strings plus `isFinal`.

use napi_derive::napi;
use serde::Serialize;

/// Options of `new Client(options)`. Unset options fall back to the `ZIGNSEC_*`
/// environment variables, then to the defaults of API.md.
#[napi(object)]
#[derive(Debug, Default)]
pub struct ClientOptions {
    /// The API key (`ZIGNSEC_API_KEY`). Required, from here or the environment.
    pub api_key: Option<String>,
    /// `'test'` (default) or `'production'` (`ZIGNSEC_ENVIRONMENT`).
    pub environment: Option<String>,
    /// A base URL that overrides the environment (`ZIGNSEC_BASE_URL`);
    /// `http://` only for loopback hosts.
    pub base_url: Option<String>,
    /// Total time for one call, retries included, in milliseconds (default 30000;
    /// `ZIGNSEC_TIMEOUT` in seconds).
    pub timeout_ms: Option<f64>,
    /// Time to open one connection, in milliseconds (default 5000).
    pub connect_timeout_ms: Option<f64>,
    /// Retries after the first attempt, 0 to 10 (default 2; `ZIGNSEC_MAX_RETRIES`).
    pub max_retries: Option<f64>,
    /// The proxy for `https://` base URLs, used only as a CONNECT tunnel (so it
    /// never sees the key): a URL such as `'http://proxy.corp:3128'`, or `'none'`
    /// to ignore `HTTPS_PROXY` / `ALL_PROXY`. Default: from those variables
    /// (minus `NO_PROXY`). Loopback base URLs never go through a proxy, and
    /// `HTTP_PROXY` is never read.
    pub proxy: Option<String>,
}

/// The arguments of `client.sendSms(...)`.
#[napi(object)]
#[derive(Debug)]
pub struct SendSmsParams {
    /// Recipient, E.164 (`'+46701234567'`).
    pub to: String,
    /// The text; must fit in `maxMessageParts` parts.
    pub message: String,
    /// Sender: an E.164 number or 1 to 11 letters and digits.
    pub from: String,
    /// From 1 to 10 (default 1).
    pub max_message_parts: Option<f64>,
    /// Your own reference, echoed back in reads and webhooks.
    pub relay_state: Option<String>,
    /// Where the gateway POSTs status changes (`https://`).
    pub webhook: Option<String>,
}

/// The arguments of `client.startPhoneVerification(...)`.
#[napi(object)]
#[derive(Debug)]
pub struct StartPhoneVerificationParams {
    /// The phone to verify, E.164.
    pub phone_number: String,
    /// Language of the hosted page (`'En'`).
    pub locale: Option<String>,
    /// Where the user lands after success (`https://`).
    pub redirect_success: Option<String>,
    /// Where the user lands after failure or cancel (`https://`).
    pub redirect_failure: Option<String>,
    /// Your own reference, echoed back.
    pub relay_state: Option<String>,
    /// Where the gateway POSTs status changes (`https://`).
    pub webhook: Option<String>,
    /// Sent as the `x-csrf-token` header.
    pub csrf_token: Option<String>,
}

/// Options of `waitSmsSession` / `waitPhoneSession`.
#[napi(object)]
#[derive(Debug, Default)]
pub struct WaitOptions {
    /// Give up after this many milliseconds (default 60000 for SMS, 300000 for phone).
    pub timeout_ms: Option<f64>,
    /// Time between polls in milliseconds (default 1000; it grows up to 4× as the wait goes on).
    pub poll_interval_ms: Option<f64>,
}

/// The answer to `sendSms`.
#[napi(object)]
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SmsSession {
    /// The session id (a UUID).
    pub id: String,
    /// `'pending'`, `'dispatched'`, `'delivered'`, `'failed'`, or a status this SDK
    /// does not know yet (kept verbatim).
    pub status: String,
    /// Whether the status is final (`delivered` or `failed`).
    pub is_final: bool,
}

/// The answer to `startPhoneVerification`.
#[napi(object)]
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PhoneSession {
    /// The session id (a UUID).
    pub id: String,
    /// The hosted page to send the user to.
    pub redirect_url: String,
    /// `'created'`, `'pending'`, `'finished'`, `'accepted'`, `'failed'`,
    /// `'cancelled'`, or an unknown status kept verbatim.
    pub status: String,
    /// Whether the status is final (`finished`, `accepted`, `failed`, `cancelled`).
    pub is_final: bool,
}

/// What an SMS session was asked to do, as the gateway recorded it.
#[napi(object)]
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
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
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relay_state: Option<String>,
    /// Webhook URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub webhook: Option<String>,
}

/// An SMS session read back with `getSmsSession` / `waitSmsSession`.
#[napi(object)]
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SmsSessionDetails {
    /// The session id.
    pub id: String,
    /// Current status (see `SmsSession.status`).
    pub status: String,
    /// Whether the status is final.
    pub is_final: bool,
    /// Parts the message went out in, once known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number_of_message_parts: Option<u32>,
    /// The original request.
    pub request: SmsRequestData,
}

/// What a phone verification was asked to do, as the gateway recorded it.
#[napi(object)]
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PhoneRequestData {
    /// The phone being verified.
    pub phone_number: String,
    /// Page language.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// Success redirect.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub redirect_success: Option<String>,
    /// Failure redirect.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub redirect_failure: Option<String>,
    /// Echoed reference.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relay_state: Option<String>,
    /// Webhook URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub webhook: Option<String>,
}

/// A phone verification read back with `getPhoneSession` / `waitPhoneSession`.
#[napi(object)]
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PhoneSessionDetails {
    /// The session id.
    pub id: String,
    /// Current status (see `PhoneSession.status`).
    pub status: String,
    /// Whether the status is final.
    pub is_final: bool,
    /// The phone being verified.
    pub phone_number: String,
    /// The original request.
    pub request: PhoneRequestData,
}

/// How a message splits into SMS parts.
#[napi(object)]
#[derive(Debug, Clone)]
pub struct SmsParts {
    /// `'gsm7'` or `'ucs2'`.
    pub encoding: String,
    /// Parts on the wire; 0 for an empty message.
    pub parts: u32,
    /// Septets (GSM-7) or UTF-16 units (UCS-2) in the whole message.
    pub units: u32,
    /// Capacity of one part: 160 or 153 (GSM-7), 70 or 67 (UCS-2).
    pub units_per_part: u32,
}

/// A session status change, as the gateway POSTs it to a webhook URL.
#[napi(object)]
#[derive(Debug, Clone)]
pub struct WebhookEvent {
    /// The event name (`'status_changed'`); empty when the body has none.
    pub event: String,
    /// The session id.
    pub id: String,
    /// The integration the session belongs to.
    pub integration_id: Option<String>,
    /// The caller's `relayState`, echoed.
    pub relay_state: Option<String>,
    /// The session status, read from `status` or `result.status`.
    pub status: String,
    /// For SMS sessions: the parts the message was sent in.
    pub number_of_message_parts: Option<u32>,
    /// The whole body, parsed.
    pub raw: serde_json::Value,
}

impl From<zignsec::SmsSession> for SmsSession {
    fn from(s: zignsec::SmsSession) -> Self {
        SmsSession {
            is_final: s.status.is_final(),
            status: s.status.as_str().to_string(),
            id: s.id,
        }
    }
}

impl From<zignsec::PhoneSession> for PhoneSession {
    fn from(s: zignsec::PhoneSession) -> Self {
        PhoneSession {
            is_final: s.status.is_final(),
            status: s.status.as_str().to_string(),
            id: s.id,
            redirect_url: s.redirect_url,
        }
    }
}

impl From<&zignsec::SmsSessionDetails> for SmsSessionDetails {
    fn from(d: &zignsec::SmsSessionDetails) -> Self {
        let r = &d.request;
        SmsSessionDetails {
            id: d.id.clone(),
            status: d.status.as_str().to_string(),
            is_final: d.status.is_final(),
            number_of_message_parts: d.number_of_message_parts,
            request: SmsRequestData {
                from: r.from.clone(),
                to: r.to.clone(),
                message: r.message.clone(),
                max_message_parts: r.max_message_parts,
                relay_state: r.relay_state.clone(),
                webhook: r.webhook.clone(),
            },
        }
    }
}

impl From<&zignsec::PhoneSessionDetails> for PhoneSessionDetails {
    fn from(d: &zignsec::PhoneSessionDetails) -> Self {
        let r = &d.request;
        PhoneSessionDetails {
            id: d.id.clone(),
            status: d.status.as_str().to_string(),
            is_final: d.status.is_final(),
            phone_number: d.phone_number.clone(),
            request: PhoneRequestData {
                phone_number: r.phone_number.clone(),
                locale: r.locale.clone(),
                redirect_success: r.redirect_success.clone(),
                redirect_failure: r.redirect_failure.clone(),
                relay_state: r.relay_state.clone(),
                webhook: r.webhook.clone(),
            },
        }
    }
}

impl From<zignsec::SmsParts> for SmsParts {
    fn from(p: zignsec::SmsParts) -> Self {
        SmsParts {
            encoding: p.encoding.as_str().to_string(),
            parts: p.parts,
            units: p.units,
            units_per_part: p.units_per_part,
        }
    }
}

impl From<zignsec::WebhookEvent> for WebhookEvent {
    fn from(e: zignsec::WebhookEvent) -> Self {
        WebhookEvent {
            event: e.event,
            id: e.id,
            integration_id: e.integration_id,
            relay_state: e.relay_state,
            status: e.status,
            number_of_message_parts: e.number_of_message_parts,
            raw: e.raw,
        }
    }
}
