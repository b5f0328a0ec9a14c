"""Webhook helpers for web frameworks: ``zignsec.integrations.flask``,
``zignsec.integrations.fastapi`` and ``zignsec.integrations.django``.

Each helper reads the request's raw body (a signature covers the exact bytes the
gateway sent, so a body parsed and re-serialised no longer verifies), checks its
``X-ZignSec-Hmac-SHA256`` header with :func:`zignsec.verify_webhook` and answers
400 on a missing, malformed, wrong or stale signature.

Import the submodule for your framework; this package imports none of them, and
neither does ``import zignsec``.
"""
