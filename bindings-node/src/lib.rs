//! The Node.js binding of the zignsec SDK (napi-rs 3).
//!
//! This crate builds the native module the `zignsec` npm package loads through
//! its generated `binding.js`. The package's public face is `index.js`, which
//! checks argument types, maps native errors to error classes and redacts the key
//! and codes; the rules themselves (validation, retries, parsing) live in the core.

use napi::bindgen_prelude::Buffer;
use napi::Env;
use napi_derive::napi;

mod client;
mod error;
mod models;
mod otp;

pub use client::NativeClient;
pub use error::ErrorInfo;
pub use models::*;
pub use otp::NativeOtp;

use error::to_js;
use zignsec::input::{self, Number, Span};

/// How a message splits into SMS parts (GSM-7 160/153, UCS-2 70/67).
#[napi]
pub fn sms_parts(env: Env, message: String) -> napi::Result<SmsParts> {
    zignsec::sms_parts(&message)
        .map(Into::into)
        .map_err(|e| to_js(&env, &e))
}

/// A phone number in E.164 (`'070-123 45 67'` with `'SE'` → `'+46701234567'`),
/// judged valid by libphonenumber's metadata; else a validation error on `number`.
#[napi]
pub fn normalize_phone(
    env: Env,
    number: String,
    default_region: Option<String>,
) -> napi::Result<String> {
    zignsec::normalize_phone(&number, default_region.as_deref()).map_err(|e| to_js(&env, &e))
}

/// Parse a webhook body without checking its signature (see `verifyWebhook`).
#[napi]
pub fn parse_webhook(env: Env, body: Buffer) -> napi::Result<WebhookEvent> {
    zignsec::parse_webhook(&body)
        .map(WebhookEvent::from)
        .map_err(|e| to_js(&env, &e))
}

/// Check a webhook's `X-ZignSec-Hmac-SHA256` header against `secret` (timestamp
/// within `toleranceS` seconds of now, default 300), then parse the body.
#[napi]
pub fn verify_webhook(
    env: Env,
    body: Buffer,
    signature_header: String,
    secret: String,
    tolerance_s: Option<f64>,
) -> napi::Result<WebhookEvent> {
    let tolerance = tolerance_s.map(|s| Span::Seconds(Number::Float(s)));
    input::webhook_tolerance("toleranceS", tolerance)
        .and_then(|t| zignsec::verify_webhook(&body, &signature_header, &secret, t))
        .map(WebhookEvent::from)
        .map_err(|e| to_js(&env, &e))
}

/// `verifyWebhook` against a given clock (`nowS`, unix seconds): for tests.
#[napi]
pub fn verify_webhook_at(
    env: Env,
    body: Buffer,
    signature_header: String,
    secret: String,
    tolerance_s: f64,
    now_s: f64,
) -> napi::Result<WebhookEvent> {
    let tolerance = Span::Seconds(Number::Float(tolerance_s));
    input::webhook_tolerance("toleranceS", Some(tolerance))
        .and_then(|t| Ok((t, input::unix_seconds("nowS", Number::Float(now_s))?)))
        .and_then(|(t, now)| zignsec::verify_webhook_at(&body, &signature_header, &secret, t, now))
        .map(WebhookEvent::from)
        .map_err(|e| to_js(&env, &e))
}

/// The header value the gateway would send for `body` at `timestamp` (unix
/// seconds): `t=<timestamp>,v1=<hex>`. For your own tests.
#[napi]
pub fn sign_webhook(
    env: Env,
    body: Buffer,
    secret: String,
    timestamp: f64,
) -> napi::Result<String> {
    input::unix_seconds("timestamp", Number::Float(timestamp))
        .and_then(|ts| zignsec::sign_webhook(&body, &secret, ts))
        .map_err(|e| to_js(&env, &e))
}

/// The error for text that is not valid Unicode (a lone surrogate) in `field` of
/// `operation`: the core's rule, thrown. The facade calls it when a string is not
/// well formed.
#[napi]
pub fn throw_not_unicode(env: Env, operation: String, field: String) -> napi::Result<()> {
    Err(to_js(&env, &input::not_unicode(&operation, &field)))
}

/// The `err.code` of every error kind, in docs/CONTRACT.md's order.
#[napi]
pub fn error_codes() -> Vec<String> {
    zignsec::ErrorKind::ALL
        .iter()
        .map(|k| error::code_of(*k).to_string())
        .collect()
}

/// The header ZignSec signs webhooks in (`X-ZignSec-Hmac-SHA256`).
#[napi]
pub const SIGNATURE_HEADER: &str = zignsec::SIGNATURE_HEADER;

/// This package's version, as sent in the `User-Agent`.
#[napi]
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
