"""zignsec quickstart: send an SMS, verify a phone, check a webhook signature.

Run it against the offline gateway with ``make demo-python`` (scripts/with-mock.sh
starts zignsec-mock and exports ZIGNSEC_BASE_URL, ZIGNSEC_API_KEY, ZIGNSEC_MOCK_URL
and ZIGNSEC_WEBHOOK_SECRET), or against the real test gateway by setting
ZIGNSEC_API_KEY (and, for the SMS, ZIGNSEC_DEMO_PHONE to your own number).
"""

from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Dict, Optional

import zignsec

MOCK_URL = os.environ.get("ZIGNSEC_MOCK_URL")
PHONE = os.environ.get("ZIGNSEC_DEMO_PHONE", "+46701234567")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def form_post(url: str, fields: Optional[Dict[str, str]] = None) -> str:
    """POST a form like a browser would; return where the page redirects to."""
    data = urllib.parse.urlencode(fields or {}).encode()
    request = urllib.request.Request(url, data=data, method="POST")
    opener = urllib.request.build_opener(_NoRedirect())
    try:
        with opener.open(request, timeout=10) as response:
            return str(response.headers.get("location", ""))
    except urllib.error.HTTPError as e:  # the 303 itself, since redirects are not followed
        if e.code in (301, 302, 303, 307):
            return str(e.headers.get("location", ""))
        raise


def play_user(redirect_url: str, session_id: str) -> None:
    """Be the user on the hosted page: ask for a code, read it, type it in.

    Only possible against the offline gateway, which shows the code it "sent"
    through its test-control API.
    """
    form_post(f"{redirect_url}/send")
    with urllib.request.urlopen(f"{MOCK_URL}/_mock/sessions/{session_id}", timeout=10) as r:
        code = json.load(r)["last_code"]
    print(f"  the user received code {code} and types it in")
    landed = form_post(f"{redirect_url}/verify", {"code": code})
    print(f"  the page sent the user to {landed}")


def main() -> None:
    # Every option can come from ZIGNSEC_* environment variables.
    with zignsec.Client() as client:
        print(client)  # the key is never shown

        # 1. Send an SMS and wait until it is delivered.
        parts = zignsec.sms_parts("Your code is 12345")
        print(f"1. the message needs {parts.parts} part(s) of {parts.encoding}")
        sms = client.send_sms(PHONE, "Your code is 12345", from_="ZignSec", relay_state="demo-user-1")
        print(f"   sent: session {sms.id} is {sms.status}")
        done = client.wait_sms_session(sms.id, timeout=60, poll_interval=0.2)
        print(f"   {done.id} is {done.status} in {done.number_of_message_parts} part(s)")
        if done.status != "delivered":
            raise SystemExit(f"the SMS ended {done.status}")

        # 2. Verify a phone number on ZignSec's hosted page.
        started = client.start_phone_verification(
            PHONE,
            locale="En",
            redirect_success="https://example.com/verified",
            redirect_failure="https://example.com/failed",
        )
        print(f"2. phone verification {started.id}: send the user to {started.redirect_url}")
        if MOCK_URL:
            play_user(started.redirect_url, started.id)
        try:
            finished = client.wait_phone_session(started.id, timeout=300, poll_interval=0.5)
        except zignsec.WaitTimeoutError as e:
            raise SystemExit(f"the user did not finish in time: {e}") from e
        print(f"   verification {finished.status} for {finished.phone_number}")
        if finished.status != "finished":
            raise SystemExit(f"the verification ended {finished.status}")

        # 3. Check a webhook's signature (here one we sign ourselves).
        secret = os.environ.get("ZIGNSEC_WEBHOOK_SECRET", "whsec_demo")
        body = json.dumps({"event": "status_changed", "id": sms.id, "status": "delivered",
                           "relay_state": "demo-user-1"})
        header = zignsec.sign_webhook(body, secret, int(time.time()))
        event = zignsec.verify_webhook(body, header, secret)
        print(f"3. webhook verified: {event.event} {event.id} -> {event.status} ({event.relay_state})")
        try:
            zignsec.verify_webhook(body.replace("delivered", "failed"), header, secret)
            raise SystemExit("a tampered webhook was accepted")
        except zignsec.WebhookSignatureError:
            print("   a tampered body is rejected")

        # Errors are typed and carry what the gateway said.
        try:
            client.get_sms_session("00000000-0000-4000-8000-000000000000")
        except zignsec.NotFoundError as e:
            print(f"   unknown session: HTTP {e.status}, code {e.code!r}")
    print("quickstart: done")


if __name__ == "__main__":
    main()
