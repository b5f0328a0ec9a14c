//! The plain objects the package takes and returns (`#[napi(object)]`: camelCase
//! fields; absent optionals are `undefined`). Statuses are strings plus `isFinal`.

use napi_derive::napi;

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
    /// Which header carries the key: `'authorization'` (default; `Authorization:
    /// <key>`) or `'product-key'` (`Zs-Product-Key: <key>`) (`ZIGNSEC_AUTH_SCHEME`).
    pub auth_scheme: Option<String>,
    /// A second key for rotation (`ZIGNSEC_SECONDARY_API_KEY`): a 401 to the key in
    /// use is retried at once, once, with the other key, which is kept when it works.
    pub secondary_api_key: Option<String>,
}

impl From<ClientOptions> for zignsec::input::ClientOptions {
    fn from(o: ClientOptions) -> Self {
        use zignsec::input::{Number, Span};
        zignsec::input::ClientOptions {
            api_key: o.api_key,
            secondary_api_key: o.secondary_api_key,
            auth_scheme: o.auth_scheme,
            environment: o.environment,
            base_url: o.base_url,
            proxy: o.proxy,
            timeout: o.timeout_ms.map(|ms| Span::Millis(Number::Float(ms))),
            connect_timeout: o
                .connect_timeout_ms
                .map(|ms| Span::Millis(Number::Float(ms))),
            max_retries: o.max_retries.map(Number::Float),
            spelling: zignsec::OptionSpelling::CamelMillis,
        }
    }
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

/// The arguments of `client.startEmailVerification(...)`.
#[napi(object)]
#[derive(Debug)]
pub struct StartEmailVerificationParams {
    /// The address to verify.
    pub email_address: String,
    /// Language of the hosted page (`'En'`); required.
    pub locale: String,
    /// Where the user lands after success (`https://`); required.
    pub redirect_success: String,
    /// Where the user lands after failure or cancel (`https://`); required.
    pub redirect_failure: String,
    /// Your own reference, echoed back.
    pub relay_state: Option<String>,
    /// Where the gateway POSTs status changes (`https://`).
    pub webhook: Option<String>,
    /// Sent as the `x-csrf-token` header.
    pub csrf_token: Option<String>,
}

/// The arguments of `client.sendOtp(...)` (the issuer is passed on its own).
#[napi(object)]
#[derive(Debug)]
pub struct SendOtpParams {
    /// Recipient, E.164; the challenge is bound to it.
    pub to: String,
    /// Sender: an E.164 number or 1 to 11 letters and digits.
    pub from: String,
    /// The SMS text with `{code}` exactly once (default `'Your code is {code}'`).
    pub template: Option<String>,
    /// From 1 to 10 (default 1).
    pub max_message_parts: Option<f64>,
    /// Your own reference, echoed back in reads and webhooks.
    pub relay_state: Option<String>,
    /// Where the gateway POSTs status changes (`https://`).
    pub webhook: Option<String>,
}

/// Options of `new Otp(...)`.
#[napi(object)]
pub struct OtpOptions {
    /// At least 16 bytes (a string counts in UTF-8 bytes); use 32 random bytes.
    pub secret: napi::bindgen_prelude::Either<String, napi::bindgen_prelude::Buffer>,
    /// Digits per code, 4 to 10 (default 6).
    pub digits: Option<f64>,
    /// How long a challenge is valid, in milliseconds, 1 s to 1 day (default 300000).
    pub ttl_ms: Option<f64>,
    /// Checks allowed per challenge, 1 to 20 (default 5).
    pub max_attempts: Option<f64>,
}

/// `otp.issue(to)`: the code to deliver and the challenge to store.
#[napi(object)]
pub struct OtpIssue {
    /// The code (never logged by this package; deliver it and forget it).
    pub code: String,
    /// The opaque challenge to store server-side.
    pub challenge: String,
}

/// `otp.check(challenge, code, to)`.
#[napi(object)]
pub struct OtpCheck {
    /// Whether the code was right (and the challenge is now spent).
    pub ok: bool,
    /// `'ok'`, `'wrong_code'`, `'expired'`, `'too_many_attempts'`, `'used'` or `'invalid'`.
    pub reason: String,
    /// The challenge to store back (it counts this attempt).
    pub challenge: String,
    /// Checks left on the challenge.
    pub attempts_left: u32,
}

/// `client.sendOtp(...)`: the SMS session and the challenge to store; never the code.
#[napi(object)]
pub struct OtpSend {
    /// The SMS session.
    pub session: SmsSession,
    /// The challenge to store server-side.
    pub challenge: String,
}

/// Options of `waitSmsSession` / `waitPhoneSession` / `waitEmailSession`.
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
#[derive(Debug, Clone)]
pub struct SmsSession {
    /// The session id (a UUID).
    pub id: String,
    /// `'pending'`, `'dispatched'`, `'delivered'`, `'failed'`, or a status this SDK
    /// does not know yet (kept verbatim).
    pub status: String,
    /// Whether the status is final (`delivered` or `failed`).
    pub is_final: bool,
}

/// The answer to `startEmailVerification`.
#[napi(object)]
#[derive(Debug, Clone)]
pub struct EmailSession {
    /// The session id (a UUID).
    pub id: String,
    /// The hosted page to send the user to.
    pub redirect_url: String,
    /// As for phone sessions.
    pub status: String,
    /// Whether the status is final (`finished`, `accepted`, `failed`, `cancelled`).
    pub is_final: bool,
}

/// One reason a session reports in `data.errors`.
#[napi(object)]
#[derive(Debug, Clone)]
pub struct SessionError {
    /// The gateway's code (empty when absent).
    pub code: String,
    /// Its description (empty when absent).
    pub description: String,
}

fn session_errors(errors: &[zignsec::SessionError]) -> Vec<SessionError> {
    errors
        .iter()
        .map(|e| SessionError {
            code: e.code.clone(),
            description: e.description.clone(),
        })
        .collect()
}

/// What an email verification was asked to do, as the gateway recorded it.
#[napi(object)]
#[derive(Debug, Clone)]
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

/// An email verification read back with `getEmailSession` / `waitEmailSession`.
#[napi(object)]
#[derive(Debug, Clone)]
pub struct EmailSessionDetails {
    /// The session id.
    pub id: String,
    /// Current status (see `EmailSession.status`).
    pub status: String,
    /// Whether the status is final.
    pub is_final: bool,
    /// The address being verified, when the gateway names it.
    pub email_address: Option<String>,
    /// The original request.
    pub request: EmailRequestData,
    /// `data.errors`: a failed session's reasons (empty when absent).
    pub errors: Vec<SessionError>,
    /// The whole `data` object as the gateway sent it.
    pub raw: serde_json::Value,
}

/// The answer to `startPhoneVerification`.
#[napi(object)]
#[derive(Debug, Clone)]
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
#[derive(Debug, Clone)]
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

/// An SMS session read back with `getSmsSession` / `waitSmsSession`.
#[napi(object)]
#[derive(Debug, Clone)]
pub struct SmsSessionDetails {
    /// The session id.
    pub id: String,
    /// Current status (see `SmsSession.status`).
    pub status: String,
    /// Whether the status is final.
    pub is_final: bool,
    /// Parts the message went out in, once known.
    pub number_of_message_parts: Option<u32>,
    /// The original request.
    pub request: SmsRequestData,
    /// `data.errors`: a failed session's reasons (empty when absent).
    pub errors: Vec<SessionError>,
    /// The whole `data` object as the gateway sent it.
    pub raw: serde_json::Value,
}

/// What a phone verification was asked to do, as the gateway recorded it.
#[napi(object)]
#[derive(Debug, Clone)]
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

/// A phone verification read back with `getPhoneSession` / `waitPhoneSession`.
#[napi(object)]
#[derive(Debug, Clone)]
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
    /// `data.errors`: a failed session's reasons (empty when absent).
    pub errors: Vec<SessionError>,
    /// The whole `data` object as the gateway sent it.
    pub raw: serde_json::Value,
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
            errors: session_errors(&d.errors),
            raw: d.raw.to_value(),
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
            errors: session_errors(&d.errors),
            raw: d.raw.to_value(),
        }
    }
}

