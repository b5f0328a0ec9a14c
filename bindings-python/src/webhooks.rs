//! Module functions: SMS length arithmetic and webhook signatures.

use std::time::Duration;

use pyo3::prelude::*;

use crate::convert::Call;
use crate::error;
use crate::models::{SmsParts, WebhookEvent};

/// How ``message`` splits into SMS parts: GSM-7 (160 septets in one part, 153 per
/// part once split; extension characters count two) or UCS-2 (70 / 67 UTF-16 units).
#[pyfunction]
pub(crate) fn sms_parts(message: &Bound<'_, PyAny>) -> PyResult<SmsParts> {
    let text = Call::new("sms_parts").text(message, "message", "message")?;
    error::check(message.py(), zignsec::sms_parts(&text)).map(SmsParts)
}

/// Parse a webhook body (``str`` or ``bytes``) without checking its signature; use
/// ``verify_webhook`` for requests from the network. A body that is not a session
/// event raises ``ResponseDecodeError``.
#[pyfunction]
pub(crate) fn parse_webhook(body: &Bound<'_, PyAny>) -> PyResult<WebhookEvent> {
    let bytes = Call::new("parse_webhook").body(body, "body")?;
    error::check(body.py(), zignsec::parse_webhook(&bytes)).map(WebhookEvent)
}

/// A tolerance in seconds, by the core's rule (0 to 86400).
fn tolerance(call: &Call, obj: &Bound<'_, PyAny>) -> PyResult<Duration> {
    let secs = call.seconds(obj, "tolerance")?;
    error::check(obj.py(), zignsec::validate::tolerance("tolerance", secs))
}

/// Check the ``X-ZignSec-Hmac-SHA256`` header of a webhook (``t=<unix seconds>,
/// v1=<hex>``) against your webhook ``secret``, then parse the body. The timestamp
/// must be within ``tolerance`` seconds of now. Raises ``WebhookSignatureError``
/// (or ``ResponseDecodeError`` for a correctly signed body that is not an event).
#[pyfunction]
#[pyo3(signature = (body, signature_header, secret, tolerance=None))]
#[pyo3(text_signature = "(body, signature_header, secret, tolerance=300)")]
pub(crate) fn verify_webhook(
    body: &Bound<'_, PyAny>,
    signature_header: &Bound<'_, PyAny>,
    secret: &Bound<'_, PyAny>,
    tolerance: Option<&Bound<'_, PyAny>>,
) -> PyResult<WebhookEvent> {
    let call = Call::new("verify_webhook");
    let bytes = call.body(body, "body")?;
    let header = call.text(signature_header, "signature_header", "signature_header")?;
    let secret = call.text(secret, "secret", "secret")?;
    let tolerance = match tolerance.filter(|t| !t.is_none()) {
        Some(t) => self::tolerance(&call, t)?,
        None => zignsec::DEFAULT_TOLERANCE,
    };
    error::check(
        body.py(),
        zignsec::verify_webhook(&bytes, &header, &secret, tolerance),
    )
    .map(WebhookEvent)
}

/// ``verify_webhook`` against a given clock (``now`` in unix seconds); for tests.
#[pyfunction]
pub(crate) fn _verify_webhook_at(
    body: &Bound<'_, PyAny>,
    signature_header: &Bound<'_, PyAny>,
    secret: &Bound<'_, PyAny>,
    tolerance: &Bound<'_, PyAny>,
    now: &Bound<'_, PyAny>,
) -> PyResult<WebhookEvent> {
    let call = Call::new("_verify_webhook_at");
    let bytes = call.body(body, "body")?;
    let header = call.text(signature_header, "signature_header", "signature_header")?;
    let secret = call.text(secret, "secret", "secret")?;
    let tolerance = self::tolerance(&call, tolerance)?;
    let now = call.int(now, "now")?;
    error::check(
        body.py(),
        zignsec::verify_webhook_at(&bytes, &header, &secret, tolerance, now),
    )
    .map(WebhookEvent)
}

/// The ``X-ZignSec-Hmac-SHA256`` header value the gateway would send for ``body``
/// at ``timestamp`` (unix seconds): ``t=<timestamp>,v1=<hex>``. For your own tests.
#[pyfunction]
pub(crate) fn sign_webhook(
    body: &Bound<'_, PyAny>,
    secret: &Bound<'_, PyAny>,
    timestamp: &Bound<'_, PyAny>,
) -> PyResult<String> {
    let call = Call::new("sign_webhook");
    let bytes = call.body(body, "body")?;
    let secret = call.text(secret, "secret", "secret")?;
    let timestamp = call.int(timestamp, "timestamp")?;
    error::check(body.py(), zignsec::sign_webhook(&bytes, &secret, timestamp))
}
