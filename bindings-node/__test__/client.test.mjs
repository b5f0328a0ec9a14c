// Every operation and option of the Client against the offline gateway.
import { test, before, after, beforeEach } from 'node:test'
import assert from 'node:assert/strict'
import util from 'node:util'
import { Client, ConfigError, ValidationError, WaitTimeoutError, NotFoundError, VERSION } from 'zignsec'
import { startMock } from './mock.cjs'

let mock
let client

before(async () => {
  mock = await startMock({ smsDeliveryMs: 200 })
  client = new Client({ apiKey: mock.apiKey, baseUrl: mock.url, timeoutMs: 10_000, maxRetries: 1 })
})
after(async () => mock?.stop())
beforeEach(async () => mock.clearFaults())

test('client options are applied and readable', () => {
  assert.equal(client.baseUrl, mock.url.replace(/\/$/, ''))
  assert.equal(client.timeoutMs, 10_000)
  assert.equal(client.maxRetries, 1)
  assert.equal(client.userAgent, `zignsec-node/${VERSION}`)
  const c = new Client({ apiKey: 'k', environment: 'production', connectTimeoutMs: 1500, maxRetries: 0 })
  assert.equal(c.baseUrl, 'https://gateway.zignsec.com')
  assert.equal(c.maxRetries, 0)
  assert.equal(new Client({ apiKey: 'k', environment: 'test' }).baseUrl, 'https://test-gateway.zignsec.com')
})

test('defaults and environment variables (explicit options win)', () => {
  const saved = { ...process.env }
  try {
    for (const k of Object.keys(process.env)) if (k.startsWith('ZIGNSEC_')) delete process.env[k]
    assert.throws(() => new Client(), ConfigError)
    process.env.ZIGNSEC_API_KEY = 'env-key'
    const d = new Client()
    assert.equal(d.baseUrl, 'https://test-gateway.zignsec.com')
    assert.equal(d.timeoutMs, 30_000)
    assert.equal(d.maxRetries, 2)
    process.env.ZIGNSEC_ENVIRONMENT = 'production'
    process.env.ZIGNSEC_TIMEOUT = '12.5'
    process.env.ZIGNSEC_MAX_RETRIES = '4'
    const e = new Client()
    assert.equal(e.baseUrl, 'https://gateway.zignsec.com')
    assert.equal(e.timeoutMs, 12_500)
    assert.equal(e.maxRetries, 4)
    process.env.ZIGNSEC_BASE_URL = mock.url
    assert.equal(new Client().baseUrl, mock.url.replace(/\/$/, ''))
    const x = new Client({ baseUrl: 'https://example.test', timeoutMs: 1000, maxRetries: 0 })
    assert.equal(x.baseUrl, 'https://example.test')
    assert.equal(x.timeoutMs, 1000)
    assert.equal(x.maxRetries, 0)
  } finally {
    for (const k of Object.keys(process.env)) if (k.startsWith('ZIGNSEC_')) delete process.env[k]
    Object.assign(process.env, saved)
  }
})

test('bad client options are ConfigError', () => {
  const bad = [
    { apiKey: '' },
    { apiKey: 'k', environment: 'staging' },
    { apiKey: 'k', baseUrl: 'http://example.com' },
    { apiKey: 'k', baseUrl: 'not a url' },
    { apiKey: 'k', baseUrl: 'ftp://127.0.0.1' },
    { apiKey: 'k', timeoutMs: 0 },
    { apiKey: 'k', timeoutMs: -5 },
    { apiKey: 'k', timeoutMs: Number.NaN },
    { apiKey: 'k', timeoutMs: Infinity },
    { apiKey: 'k', connectTimeoutMs: 0 },
    { apiKey: 'k', maxRetries: -1 },
    { apiKey: 'k', maxRetries: 11 },
    { apiKey: 'k', maxRetries: 1.5 },
    { apiKey: 'bad\nkey' },
  ]
  for (const opts of bad) {
    assert.throws(
      () => new Client(opts),
      (err) => err instanceof ConfigError && err.code === 'ZIGNSEC_CONFIG' && err instanceof Error,
      JSON.stringify(opts),
    )
  }
})

test('a bad option is named as JavaScript spells it', () => {
  for (const [opts, name] of [
    [{ timeoutMs: -5 }, 'timeoutMs'],
    [{ connectTimeoutMs: 0 }, 'connectTimeoutMs'],
    [{ maxRetries: 1.5 }, 'maxRetries'],
    [{ maxRetries: 11 }, 'maxRetries'],
    [{ authScheme: 'bearer' }, 'authScheme'],
  ]) {
    assert.throws(
      () => new Client({ apiKey: 'k', ...opts }),
      (err) => err instanceof ConfigError && err.field === name && err.message.startsWith(name),
      JSON.stringify(opts),
    )
  }
})