impl From<zignsec::EmailSession> for EmailSession {
    fn from(s: zignsec::EmailSession) -> Self {
        EmailSession {
            is_final: s.status.is_final(),
            status: s.status.as_str().to_string(),
            id: s.id,
            redirect_url: s.redirect_url,
        }
    }
}

impl From<&zignsec::EmailSessionDetails> for EmailSessionDetails {
    fn from(d: &zignsec::EmailSessionDetails) -> Self {
        let r = &d.request;
        EmailSessionDetails {
            id: d.id.clone(),
            status: d.status.as_str().to_string(),
            is_final: d.status.is_final(),
            email_address: d.email_address.clone(),
            request: EmailRequestData {
                email_address: r.email_address.clone(),
                locale: r.locale.clone(),
                redirect_success: r.redirect_success.clone(),
                redirect_failure: r.redirect_failure.clone(),
                relay_state: r.relay_state.clone(),
                webhook: r.webhook.clone(),
            },
            errors: session_errors(&d.errors),
            raw: d.raw.to_value(),
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

// ---- Debug: never the secret, the code or a challenge ----

impl std::fmt::Debug for OtpOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OtpOptions")
            .field("secret", &"<redacted>")
            .field("digits", &self.digits)
            .field("ttl_ms", &self.ttl_ms)
            .field("max_attempts", &self.max_attempts)
            .finish()
    }
}

impl std::fmt::Debug for OtpIssue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OtpIssue")
            .field("code", &"<redacted>")
            .field(
                "challenge",
                &format_args!("<{} chars>", self.challenge.len()),
            )
            .finish()
    }
}

impl std::fmt::Debug for OtpCheck {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OtpCheck")
            .field("ok", &self.ok)
            .field("reason", &self.reason)
            .field(
                "challenge",
                &format_args!("<{} chars>", self.challenge.len()),
            )
            .field("attempts_left", &self.attempts_left)
            .finish()
    }
}

impl std::fmt::Debug for OtpSend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OtpSend")
            .field("session", &self.session)
            .field(
                "challenge",
                &format_args!("<{} chars>", self.challenge.len()),
            )
            .finish()
    }
}
