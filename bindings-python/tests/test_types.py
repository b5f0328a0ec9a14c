"""Wrong types are TypeErrors naming the parameter; values that are not Unicode
text or not in range are ValidationErrors; nothing is sent either way."""

from __future__ import annotations

from typing import Any, Callable, Dict, Iterator

import pytest

import zignsec
from conftest import Mock

TO = "+46701234567"
ID = "26f5cc23-dbbb-45bb-a210-2818e70637bd"
LONE = "\ud800"


@pytest.fixture
def quiet(fresh_mock: Mock) -> Iterator[zignsec.Client]:
    """A client whose calls must never reach the mock."""
    fresh_mock.reset_stats()
    with zignsec.Client("k", base_url=fresh_mock.url) as c:
        yield c
    assert fresh_mock.requests_total() == 0


TYPE_CASES = [
    ("send_sms", lambda c: c.send_sms(46701234567, "hi", "ZignSec"), "to"),
    ("send_sms", lambda c: c.send_sms(TO, b"hi", "ZignSec"), "message"),
    ("send_sms", lambda c: c.send_sms(TO, "hi", None), "from_"),
    ("send_sms", lambda c: c.send_sms(TO, "hi", "ZignSec", max_message_parts="2"), "max_message_parts"),
    ("send_sms", lambda c: c.send_sms(TO, "hi", "ZignSec", max_message_parts=True), "max_message_parts"),
    ("send_sms", lambda c: c.send_sms(TO, "hi", "ZignSec", relay_state=5), "relay_state"),
    ("send_sms", lambda c: c.send_sms(TO, "hi", "ZignSec", webhook=["https://x"]), "webhook"),
    ("start_phone_verification", lambda c: c.start_phone_verification(None), "phone_number"),
    ("start_phone_verification", lambda c: c.start_phone_verification(TO, locale=1), "locale"),
    ("start_phone_verification", lambda c: c.start_phone_verification(TO, csrf_token=b"x"), "csrf_token"),
    ("start_phone_verification", lambda c: c.start_phone_verification(TO, redirect_success=1), "redirect_success"),
    ("start_phone_verification", lambda c: c.start_phone_verification(TO, redirect_failure=1), "redirect_failure"),
    ("get_sms_session", lambda c: c.get_sms_session(123), "session_id"),
    ("get_phone_session", lambda c: c.get_phone_session(None), "session_id"),
    ("wait_sms_session", lambda c: c.wait_sms_session(ID, timeout="5"), "timeout"),
    ("wait_sms_session", lambda c: c.wait_sms_session(ID, timeout=True), "timeout"),
    ("wait_phone_session", lambda c: c.wait_phone_session(ID, poll_interval=[1]), "poll_interval"),
]


@pytest.mark.parametrize("func, call, param", TYPE_CASES, ids=[f"{f}-{p}" for f, _, p in TYPE_CASES])
def test_type_errors_name_the_parameter(quiet: zignsec.Client, func: str, call: Callable[[Any], Any],
                                        param: str) -> None:
    with pytest.raises(TypeError) as info:
        call(quiet)
    assert not isinstance(info.value, zignsec.ZignSecError)
    assert f"'{param}'" in str(info.value) and func in str(info.value)


def test_missing_and_unknown_arguments(quiet: zignsec.Client) -> None:
    with pytest.raises(TypeError, match="from_"):
        quiet.send_sms(TO, "hi")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="sender"):
        quiet.send_sms(TO, "hi", "ZignSec", sender="x")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        quiet.start_phone_verification(TO, "En")  # type: ignore[call-arg]


@pytest.mark.parametrize("field", ["to", "message", "from"])
def test_lone_surrogates_are_validation_errors(quiet: zignsec.Client, field: str) -> None:
    args: Dict[str, Any] = {"to": TO, "message": "hi", "from_": "ZignSec"}
    args["from_" if field == "from" else field] = "ab" + LONE
    with pytest.raises(zignsec.ValidationError) as info:
        quiet.send_sms(**args)
    assert info.value.field == field and info.value.maybe_sent is False


def test_lone_surrogate_in_optionals_and_ids(quiet: zignsec.Client) -> None:
    for kw in ("locale", "redirect_success", "redirect_failure", "relay_state", "webhook", "csrf_token"):
        with pytest.raises(zignsec.ValidationError) as info:
            quiet.start_phone_verification(TO, **{kw: LONE})
        assert info.value.field == kw
    with pytest.raises(zignsec.ValidationError) as sinfo:
        quiet.get_sms_session(LONE)
    # The core's one rule for text that is not Unicode (input::not_unicode): not sent
    # for a send; a read's errors carry no maybe_sent.
    assert sinfo.value.field == "session_id" and sinfo.value.maybe_sent is None


