"""Deployment: clients built before fork() (os.fork, multiprocessing, gunicorn
--preload), close() while calls are in flight, proxies in the environment.

Every child gets a hard deadline (it is killed after it), so a hang is a failed
test, never a hung suite.
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import os
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
import urllib.request
from typing import Any, Callable, Dict, Iterator, List, Optional

import pytest

import zignsec
from conftest import API_KEY, Mock

TO = "+46701234567"
SMS_PATH = "/core/api/sessions/two_factor_auth/sms"
CHILD_DEADLINE = 20.0
# A call's timeout in the children: every call must end within it.
TIMEOUT = 3.0


def run_in_child(body: Callable[[], Dict[str, Any]]) -> Dict[str, Any]:
    """Fork; run ``body`` in the child and return what it returned (a JSON-able
    dict). The child is killed at CHILD_DEADLINE."""
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 0
        try:
            os.close(read_fd)
            signal.alarm(int(CHILD_DEADLINE) + 5)  # a second line of defence
            try:
                result: Dict[str, Any] = body()
            except BaseException as e:  # noqa: BLE001
                result = {"error": f"{type(e).__name__}: {e}"}
                code = 1
            os.write(write_fd, json.dumps(result).encode())
        finally:
            os._exit(code)
    os.close(write_fd)
    deadline = time.monotonic() + CHILD_DEADLINE
    status = None
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        time.sleep(0.02)
    else:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(read_fd)
        pytest.fail(f"the forked child still ran after {CHILD_DEADLINE} s (a call outlived its timeout)")
    with os.fdopen(read_fd, "rb") as f:
        raw = f.read()
    assert status is not None and os.WIFEXITED(status), f"child ended by signal: status {status}"
    result = json.loads(raw) if raw else {"error": "no result"}
    assert os.WEXITSTATUS(status) == 0, result
    return result


def timed(call: Callable[[], Any]) -> Dict[str, Any]:
    started = time.monotonic()
    try:
        value = call()
        outcome = type(value).__name__
    except zignsec.ZignSecError as e:
        outcome = type(e).__name__
    return {"outcome": outcome, "seconds": time.monotonic() - started}


# ---- os.fork ----

def test_blocking_client_after_fork(fresh_mock: Mock) -> None:
    client = zignsec.Client(API_KEY, base_url=fresh_mock.url, timeout=TIMEOUT, max_retries=0)
    sms = client.send_sms(TO, "hi", "ZignSec")  # the parent's runtime and pool are in use

    def child() -> Dict[str, Any]:
        sent = client.send_sms(TO, "from the child", "ZignSec")
        got = client.get_sms_session(sent.id)
        fresh_mock.fault(method="GET", path=f"/core/api/sessions/{sms.id}", delay_ms=8000)
        slow = timed(lambda: client.get_sms_session(sms.id))
        client.close()
        return {"id": got.id == sent.id, "slow": slow}

    result = run_in_child(child)
    assert result["id"] is True
    # The deadline holds in the child too.
    assert result["slow"]["outcome"] == "APITimeoutError"
    assert result["slow"]["seconds"] < TIMEOUT + 1
    # The parent's client is untouched by the child.
    assert client.get_sms_session(sms.id).id == sms.id
    client.close()


def test_async_client_after_fork_in_a_new_event_loop(fresh_mock: Mock) -> None:
    client = zignsec.AsyncClient(API_KEY, base_url=fresh_mock.url, timeout=TIMEOUT, max_retries=0)
    sms = asyncio.run(client.send_sms(TO, "hi", "ZignSec"))

    def child() -> Dict[str, Any]:
        async def run() -> Dict[str, Any]:
            sent = await client.send_sms(TO, "from the child", "ZignSec")
            got = await client.get_sms_session(sent.id)
            fresh_mock.fault(method="GET", path=f"/core/api/sessions/{sms.id}", delay_ms=8000)
            started = time.monotonic()
            try:
                await client.get_sms_session(sms.id)
                slow = "answered"
            except zignsec.APITimeoutError:
                slow = "APITimeoutError"
            return {"id": got.id == sent.id, "slow": slow, "seconds": time.monotonic() - started}

        return asyncio.run(run())

    result = run_in_child(child)
    assert result["id"] is True and result["slow"] == "APITimeoutError"
    assert result["seconds"] < TIMEOUT + 1
    assert asyncio.run(client.get_sms_session(sms.id)).id == sms.id
    client.close()


def test_child_that_only_drops_the_client(fresh_mock: Mock) -> None:
    client = zignsec.Client(API_KEY, base_url=fresh_mock.url, timeout=TIMEOUT)
    client.send_sms(TO, "hi", "ZignSec")

    def child() -> Dict[str, Any]:
        client.close()  # the parent's runtime is not the child's to stop
        return {"closed": client.closed}

    assert run_in_child(child) == {"closed": True}
    client.send_sms(TO, "still works", "ZignSec")
    client.close()


# ---- multiprocessing (fork start method) with a module-level client ----

POOL_CLIENT: Optional[zignsec.Client] = None


def _pool_call(i: int) -> Dict[str, Any]:
    assert POOL_CLIENT is not None
    started = time.monotonic()
    sms = POOL_CLIENT.send_sms(TO, f"pool {i}", "ZignSec")
    got = POOL_CLIENT.get_sms_session(sms.id)
    return {"pid": os.getpid(), "ok": got.id == sms.id, "seconds": time.monotonic() - started}


def test_multiprocessing_fork_pool(fresh_mock: Mock) -> None:
    global POOL_CLIENT
    POOL_CLIENT = zignsec.Client(API_KEY, base_url=fresh_mock.url, timeout=TIMEOUT)
    try:
        POOL_CLIENT.send_sms(TO, "parent first", "ZignSec")
        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(2) as pool:
            results = pool.map_async(_pool_call, range(12)).get(timeout=CHILD_DEADLINE)
        assert all(r["ok"] for r in results)
        assert all(r["seconds"] < TIMEOUT for r in results)
        assert os.getpid() not in {r["pid"] for r in results}
    finally:
        POOL_CLIENT.close()
        POOL_CLIENT = None


# ---- gunicorn --preload: a client built at import, in the master ----

GUNICORN_APP = """
import json, os, time
import zignsec

