"""Verify ZignSec webhooks in Flask::

    from flask import Flask
    from zignsec.integrations.flask import verify_request

    app = Flask(__name__)

    @app.post("/zignsec/webhook")
    def zignsec_webhook():
        event = verify_request(WEBHOOK_SECRET)  # 400 on a bad signature
        return {"status": event.status}
"""

from __future__ import annotations

import flask

from .._zignsec import SIGNATURE_HEADER, WebhookEvent, verify_webhook
from ..errors import ResponseDecodeError, WebhookSignatureError

__all__ = ["verify_request"]


def verify_request(secret: str, tolerance: float = 300) -> WebhookEvent:
    """Verify the current ``flask.request`` as a ZignSec webhook and return its event.

    Reads the raw body (``request.get_data(cache=True)``, so ``request.get_json()``
    still works afterwards) and the ``X-ZignSec-Hmac-SHA256`` header; the timestamp
    must be within ``tolerance`` seconds of now. A missing, malformed, wrong or stale
    signature, or a signed body that is not a webhook event, aborts the request with
    400 (``flask.abort``), so the rest of the view does not run.
    """
    request = flask.request
    body = request.get_data(cache=True)
    header = ",".join(request.headers.getlist(SIGNATURE_HEADER))
    try:
        return verify_webhook(body, header, secret, tolerance)
    except (WebhookSignatureError, ResponseDecodeError) as exc:
        flask.abort(400, description=f"invalid ZignSec webhook: {exc}")
