//! `zignsec.Otp`: one-time codes issued and checked by the core.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use pyo3::prelude::*;

use crate::convert::Args;
use crate::error::ZsResult;
use crate::models::OtpCheck;

/// A clock for the test hooks: unix milliseconds.
fn at_millis(ms: i64) -> SystemTime {
    UNIX_EPOCH + Duration::from_millis(u64::try_from(ms).unwrap_or(0))
}

/// Issues and checks one-time codes for SMS two-factor login. Build it once from a
/// server-side ``secret`` (``str`` or ``bytes``, at least 16 bytes; use 32 random
/// bytes) and share it. ``digits`` (4 to 10), ``ttl`` (seconds, 1 to 86400) and
/// ``max_attempts`` (1 to 20) left as ``None`` are the core's defaults (6, 300, 5).
/// A bad option raises ``ConfigError`` naming it.
///
/// ``code, challenge = otp.issue(to)``: send ``code`` to the user (or use
/// ``client.send_otp``) and store ``challenge`` server-side (session, database).
/// ``otp.check(challenge, typed, to)`` returns an ``OtpCheck``; store its
/// ``challenge`` back in place of the old one.
#[pyclass(frozen, module = "zignsec", name = "Otp")]
#[derive(Debug)]
pub struct Otp(pub(crate) zignsec::otp::Otp);

#[pymethods]
impl Otp {
    #[new]
    #[pyo3(signature = (secret, *, digits=None, ttl=None, max_attempts=None))]
    fn new(
        secret: &Bound<'_, PyAny>,
        digits: Option<&Bound<'_, PyAny>>,
        ttl: Option<&Bound<'_, PyAny>>,
        max_attempts: Option<&Bound<'_, PyAny>>,
    ) -> ZsResult<Self> {
        let args = Args::new("Otp");
        let secret = args.bytes(secret, "secret", "str or bytes")?;
        let options = zignsec::input::OtpOptionsInput {
            digits: args.opt_whole(digits, "digits")?,
            ttl: args
                .opt_number(ttl, "ttl")?
                .map(zignsec::input::Span::Seconds),
            max_attempts: args.opt_whole(max_attempts, "max_attempts")?,
            spelling: zignsec::OptionSpelling::Snake,
        }
        .into_options()?;
        Ok(Otp(zignsec::otp::Otp::new(secret, options)?))
    }

    /// Digits per code.
    #[getter]
    fn digits(&self) -> u32 {
        self.0.options().digits
    }
    /// Seconds a challenge stays valid.
    #[getter]
    fn ttl(&self) -> f64 {
        self.0.options().ttl.as_secs_f64()
    }
    /// Checks allowed per challenge.
    #[getter]
    fn max_attempts(&self) -> u32 {
        self.0.options().max_attempts
    }

    /// A new code for ``to`` (E.164) and its challenge: ``(code, challenge)``.
    fn issue(&self, to: &Bound<'_, PyAny>) -> ZsResult<(String, String)> {
        let to = Args::new("issue").text(to, "to", "to")?;
        let (code, challenge) = self.0.issue(&to)?;
        Ok((code.expose().to_string(), challenge))
    }

    /// Check the ``code`` the user typed against ``challenge`` for recipient ``to``.
    /// Never raises for a wrong code: see ``OtpCheck.reason``.
    fn check(
        &self,
        challenge: &Bound<'_, PyAny>,
        code: &Bound<'_, PyAny>,
        to: &Bound<'_, PyAny>,
    ) -> ZsResult<OtpCheck> {
        let args = Args::new("check");
        let challenge = args.text(challenge, "challenge", "challenge")?;
        let code = args.text(code, "code", "code")?;
        let to = args.text(to, "to", "to")?;
        Ok(self.0.check(&challenge, &code, &to).into())
    }

    /// ``issue`` with the clock at ``now_ms`` (unix milliseconds); for tests.
    fn _issue_at(
        &self,
        to: &Bound<'_, PyAny>,
        now_ms: &Bound<'_, PyAny>,
    ) -> ZsResult<(String, String)> {
        let args = Args::new("_issue_at");
        let to = args.text(to, "to", "to")?;
        let now = at_millis(args.int(now_ms, "now_ms")?);
        let (code, challenge) = self.0.issue_at(&to, now)?;
        Ok((code.expose().to_string(), challenge))
    }

    /// ``check`` with the clock at ``now_ms`` (unix milliseconds); for tests.
    fn _check_at(
        &self,
        challenge: &Bound<'_, PyAny>,
        code: &Bound<'_, PyAny>,
        to: &Bound<'_, PyAny>,
        now_ms: &Bound<'_, PyAny>,
    ) -> ZsResult<OtpCheck> {
        let args = Args::new("_check_at");
        let challenge = args.text(challenge, "challenge", "challenge")?;
        let code = args.text(code, "code", "code")?;
        let to = args.text(to, "to", "to")?;
        let now = at_millis(args.int(now_ms, "now_ms")?);
        Ok(self.0.check_at(&challenge, &code, &to, now).into())
    }

    fn __repr__(&self) -> String {
        let o = self.0.options();
        format!(
            "Otp(digits={}, ttl={:?}, max_attempts={})",
            o.digits,
            o.ttl.as_secs_f64(),
            o.max_attempts
        )
    }
}
