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

// ---- loose values, as bindings receive them ----

/// A number as a binding receives it: Python hands over integers, JavaScript and C
/// doubles (which may carry a fraction, NaN or infinity).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number {
    /// A whole number.
    Int(i64),
    /// A double: accepted where a whole number is needed only if it is one exactly.
    Float(f64),
}

impl Number {
    /// The whole number this is, or `None` for fractions, NaN, infinities and
    /// doubles past ±10^15 (beyond exact integers).
    pub fn whole(self) -> Option<i64> {
        match self {
            Number::Int(i) => Some(i),
            Number::Float(f) => {
                (f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15).then_some(f as i64)
            }
        }
    }

    fn as_f64(self) -> f64 {
        match self {
            Number::Int(i) => i as f64,
            Number::Float(f) => f,
        }
    }
}

impl std::fmt::Display for Number {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Number::Int(i) => write!(f, "{i}"),
            Number::Float(x) => write!(f, "{x}"),
        }
    }
}

/// A length of time as a binding receives it: Python in seconds, Node and C in
/// milliseconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Span {
    /// Seconds (fractions allowed).
    Seconds(Number),
    /// Milliseconds (fractions allowed).
    Millis(Number),
}

impl Span {
    fn seconds(self) -> f64 {
        match self {
            Span::Seconds(n) => n.as_f64(),
            Span::Millis(n) => n.as_f64() / 1000.0,
        }
    }

    fn unit(self) -> &'static str {
        match self {
            Span::Seconds(_) => "seconds",
            Span::Millis(_) => "milliseconds",
        }
    }

    fn given(self) -> Number {
        match self {
            Span::Seconds(n) | Span::Millis(n) => n,
        }
    }
}

/// A duration option (timeouts, poll intervals): above 0 and at most a day. The
/// error names `field` as the caller's language spells it.
pub fn duration(field: &str, span: Span) -> Result<std::time::Duration> {
    let secs = span.seconds();
    if secs.is_finite() && secs > 0.0 && secs <= 86_400.0 {
        Ok(std::time::Duration::from_secs_f64(secs))
    } else {
        Err(Error::validation(
            field,
            format!(
                "must be a number of {} above 0 and at most a day, got {}",
                span.unit(),
                span.given()
            ),
        ))
    }
}

/// `wait_*` timeout and poll interval: each checked by [`duration`], `None` for
/// the operation's default. `names` are the two fields as the language spells them.
pub fn wait_durations(
    timeout: Option<Span>,
    poll_interval: Option<Span>,
    names: (&str, &str),
) -> Result<(Option<std::time::Duration>, Option<std::time::Duration>)> {
    Ok((
        timeout.map(|t| duration(names.0, t)).transpose()?,
        poll_interval.map(|p| duration(names.1, p)).transpose()?,
    ))
}

/// A webhook signature tolerance: 0 to a day; `None` is the default, 300 s.
pub fn webhook_tolerance(field: &str, tolerance: Option<Span>) -> Result<std::time::Duration> {
    let Some(span) = tolerance else {
        return Ok(crate::webhook::DEFAULT_TOLERANCE);
    };
    let secs = span.seconds();
    if secs.is_finite() && (0.0..=86_400.0).contains(&secs) {
        Ok(std::time::Duration::from_secs_f64(secs))
    } else {
        Err(Error::validation(
            field,
            format!(
                "must be a number of {} from 0 to a day, got {}",
                span.unit(),
                span.given()
            ),
        ))
    }
}

/// Unix seconds (a webhook timestamp): a whole number.
pub fn unix_seconds(field: &str, value: Number) -> Result<i64> {
    value
        .whole()
        .ok_or_else(|| Error::validation(field, format!("must be whole unix seconds, got {value}")))
}

/// The operations that send something: their pre-send errors carry
/// `maybe_sent = false`; other operations' errors carry no `maybe_sent`.
const SENDS: [&str; 4] = [
    "sendsms",
    "startphoneverification",
    "startemailverification",
    "sendotp",
];

/// Whether `operation`, in any binding's spelling (`send_sms`, `sendSms`,
/// `Client.sendSms`), sends something.
pub fn is_send(operation: &str) -> bool {
    let name = operation.rsplit('.').next().unwrap_or(operation);
    let folded: String = name
        .chars()
        .filter(|c| *c != '_')
        .flat_map(char::to_lowercase)
        .collect();
    SENDS.contains(&folded.as_str())
}

/// The one rule for text that is not valid Unicode (a lone surrogate from Python or
/// JavaScript) given to `operation`: a validation error naming the field; for a
/// send, not sent.
pub fn not_unicode(operation: &str, field: &str) -> Error {
    let err = Error::validation(
        field,
        "must be valid Unicode text (it holds a lone surrogate)",
    );
    if is_send(operation) {
        nothing_sent(err)
    } else {
        err
    }
}

