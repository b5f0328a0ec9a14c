//! One error type, [`Error`], whose [`ErrorKind`] is one of the fourteen kinds of the
//! contract. Every binding maps these kinds exhaustively to its own errors.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::models::{EmailSessionDetails, PhoneSessionDetails, SmsSessionDetails};

/// What went wrong, in the terms every language shares.
///
/// The set is the contract's and closed, so bindings can map it exhaustively.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// Bad input, caught before anything was sent.
    Validation,
    /// No API key, or an unusable base URL or option.
    Config,
    /// HTTP 400 from the gateway.
    BadRequest,
    /// HTTP 401: missing or wrong API key.
    Authentication,
    /// HTTP 403.
    PermissionDenied,
    /// HTTP 404: unknown session.
    NotFound,
    /// HTTP 429; see [`Error::retry_after`].
    RateLimited,
    /// HTTP 5xx.
    Server,
    /// Any other non-2xx status.
    HttpStatus,
    /// Connection refused or reset, DNS or TLS failure.
    Connection,
    /// The call's time ran out.
    Timeout,
    /// A 2xx body that is not the documented JSON (or is over 1 MiB).
    Decode,
    /// A `wait_*` whose session did not reach a final status in time.
    WaitTimeout,
    /// A webhook signature that is missing, malformed, wrong or stale.
    WebhookSignature,
}

impl ErrorKind {
    /// Every kind, in the contract's order.
    pub const ALL: [ErrorKind; 14] = [
        ErrorKind::Validation,
        ErrorKind::Config,
        ErrorKind::BadRequest,
        ErrorKind::Authentication,
        ErrorKind::PermissionDenied,
        ErrorKind::NotFound,
        ErrorKind::RateLimited,
        ErrorKind::Server,
        ErrorKind::HttpStatus,
        ErrorKind::Connection,
        ErrorKind::Timeout,
        ErrorKind::Decode,
        ErrorKind::WaitTimeout,
        ErrorKind::WebhookSignature,
    ];

