"""Every operation and option of zignsec.Client against the offline gateway."""

from __future__ import annotations

import json
import threading
import time
from typing import Any

import pytest

import zignsec
from conftest import API_KEY, Capture, Mock, play_phone_page

TO = "+46701234567"


def test_send_sms_then_wait_delivered(client: zignsec.Client, fresh_mock: Mock) -> None:
    sms = client.send_sms(TO, "Your code is 12345", "ZignSec")
    assert isinstance(sms, zignsec.SmsSession)
    assert sms.status in ("pending", "dispatched")
    assert sms.is_final is False
    assert fresh_mock.session(sms.id)["kind"] == "sms"

    done = client.wait_sms_session(sms.id, timeout=10, poll_interval=0.05)
    assert isinstance(done, zignsec.SmsSessionDetails)
    assert (done.id, done.status, done.is_final) == (sms.id, "delivered", True)
    assert done.number_of_message_parts == 1
    req = done.request
    assert isinstance(req, zignsec.SmsRequest)
    assert (req.to, req.from_, req.message, req.max_message_parts) == (TO, "ZignSec", "Your code is 12345", 1)
    assert req.relay_state is None and req.webhook is None


def test_send_sms_all_options_recorded(client: zignsec.Client, fresh_mock: Mock) -> None:
    msg = "x" * 200  # two GSM-7 parts
    sms = client.send_sms(
        TO, msg, from_="+123456789", max_message_parts=2, relay_state="user-42",
        webhook="https://example.com/hook",
    )
    recorded = fresh_mock.session(sms.id)["request"]
    assert recorded == {
        "metadata": {"from": "+123456789", "to": TO, "message": msg, "max_message_parts": 2},
        "relay_state": "user-42",
        "webhook": "https://example.com/hook",
    }
    details = client.get_sms_session(sms.id)
    assert details.request.relay_state == "user-42"
    assert details.request.webhook == "https://example.com/hook"
    assert details.request.max_message_parts == 2


def test_send_sms_keyword_arguments(client: zignsec.Client) -> None:
    sms = client.send_sms(to=TO, message="hi", from_="ZignSec", max_message_parts=1, relay_state=None, webhook=None)
    assert sms.id


def test_sms_to_0000_ends_failed(client: zignsec.Client) -> None:
    sms = client.send_sms("+46700000000", "hello", "ZignSec")
    done = client.wait_sms_session(sms.id, timeout=10, poll_interval=0.05)
    assert done.status == "failed" and done.is_final


def test_phone_verification_finished(client: zignsec.Client, fresh_mock: Mock) -> None:
    started = client.start_phone_verification(
        TO, locale="En", redirect_success="https://example.com/ok",
        redirect_failure="https://example.com/no", relay_state="r-1",
        webhook="https://example.com/hook", csrf_token="csrf-abc123",
    )
    assert isinstance(started, zignsec.PhoneSession)
    assert started.redirect_url.startswith(fresh_mock.url)
    assert started.is_final is False
    state = fresh_mock.session(started.id)
    assert state["csrf_token"] == "csrf-abc123"
    assert state["request"] == {
        "locale": "En",
        "metadata": {"phone_number": TO},
        "redirect_success": "https://example.com/ok",
        "redirect_failure": "https://example.com/no",
        "relay_state": "r-1",
        "webhook": "https://example.com/hook",
    }
    location = play_phone_page(fresh_mock, started.redirect_url, started.id, wrong_first=True)
    assert location == "https://example.com/ok"
    done = client.wait_phone_session(started.id, timeout=10, poll_interval=0.05)
    assert isinstance(done, zignsec.PhoneSessionDetails)
    assert (done.status, done.is_final, done.phone_number) == ("finished", True, TO)
    req = done.request
    assert isinstance(req, zignsec.PhoneRequest)
    assert (req.phone_number, req.locale, req.redirect_success, req.redirect_failure, req.relay_state, req.webhook) == (
        TO, "En", "https://example.com/ok", "https://example.com/no", "r-1", "https://example.com/hook")


def test_phone_cancel_and_get(client: zignsec.Client, fresh_mock: Mock) -> None:
    started = client.start_phone_verification(TO)
    assert client.get_phone_session(started.id).status in ("created", "pending")
    fresh_mock.page_post(started.redirect_url, "cancel")
    done = client.wait_phone_session(started.id, timeout=10, poll_interval=0.05)
    assert done.status == "cancelled" and done.is_final
    assert done.request.locale is None


def test_unknown_status_kept_verbatim(client: zignsec.Client, fresh_mock: Mock) -> None:
    sms = client.send_sms(TO, "hi", "ZignSec")
    fresh_mock.force_status(sms.id, "queued_at_operator")
    d = client.get_sms_session(sms.id)
    assert d.status == "queued_at_operator" and d.is_final is False


