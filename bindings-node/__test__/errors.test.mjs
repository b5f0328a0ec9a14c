// Every error class and field, by fault injection on the offline gateway, and the
// shared gateway error bodies (tests/vectors/gateway_errors.json).
import { test, before, after, beforeEach } from 'node:test'
import assert from 'node:assert/strict'
import util from 'node:util'
import { Console } from 'node:console'
import { Writable } from 'node:stream'
import * as z from 'zignsec'
import { startMock, vectors } from './mock.cjs'

const SMS_PATH = '/core/api/sessions/two_factor_auth/sms'
const PHONE_PATH = '/core/api/sessions/two_factor_auth/phone'
const ID = '26f5cc23-dbbb-45bb-a210-2818e70637bd'
const SESSION_PATH = `/core/api/sessions/${ID}`
const SMS = { to: '+46701234567', from: 'ZignSec', message: 'Your code is 12345' }

let mock
let client // no retries: one request per call
before(async () => {
  mock = await startMock()
  client = new z.Client({ apiKey: mock.apiKey, baseUrl: mock.url, maxRetries: 0, timeoutMs: 5000 })
})
after(async () => mock?.stop())
beforeEach(async () => {
  await mock.clearFaults()
  await mock.resetStats()
})

const CLASS_BY_KIND = {
  validation: z.ValidationError,
  config: z.ConfigError,
  bad_request: z.BadRequestError,
  authentication: z.AuthenticationError,
  permission_denied: z.PermissionDeniedError,
  not_found: z.NotFoundError,
  rate_limited: z.RateLimitError,
  server: z.ServerError,
  http_status: z.APIStatusError,
  connection: z.APIConnectionError,
  timeout: z.APITimeoutError,
  decode: z.ResponseDecodeError,
  wait_timeout: z.WaitTimeoutError,
  webhook_signature: z.WebhookSignatureError,
}

async function rejection(promise) {
  try {
    await promise
  } catch (err) {
    return err
  }
  assert.fail('expected a rejection')
}

function assertKind(err, kind) {
  const Cls = CLASS_BY_KIND[kind]
  assert.ok(err instanceof Cls, `${kind}: got ${err?.constructor?.name}: ${err?.message}`)
  assert.equal(err.constructor, Cls, `${kind}: exact class`)
  assert.ok(err instanceof z.ZignSecError)
  assert.ok(err instanceof Error)
  assert.equal(err.code, `ZIGNSEC_${kind.toUpperCase()}`)
  assert.equal(err.name, Cls.name)
  assert.equal(typeof err.message, 'string')
  assert.ok(!err.message.startsWith('ZIGNSEC_ERROR_JSON'), err.message)
}

test('the class tree', () => {
  for (const Cls of [z.BadRequestError, z.AuthenticationError, z.PermissionDeniedError, z.NotFoundError, z.RateLimitError, z.ServerError]) {
    assert.ok(Object.create(Cls.prototype) instanceof z.APIStatusError, Cls.name)
  }
  for (const Cls of Object.values(CLASS_BY_KIND)) {
    const e = new Cls('m', {})
    assert.ok(e instanceof z.ZignSecError && e instanceof Error, Cls.name)
    assert.equal(e.code, Cls.code)
  }
  assert.equal(new z.ZignSecError('x').code, 'ZIGNSEC_ERROR')
})

for (const [status, kind] of [
  [400, 'bad_request'],
  [401, 'authentication'],
  [403, 'permission_denied'],
  [404, 'not_found'],
  [500, 'server'],
  [418, 'http_status'],
]) {
  test(`HTTP ${status} on a read is ${kind}, with status, gateway code, body and request id`, async () => {
    const body = JSON.stringify({ errors: [{ code: `gw_${status}`, description: `described ${status}` }] })
    await mock.fault({ path: '/core/api/sessions/', status, body })
    const err = await rejection(client.getSmsSession(ID))
    assertKind(err, kind)
    assert.equal(err.status, status)
    assert.equal(err.gatewayCode, `gw_${status}`)
    assert.equal(err.body, body)
    assert.match(err.message, new RegExp(`described ${status}`))
    assert.match(err.requestId, /^[0-9a-f-]{36}$/)
    assert.equal(err.attempts, 1)
    assert.equal(err.maybeSent, undefined)
  })
}

test('HTTP 429 carries retryAfter (seconds)', async () => {
  await mock.fault({ path: '/core/api/sessions/', status: 429, retry_after: 7 })
  const err = await rejection(client.getSmsSession(ID))
  assertKind(err, 'rate_limited')
  assert.equal(err.status, 429)
  assert.equal(err.retryAfter, 7)
  assert.ok(err instanceof z.APIStatusError)
})

