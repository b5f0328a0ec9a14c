"""zignsec: ZignSec's v5 two-factor APIs (SMS, phone and email verification) for Python.

Typed, thread-safe and safe to retry: a send is retried only when it provably never
left, so no SMS goes out twice. The work is done by the SDK's Rust core; this
package re-exports its native module ``zignsec._zignsec``.

>>> import zignsec
>>> with zignsec.Client(api_key="...") as client:          # doctest: +SKIP
...     sms = client.send_sms("+46701234567", "Your code is 12345", from_="ZignSec")
...     done = client.wait_sms_session(sms.id)
...     print(done.status)

Logs go to the ``zignsec`` logger of the standard ``logging`` module (records are
redacted: no keys, message text or codes; phone numbers masked). If the
``ZIGNSEC_LOG`` environment variable names a level, the core writes its own records
to stderr instead; ``off`` turns them off.

Clients may be built before ``fork()`` (gunicorn ``--preload``, Celery prefork,
``multiprocessing``): a child builds its own I/O threads and pool on its first call.
At interpreter exit every live client is closed first.
"""

from __future__ import annotations

import atexit as _atexit
import os as _os

from . import _zignsec, errors
from ._async import AsyncClient
from ._zignsec import (
    SIGNATURE_HEADER,
    Client,
    EmailRequestData,
    EmailSession,
    EmailSessionDetails,
    Otp,
    OtpCheck,
    OtpSend,
    PhoneRequest,
    PhoneSession,
    PhoneSessionDetails,
    SmsParts,
    SmsRequest,
    SmsSession,
    SessionError,
    SmsSessionDetails,
    WebhookEvent,
    __version__,
    normalize_phone,
    parse_webhook,
    sign_webhook,
    sms_parts,
    verify_webhook,
)
from .errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConfigError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ResponseDecodeError,
    ServerError,
    ValidationError,
    WaitTimeoutError,
    WebhookSignatureError,
    ZignSecError,
)

# Before the interpreter finalises, close every client and stop the SDK's I/O threads
# from calling into Python (a thread that takes the GIL during finalisation aborts
# the process). Hooks registered after this import run before it.
_atexit.register(_zignsec._at_exit)
if hasattr(_os, "register_at_fork"):
    _os.register_at_fork(after_in_child=_zignsec._after_fork_in_child)

__all__ = [
    "__version__",
    "SIGNATURE_HEADER",
    "Client",
    "AsyncClient",
    "SmsSession",
    "PhoneSession",
    "SmsSessionDetails",
    "PhoneSessionDetails",
    "SmsRequest",
    "PhoneRequest",
    "EmailSession",
    "EmailSessionDetails",
    "EmailRequestData",
    "SessionError",
    "SmsParts",
    "WebhookEvent",
    "Otp",
    "OtpCheck",
    "OtpSend",
    "normalize_phone",
    "sms_parts",
    "parse_webhook",
    "verify_webhook",
    "sign_webhook",
    "errors",
    "ZignSecError",
    "ValidationError",
    "ConfigError",
    "APIStatusError",
    "BadRequestError",
    "AuthenticationError",
    "PermissionDeniedError",
    "NotFoundError",
    "RateLimitError",
    "ServerError",
    "APIConnectionError",
    "APITimeoutError",
    "ResponseDecodeError",
    "WaitTimeoutError",
    "WebhookSignatureError",
]