def test_results_repr_eq_to_dict(client: zignsec.Client) -> None:
    sms = client.send_sms(TO, "hi", "ZignSec")
    assert repr(sms) == f"SmsSession(id={sms.id!r}, status={sms.status!r})"
    a = client.wait_sms_session(sms.id, timeout=10, poll_interval=0.05)
    b = client.get_sms_session(sms.id)
    assert a == b and not (a != b)
    assert a != sms and a != "x"
    d = a.to_dict()
    assert d == {
        "id": sms.id, "status": "delivered", "number_of_message_parts": 1,
        "request": {"from_": "ZignSec", "to": TO, "message": "hi", "max_message_parts": 1,
                    "relay_state": None, "webhook": None},
        "errors": [], "raw": a.raw,
    }
    assert a.raw["id"] == sms.id and a.raw["status"] == "delivered"
    assert json.loads(json.dumps(d)) == d
    assert repr(a).startswith(f"SmsSessionDetails(id={sms.id!r}, status='delivered', number_of_message_parts=1, request={{'from_': 'ZignSec'")
    with pytest.raises(AttributeError):
        a.status = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        hash(a)
    with pytest.raises(TypeError):
        zignsec.SmsSession()  # results are made by the SDK only


def test_repr_and_properties_never_show_key(fresh_mock: Mock) -> None:
    c = zignsec.Client(API_KEY, base_url=fresh_mock.url + "/", timeout=12.5, max_retries=3)
    text = repr(c)
    assert API_KEY not in text and API_KEY not in str(c)
    assert text == (f"Client(base_url={fresh_mock.url!r}, timeout=12.5, max_retries=3, "
                    f"user_agent='zignsec-python/{zignsec.__version__}')")
    assert c.base_url == fresh_mock.url
    assert (c.timeout, c.max_retries, c.closed) == (12.5, 3, False)
    c.close()
    c.close()  # idempotent
    assert c.closed and repr(c).endswith(", closed=True)")
    with pytest.raises(zignsec.ConfigError, match="closed"):
        c.get_sms_session("26f5cc23-dbbb-45bb-a210-2818e70637bd")


def test_context_manager_closes(fresh_mock: Mock) -> None:
    with zignsec.Client(API_KEY, base_url=fresh_mock.url) as c:
        assert isinstance(c, zignsec.Client)
        c.send_sms(TO, "hi", "ZignSec")
    assert c.closed
    with pytest.raises(zignsec.ConfigError):
        c.send_sms(TO, "hi", "ZignSec")


def test_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    c = zignsec.Client("k")
    assert (c.base_url, c.timeout, c.max_retries) == ("https://test-gateway.zignsec.com", 30.0, 2)
    assert zignsec.Client("k", environment="production").base_url == "https://gateway.zignsec.com"
    assert c.user_agent == f"zignsec-python/{zignsec.__version__}"


def test_env_vars_and_precedence(monkeypatch: pytest.MonkeyPatch, fresh_mock: Mock) -> None:
    monkeypatch.setenv("ZIGNSEC_API_KEY", API_KEY)
    monkeypatch.setenv("ZIGNSEC_ENVIRONMENT", "production")
    assert zignsec.Client().base_url == "https://gateway.zignsec.com"
    monkeypatch.setenv("ZIGNSEC_BASE_URL", fresh_mock.url)
    monkeypatch.setenv("ZIGNSEC_TIMEOUT", "7.5")
    monkeypatch.setenv("ZIGNSEC_MAX_RETRIES", "4")
    c = zignsec.Client()
    assert (c.base_url, c.timeout, c.max_retries) == (fresh_mock.url, 7.5, 4)
    # The env key works against the mock (which accepts only API_KEY).
    assert c.send_sms(TO, "hi", "ZignSec").id
    # Explicit options win.
    c2 = zignsec.Client("other-key", base_url="http://127.0.0.1:9", timeout=3, max_retries=0)
    assert (c2.base_url, c2.timeout, c2.max_retries) == ("http://127.0.0.1:9", 3.0, 0)
    with pytest.raises(zignsec.AuthenticationError):
        zignsec.Client("wrong-key").get_sms_session("26f5cc23-dbbb-45bb-a210-2818e70637bd")
    assert zignsec.Client(base_url=None).base_url == fresh_mock.url
    # An explicit environment is explicit: it beats ZIGNSEC_BASE_URL.
    assert zignsec.Client(environment="test").base_url == "https://test-gateway.zignsec.com"
    monkeypatch.setenv("ZIGNSEC_TIMEOUT", "soon")
    with pytest.raises(zignsec.ConfigError, match="ZIGNSEC_TIMEOUT"):
        zignsec.Client()
    monkeypatch.setenv("ZIGNSEC_TIMEOUT", "5")
    monkeypatch.setenv("ZIGNSEC_MAX_RETRIES", "many")
    with pytest.raises(zignsec.ConfigError, match="ZIGNSEC_MAX_RETRIES"):
        zignsec.Client()


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({}, "API key"),
        ({"api_key": ""}, "API key"),
        ({"api_key": "k", "base_url": "http://example.com"}, "http://"),
        ({"api_key": "k", "base_url": "ftp://127.0.0.1"}, "scheme"),
        ({"api_key": "k", "base_url": "not a url"}, "not a URL"),
        ({"api_key": "k", "environment": "staging"}, "environment"),
        ({"api_key": "k", "timeout": 0}, "timeout"),
        ({"api_key": "k", "timeout": -1.0}, "timeout"),
        ({"api_key": "k", "timeout": float("nan")}, "timeout"),
        ({"api_key": "k", "timeout": 10**400}, "timeout"),
        ({"api_key": "k", "connect_timeout": float("inf")}, "connect_timeout"),
        ({"api_key": "k", "max_retries": 11}, "max_retries"),
        ({"api_key": "k", "max_retries": -1}, "max_retries"),
        ({"api_key": "k", "max_retries": 2**70}, "max_retries"),
        ({"api_key": "k\tk"}, "API key"),
    ],
)
def test_config_errors(kwargs: Any, match: str) -> None:
    with pytest.raises(zignsec.ConfigError, match=match) as info:
        zignsec.Client(**kwargs)
    assert info.value.attempts == 0
    if kwargs.get("api_key") not in (None, "", "k"):
        assert str(kwargs["api_key"]) not in str(info.value)