/// `send_sms` as a binding receives it: `max_message_parts` may be a double.
#[derive(Debug, Clone, Default)]
pub struct SendSmsInput {
    /// Recipient.
    pub to: String,
    /// Sender.
    pub from: String,
    /// The text.
    pub message: String,
    /// 1 to 10; `None` is the default, 1.
    pub max_message_parts: Option<Number>,
    /// Echoed reference.
    pub relay_state: Option<String>,
    /// Webhook URL.
    pub webhook: Option<String>,
}

impl SendSmsInput {
    /// The core request, or a validation error (not sent) for a part count that is
    /// not a whole number. The other rules run when the request is sent.
    pub fn into_request(self) -> Result<SendSms> {
        let parts = match self.max_message_parts {
            None => 1,
            Some(n) => n.whole().ok_or_else(|| {
                nothing_sent(Error::validation(
                    "max_message_parts",
                    format!(
                        "must be a whole number from 1 to {}, got {n}",
                        validate::MAX_MESSAGE_PARTS
                    ),
                ))
            })?,
        };
        Ok(SendSms {
            to: self.to,
            from: self.from,
            message: self.message,
            max_message_parts: parts,
            relay_state: self.relay_state,
            webhook: self.webhook,
        })
    }
}

/// Client options as a binding receives them: every field optional (unset ones
/// come from the `ZIGNSEC_*` environment, then the defaults), numbers loose.
#[derive(Debug, Clone, Default)]
pub struct ClientOptions {
    /// `api_key`.
    pub api_key: Option<String>,
    /// `secondary_api_key`.
    pub secondary_api_key: Option<String>,
    /// `auth_scheme`: `"authorization"` or `"product-key"`.
    pub auth_scheme: Option<String>,
    /// `environment`: `"test"` or `"production"`.
    pub environment: Option<String>,
    /// `base_url`.
    pub base_url: Option<String>,
    /// `proxy`: a URL or `"none"`.
    pub proxy: Option<String>,
    /// Total time for one call.
    pub timeout: Option<Span>,
    /// Time to open one connection.
    pub connect_timeout: Option<Span>,
    /// Retries after the first attempt, 0 to 10.
    pub max_retries: Option<Number>,
    /// How the binding's language spells these options in errors.
    pub spelling: crate::OptionSpelling,
}

impl ClientOptions {
    /// A builder with these options, for the SDK `sdk` at `version` (its
    /// `User-Agent`). Bad values are config errors naming the option.
    pub fn into_builder(self, sdk: &str, version: &str) -> Result<crate::ClientBuilder> {
        let spelling = self.spelling;
        // Checked here in the caller's unit, named as the caller's language spells it.
        let span = |option: &str, t: Span| crate::config::duration_option(spelling, option, t);
        let mut b = crate::ClientBuilder::new()
            .sdk(sdk, version)
            .option_spelling(spelling);
        if let Some(v) = self.api_key {
            b = b.api_key(v);
        }
        if let Some(v) = self.secondary_api_key {
            b = b.secondary_api_key(v);
        }
        if let Some(v) = self.auth_scheme {
            b = b.auth_scheme(v);
        }
        if let Some(v) = self.environment {
            b = b.environment(v);
        }
        if let Some(v) = self.base_url {
            b = b.base_url(v);
        }
        if let Some(v) = self.proxy {
            b = b.proxy(v);
        }
        if let Some(t) = self.timeout {
            b = b.timeout(span("timeout", t)?);
        }
        if let Some(t) = self.connect_timeout {
            b = b.connect_timeout(span("connect_timeout", t)?);
        }
        if let Some(n) = self.max_retries {
            let whole = n.whole().ok_or_else(|| {
                crate::config::option_error(
                    spelling,
                    "max_retries",
                    &format!("must be a whole number from 0 to 10, got {n}"),
                )
            })?;
            b = b.max_retries(whole);
        }
        Ok(b)
    }
}

/// One-time-code options as a binding receives them: counts may be doubles, the
/// lifetime in the language's unit. Unset options keep the defaults.
#[derive(Debug, Clone, Copy, Default)]
pub struct OtpOptionsInput {
    /// Digits per code, 4 to 10.
    pub digits: Option<Number>,
    /// How long a challenge is valid, 1 s to 1 day.
    pub ttl: Option<Span>,
    /// Checks allowed per challenge, 1 to 20.
    pub max_attempts: Option<Number>,
    /// How the binding's language spells these options in errors.
    pub spelling: crate::OptionSpelling,
}

