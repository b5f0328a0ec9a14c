"""Smoke test for an installed zignsec (a wheel or `pip install ./bindings-python` in a
fresh venv): it imports, the native module works, the stubs and marker ship."""

import asyncio
import importlib.resources
import sys

import zignsec

assert "site-packages" in zignsec.__file__, f"zignsec imported from {zignsec.__file__}, not an install"
assert zignsec.sms_parts("Your code is 12345").to_dict() == {
    "encoding": "gsm7", "parts": 1, "units": 18, "units_per_part": 160}
header = zignsec.sign_webhook('{"id":"x","status":"delivered"}', "secret", 1_700_000_000)
event = zignsec._zignsec._verify_webhook_at('{"id":"x","status":"delivered"}', header, "secret", 300, 1_700_000_000)
assert event.status == "delivered"
try:
    zignsec.Client(api_key="sk_smoke", base_url="http://example.com")
    raise SystemExit("an http:// non-loopback base URL was accepted")
except zignsec.ConfigError as e:
    assert "sk_smoke" not in str(e)
client = zignsec.Client(api_key="sk_smoke", base_url="http://127.0.0.1:9")
assert client.user_agent == f"zignsec-python/{zignsec.__version__}" and "sk_smoke" not in repr(client)
client.close()


async def check_async() -> None:
    async with zignsec.AsyncClient(api_key="k", base_url="http://127.0.0.1:9") as c:
        try:
            await c.send_sms("bad", "hi", "ZignSec")
        except zignsec.ValidationError as err:
            assert err.field == "to"


asyncio.run(check_async())
files = {p.name for p in importlib.resources.files("zignsec").iterdir()}
for name in ("py.typed", "_zignsec.pyi", "errors.py", "_async.py"):
    assert name in files, f"{name} missing from the install: {sorted(files)}"
print(f"smoke: zignsec {zignsec.__version__} OK on Python {sys.version.split()[0]}")
