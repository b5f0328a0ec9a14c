'use strict';
// The Node side of the benchmarks (driven by bench/run.py).
//
// Measures the zignsec binding against Node's built-in `fetch` (undici, the
// client a Node user would pick instead). Every mode prints one JSON object.
// The gateway comes from BENCH_URL, the key from BENCH_KEY, the session read
// from BENCH_SESSION. `require('zignsec')` resolves through bench/node/node_modules
// (a link to bindings-node made by the driver).
//
//   node bench.cjs seq <zignsec|fetch> <calls> <batches> <warmup>
//   node bench.cjs concurrent <zignsec|fetch> <n> <reps> <delay_ms>
//   node bench.cjs conns <zignsec|fetch> <calls>
//   node bench.cjs mem <zignsec|fetch> <calls_a> <calls_b>
//   node bench.cjs construct <reps>
//   node bench.cjs bulk <zignsec|fetch> <sends> <in_flight> <warmup>

// Resolve 'zignsec' from the working directory (the driver runs us in
// target/<triple>/bench/node, whose node_modules holds the release build).
const requireFromCwd = require('node:module').createRequire(require('node:path').join(process.cwd(), 'bench.cjs'));

const URL = process.env.BENCH_URL || '';
const KEY = process.env.BENCH_KEY || '';
const SESSION = process.env.BENCH_SESSION || '';
const SESSION_URL = `${URL}/core/api/sessions/${SESSION}`;
const HEADERS = { Authorization: KEY, Accept: 'application/json' };

function nowUs() {
  return Number(process.hrtime.bigint()) / 1e3;
}

function cpuUs() {
  const u = process.cpuUsage();
  return u.user + u.system;
}