impl OtpOptionsInput {
    /// The options, each checked as the caller gave it; the first bad one is a
    /// config error naming it as the caller's language spells it.
    pub fn into_options(self) -> Result<crate::otp::OtpOptions> {
        use crate::config::option_error;
        use crate::otp;
        let spelling = self.spelling;
        let count = |option: &str, n: Number, low: u32, high: u32| {
            n.whole()
                .and_then(|w| u32::try_from(w).ok())
                .filter(|w| (low..=high).contains(w))
                .ok_or_else(|| {
                    option_error(
                        spelling,
                        option,
                        &format!("must be a whole number from {low} to {high}, got {n}"),
                    )
                })
        };
        let mut options = otp::OtpOptions::default();
        if let Some(n) = self.digits {
            options.digits = count("digits", n, otp::MIN_DIGITS, otp::MAX_DIGITS)?;
        }
        if let Some(n) = self.max_attempts {
            options.max_attempts = count(
                "max_attempts",
                n,
                otp::MIN_MAX_ATTEMPTS,
                otp::MAX_MAX_ATTEMPTS,
            )?;
        }
        if let Some(t) = self.ttl {
            let secs = t.seconds();
            let (low, high) = (otp::MIN_TTL.as_secs_f64(), otp::MAX_TTL.as_secs_f64());
            if !(secs.is_finite() && (low..=high).contains(&secs)) {
                let scale = if matches!(t, Span::Millis(_)) {
                    1000.0
                } else {
                    1.0
                };
                return Err(option_error(
                    spelling,
                    "ttl",
                    &format!(
                        "must be a number of {} from {} to {} (1 s to 1 day), got {}",
                        t.unit(),
                        low * scale,
                        high * scale,
                        t.given()
                    ),
                ));
            }
            options.ttl = std::time::Duration::from_secs_f64(secs);
        }
        Ok(options)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ErrorKind, OptionSpelling};

    #[test]
    fn otp_options_are_checked_as_given_and_named_as_spelled() {
        use OptionSpelling::{CamelMillis, Snake, SnakeMillis};
        let fail = |o: OtpOptionsInput| {
            let e = o.into_options().expect_err("a bad option");
            assert_eq!(e.kind(), ErrorKind::Config);
            (e.field().map(str::to_string), e.message().to_string())
        };
        for (n, shown) in [
            (Number::Float(4.5), "4.5"),
            (Number::Int(-1), "-1"),
            (Number::Float(1e10), "10000000000"),
            (Number::Int(11), "11"),
        ] {
            let (field, message) = fail(OtpOptionsInput {
                digits: Some(n),
                ..OtpOptionsInput::default()
            });
            assert_eq!(field.as_deref(), Some("digits"));
            assert!(
                message.ends_with(&format!("from 4 to 10, got {shown}")),
                "{message}"
            );
        }
        let (field, message) = fail(OtpOptionsInput {
            max_attempts: Some(Number::Float(2.5)),
            spelling: CamelMillis,
            ..OtpOptionsInput::default()
        });
        assert_eq!(field.as_deref(), Some("maxAttempts"));
        assert!(
            message.starts_with("maxAttempts: must be a whole number from 1 to 20, got 2.5"),
            "{message}"
        );
        for (spelling, ttl, name, tail) in [
            (
                CamelMillis,
                Span::Millis(Number::Float(0.5)),
                "ttlMs",
                "from 1000 to 86400000 (1 s to 1 day), got 0.5",
            ),
            (
                SnakeMillis,
                Span::Millis(Number::Int(86_400_001)),
                "ttl_ms",
                "got 86400001",
            ),
            (
                Snake,
                Span::Seconds(Number::Float(-3.0)),
                "ttl",
                "from 1 to 86400 (1 s to 1 day), got -3",
            ),
        ] {
            let (field, message) = fail(OtpOptionsInput {
                ttl: Some(ttl),
                spelling,
                ..OtpOptionsInput::default()
            });
            assert_eq!(field.as_deref(), Some(name));
            assert!(
                message.starts_with(&format!("{name}: must be a number of"))
                    && message.ends_with(tail),
                "{message}"
            );
        }
        let ok = OtpOptionsInput {
            digits: Some(Number::Float(8.0)),
            ttl: Some(Span::Millis(Number::Int(60_000))),
            max_attempts: Some(Number::Int(3)),
            spelling: CamelMillis,
        }
        .into_options()
        .expect("valid options");
        assert_eq!((ok.digits, ok.ttl.as_secs(), ok.max_attempts), (8, 60, 3));
        assert_eq!(
            OtpOptionsInput::default()
                .into_options()
                .expect("defaults")
                .digits,
            6
        );
    }

