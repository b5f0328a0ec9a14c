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


def test_signatures_leave_defaults_to_the_core() -> None:
    """Optional arguments default to None in both clients: the core decides the values
    (the docstrings say them)."""
    assert str(inspect.signature(zignsec.Client.send_sms)) == (
        "(self, /, to, message, from_, max_message_parts=None, relay_state=None, webhook=None)")
    assert str(inspect.signature(zignsec.Client.wait_phone_session)) == (
        "(self, /, session_id, *, timeout=None, poll_interval=None)")
    assert "tolerance=None" in str(inspect.signature(zignsec.verify_webhook))
    assert "default 300" in (zignsec.verify_webhook.__doc__ or "")
    for name in ("send_sms", "send_otp", "start_phone_verification", "start_email_verification",
                 "get_sms_session", "get_phone_session", "get_email_session",
                 "wait_sms_session", "wait_phone_session", "wait_email_session"):
        assert inspect.iscoroutinefunction(getattr(zignsec.AsyncClient, name)), name
        sync = [p for p in inspect.signature(getattr(zignsec.Client, name)).parameters.values()
                if p.kind is not inspect.Parameter.POSITIONAL_ONLY]
        aio = [p for p in inspect.signature(getattr(zignsec.AsyncClient, name)).parameters.values()
               if p.name != "self"]
        assert [(p.name, p.kind, p.default) for p in sync] == [(p.name, p.kind, p.default) for p in aio], name