async function control(method, path, body) {
  const init = { method, headers: { 'Content-Type': 'application/json', Connection: 'close' } };
  if (body !== undefined) init.body = JSON.stringify(body);
  const r = await fetch(`${URL}${path}`, init);
  const text = await r.text();
  if (!r.ok) throw new Error(`control ${method} ${path}: ${r.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

async function apiConnections() {
  return (await control('GET', '/_mock/stats')).api_connections;
}

async function delayFault(n, delayMs) {
  await control('DELETE', '/_mock/faults');
  await control('POST', '/_mock/faults', {
    method: 'GET',
    path: '/core/api/sessions/',
    count: n,
    delay_ms: delayMs,
  });
}

function zignsecClient() {
  const { Client } = requireFromCwd('zignsec');
  return new Client({ apiKey: KEY, baseUrl: URL });
}

function caller(which) {
  if (which === 'zignsec') {
    const client = zignsecClient();
    return async () => {
      const d = await client.getSmsSession(SESSION);
      if (!d.id) throw new Error('empty id');
    };
  }
  if (which === 'fetch') {
    return async () => {
      const r = await fetch(SESSION_URL, { headers: HEADERS });
      if (r.status !== 200) throw new Error(`status ${r.status}`);
      const j = await r.json();
      if (!j.data.id) throw new Error('empty id');
    };
  }
  throw new Error(`unknown implementation ${which}`);
}

async function seq(which, calls, batches, warmup) {
  const call = caller(which);
  for (let i = 0; i < warmup; i++) await call();
  batches = Math.max(1, batches);
  const per = Math.max(1, Math.floor(calls / batches));
  const out = [];
  for (let b = 0; b < batches; b++) {
    const w0 = nowUs();
    const c0 = cpuUs();
    for (let i = 0; i < per; i++) await call();
    const wall = nowUs() - w0;
    const cpu = cpuUs() - c0;
    out.push({ calls: per, wall_us: wall / per, cpu_us: cpu / per });
  }
  return { impl: which, batches: out };
}

async function concurrent(which, n, reps, delayMs) {
  const call = caller(which);
  const runs = [];
  for (let r = 0; r < reps; r++) {
    await delayFault(n, delayMs);
    const t0 = nowUs();
    const res = await Promise.allSettled(Array.from({ length: n }, () => call()));
    const wall = (nowUs() - t0) / 1e3;
    for (const x of res) if (x.status === 'rejected') console.error(`call failed: ${x.reason}`);
    runs.push({ wall_ms: wall, ok: res.filter((x) => x.status === 'fulfilled').length });
  }
  await control('DELETE', '/_mock/faults');
  return { impl: which, n, delay_ms: delayMs, runs };
}

async function conns(which, calls) {
  await control('POST', '/_mock/stats/reset');
  const before = await apiConnections();
  const call = caller(which);
  for (let i = 0; i < calls; i++) await call();
  return { impl: which, calls, connections: (await apiConnections()) - before };
}

// VmRSS and its anonymous part (RssAnon of /proc/self/status: memory the process
// allocated, without the file-backed pages of node's executable, which page in as V8
// first runs its optimising compiler and other new code paths), read at one point.
// With --expose-gc (the driver passes it for this mode): collect first, so the
// reading is memory still held rather than garbage not yet collected.
function memAfterGc() {
  if (typeof global.gc === 'function') global.gc();
  const m = require('node:fs').readFileSync('/proc/self/status', 'utf8').match(/^RssAnon:\s+(\d+) kB/m);
  return { rss: process.memoryUsage().rss, anon: m ? Number(m[1]) * 1024 : 0 };
}

async function mem(which, a, b) {
  const start = memAfterGc();
  const call = caller(which);
  const t0 = nowUs();
  for (let i = 0; i < a; i++) await call();
  const atA = memAfterGc();
  const mid = a + Math.floor((b - a) / 2);
  for (let i = a; i < mid; i++) await call();
  const atMid = memAfterGc();
  for (let i = mid; i < b; i++) await call();
  const atB = memAfterGc();
  return {
    impl: which,
    calls_a: a,
    calls_mid: mid,
    calls_b: b,
    rss_start: start.rss,
    rss_a: atA.rss,
    rss_mid: atMid.rss,
    rss_b: atB.rss,
    anon_a: atA.anon,
    anon_mid: atMid.anon,
    anon_b: atB.anon,
    seconds: (nowUs() - t0) / 1e6,
    gc: typeof global.gc === 'function',
  };
}

async function construct(reps) {
  const { Client } = requireFromCwd('zignsec');
  const out = { zignsec: [] };
  for (let i = 0; i < reps; i++) {
    const t0 = nowUs();
    const c = new Client({ apiKey: KEY, baseUrl: URL });
    out.zignsec.push(nowUs() - t0);
    if (!c) throw new Error('no client');
  }
  return { impl: 'node', construct_us: out };
}

function hwmBytes() {
  const m = require('node:fs').readFileSync('/proc/self/status', 'utf8').match(/^VmHWM:\s+(\d+)/m);
  return m ? Number(m[1]) * 1024 : 0;
}

const SMS_URL = `${URL}/core/api/sessions/two_factor_auth/sms`;
const SMS_BODY = JSON.stringify({
  metadata: { from: 'ZignSec', to: '+46701234567', message: 'Your code: 12345', max_message_parts: 1 },
});

// `sends` sends, `inFlight` at a time (workers pulling from one counter).
async function bulk(which, sends, inFlight, warmup) {
  let one;
  if (which === 'zignsec') {
    const client = zignsecClient();
    one = async () => !!(await client.sendSms({ to: '+46701234567', message: 'Your code: 12345', from: 'ZignSec' })).id;
  } else if (which === 'fetch') {
    // What a Node user does for many requests at once: fetch with an undici Agent
    // allowed as many connections as there are requests in flight.
    const undici = requireFromCwd('undici');
    undici.setGlobalDispatcher(new undici.Agent({ connections: inFlight }));
    const headers = { Authorization: KEY, Accept: 'application/json', 'Content-Type': 'application/json' };
    one = async () => {
      const r = await fetch(SMS_URL, { method: 'POST', headers, body: SMS_BODY });
      const j = await r.json();
      return r.status >= 200 && r.status < 300 && !!j.data.id;
    };
  } else throw new Error(`unknown implementation ${which}`);
  const run = async (total) => {
    let left = total;
    let ok = 0;
    const worker = async () => {
      while (left > 0) {
        left--;
        try {
          if (await one()) ok++;
        } catch (e) {
          console.error(`send failed: ${e}`);
        }
      }
    };
    await Promise.all(Array.from({ length: inFlight }, worker));
    return ok;
  };
  await run(warmup);
  const w0 = nowUs();
  const c0 = cpuUs();
  const ok = await run(sends);
  const wall = (nowUs() - w0) / 1e6;
  const cpu = (cpuUs() - c0) / 1e6;
  return { impl: which, sends, in_flight: inFlight, ok, wall_s: wall, cpu_s: cpu, hwm_bytes: hwmBytes() };
}

async function main(argv) {
  const [mode, which, ...rest] = argv;
  const num = (i, d) => (rest.length > i ? Number(rest[i]) : d);
  let res;
  if (mode === 'seq') res = await seq(which, num(0, 10000), num(1, 20), num(2, 500));
  else if (mode === 'concurrent') res = await concurrent(which, num(0, 64), num(1, 5), num(2, 100));
  else if (mode === 'conns') res = await conns(which, num(0, 1000));
  else if (mode === 'mem') res = await mem(which, num(0, 1000), num(1, 100000));
  else if (mode === 'construct') res = await construct(Number(which || 100));
  else if (mode === 'bulk') res = await bulk(which, num(0, 10000), num(1, 64), num(2, 256));
  else throw new Error('usage: bench.cjs <seq|concurrent|conns|mem|construct|bulk> ...');
  process.stdout.write(JSON.stringify(res) + '\n');
}

main(process.argv.slice(2)).catch((e) => {
  console.error(`bench.cjs: ${e && e.stack ? e.stack : e}`);
  process.exit(1);
});