test('sendSms → getSmsSession → waitSmsSession to delivered, every option', async () => {
  const sms = await client.sendSms({
    to: '+46701234567',
    from: 'ZignSec',
    message: 'Your code is 12345',
    maxMessageParts: 2,
    relayState: 'user-42',
    webhook: 'https://example.com/hook',
  })
  assert.match(sms.id, /^[0-9a-f-]{36}$/)
  assert.equal(typeof sms.status, 'string')
  assert.equal(sms.isFinal, false)
  const recorded = await mock.session(sms.id)
  assert.deepEqual(recorded.request, {
    metadata: { from: 'ZignSec', to: '+46701234567', message: 'Your code is 12345', max_message_parts: 2 },
    relay_state: 'user-42',
    webhook: 'https://example.com/hook',
  })
  const read = await client.getSmsSession(sms.id)
  assert.equal(read.id, sms.id)
  assert.deepEqual(read.request, {
    from: 'ZignSec',
    to: '+46701234567',
    message: 'Your code is 12345',
    maxMessageParts: 2,
    relayState: 'user-42',
    webhook: 'https://example.com/hook',
  })
  const done = await client.waitSmsSession(sms.id, { timeoutMs: 5000, pollIntervalMs: 50 })
  assert.equal(done.status, 'delivered')
  assert.equal(done.isFinal, true)
  assert.equal(done.numberOfMessageParts, 1)
  // Upper-case ids are accepted too.
  const again = await client.getSmsSession(sms.id.toUpperCase())
  assert.equal(again.status, 'delivered')
})

test('sendSms defaults: one part, no relay state or webhook', async () => {
  const sms = await client.sendSms({ to: '+46701234567', from: '+123456789', message: 'hi' })
  const recorded = await mock.session(sms.id)
  assert.deepEqual(recorded.request, {
    metadata: { from: '+123456789', to: '+46701234567', message: 'hi', max_message_parts: 1 },
  })
  const read = await client.getSmsSession(sms.id)
  assert.equal(read.request.relayState, undefined)
  assert.equal(read.request.webhook, undefined)
})

test('a recipient ending in 0000 ends failed (final)', async () => {
  const sms = await client.sendSms({ to: '+46700000000', from: 'ZignSec', message: 'x' })
  const done = await client.waitSmsSession(sms.id, { pollIntervalMs: 50 })
  assert.equal(done.status, 'failed')
  assert.equal(done.isFinal, true)
})

test('unknown statuses are kept verbatim and are not final', async () => {
  const sms = await client.sendSms({ to: '+46701234567', from: 'ZignSec', message: 'x' })
  await mock.setStatus(sms.id, 'queued_somewhere')
  const read = await client.getSmsSession(sms.id)
  assert.equal(read.status, 'queued_somewhere')
  assert.equal(read.isFinal, false)
})

test('startPhoneVerification with every option, through the hosted page to finished', async () => {
  const phone = await client.startPhoneVerification({
    phoneNumber: '+46701234567',
    locale: 'En',
    redirectSuccess: 'https://example.com/ok',
    redirectFailure: 'https://example.com/fail',
    relayState: 'r-1',
    webhook: 'https://example.com/hook',
    csrfToken: 'csrf-abc',
  })
  assert.match(phone.redirectUrl, /\/2fa-ui\/2fa\/phone\//)
  assert.equal(phone.isFinal, false)
  const recorded = await mock.session(phone.id)
  assert.equal(recorded.csrf_token, 'csrf-abc')
  assert.deepEqual(recorded.request.metadata, { phone_number: '+46701234567' })
  assert.equal(recorded.request.locale, 'En')
  const details = await client.getPhoneSession(phone.id)
  assert.equal(details.phoneNumber, '+46701234567')
  assert.deepEqual(details.request, {
    phoneNumber: '+46701234567',
    locale: 'En',
    redirectSuccess: 'https://example.com/ok',
    redirectFailure: 'https://example.com/fail',
    relayState: 'r-1',
    webhook: 'https://example.com/hook',
  })

  const page = await fetch(phone.redirectUrl)
  assert.equal(page.status, 200)
  const sent = await fetch(`${phone.redirectUrl}/send`, { method: 'POST', redirect: 'manual' })
  assert.ok(sent.status < 400, `send: ${sent.status}`)
  const { last_code: code } = await mock.session(phone.id)
  assert.match(code, /^\d{5}$/)
  const waiting = client.waitPhoneSession(phone.id, { timeoutMs: 10_000, pollIntervalMs: 50 })
  const verified = await fetch(`${phone.redirectUrl}/verify`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ code }).toString(),
  })
  assert.equal(verified.status, 303)
  assert.equal(verified.headers.get('location'), 'https://example.com/ok')
  const done = await waiting
  assert.equal(done.status, 'finished')
  assert.equal(done.isFinal, true)
})

test('phone verification cancelled on the hosted page', async () => {
  const phone = await client.startPhoneVerification({ phoneNumber: '+46701234568' })
  const res = await fetch(`${phone.redirectUrl}/cancel`, { method: 'POST', redirect: 'manual' })
  assert.ok(res.status < 400)
  const done = await client.waitPhoneSession(phone.id, { timeoutMs: 5000, pollIntervalMs: 50 })
  assert.equal(done.status, 'cancelled')
  assert.equal(done.isFinal, true)
})

