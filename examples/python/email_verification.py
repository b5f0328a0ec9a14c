"""zignsec email verification: start a session, let the user verify on the hosted
page, read the outcome.

Run it against the offline gateway (after ``make python-develop``)::

    scripts/with-mock.sh .venv/bin/python examples/python/email_verification.py

scripts/with-mock.sh starts zignsec-mock and exports ZIGNSEC_BASE_URL,
ZIGNSEC_API_KEY and ZIGNSEC_MOCK_URL. Against the offline gateway this script also
plays the user (the mock shows the code it "emailed" through its control API).
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.parse
import urllib.request
from typing import Dict, Optional

import zignsec

MOCK_URL = os.environ.get("ZIGNSEC_MOCK_URL")
EMAIL = os.environ.get("ZIGNSEC_DEMO_EMAIL", "jane.doe@example.com")


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
    """Be the user on the hosted email page: ask for a code, read the inbox, type it."""
    form_post(f"{redirect_url}/send")
    with urllib.request.urlopen(f"{MOCK_URL}/_mock/sessions/{session_id}", timeout=10) as r:
        code = json.load(r)["last_code"]
    print(f"  the user found code {code} in their inbox and types it in")
    print(f"  the page sent the user to {form_post(f'{redirect_url}/verify', {'code': code})}")


def main() -> None:
    with zignsec.Client() as client:
        started = client.start_email_verification(
            EMAIL,
            "En",
            "https://app.example.com/email/verified",
            "https://app.example.com/email/failed",
            relay_state="user-42",
        )
        print(f"email verification {started.id}: send the user to {started.redirect_url}")
        if MOCK_URL:
            play_user(started.redirect_url, started.id)
        try:
            done = client.wait_email_session(started.id, timeout=60)
        except zignsec.WaitTimeoutError as e:
            last = e.details
            print(f"still not final: {last.status if last is not None else 'unknown'}")
            return
        print(f"status {done.status} for {done.request.email_address} (relay_state={done.request.relay_state})")
        for err in done.errors:
            print(f"  reason: {err.code}: {err.description}")


if __name__ == "__main__":
    main()
