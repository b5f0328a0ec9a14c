"""Fixtures: the offline gateway (zignsec-mock) for the whole session, and helpers
for its test-control API."""

from __future__ import annotations

import http.server
import json
import os
import pathlib
import subprocess
import threading
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Dict, Iterator, List, Optional

import pytest

import zignsec

ROOT = pathlib.Path(__file__).resolve().parents[2]
VECTORS = pathlib.Path(os.environ.get("ZIGNSEC_VECTORS", ROOT / "tests" / "vectors"))
MOCK_BIN = os.environ.get(
    "ZIGNSEC_MOCK_BIN", str(ROOT / "target" / "x86_64-unknown-linux-gnu" / "debug" / "zignsec-mock")
)
API_KEY = "sk_test_pythonbinding_7Hq2Zx91"
WEBHOOK_SECRET = "whsec_python_suite"


def load_vectors(name: str) -> Dict[str, Any]:
    with open(VECTORS / name, encoding="utf-8") as f:
        data: Dict[str, Any] = json.load(f)
    return data


def expand(value: Any) -> Any:
    """Expand the vectors' ``{"$repeat": [s, n]}`` and ``{"$lone_surrogate": s}``."""
    if isinstance(value, dict):
        if set(value) == {"$repeat"}:
            s, n = value["$repeat"]
            return s * n
        if set(value) == {"$lone_surrogate"}:
            # "\\ud800" -> the code unit itself (Python str can hold a lone surrogate).
            text: str = value["$lone_surrogate"]
            return text.encode("ascii").decode("unicode_escape")
        return {k: expand(v) for k, v in value.items()}
    if isinstance(value, list):
        return [expand(v) for v in value]
    return value


class Mock:
    """The running zignsec-mock and its /_mock/ control API."""

    def __init__(self, url: str, proc: "subprocess.Popen[bytes]") -> None:
        self.url = url
        self.proc = proc

    def _call(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, method=method)
        if data is not None:
            req.add_header("content-type", "application/json")
        with urllib.request.urlopen(req, timeout=10) as resp:
            raw = resp.read()
        return json.loads(raw) if raw else None

    def session(self, session_id: str) -> Dict[str, Any]:
        result: Dict[str, Any] = self._call("GET", f"/_mock/sessions/{session_id}")
        return result

    def force_status(self, session_id: str, status: str) -> None:
        self._call("POST", f"/_mock/sessions/{session_id}/status", {"status": status})

    def fault(self, **spec: Any) -> None:
        self._call("POST", "/_mock/faults", spec)

    def clear_faults(self) -> None:
        self._call("DELETE", "/_mock/faults")

    def stats(self) -> Dict[str, Any]:
        result: Dict[str, Any] = self._call("GET", "/_mock/stats")
        return result

    def reset_stats(self) -> None:
        self._call("POST", "/_mock/stats/reset")

    def requests_total(self) -> int:
        return int(self.stats()["requests_total"])

    # The hosted phone page, as a user's browser would drive it (form POSTs, no
    # redirects followed: the 303 goes to the caller's own site).
    def page_post(self, redirect_url: str, action: str, form: Optional[Dict[str, str]] = None) -> str:
        data = urllib.parse.urlencode(form or {}).encode()
        req = urllib.request.Request(f"{redirect_url}/{action}", data=data, method="POST")
        req.add_header("content-type", "application/x-www-form-urlencoded")
        opener = urllib.request.build_opener(_NoRedirect())
        try:
            with opener.open(req, timeout=10) as resp:
                return str(resp.headers.get("location", ""))
        except urllib.error.HTTPError as e:
            if e.code in (301, 302, 303, 307):
                return str(e.headers.get("location", ""))
            raise


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def start_mock() -> Mock:
    """Start a zignsec-mock of its own (stop it with ``stop_mock``)."""
    if not os.path.exists(MOCK_BIN):
        pytest.fail(f"zignsec-mock is not built at {MOCK_BIN}: run `cargo build -p zignsec-mock`")
    proc = subprocess.Popen(
        [MOCK_BIN, "--port", "0", "--api-key", API_KEY, "--webhook-secret", WEBHOOK_SECRET,
         "--sms-delivery-ms", "200"],
        stdout=subprocess.PIPE,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline().decode().strip()
    if not line.startswith("listening on "):
        proc.kill()
        pytest.fail(f"zignsec-mock did not start: {line!r}")
    # Keep draining stdout so a chatty gateway can never block on a full pipe.
    threading.Thread(target=proc.stdout.read, daemon=True).start()
    return Mock(line[len("listening on "):], proc)


def stop_mock(m: Mock) -> None:
    m.proc.terminate()
    m.proc.wait(timeout=10)


@pytest.fixture(scope="session")
def mock() -> Iterator[Mock]:
    m = start_mock()
    yield m
    stop_mock(m)


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No ZIGNSEC_* variables leak in from the shell that runs the suite."""
    for name in list(os.environ):
        if name.startswith("ZIGNSEC_") and name not in ("ZIGNSEC_MOCK_BIN", "ZIGNSEC_VECTORS"):
            monkeypatch.delenv(name)


@pytest.fixture
def fresh_mock(mock: Mock) -> Iterator[Mock]:
    """The mock with no faults queued before and after the test."""
    mock.clear_faults()
    yield mock
    mock.clear_faults()


@pytest.fixture
def client(fresh_mock: Mock) -> Iterator[zignsec.Client]:
    with zignsec.Client(API_KEY, base_url=fresh_mock.url, timeout=10.0) as c:
        yield c


@pytest.fixture
def client0(fresh_mock: Mock) -> Iterator[zignsec.Client]:
    """A client that never retries (each error after exactly one attempt)."""
    with zignsec.Client(API_KEY, base_url=fresh_mock.url, timeout=10.0, max_retries=0) as c:
        yield c


class Capture:
    """A loopback HTTP server that records each request and answers with a canned
    response (to see the headers the SDK sends)."""

    def __init__(self) -> None:
        self.requests: List[Dict[str, Any]] = []
        self.status = 200
        self.body = b'{"data":{"id":"26f5cc23-dbbb-45bb-a210-2818e70637bd","status":"pending"}}'
        capture = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else b""
                capture.requests.append(
                    {"method": self.command, "path": self.path, "headers": dict(self.headers), "body": body}
                )
                self.send_response(capture.status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(capture.body)))
                self.end_headers()
                self.wfile.write(capture.body)

            do_GET = _answer
            do_POST = _answer

            def log_message(self, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def capture() -> Iterator[Capture]:
    c = Capture()
    yield c
    c.close()


def play_phone_page(mock: Mock, redirect_url: str, session_id: str, *, wrong_first: bool = False) -> str:
    """Ask for a code on the hosted page, read it from the mock, type it in."""
    mock.page_post(redirect_url, "send")
    code = mock.session(session_id)["last_code"]
    assert isinstance(code, str) and len(code) == 5
    if wrong_first:
        wrong = "00000" if code != "00000" else "11111"
        mock.page_post(redirect_url, "verify", {"code": wrong})
        mock.page_post(redirect_url, "send")
        code = mock.session(session_id)["last_code"]
    return mock.page_post(redirect_url, "verify", {"code": code})
