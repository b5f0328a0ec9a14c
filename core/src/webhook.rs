//! Webhook events: parsing, and the `X-ZignSec-Hmac-SHA256` signature scheme
//! (`t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hmac::{Hmac, Mac};
use serde::Serialize;
use serde_json::Value;
use sha2::Sha256;

use crate::error::{Error, Result};

/// The header the gateway signs webhooks in.
pub const SIGNATURE_HEADER: &str = "X-ZignSec-Hmac-SHA256";

/// How far a signature's timestamp may stray from now, by default.
pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(300);

/// A session status change, as the gateway POSTs it to a webhook URL.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WebhookEvent {
    /// The event name (`"status_changed"`); empty when the body has none.
    pub event: String,
    /// The session id.
    pub id: String,
    /// The integration the session belongs to.
    pub integration_id: Option<String>,
    /// The caller's `relay_state`, echoed.
    pub relay_state: Option<String>,
    /// The session status, read from `status` or `result.status`.
    pub status: String,
    /// For SMS sessions: the parts the message was sent in.
    pub number_of_message_parts: Option<u32>,
    /// The whole body as JSON.
    pub raw: Value,
}

fn opt_string(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Parse a webhook body (no signature check: see [`verify_webhook`]).
pub fn parse_webhook(body: &[u8]) -> Result<WebhookEvent> {
    let raw: Value = serde_json::from_slice(body)
        .map_err(|e| Error::decode(format!("webhook body is not JSON: {e}")))?;
    let obj = raw
        .as_object()
        .ok_or_else(|| Error::decode("webhook body is not a JSON object"))?;
    let id = opt_string(obj.get("id"))
        .or_else(|| opt_string(obj.get("session_id")))
        .ok_or_else(|| Error::decode("webhook body has no session `id`"))?;
    let status = opt_string(obj.get("status"))
        .or_else(|| opt_string(obj.get("result").and_then(|r| r.get("status"))))
        .ok_or_else(|| Error::decode("webhook body has no `status` or `result.status`"))?;
    let number_of_message_parts = obj
        .get("number_of_message_parts")
        .or_else(|| {
            obj.get("result")
                .and_then(|r| r.get("number_of_message_parts"))
        })
        .and_then(Value::as_u64)
        .and_then(|n| u32::try_from(n).ok());
    Ok(WebhookEvent {
        event: opt_string(obj.get("event")).unwrap_or_default(),
        id,
        integration_id: opt_string(obj.get("integration_id")),
        relay_state: opt_string(obj.get("relay_state")),
        status,
        number_of_message_parts,
        raw: raw.clone(),
    })
}

fn mac_for(secret: &str, timestamp: i64, body: &[u8]) -> Result<Hmac<Sha256>> {
    if secret.is_empty() {
        return Err(Error::validation("secret", "must not be empty"));
    }
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes())
        .map_err(|_| Error::validation("secret", "is not a usable HMAC key"))?;
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    Ok(mac)
}

/// The header value the gateway would send for `body` at `timestamp`
/// (unix seconds): `t=<timestamp>,v1=<hex>`. For the user's own tests.
pub fn sign_webhook(body: &[u8], secret: &str, timestamp: i64) -> Result<String> {
    let tag = mac_for(secret, timestamp, body)?.finalize().into_bytes();
    Ok(format!("t={timestamp},v1={}", hex::encode(tag)))
}

/// Check a webhook's signature header against `secret`, then parse it.
///
/// Any one of several `v1=` signatures may match. The timestamp must lie within
/// `tolerance` of now.
pub fn verify_webhook(
    body: &[u8],
    signature_header: &str,
    secret: &str,
    tolerance: Duration,
) -> Result<WebhookEvent> {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    verify_webhook_at(body, signature_header, secret, tolerance, now)
}

/// [`verify_webhook`] against a given clock (`now` in unix seconds).
pub fn verify_webhook_at(
    body: &[u8],
    signature_header: &str,
    secret: &str,
    tolerance: Duration,
    now: i64,
) -> Result<WebhookEvent> {
    if secret.is_empty() {
        return Err(Error::validation("secret", "must not be empty"));
    }
    let header = signature_header.trim();
    if header.is_empty() {
        return Err(Error::signature(format!(
            "no signature: the {SIGNATURE_HEADER} header is missing or empty"
        )));
    }
    let mut timestamp: Option<i64> = None;
    let mut signatures: Vec<Vec<u8>> = Vec::new();
    // Empty items (a trailing or doubled comma) are skipped.
    for item in header.split(',').filter(|item| !item.trim().is_empty()) {
        let (key, value) = item.trim().split_once('=').ok_or_else(|| {
            Error::signature("malformed signature header: expected `t=<seconds>,v1=<hex>`")
        })?;
        match key.trim() {
            "t" => {
                if timestamp.is_some() {
                    return Err(Error::signature(
                        "malformed signature header: more than one `t=`",
                    ));
                }
                // Only the canonical text (digits, no sign, no leading zero): the MAC
                // covers the number's text, so there is exactly one text per time.
                let text = value.trim();
                let canonical = !text.is_empty()
                    && text.bytes().all(|b| b.is_ascii_digit())
                    && (text == "0" || !text.starts_with('0'));
                let t = canonical
                    .then(|| text.parse::<i64>().ok())
                    .flatten()
                    .ok_or_else(|| {
                        Error::signature("malformed signature header: `t=` is not unix seconds")
                    })?;
                timestamp = Some(t);
            }
            "v1" => {
                // A v1 that is not hex can never match; it is skipped, not fatal,
                // so a future encoding beside a valid one still verifies.
                if let Ok(sig) = hex::decode(value.trim()) {
                    signatures.push(sig);
                }
            }
            _ => {} // other schemes (v0, v2) are ignored
        }
    }
    let timestamp = timestamp
        .ok_or_else(|| Error::signature("malformed signature header: no `t=` timestamp"))?;
    if signatures.is_empty() {
        return Err(Error::signature(
            "malformed signature header: no hex `v1=` signature",
        ));
    }
    let mac = mac_for(secret, timestamp, body)?;
    // verify_slice compares in constant time.
    let matched = signatures
        .iter()
        .any(|sig| mac.clone().verify_slice(sig).is_ok());
    if !matched {
        return Err(Error::signature(
            "no signature matches: wrong webhook secret, or the body was altered",
        ));
    }
    let age = now.saturating_sub(timestamp).unsigned_abs();
    if age > tolerance.as_secs() {
        return Err(Error::signature(format!(
            "signature timestamp is {age} s from now, outside the {} s tolerance",
            tolerance.as_secs()
        )));
    }
    parse_webhook(body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[test]
    fn sign_then_verify() {
        let body = br#"{"event":"status_changed","id":"x","status":"delivered"}"#;
        let header = sign_webhook(body, "whsec", 1_700_000_000).unwrap();
        let ev =
            verify_webhook_at(body, &header, "whsec", DEFAULT_TOLERANCE, 1_700_000_100).unwrap();
        assert_eq!(ev.status, "delivered");
        let err = verify_webhook_at(body, &header, "other", DEFAULT_TOLERANCE, 1_700_000_100)
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::WebhookSignature);
        let err = verify_webhook_at(body, &header, "whsec", DEFAULT_TOLERANCE, 1_700_000_301)
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::WebhookSignature);
    }
}
