"""zignsec key rotation: a client with a primary and a secondary key keeps working
when the primary is revoked.

Run it against the offline gateway (after ``make python-develop``)::

    scripts/with-mock.sh .venv/bin/python examples/python/key_rotation.py

Here the "old" primary key is one the gateway never knew (as if revoked) and the
secondary is the gateway's real key (ZIGNSEC_API_KEY, exported by with-mock.sh). The
first call gets a 401 on the old key, is retried at once with the secondary, and the
client keeps the key that worked. Against the real gateway, set
ZIGNSEC_SECONDARY_API_KEY and ZIGNSEC_API_KEY to your pair instead.
"""

from __future__ import annotations

import os

import zignsec

PHONE = os.environ.get("ZIGNSEC_DEMO_PHONE", "+46701234567")


def main() -> None:
    if os.environ.get("ZIGNSEC_MOCK_URL"):
        old_key, new_key = "sk_test_revoked_demo", os.environ["ZIGNSEC_API_KEY"]
    else:
        old_key, new_key = os.environ["ZIGNSEC_API_KEY"], os.environ["ZIGNSEC_SECONDARY_API_KEY"]
    # The offline gateway accepts either header by default; pick the one your product takes.
    scheme = os.environ.get("ZIGNSEC_AUTH_SCHEME", "authorization")
    with zignsec.Client(old_key, secondary_api_key=new_key, auth_scheme=scheme) as client:
        print(repr(client))  # never shows a key
        first = client.send_sms(PHONE, "Rotation check 1", "ZignSec")
        print(f"first send {first.id}: {first.status} (the old key was refused, the new one used)")
        second = client.send_sms(PHONE, "Rotation check 2", "ZignSec")
        print(f"second send {second.id}: {second.status} (straight to the key that worked)")

    with zignsec.Client(old_key, auth_scheme=scheme) as alone:
        try:
            alone.send_sms(PHONE, "x", "ZignSec")
        except zignsec.AuthenticationError as e:
            print(f"without the secondary: {type(e).__name__} (status {e.status}); no key in {str(e)!r}")


if __name__ == "__main__":
    main()
