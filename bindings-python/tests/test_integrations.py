"""The webhook helpers in ``zignsec.integrations`` against the real frameworks (Flask's
test client, FastAPI's TestClient, Django's test Client and RequestFactory): a raw
body signed now verifies; a bad, missing or stale signature, or the same JSON
re-serialised, answers 400 and the handler never runs."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import types
from typing import Any, Callable, Dict, List, Optional

import pytest

import zignsec

SECRET = "whsec_integrations_suite"
BODY = (
    b'{"event":"session_finished","id":"26f5cc23-dbbb-45bb-a210-2818e70637bd",'
    b'"integration_id":"Zignsec.v5.SMS","number_of_message_parts":1,'
    b'"relay_state":"user-7","status":"delivered","workflow_session_id":"w-1"}'
)
# The same JSON as BODY, serialised differently: what a framework that parsed the
# body and dumped it again would hand over.
RESERIALISED = json.dumps(json.loads(BODY), indent=2).encode()
HEADER = zignsec.SIGNATURE_HEADER
PATH = "/zignsec/webhook"


def signed_now(body: bytes = BODY) -> str:
    return zignsec.sign_webhook(body, SECRET, int(time.time()))


def signed_stale(body: bytes = BODY) -> str:
    return zignsec.sign_webhook(body, SECRET, int(time.time()) - 301)


def wrong_secret(body: bytes = BODY) -> str:
    return zignsec.sign_webhook(body, "whsec_someone_else", int(time.time()))


# (name, body sent, header or None): every one must answer 400 without the handler.
REJECTED: List[Any] = [
    pytest.param(BODY, lambda: wrong_secret(), id="bad-signature"),
    pytest.param(BODY, lambda: None, id="missing-header"),
    pytest.param(BODY, lambda: "t=oops", id="malformed-header"),
    pytest.param(BODY, lambda: signed_stale(), id="stale"),
    pytest.param(RESERIALISED, lambda: signed_now(BODY), id="reserialised-body"),
]


def headers_for(sig: Optional[str]) -> Dict[str, str]:
    h = {"Content-Type": "application/json"}
    if sig is not None:
        h[HEADER] = sig
    return h


def check_event(event: Dict[str, Any]) -> None:
    assert event == {
        "event": "session_finished",
        "id": "26f5cc23-dbbb-45bb-a210-2818e70637bd",
        "status": "delivered",
        "relay_state": "user-7",
    }


def event_fields(event: zignsec.WebhookEvent) -> Dict[str, Any]:
    return {"event": event.event, "id": event.id, "status": event.status, "relay_state": event.relay_state}


# --- import isolation --------------------------------------------------------------


def test_import_zignsec_loads_no_framework() -> None:
    code = (
        "import sys, zignsec, zignsec.integrations\n"
        "loaded = [m for m in ('flask', 'fastapi', 'starlette', 'django', 'werkzeug') if m in sys.modules]\n"
        "print(','.join(loaded))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_each_helper_loads_only_its_framework() -> None:
    code = (
        "import sys, zignsec.integrations.{mod}\n"
        "print(','.join(m for m in ('flask', 'fastapi', 'django') if m in sys.modules))\n"
    )
    for mod, expected in (("flask", "flask"), ("fastapi", "fastapi"), ("django", "django")):
        out = subprocess.run(
            [sys.executable, "-c", code.format(mod=mod)], capture_output=True, text=True, check=True
        )
        assert out.stdout.strip() == expected


# --- Flask ---------------------------------------------------------------------------


@pytest.fixture
def flask_app() -> Any:
    import flask

    from zignsec.integrations.flask import verify_request

    app = flask.Flask("zignsec_webhook_test")
    calls: List[Dict[str, Any]] = []

    @app.post(PATH)
    def hook() -> Any:
        event = verify_request(SECRET)
        # The raw body was cached, so the view can still read it as JSON.
        assert flask.request.get_json()["id"] == event.id
        fields = event_fields(event)
        calls.append(fields)
        return fields

    @app.post("/tolerant")
    def tolerant() -> Any:
        return event_fields(verify_request(SECRET, tolerance=3600))

    app.config["calls"] = calls
    return app


def test_flask_raw_body_verifies(flask_app: Any) -> None:
    resp = flask_app.test_client().post(PATH, data=BODY, headers=headers_for(signed_now()))
    assert resp.status_code == 200, resp.get_data(as_text=True)
    check_event(resp.get_json())
    assert len(flask_app.config["calls"]) == 1


@pytest.mark.parametrize("body, sig", REJECTED)
def test_flask_rejects(flask_app: Any, body: bytes, sig: Callable[[], Optional[str]]) -> None:
    resp = flask_app.test_client().post(PATH, data=body, headers=headers_for(sig()))
    assert resp.status_code == 400
    assert "invalid ZignSec webhook" in resp.get_data(as_text=True)
    assert flask_app.config["calls"] == []


def test_flask_tolerance(flask_app: Any) -> None:
    resp = flask_app.test_client().post("/tolerant", data=BODY, headers=headers_for(signed_stale()))
    assert resp.status_code == 200
    check_event(resp.get_json())


def test_flask_signed_body_that_is_not_an_event(flask_app: Any) -> None:
    body = b"not json"
    resp = flask_app.test_client().post(PATH, data=body, headers=headers_for(signed_now(body)))
    assert resp.status_code == 400
    assert flask_app.config["calls"] == []


# --- FastAPI -------------------------------------------------------------------------


@pytest.fixture
def fastapi_app() -> Any:
    from fastapi import Depends, FastAPI

    from zignsec.integrations.fastapi import WebhookVerifier

    app = FastAPI()
    verifier = WebhookVerifier(SECRET)
    tolerant = WebhookVerifier(SECRET, tolerance=3600)
    calls: List[Dict[str, Any]] = []

    @app.post(PATH)
    async def hook(event: zignsec.WebhookEvent = Depends(verifier)) -> Dict[str, Any]:
        fields = event_fields(event)
        calls.append(fields)
        return fields

    @app.post("/tolerant")
    async def hook_tolerant(event: zignsec.WebhookEvent = Depends(tolerant)) -> Dict[str, Any]:
        return event_fields(event)

    app.state.calls = calls
    return app


def test_fastapi_raw_body_verifies(fastapi_app: Any) -> None:
    from fastapi.testclient import TestClient

    with TestClient(fastapi_app) as client:
        resp = client.post(PATH, content=BODY, headers=headers_for(signed_now()))
    assert resp.status_code == 200, resp.text
    check_event(resp.json())
    assert len(fastapi_app.state.calls) == 1


@pytest.mark.parametrize("body, sig", REJECTED)
def test_fastapi_rejects(fastapi_app: Any, body: bytes, sig: Callable[[], Optional[str]]) -> None:
    from fastapi.testclient import TestClient

    with TestClient(fastapi_app) as client:
        resp = client.post(PATH, content=body, headers=headers_for(sig()))
    assert resp.status_code == 400
    assert "invalid ZignSec webhook" in resp.json()["detail"]
    assert fastapi_app.state.calls == []


def test_fastapi_tolerance(fastapi_app: Any) -> None:
    from fastapi.testclient import TestClient

    with TestClient(fastapi_app) as client:
        resp = client.post("/tolerant", content=BODY, headers=headers_for(signed_stale()))
    assert resp.status_code == 200
    check_event(resp.json())


def test_fastapi_verifier_keeps_its_secret() -> None:
    from zignsec.integrations.fastapi import WebhookVerifier

    assert SECRET not in repr(WebhookVerifier(SECRET))
    with pytest.raises(TypeError, match="secret"):
        WebhookVerifier(b"bytes-secret")  # type: ignore[arg-type]
    # The core judges the secret and the tolerance when the verifier is made.
    with pytest.raises(zignsec.ValidationError, match="secret"):
        WebhookVerifier("")
    with pytest.raises(zignsec.ValidationError, match="tolerance"):
        WebhookVerifier(SECRET, tolerance=-1)


# --- Django --------------------------------------------------------------------------

DJANGO_CALLS: List[Dict[str, Any]] = []


def _django_views() -> types.ModuleType:
    from django.http import HttpRequest, HttpResponse, JsonResponse
    from django.urls import path
    from django.views.decorators.csrf import csrf_exempt

    from zignsec.integrations.django import verify_request

    @csrf_exempt
    def hook(request: HttpRequest) -> HttpResponse:
        fields = event_fields(verify_request(request, SECRET))
        DJANGO_CALLS.append(fields)
        return JsonResponse(fields)

    @csrf_exempt
    def tolerant(request: HttpRequest) -> HttpResponse:
        return JsonResponse(event_fields(verify_request(request, SECRET, tolerance=3600)))

    urls = types.ModuleType("zignsec_integrations_test_urls")
    urls.urlpatterns = [path(PATH.lstrip("/"), hook), path("tolerant", tolerant)]  # type: ignore[attr-defined]
    return urls


@pytest.fixture
def django_client() -> Any:
    import django
    from django.conf import settings
    from django.test import Client

    if not settings.configured:
        urls = _django_views()
        sys.modules[urls.__name__] = urls
        settings.configure(
            DEBUG=False,
            SECRET_KEY="zignsec-integrations-suite",
            ALLOWED_HOSTS=["testserver"],
            ROOT_URLCONF=urls.__name__,
            MIDDLEWARE=["django.middleware.csrf.CsrfViewMiddleware"],
            INSTALLED_APPS=[],
            DATABASES={},
        )
        django.setup()
    DJANGO_CALLS.clear()
    # enforce_csrf_checks: as in production, so the example's csrf_exempt is exercised.
    return Client(enforce_csrf_checks=True)


def test_django_raw_body_verifies(django_client: Any) -> None:
    resp = django_client.post(PATH, data=BODY, content_type="application/json", headers={HEADER: signed_now()})
    assert resp.status_code == 200, resp.content
    check_event(resp.json())
    assert len(DJANGO_CALLS) == 1


@pytest.mark.parametrize("body, sig", REJECTED)
def test_django_rejects(django_client: Any, body: bytes, sig: Callable[[], Optional[str]]) -> None:
    s = sig()
    extra = {} if s is None else {HEADER: s}
    resp = django_client.post(PATH, data=body, content_type="application/json", headers=extra)
    assert resp.status_code == 400
    assert DJANGO_CALLS == []


def test_django_tolerance(django_client: Any) -> None:
    resp = django_client.post("/tolerant", data=BODY, content_type="application/json", headers={HEADER: signed_stale()})
    assert resp.status_code == 200
    check_event(resp.json())


def test_django_request_factory(django_client: Any) -> None:
    from django.core.exceptions import SuspiciousOperation
    from django.test import RequestFactory

    from zignsec.integrations.django import verify_request

    rf = RequestFactory()
    ok = rf.post(PATH, data=BODY, content_type="application/json", headers={HEADER: signed_now()})
    check_event(event_fields(verify_request(ok, SECRET)))
    bad = rf.post(PATH, data=RESERIALISED, content_type="application/json", headers={HEADER: signed_now()})
    with pytest.raises(SuspiciousOperation, match="invalid ZignSec webhook"):
        verify_request(bad, SECRET)
