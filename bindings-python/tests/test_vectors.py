"""The shared test vectors (tests/vectors/*.json), run through the Python surface."""

from __future__ import annotations

import json
import time
from typing import Any, Callable, Dict

import pytest

import zignsec
import zignsec.errors
from conftest import Mock, expand, load_vectors

SMS_PARTS = load_vectors("sms_parts.json")
WEBHOOKS = load_vectors("webhooks.json")
BAD = load_vectors("bad_inputs.json")
GATEWAY = load_vectors("gateway_errors.json")
SEEDS = load_vectors("seeds.json")

KIND_CLASS = {kind: getattr(zignsec.errors, cls) for kind, cls in zignsec._zignsec._error_classes()}


def call_op(client: zignsec.Client, op: str, args: Dict[str, Any]) -> Any:
    """Call `op` with the vectors' snake_case args (the sender spelled `from`)."""
    kwargs = dict(args)
    if "from" in kwargs:
        kwargs["from_"] = kwargs.pop("from")
    method: Callable[..., Any] = getattr(client, op)
    if op.startswith("wait_"):
        kwargs.setdefault("timeout", 0.5)
        kwargs.setdefault("poll_interval", 0.1)
    return method(**kwargs)


def ids(cases: Any) -> Any:
    return [c["name"] for c in cases]


# ---- sms_parts ----

@pytest.mark.parametrize("case", SMS_PARTS["cases"], ids=ids(SMS_PARTS["cases"]))
def test_sms_parts(case: Dict[str, Any]) -> None:
    parts = zignsec.sms_parts(expand(case["message"]))
    assert parts.to_dict() == {k: case[k] for k in ("encoding", "parts", "units", "units_per_part")}


# ---- webhooks ----

def event_dict(ev: zignsec.WebhookEvent) -> Dict[str, Any]:
    return {k: v for k, v in ev.to_dict().items() if k != "raw"}


@pytest.mark.parametrize("case", WEBHOOKS["cases"], ids=ids(WEBHOOKS["cases"]))
def test_webhook_verify_at_fixed_clock(case: Dict[str, Any]) -> None:
    secret = WEBHOOKS["secret"]
    body = case["body"]
    verify = zignsec._zignsec._verify_webhook_at
    if case["expect"] == "ok":
        for b in (body, body.encode("utf-8"), bytearray(body.encode("utf-8"))):
            ev = verify(b, case["header"], secret, case["tolerance_s"], case["now"])
            assert event_dict(ev) == case["event"]
            assert ev.raw == json.loads(body)
    else:
        cls = KIND_CLASS[case["expect"]]
        with pytest.raises(cls):
            verify(body, case["header"], secret, case["tolerance_s"], case["now"])


@pytest.mark.parametrize("case", [c for c in WEBHOOKS["cases"] if c["expect"] == "ok"],
                         ids=ids([c for c in WEBHOOKS["cases"] if c["expect"] == "ok"]))
def test_webhook_resigned_now_with_public_verify(case: Dict[str, Any]) -> None:
    """verify_webhook reads the real clock: re-sign each good body with the time now."""
    secret = WEBHOOKS["secret"]
    header = zignsec.sign_webhook(case["body"], secret, int(time.time()))
    ev = zignsec.verify_webhook(case["body"], header, secret)
    assert event_dict(ev) == case["event"]
    assert zignsec.parse_webhook(case["body"]) == ev
    stale = zignsec.sign_webhook(case["body"], secret, int(time.time()) - 400)
    with pytest.raises(zignsec.WebhookSignatureError):
        zignsec.verify_webhook(case["body"], stale, secret)
    assert zignsec.verify_webhook(case["body"], stale, secret, tolerance=500) == ev
    with pytest.raises(zignsec.WebhookSignatureError):
        zignsec.verify_webhook(case["body"], header, secret + "x")


@pytest.mark.parametrize("case", WEBHOOKS["sign_cases"], ids=ids(WEBHOOKS["sign_cases"]))
def test_sign_webhook(case: Dict[str, Any]) -> None:
    assert zignsec.sign_webhook(case["body"], case["secret"], case["timestamp"]) == case["header"]
    assert zignsec.sign_webhook(case["body"].encode(), case["secret"], case["timestamp"]) == case["header"]


# ---- gateway errors ----

@pytest.mark.parametrize("case", GATEWAY["cases"], ids=ids(GATEWAY["cases"]))
def test_gateway_error_bodies(client0: zignsec.Client, fresh_mock: Mock, case: Dict[str, Any]) -> None:
    fresh_mock.fault(method="GET", path="/core/api/sessions/", status=case["status"], body=case["body"],
                     retry_after=0 if case["status"] == 429 else None)
    cls = KIND_CLASS[case["kind"]]
    with pytest.raises(zignsec.APIStatusError) as info:
        client0.get_sms_session("26f5cc23-dbbb-45bb-a210-2818e70637bd")
    err = info.value
    assert type(err) is cls
    assert err.status == case["status"]
    assert err.code == case["code"]
    if case["description"] is not None:
        assert case["description"] in str(err)
    assert err.body == case["body"]


# ---- seeds ----

