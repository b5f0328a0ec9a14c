//! `send_otp`: issue a code, put it in the SMS text, send it. Built only on the
//! public `send_sms` of each client, so every send rule (validation, parts,
//! retries, `maybe_sent`) applies unchanged.

use crate::blocking::Client;
use crate::client::AsyncClient;
use crate::error::{Error, ErrorKind, Result};
use crate::models::{SendSms, SmsSession};
use crate::otp::{self, Otp, OtpCode, OtpSend, SendOtp, DEFAULT_TEMPLATE};

impl AsyncClient {
    /// Issue a one-time code for `request.to` with `otp`, send it in
    /// `request.template` (default [`DEFAULT_TEMPLATE`]) and return the SMS session
    /// with the challenge to store. The code is never returned, logged or put in
    /// an error.
    ///
    /// A template without [`CODE_PLACEHOLDER`](otp::CODE_PLACEHOLDER) exactly once is a validation error
    /// on `template`, and nothing is sent (`maybe_sent` is `Some(false)`), as for
    /// every other pre-flight error. A rendered text too long for
    /// `max_message_parts` is also reported on `template`.
    pub async fn send_otp(&self, request: &SendOtp, otp: &Otp) -> Result<OtpSend> {
        let (sms, code, challenge) = prepare(request, otp).map_err(nothing_sent)?;
        let sent = self.send_sms(&sms).await;
        finish(sent, &code, challenge)
    }
}

impl Client {
    /// See [`AsyncClient::send_otp`].
    pub fn send_otp(&self, request: &SendOtp, otp: &Otp) -> Result<OtpSend> {
        let (sms, code, challenge) = prepare(request, otp).map_err(nothing_sent)?;
        let sent = self.send_sms(&sms);
        finish(sent, &code, challenge)
    }
}

/// The SMS to send, the code in it, and the challenge for it.
fn prepare(request: &SendOtp, otp: &Otp) -> Result<(SendSms, OtpCode, String)> {
    let template = request.template.as_deref().unwrap_or(DEFAULT_TEMPLATE);
    // The template is checked before a code exists, so its error cannot hold one.
    otp::render(template, "")?;
    let (code, challenge) = otp.issue(&request.to)?;
    let message = otp::render(template, code.expose())?;
    let sms = SendSms {
        to: request.to.clone(),
        from: request.from.clone(),
        message,
        max_message_parts: request.max_message_parts,
        relay_state: request.relay_state.clone(),
        webhook: request.webhook.clone(),
    };
    Ok((sms, code, challenge))
}

fn finish(sent: Result<SmsSession>, code: &OtpCode, challenge: String) -> Result<OtpSend> {
    match sent {
        Ok(session) => Ok(OtpSend { session, challenge }),
        Err(err) => Err(scrub(err, code)),
    }
}

fn nothing_sent(err: Error) -> Error {
    crate::input::nothing_sent(err)
}

/// Keep the code out of an error from `send_sms`: a gateway may quote the text it
/// refused. The message the caller wrote is the template, so a message error is
/// reported on `template`.
fn scrub(err: Error, code: &OtpCode) -> Error {
    let err = if err.kind() == ErrorKind::Validation && err.field() == Some("message") {
        let detail = err
            .message()
            .strip_prefix("message: ")
            .unwrap_or(err.message())
            .to_string();
        let mut renamed = Error::validation("template", detail).with_attempts(err.attempts());
        renamed.set_maybe_sent(err.maybe_sent());
        renamed
    } else {
        err
    };
    err.redact_text(code.expose(), "<redacted>")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::otp::OtpOptions;

    fn issuer() -> Otp {
        Otp::new("0123456789abcdef0123456789abcdef", OtpOptions::default()).unwrap_or_else(|e| {
            panic!("{e}");
        })
    }

    #[test]
    fn bad_templates_are_refused_before_a_code_exists() {
        let otp = issuer();
        for template in ["no placeholder", "{code} and {code}", ""] {
            let mut req = SendOtp::new("+46701234567", "ZignSec");
            req.template = Some(template.to_string());
            match prepare(&req, &otp).map_err(nothing_sent) {
                Ok(_) => panic!("{template:?} accepted"),
                Err(e) => {
                    assert_eq!(e.kind(), ErrorKind::Validation);
                    assert_eq!(e.field(), Some("template"));
                    assert_eq!(e.maybe_sent(), Some(false));
                }
            }
        }
    }

    #[test]
    fn prepared_sms_carries_the_code_and_the_options() {
        let otp = issuer();
        let mut req = SendOtp::new("+46701234567", "ZignSec");
        req.template = Some("{code} is your ZignSec code".into());
        req.max_message_parts = 2;
        req.relay_state = Some("user-1".into());
        let (sms, code, challenge) = match prepare(&req, &otp) {
            Ok(parts) => parts,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(
            sms.message,
            format!("{} is your ZignSec code", code.expose())
        );
        assert_eq!(sms.to, req.to);
        assert_eq!(sms.from, req.from);
        assert_eq!(sms.max_message_parts, 2);
        assert_eq!(sms.relay_state.as_deref(), Some("user-1"));
        assert!(otp.check(&challenge, code.expose(), &req.to).ok);
    }

    #[test]
    fn errors_never_carry_the_code() {
        let code = match otp::random_code(6) {
            Ok(c) => c,
            Err(e) => panic!("{e}"),
        };
        let err = Error::new(
            ErrorKind::BadRequest,
            format!("message 'Your code is {}' refused", code.expose()),
        )
        .with_body(format!("{{\"text\":\"Your code is {}\"}}", code.expose()));
        let err = scrub(err, &code);
        assert!(!err.message().contains(code.expose()));
        assert!(!err.body().unwrap_or_default().contains(code.expose()));

        let err = scrub(Error::validation("message", "needs 3 SMS parts"), &code);
        assert_eq!(err.field(), Some("template"));
        assert_eq!(err.message(), "template: needs 3 SMS parts");
    }

    #[test]
    fn placeholder_is_the_documented_one() {
        assert!(DEFAULT_TEMPLATE.contains(otp::CODE_PLACEHOLDER));
    }
}