def test_max_message_parts_values(quiet: zignsec.Client) -> None:
    for bad in (0, 11, -1, 2**63, 2**64, -(2**70), 1.5, float("nan"), float("inf"), 1e300):
        with pytest.raises(zignsec.ValidationError) as info:
            quiet.send_sms(TO, "hi", "ZignSec", max_message_parts=bad)  # type: ignore[arg-type]
        assert info.value.field == "max_message_parts"
        assert info.value.maybe_sent is False


def test_max_message_parts_whole_float_accepted(client: zignsec.Client, fresh_mock: Mock) -> None:
    sms = client.send_sms(TO, "x" * 200, "ZignSec", max_message_parts=2.0)  # type: ignore[arg-type]
    assert fresh_mock.session(sms.id)["request"]["metadata"]["max_message_parts"] == 2


def test_message_too_long_for_parts(quiet: zignsec.Client) -> None:
    with pytest.raises(zignsec.ValidationError) as info:
        quiet.send_sms(TO, "x" * 161, "ZignSec")
    assert info.value.field == "message"


def test_client_option_types() -> None:
    for kwargs, param in (
        ({"api_key": 5}, "api_key"),
        ({"api_key": "k", "environment": 1}, "environment"),
        ({"api_key": "k", "base_url": b"https://x"}, "base_url"),
        ({"api_key": "k", "timeout": "30"}, "timeout"),
        ({"api_key": "k", "timeout": True}, "timeout"),
        ({"api_key": "k", "connect_timeout": "5"}, "connect_timeout"),
        ({"api_key": "k", "max_retries": 1.0}, "max_retries"),
        ({"api_key": "k", "max_retries": False}, "max_retries"),
    ):
        with pytest.raises(TypeError, match=f"'{param}'"):
            zignsec.Client(**kwargs)
        with pytest.raises(TypeError, match=f"'{param}'"):
            zignsec.AsyncClient(**kwargs)
    with pytest.raises(zignsec.ValidationError) as info:
        zignsec.Client(api_key="k" + LONE)
    assert info.value.field == "api_key"
    with pytest.raises(TypeError):
        zignsec.Client("k", "production")  # type: ignore[call-arg]


def test_module_function_types() -> None:
    with pytest.raises(TypeError, match="'message'"):
        zignsec.sms_parts(b"hi")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="'body'"):
        zignsec.parse_webhook(5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="'secret'"):
        zignsec.sign_webhook("{}", None, 1)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="'timestamp'"):
        zignsec.sign_webhook("{}", "s", "1")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="'timestamp'"):
        zignsec.sign_webhook("{}", "s", True)
    with pytest.raises(TypeError, match="'signature_header'"):
        zignsec.verify_webhook("{}", None, "s")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="'tolerance'"):
        zignsec.verify_webhook("{}", "t=1,v1=00", "s", tolerance="300")  # type: ignore[arg-type]
    with pytest.raises(zignsec.ValidationError) as info:
        zignsec.sms_parts(LONE)
    assert info.value.field == "message"
    with pytest.raises(zignsec.ValidationError) as binfo:
        zignsec.parse_webhook('{"id": "' + LONE + '"}')
    assert binfo.value.field == "body"
    with pytest.raises(zignsec.ValidationError) as sinfo:
        zignsec.sign_webhook("{}", "", 1)
    assert sinfo.value.field == "secret"
    for bad in (-1, float("nan"), float("inf")):
        with pytest.raises(zignsec.ValidationError) as tinfo:
            zignsec.verify_webhook("{}", "t=1,v1=00", "s", tolerance=bad)
        assert tinfo.value.field == "tolerance"


def test_webhook_body_kinds() -> None:
    body = '{"event":"status_changed","id":"x","status":"delivered","extra":{"a":[1,2.5,null,true]}}'
    header = zignsec.sign_webhook(body, "s", 1_700_000_000)
    for b in (body, body.encode(), bytearray(body.encode()), memoryview(body.encode())):
        ev = zignsec.parse_webhook(b)
        assert (ev.event, ev.id, ev.status, ev.integration_id, ev.relay_state, ev.number_of_message_parts) == (
            "status_changed", "x", "delivered", None, None, None)
        assert ev.raw == {"event": "status_changed", "id": "x", "status": "delivered",
                          "extra": {"a": [1, 2.5, None, True]}}
        assert zignsec.sign_webhook(b, "s", 1_700_000_000) == header
    ev.raw["id"] = "changed"  # a fresh dict each time: the event stays frozen
    assert ev.raw["id"] == "x"
    assert repr(ev).startswith("WebhookEvent(event='status_changed', id='x'")
    with pytest.raises(zignsec.ResponseDecodeError):
        zignsec.parse_webhook(b"not json")
    with pytest.raises(zignsec.ResponseDecodeError):
        zignsec.parse_webhook("[]")