    /// A stable snake_case name (`"rate_limited"`), as used in the test vectors.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Validation => "validation",
            ErrorKind::Config => "config",
            ErrorKind::BadRequest => "bad_request",
            ErrorKind::Authentication => "authentication",
            ErrorKind::PermissionDenied => "permission_denied",
            ErrorKind::NotFound => "not_found",
            ErrorKind::RateLimited => "rate_limited",
            ErrorKind::Server => "server",
            ErrorKind::HttpStatus => "http_status",
            ErrorKind::Connection => "connection",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Decode => "decode",
            ErrorKind::WaitTimeout => "wait_timeout",
            ErrorKind::WebhookSignature => "webhook_signature",
        }
    }

    /// The kind an HTTP error status maps to.
    pub fn from_status(status: u16) -> ErrorKind {
        match status {
            400 => ErrorKind::BadRequest,
            401 => ErrorKind::Authentication,
            403 => ErrorKind::PermissionDenied,
            404 => ErrorKind::NotFound,
            429 => ErrorKind::RateLimited,
            500..=599 => ErrorKind::Server,
            _ => ErrorKind::HttpStatus,
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The last details a `wait_*` read before its time ran out.
#[derive(Debug, Clone, PartialEq)]
pub enum WaitDetails {
    /// From `wait_sms_session`.
    Sms(SmsSessionDetails),
    /// From `wait_phone_session`.
    Phone(PhoneSessionDetails),
    /// From `wait_email_session`.
    Email(EmailSessionDetails),
}

/// Bodies kept on an error are cut to this many bytes.
pub const ERROR_BODY_CAP: usize = 8 * 1024;

/// An error from any operation. The message never contains the API key.
///
/// Boxed, so a `Result` stays one pointer wide on the happy path. Safe to log:
/// neither its message nor its `Debug` carries message text, codes, or full phone
/// numbers (`Debug` shows the body's size and only the id and status of details).
#[derive(Clone)]
pub struct Error {
    inner: Box<Inner>,
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let details = self.inner.details.as_deref().map(|d| {
            let (kind, id, status) = match d {
                WaitDetails::Sms(d) => ("Sms", &d.id, d.status.as_str()),
                WaitDetails::Phone(d) => ("Phone", &d.id, d.status.as_str()),
                WaitDetails::Email(d) => ("Email", &d.id, d.status.as_str()),
            };
            format!("{kind} {{ id: {id:?}, status: {status:?} }}")
        });
        f.debug_struct("Error")
            .field("kind", &self.inner.kind)
            .field("message", &self.inner.message)
            .field("field", &self.inner.field)
            .field("status", &self.inner.status)
            .field("code", &self.inner.code)
            .field(
                "body",
                &self
                    .inner
                    .body
                    .as_ref()
                    .map(|b| format!("<{} bytes>", b.len())),
            )
            .field("request_id", &self.inner.request_id)
            .field("attempts", &self.inner.attempts)
            .field("maybe_sent", &self.inner.maybe_sent)
            .field("retry_after", &self.inner.retry_after)
            .field("details", &details)
            .finish()
    }
}

/// A transport error kept as the error's `source()` (shared, so errors stay `Clone`).
type Source = Arc<dyn std::error::Error + Send + Sync>;

#[derive(Clone)]
struct Inner {
    kind: ErrorKind,
    message: String,
    field: Option<String>,
    status: Option<u16>,
    code: Option<String>,
    body: Option<String>,
    request_id: Option<String>,
    attempts: u32,
    maybe_sent: Option<bool>,
    retry_after: Option<Duration>,
    details: Option<Box<WaitDetails>>,
    source: Option<Source>,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error {
            inner: Box::new(Inner {
                kind,
                message: message.into(),
                field: None,
                status: None,
                code: None,
                body: None,
                request_id: None,
                attempts: 0,
                maybe_sent: None,
                retry_after: None,
                details: None,
                source: None,
            }),
        }
    }

    // ---- crate-only builders ----

    pub(crate) fn with_status(mut self, status: u16) -> Error {
        self.inner.status = Some(status);
        self
    }
    pub(crate) fn with_code(mut self, code: Option<String>) -> Error {
        self.inner.code = code;
        self
    }
    pub(crate) fn with_body(mut self, body: String) -> Error {
        self.inner.body = Some(body);
        self
    }
    pub(crate) fn with_request_id(mut self, request_id: Option<String>) -> Error {
        self.inner.request_id = request_id;
        self
    }
    pub(crate) fn with_attempts(mut self, attempts: u32) -> Error {
        self.inner.attempts = attempts;
        self
    }
    pub(crate) fn with_retry_after(mut self, wait: Option<Duration>) -> Error {
        self.inner.retry_after = wait;
        self
    }
    pub(crate) fn with_details(mut self, details: Option<WaitDetails>) -> Error {
        self.inner.details = details.map(Box::new);
        self
    }
    pub(crate) fn with_source(mut self, source: Option<Source>) -> Error {
        self.inner.source = source;
        self
    }
    pub(crate) fn with_field(mut self, field: &str) -> Error {
        self.inner.field = Some(field.to_string());
        self
    }
    /// `secret` replaced by `with` in the message and the body.
    pub(crate) fn redact_text(mut self, secret: &str, with: &str) -> Error {
        if secret.is_empty() {
            return self;
        }
        self.inner.message = self.inner.message.replace(secret, with);
        if let Some(body) = self.inner.body.as_mut() {
            *body = body.replace(secret, with);
        }
        self
    }
    /// Sets whether a send may have reached the gateway.
    pub(crate) fn set_maybe_sent(&mut self, maybe_sent: Option<bool>) {
        self.inner.maybe_sent = maybe_sent;
    }
    /// Marks a send's error as not sent unless it already says otherwise.
    pub(crate) fn unless_known_not_sent(mut self) -> Error {
        self.inner.maybe_sent.get_or_insert(false);
        self
    }

    /// A validation error about `field`.
    pub fn validation(field: &str, message: impl fmt::Display) -> Error {
        let mut e = Error::new(ErrorKind::Validation, format!("{field}: {message}"));
        e.inner.field = Some(field.to_string());
        e
    }

    pub(crate) fn config(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Config, message)
    }

    pub(crate) fn decode(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Decode, message)
    }

    pub(crate) fn signature(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::WebhookSignature, message)
    }

    /// The kind of error.
    pub fn kind(&self) -> ErrorKind {
        self.inner.kind
    }
    /// The human-readable message (also the `Display` form).
    pub fn message(&self) -> &str {
        &self.inner.message
    }
    /// For validation errors: the field at fault (`"to"`, `"max_message_parts"`, …).
    pub fn field(&self) -> Option<&str> {
        self.inner.field.as_deref()
    }
    /// The HTTP status, when the gateway answered.
    pub fn status(&self) -> Option<u16> {
        self.inner.status
    }
    /// The gateway's own error code, when its body carried one.
    pub fn gateway_code(&self) -> Option<&str> {
        self.inner.code.as_deref()
    }
    /// The raw response body, capped at [`ERROR_BODY_CAP`] bytes.
    pub fn body(&self) -> Option<&str> {
        self.inner.body.as_deref()
    }
    /// The `x-request-id` response header.
    pub fn request_id(&self) -> Option<&str> {
        self.inner.request_id.as_deref()
    }
    /// Requests made (0 when nothing was sent).
    pub fn attempts(&self) -> u32 {
        self.inner.attempts
    }
    /// For sends: whether the request may have reached the gateway (so an SMS may
    /// be on its way). `None` for reads and for errors raised before sending.
    pub fn maybe_sent(&self) -> Option<bool> {
        self.inner.maybe_sent
    }
    /// For rate-limit errors: the wait the gateway asked for.
    pub fn retry_after(&self) -> Option<Duration> {
        self.inner.retry_after
    }
    /// For wait-timeout errors: the last details read.
    pub fn wait_details(&self) -> Option<&WaitDetails> {
        self.inner.details.as_deref()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.inner.message)
    }
}