client = zignsec.Client(os.environ["APP_KEY"], base_url=os.environ["APP_URL"], timeout=float(os.environ["APP_TIMEOUT"]))
client.send_sms("+46701234567", "from the master", "ZignSec")


def app(environ, start_response):
    started = time.monotonic()
    sms = client.send_sms("+46701234567", "hi", "ZignSec")
    got = client.get_sms_session(sms.id)
    body = json.dumps({"pid": os.getpid(), "ok": got.id == sms.id, "seconds": time.monotonic() - started}).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def test_gunicorn_preload(fresh_mock: Mock, tmp_path: Any) -> None:
    pytest.importorskip("gunicorn")
    (tmp_path / "zsapp.py").write_text(textwrap.dedent(GUNICORN_APP))
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZIGNSEC_")}
    env.update(APP_KEY=API_KEY, APP_URL=fresh_mock.url, APP_TIMEOUT=str(TIMEOUT))
    log = open(tmp_path / "gunicorn.log", "w+b")
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--preload", "-w", "2", "-b", f"127.0.0.1:{port}",
         "--chdir", str(tmp_path), "--graceful-timeout", "5", "zsapp:app"],
        env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(url, timeout=TIMEOUT + 1) as resp:
                    resp.read()
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    log.seek(0)
                    pytest.fail(f"gunicorn did not serve: {log.read().decode(errors='replace')[-2000:]}")
                time.sleep(0.1)

        def hit(_: int) -> Dict[str, Any]:
            started = time.monotonic()
            with urllib.request.urlopen(url, timeout=TIMEOUT + 1) as resp:
                data: Dict[str, Any] = json.loads(resp.read())
            data["wall"] = time.monotonic() - started
            return data

        from concurrent.futures import ThreadPoolExecutor
        with ThreadPoolExecutor(4) as pool:
            answers = list(pool.map(hit, range(40)))
        assert all(a["ok"] for a in answers)
        assert all(a["wall"] < TIMEOUT for a in answers), max(a["wall"] for a in answers)
        assert proc.pid not in {a["pid"] for a in answers}
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            code = proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            code = proc.wait()
        log.seek(0)
        text = log.read().decode(errors="replace")
        log.close()
    assert code == 0, text[-2000:]
    for bad in ("SIGABRT", "core dumped", "Fatal Python error", "Worker failed to boot"):
        assert bad not in text, text[-2000:]


# ---- close() while calls are in flight ----

def test_async_close_ends_sends_in_flight_with_maybe_sent(fresh_mock: Mock) -> None:
    fresh_mock.fault(method="POST", path=SMS_PATH, delay_ms=2000, count=3)

    async def run() -> List[BaseException]:
        c = zignsec.AsyncClient(API_KEY, base_url=fresh_mock.url)
        tasks = [asyncio.ensure_future(c.send_sms(TO, "hi", "ZignSec")) for _ in range(3)]
        await asyncio.sleep(0.3)
        c.close()
        started = time.monotonic()
        results = await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=True), 2)
        assert time.monotonic() - started < 1.5
        return [r for r in results if isinstance(r, BaseException)]

    errors = asyncio.run(run())
    assert len(errors) == 3
    for e in errors:
        assert isinstance(e, zignsec.APIConnectionError)
        # The request reached the gateway: never None, which callers read as "not sent".
        assert e.maybe_sent is True
    time.sleep(0.1)


