"""The Python side of the benchmarks (driven by bench/run.py).

Measures the zignsec binding against `requests.Session` and `httpx.Client`
(the clients a Python user would pick instead). Every mode prints one JSON
object. The gateway comes from BENCH_URL, the key from BENCH_KEY, the session
read from BENCH_SESSION.

    bench.py seq <zignsec|requests|httpx> <calls> <batches> <warmup>
    bench.py concurrent <zignsec-threads|zignsec-async|requests-threads|httpx-async> <n> <reps> <delay_ms>
    bench.py conns <impl> <calls>
    bench.py mem <impl> <calls_a> <calls_b>
    bench.py construct <reps>
    bench.py bulk <zignsec-async|zignsec-threads|httpx-async|aiohttp> <sends> <in_flight> <warmup>
"""

import json
import os
import sys
import time
import urllib.request

URL = os.environ.get("BENCH_URL", "")
KEY = os.environ.get("BENCH_KEY", "")
SESSION = os.environ.get("BENCH_SESSION", "")
SESSION_URL = f"{URL}/core/api/sessions/{SESSION}"
HEADERS = {"Authorization": KEY, "Accept": "application/json"}


def status_bytes(*fields):
    """Sizes in bytes from /proc/self/status, after a full collection (memory still held)."""
    import gc

    gc.collect()
    found = {}
    with open("/proc/self/status") as f:
        for line in f:
            name = line.split(":", 1)[0]
            if name in fields:
                found[name] = int(line.split()[1]) * 1024
    return [found.get(n, 0) for n in fields]


def rss_and_anon():
    """VmRSS, and its anonymous part RssAnon: memory the process allocated, without the
    file-backed pages of the interpreter and libraries."""
    return status_bytes("VmRSS", "RssAnon")


def control(method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(f"{URL}{path}", data=data, method=method)
    req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req, timeout=10) as resp:
        text = resp.read()
    return json.loads(text) if text else None


def api_connections():
    return control("GET", "/_mock/stats")["api_connections"]


def delay_fault(n, delay_ms):
    control("DELETE", "/_mock/faults")
    control(
        "POST",
        "/_mock/faults",
        {"method": "GET", "path": "/core/api/sessions/", "count": n, "delay_ms": delay_ms},
    )


def zignsec_client():
    import zignsec

    return zignsec.Client(api_key=KEY, base_url=URL)


def caller(which):
    """A zero-argument function reading the session once, and the object to keep alive."""
    if which == "zignsec":
        client = zignsec_client()

        def call():
            d = client.get_sms_session(SESSION)
            if not d.id:
                raise RuntimeError("empty id")

        return call, client
    if which == "requests":
        import requests

        s = requests.Session()

        def call():
            r = s.get(SESSION_URL, headers=HEADERS)
            if r.status_code != 200:
                raise RuntimeError(f"status {r.status_code}")
            if not r.json()["data"]["id"]:
                raise RuntimeError("empty id")

        return call, s
    if which == "httpx":
        import httpx

        c = httpx.Client()

        def call():
            r = c.get(SESSION_URL, headers=HEADERS)
            if r.status_code != 200:
                raise RuntimeError(f"status {r.status_code}")
            if not r.json()["data"]["id"]:
                raise RuntimeError("empty id")

        return call, c
    raise SystemExit(f"unknown implementation {which!r}")