impl std::error::Error for Error {
    /// The transport error behind a connection or timeout error (the socket's or
    /// TLS's `io::Error`); the message already shows it in words.
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.inner
            .source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// Results of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The gateway's description of an error, read from either known body shape:
/// `{"errors":[{"code","description"}]}` or `{"error":{"type","message"}}`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GatewayErrorBody {
    /// `errors[0].code` or `error.type`.
    pub code: Option<String>,
    /// The descriptions of all entries, joined with `"; "`, or `error.message`;
    /// the raw text (trimmed, capped) when the body is not JSON of a known shape.
    pub description: Option<String>,
}

/// Parse a gateway error body. Never fails: unknown shapes fall back to the raw text.
pub fn parse_gateway_error(body: &str) -> GatewayErrorBody {
    use serde_json::Value;
    let text_of = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Null => None,
        other => Some(other.to_string()),
    };
    if let Ok(Value::Object(obj)) = serde_json::from_str::<Value>(body) {
        if let Some(Value::Array(items)) = obj.get("errors") {
            let code = items.first().and_then(|e| e.get("code")).and_then(text_of);
            let descriptions: Vec<String> = items
                .iter()
                .filter_map(|e| {
                    e.get("description")
                        .or_else(|| e.get("message"))
                        .and_then(text_of)
                })
                .collect();
            if code.is_some() || !descriptions.is_empty() {
                return GatewayErrorBody {
                    code,
                    description: (!descriptions.is_empty()).then(|| descriptions.join("; ")),
                };
            }
        }
        if let Some(err) = obj.get("error") {
            match err {
                Value::Object(e) => {
                    let code = e.get("type").or_else(|| e.get("code")).and_then(text_of);
                    let description = e
                        .get("message")
                        .or_else(|| e.get("description"))
                        .and_then(text_of);
                    if code.is_some() || description.is_some() {
                        return GatewayErrorBody { code, description };
                    }
                }
                Value::String(s) => {
                    return GatewayErrorBody {
                        code: None,
                        description: Some(s.clone()),
                    }
                }
                _ => {}
            }
        }
        if let Some(msg) = obj.get("message").and_then(text_of) {
            return GatewayErrorBody {
                code: None,
                description: Some(msg),
            };
        }
    }
    let trimmed = body.trim();
    GatewayErrorBody {
        code: None,
        description: (!trimmed.is_empty()).then(|| truncate_chars(trimmed, 200)),
    }
}

/// Cut `s` to at most `max` characters, marking the cut with `…`.
pub(crate) fn truncate_chars(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

/// Cut `s` to at most `max` bytes on a character boundary.
pub(crate) fn truncate_bytes(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s[..end].to_string()
}
