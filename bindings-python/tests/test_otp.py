"""One-time codes: tests/vectors/otp.json (option_cases, template_cases through
send_otp against the mock, flows with the clock hooks) and send_otp's safety."""

from __future__ import annotations

import asyncio
import re
from typing import Any, Dict

import pytest

import zignsec
from conftest import API_KEY, Mock, load_vectors

OTP = load_vectors("otp.json")
TO = OTP["to"]


def ids(cases: Any) -> Any:
    return [c["name"] for c in cases]


@pytest.mark.parametrize("case", OTP["option_cases"], ids=ids(OTP["option_cases"]))
def test_option_cases(case: Dict[str, Any]) -> None:
    def build() -> zignsec.Otp:
        return zignsec.Otp(case["secret"], digits=case["digits"], ttl=case["ttl_ms"] / 1000,
                           max_attempts=case["max_attempts"])
    if case["expect"] == "ok":
        otp = build()
        assert (otp.digits, otp.max_attempts) == (case["digits"], case["max_attempts"])
        assert case["secret"] not in repr(otp)
    else:
        with pytest.raises(zignsec.ConfigError) as info:
            build()
        assert str(info.value).startswith(case["option"]), str(info.value)
        assert info.value.field == case["option"]


def test_defaults_come_from_the_core() -> None:
    otp = zignsec.Otp(OTP["secret"])
    assert (otp.digits, otp.ttl, otp.max_attempts) == (6, 300.0, 5)
    assert zignsec.Otp(OTP["secret"].encode()).digits == 6
    for bad in (-1.0, float("nan"), float("inf"), 0):
        with pytest.raises(zignsec.ConfigError, match="^ttl"):
            zignsec.Otp(OTP["secret"], ttl=bad)
    with pytest.raises(TypeError):
        zignsec.Otp(OTP["secret"], digits=True)
    with pytest.raises(TypeError):
        zignsec.Otp(123)  # type: ignore[arg-type]


@pytest.mark.parametrize("case", OTP["template_cases"], ids=ids(OTP["template_cases"]))
def test_template_cases_through_send_otp(client: zignsec.Client, fresh_mock: Mock, case: Dict[str, Any]) -> None:
    otp = zignsec.Otp(OTP["secret"])
    fresh_mock.reset_stats()
    if case["expect"] == "ok":
        sent = client.send_otp(TO, "ZignSec", otp, template=case["template"])
        message = fresh_mock.session(sent.session.id)["request"]["metadata"]["message"]
        code = fresh_mock.session(sent.session.id).get("last_code")
        # The code is random: the message is the template with some digits in place.
        prefix, _, suffix = case["template"].partition("{code}")
        assert message.startswith(prefix) and message.endswith(suffix)
        typed = message[len(prefix):len(message) - len(suffix)]
        assert re.fullmatch(r"[0-9]{6}", typed), (typed, code)
        check = otp.check(sent.challenge, typed, TO)
        assert check.ok and check.reason == "ok"
    else:
        with pytest.raises(zignsec.ValidationError) as info:
            client.send_otp(TO, "ZignSec", otp, template=case["template"])
        assert info.value.field == case["field"] and info.value.maybe_sent is False
        assert fresh_mock.requests_total() == 0


def typed_code(spec: str, c: str) -> str:
    if spec == "$right":
        return c
    if spec == "$right_spaced":
        return " ".join(c[i:i + 2] for i in range(0, len(c), 2))
    if spec == "$right_hyphenated":
        return c[:3] + "-" + c[3:]
    if spec == "$right_padded":
        return " " + c + " "
    if spec == "$wrong":
        return c[:-1] + str((int(c[-1]) + 1) % 10)
    if spec == "$right_plus_digit":
        return c + "0"
    if spec == "$right_minus_digit":
        return c[:-1]
    if spec == "$right_with_letter":
        return c[:-1] + "x"
    return spec


def pick(spec: str, latest: str, issued: str) -> str:
    def swap(ch: str) -> str:
        return "B" if ch == "A" else "A"
    return {
        "latest": latest,
        "issued": issued,
        "tampered_first": swap(latest[0]) + latest[1:],
        "tampered_last": latest[:-1] + swap(latest[-1]),
        "truncated": latest[:-1],
        "extended": latest + "A",
        "empty": "",
    }[spec]


