"""Interpreter exit with calls in flight, cancelled, interrupted by close() or never
awaited: the process always ends normally (exit code 0, never SIGABRT).

Each scenario is a small script run as a subprocess ZIGNSEC_EXIT_RUNS times (20 by
default, 4 at a time). With ZIGNSEC_EXIT_REPORT set, the counts are also written there
as JSON (`make test-python-exit` does that with 200 runs).
"""

from __future__ import annotations

import concurrent.futures
import json
import os
import subprocess
import sys
import textwrap
from typing import Dict, Iterator, List, Tuple

import pytest

from conftest import API_KEY, Mock, start_mock, stop_mock

RUNS = int(os.environ.get("ZIGNSEC_EXIT_RUNS", "20"))
REPORT = os.environ.get("ZIGNSEC_EXIT_REPORT", "")
PARALLEL = 4
# Reads of this session id are slowed down by the mock (so they are in flight at exit).
SLOW_ID = "5a0e5a0e-0000-4000-8000-00000000e417"
SMS_PATH = "/core/api/sessions/two_factor_auth/sms"

PREAMBLE = f"""
import asyncio, logging, os, sys, threading, time
import zignsec
URL, KEY = sys.argv[1], sys.argv[2]
SLOW_ID = {SLOW_ID!r}
MISSING_ID = "5a0e5a0e-0000-4000-8000-000000000404"
TO = "+46701234567"
"""

SCENARIOS: Dict[str, str] = {
    # asyncio.wait_for times out (the call is cancelled), then asyncio.run returns.
    "cancel": """
async def main():
    c = zignsec.AsyncClient(KEY, base_url=URL)
    calls = [c.get_sms_session(SLOW_ID) for _ in range(4)] + [c.send_sms(TO, "hi", "ZignSec") for _ in range(4)]
    for r in await asyncio.gather(*(asyncio.wait_for(x, 0.05) for x in calls), return_exceptions=True):
        assert isinstance(r, asyncio.TimeoutError), r
asyncio.run(main())
""",
    # close() while calls are in flight: the awaited ones end with APIConnectionError
    # (sends say maybe_sent=True), the others are still pending when the process ends.
    "close": """
async def main():
    c = zignsec.AsyncClient(KEY, base_url=URL)
    sends = [asyncio.ensure_future(c.send_sms(TO, "hi", "ZignSec")) for _ in range(3)]
    reads = [asyncio.ensure_future(c.get_sms_session(SLOW_ID)) for _ in range(3)]
    await asyncio.sleep(0.1)
    c.close()
    for r in await asyncio.gather(*sends, return_exceptions=True):
        assert isinstance(r, zignsec.APIConnectionError) and r.maybe_sent is True, repr(r)
    c2 = zignsec.AsyncClient(KEY, base_url=URL)
    pending = [asyncio.ensure_future(c2.get_sms_session(SLOW_ID)) for _ in range(3)]
    await asyncio.sleep(0.05)
    c2.close()
asyncio.run(main())
""",
    # Coroutines never awaited, native futures never awaited, results that arrive after
    # their loop closed, and a loop never closed: all at exit, the client never closed.
    "never_awaited": """
c = zignsec.AsyncClient(KEY, base_url=URL)
async def main():
    coro = c.get_sms_session(SLOW_ID)
    started = [c._native.get_sms_session(SLOW_ID) for _ in range(3)]
    started += [c._native.get_sms_session(MISSING_ID) for _ in range(3)]
    started += [c._native.send_sms(TO, "hi", "ZignSec")]
    await asyncio.sleep(0.01)
asyncio.run(main())
loop = asyncio.new_event_loop()
async def start():
    return [c._native.get_sms_session(MISSING_ID), c._native.get_sms_session(SLOW_ID)]
kept = loop.run_until_complete(start())
""",
    # Logging at DEBUG through the bridge while I/O threads log at exit.
    "logging": """
logging.basicConfig(level=logging.DEBUG, stream=sys.stdout)
blocking = zignsec.Client(KEY, base_url=URL)
def churn():
    while True:
        try:
            blocking.get_sms_session(MISSING_ID)
        except zignsec.ZignSecError:
            pass
for _ in range(2):
    threading.Thread(target=churn, daemon=True).start()
async def main():
    c = zignsec.AsyncClient(KEY, base_url=URL)
    calls = [c.get_sms_session(MISSING_ID) for _ in range(8)] + [c.get_sms_session(SLOW_ID) for _ in range(2)]
    await asyncio.gather(*(asyncio.wait_for(x, 0.03) for x in calls), return_exceptions=True)
asyncio.run(main())
logging.getLogger("zignsec").debug("exiting")
""",
    # A blocking client alive with daemon threads mid-call at exit.
    "blocking_thread": """
c = zignsec.Client(KEY, base_url=URL)
def slow():
    c.get_sms_session(SLOW_ID)
def fast():
    while True:
        try:
            c.get_sms_session(MISSING_ID)
        except zignsec.NotFoundError:
            pass
for target in (slow, slow, fast, fast):
    threading.Thread(target=target, daemon=True).start()
time.sleep(0.1)
""",
}


@pytest.fixture(scope="module")
def exit_mock() -> Iterator[Mock]:
    """A mock of this module's own: its sends take 1 s and reads of SLOW_ID 3 s."""
    m = start_mock()
    m.fault(method="GET", path=f"/core/api/sessions/{SLOW_ID}", delay_ms=3000, count=1_000_000)
    m.fault(method="POST", path=SMS_PATH, delay_ms=1000, count=1_000_000)
    yield m
    stop_mock(m)


def _run_once(script: str, url: str) -> Tuple[int, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZIGNSEC_")}
    try:
        out = subprocess.run(
            [sys.executable, "-c", script, url, API_KEY],
            env=env, capture_output=True, text=True, timeout=60,
        )
    except subprocess.TimeoutExpired:
        return (-999, "hung for 60 s")
    return (out.returncode, out.stderr[-2000:])


def _record(name: str, runs: int, failures: List[Tuple[int, str]]) -> None:
    if not REPORT:
        return
    try:
        with open(REPORT, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError):
        data = {}
    data[name] = {
        "runs": runs,
        "abnormal": len(failures),
        "aborts": sum(1 for code, _ in failures if code in (-6, 134)),
        "returncodes": sorted({code for code, _ in failures}),
    }
    with open(REPORT, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=2, sort_keys=True)


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_exit_scenario(name: str, exit_mock: Mock) -> None:
    script = textwrap.dedent(PREAMBLE) + textwrap.dedent(SCENARIOS[name])
    with concurrent.futures.ThreadPoolExecutor(PARALLEL) as pool:
        results = list(pool.map(lambda _: _run_once(script, exit_mock.url), range(RUNS)))
    failures = [r for r in results if r[0] != 0]
    _record(name, RUNS, failures)
    codes = sorted(code for code, _ in failures)
    assert not failures, (
        f"{name}: {len(failures)} of {RUNS} runs ended abnormally (exit codes {codes}); "
        f"last stderr:\n{failures[-1][1]}"
    )
