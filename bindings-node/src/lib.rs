//! The Node.js binding of the zignsec SDK (napi-rs 3).
//!
//! This crate builds the native module the `zignsec` npm package loads through
//! its generated `index.js`. The package's public face is `zignsec.js`, which
//! checks argument types, turns native errors into error classes and redacts the
//! key; the rules themselves (validation, retries, parsing) live in the core.

use std::time::Duration;

use napi::bindgen_prelude::Buffer;
use napi_derive::napi;

mod client;
mod error;
mod models;

pub use client::NativeClient;
pub use models::{
    ClientOptions, PhoneRequestData, PhoneSession, PhoneSessionDetails, SendSmsParams, SmsParts,
    SmsRequestData, SmsSession, SmsSessionDetails, StartPhoneVerificationParams, WaitOptions,
    WebhookEvent,
};

use error::to_napi;
use zignsec::validate;

/// How a message splits into SMS parts (GSM-7 160/153, UCS-2 70/67).
#[napi]
pub fn sms_parts(message: String) -> napi::Result<SmsParts> {
    zignsec::sms_parts(&message)
        .map(Into::into)
        .map_err(error::to_napi)
}

/// Parse a webhook body without checking its signature (see `verifyWebhook`).
#[napi]
pub fn parse_webhook(body: Buffer) -> napi::Result<WebhookEvent> {
    zignsec::parse_webhook(&body)
        .map(WebhookEvent::from)
        .map_err(to_napi)
}

fn tolerance(seconds: Option<f64>) -> napi::Result<Duration> {
    match seconds {
        None => Ok(zignsec::DEFAULT_TOLERANCE),
        Some(s) => validate::tolerance("toleranceS", s).map_err(to_napi),
    }
}

/// Check a webhook's `X-ZignSec-Hmac-SHA256` header against `secret` (timestamp
/// within `toleranceS` seconds of now, default 300), then parse the body.
#[napi]
pub fn verify_webhook(
    body: Buffer,
    signature_header: String,
    secret: String,
    tolerance_s: Option<f64>,
) -> napi::Result<WebhookEvent> {
    let tolerance = tolerance(tolerance_s)?;
    zignsec::verify_webhook(&body, &signature_header, &secret, tolerance)
        .map(WebhookEvent::from)
        .map_err(to_napi)
}

/// `verifyWebhook` against a given clock (`nowS`, unix seconds): for tests.
#[napi]
pub fn verify_webhook_at(
    body: Buffer,
    signature_header: String,
    secret: String,
    tolerance_s: f64,
    now_s: f64,
) -> napi::Result<WebhookEvent> {
    let tolerance = tolerance(Some(tolerance_s))?;
    let now = validate::unix_seconds("nowS", now_s).map_err(to_napi)?;
    zignsec::verify_webhook_at(&body, &signature_header, &secret, tolerance, now)
        .map(WebhookEvent::from)
        .map_err(to_napi)
}

/// The header value the gateway would send for `body` at `timestamp` (unix
/// seconds): `t=<timestamp>,v1=<hex>`. For your own tests.
#[napi]
pub fn sign_webhook(body: Buffer, secret: String, timestamp: f64) -> napi::Result<String> {
    let ts = validate::unix_seconds("timestamp", timestamp).map_err(to_napi)?;
    zignsec::sign_webhook(&body, &secret, ts).map_err(to_napi)
}

/// The `err.code` of every error kind, in API.md's order.
#[napi]
pub fn error_codes() -> Vec<String> {
    zignsec::ErrorKind::ALL
        .iter()
        .map(|k| error::code_of(*k).to_string())
        .collect()
}

/// The prefix of native error messages that carry a zignsec error as JSON.
#[napi]
pub fn error_mark() -> String {
    error::ERROR_MARK.to_string()
}

/// This package's version, as sent in the `User-Agent`.
#[napi]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