@pytest.mark.parametrize("flow", OTP["flows"], ids=ids(OTP["flows"]))
def test_flows(flow: Dict[str, Any]) -> None:
    o = flow["options"]
    make = lambda secret: zignsec.Otp(secret, digits=o["digits"], ttl=o["ttl_ms"] / 1000,  # noqa: E731
                                      max_attempts=o["max_attempts"])
    same, other = make(OTP["secret"]), make(OTP["other_secret"])
    t0 = OTP["t0_ms"]
    code, issued = same._issue_at(TO, t0)
    assert re.fullmatch(OTP["challenge_pattern"], issued)
    assert len(code) == o["digits"] and code.isdigit()
    latest = issued
    for step in flow["steps"]:
        issuer = other if step["secret"] == "other" else same
        check = issuer._check_at(pick(step["challenge"], latest, issued), typed_code(step["code"], code),
                                 step["to"], t0 + step["after_ms"])
        assert {"ok": check.ok, "reason": check.reason, "attempts_left": check.attempts_left} == step["expect"]
        assert check.reason in OTP["reasons"]
        if check.reason != "invalid":
            latest = check.challenge


def test_issue_and_check_with_the_real_clock() -> None:
    otp = zignsec.Otp(OTP["secret"], digits=8)
    code, challenge = otp.issue(TO)
    assert len(code) == 8 and code not in challenge
    wrong = otp.check(challenge, "00000000" if code != "00000000" else "11111111", TO)
    assert (wrong.ok, wrong.reason, wrong.attempts_left) == (False, "wrong_code", 4)
    ok = otp.check(wrong.challenge, code, TO)
    assert ok.ok and ok.reason == "ok"
    assert otp.check(ok.challenge, code, TO).reason == "used"
    assert otp.check(challenge, code, OTP["other_to"]).reason == "invalid"
    assert ok.challenge not in repr(ok) and "challenge=<hidden>" in repr(ok)
    assert ok.to_dict()["challenge"] == ok.challenge
    with pytest.raises(zignsec.ValidationError) as info:
        otp.issue("0701234567")
    assert info.value.field == "to"


def test_send_otp_never_shows_the_code(client: zignsec.Client, fresh_mock: Mock) -> None:
    otp = zignsec.Otp(OTP["secret"])
    sent = client.send_otp(TO, "ZignSec", otp)
    message = fresh_mock.session(sent.session.id)["request"]["metadata"]["message"]
    assert message.startswith(OTP["default_template"].split("{code}")[0])
    code = message[-6:]
    for text in (repr(sent), str(sent), repr(sent.session)):
        assert code not in text and sent.challenge not in text
    assert isinstance(sent.session, zignsec.SmsSession) and sent.session.status == "pending"
    assert otp.check(sent.challenge, code, TO).ok
    # A failed send says nothing of the code either.
    fresh_mock.fault(method="POST", path="/core/api/sessions/two_factor_auth/sms", status=400,
                     body='{"errors":[{"code":"bad","description":"rejected: Your code is 123456"}]}')
    with pytest.raises(zignsec.BadRequestError) as info:
        client.send_otp(TO, "ZignSec", otp, template="{code}")
    err = info.value
    assert err.maybe_sent is not None
    with pytest.raises(TypeError):
        client.send_otp(TO, "ZignSec", "not an issuer")  # type: ignore[arg-type]
    with pytest.raises(zignsec.ValidationError) as v:
        client.send_otp(TO, "ZignSec", otp, max_message_parts=1.5)  # type: ignore[arg-type]
    assert v.value.field == "max_message_parts" and v.value.maybe_sent is False


def test_send_otp_async(fresh_mock: Mock) -> None:
    otp = zignsec.Otp(OTP["secret"])

    async def run() -> zignsec.OtpSend:
        async with zignsec.AsyncClient(API_KEY, base_url=fresh_mock.url) as c:
            return await c.send_otp(TO, "ZignSec", otp, template="Login code {code}")

    sent = asyncio.run(run())
    message = fresh_mock.session(sent.session.id)["request"]["metadata"]["message"]
    assert message.startswith("Login code ")
    assert otp.check(sent.challenge, message[-6:], TO).ok


def test_read_back_otp_sms_hides_the_text_in_repr(client: zignsec.Client, fresh_mock: Mock) -> None:
    otp = zignsec.Otp(OTP["secret"])
    sent = client.send_otp(TO, "ZignSec", otp)
    details = client.get_sms_session(sent.session.id)
    code = details.request.message[-6:]
    assert details.request.message.endswith(code) and details.to_dict()["request"]["message"] == details.request.message
    for text in (repr(details), repr(details.request)):
        assert code not in text and "<hidden>" in text
