// Deployment safety: process.exit with calls in flight, proxies never for a
// loopback base URL, and the `proxy` option.
import { test, before, after, beforeEach } from 'node:test'
import assert from 'node:assert/strict'
import net from 'node:net'
import { spawn } from 'node:child_process'
import { Client, ConfigError, APIConnectionError, APITimeoutError } from 'zignsec'
import { startMock } from './mock.cjs'

const UNKNOWN_ID = '26f5cc23-dbbb-45bb-a210-2818e70637bd'
const SMS = { to: '+46701234567', from: 'ZignSec', message: 'Your code is 12345' }

let mock
before(async () => {
  mock = await startMock()
})
after(async () => mock?.stop())
beforeEach(async () => mock.clearFaults())

/** A TCP listener on loopback that records every connection and what it sent first. */
async function recordingListener() {
  const seen = []
  const server = net.createServer((socket) => {
    const entry = { data: '' }
    seen.push(entry)
    socket.on('data', (d) => {
      entry.data += d.toString('latin1')
      // Answer nothing and close once the request head is in: the tunnel fails.
      if (entry.data.includes('\r\n\r\n')) socket.destroy()
    })
    socket.on('error', () => {})
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${server.address().port}`
  return { url, seen, close: () => new Promise((resolve) => server.close(resolve)) }
}

const PROXY_VARS = ['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'ALL_PROXY', 'all_proxy', 'NO_PROXY', 'no_proxy']

/** Run `fn` with the proxy variables set to `value` (the core reads them at `new Client`). */
async function withProxyEnv(value, fn) {
  const saved = Object.fromEntries(PROXY_VARS.map((k) => [k, process.env[k]]))
  try {
    for (const k of PROXY_VARS) delete process.env[k]
    for (const k of PROXY_VARS.filter((k) => !/no_proxy/i.test(k))) process.env[k] = value
    return await fn()
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k]
      else process.env[k] = v
    }
  }
}

test('HTTP_PROXY, HTTPS_PROXY and ALL_PROXY never intercept a loopback base URL', async () => {
  const proxy = await recordingListener()
  try {
    await withProxyEnv(proxy.url, async () => {
      for (const option of [undefined, proxy.url, 'none']) {
        const client = new Client({ apiKey: mock.apiKey, baseUrl: mock.url, maxRetries: 0, timeoutMs: 5000, proxy: option })
        const sms = await client.sendSms(SMS)
        const read = await client.getSmsSession(sms.id)
        assert.equal(read.id, sms.id)
        await assert.rejects(client.getSmsSession(UNKNOWN_ID), { code: 'ZIGNSEC_NOT_FOUND' })
      }
    })
    await new Promise((r) => setTimeout(r, 50))
    assert.equal(proxy.seen.length, 0, `the proxy saw: ${proxy.seen.map((s) => s.data).join(' | ')}`)
  } finally {
    await proxy.close()
  }
})

test('the proxy option reaches the core: an https base URL goes through it as a CONNECT tunnel', async () => {
  const proxy = await recordingListener()
  const apiKey = 'sk_proxy_NEVER_SHOW_ME_789'
  try {
    await withProxyEnv('', async () => {
      const client = new Client({ apiKey, baseUrl: 'https://gateway.example', proxy: proxy.url, maxRetries: 0, timeoutMs: 3000 })
      const err = await client.sendSms(SMS).catch((e) => e)
      assert.ok(err instanceof APIConnectionError || err instanceof APITimeoutError, `${err?.constructor?.name}: ${err?.message}`)
      assert.equal(typeof err.maybeSent, 'boolean')
    })
    assert.equal(proxy.seen.length, 1)
    assert.match(proxy.seen[0].data, /^CONNECT gateway\.example:443 HTTP\/1\.1\r\n/)
    assert.ok(!proxy.seen[0].data.includes(apiKey), proxy.seen[0].data)
  } finally {
    await proxy.close()
  }
})

test('proxy: the environment for https, `none` turns it off', async () => {
  const proxy = await recordingListener()
  try {
    await withProxyEnv(proxy.url, async () => {
      const viaEnv = new Client({ apiKey: 'k', baseUrl: 'https://gateway.example', maxRetries: 0, timeoutMs: 3000 })
      await assert.rejects(viaEnv.getSmsSession(UNKNOWN_ID))
      assert.equal(proxy.seen.length, 1)
      assert.match(proxy.seen[0].data, /^CONNECT gateway\.example:443 /)
      // 192.0.2.1 (TEST-NET-1) is never answered: without the proxy the connect times out.
      const direct = new Client({ apiKey: 'k', baseUrl: 'https://192.0.2.1', proxy: 'none', maxRetries: 0, timeoutMs: 500, connectTimeoutMs: 300 })
      await assert.rejects(direct.getSmsSession(UNKNOWN_ID))
      assert.equal(proxy.seen.length, 1, 'proxy: none still used the proxy')
    })
  } finally {
    await proxy.close()
  }
})

test('a bad proxy is a ConfigError; a wrong type a TypeError', () => {
  assert.throws(() => new Client({ apiKey: 'k', baseUrl: mock.url, proxy: 'socks5://127.0.0.1:1' }), ConfigError)
  assert.throws(() => new Client({ apiKey: 'k', proxy: 'not a url at all' }), ConfigError)
  assert.throws(() => new Client({ apiKey: 'k', proxy: 3128 }), TypeError)
  assert.doesNotThrow(() => new Client({ apiKey: 'k', proxy: 'none' }))
})

// A script that starts sends and reads the mock holds (a delay fault), then
// exits while they are in flight: from a timer, or from the rejection of a call
// that timed out (a callback the native layer settled).
const EXIT_SCRIPT = `
const { Client } = require('zignsec')
const [baseUrl, apiKey, id, mode] = process.argv.slice(1)
const client = new Client({ apiKey, baseUrl, maxRetries: 0, timeoutMs: 20000 })
for (let i = 0; i < 4; i++) {
  client.sendSms({ to: '+46701234567', from: 'ZignSec', message: 'Your code is 12345' }).catch(() => {})
  client.getSmsSession(id).catch(() => {})
  client.waitSmsSession(id, { timeoutMs: 15000, pollIntervalMs: 50 }).catch(() => {})
}
if (mode === 'timer') {
  setTimeout(() => process.exit(0), 200 + Math.floor(Math.random() * 200))
} else {
  const short = new Client({ apiKey, baseUrl, maxRetries: 0, timeoutMs: 250 })
  short.getSmsSession(id).then(() => process.exit(3), () => process.exit(0))
}
setTimeout(() => process.exit(4), 8000).unref()
`

function runExitScript(id, mode) {
  return new Promise((resolve) => {
    const started = Date.now()
    const child = spawn(process.execPath, ['-e', EXIT_SCRIPT, mock.url, mock.apiKey, id, mode], {
      cwd: new URL('..', import.meta.url),
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    let stderr = ''
    child.stderr.on('data', (d) => (stderr += d))
    const killer = setTimeout(() => child.kill('SIGKILL'), 15000)
    child.on('exit', (code, signal) => {
      clearTimeout(killer)
      resolve({ code, signal, stderr, ms: Date.now() - started })
    })
  })
}

test('process.exit(0) with sends and reads in flight: exit code 0, no crash, 20 runs', async () => {
  const sms = await new Client({ apiKey: mock.apiKey, baseUrl: mock.url }).sendSms(SMS)
  await mock.setStatus(sms.id, 'pending')
  await mock.fault({ path: '/core/api/sessions', delay_ms: 5000, count: 100000 })
  await mock.resetStats()
  const runs = await Promise.all(Array.from({ length: 20 }, (_, i) => runExitScript(sms.id, i % 2 ? 'timer' : 'callback')))
  const stats = await mock.stats()
  await mock.clearFaults()
  for (const [i, r] of runs.entries()) {
    assert.equal(r.signal, null, `run ${i}: killed by ${r.signal}\n${r.stderr}`)
    assert.equal(r.code, 0, `run ${i}: exit ${r.code}\n${r.stderr}`)
    assert.ok(r.ms < 8000, `run ${i} took ${r.ms} ms`)
    assert.equal(r.stderr, '', `run ${i} wrote to stderr`)
  }
  // The calls really were in flight: the gateway got them and was holding them.
  assert.ok(stats.requests_total >= 20, `the gateway saw ${stats.requests_total} requests`)
})

// cluster workers (and PM2's cluster mode) are fresh processes: each loads the
// addon and builds its own client, whatever the primary did before forking.
const CLUSTER_SCRIPT = `
const cluster = require('node:cluster')
const { Client } = require('zignsec')
const [baseUrl, apiKey] = process.argv.slice(1)
const sms = { to: '+46701234567', from: 'ZignSec', message: 'Your code is 12345' }
const client = new Client({ apiKey, baseUrl, maxRetries: 0, timeoutMs: 3000 })
;(async () => {
  const s = await client.sendSms(sms)
  await client.getSmsSession(s.id)
  if (cluster.isPrimary) {
    const codes = await Promise.all([0, 1, 2].map(() => new Promise((resolve) => {
      cluster.fork({}).on('exit', resolve)
    })))
    await client.getSmsSession(s.id)
    process.exit(codes.every((c) => c === 0) ? 0 : 5)
  } else {
    process.exit(0)
  }
})().catch((e) => { console.error(String(e)); process.exit(6) })
`

test('cluster workers each build their own client; the primary keeps working', async () => {
  await mock.resetStats()
  const child = spawn(process.execPath, ['-e', CLUSTER_SCRIPT, mock.url, mock.apiKey], {
    cwd: new URL('..', import.meta.url),
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  child.stderr.on('data', (d) => (stderr += d))
  const killer = setTimeout(() => child.kill('SIGKILL'), 20000)
  const [code, signal] = await new Promise((r) => child.on('exit', (c, s) => r([c, s])))
  clearTimeout(killer)
  assert.equal(signal, null, stderr)
  assert.equal(code, 0, stderr)
  // The primary's send, read and last read, and each worker's send and read.
  assert.equal((await mock.stats()).requests_total, 3 + 3 * 2)
})
