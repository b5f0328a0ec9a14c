"""Sharing one client across threads, and zignsec.AsyncClient."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import List

import pytest

import zignsec
from conftest import API_KEY, Mock, play_phone_page

TO = "+46701234567"
SMS_PATH = "/core/api/sessions/two_factor_auth/sms"
ID = "26f5cc23-dbbb-45bb-a210-2818e70637bd"


def test_sixteen_threads_share_one_client(client: zignsec.Client, fresh_mock: Mock) -> None:
    results: List[str] = []
    errors: List[BaseException] = []
    lock = threading.Lock()
    barrier = threading.Barrier(16)

    def worker(i: int) -> None:
        try:
            barrier.wait()
            for j in range(3):
                sms = client.send_sms(f"+4670{i:03d}{j:04d}", f"message {i}/{j}", "ZignSec")
                details = client.get_sms_session(sms.id)
                assert details.request.message == f"message {i}/{j}"
                with lock:
                    results.append(sms.id)
        except BaseException as e:  # noqa: BLE001
            with lock:
                errors.append(e)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(set(results)) == 48


def test_threads_run_at_once(fresh_mock: Mock) -> None:
    """16 blocking calls against a 300 ms delay overlap (the GIL is released)."""
    fresh_mock.fault(method="GET", path="/core/api/sessions/", delay_ms=300, count=16)
    with zignsec.Client(API_KEY, base_url=fresh_mock.url, max_retries=0) as c:
        def read() -> None:
            with pytest.raises(zignsec.NotFoundError):
                c.get_sms_session(ID)

        threads = [threading.Thread(target=read) for _ in range(16)]
        started = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert time.monotonic() - started < 2.0


def test_async_fifty_concurrent_calls(fresh_mock: Mock) -> None:
    fresh_mock.fault(method="POST", path=SMS_PATH, delay_ms=200, count=50)

    async def run() -> float:
        async with zignsec.AsyncClient(API_KEY, base_url=fresh_mock.url) as c:
            started = time.monotonic()
            sessions = await asyncio.gather(
                *(c.send_sms(f"+46701{i:06d}", f"hello {i}", "ZignSec") for i in range(50))
            )
            elapsed = time.monotonic() - started
            assert len({s.id for s in sessions}) == 50
            assert all(isinstance(s, zignsec.SmsSession) for s in sessions)
            return elapsed

    elapsed = asyncio.run(run())
    # Serially this is 50 x 200 ms = 10 s; concurrently about 200 ms.
    assert elapsed < 2.0, f"50 calls took {elapsed:.2f} s"


def test_async_event_loop_not_blocked(fresh_mock: Mock) -> None:
    fresh_mock.fault(method="GET", path="/core/api/sessions/", delay_ms=400)

    async def run() -> int:
        ticks = 0

        async def ticker() -> None:
            nonlocal ticks
            while True:
                ticks += 1
                await asyncio.sleep(0.01)

        t = asyncio.ensure_future(ticker())
        async with zignsec.AsyncClient(API_KEY, base_url=fresh_mock.url, max_retries=0) as c:
            with pytest.raises(zignsec.NotFoundError):
                await c.get_sms_session(ID)
        t.cancel()
        return ticks

    assert asyncio.run(run()) >= 15


def test_async_every_operation(fresh_mock: Mock) -> None:
    async def run() -> None:
        async with zignsec.AsyncClient(API_KEY, base_url=fresh_mock.url) as c:
            assert repr(c).startswith(f"AsyncClient(base_url={fresh_mock.url!r}")
            assert API_KEY not in repr(c)
            assert c.user_agent == f"zignsec-python/{zignsec.__version__}"
            sms = await c.send_sms(TO, "hi", "ZignSec", max_message_parts=1, relay_state="r")
            got = await c.get_sms_session(sms.id)
            assert got.request.relay_state == "r"
            done = await c.wait_sms_session(sms.id, timeout=10, poll_interval=0.05)
            assert done.status == "delivered"
            phone = await c.start_phone_verification(TO, locale="En", csrf_token="t")
            assert fresh_mock.session(phone.id)["csrf_token"] == "t"
            assert (await c.get_phone_session(phone.id)).phone_number == TO
            await asyncio.get_running_loop().run_in_executor(
                None, play_phone_page, fresh_mock, phone.redirect_url, phone.id)
            finished = await c.wait_phone_session(phone.id, timeout=10, poll_interval=0.05)
            assert finished.status == "finished"
            # Works with create_task and wait_for too (the methods are coroutines).
            task = asyncio.create_task(c.get_sms_session(sms.id))
            assert (await asyncio.wait_for(task, 5)).id == sms.id
        assert c.closed

    asyncio.run(run())


def test_async_errors(fresh_mock: Mock) -> None:
    async def run() -> None:
        async with zignsec.AsyncClient(API_KEY, base_url=fresh_mock.url, max_retries=0) as c:
            with pytest.raises(zignsec.ValidationError) as v:
                await c.send_sms("123", "hi", "ZignSec")
            assert v.value.field == "to" and v.value.maybe_sent is False
            with pytest.raises(TypeError, match="'to'"):
                await c.send_sms(123, "hi", "ZignSec")  # type: ignore[arg-type]
            with pytest.raises(zignsec.NotFoundError):
                await c.get_phone_session(ID)
            fresh_mock.fault(method="POST", path=SMS_PATH, status=429, retry_after=3)
            with pytest.raises(zignsec.RateLimitError) as r:
                await c.send_sms(TO, "hi", "ZignSec")
            assert r.value.retry_after == 3.0
            sms = await c.send_sms(TO, "hi", "ZignSec")
            fresh_mock.force_status(sms.id, "dispatched")
            with pytest.raises(zignsec.WaitTimeoutError) as w:
                await c.wait_sms_session(sms.id, timeout=0.3, poll_interval=0.05)
            assert isinstance(w.value.details, zignsec.SmsSessionDetails)
        with pytest.raises(zignsec.ConfigError):
            await c.get_sms_session(ID)
        with pytest.raises(zignsec.ConfigError):
            zignsec.AsyncClient()

    asyncio.run(run())


def test_async_timeout_and_cancel(fresh_mock: Mock) -> None:
    async def run() -> None:
        async with zignsec.AsyncClient(API_KEY, base_url=fresh_mock.url, timeout=0.3) as c:
            fresh_mock.fault(method="POST", path=SMS_PATH, delay_ms=2000)
            with pytest.raises(zignsec.APITimeoutError) as t:
                await c.send_sms(TO, "hi", "ZignSec")
            assert t.value.maybe_sent is True
        async with zignsec.AsyncClient(API_KEY, base_url=fresh_mock.url, timeout=10) as c:
            fresh_mock.fault(method="GET", path="/core/api/sessions/", delay_ms=3000)
            task = asyncio.ensure_future(c.get_sms_session(ID))
            await asyncio.sleep(0.1)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            # asyncio.wait_for cancels the call too, and the client stays usable.
            fresh_mock.fault(method="GET", path="/core/api/sessions/", delay_ms=3000)
            with pytest.raises(asyncio.TimeoutError):
                await asyncio.wait_for(c.get_sms_session(ID), 0.2)
            fresh_mock.clear_faults()
            with pytest.raises(zignsec.NotFoundError):
                await c.get_sms_session(ID)

    asyncio.run(run())


def test_async_close_while_in_flight(fresh_mock: Mock) -> None:
    fresh_mock.fault(method="GET", path="/core/api/sessions/", delay_ms=3000)

    async def run() -> None:
        c = zignsec.AsyncClient(API_KEY, base_url=fresh_mock.url)
        task = asyncio.ensure_future(c.get_sms_session(ID))
        await asyncio.sleep(0.2)
        c.close()
        started = time.monotonic()
        with pytest.raises(zignsec.APIConnectionError):
            await asyncio.wait_for(task, 2)
        assert time.monotonic() - started < 2

    asyncio.run(run())


def test_async_two_event_loops_in_threads(fresh_mock: Mock) -> None:
    """One AsyncClient per thread, each with its own loop; results reach the right loop."""
    errors: List[BaseException] = []

    def worker() -> None:
        async def run() -> None:
            async with zignsec.AsyncClient(API_KEY, base_url=fresh_mock.url) as c:
                for _ in range(5):
                    sms = await c.send_sms(TO, "hi", "ZignSec")
                    assert (await c.get_sms_session(sms.id)).id == sms.id

        try:
            asyncio.run(run())
        except BaseException as e:  # noqa: BLE001
            errors.append(e)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_ctrl_c_interrupts_a_blocking_wait(client: zignsec.Client, fresh_mock: Mock) -> None:
    import os
    import signal

    if threading.current_thread() is not threading.main_thread():
        pytest.skip("signals are delivered to the main thread only")
    sms = client.send_sms(TO, "hi", "ZignSec")
    fresh_mock.force_status(sms.id, "dispatched")
    # A process started in the background has SIGINT ignored: restore Python's own
    # handler for the test, as a terminal's Ctrl-C would find it.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        timer = threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGINT))
        timer.start()
        started = time.monotonic()
        with pytest.raises(KeyboardInterrupt):
            client.wait_sms_session(sms.id, timeout=30, poll_interval=0.1)
        assert time.monotonic() - started < 2
        timer.join()
    finally:
        signal.signal(signal.SIGINT, previous)
    # The client is still usable afterwards.
    assert client.get_sms_session(sms.id).status == "dispatched"


def test_blocking_close_ends_running_calls(fresh_mock: Mock) -> None:
    """close() ends blocking calls in flight with APIConnectionError, as for AsyncClient
    (a send says maybe_sent=True: it may have left)."""
    fresh_mock.fault(method="GET", path="/core/api/sessions/", delay_ms=3000)
    fresh_mock.fault(method="POST", path="/core/api/sessions/two_factor_auth/sms", delay_ms=3000)
    c = zignsec.Client(API_KEY, base_url=fresh_mock.url, max_retries=0)
    outcome: List[BaseException] = []

    def read() -> None:
        try:
            c.get_sms_session(ID)
        except BaseException as e:  # noqa: BLE001
            outcome.append(e)

    def send() -> None:
        try:
            c.send_sms(TO, "hi", "ZignSec")
        except BaseException as e:  # noqa: BLE001
            outcome.append(e)

    threads = [threading.Thread(target=read), threading.Thread(target=send)]
    for t in threads:
        t.start()
    time.sleep(0.3)
    started = time.monotonic()
    c.close()
    with pytest.raises(zignsec.ConfigError):
        c.get_sms_session(ID)
    for t in threads:
        t.join(5)
    assert time.monotonic() - started < 1.5
    assert len(outcome) == 2 and all(type(e) is zignsec.APIConnectionError for e in outcome), outcome
    assert sorted(repr(getattr(e, "maybe_sent")) for e in outcome) == ["None", "True"]
