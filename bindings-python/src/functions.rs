//! Module functions: SMS length arithmetic, phone numbers and webhook signatures.

use pyo3::prelude::*;
use zignsec::input;

use crate::convert::Args;
use crate::error::ZsResult;
use crate::models::{SmsParts, WebhookEvent};

/// How ``message`` splits into SMS parts: GSM-7 (160 septets in one part, 153 per
/// part once split; extension characters count two) or UCS-2 (70 / 67 UTF-16 units).
#[pyfunction]
pub(crate) fn sms_parts(message: &Bound<'_, PyAny>) -> ZsResult<SmsParts> {
    let text = Args::new("sms_parts").text(message, "message", "message")?;
    Ok(zignsec::sms_parts(&text)?.into())
}

/// ``number`` in E.164 (``"070-123 45 67"`` with ``default_region="SE"`` →
/// ``"+46701234567"``), judged valid by libphonenumber's metadata. Without
/// ``default_region`` (an ISO 3166-1 alpha-2 code) the number must start with ``+``
/// or ``00``. Raises ``ValidationError`` naming ``number`` or ``default_region``.
#[pyfunction]
#[pyo3(signature = (number, default_region=None))]
pub(crate) fn normalize_phone(
    number: &Bound<'_, PyAny>,
    default_region: Option<&Bound<'_, PyAny>>,
) -> ZsResult<String> {
    let args = Args::new("normalize_phone");
    let number = args.text(number, "number", "number")?;
    let region = args.opt_text(default_region, "default_region", "default_region")?;
    Ok(zignsec::normalize_phone(&number, region.as_deref())?)
}

/// Parse a webhook body (``str`` or ``bytes``) without checking its signature; use
/// ``verify_webhook`` for requests from the network. A body that is not a session
/// event raises ``ResponseDecodeError``.
#[pyfunction]
pub(crate) fn parse_webhook(body: &Bound<'_, PyAny>) -> ZsResult<WebhookEvent> {
    let bytes = Args::new("parse_webhook").body(body, "body")?;
    Ok(zignsec::parse_webhook(&bytes)?.into())
}

/// Check the ``X-ZignSec-Hmac-SHA256`` header of a webhook (``t=<unix seconds>,
/// v1=<hex>``) against your webhook ``secret``, then parse the body. The timestamp
/// must be within ``tolerance`` seconds of now (default 300). Raises
/// ``WebhookSignatureError`` (or ``ResponseDecodeError`` for a correctly signed body
/// that is not an event).
#[pyfunction]
#[pyo3(signature = (body, signature_header, secret, tolerance=None))]
pub(crate) fn verify_webhook(
    body: &Bound<'_, PyAny>,
    signature_header: &Bound<'_, PyAny>,
    secret: &Bound<'_, PyAny>,
    tolerance: Option<&Bound<'_, PyAny>>,
) -> ZsResult<WebhookEvent> {
    let args = Args::new("verify_webhook");
    let bytes = args.body(body, "body")?;
    let header = args.text(signature_header, "signature_header", "signature_header")?;
    let secret = args.text(secret, "secret", "secret")?;
    let tolerance =
        input::webhook_tolerance("tolerance", args.opt_seconds(tolerance, "tolerance")?)?;
    Ok(zignsec::verify_webhook(&bytes, &header, &secret, tolerance)?.into())
}

/// ``verify_webhook`` against a given clock (``now`` in unix seconds); for tests.
#[pyfunction]
pub(crate) fn _verify_webhook_at(
    body: &Bound<'_, PyAny>,
    signature_header: &Bound<'_, PyAny>,
    secret: &Bound<'_, PyAny>,
    tolerance: &Bound<'_, PyAny>,
    now: &Bound<'_, PyAny>,
) -> ZsResult<WebhookEvent> {
    let args = Args::new("_verify_webhook_at");
    let bytes = args.body(body, "body")?;
    let header = args.text(signature_header, "signature_header", "signature_header")?;
    let secret = args.text(secret, "secret", "secret")?;
    let tolerance =
        input::webhook_tolerance("tolerance", args.opt_seconds(Some(tolerance), "tolerance")?)?;
    let now = args.int(now, "now")?;
    Ok(zignsec::verify_webhook_at(&bytes, &header, &secret, tolerance, now)?.into())
}

/// The ``X-ZignSec-Hmac-SHA256`` header value the gateway would send for ``body``
/// at ``timestamp`` (unix seconds): ``t=<timestamp>,v1=<hex>``. For your own tests.
#[pyfunction]
pub(crate) fn sign_webhook(
    body: &Bound<'_, PyAny>,
    secret: &Bound<'_, PyAny>,
    timestamp: &Bound<'_, PyAny>,
) -> ZsResult<String> {
    let args = Args::new("sign_webhook");
    let bytes = args.body(body, "body")?;
    let secret = args.text(secret, "secret", "secret")?;
    let timestamp = args.int(timestamp, "timestamp")?;
    Ok(zignsec::sign_webhook(&bytes, &secret, timestamp)?)
}