test('a read is retried after a 500, and a 429 obeys Retry-After', async () => {
  const retrying = new z.Client({ apiKey: mock.apiKey, baseUrl: mock.url, maxRetries: 2 })
  const sms = await retrying.sendSms(SMS)
  await mock.resetStats()
  await mock.fault({ path: `/core/api/sessions/${sms.id}`, status: 500 })
  await mock.fault({ path: `/core/api/sessions/${sms.id}`, status: 429, retry_after: 1 })
  const started = Date.now()
  const read = await retrying.getSmsSession(sms.id)
  assert.equal(read.id, sms.id)
  assert.ok(Date.now() - started >= 900, 'waited for Retry-After')
  const stats = await mock.stats()
  assert.equal(stats.requests_total, 3)
})

test('a send is never retried after a 500: maybeSent, attempts 1', async () => {
  const retrying = new z.Client({ apiKey: mock.apiKey, baseUrl: mock.url, maxRetries: 3 })
  await mock.fault({ path: SMS_PATH, status: 500 })
  const err = await rejection(retrying.sendSms(SMS))
  assertKind(err, 'server')
  assert.equal(err.attempts, 1)
  assert.equal(err.maybeSent, true)
  assert.equal((await mock.stats()).requests_total, 1)
})

test('a send is retried on 429 (it never went out)', async () => {
  const retrying = new z.Client({ apiKey: mock.apiKey, baseUrl: mock.url, maxRetries: 2 })
  await mock.fault({ path: SMS_PATH, status: 429, retry_after: 0 })
  const sms = await retrying.sendSms(SMS)
  assert.match(sms.id, /^[0-9a-f-]{36}$/)
  assert.equal((await mock.stats()).requests_total, 2)
})

test('a 4xx on a send says maybeSent', async () => {
  await mock.fault({ path: PHONE_PATH, status: 400 })
  const err = await rejection(client.startPhoneVerification({ phoneNumber: '+46701234567' }))
  assertKind(err, 'bad_request')
  assert.equal(typeof err.maybeSent, 'boolean')
  assert.equal(err.gatewayCode, 'mock_fault')
})

test('a wrong API key is AuthenticationError from the gateway itself', async () => {
  const wrong = new z.Client({ apiKey: 'wrong-key', baseUrl: mock.url, maxRetries: 0 })
  const err = await rejection(wrong.sendSms(SMS))
  assertKind(err, 'authentication')
  assert.equal(err.status, 401)
  assert.ok(!err.message.includes('wrong-key'))
})

test('a dropped connection is APIConnectionError (send: maybeSent)', async () => {
  await mock.fault({ path: SMS_PATH, drop: true })
  const err = await rejection(client.sendSms(SMS))
  assertKind(err, 'connection')
  assert.equal(err.maybeSent, true)
  assert.equal(err.status, undefined)
  await mock.fault({ path: '/core/api/sessions/', drop: true })
  const read = await rejection(client.getSmsSession(ID))
  assertKind(read, 'connection')
})

test('a refused connection is APIConnectionError, and a send says it never left', async () => {
  const nowhere = new z.Client({ apiKey: 'k', baseUrl: 'http://127.0.0.1:9', maxRetries: 0, connectTimeoutMs: 1000 })
  const err = await rejection(nowhere.sendSms(SMS))
  assertKind(err, 'connection')
  assert.equal(err.maybeSent, false)
})

test('a delay past a short timeout is APITimeoutError (send: maybeSent)', async () => {
  const quick = new z.Client({ apiKey: mock.apiKey, baseUrl: mock.url, timeoutMs: 300, maxRetries: 2 })
  await mock.fault({ path: SMS_PATH, delay_ms: 1500 })
  const started = Date.now()
  const err = await rejection(quick.sendSms(SMS))
  const elapsed = Date.now() - started
  assertKind(err, 'timeout')
  assert.equal(err.maybeSent, true)
  assert.ok(elapsed < 1200, `${elapsed} ms`)
  await mock.fault({ path: '/core/api/sessions/', delay_ms: 1500, count: 5 })
  const read = await rejection(quick.getSmsSession(ID))
  assertKind(read, 'timeout')
})

test('a malformed 2xx body is ResponseDecodeError', async () => {
  await mock.fault({ path: SMS_PATH, status: 200, body: 'this is not json' })
  assertKind(await rejection(client.sendSms(SMS)), 'decode')
  await mock.fault({ path: '/core/api/sessions/', status: 200, body: '{"data":{"status":"pending"}}' })
  assertKind(await rejection(client.getSmsSession(ID)), 'decode')
  await mock.fault({ path: '/core/api/sessions/', status: 200, body_bytes: 2 * 1024 * 1024 })
  assertKind(await rejection(client.getSmsSession(ID)), 'decode')
})

test('every ZIGNSEC_* code the core knows has its class', async () => {
  const native = (await import('../load-native.js')).default
  const codes = native.errorCodes()
  assert.equal(codes.length, 14)
  assert.deepEqual(
    new Set(codes),
    new Set(Object.keys(CLASS_BY_KIND).map((k) => `ZIGNSEC_${k.toUpperCase()}`)),
  )
})

