"""A Flask app that signs users in with a one-time code by SMS, and verifies a phone
number on ZignSec's hosted page, with the signed webhook that confirms it.

Run it (see README.md next to this file for the whole walk-through)::

    ZIGNSEC_API_KEY=... APP_URL=https://your.app OTP_SECRET=... APP_SECRET_KEY=... \\
    ZIGNSEC_WEBHOOK_SECRET=... python app.py

Configuration, all from the environment:

- ``ZIGNSEC_API_KEY``, ``ZIGNSEC_BASE_URL`` / ``ZIGNSEC_ENVIRONMENT`` and the other
  ``ZIGNSEC_*`` client options: read by ``zignsec.Client()`` itself.
- ``ZIGNSEC_WEBHOOK_SECRET``: the key of the gateway's webhook signatures.
- ``OTP_SECRET``: the key one-time-code challenges are sealed with (16 bytes or more);
  ``OTP_TTL_SECONDS``: how long a code lives (default 300).
- ``APP_SECRET_KEY``: Flask's key for the signed session cookie.
- ``APP_URL``: where the gateway sends users and webhooks back (the real gateway needs
  an ``https://`` one; in demo mode it defaults to the URL the request came in on).
- ``DEFAULT_REGION``: the country of numbers typed without ``+`` (default ``SE``).
- ``ZIGNSEC_MOCK_URL``: set only against the offline gateway (``zignsec-mock``): demo
  mode, where the pages show the mock's inbox (the SMS the "phone" received), so a
  person can click through without a phone.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import threading
import urllib.parse
import urllib.request
from typing import Any, Dict, List, Optional

from flask import Flask, abort, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue

import zignsec
from zignsec.integrations.flask import verify_request

log = logging.getLogger("flask_login_example")

SENDER = os.environ.get("ZIGNSEC_SENDER", "ZignSec")
DEFAULT_REGION = os.environ.get("DEFAULT_REGION", "SE")
MOCK_URL = os.environ.get("ZIGNSEC_MOCK_URL") or None


def _required(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise SystemExit(f"set {name} (see examples/python/flask_login/README.md)")
    return value


def _demo_or_required(name: str, demo_value: str) -> str:
    """Outside demo mode a secret must be configured; in demo mode a fixed one will do."""
    if MOCK_URL and not os.environ.get(name):
        return demo_value
    return _required(name)


app = Flask(__name__)
app.secret_key = _demo_or_required("APP_SECRET_KEY", "demo-only-flask-session-key")
app.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax")
WEBHOOK_SECRET = _required("ZIGNSEC_WEBHOOK_SECRET")
# Built once, shared by every request (both are thread-safe).
client = zignsec.Client()
otp = zignsec.Otp(
    _demo_or_required("OTP_SECRET", "demo-only-otp-secret-0123456789"),
    ttl=float(os.environ.get("OTP_TTL_SECONDS", "300")),
    max_attempts=5,
)

# Verified webhook events by session id. A real app writes them to its database.
_events_lock = threading.Lock()
_events: Dict[str, List[Dict[str, Any]]] = {}
_last_event: Optional[Dict[str, Any]] = None


# Where the gateway sends users and webhooks back to. Required outside demo mode: taking
# it from the request's Host header would let a client choose where ZignSec redirects.
APP_URL = os.environ.get("APP_URL") or (None if MOCK_URL else _required("APP_URL"))


def app_url() -> str:
    return (APP_URL or request.host_url).rstrip("/")


def mock_inbox(to: str) -> Optional[Dict[str, Any]]:
    """Demo mode only: the last SMS the offline gateway "delivered" to ``to``.

    Reads the mock's control API (``GET /_mock/sessions``, then each SMS session), which
    exists only in ``zignsec-mock``: the real gateway delivers to a real phone.
    """
    if not MOCK_URL:
        return None
    latest: Optional[Dict[str, Any]] = None
    with urllib.request.urlopen(f"{MOCK_URL}/_mock/sessions", timeout=5) as r:
        listed = json.load(r)["sessions"]
    for item in listed:
        if item["kind"] != "sms":
            continue
        with urllib.request.urlopen(f"{MOCK_URL}/_mock/sessions/{item['id']}", timeout=5) as r:
            state = json.load(r)
        metadata = state["request"]["metadata"]
        if metadata.get("to") == to and (latest is None or state["created_at_ms"] >= latest["created_at_ms"]):
            latest = state
    if latest is None:
        return None
    return {"to": to, "message": latest["request"]["metadata"]["message"], "status": latest["status"]}


# ---- Sign in with a one-time code by SMS ----------------------------------------------


@app.get("/")
def index() -> ResponseReturnValue:
    return render_template("phone.html", user=session.get("user"), demo=bool(MOCK_URL))


@app.post("/login")
def login() -> ResponseReturnValue:
    typed = request.form.get("phone", "")
    try:
        to = zignsec.normalize_phone(typed, DEFAULT_REGION)
    except zignsec.ValidationError:
        return render_template("phone.html", error="That does not look like a phone number.", phone=typed), 400
    try:
        sent = client.send_otp(to, from_=SENDER, otp=otp)
    except zignsec.ValidationError as e:
        return render_template("phone.html", error=f"That number cannot get an SMS: {e}", phone=typed), 400
    except zignsec.ZignSecError as e:
        # Errors are safe to log: no code, no full number, no key.
        log.warning("send_otp failed: %s", e)
        return render_template("phone.html", error="We could not send the code. Try again.", phone=typed), 503
    # The challenge holds no code: it is sealed with OTP_SECRET and only says which
    # number, until when, and how many attempts so far.
    session["otp"] = {"to": to, "challenge": sent.challenge}
    return redirect(url_for("code"), code=303)


MESSAGES = {
    "expired": "The code has expired. Ask for a new one.",
    "too_many_attempts": "Too many wrong codes. Ask for a new one.",
    "used": "That code was already used. Ask for a new one.",
    "invalid": "This sign-in is not valid any more. Start again.",
}


@app.route("/code", methods=["GET", "POST"])
def code() -> ResponseReturnValue:
    pending = session.get("otp")
    if not pending:
        return redirect(url_for("index"), code=303)
    to = pending["to"]
    inbox = mock_inbox(to)
    if request.method == "GET":
        return render_template("code.html", to=to, inbox=inbox)
    check = otp.check(pending["challenge"], request.form.get("code", ""), to)
    if check.ok:
        session.pop("otp")
        session["user"] = to
        return redirect(url_for("signed_in"), code=303)
    # Store the counted attempt back, whatever the outcome.
    session["otp"] = {"to": to, "challenge": check.challenge}
    if check.reason == "wrong_code":
        left = check.attempts_left
        error = f"Wrong code. {left} attempt{'s' if left != 1 else ''} left."
        return render_template("code.html", to=to, inbox=inbox, error=error, reason=check.reason), 400
    session.pop("otp")
    return render_template("code.html", to=to, inbox=inbox, error=MESSAGES[check.reason], reason=check.reason, restart=True), 400


@app.get("/signed-in")
def signed_in() -> ResponseReturnValue:
    user = session.get("user")
    if not user:
        return redirect(url_for("index"), code=303)
    return render_template("signed_in.html", user=user)


@app.post("/logout")
def logout() -> ResponseReturnValue:
    session.clear()
    return redirect(url_for("index"), code=303)


# ---- Verify a phone number on the hosted page -------------------------------------------


@app.get("/verify")
def verify() -> ResponseReturnValue:
    return render_template("verify.html", demo=bool(MOCK_URL))


@app.post("/verify")
def verify_start() -> ResponseReturnValue:
    typed = request.form.get("phone", "")
    try:
        number = zignsec.normalize_phone(typed, DEFAULT_REGION)
    except zignsec.ValidationError:
        return render_template("verify.html", error="That does not look like a phone number.", phone=typed), 400
    state = secrets.token_urlsafe(16)  # ties the redirect back to this browser
    base = app_url()
    try:
        started = client.start_phone_verification(
            number,
            locale="En",
            redirect_success=f"{base}/verified",
            redirect_failure=f"{base}/not-verified",
            relay_state=state,
            webhook=f"{base}/webhooks/zignsec",
        )
    except zignsec.ZignSecError as e:
        log.warning("start_phone_verification failed: %s", e)
        return render_template("verify.html", error="We could not start the verification. Try again.", phone=typed), 503
    session["verification"] = {"id": started.id, "state": state}
    return redirect(started.redirect_url, code=303)


def _verification_result(expected_ok: bool) -> ResponseReturnValue:
    pending = session.get("verification")
    if not pending:
        return redirect(url_for("verify"), code=303)
    # The redirect alone proves nothing (anyone can open /verified): ask the gateway.
    details = client.get_phone_session(pending["id"])
    if details.request.relay_state != pending["state"]:
        abort(400)
    finished = details.status.lower() == "finished"
    if finished:
        session["verified_phone"] = details.phone_number
    with _events_lock:
        events = list(_events.get(details.id, []))
    return render_template(
        "verified.html",
        details=details,
        finished=finished,
        events=events,
        expected_ok=expected_ok,
    )


@app.get("/verified")
def verified() -> ResponseReturnValue:
    return _verification_result(True)


@app.get("/not-verified")
def not_verified() -> ResponseReturnValue:
    return _verification_result(False)


@app.post("/webhooks/zignsec")
def zignsec_webhook() -> ResponseReturnValue:
    global _last_event
    # Verifies the signature over the raw body; a bad one is a 400 and stops here.
    event = verify_request(WEBHOOK_SECRET)
    record = {"event": event.event, "id": event.id, "status": event.status, "verified": True}
    with _events_lock:
        _events.setdefault(event.id, []).append(record)
        _last_event = record
    log.info("webhook %s: session %s is %s", event.event, event.id, event.status)
    return "", 204


@app.get("/webhooks/last")
def last_webhook() -> ResponseReturnValue:
    """Demo mode: the last verified webhook event, and with ``?session=<id>`` that session's."""
    if not MOCK_URL:
        abort(404)  # demo mode only: it lists every session's events
    session_id = request.args.get("session")
    with _events_lock:
        answer: Dict[str, Any] = {"last": _last_event, "count": sum(len(v) for v in _events.values())}
        if session_id:
            answer["events"] = list(_events.get(session_id, []))
    return answer


# ---- Demo mode: the mock's inbox ----------------------------------------------------------


@app.get("/demo/inbox")
def demo_inbox() -> ResponseReturnValue:
    if not MOCK_URL:
        abort(404)
    to = request.args.get("to", "")
    return {"inbox": mock_inbox(to)}


@app.get("/demo/verification-code")
def demo_verification_code() -> ResponseReturnValue:
    """Demo mode only: the code the hosted page "sent" for this browser's verification."""
    pending = session.get("verification")
    if not MOCK_URL or not pending:
        abort(404)
    with urllib.request.urlopen(f"{MOCK_URL}/_mock/sessions/{urllib.parse.quote(pending['id'])}", timeout=5) as r:
        state = json.load(r)
    return render_template("demo_code.html", code=state["last_code"], status=state["status"])


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    port = int(os.environ.get("PORT", "8000"))
    if MOCK_URL:
        print(f"demo mode: offline gateway at {MOCK_URL}; the pages show its inbox", flush=True)
    print(f"serving on http://127.0.0.1:{port}", flush=True)
    app.run(host="127.0.0.1", port=port, threaded=True)