@pytest.mark.parametrize("case", SEEDS["requests"], ids=ids(SEEDS["requests"]))
def test_seed_requests_wire_body(client: zignsec.Client, fresh_mock: Mock, case: Dict[str, Any]) -> None:
    session = call_op(client, case["op"], expand(case["args"]))
    state = fresh_mock.session(session.id)
    assert state["request"] == case["wire_body"]
    if case.get("csrf_token"):
        assert state["csrf_token"] == case["csrf_token"]


def rename_from(d: Any) -> Any:
    if isinstance(d, dict):
        return {("from" if k == "from_" else k): rename_from(v) for k, v in d.items()}
    return d


@pytest.mark.parametrize("case", SEEDS["responses"], ids=ids(SEEDS["responses"]))
def test_seed_responses_parse(client0: zignsec.Client, fresh_mock: Mock, case: Dict[str, Any]) -> None:
    op = case["op"]
    path = {"send_sms": "/core/api/sessions/two_factor_auth/sms",
            "start_phone_verification": "/core/api/sessions/two_factor_auth/phone"}.get(op, "/core/api/sessions/")
    fresh_mock.fault(path=path, status=200, body=json.dumps(case["body"]))
    expect = dict(case["expect"])
    is_final = expect.pop("is_final")
    if op == "send_sms":
        result: Any = client0.send_sms("+46701234567", "hi", "ZignSec")
    elif op == "start_phone_verification":
        result = client0.start_phone_verification("+46701234567")
    else:
        result = getattr(client0, op)(expect["id"])
    got = result.to_dict()
    if op.startswith("get_"):
        # Every details also carries data.errors and the whole data object.
        assert got.pop("raw") == case["body"]["data"] == result.raw
        assert got.pop("errors") == [] and result.errors == []
    assert rename_from(got) == expect
    assert result.is_final is is_final


# ---- bad inputs: a ValidationError naming the field, and nothing reaches the mock ----

def test_bad_inputs_corpus(fresh_mock: Mock) -> None:
    fresh_mock.reset_stats()
    failures = []
    with zignsec.Client("k", base_url=fresh_mock.url) as c:
        for case in BAD["cases"] + BAD["language_cases"]:
            try:
                call_op(c, case["op"], expand(case["args"]))
                failures.append(f"{case['name']}: no error")
            except zignsec.ValidationError as e:
                if e.field != case["field"]:
                    failures.append(f"{case['name']}: field {e.field!r}, expected {case['field']!r}")
                sends = case["op"] in ("send_sms", "start_phone_verification", "start_email_verification")
                if e.maybe_sent is not (False if sends else None):
                    failures.append(f"{case['name']}: maybe_sent {e.maybe_sent!r}")
                if e.attempts != 0:
                    failures.append(f"{case['name']}: attempts {e.attempts!r}")
            except Exception as e:  # noqa: BLE001 - collect everything
                failures.append(f"{case['name']}: {type(e).__name__}: {e}")
    assert failures == []
    stats = fresh_mock.stats()
    assert stats["requests_total"] == 0, stats
    assert len(BAD["cases"]) + len(BAD["language_cases"]) > 400


def test_bad_inputs_corpus_async(fresh_mock: Mock) -> None:
    import asyncio

    fresh_mock.reset_stats()

    async def run() -> list:
        failures = []
        async with zignsec.AsyncClient("k", base_url=fresh_mock.url) as c:
            for case in BAD["cases"] + BAD["language_cases"]:
                kwargs = dict(expand(case["args"]))
                if "from" in kwargs:
                    kwargs["from_"] = kwargs.pop("from")
                try:
                    await getattr(c, case["op"])(**kwargs)
                    failures.append(case["name"])
                except zignsec.ValidationError as e:
                    if e.field != case["field"]:
                        failures.append(case["name"])
        return failures

    assert asyncio.run(run()) == []
    assert fresh_mock.requests_total() == 0


@pytest.mark.parametrize("case", BAD["valid_cases"], ids=ids(BAD["valid_cases"]))
def test_valid_boundary_inputs_pass_validation(client0: zignsec.Client, case: Dict[str, Any]) -> None:
    try:
        call_op(client0, case["op"], expand(case["args"]))
    except zignsec.ValidationError as e:  # pragma: no cover - the failure itself
        pytest.fail(f"{case['name']} was rejected: {e}")
    except (zignsec.APIStatusError, zignsec.WaitTimeoutError):
        pass  # validation passed; the mock may still refuse or not know the session


# ---- phone numbers ----

PHONES = load_vectors("phone_numbers.json")


@pytest.mark.parametrize("case", PHONES["cases"], ids=ids(PHONES["cases"]))
def test_normalize_phone_vectors(case: Dict[str, Any]) -> None:
    if case["expect"] == "ok":
        assert zignsec.normalize_phone(case["number"], case["default_region"]) == case["e164"]
    else:
        with pytest.raises(zignsec.ValidationError) as info:
            zignsec.normalize_phone(case["number"], case["default_region"])
        assert info.value.field == case["field"]
        if len(case["number"].strip()) > 4:
            assert case["number"].strip() not in str(info.value)
