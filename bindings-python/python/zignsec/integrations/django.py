"""Verify ZignSec webhooks in Django::

    from django.conf import settings
    from django.http import JsonResponse
    from django.views.decorators.csrf import csrf_exempt
    from django.views.decorators.http import require_POST
    from zignsec.integrations.django import verify_request

    @csrf_exempt  # the gateway sends no CSRF token; the signature authenticates it
    @require_POST
    def zignsec_webhook(request):
        event = verify_request(request, settings.ZIGNSEC_WEBHOOK_SECRET)  # 400 on a bad signature
        return JsonResponse({"status": event.status})
"""

from __future__ import annotations

from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest

from .._zignsec import SIGNATURE_HEADER, WebhookEvent, verify_webhook
from ..errors import ResponseDecodeError, WebhookSignatureError

__all__ = ["verify_request"]


def verify_request(request: HttpRequest, secret: str, tolerance: float = 300) -> WebhookEvent:
    """Verify a Django ``request`` as a ZignSec webhook and return its event.

    Reads the raw body (``request.body``) and the ``X-ZignSec-Hmac-SHA256`` header;
    the timestamp must be within ``tolerance`` seconds of now. A missing, malformed,
    wrong or stale signature, or a signed body that is not a webhook event, raises
    ``django.core.exceptions.SuspiciousOperation``, which Django answers with 400
    (and logs to the ``django.security.SuspiciousOperation`` logger).
    """
    header = request.headers.get(SIGNATURE_HEADER) or ""
    try:
        return verify_webhook(request.body, header, secret, tolerance)
    except (WebhookSignatureError, ResponseDecodeError) as exc:
        raise SuspiciousOperation(f"invalid ZignSec webhook: {exc}") from None
