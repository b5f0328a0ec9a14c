"""The public surface: names, docstrings, signatures, version."""

from __future__ import annotations

import inspect

import zignsec
import zignsec.errors


def public_members(obj: object) -> list:
    return [n for n in dir(obj) if not n.startswith("_")]


def test_every_public_name_has_a_docstring() -> None:
    missing = []
    for name in zignsec.__all__:
        obj = getattr(zignsec, name)
        if name in ("__version__", "SIGNATURE_HEADER"):
            continue
        if not inspect.getdoc(obj):
            missing.append(name)
        if inspect.isclass(obj) and not issubclass(obj, BaseException):
            for member in public_members(obj):
                if not inspect.getdoc(getattr(obj, member)):
                    missing.append(f"{name}.{member}")
    assert missing == []


def test_exports() -> None:
    assert sorted(zignsec.__all__) == sorted(set(zignsec.__all__))
    for name in zignsec.__all__:
        assert hasattr(zignsec, name), name
    assert zignsec.SmsSession.__module__ == "zignsec"
    assert zignsec.Client.__module__ == "zignsec"
    assert zignsec.__version__ == zignsec._zignsec.CORE_VERSION
    assert zignsec.SIGNATURE_HEADER == "X-ZignSec-Hmac-SHA256"


def test_signatures_show_the_defaults() -> None:
    assert str(inspect.signature(zignsec.Client.send_sms)) == (
        "(self, to, message, from_, max_message_parts=1, relay_state=None, webhook=None)")
    assert str(inspect.signature(zignsec.Client.wait_phone_session)) == (
        "(self, session_id, *, timeout=300.0, poll_interval=1.0)")
    assert "tolerance=300" in str(inspect.signature(zignsec.verify_webhook))
    sync = inspect.signature(zignsec.Client.start_phone_verification)
    aio = inspect.signature(zignsec.AsyncClient.start_phone_verification)
    assert list(sync.parameters) == list(aio.parameters)
    for name in ("send_sms", "start_phone_verification", "get_sms_session", "get_phone_session",
                 "wait_sms_session", "wait_phone_session"):
        assert inspect.iscoroutinefunction(getattr(zignsec.AsyncClient, name)), name
        assert list(inspect.signature(getattr(zignsec.Client, name)).parameters) == list(
            inspect.signature(getattr(zignsec.AsyncClient, name)).parameters), name
