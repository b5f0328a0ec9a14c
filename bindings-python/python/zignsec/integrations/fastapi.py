"""Verify ZignSec webhooks in FastAPI::

    from fastapi import Depends, FastAPI
    from zignsec import WebhookEvent
    from zignsec.integrations.fastapi import WebhookVerifier

    app = FastAPI()
    verifier = WebhookVerifier(WEBHOOK_SECRET)

    @app.post("/zignsec/webhook")
    async def zignsec_webhook(event: WebhookEvent = Depends(verifier)):  # 400 on a bad signature
        return {"status": event.status}
"""

from __future__ import annotations

from fastapi import HTTPException, Request

from .._zignsec import SIGNATURE_HEADER, WebhookEvent, _verify_webhook_at, sign_webhook, verify_webhook
from ..errors import ResponseDecodeError, WebhookSignatureError

__all__ = ["WebhookVerifier"]


class WebhookVerifier:
    """A FastAPI dependency that verifies the request as a ZignSec webhook.

    Use an instance as ``event: WebhookEvent = Depends(verifier)``. It reads the raw
    body (``await request.body()``) and the ``X-ZignSec-Hmac-SHA256`` header; the
    timestamp must be within ``tolerance`` seconds of now. A missing, malformed,
    wrong or stale signature, or a signed body that is not a webhook event, raises
    ``HTTPException(400)``, so the endpoint does not run.
    """

    __slots__ = ("_secret", "_tolerance")

    def __init__(self, secret: str, tolerance: float = 300) -> None:
        if not isinstance(secret, str):
            raise TypeError(f"secret must be a str, got {type(secret).__name__}")
        # Let the core judge the secret and the tolerance now (a ValidationError when
        # the app starts) rather than on every request.
        probe, now = b'{"event":"probe","id":"probe","status":"probe"}', 1_700_000_000
        _verify_webhook_at(probe, sign_webhook(probe, secret, now), secret, tolerance, now)
        self._secret = secret
        self._tolerance = tolerance

    def __repr__(self) -> str:
        # Never the secret.
        return f"WebhookVerifier(tolerance={self._tolerance!r})"

    async def __call__(self, request: Request) -> WebhookEvent:
        body = await request.body()
        header = ",".join(request.headers.getlist(SIGNATURE_HEADER))
        try:
            return verify_webhook(body, header, self._secret, self._tolerance)
        except (WebhookSignatureError, ResponseDecodeError) as exc:
            raise HTTPException(status_code=400, detail=f"invalid ZignSec webhook: {exc}") from None
