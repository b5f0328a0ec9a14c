'use strict'
// Test helper: start the offline gateway (`zignsec-mock --port 0`) for one suite,
// and talk to its test-control API under /_mock/.
const { spawn } = require('node:child_process')
const path = require('node:path')
const fs = require('node:fs')
const readline = require('node:readline')

const ROOT = path.resolve(__dirname, '..', '..')
const TARGET = process.env.CARGO_BUILD_TARGET || 'x86_64-unknown-linux-gnu'
const MOCK_BIN = process.env.ZIGNSEC_MOCK_BIN || path.join(ROOT, 'target', TARGET, 'debug', 'zignsec-mock')
const VECTORS = path.join(ROOT, 'tests', 'vectors')

/** Read a shared test vector file (tests/vectors/<name>.json). */
function vectors(name) {
  return JSON.parse(fs.readFileSync(path.join(VECTORS, `${name}.json`), 'utf8'))
}

/** Expand the vectors' `{"$repeat": [s, n]}` and `{"$lone_surrogate": s}` values. */
function expand(value) {
  if (Array.isArray(value)) return value.map(expand)
  if (value && typeof value === 'object') {
    if (Array.isArray(value.$repeat)) return String(value.$repeat[0]).repeat(value.$repeat[1])
    if (typeof value.$lone_surrogate === 'string') {
      return value.$lone_surrogate.replace(/\\u([0-9a-fA-F]{4})/g, (_, h) => String.fromCharCode(parseInt(h, 16)))
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, expand(v)]))
  }
  return value
}

/** snake_case → camelCase (the vectors' argument names → this package's). */
function camel(name) {
  return name.replace(/_([a-z])/g, (_, c) => c.toUpperCase())
}

/**
 * Start a mock gateway. Returns { url, apiKey, webhookSecret, stop(), control helpers }.
 */
async function startMock({
  apiKey = 'test-key-Zx81',
  apiKeys = [apiKey],
  authScheme,
  webhookSecret = 'mock-webhook-secret',
  smsDeliveryMs = 200,
} = {}) {
  if (!fs.existsSync(MOCK_BIN)) {
    throw new Error(`zignsec-mock not built at ${MOCK_BIN}: run \`cargo build -p zignsec-mock\``)
  }
  const child = spawn(
    MOCK_BIN,
    [
      '--port',
      '0',
      ...apiKeys.flatMap((k) => ['--api-key', k]),
      ...(authScheme ? ['--auth-scheme', authScheme] : []),
      '--webhook-secret',
      webhookSecret,
      '--sms-delivery-ms',
      String(smsDeliveryMs),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  )
  const url = await new Promise((resolve, reject) => {
    const rl = readline.createInterface({ input: child.stdout })
    const timer = setTimeout(() => reject(new Error('zignsec-mock did not start in 10 s')), 10_000)
    child.once('exit', (code) => reject(new Error(`zignsec-mock exited with ${code}`)))
    rl.once('line', (line) => {
      clearTimeout(timer)
      const m = /^listening on (http:\/\/\S+)$/.exec(line.trim())
      if (m) resolve(m[1])
      else reject(new Error(`unexpected first line from zignsec-mock: ${line}`))
    })
  })
  child.stdout.resume()

  async function control(method, p, body) {
    const res = await fetch(url + p, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await res.text()
    if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${text}`)
    return text ? JSON.parse(text) : null
  }

  return {
    url,
    apiKey,
    webhookSecret,
    control,
    fault: (spec) => control('POST', '/_mock/faults', spec),
    clearFaults: () => control('DELETE', '/_mock/faults'),
    stats: () => control('GET', '/_mock/stats'),
    resetStats: () => control('POST', '/_mock/stats/reset'),
    session: (id) => control('GET', `/_mock/sessions/${id}`),
    setStatus: (id, status) => control('POST', `/_mock/sessions/${id}/status`, { status }),
    reset: () => control('POST', '/_mock/reset'),
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r))
        child.kill('SIGTERM')
        await exited
      }
    },
  }
}

exports.startMock = startMock
exports.vectors = vectors
exports.expand = expand
exports.camel = camel
exports.ROOT = ROOT
