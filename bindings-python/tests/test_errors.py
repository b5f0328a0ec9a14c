"""Every exception class, its attributes, and the kind -> class mapping."""

from __future__ import annotations

import pickle
import socket
import time
from typing import Type

import pytest

import zignsec
import zignsec.errors
from conftest import API_KEY, Mock

TO = "+46701234567"
SMS_PATH = "/core/api/sessions/two_factor_auth/sms"
SESSIONS = "/core/api/sessions/"
UNKNOWN_ID = "26f5cc23-dbbb-45bb-a210-2818e70637bd"


def assert_no_key(err: BaseException) -> None:
    for text in (str(err), repr(err), str(err.args), repr(vars(err))):
        assert API_KEY not in text


def test_hierarchy() -> None:
    e = zignsec
    assert issubclass(e.ValidationError, ValueError)
    assert issubclass(e.APIConnectionError, ConnectionError)
    assert issubclass(e.APITimeoutError, TimeoutError)
    assert issubclass(e.APITimeoutError, e.APIConnectionError)
    for cls in (e.BadRequestError, e.AuthenticationError, e.PermissionDeniedError,
                e.NotFoundError, e.RateLimitError, e.ServerError):
        assert issubclass(cls, e.APIStatusError)
    for name in zignsec.errors.__all__:
        cls = getattr(zignsec.errors, name)
        assert getattr(zignsec, name) is cls
        assert issubclass(cls, e.ZignSecError)
        assert cls.__doc__


def test_every_core_kind_has_its_own_class() -> None:
    mapping = zignsec._zignsec._error_classes()
    assert len(mapping) == 14
    names = [cls for _, cls in mapping]
    assert len(set(names)) == 14 and "ZignSecError" not in names
    for kind, cls_name in mapping:
        cls = getattr(zignsec.errors, cls_name)
        assert cls.kind == kind


def test_errors_constructible_and_picklable() -> None:
    err = zignsec.RateLimitError("slow down", status=429, retry_after=2.5, attempts=1)
    assert (str(err), err.status, err.retry_after, err.attempts, err.code) == ("slow down", 429, 2.5, 1, None)
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is zignsec.RateLimitError and back.retry_after == 2.5 and str(back) == "slow down"
    t = zignsec.APITimeoutError("late", maybe_sent=True)
    assert isinstance(t, TimeoutError) and t.maybe_sent is True and str(t) == "late"


@pytest.mark.parametrize(
    "status, cls",
    [
        (400, zignsec.BadRequestError),
        (403, zignsec.PermissionDeniedError),
        (404, zignsec.NotFoundError),
        (500, zignsec.ServerError),
        (503, zignsec.ServerError),
        (418, zignsec.APIStatusError),
    ],
)
def test_status_faults_on_send(client0: zignsec.Client, fresh_mock: Mock, status: int,
                               cls: Type[zignsec.APIStatusError]) -> None:
    body = '{"errors":[{"code":"some_code","description":"the gateway says no"}]}'
    fresh_mock.fault(method="POST", path=SMS_PATH, status=status, body=body)
    with pytest.raises(cls) as info:
        client0.send_sms(TO, "hi", "ZignSec")
    err = info.value
    assert type(err) is cls
    assert err.status == status
    assert err.code == "some_code"
    assert err.body == body
    assert "the gateway says no" in str(err)
    assert err.request_id  # the mock sends x-request-id
    assert err.attempts == 1
    # A 4xx answer means the gateway refused the SMS; after a 5xx it may be out.
    assert err.maybe_sent is (status >= 500)
    assert_no_key(err)


def test_server_error_on_send_is_never_retried(client: zignsec.Client, fresh_mock: Mock) -> None:
    fresh_mock.fault(method="POST", path=SMS_PATH, status=500, count=3)
    with pytest.raises(zignsec.ServerError) as info:
        client.send_sms(TO, "hi", "ZignSec")
    assert info.value.attempts == 1
    assert info.value.maybe_sent is True


def test_server_error_on_read_is_retried(fresh_mock: Mock) -> None:
    with zignsec.Client(API_KEY, base_url=fresh_mock.url, max_retries=1) as c:
        sms = c.send_sms(TO, "hi", "ZignSec")
        fresh_mock.fault(method="GET", path=SESSIONS, status=502, count=2)
        with pytest.raises(zignsec.ServerError) as info:
            c.get_sms_session(sms.id)
        assert info.value.attempts == 2
        assert info.value.maybe_sent is None
        fresh_mock.fault(method="GET", path=SESSIONS, status=503, count=1)
        assert c.get_sms_session(sms.id).id == sms.id  # second attempt succeeds


def test_authentication_wrong_key(fresh_mock: Mock) -> None:
    wrong = "sk_wrong_0123456789"
    with zignsec.Client(wrong, base_url=fresh_mock.url) as c:
        with pytest.raises(zignsec.AuthenticationError) as info:
            c.send_sms(TO, "hi", "ZignSec")
    err = info.value
    assert err.status == 401 and err.attempts == 1 and err.code
    for text in (str(err), repr(err), str(vars(err))):
        assert wrong not in text


def test_not_found_on_read(client0: zignsec.Client) -> None:
    with pytest.raises(zignsec.NotFoundError) as info:
        client0.get_phone_session(UNKNOWN_ID)
    assert info.value.status == 404 and info.value.maybe_sent is None


def test_rate_limit_retry_after(client0: zignsec.Client, fresh_mock: Mock) -> None:
    fresh_mock.fault(method="POST", path=SMS_PATH, status=429, retry_after=7)
    with pytest.raises(zignsec.RateLimitError) as info:
        client0.send_sms(TO, "hi", "ZignSec")
    err = info.value
    assert err.status == 429 and err.retry_after == 7.0 and err.attempts == 1
    assert err.maybe_sent is False  # a 429 means the gateway did not take it