@pytest.mark.parametrize(
    "kwargs, name",
    [
        ({"timeout": -1.0}, "timeout"),
        ({"connect_timeout": 0}, "connect_timeout"),
        ({"max_retries": 11}, "max_retries"),
        ({"auth_scheme": "bearer"}, "auth_scheme"),
    ],
)
def test_a_bad_option_is_named_as_python_spells_it(kwargs: Any, name: str) -> None:
    with pytest.raises(zignsec.ConfigError) as info:
        zignsec.Client("k", **kwargs)
    assert info.value.field == name and str(info.value).startswith(name), str(info.value)


def test_http_loopback_hosts_accepted() -> None:
    for url in ("http://127.0.0.1:1", "http://localhost:1", "http://[::1]:1", "https://example.com"):
        assert zignsec.Client("k", base_url=url).base_url.rstrip("/") == url


def test_user_agent_and_auth_header_on_the_wire(capture: Capture) -> None:
    with zignsec.Client(API_KEY, base_url=capture.url) as c:
        sms = c.send_sms(TO, "hi", "ZignSec")
    assert sms.id == "26f5cc23-dbbb-45bb-a210-2818e70637bd"
    (req,) = capture.requests
    headers = {k.lower(): v for k, v in req["headers"].items()}
    assert headers["user-agent"] == f"zignsec-python/{zignsec.__version__}"
    assert headers["authorization"] == API_KEY
    assert req["path"] == "/core/api/sessions/two_factor_auth/sms"
    assert json.loads(req["body"]) == {
        "metadata": {"from": "ZignSec", "to": TO, "message": "hi", "max_message_parts": 1}
    }


def test_csrf_header_on_the_wire(capture: Capture) -> None:
    capture.body = (b'{"data":{"id":"b653e2c9-0138-434e-99c9-c9333cfb1129",'
                    b'"redirect_url":"https://x.example/p","status":"pending"}}')
    with zignsec.Client(API_KEY, base_url=capture.url) as c:
        p = c.start_phone_verification(TO, csrf_token="tok-1")
    assert p.redirect_url == "https://x.example/p"
    headers = {k.lower(): v for k, v in capture.requests[0]["headers"].items()}
    assert headers["x-csrf-token"] == "tok-1"


def test_gil_released_while_waiting(client: zignsec.Client, fresh_mock: Mock) -> None:
    """A Python thread keeps running while a call waits on a slow gateway."""
    fresh_mock.fault(method="GET", path="/core/api/sessions/", delay_ms=400)
    sms = client.send_sms(TO, "hi", "ZignSec")
    ticks = 0
    stop = threading.Event()

    def spin() -> None:
        nonlocal ticks
        while not stop.is_set():
            ticks += 1
            time.sleep(0.001)

    t = threading.Thread(target=spin)
    t.start()
    before = ticks
    client.get_sms_session(sms.id)
    during = ticks - before
    stop.set()
    t.join()
    assert during > 20, f"the other thread ran only {during} times during a 400 ms call"


def test_key_whitespace_is_trimmed(fresh_mock: Mock) -> None:
    """A file-mounted secret ends in a newline: that is never part of the key."""
    with zignsec.Client(API_KEY + "\n", base_url=fresh_mock.url) as c:
        assert c.send_sms(TO, "hi", "ZignSec").id