def test_a_send_on_a_closed_client_says_not_sent(fresh_mock: Mock) -> None:
    c = zignsec.Client(API_KEY, base_url=fresh_mock.url)
    c.close()
    with pytest.raises(zignsec.ConfigError, match="closed") as e:
        c.send_sms(TO, "hi", "ZignSec")
    assert e.value.maybe_sent is False and e.value.attempts == 0
    with pytest.raises(zignsec.ConfigError) as r:
        c.get_sms_session("26f5cc23-dbbb-45bb-a210-2818e70637bd")
    assert r.value.maybe_sent is None

    async def run() -> None:
        a = zignsec.AsyncClient(API_KEY, base_url=fresh_mock.url)
        await a.aclose()
        with pytest.raises(zignsec.ConfigError) as s:
            await a.start_phone_verification(TO)
        assert s.value.maybe_sent is False

    asyncio.run(run())


# ---- proxies in the environment ----

class RecordingListener:
    """A TCP listener on loopback that records what each connection sends first."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.seen: List[bytes] = []
        self.running = True
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while self.running:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(1)
                try:
                    self.seen.append(conn.recv(4096))
                except OSError:
                    self.seen.append(b"")

    def close(self) -> None:
        self.running = False
        self.thread.join(2)
        self.sock.close()


@pytest.fixture
def proxy_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[RecordingListener]:
    listener = RecordingListener()
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.setenv(name, listener.url)
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    yield listener
    listener.close()


def test_proxies_never_see_loopback_calls(fresh_mock: Mock, proxy_env: RecordingListener) -> None:
    with zignsec.Client(API_KEY, base_url=fresh_mock.url, timeout=5) as c:
        sms = c.send_sms(TO, "hi", "ZignSec")
        assert c.get_sms_session(sms.id).id == sms.id

    async def run() -> None:
        async with zignsec.AsyncClient(API_KEY, base_url=fresh_mock.url, timeout=5) as a:
            await a.get_sms_session(sms.id)

    asyncio.run(run())
    time.sleep(0.3)
    assert proxy_env.seen == []


def test_https_goes_through_the_proxy_as_a_tunnel(proxy_env: RecordingListener) -> None:
    with zignsec.Client(API_KEY, base_url="https://gateway.test", timeout=3, max_retries=0) as c:
        with pytest.raises(zignsec.APIConnectionError):
            c.get_sms_session("26f5cc23-dbbb-45bb-a210-2818e70637bd")
    time.sleep(0.3)
    assert len(proxy_env.seen) == 1
    assert proxy_env.seen[0].startswith(b"CONNECT gateway.test:443 ")
    assert API_KEY.encode() not in proxy_env.seen[0]


def test_proxy_none_ignores_the_environment(proxy_env: RecordingListener) -> None:
    with zignsec.Client(API_KEY, base_url="https://gateway.test", timeout=3, max_retries=0, proxy="none") as c:
        with pytest.raises(zignsec.APIConnectionError):
            c.get_sms_session("26f5cc23-dbbb-45bb-a210-2818e70637bd")
    time.sleep(0.3)
    assert proxy_env.seen == []


def test_explicit_proxy_option(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    listener = RecordingListener()
    try:
        async def run() -> None:
            async with zignsec.AsyncClient(API_KEY, base_url="https://gateway.test:8443", timeout=3,
                                           max_retries=0, proxy=listener.url) as a:
                with pytest.raises(zignsec.APIConnectionError):
                    await a.get_sms_session("26f5cc23-dbbb-45bb-a210-2818e70637bd")

        asyncio.run(run())
        time.sleep(0.3)
        assert [s.split(b" ")[:2] for s in listener.seen] == [[b"CONNECT", b"gateway.test:8443"]]
        with pytest.raises(zignsec.ConfigError):
            zignsec.Client(API_KEY, base_url="https://gateway.test", proxy="ftp://nope")
    finally:
        listener.close()


def test_exit_hook_closes_every_client(fresh_mock: Mock) -> None:
    """An atexit hook registered before ``import zignsec`` runs after zignsec's, which
    has closed every live client by then."""
    script = textwrap.dedent(f"""
        import asyncio, atexit
        live = {{}}
        atexit.register(lambda: print("closed", live["c"].closed, live["a"].closed))
        import zignsec
        live["c"] = zignsec.Client({API_KEY!r}, base_url={fresh_mock.url!r})
        live["a"] = zignsec.AsyncClient({API_KEY!r}, base_url={fresh_mock.url!r})
        live["c"].send_sms("+46701234567", "hi", "ZignSec")
        asyncio.run(live["a"].send_sms("+46701234567", "hi", "ZignSec"))
    """)
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZIGNSEC_")}
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "closed True True"