def seq(which, calls, batches, warmup):
    call, _keep = caller(which)
    for _ in range(warmup):
        call()
    batches = max(1, batches)
    per = max(1, calls // batches)
    out = []
    for _ in range(batches):
        w0, c0 = time.perf_counter(), time.process_time()
        for _ in range(per):
            call()
        wall = time.perf_counter() - w0
        cpu = time.process_time() - c0
        out.append({"calls": per, "wall_us": wall * 1e6 / per, "cpu_us": cpu * 1e6 / per})
    return {"impl": which, "batches": out}


def run_threads(n, fn):
    import threading

    results = [False] * n
    # Threads start first and wait at a gate; the clock starts when all are
    # released, so thread creation is not counted as call time.
    gate = threading.Barrier(n + 1)

    def work(i):
        gate.wait()
        try:
            fn()
            results[i] = True
        except Exception as e:  # noqa: BLE001 - counted, reported below
            print(f"call failed: {e!r}", file=sys.stderr)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    gate.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    return sum(results), (time.perf_counter() - t0) * 1e3


def concurrent(which, n, reps, delay_ms):
    runs = []
    if which == "zignsec-threads":
        client = zignsec_client()

        def fn():
            client.get_sms_session(SESSION)

        for _ in range(reps):
            delay_fault(n, delay_ms)
            ok, wall_ms = run_threads(n, fn)
            runs.append({"wall_ms": wall_ms, "ok": ok})
    elif which == "requests-threads":
        import requests

        s = requests.Session()
        # The default pool keeps 10 connections; give it 64 so it is not the cap.
        adapter = requests.adapters.HTTPAdapter(pool_connections=1, pool_maxsize=n)
        s.mount("http://", adapter)

        def fn():
            r = s.get(SESSION_URL, headers=HEADERS)
            r.raise_for_status()
            r.json()

        for _ in range(reps):
            delay_fault(n, delay_ms)
            ok, wall_ms = run_threads(n, fn)
            runs.append({"wall_ms": wall_ms, "ok": ok})
    elif which in ("zignsec-async", "httpx-async"):
        import asyncio

        async def main():
            if which == "zignsec-async":
                import zignsec

                client = zignsec.AsyncClient(api_key=KEY, base_url=URL)

                async def one():
                    await client.get_sms_session(SESSION)

            else:
                import httpx

                client = httpx.AsyncClient(limits=httpx.Limits(max_connections=n))

                async def one():
                    r = await client.get(SESSION_URL, headers=HEADERS)
                    r.raise_for_status()
                    r.json()

            for _ in range(reps):
                delay_fault(n, delay_ms)
                t0 = time.perf_counter()
                res = await asyncio.gather(*(one() for _ in range(n)), return_exceptions=True)
                wall = (time.perf_counter() - t0) * 1e3
                for r in res:
                    if isinstance(r, BaseException):
                        print(f"call failed: {r!r}", file=sys.stderr)
                ok = sum(1 for r in res if not isinstance(r, BaseException))
                runs.append({"wall_ms": wall, "ok": ok})

        asyncio.run(main())
    else:
        raise SystemExit(f"unknown implementation {which!r}")
    control("DELETE", "/_mock/faults")
    return {"impl": which, "n": n, "delay_ms": delay_ms, "runs": runs}


def conns(which, calls):
    control("POST", "/_mock/stats/reset")
    before = api_connections()
    call, _keep = caller(which)
    for _ in range(calls):
        call()
    return {"impl": which, "calls": calls, "connections": api_connections() - before}


def mem(which, a, b):
    rss0, _ = rss_and_anon()
    call, _keep = caller(which)
    t0 = time.perf_counter()
    for _ in range(a):
        call()
    rss_a, anon_a = rss_and_anon()
    mid = a + (b - a) // 2
    for _ in range(a, mid):
        call()
    rss_mid, anon_mid = rss_and_anon()
    for _ in range(mid, b):
        call()
    rss_b, anon_b = rss_and_anon()
    return {
        "impl": which,
        "calls_a": a,
        "calls_mid": mid,
        "calls_b": b,
        "rss_start": rss0,
        "rss_a": rss_a,
        "rss_mid": rss_mid,
        "rss_b": rss_b,
        "anon_a": anon_a,
        "anon_mid": anon_mid,
        "anon_b": anon_b,
        "seconds": time.perf_counter() - t0,
    }


def construct(reps):
    import zignsec

    import requests
    import httpx

    out = {"zignsec": [], "zignsec_async": [], "requests": [], "httpx": []}
    for _ in range(reps):
        t0 = time.perf_counter()
        c = zignsec.Client(api_key=KEY, base_url=URL)
        out["zignsec"].append((time.perf_counter() - t0) * 1e6)
        del c
        t0 = time.perf_counter()
        c = zignsec.AsyncClient(api_key=KEY, base_url=URL)
        out["zignsec_async"].append((time.perf_counter() - t0) * 1e6)
        del c
        t0 = time.perf_counter()
        c = requests.Session()
        out["requests"].append((time.perf_counter() - t0) * 1e6)
        c.close()
        t0 = time.perf_counter()
        c = httpx.Client()
        out["httpx"].append((time.perf_counter() - t0) * 1e6)
        c.close()
    return {"impl": "python", "construct_us": out}


SMS_URL = f"{URL}/core/api/sessions/two_factor_auth/sms"
SMS_BODY = {"metadata": {"from": "ZignSec", "to": "+46701234567", "message": "Your code: 12345", "max_message_parts": 1}}
SMS_HEADERS = {"Authorization": KEY, "Accept": "application/json", "Content-Type": "application/json"}


def hwm_bytes():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return 0


def bulk(which, sends, in_flight, warmup):
    """`sends` sends, `in_flight` at a time (workers pulling from one counter)."""
    if which == "zignsec-threads":
        import threading

        import zignsec

        client = zignsec.Client(api_key=KEY, base_url=URL)

        def run(total):
            left = [total]
            ok = [0]
            lock = threading.Lock()

            def work():
                while True:
                    with lock:
                        if left[0] <= 0:
                            return
                        left[0] -= 1
                    try:
                        if client.send_sms(to="+46701234567", message="Your code: 12345", from_="ZignSec").id:
                            with lock:
                                ok[0] += 1
                    except Exception as e:  # noqa: BLE001 - counted
                        print(f"send failed: {e!r}", file=sys.stderr)

            threads = [threading.Thread(target=work) for _ in range(in_flight)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            return ok[0]

        run(warmup)
        w0, c0 = time.perf_counter(), time.process_time()
        ok = run(sends)
        wall, cpu = time.perf_counter() - w0, time.process_time() - c0
    else:
        import asyncio

        async def main():
            if which == "zignsec-async":
                import zignsec

                client = zignsec.AsyncClient(api_key=KEY, base_url=URL)

                async def one():
                    return bool((await client.send_sms(to="+46701234567", message="Your code: 12345", from_="ZignSec")).id)

                close = None
            elif which == "httpx-async":
                import httpx

                client = httpx.AsyncClient(limits=httpx.Limits(max_connections=in_flight, max_keepalive_connections=in_flight))

                async def one():
                    r = await client.post(SMS_URL, json=SMS_BODY, headers=SMS_HEADERS)
                    return r.status_code // 100 == 2 and bool(r.json()["data"]["id"])

                close = client.aclose
            elif which == "aiohttp":
                import aiohttp

                client = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=in_flight))

                async def one():
                    async with client.post(SMS_URL, json=SMS_BODY, headers=SMS_HEADERS) as r:
                        j = await r.json()
                        return r.status // 100 == 2 and bool(j["data"]["id"])

                close = client.close
            else:
                raise SystemExit(f"unknown implementation {which!r}")

            async def run(total):
                left = [total]
                ok = [0]

                async def worker():
                    while left[0] > 0:
                        left[0] -= 1
                        try:
                            if await one():
                                ok[0] += 1
                        except Exception as e:  # noqa: BLE001 - counted
                            print(f"send failed: {e!r}", file=sys.stderr)

                await asyncio.gather(*(worker() for _ in range(in_flight)))
                return ok[0]

            await run(warmup)
            w0, c0 = time.perf_counter(), time.process_time()
            ok = await run(sends)
            wall, cpu = time.perf_counter() - w0, time.process_time() - c0
            if close is not None:
                await close()
            return ok, wall, cpu

        ok, wall, cpu = asyncio.run(main())
    return {"impl": which, "sends": sends, "in_flight": in_flight, "ok": ok, "wall_s": wall, "cpu_s": cpu, "hwm_bytes": hwm_bytes()}


def main(argv):
    mode = argv[0] if argv else ""
    args = argv[1:]

    def num(i, default):
        return int(args[i]) if len(args) > i else default

    if mode == "seq":
        res = seq(args[0], num(1, 10000), num(2, 20), num(3, 500))
    elif mode == "concurrent":
        res = concurrent(args[0], num(1, 64), num(2, 5), num(3, 100))
    elif mode == "conns":
        res = conns(args[0], num(1, 1000))
    elif mode == "mem":
        res = mem(args[0], num(1, 1000), num(2, 100000))
    elif mode == "construct":
        res = construct(num(0, 100))
    elif mode == "bulk":
        res = bulk(args[0], num(1, 10000), num(2, 64), num(3, 256))
    else:
        raise SystemExit(__doc__)
    print(json.dumps(res))


if __name__ == "__main__":
    main(sys.argv[1:])
