"""``zignsec.AsyncClient``: the client for asyncio applications."""

from __future__ import annotations

from types import TracebackType
TYPE_CHECKING = False  # `typing` costs ~10 ms of import time; type checkers read this as True
if TYPE_CHECKING:
    from typing import Optional, Type

from ._zignsec import (
    EmailSession,
    EmailSessionDetails,
    Otp,
    OtpSend,
    PhoneSession,
    PhoneSessionDetails,
    SmsSession,
    SmsSessionDetails,
    _AsyncClient,
)

__all__ = ["AsyncClient"]


class AsyncClient:
    """The asyncio ZignSec client: the same options and methods as ``Client``, as
    coroutines.

    Calls run on the client's own Rust I/O threads and never block the event loop;
    there is no thread pool capping how many run at once. Each call's result is
    handed back to the event loop it was awaited on. Cancelling the awaiting task
    abandons the call (a send that already left is not recalled).

    Options left as ``None`` come from the ``ZIGNSEC_*`` environment variables, then
    the defaults (see ``Client``). Use it as ``async with zignsec.AsyncClient() as
    client:`` or call ``close()`` when done.
    """

    __slots__ = ("_native",)

    def __init__(
        self,
        api_key: Optional[str] = None,
        *,
        environment: Optional[str] = None,
        base_url: Optional[str] = None,
        timeout: Optional[float] = None,
        connect_timeout: Optional[float] = None,
        max_retries: Optional[int] = None,
        proxy: Optional[str] = None,
        auth_scheme: Optional[str] = None,
        secondary_api_key: Optional[str] = None,
    ) -> None:
        self._native = _AsyncClient(
            api_key,
            environment=environment,
            base_url=base_url,
            timeout=timeout,
            connect_timeout=connect_timeout,
            max_retries=max_retries,
            proxy=proxy,
            auth_scheme=auth_scheme,
            secondary_api_key=secondary_api_key,
        )

    @property
    def base_url(self) -> str:
        """The base URL calls go to (no trailing slash)."""
        return self._native.base_url

    @property
    def timeout(self) -> float:
        """Seconds one call may take, retries included."""
        return self._native.timeout

    @property
    def max_retries(self) -> int:
        """Retries after the first attempt."""
        return self._native.max_retries

    @property
    def user_agent(self) -> str:
        """The ``User-Agent`` sent with every request (``zignsec-python/<version>``)."""
        return self._native.user_agent

    @property
    def closed(self) -> bool:
        """Whether ``close()`` was called."""
        return self._native.closed

    def close(self) -> None:
        """Release the connection pool and I/O threads; idempotent. Calls still
        running end with ``APIConnectionError`` (a send says ``maybe_sent=True``
        unless it provably never left); later calls raise ``ConfigError``."""
        self._native.close()

    async def aclose(self) -> None:
        """``close()``, as a coroutine."""
        self._native.close()

    async def __aenter__(self) -> "AsyncClient":
        return self

    async def __aexit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        self._native.close()

    def __repr__(self) -> str:
        return self._native.describe()

    # Every optional argument is forwarded as given, ``None`` included: the core
    # decides the defaults, for both clients alike.

    async def send_sms(
        self,
        to: str,
        message: str,
        from_: str,
        max_message_parts: Optional[int] = None,
        relay_state: Optional[str] = None,
        webhook: Optional[str] = None,
    ) -> SmsSession:
        """Send an SMS; see ``Client.send_sms``."""
        return await self._native.send_sms(to, message, from_, max_message_parts, relay_state, webhook)

    async def send_otp(
        self,
        to: str,
        from_: str,
        otp: Otp,
        *,
        template: Optional[str] = None,
        max_message_parts: Optional[int] = None,
        relay_state: Optional[str] = None,
        webhook: Optional[str] = None,
    ) -> OtpSend:
        """Issue a one-time code and send it by SMS; see ``Client.send_otp``."""
        return await self._native.send_otp(
            to,
            from_,
            otp,
            template=template,
            max_message_parts=max_message_parts,
            relay_state=relay_state,
            webhook=webhook,
        )

    async def start_phone_verification(
        self,
        phone_number: str,
        *,
        locale: Optional[str] = None,
        redirect_success: Optional[str] = None,
        redirect_failure: Optional[str] = None,
        relay_state: Optional[str] = None,
        webhook: Optional[str] = None,
        csrf_token: Optional[str] = None,
    ) -> PhoneSession:
        """Start a phone verification; see ``Client.start_phone_verification``."""
        return await self._native.start_phone_verification(
            phone_number,
            locale=locale,
            redirect_success=redirect_success,
            redirect_failure=redirect_failure,
            relay_state=relay_state,
            webhook=webhook,
            csrf_token=csrf_token,
        )

    async def start_email_verification(
        self,
        email_address: str,
        locale: str,
        redirect_success: str,
        redirect_failure: str,
        *,
        relay_state: Optional[str] = None,
        webhook: Optional[str] = None,
        csrf_token: Optional[str] = None,
    ) -> EmailSession:
        """Start an email verification; see ``Client.start_email_verification``."""
        return await self._native.start_email_verification(
            email_address,
            locale,
            redirect_success,
            redirect_failure,
            relay_state=relay_state,
            webhook=webhook,
            csrf_token=csrf_token,
        )

    async def get_sms_session(self, session_id: str) -> SmsSessionDetails:
        """Read an SMS session; see ``Client.get_sms_session``."""
        return await self._native.get_sms_session(session_id)

    async def get_phone_session(self, session_id: str) -> PhoneSessionDetails:
        """Read a phone verification session; see ``Client.get_phone_session``."""
        return await self._native.get_phone_session(session_id)

    async def get_email_session(self, session_id: str) -> EmailSessionDetails:
        """Read an email verification session; see ``Client.get_email_session``."""
        return await self._native.get_email_session(session_id)

    async def wait_sms_session(
        self, session_id: str, *, timeout: Optional[float] = None, poll_interval: Optional[float] = None
    ) -> SmsSessionDetails:
        """Poll an SMS session until it is final; see ``Client.wait_sms_session``."""
        return await self._native.wait_sms_session(session_id, timeout=timeout, poll_interval=poll_interval)

    async def wait_phone_session(
        self, session_id: str, *, timeout: Optional[float] = None, poll_interval: Optional[float] = None
    ) -> PhoneSessionDetails:
        """Poll a phone session until it is final; see ``Client.wait_phone_session``."""
        return await self._native.wait_phone_session(session_id, timeout=timeout, poll_interval=poll_interval)

    async def wait_email_session(
        self, session_id: str, *, timeout: Optional[float] = None, poll_interval: Optional[float] = None
    ) -> EmailSessionDetails:
        """Poll an email session until it is final; see ``Client.wait_email_session``."""
        return await self._native.wait_email_session(session_id, timeout=timeout, poll_interval=poll_interval)
