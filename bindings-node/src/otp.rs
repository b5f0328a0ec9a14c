//! `Otp`: the core's one-time-code issuer. The code is handed to JavaScript only by
//! `issue` (the caller delivers it); the facade keeps it out of `inspect`/`toJSON`.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use napi::bindgen_prelude::Either;
use napi::Env;
use napi_derive::napi;
use zignsec::input::{Number, Span};
use zignsec::otp::{self, Otp};

use crate::error::to_js;
use crate::models::{OtpCheck, OtpIssue, OtpOptions};

/// The native issuer. Use the package's `Otp` class.
#[napi]
#[derive(Debug)]
pub struct NativeOtp {
    inner: Arc<Otp>,
}

fn at(now_ms: f64) -> SystemTime {
    let ms = if now_ms.is_finite() && now_ms >= 0.0 {
        now_ms
    } else {
        0.0
    };
    SystemTime::UNIX_EPOCH + Duration::from_secs_f64(ms / 1000.0)
}

impl From<otp::OtpCheck> for OtpCheck {
    fn from(c: otp::OtpCheck) -> Self {
        OtpCheck {
            ok: c.ok,
            reason: c.reason.as_str().to_string(),
            challenge: c.challenge,
            attempts_left: c.attempts_left,
        }
    }
}

impl NativeOtp {
    pub(crate) fn shared(&self) -> Arc<Otp> {
        Arc::clone(&self.inner)
    }
}

#[napi]
impl NativeOtp {
    /// An issuer; a short secret or an option out of range is a config error.
    #[napi(constructor)]
    pub fn new(env: Env, options: OtpOptions) -> napi::Result<Self> {
        let opts = zignsec::input::OtpOptionsInput {
            digits: options.digits.map(Number::Float),
            ttl: options.ttl_ms.map(|ms| Span::Millis(Number::Float(ms))),
            max_attempts: options.max_attempts.map(Number::Float),
            spelling: zignsec::OptionSpelling::CamelMillis,
        }
        .into_options()
        .map_err(|e| to_js(&env, &e))?;
        let made = match &options.secret {
            Either::A(s) => Otp::new(s.as_bytes(), opts),
            Either::B(b) => Otp::new(&b[..], opts),
        };
        made.map(|o| NativeOtp { inner: Arc::new(o) })
            .map_err(|e| to_js(&env, &e))
    }

    /// Digits per code.
    #[napi(getter)]
    pub fn digits(&self) -> u32 {
        self.inner.options().digits
    }

    /// Challenge lifetime in milliseconds.
    #[napi(getter)]
    pub fn ttl_ms(&self) -> f64 {
        self.inner.options().ttl.as_secs_f64() * 1000.0
    }

    /// Checks allowed per challenge.
    #[napi(getter)]
    pub fn max_attempts(&self) -> u32 {
        self.inner.options().max_attempts
    }

    /// A new code for `to` (E.164) and its challenge.
    #[napi]
    pub fn issue(&self, env: Env, to: String) -> napi::Result<OtpIssue> {
        self.issue_at(env, to, None)
    }

    /// `issue` with the clock set to `nowMs` (unix milliseconds). Test-only.
    #[napi(js_name = "_issueAt")]
    pub fn issue_at(&self, env: Env, to: String, now_ms: Option<f64>) -> napi::Result<OtpIssue> {
        let issued = match now_ms {
            None => self.inner.issue(&to),
            Some(ms) => self.inner.issue_at(&to, at(ms)),
        };
        issued
            .map(|(code, challenge)| OtpIssue {
                code: code.expose().to_string(),
                challenge,
            })
            .map_err(|e| to_js(&env, &e))
    }

    /// Check a typed code against a challenge for `to`; never throws for a wrong code.
    #[napi]
    pub fn check(&self, challenge: String, code: String, to: String) -> OtpCheck {
        self.inner.check(&challenge, &code, &to).into()
    }

    /// `check` with the clock set to `nowMs` (unix milliseconds). Test-only.
    #[napi(js_name = "_checkAt")]
    pub fn check_at(&self, challenge: String, code: String, to: String, now_ms: f64) -> OtpCheck {
        self.inner
            .check_at(&challenge, &code, &to, at(now_ms))
            .into()
    }
}
