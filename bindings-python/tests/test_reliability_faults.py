"""The fault matrix (tests/vectors/faults.json) against the Python binding.

Each cell: one call against a zignsec-mock that misbehaves as the cell says; checks
the error kind, attempts, the requests the gateway saw (for sends: the POSTs, i.e.
possible SMS), ``maybe_sent``, and that no call outlives its timeout. Results go to
target/reliability/python.json for scripts/reliability/report.py. Cells run a few at
a time, each worker on its own mock process.
"""

from __future__ import annotations

import email.utils
import json
import os
import pathlib
import socket
import subprocess
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Dict, List, Optional

import zignsec

ROOT = pathlib.Path(__file__).resolve().parents[2]
MATRIX_PATH = pathlib.Path(os.environ.get("ZIGNSEC_VECTORS", ROOT / "tests" / "vectors")) / "faults.json"
MOCK_BIN = os.environ.get(
    "ZIGNSEC_MOCK_BIN", str(ROOT / "target" / "x86_64-unknown-linux-gnu" / "debug" / "zignsec-mock")
)
KEY = os.environ.get("ZIGNSEC_RELIABILITY_KEY") or "sk_test_reliability_py_5e1a"
OUT = ROOT / "target" / "reliability" / "python.json"


class MockProcess:
    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [MOCK_BIN, "--port", "0", "--api-key", KEY, "--sms-delivery-ms", "200"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline().decode().strip()
        assert line.startswith("listening on "), line
        self.url = line[len("listening on ") :]

    def call(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, method=method)
        req.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(req, timeout=10) as r:
            text = r.read().decode()
        return json.loads(text) if text else None

    def close(self) -> None:
        self.proc.kill()
        self.proc.wait()
        if self.proc.stdout:
            self.proc.stdout.close()


def closed_port_url() -> str:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return f"http://127.0.0.1:{port}"


def fault_spec(matrix: Dict[str, Any], cell: Dict[str, Any]) -> Dict[str, Any]:
    spec = dict(cell.get("fault", {}))
    for k, v in list(spec.items()):
        if isinstance(v, dict) and "$http_date_in_s" in v:
            spec[k] = email.utils.formatdate(time.time() + v["$http_date_in_s"], usegmt=True)
    p = matrix["paths"][cell["op"]]
    spec.update(method=p["method"], path=p["path"], count=cell["count"])
    return spec


def run_cell(mock: MockProcess, matrix: Dict[str, Any], cell: Dict[str, Any]) -> Dict[str, Any]:
    name, op, expect = cell["name"], cell["op"], cell["expect"]
    timeout_ms = cell.get("timeout_ms", matrix["client"]["timeout_ms"])
    tolerance = matrix["tolerance_ms"]
    closed = cell.get("target") == "closed_port"
    base = closed_port_url() if closed else mock.url
    client = zignsec.Client(
        api_key=KEY, base_url=base, timeout=timeout_ms / 1000, max_retries=matrix["client"]["max_retries"]
    )
    with zignsec.Client(api_key=KEY, base_url=mock.url) as setup:
        session_id = setup.send_sms("+46701234567", "Your code is 12345", from_="ZignSec").id
    mock.call("DELETE", "/_mock/faults")
    mock.call("POST", "/_mock/stats/reset")
    if not closed:
        mock.call("POST", "/_mock/faults", fault_spec(matrix, cell))
    err: Optional[zignsec.ZignSecError] = None
    started = time.monotonic()
    try:
        if op == "read":
            client.get_sms_session(session_id)
        else:
            client.send_sms("+46701234567", "Your code is 12345", from_="ZignSec")
    except zignsec.ZignSecError as e:
        err = e
    elapsed_ms = int((time.monotonic() - started) * 1000)
    time.sleep(0.05)  # a late retry would show up in the stats
    client.close()
    if closed:
        requests = 0
    else:
        p = matrix["paths"][op]
        key = f"{p['method']} " + (f"/core/api/sessions/{session_id}" if op == "read" else p["path"])
        requests = mock.call("GET", "/_mock/stats")["requests"].get(key, 0)
    mock.call("DELETE", "/_mock/faults")
    kind = "ok" if err is None else err.kind
    attempts = requests if err is None else err.attempts
    maybe_sent = None if err is None else err.maybe_sent
    failures: List[str] = []
    if kind != expect["kind"]:
        failures.append(f"kind {kind}, want {expect['kind']}")
    if attempts != expect["attempts"]:
        failures.append(f"attempts {attempts}, want {expect['attempts']}")
    if requests != expect["requests"]:
        failures.append(f"gateway saw {requests} request(s), want {expect['requests']}")
    if "maybe_sent" in expect and maybe_sent != expect["maybe_sent"]:
        failures.append(f"maybe_sent {maybe_sent}, want {expect['maybe_sent']}")
    if elapsed_ms > timeout_ms + tolerance:
        failures.append(f"took {elapsed_ms} ms, over {timeout_ms} + {tolerance} ms")
    if err is not None and KEY in f"{err} {err!r}":
        failures.append("the API key is in the error")
    return {
        "name": name,
        "op": op,
        "kind": kind,
        "attempts": attempts,
        "requests": requests,
        "maybe_sent": maybe_sent,
        "elapsed_ms": elapsed_ms,
        "timeout_ms": timeout_ms,
        "expect": expect,
        "message": None if err is None else str(err),
        "pass": not failures,
        "failures": failures,
    }


def test_fault_matrix() -> None:
    matrix = json.loads(MATRIX_PATH.read_text(encoding="utf-8"))
    cells = matrix["cells"]
    jobs = max(1, int(os.environ.get("RELIABILITY_JOBS", "4")))
    results: Dict[int, Dict[str, Any]] = {}
    lock = threading.Lock()
    queue = list(enumerate(cells))

    def worker() -> None:
        mock = MockProcess()
        try:
            while True:
                with lock:
                    if not queue:
                        return
                    i, cell = queue.pop(0)
                r = run_cell(mock, matrix, cell)
                with lock:
                    results[i] = r
        finally:
            mock.close()

    with ThreadPoolExecutor(jobs) as pool:
        for f in [pool.submit(worker) for _ in range(jobs)]:
            f.result()
    ordered = [results[i] for i in sorted(results)]
    assert len(ordered) == len(cells)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(
        json.dumps(
            {
                "language": "python",
                "sdk": f"zignsec-python/{zignsec.__version__}",
                "runner": "bindings-python/tests/test_reliability_faults.py",
                "client": matrix["client"],
                "tolerance_ms": matrix["tolerance_ms"],
                "cells": ordered,
            },
            indent=2,
        ),
        encoding="utf-8",
    )
    failed = [f"{r['name']}: {r['failures']}" for r in ordered if not r["pass"]]
    assert not failed, f"{len(failed)} of {len(ordered)} cells failed:\n" + "\n".join(failed)