    #[test]
    fn option_errors_name_the_option_as_the_language_spells_it() {
        use OptionSpelling::{CamelMillis, Snake, SnakeMillis};
        let fail = |o: ClientOptions| {
            let e = o
                .into_builder("test", "0")
                .and_then(|b| b.ignore_env().build())
                .expect_err("a bad option");
            assert_eq!(e.kind(), ErrorKind::Config, "{e}");
            (e.field().map(str::to_string), e.message().to_string())
        };
        let with_key = |spelling| ClientOptions {
            api_key: Some("k".into()),
            spelling,
            ..ClientOptions::default()
        };
        for (spelling, span, name, unit) in [
            (
                Snake,
                Span::Seconds(Number::Float(-1.0)),
                "timeout",
                "seconds",
            ),
            (
                CamelMillis,
                Span::Millis(Number::Float(-1.0)),
                "timeoutMs",
                "milliseconds",
            ),
            (
                SnakeMillis,
                Span::Millis(Number::Int(0)),
                "timeout_ms",
                "milliseconds",
            ),
        ] {
            let (field, message) = fail(ClientOptions {
                timeout: Some(span),
                ..with_key(spelling)
            });
            assert_eq!(field.as_deref(), Some(name));
            assert!(
                message.starts_with(&format!("{name}: must be a number of {unit}")),
                "{message}"
            );
        }
        let (field, message) = fail(ClientOptions {
            connect_timeout: Some(Span::Millis(Number::Float(0.0))),
            ..with_key(CamelMillis)
        });
        assert_eq!(field.as_deref(), Some("connectTimeoutMs"), "{message}");
        for n in [Number::Float(1.5), Number::Int(11)] {
            let (field, message) = fail(ClientOptions {
                max_retries: Some(n),
                ..with_key(CamelMillis)
            });
            assert_eq!(field.as_deref(), Some("maxRetries"));
            assert!(
                message.starts_with("maxRetries: must be a whole number from 0 to 10"),
                "{message}"
            );
        }
        let (field, message) = fail(ClientOptions {
            auth_scheme: Some("bearer".into()),
            ..with_key(CamelMillis)
        });
        assert_eq!(field.as_deref(), Some("authScheme"));
        assert!(message.starts_with("authScheme must be"), "{message}");
        let (field, message) = fail(ClientOptions {
            spelling: CamelMillis,
            ..ClientOptions::default()
        });
        assert_eq!(field.as_deref(), Some("apiKey"));
        assert!(
            message.contains("pass apiKey or set ZIGNSEC_API_KEY"),
            "{message}"
        );
        assert_eq!(Snake.name("connect_timeout"), "connect_timeout");
        assert_eq!(SnakeMillis.name("secondary_api_key"), "secondary_api_key");
        assert_eq!(CamelMillis.name("secondary_api_key"), "secondaryApiKey");
    }

    #[test]
    fn numbers_and_spans() {
        assert_eq!(Number::Float(3.0).whole(), Some(3));
        assert_eq!(Number::Float(2.5).whole(), None);
        assert_eq!(Number::Float(f64::NAN).whole(), None);
        assert_eq!(
            duration("timeoutMs", Span::Millis(Number::Float(1500.0))).unwrap(),
            std::time::Duration::from_millis(1500)
        );
        let err = duration("timeoutMs", Span::Millis(Number::Int(0))).unwrap_err();
        assert!(err.to_string().contains("milliseconds"), "{err}");
        assert_eq!(webhook_tolerance("tolerance", None).unwrap().as_secs(), 300);
        assert!(webhook_tolerance("tolerance", Some(Span::Seconds(Number::Int(-1)))).is_err());
    }

    #[test]
    fn send_input_marks_its_errors_not_sent() {
        let err = SendSmsInput {
            max_message_parts: Some(Number::Float(1.5)),
            ..SendSmsInput::default()
        }
        .into_request()
        .unwrap_err();
        assert_eq!(
            (err.kind(), err.field()),
            (ErrorKind::Validation, Some("max_message_parts"))
        );
        assert_eq!(err.maybe_sent(), Some(false));
        assert_eq!(not_unicode("send_sms", "to").maybe_sent(), Some(false));
        assert_eq!(
            not_unicode("Client.sendSms", "to").maybe_sent(),
            Some(false)
        );
        assert_eq!(
            not_unicode("startEmailVerification", "locale").maybe_sent(),
            Some(false)
        );
        assert_eq!(
            not_unicode("get_sms_session", "session_id").maybe_sent(),
            None
        );
        assert_eq!(not_unicode("otp.issue", "to").maybe_sent(), None);
        assert!(is_send("send_otp") && is_send("sendOtp") && !is_send("normalize_phone"));
    }

    #[test]
    fn client_options_become_config_errors() {
        let err = ClientOptions {
            api_key: Some("k".into()),
            max_retries: Some(Number::Float(0.5)),
            ..ClientOptions::default()
        }
        .into_builder("test", "0")
        .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Config);
    }
}
