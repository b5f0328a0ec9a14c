"""The exceptions every zignsec call raises, all under :class:`ZignSecError`.

One class per error kind of the SDK contract (the Rust core decides the kind; the
native module maps every kind to one class here, in ``src/error.rs``)::

    ZignSecError
    ├── ValidationError          (also ValueError)   bad input, nothing was sent
    ├── ConfigError                                  no key, bad base URL or option
    ├── APIStatusError                               any other non-2xx status
    │   ├── BadRequestError                          400
    │   ├── AuthenticationError                      401
    │   ├── PermissionDeniedError                    403
    │   ├── NotFoundError                            404
    │   ├── RateLimitError                           429 (``retry_after``)
    │   └── ServerError                              5xx
    ├── APIConnectionError       (also ConnectionError)  refused, reset, DNS, TLS
    │   └── APITimeoutError      (also TimeoutError)     the call's time ran out
    ├── ResponseDecodeError                          a 2xx body that is not the documented JSON
    ├── WaitTimeoutError                             ``wait_*``: still not final (``details``)
    └── WebhookSignatureError                        missing, malformed, wrong or stale signature

``APITimeoutError`` subclasses ``APIConnectionError`` (as in openai-python), so
``except APIConnectionError`` also catches timeouts; check ``maybe_sent`` on either
to learn whether a send may have reached the gateway.

Every error carries ``status``, ``code`` (the gateway's own error code), ``body``,
``request_id``, ``attempts`` and ``maybe_sent``; each is ``None`` where it does not
apply (``attempts`` is ``0`` when nothing was sent). The message never contains the
API key.
"""

from __future__ import annotations

TYPE_CHECKING = False  # `typing` costs ~10 ms of import time; type checkers read this as True
if TYPE_CHECKING:  # the native module imports this one lazily; no cycle at run time
    from typing import Any, Optional, Union

    from ._zignsec import PhoneSessionDetails, SmsSessionDetails

__all__ = [
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


class ZignSecError(Exception):
    """The root of every error this SDK raises.

    Attributes:
        message: the human-readable message (also ``str(err)``); never holds the API key.
        kind: the contract's stable snake_case kind (``"rate_limited"``, ...).
        status: the HTTP status, when the gateway answered.
        code: the gateway's own error code, when its body carried one.
        body: the raw response body (capped at 8 KiB), when there was one.
        request_id: the ``x-request-id`` response header, when present.
        attempts: requests made (0 when nothing was sent).
        maybe_sent: for sends, whether the request may have reached the gateway
            (so an SMS may be on its way); ``None`` for reads.
    """

    kind: str = "error"

    def __init__(
        self,
        message: str = "",
        *,
        status: Optional[int] = None,
        code: Optional[str] = None,
        body: Optional[str] = None,
        request_id: Optional[str] = None,
        attempts: Optional[int] = None,
        maybe_sent: Optional[bool] = None,
    ) -> None:
        super().__init__(message)
        self.message: str = message
        self.status: Optional[int] = status
        self.code: Optional[str] = code
        self.body: Optional[str] = body
        self.request_id: Optional[str] = request_id
        self.attempts: Optional[int] = attempts
        self.maybe_sent: Optional[bool] = maybe_sent

    def __str__(self) -> str:
        return self.message


class ValidationError(ZignSecError, ValueError):
    """Bad input, caught before anything was sent. ``field`` names the argument
    at fault (``"to"``, ``"from"``, ``"max_message_parts"``, ``"session_id"``...)."""

    kind = "validation"

    def __init__(self, message: str = "", *, field: Optional[str] = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.field: Optional[str] = field


class ConfigError(ZignSecError):
    """The client cannot be used as configured: no API key, an unusable base URL
    (``http://`` is accepted only for loopback hosts), a bad option, or a closed client.
    ``field`` names the option at fault when there is one (``"timeout"``,
    ``"max_retries"``, ``"digits"``...), else ``None``."""

    kind = "config"

    def __init__(self, message: str = "", *, field: Optional[str] = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.field: Optional[str] = field


class APIStatusError(ZignSecError):
    """The gateway answered with a non-2xx status that has no class of its own;
    the base of the classes for 400, 401, 403, 404, 429 and 5xx."""

    kind = "http_status"


class BadRequestError(APIStatusError):
    """HTTP 400: the gateway rejected the request."""

    kind = "bad_request"


class AuthenticationError(APIStatusError):
    """HTTP 401: the API key is missing or wrong."""

    kind = "authentication"


class PermissionDeniedError(APIStatusError):
    """HTTP 403: the key may not do this."""

    kind = "permission_denied"


class NotFoundError(APIStatusError):
    """HTTP 404: unknown session."""

    kind = "not_found"


class RateLimitError(APIStatusError):
    """HTTP 429. ``retry_after`` is the wait the gateway asked for, in seconds
    (``None`` when it did not say)."""

    kind = "rate_limited"

    def __init__(self, message: str = "", *, retry_after: Optional[float] = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after: Optional[float] = retry_after


class ServerError(APIStatusError):
    """HTTP 5xx. A send is never retried after one: the SMS may be out
    (see ``maybe_sent``)."""

    kind = "server"


class APIConnectionError(ZignSecError, ConnectionError):
    """The gateway could not be reached: connection refused or reset, DNS or TLS
    failure. Also a ``ConnectionError``."""

    kind = "connection"


class APITimeoutError(APIConnectionError, TimeoutError):
    """The call's time (``timeout``, retries included) ran out. Also a
    ``TimeoutError``, and an ``APIConnectionError``."""

    kind = "timeout"


class ResponseDecodeError(ZignSecError):
    """A 2xx body that is not the documented JSON (or is over 1 MiB), or a webhook
    body that is not a session event."""

    kind = "decode"


class WaitTimeoutError(ZignSecError):
    """A ``wait_*`` call whose session did not reach a final status in time.
    ``details`` holds the last details read (``None`` if none could be read)."""

    kind = "wait_timeout"

    def __init__(
        self,
        message: str = "",
        *,
        details: Optional[Union["SmsSessionDetails", "PhoneSessionDetails"]] = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(message, **kwargs)
        self.details: Optional[Union["SmsSessionDetails", "PhoneSessionDetails"]] = details


class WebhookSignatureError(ZignSecError):
    """A webhook signature that is missing, malformed, wrong or stale."""

    kind = "webhook_signature"
