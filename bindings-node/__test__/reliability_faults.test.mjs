// The fault matrix (tests/vectors/faults.json) against the Node binding. Each cell:
// one call against a zignsec-mock misbehaving as the cell says; checks the error
// kind, attempts, the requests the gateway saw (sends: the POSTs, i.e. possible SMS),
// maybeSent, and that no call outlives its timeout. Writes
// target/reliability/node.json for scripts/reliability/report.py. Cells run a few at
// a time, each worker on its own mock process.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { createServer } from 'node:net'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import * as z from 'zignsec'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
const TARGET = process.env.CARGO_BUILD_TARGET || 'x86_64-unknown-linux-gnu'
const MOCK_BIN = process.env.ZIGNSEC_MOCK_BIN || path.join(ROOT, 'target', TARGET, 'debug', 'zignsec-mock')
const MATRIX = JSON.parse(fs.readFileSync(path.join(ROOT, 'tests', 'vectors', 'faults.json'), 'utf8'))
const KEY = process.env.ZIGNSEC_RELIABILITY_KEY || 'sk_test_reliability_node_3c9b'
const OUT = path.join(ROOT, 'target', 'reliability', 'node.json')
const SMS = { to: '+46701234567', from: 'ZignSec', message: 'Your code is 12345' }

async function startMock() {
  const child = spawn(MOCK_BIN, ['--port', '0', '--api-key', KEY, '--sms-delivery-ms', '200'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  })
  const url = await new Promise((resolve, reject) => {
    const rl = createInterface({ input: child.stdout })
    rl.once('line', (line) => {
      rl.close()
      line.startsWith('listening on ') ? resolve(line.slice('listening on '.length)) : reject(new Error(line))
    })
    child.once('error', reject)
  })
  const call = async (method, p, body) => {
    const r = await fetch(url + p, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await r.text()
    assert.ok(r.ok, `${method} ${p}: ${r.status} ${text}`)
    return text ? JSON.parse(text) : null
  }
  return { url, call, stop: () => child.kill('SIGKILL') }
}

function closedPortUrl() {
  return new Promise((resolve) => {
    const s = createServer()
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => resolve(`http://127.0.0.1:${port}`))
    })
  })
}

function faultSpec(cell) {
  const spec = { ...(cell.fault || {}) }
  for (const [k, v] of Object.entries(spec)) {
    if (v && typeof v === 'object' && '$http_date_in_s' in v) {
      spec[k] = new Date(Date.now() + v.$http_date_in_s * 1000).toUTCString()
    }
  }
  const p = MATRIX.paths[cell.op]
  return { ...spec, method: p.method, path: p.path, count: cell.count }
}

async function runCell(mock, cell) {
  const { name, op, expect } = cell
  const timeoutMs = cell.timeout_ms ?? MATRIX.client.timeout_ms
  const tolerance = MATRIX.tolerance_ms
  const closed = cell.target === 'closed_port'
  const base = closed ? await closedPortUrl() : mock.url
  const client = new z.Client({ apiKey: KEY, baseUrl: base, timeoutMs, maxRetries: MATRIX.client.max_retries })
  const setup = new z.Client({ apiKey: KEY, baseUrl: mock.url })
  const sessionId = (await setup.sendSms(SMS)).id
  await mock.call('DELETE', '/_mock/faults')
  await mock.call('POST', '/_mock/stats/reset')
  if (!closed) await mock.call('POST', '/_mock/faults', faultSpec(cell))
  let err = null
  const started = performance.now()
  try {
    if (op === 'read') await client.getSmsSession(sessionId)
    else await client.sendSms(SMS)
  } catch (e) {
    err = e
  }
  const elapsedMs = Math.round(performance.now() - started)
  await new Promise((r) => setTimeout(r, 50)) // a late retry would show up in the stats
  let requests = 0
  if (!closed) {
    const p = MATRIX.paths[op]
    const key = `${p.method} ${op === 'read' ? `/core/api/sessions/${sessionId}` : p.path}`
    requests = (await mock.call('GET', '/_mock/stats')).requests[key] ?? 0
  }
  await mock.call('DELETE', '/_mock/faults')
  if (err !== null && !(err instanceof z.ZignSecError)) throw err
  const kind = err === null ? 'ok' : err.code.replace(/^ZIGNSEC_/, '').toLowerCase()
  const attempts = err === null ? requests : err.attempts
  const maybeSent = err === null ? null : (err.maybeSent ?? null)
  const failures = []
  if (kind !== expect.kind) failures.push(`kind ${kind}, want ${expect.kind}`)
  if (attempts !== expect.attempts) failures.push(`attempts ${attempts}, want ${expect.attempts}`)
  if (requests !== expect.requests) failures.push(`gateway saw ${requests} request(s), want ${expect.requests}`)
  if ('maybe_sent' in expect && maybeSent !== expect.maybe_sent) {
    failures.push(`maybeSent ${maybeSent}, want ${expect.maybe_sent}`)
  }
  if (elapsedMs > timeoutMs + tolerance) failures.push(`took ${elapsedMs} ms, over ${timeoutMs} + ${tolerance} ms`)
  if (err !== null && `${err} ${err.stack} ${JSON.stringify(err)}`.includes(KEY)) {
    failures.push('the API key is in the error')
  }
  return {
    name,
    op,
    kind,
    attempts,
    requests,
    maybe_sent: maybeSent,
    elapsed_ms: elapsedMs,
    timeout_ms: timeoutMs,
    expect,
    message: err === null ? null : err.message,
    pass: failures.length === 0,
    failures,
  }
}

test('fault matrix (tests/vectors/faults.json)', { timeout: 120_000 }, async () => {
  const cells = MATRIX.cells
  const jobs = Math.max(1, Number(process.env.RELIABILITY_JOBS || 4))
  const results = new Array(cells.length)
  let next = 0
  await Promise.all(
    Array.from({ length: jobs }, async () => {
      const mock = await startMock()
      try {
        while (next < cells.length) {
          const i = next++
          results[i] = await runCell(mock, cells[i])
        }
      } finally {
        mock.stop()
      }
    }),
  )
  fs.mkdirSync(path.dirname(OUT), { recursive: true })
  fs.writeFileSync(
    OUT,
    JSON.stringify(
      {
        language: 'node',
        sdk: `zignsec-node/${z.VERSION}`,
        runner: 'bindings-node/__test__/reliability_faults.test.mjs',
        client: MATRIX.client,
        tolerance_ms: MATRIX.tolerance_ms,
        cells: results,
      },
      null,
      2,
    ),
  )
  const failed = results.filter((r) => !r.pass).map((r) => `${r.name}: ${r.failures.join('; ')}`)
  assert.deepEqual(failed, [], `${failed.length} of ${results.length} cells failed`)
})
