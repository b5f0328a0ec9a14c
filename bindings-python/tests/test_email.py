"""Email verification against the mock's hosted email page, session errors and raw,
and WaitTimeoutError.details for email waits."""

from __future__ import annotations

import asyncio

import pytest

import zignsec
from conftest import API_KEY, Mock, play_phone_page

EMAIL = "jane.doe@example.com"
OK = "https://app.example.com/ok"
FAIL = "https://app.example.com/fail"


def start(client: zignsec.Client, **kw: str) -> zignsec.EmailSession:
    return client.start_email_verification(EMAIL, "En", OK, FAIL, **kw)


def test_email_flow_finished(client: zignsec.Client, fresh_mock: Mock) -> None:
    started = start(client, relay_state="user-42")
    assert isinstance(started, zignsec.EmailSession) and not started.is_final
    assert f"/2fa-ui/2fa/email/{started.id}" in started.redirect_url
    state = fresh_mock.session(started.id)
    assert state["kind"] == "email"
    # The email page takes the same form posts as the phone page.
    location = play_phone_page(fresh_mock, started.redirect_url, started.id, wrong_first=True)
    assert location.startswith(OK)
    done = client.wait_email_session(started.id, timeout=10, poll_interval=0.05)
    assert isinstance(done, zignsec.EmailSessionDetails)
    assert done.status == "finished" and done.is_final and done.errors == []
    assert isinstance(done.request, zignsec.EmailRequestData)
    assert done.request.email_address == EMAIL and done.request.locale == "En"
    assert done.request.redirect_success == OK and done.request.relay_state == "user-42"
    assert done.raw["id"] == started.id
    d = done.to_dict()
    assert d["request"]["email_address"] == EMAIL and d["raw"] == done.raw
    assert client.get_email_session(started.id) == done


def test_email_flow_cancelled(client: zignsec.Client, fresh_mock: Mock) -> None:
    started = start(client)
    assert fresh_mock.page_post(started.redirect_url, "cancel").startswith(FAIL)
    done = client.get_email_session(started.id)
    assert done.status == "cancelled" and done.is_final


def test_session_errors_and_raw(client: zignsec.Client, fresh_mock: Mock) -> None:
    started = start(client)
    fresh_mock._call("POST", f"/_mock/sessions/{started.id}/errors",
                     {"errors": [{"code": "user_blocked", "description": "Blocked by policy"}]})
    fresh_mock.force_status(started.id, "failed")
    done = client.get_email_session(started.id)
    assert done.errors == [done.errors[0]] and isinstance(done.errors[0], zignsec.SessionError)
    assert (done.errors[0].code, done.errors[0].description) == ("user_blocked", "Blocked by policy")
    assert done.raw["errors"] == [{"code": "user_blocked", "description": "Blocked by policy"}]
    assert done.to_dict()["errors"] == [{"code": "user_blocked", "description": "Blocked by policy"}]
    sms = client.send_sms("+46701234567", "hi", "ZignSec")
    details = client.get_sms_session(sms.id)
    assert details.errors == [] and details.raw["id"] == sms.id


def test_email_wait_timeout_has_details(client: zignsec.Client) -> None:
    started = start(client)
    with pytest.raises(zignsec.WaitTimeoutError) as info:
        client.wait_email_session(started.id, timeout=0.3, poll_interval=0.05)
    details = info.value.details
    assert isinstance(details, zignsec.EmailSessionDetails) and details.id == started.id
    assert EMAIL not in str(info.value) and EMAIL not in repr(info.value)


def test_email_validation_sends_nothing(client0: zignsec.Client) -> None:
    with pytest.raises(zignsec.ValidationError) as info:
        client0.start_email_verification("not-an-address", "En", OK, FAIL)
    assert info.value.field == "email_address" and info.value.maybe_sent is False
    with pytest.raises(TypeError):
        client0.start_email_verification(EMAIL, None, OK, FAIL)  # type: ignore[arg-type]


def test_email_async(fresh_mock: Mock) -> None:
    async def run() -> zignsec.EmailSessionDetails:
        async with zignsec.AsyncClient(API_KEY, base_url=fresh_mock.url) as c:
            started = await c.start_email_verification(EMAIL, "En", OK, FAIL)
            fresh_mock.force_status(started.id, "finished")
            return await c.wait_email_session(started.id, timeout=5, poll_interval=0.05)

    assert asyncio.run(run()).status == "finished"


def test_normalize_phone() -> None:
    assert zignsec.normalize_phone("070-123 45 67", "SE") == "+46701234567"
    assert zignsec.normalize_phone("+46 70 123 45 67") == "+46701234567"
    with pytest.raises(zignsec.ValidationError) as info:
        zignsec.normalize_phone("070-123 45 67")
    assert info.value.field == "number" and "070-123 45 67" not in str(info.value)
    with pytest.raises(zignsec.ValidationError) as region:
        zignsec.normalize_phone("0701234567", "XX")
    assert region.value.field == "default_region"
    with pytest.raises(TypeError):
        zignsec.normalize_phone(46701234567)  # type: ignore[arg-type]
