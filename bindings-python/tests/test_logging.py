"""Core log records reach logging.getLogger("zignsec"), redacted."""

from __future__ import annotations

import asyncio
import logging

import pytest

import zignsec
from conftest import API_KEY, Mock

TO = "+46701234567"
SECRET_TEXT = "Your secret code is 98765"


def test_records_go_to_python_logging(fresh_mock: Mock, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG, logger="zignsec"):
        with zignsec.Client(API_KEY, base_url=fresh_mock.url) as c:
            sms = c.send_sms(TO, SECRET_TEXT, "ZignSec")
            c.get_sms_session(sms.id)
    records = [r for r in caplog.records if r.name == "zignsec"]
    assert records, "no zignsec records"
    text = "\n".join(r.getMessage() for r in records)
    assert "POST /core/api/sessions/two_factor_auth/sms" in text
    assert any(r.levelno == logging.DEBUG for r in records)
    assert any(r.levelno == logging.INFO for r in records)
    # Redaction is the core's: no key, no message text, phone masked to 2 digits.
    assert API_KEY not in text
    assert SECRET_TEXT not in text and "98765" not in text
    assert TO not in text and "67" in text


def test_level_filter_respected(fresh_mock: Mock, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="zignsec"):
        with zignsec.Client(API_KEY, base_url=fresh_mock.url) as c:
            c.send_sms(TO, "hi", "ZignSec")
    levels = {r.levelno for r in caplog.records if r.name == "zignsec"}
    assert logging.INFO in levels and logging.DEBUG not in levels


def test_logging_from_io_threads_with_async_client(fresh_mock: Mock, caplog: pytest.LogCaptureFixture) -> None:
    async def run() -> None:
        async with zignsec.AsyncClient(API_KEY, base_url=fresh_mock.url) as c:
            await asyncio.gather(*(c.send_sms(TO, "hi", "ZignSec") for _ in range(10)))

    with caplog.at_level(logging.DEBUG, logger="zignsec"):
        asyncio.run(run())
    assert sum(1 for r in caplog.records if r.name == "zignsec" and "send_sms ->" in r.getMessage()) == 10


def test_zignsec_log_env_uses_the_core_stderr_logger(fresh_mock: Mock) -> None:
    """With ZIGNSEC_LOG set at import, the core's own stderr logger writes the records."""
    import subprocess
    import sys

    code = (
        "import logging, zignsec\n"
        "logging.basicConfig(level=logging.DEBUG, format='PY %(message)s')\n"
        f"c = zignsec.Client({API_KEY!r}, base_url={fresh_mock.url!r})\n"
        f"c.send_sms({TO!r}, {SECRET_TEXT!r}, 'ZignSec')\n"
    )
    # Read in any case; `off` means no records at all; an unknown value warns once and
    # leaves the records to Python logging.
    cases = (("debug", "core"), ("DEBUG", "core"), (" Info ", "core"), ("", "python"),
             ("off", "none"), ("OFF", "none"), ("loud", "python"))
    for env_value, expect in cases:
        env = {"PATH": "/usr/bin:/bin", "ZIGNSEC_LOG": env_value}
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                             timeout=60)
        assert out.returncode == 0, out.stderr
        core_lines = [line for line in out.stderr.splitlines() if line.startswith("[zignsec ")]
        py_lines = [line for line in out.stderr.splitlines() if line.startswith("PY ")]
        warnings = [line for line in out.stderr.splitlines() if "is not one of" in line]
        assert (bool(core_lines), bool(py_lines)) == (expect == "core", expect == "python"), (env_value, out.stderr)
        assert len(warnings) == (1 if env_value == "loud" else 0), (env_value, out.stderr)
        assert API_KEY not in out.stderr and SECRET_TEXT not in out.stderr


def test_level_changes_between_calls_are_seen(fresh_mock: Mock, caplog: pytest.LogCaptureFixture) -> None:
    """The I/O threads check a cached level before taking the GIL; each call start
    refreshes it, so a level set after the client was built applies to the next call."""
    logger = logging.getLogger("zignsec")
    with zignsec.Client(API_KEY, base_url=fresh_mock.url) as c:
        with caplog.at_level(logging.DEBUG, logger="zignsec"):
            logger.setLevel(logging.WARNING)
            c.send_sms(TO, "hi", "ZignSec")
            assert not [r for r in caplog.records if r.name == "zignsec"]
            logger.setLevel(logging.DEBUG)
            c.send_sms(TO, "hi", "ZignSec")
            assert any(r.levelno == logging.DEBUG for r in caplog.records if r.name == "zignsec")
            caplog.clear()
            logging.disable(logging.CRITICAL)
            try:
                c.send_sms(TO, "hi", "ZignSec")
            finally:
                logging.disable(logging.NOTSET)
            assert not [r for r in caplog.records if r.name == "zignsec"]


def test_a_level_change_between_calls_applies_to_the_next_call(
    fresh_mock: Mock, caplog: pytest.LogCaptureFixture
) -> None:
    # The level is re-read only after Python's logging changed something that
    # decides it (setLevel, logging.disable): each change must still be seen.
    logger = logging.getLogger("zignsec")
    before = logger.level
    caplog.set_level(logging.DEBUG)  # the capturing handler keeps everything
    try:
        with zignsec.Client(API_KEY, base_url=fresh_mock.url) as c:
            sms = c.send_sms(TO, "hi", "ZignSec")
            for level, debug_expected, info_expected in [
                (logging.WARNING, False, False),
                (logging.DEBUG, True, True),
                (logging.INFO, False, True),
            ]:
                logger.setLevel(level)
                caplog.clear()
                c.get_sms_session(sms.id)
                levels = {r.levelno for r in caplog.records if r.name == "zignsec"}
                assert (logging.DEBUG in levels) == debug_expected, (level, levels)
                assert logger.isEnabledFor(logging.INFO) == info_expected
            logger.setLevel(logging.DEBUG)
            logging.disable(logging.INFO)
            try:
                caplog.clear()
                c.get_sms_session(sms.id)
                assert not [r for r in caplog.records if r.name == "zignsec"]
            finally:
                logging.disable(logging.NOTSET)
            caplog.clear()
            c.get_sms_session(sms.id)
            assert any(r.levelno == logging.DEBUG for r in caplog.records if r.name == "zignsec")
    finally:
        logger.setLevel(before)
