"""Secrets probe for the Python binding (run by secrets_check.sh with a canary key in
ZIGNSEC_API_KEY and ZIGNSEC_LOG=debug, against a mock started with that key). Prints
everything a user could print: repr/str/vars of clients, results and errors, tracebacks,
and Python logging at DEBUG. secrets_check.sh greps all of it for the key."""
from __future__ import annotations

import asyncio
import json
import logging
import os
import sys
import traceback
import urllib.request

import zignsec

logging.basicConfig(level=logging.DEBUG, stream=sys.stderr)
KEY = os.environ["ZIGNSEC_API_KEY"]
MOCK = os.environ["ZIGNSEC_MOCK_URL"]


def control(method: str, path: str, body: object = None) -> None:
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(MOCK + path, data=data, method=method)
    req.add_header("Content-Type", "application/json")
    urllib.request.urlopen(req, timeout=10).read()


def sent_code(session_id: str) -> str:
    """The one-time code as the phone got it (the gateway's record of the SMS), never
    printed: secrets_check.sh reads every code the gateway sent and searches all output."""
    with urllib.request.urlopen(f"{MOCK}/_mock/sessions/{session_id}", timeout=10) as r:
        message = json.load(r)["request"]["metadata"]["message"]
    return "".join(c for c in message if c.isdigit())


def show(label: str, obj: object) -> None:
    print(f"{label}: str={obj!s} repr={obj!r}")
    for attr in ("__dict__", "args"):
        if hasattr(obj, attr):
            print(f"{label}.{attr}={getattr(obj, attr)!r}")
    print(f"{label}.dir={[(a, repr(getattr(obj, a, None))[:200]) for a in dir(obj) if not a.startswith('__')]}")


def expect_error(label: str, fn) -> None:  # type: ignore[no-untyped-def]
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - everything is printed
        show(label, e)
        traceback.print_exc()
    else:
        print(f"{label}: no error")


client = zignsec.Client(timeout=3, max_retries=1)  # key and base URL from the env
show("client", client)
sms = client.send_sms("+46701234567", "Your code is 12345", from_="ZignSec")
show("sms", sms)
show("details", client.wait_sms_session(sms.id, timeout=5, poll_interval=0.05))
show("phone", client.start_phone_verification("+46703339954"))

# One-time codes: returned, logged or put in an error nowhere (the code reaches only the
# phone). 8 digits, so that no other number in the output is taken for one.
OTP_TEMPLATE = "Your sign-in code: {code}"
otp = zignsec.Otp("secrets-probe-otp-secret-0123456789abcdef", digits=8)
otp_sent = client.send_otp("+46701234567", "ZignSec", otp, template=OTP_TEMPLATE)
show("otp_send", otp_sent)
otp_code = sent_code(otp_sent.session.id)
wrong = "11111111" if otp_code != "11111111" else "22222222"
show("otp_wrong", otp.check(otp_sent.challenge, wrong, "+46701234567"))
show("otp_right", otp.check(otp_sent.challenge, otp_code, "+46701234567"))
show("otp_reused", otp.check(otp_sent.challenge, otp_code, "+46705550000"))

faults = [
    {"method": "GET", "status": 500, "count": 5},
    {"method": "POST", "status": 401, "body": '{"errors":[{"code":"unauthorized","description":"bad key"}]}'},
    {"method": "POST", "status": 429, "retry_after": "0", "count": 5},
    {"method": "POST", "drop": True},
    {"method": "GET", "status": 200, "body": "<html>oops</html>", "content_type": "text/html", "count": 5},
    {"method": "POST", "delay_ms": 4000},
]
for i, fault in enumerate(faults):
    control("DELETE", "/_mock/faults")
    control("POST", "/_mock/faults", fault)
    expect_error(f"fault{i}.read", lambda: client.get_sms_session(sms.id))
    expect_error(f"fault{i}.send", lambda: client.send_sms("+46701234567", "Your code is 12345", from_="ZignSec"))
    expect_error(f"fault{i}.send_otp", lambda: client.send_otp("+46701234567", "ZignSec", otp, template=OTP_TEMPLATE))
control("DELETE", "/_mock/faults")

# A wrong key that holds the canary: the 401 must not echo it.
expect_error("wrong_key", lambda: zignsec.Client(api_key=KEY + "x").get_sms_session(sms.id))
# Config errors around the key.
expect_error("http_non_loopback", lambda: zignsec.Client(api_key=KEY, base_url="http://example.com"))
expect_error("key_with_newline", lambda: zignsec.Client(api_key=KEY + "\n"))
expect_error("key_with_nul", lambda: zignsec.Client(api_key=KEY + "\x00"))
expect_error("validation", lambda: client.send_sms("bad", "x", from_="ZignSec"))
expect_error("not_found", lambda: client.get_sms_session("26f5cc23-dbbb-45bb-a210-2818e70637bd"))


async def main() -> None:
    ac = zignsec.AsyncClient(timeout=3)
    show("async_client", ac)
    s = await ac.send_sms("+46701234567", "Your code is 12345", from_="ZignSec")
    show("async_sms", s)
    try:
        await ac.get_sms_session("26f5cc23-dbbb-45bb-a210-2818e70637bd")
    except zignsec.ZignSecError as e:
        show("async_not_found", e)
        traceback.print_exc()


asyncio.run(main())
client.close()
show("closed_client", client)
expect_error("use_after_close", lambda: client.get_sms_session(sms.id))
print("python secrets probe: done")
