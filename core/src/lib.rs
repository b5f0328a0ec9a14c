//! # zignsec
//!
//! A client for ZignSec's v5 two-factor APIs: send an SMS, start a phone
//! verification whose user types a 5-digit code on a hosted page, and read a
//! session's status. Typed, thread-safe, and safe to retry: a send is retried
//! only when it provably never left, so no SMS goes out twice.
//!
//! ```no_run
//! let client = zignsec::Client::builder().api_key("my-key").build()?;
//! let sms = client.send_sms(&zignsec::SendSms::new("+46701234567", "ZignSec", "Your code: 12345"))?;
//! let done = client.wait_sms_session(&sms.id, None, None)?;
//! println!("{} is {}", done.id, done.status);
//! # Ok::<(), zignsec::Error>(())
//! ```

#![warn(missing_docs)]

mod async_transport;
mod blocking;
mod blocking_transport;
mod client;
mod config;
mod error;
mod http1;
pub mod input;
mod interrupt;
mod logging;
mod models;
pub mod otp;
mod otp_send;
mod phone;
mod pool;
mod process;
mod proxy;
mod redact;
mod response;
mod retry;
mod sms;
mod transport;
pub mod validate;
mod webhook;

pub use blocking::Client;
pub use client::{
    AsyncClient, DEFAULT_EMAIL_WAIT, DEFAULT_PHONE_WAIT, DEFAULT_POLL_INTERVAL, DEFAULT_SMS_WAIT,
};
pub use config::{
    camel_case, AuthScheme, ClientBuilder, OptionSpelling, DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT, PRODUCTION_BASE_URL, TEST_BASE_URL,
};
pub use error::{
    parse_gateway_error, Error, ErrorKind, GatewayErrorBody, Result, WaitDetails, ERROR_BODY_CAP,
};
pub use logging::log_level_from_env;
pub use models::{
    EmailRequestData, EmailSession, EmailSessionDetails, EmailStatus, PhoneRequestData,
    PhoneSession, PhoneSessionDetails, PhoneStatus, RawJson, SendSms, SessionError, SmsRequestData,
    SmsSession, SmsSessionDetails, SmsStatus, StartEmailVerification, StartPhoneVerification,
};
pub use phone::{normalize_phone, MAX_PHONE_INPUT_CHARS};
pub use redact::mask_email;
pub use retry::{backoff, parse_retry_after, MAX_RETRY_AFTER};
pub use sms::{sms_parts, SmsEncoding, SmsParts};
pub use transport::{MAX_RESPONSE_BYTES, POOL_IDLE_TIMEOUT};
pub use webhook::{
    parse_webhook, sign_webhook, verify_webhook, verify_webhook_at, WebhookEvent,
    DEFAULT_TOLERANCE, SIGNATURE_HEADER,
};

/// This crate's version, as sent in the `User-Agent`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