test('waitPhoneSession times out with the last details read', async () => {
  const phone = await client.startPhoneVerification({ phoneNumber: '+46701234569' })
  const started = Date.now()
  await assert.rejects(client.waitPhoneSession(phone.id, { timeoutMs: 300, pollIntervalMs: 50 }), (err) => {
    assert.ok(err instanceof WaitTimeoutError)
    assert.equal(err.code, 'ZIGNSEC_WAIT_TIMEOUT')
    assert.equal(err.details.id, phone.id)
    assert.equal(err.details.isFinal, false)
    assert.equal(err.details.phoneNumber, '+46701234569')
    assert.equal(typeof err.details.status, 'string')
    return true
  })
  const elapsed = Date.now() - started
  assert.ok(elapsed >= 250 && elapsed < 3000, `${elapsed} ms`)
})

test('waitSmsSession times out with details too', async () => {
  const slow = new Client({ apiKey: mock.apiKey, baseUrl: mock.url })
  const sms = await slow.sendSms({ to: '+46701234567', from: 'ZignSec', message: 'x' })
  await mock.setStatus(sms.id, 'pending')
  await assert.rejects(slow.waitSmsSession(sms.id, { timeoutMs: 150, pollIntervalMs: 40 }), (err) => {
    assert.ok(err instanceof WaitTimeoutError)
    assert.equal(err.details.id, sms.id)
    assert.equal(err.details.request.to, '+46701234567')
    return true
  })
})

test('bad wait options are ValidationError naming the option', async () => {
  const id = '26f5cc23-dbbb-45bb-a210-2818e70637bd'
  for (const [opts, field] of [
    [{ timeoutMs: 0 }, 'timeoutMs'],
    [{ timeoutMs: -1 }, 'timeoutMs'],
    [{ pollIntervalMs: Number.NaN }, 'pollIntervalMs'],
  ]) {
    await assert.rejects(client.waitSmsSession(id, opts), (e) => e instanceof ValidationError && e.field === field)
  }
})

test('unknown session is NotFoundError', async () => {
  await assert.rejects(client.getSmsSession('26f5cc23-dbbb-45bb-a210-2818e70637bd'), (err) => {
    assert.ok(err instanceof NotFoundError)
    assert.equal(err.status, 404)
    assert.equal(err.code, 'ZIGNSEC_NOT_FOUND')
    return true
  })
})

test('the API key never shows in inspect, JSON, toString or errors', async () => {
  const secret = 'sk_live_NEVER_SHOW_ME_123'
  const c = new Client({ apiKey: secret, baseUrl: mock.url, maxRetries: 0 })
  for (const text of [
    util.inspect(c),
    util.inspect(c, { showHidden: true, depth: 10 }),
    JSON.stringify(c),
    String(c),
    `${c}`,
    util.format('%o', c),
    Object.keys(c).join(','),
  ]) {
    assert.ok(!text.includes(secret), text)
  }
  assert.match(util.inspect(c), /\[redacted\]/)
  const err = await c.getSmsSession('26f5cc23-dbbb-45bb-a210-2818e70637bd').catch((e) => e)
  assert.equal(err.code, 'ZIGNSEC_AUTHENTICATION')
  for (const text of [err.message, err.stack, util.inspect(err), JSON.stringify(err), String(err.body)]) {
    assert.ok(!text.includes(secret), text)
  }
})

test('ZIGNSEC_LOG=debug logs to stderr without the key, the message text or the full number', async () => {
  const { spawn } = await import('node:child_process')
  const secret = 'sk_log_NEVER_SHOW_ME_456'
  const script = `
    const { Client } = require('zignsec')
    ;(async () => {
      const c = new Client({ apiKey: ${JSON.stringify(secret)}, baseUrl: ${JSON.stringify(mock.url)}, maxRetries: 0 })
      await c.sendSms({ to: '+46701234567', from: 'ZignSec', message: 'secret text 98765' }).catch(() => {})
      const ok = new Client({ apiKey: ${JSON.stringify(mock.apiKey)}, baseUrl: ${JSON.stringify(mock.url)} })
      const s = await ok.sendSms({ to: '+46701234567', from: 'ZignSec', message: 'secret text 98765' })
      await ok.getSmsSession(s.id)
    })().catch((e) => { console.error('FAILED', e); process.exit(1) })
  `
  const child = spawn(process.execPath, ['-e', script], {
    cwd: new URL('..', import.meta.url),
    env: { ...process.env, ZIGNSEC_LOG: 'debug' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  child.stderr.on('data', (d) => (stderr += d))
  const code = await new Promise((r) => child.on('exit', r))
  assert.equal(code, 0, stderr)
  assert.match(stderr, /\[zignsec /)
  assert.match(stderr, /core\/api\/sessions/)
  assert.ok(!stderr.includes(secret), stderr)
  assert.ok(!stderr.includes(mock.apiKey), stderr)
  assert.ok(!stderr.includes('secret text'), stderr)
  assert.ok(!stderr.includes('+46701234567'), stderr)
})
