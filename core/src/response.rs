//! Turning an answer into a result: the documented JSON on a 2xx, otherwise an
//! error of the status's kind carrying what the gateway said, scrubbed of secrets
//! and personal data.

use serde::de::DeserializeOwned;

use crate::error::{parse_gateway_error, truncate_bytes, Error, ErrorKind, Result, ERROR_BODY_CAP};
use crate::models::Envelope;
use crate::redact;
use crate::transport::{Answer, MAX_RESPONSE_BYTES};

/// What gateway text must not carry into an error: the client's secrets (scrubbed
/// from message and body) and this call's private texts (scrubbed from the message).
pub(crate) struct Scrub<'a> {
    pub(crate) secrets: &'a [String],
    pub(crate) private: &'a [&'a str],
}

impl Scrub<'_> {
    fn body(&self, text: &str) -> String {
        redact::secrets(text, self.secrets)
    }

    pub(crate) fn message(&self, text: &str) -> String {
        let mut out = redact::secrets(text, self.secrets);
        for private in self.private.iter().filter(|p| p.chars().count() >= 4) {
            out = out.replace(private, "<message>");
        }
        redact::personal(&out)
    }
}

pub(crate) fn status_error(answer: &Answer, attempts: u32, scrub: &Scrub<'_>) -> Error {
    let body_text = scrub.body(&String::from_utf8_lossy(&answer.body));
    let parsed = parse_gateway_error(&body_text);
    let kind = ErrorKind::from_status(answer.status);
    let reason = http::StatusCode::from_u16(answer.status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("");
    let mut message = format!("the gateway answered {} {reason}", answer.status)
        .trim_end()
        .to_string();
    if let Some(desc) = &parsed.description {
        message.push_str(": ");
        // Many `errors[]` entries must not make a message of a megabyte.
        message.push_str(&crate::error::truncate_chars(&scrub.message(desc), 1000));
    }
    if let Some(code) = &parsed.code {
        message.push_str(&format!(" (code {})", scrub.message(code)));
    }
    if let (ErrorKind::RateLimited, Some(wait)) = (kind, answer.retry_after) {
        message.push_str(&format!("; retry after {:.0} s", wait.as_secs_f64().ceil()));
    }
    Error::new(kind, message)
        .with_status(answer.status)
        .with_code(parsed.code)
        .with_body(truncate_bytes(&body_text, ERROR_BODY_CAP))
        .with_request_id(answer.request_id.clone())
        .with_attempts(attempts)
        .with_retry_after(answer.retry_after)
}

pub(crate) fn decode_answer<T: DeserializeOwned>(
    answer: &Answer,
    attempts: u32,
    scrub: &Scrub<'_>,
) -> Result<T> {
    let fail = |why: String| {
        Error::decode(format!(
            "the gateway answered {} with a body that is not the documented JSON: {why}",
            answer.status
        ))
        .with_status(answer.status)
        .with_body(truncate_bytes(
            &scrub.body(&String::from_utf8_lossy(&answer.body)),
            ERROR_BODY_CAP,
        ))
        .with_request_id(answer.request_id.clone())
        .with_attempts(attempts)
    };
    if answer.oversized {
        return Err(fail(format!("the body is over {MAX_RESPONSE_BYTES} bytes")));
    }
    if let Some(ct) = &answer.content_type {
        let essence = ct
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if essence != "application/json" && !essence.ends_with("+json") {
            return Err(fail(format!(
                "content type is {ct:?}, not application/json"
            )));
        }
    }
    serde_json::from_slice::<Envelope<T>>(&answer.body)
        .map(|envelope| envelope.data)
        .map_err(|e| fail(scrub.message(&e.to_string())))
}