test('gateway error bodies (shared vectors) via faults', async () => {
  const { cases } = vectors('gateway_errors')
  assert.ok(cases.length > 20)
  for (const c of cases) {
    await mock.fault({ path: '/core/api/sessions/', status: c.status, body: c.body })
    const err = await rejection(client.getSmsSession(ID))
    assertKind(err, c.kind)
    assert.equal(err.status, c.status, c.name)
    assert.equal(err.gatewayCode ?? null, c.code ?? null, c.name)
    if (c.description) assert.ok(err.message.includes(c.description), `${c.name}: ${err.message}`)
    assert.equal(err.attempts, 1, c.name)
  }
  assert.equal((await mock.stats()).requests_total, cases.length)
})

// Every way an app commonly logs an error: none may carry message text, a code
// or a full phone number (the properties themselves keep the real values).
function consoleErrorText(err) {
  let out = ''
  const sink = new Writable({
    write(chunk, _encoding, done) {
      out += chunk
      done()
    },
  })
  new Console({ stdout: sink, stderr: sink, colorMode: false }).error(err)
  return out
}

function loggedForms(err) {
  return {
    'console.error': consoleErrorText(err),
    inspect: util.inspect(err),
    'inspect deep': util.inspect(err, { depth: Infinity, showHidden: true }),
    '%o': util.format('%o', err),
    '%s': util.format('%s', err),
    '%j': util.format('%j', err),
    String: String(err),
    stack: err.stack,
    JSON: JSON.stringify(err),
    'JSON spread': JSON.stringify({ ...err }),
    keys: Object.keys(err).join(','),
  }
}

function assertNothingLeaks(err, secrets) {
  for (const [how, text] of Object.entries(loggedForms(err))) {
    for (const secret of secrets) {
      assert.ok(!text.includes(secret), `${how} shows ${secret}: ${text}`)
    }
  }
}

test('a wait timeout is safe to log: no code, text or full number; details keep them', async () => {
  const to = '+46701234599'
  const message = `Your one-time code is 482913. It expires in 5 minutes, do not share it. ${'x'.repeat(150)}`
  const sms = await client.sendSms({ to, from: 'ZignSec', message, maxMessageParts: 2 })
  await mock.setStatus(sms.id, 'pending') // held there: the wait can only time out
  const err = await rejection(client.waitSmsSession(sms.id, { timeoutMs: 300, pollIntervalMs: 40 }))
  assertKind(err, 'wait_timeout')
  assertNothingLeaks(err, ['482913', 'one-time code', to])
  // The program still reads the real values.
  assert.equal(err.details.request.message, message)
  assert.equal(err.details.request.to, to)
  assert.equal(err.details.request.maxMessageParts, 2)
  assert.equal(err.details.id, sms.id)
  assert.equal(err.details.status, 'pending')
  assert.ok(!Object.keys(err).includes('details'))
  assert.match(consoleErrorText(err), /WaitTimeoutError: session /)
  // What inspect does show: the kind, the session id and status, the polls made.
  const shown = util.inspect(err)
  assert.match(shown, /WaitTimeoutError/)
  assert.ok(shown.includes(sms.id), shown)
  assert.match(shown, /details: \{ id: '[0-9a-f-]{36}', status: 'pending' \}/)
  assert.ok(err.attempts >= 2, `attempts ${err.attempts}`)
  assert.match(shown, new RegExp(`attempts: ${err.attempts}`))
  assert.equal(JSON.parse(JSON.stringify(err)).attempts, err.attempts)
})

test('a phone wait timeout is safe to log too', async () => {
  const phoneNumber = '+46701234598'
  const phone = await client.startPhoneVerification({ phoneNumber })
  const err = await rejection(client.waitPhoneSession(phone.id, { timeoutMs: 200, pollIntervalMs: 40 }))
  assertKind(err, 'wait_timeout')
  assertNothingLeaks(err, [phoneNumber])
  assert.equal(err.details.phoneNumber, phoneNumber)
  assert.ok(err.attempts >= 1)
})

test('a gateway body that echoes the text is kept but never logged', async () => {
  const to = '+46701234597'
  const message = 'Your one-time code is 739155'
  const body = JSON.stringify({ errors: [{ code: 'bad', description: `cannot send "${message}" to ${to}` }] })
  await mock.fault({ path: SMS_PATH, status: 400, body })
  const err = await rejection(client.sendSms({ to, from: 'ZignSec', message }))
  assertKind(err, 'bad_request')
  assertNothingLeaks(err, ['739155', to])
  assert.equal(err.body, body)
  assert.ok(!Object.keys(err).includes('body'))
  assert.match(util.inspect(err), new RegExp(`body: '<${Buffer.byteLength(body)} bytes>'`))
  assert.equal(err.maybeSent, false)
})
