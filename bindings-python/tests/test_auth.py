"""tests/vectors/auth.json: auth schemes and key rotation against mocks started with
one or two `--api-key` and an `--auth-scheme`."""

from __future__ import annotations

import subprocess
import threading
from typing import Any, Dict, Iterator, List

import pytest

import zignsec
import zignsec.errors
from conftest import MOCK_BIN, Mock, load_vectors

AUTH = load_vectors("auth.json")
KIND_CLASS = {kind: getattr(zignsec.errors, cls) for kind, cls in zignsec._zignsec._error_classes()}
TO = "+46701234567"


def start(api_keys: List[str], auth_scheme: str) -> Mock:
    argv = [MOCK_BIN, "--port", "0", "--auth-scheme", auth_scheme]
    for key in api_keys:
        argv += ["--api-key", key]
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE)
    assert proc.stdout is not None
    line = proc.stdout.readline().decode().strip()
    if not line.startswith("listening on "):
        proc.kill()
        pytest.fail(f"zignsec-mock did not start: {line!r}")
    threading.Thread(target=proc.stdout.read, daemon=True).start()
    return Mock(line[len("listening on "):], proc)


@pytest.fixture
def mocks() -> Iterator[List[Mock]]:
    started: List[Mock] = []
    yield started
    for m in started:
        m.proc.terminate()
        m.proc.wait(timeout=10)


def sends(mock: Mock) -> int:
    stats = mock.stats()
    per_path = stats.get("paths") or stats.get("requests") or {}
    if isinstance(per_path, dict):
        for key, value in per_path.items():
            if key == "POST /core/api/sessions/two_factor_auth/sms":
                return int(value["requests"] if isinstance(value, dict) else value)
    return int(stats["requests_total"])


def keys_of(case: Dict[str, Any]) -> List[str]:
    return [k for k in (case["client"].get("api_key"), case["client"].get("secondary_api_key")) if k]


@pytest.mark.parametrize("case", AUTH["cases"], ids=[c["name"] for c in AUTH["cases"]])
def test_auth_vector(mocks: List[Mock], case: Dict[str, Any]) -> None:
    mock = start(case["mock"]["api_keys"], case["mock"]["auth_scheme"])
    mocks.append(mock)
    expect = case["expect"]
    with zignsec.Client(base_url=mock.url, **case["client"]) as client:
        text = repr(client)
        for key in keys_of(case):
            assert key not in text
        mock.reset_stats()
        if expect["kind"] == "ok":
            client.send_sms(TO, "Your code is 12345", "ZignSec")
            assert sends(mock) == expect["first_call_requests"]
            mock.reset_stats()
            client.send_sms(TO, "Your code is 12345", "ZignSec")
            assert sends(mock) == expect["second_call_requests"]
        else:
            with pytest.raises(zignsec.ZignSecError) as info:
                client.send_sms(TO, "Your code is 12345", "ZignSec")
            err = info.value
            assert type(err) is KIND_CLASS[expect["kind"]]
            assert sends(mock) == expect["first_call_requests"]
            for key in keys_of(case):
                for shown in (str(err), repr(err), str(err.body), repr(vars(err))):
                    assert key not in shown


def test_auth_scheme_is_checked_by_the_core() -> None:
    with pytest.raises(zignsec.ConfigError, match="auth_scheme"):
        zignsec.Client("k", base_url="http://127.0.0.1:9", auth_scheme="bearer")
    with pytest.raises(TypeError):
        zignsec.Client("k", base_url="http://127.0.0.1:9", auth_scheme=1)  # type: ignore[arg-type]


def test_auth_options_from_the_environment(monkeypatch: pytest.MonkeyPatch, mocks: List[Mock]) -> None:
    mock = start(["sk_env_B_2c4e6a"], "product-key")
    mocks.append(mock)
    monkeypatch.setenv("ZIGNSEC_AUTH_SCHEME", "product-key")
    monkeypatch.setenv("ZIGNSEC_SECONDARY_API_KEY", "sk_env_B_2c4e6a")
    with zignsec.Client("sk_env_revoked", base_url=mock.url) as client:
        assert "sk_env_B_2c4e6a" not in repr(client)
        assert client.send_sms(TO, "hi", "ZignSec").status == "pending"
