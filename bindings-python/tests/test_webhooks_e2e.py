"""Webhooks the offline gateway POSTs (signed by the core's scheme) verify in Python."""

from __future__ import annotations

import time
from typing import List

import pytest

import zignsec
from conftest import WEBHOOK_SECRET, Capture, Mock, play_phone_page

TO = "+46701234567"


def wait_for(capture: Capture, n: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while len(capture.requests) < n and time.monotonic() < deadline:
        time.sleep(0.02)


def test_sms_webhooks_verify(client: zignsec.Client, capture: Capture) -> None:
    sms = client.send_sms(TO, "hi", "ZignSec", relay_state="user-7", webhook=capture.url + "/hook")
    client.wait_sms_session(sms.id, timeout=10, poll_interval=0.05)
    wait_for(capture, 2)
    events = []
    for req in capture.requests:
        headers = {k.lower(): v for k, v in req["headers"].items()}
        header = headers[zignsec.SIGNATURE_HEADER.lower()]
        event = zignsec.verify_webhook(req["body"], header, WEBHOOK_SECRET)
        assert event.id == sms.id and event.relay_state == "user-7"
        assert event == zignsec.parse_webhook(req["body"])
        with pytest.raises(zignsec.WebhookSignatureError):
            zignsec.verify_webhook(req["body"], header, "not-the-secret")
        with pytest.raises(zignsec.WebhookSignatureError):
            zignsec.verify_webhook(req["body"] + b" ", header, WEBHOOK_SECRET)
        events.append(event.status)
    assert events[-1] == "delivered"
    assert set(events) <= {"dispatched", "delivered"}


def test_phone_webhook_verifies(client: zignsec.Client, fresh_mock: Mock, capture: Capture) -> None:
    started = client.start_phone_verification(TO, webhook=capture.url + "/hook", relay_state="p-1")
    play_phone_page(fresh_mock, started.redirect_url, started.id)
    client.wait_phone_session(started.id, timeout=10, poll_interval=0.05)
    deadline = time.monotonic() + 10
    statuses: List[str] = []
    while time.monotonic() < deadline:
        statuses = []
        for req in list(capture.requests):
            headers = {k.lower(): v for k, v in req["headers"].items()}
            ev = zignsec.verify_webhook(req["body"], headers[zignsec.SIGNATURE_HEADER.lower()], WEBHOOK_SECRET)
            assert ev.id == started.id and ev.relay_state == "p-1"
            statuses.append(ev.status)
        if "finished" in statuses:
            break
        time.sleep(0.02)
    assert "finished" in statuses