def test_rate_limit_is_retried_for_sends(client: zignsec.Client, fresh_mock: Mock) -> None:
    fresh_mock.fault(method="POST", path=SMS_PATH, status=429, retry_after=0, count=1)
    assert client.send_sms(TO, "hi", "ZignSec").id


def test_dropped_connection(client0: zignsec.Client, fresh_mock: Mock) -> None:
    fresh_mock.fault(method="POST", path=SMS_PATH, drop=True)
    with pytest.raises(zignsec.APIConnectionError) as info:
        client0.send_sms(TO, "hi", "ZignSec")
    err = info.value
    assert isinstance(err, ConnectionError)
    assert type(err) in (zignsec.APIConnectionError, zignsec.APITimeoutError)
    assert err.maybe_sent is True  # the request had left
    assert err.status is None
    assert_no_key(err)


def test_connection_refused_is_retried_and_not_sent() -> None:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    with zignsec.Client(API_KEY, base_url=f"http://127.0.0.1:{port}", max_retries=1, timeout=10) as c:
        with pytest.raises(zignsec.APIConnectionError) as info:
            c.send_sms(TO, "hi", "ZignSec")
    err = info.value
    assert type(err) is zignsec.APIConnectionError
    assert err.maybe_sent is False and err.attempts == 2


def test_timeout(fresh_mock: Mock) -> None:
    fresh_mock.fault(method="POST", path=SMS_PATH, delay_ms=2000)
    with zignsec.Client(API_KEY, base_url=fresh_mock.url, timeout=0.3) as c:
        started = time.monotonic()
        with pytest.raises(zignsec.APITimeoutError) as info:
            c.send_sms(TO, "hi", "ZignSec")
        assert time.monotonic() - started < 1.5
    err = info.value
    assert isinstance(err, TimeoutError) and isinstance(err, ConnectionError)
    assert err.maybe_sent is True
    assert_no_key(err)


@pytest.mark.parametrize("body", ["this is not json", '{"data": 5}', '{"nodata": {}}'])
def test_decode_error(client0: zignsec.Client, fresh_mock: Mock, body: str) -> None:
    fresh_mock.fault(method="POST", path=SMS_PATH, status=200, body=body)
    with pytest.raises(zignsec.ResponseDecodeError) as info:
        client0.send_sms(TO, "hi", "ZignSec")
    assert info.value.status == 200


def test_oversized_body_is_decode_error(client0: zignsec.Client, fresh_mock: Mock) -> None:
    fresh_mock.fault(method="GET", path=SESSIONS, status=200, body_bytes=2 * 1024 * 1024)
    with pytest.raises(zignsec.ResponseDecodeError):
        client0.get_sms_session(UNKNOWN_ID)


def test_wait_timeout_carries_details(client: zignsec.Client, fresh_mock: Mock) -> None:
    sms = client.send_sms(TO, "hi", "ZignSec")
    fresh_mock.force_status(sms.id, "dispatched")
    with pytest.raises(zignsec.WaitTimeoutError) as info:
        client.wait_sms_session(sms.id, timeout=0.4, poll_interval=0.05)
    err = info.value
    assert isinstance(err.details, zignsec.SmsSessionDetails)
    assert err.details.id == sms.id and err.details.status == "dispatched"
    assert "dispatched" in str(err)

    phone = client.start_phone_verification(TO)
    with pytest.raises(zignsec.WaitTimeoutError) as pinfo:
        client.wait_phone_session(phone.id, timeout=0.3, poll_interval=0.05)
    assert isinstance(pinfo.value.details, zignsec.PhoneSessionDetails)
    assert pinfo.value.details.status in ("created", "pending")


def test_wait_timeout_without_details(fresh_mock: Mock) -> None:
    fresh_mock.fault(method="GET", path=SESSIONS, delay_ms=1500)
    with zignsec.Client(API_KEY, base_url=fresh_mock.url, timeout=5) as c:
        with pytest.raises(zignsec.WaitTimeoutError) as info:
            c.wait_sms_session(UNKNOWN_ID, timeout=0.3, poll_interval=0.05)
    assert info.value.details is None


def test_validation_error_attributes(client: zignsec.Client, fresh_mock: Mock) -> None:
    fresh_mock.reset_stats()
    with pytest.raises(zignsec.ValidationError) as info:
        client.send_sms("12345", "hi", "ZignSec")
    err = info.value
    assert isinstance(err, ValueError)
    assert (err.field, err.maybe_sent, err.attempts, err.status) == ("to", False, 0, None)
    with pytest.raises(zignsec.ValidationError) as rinfo:
        client.get_sms_session("../../etc/passwd")
    assert rinfo.value.field == "session_id" and rinfo.value.maybe_sent is None
    for bad in (0, -1.0, float("nan"), float("inf"), 86401):
        with pytest.raises(zignsec.ValidationError) as winfo:
            client.wait_sms_session(UNKNOWN_ID, timeout=bad)
        assert winfo.value.field == "timeout"
        with pytest.raises(zignsec.ValidationError) as pinfo:
            client.wait_phone_session(UNKNOWN_ID, poll_interval=bad)
        assert pinfo.value.field == "poll_interval"
    assert fresh_mock.requests_total() == 0


def test_webhook_signature_error() -> None:
    with pytest.raises(zignsec.WebhookSignatureError) as info:
        zignsec.verify_webhook('{"id":"x","status":"delivered"}', "t=1,v1=00", "secret")
    assert info.value.status is None and info.value.attempts == 0
