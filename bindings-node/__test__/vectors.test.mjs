// The shared test vectors (tests/vectors/): sms_parts, webhooks, seeds, bad_inputs,
// phone_numbers, otp.
import { test, before, after, beforeEach } from 'node:test'
import assert from 'node:assert/strict'
import * as z from 'zignsec'
import { startMock, vectors, expand, camel } from './mock.cjs'

const ID = '26f5cc23-dbbb-45bb-a210-2818e70637bd'
const PATHS = {
  send_sms: '/core/api/sessions/two_factor_auth/sms',
  start_phone_verification: '/core/api/sessions/two_factor_auth/phone',
  get_sms_session: '/core/api/sessions/',
  get_phone_session: '/core/api/sessions/',
  start_email_verification: '/core/api/sessions/two_factor_auth/email',
  get_email_session: '/core/api/sessions/',
}

let mock
let client
before(async () => {
  mock = await startMock()
  client = new z.Client({ apiKey: mock.apiKey, baseUrl: mock.url, maxRetries: 0 })
})
after(async () => mock?.stop())
beforeEach(async () => mock.clearFaults())

/** snake_case keys → camelCase, nulls dropped (absent fields are `undefined` here). */
function camelize(value) {
  if (Array.isArray(value)) return value.map(camelize)
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== null)
        .map(([k, v]) => [camel(k), camelize(v)]),
    )
  }
  return value
}

/** A result as plain JSON (drops `undefined` fields). */
const plain = (v) => JSON.parse(JSON.stringify(v))

/** Call `op` with the vectors' snake_case `args`. */
function call(op, args) {
  const a = camelize(args)
  switch (op) {
    case 'send_sms':
      return client.sendSms(a)
    case 'start_phone_verification':
      return client.startPhoneVerification(a)
    case 'get_sms_session':
      return client.getSmsSession(a.sessionId)
    case 'get_phone_session':
      return client.getPhoneSession(a.sessionId)
    case 'wait_sms_session':
      return client.waitSmsSession(a.sessionId, { timeoutMs: 200, pollIntervalMs: 50 })
    case 'wait_phone_session':
      return client.waitPhoneSession(a.sessionId, { timeoutMs: 200, pollIntervalMs: 50 })
    case 'start_email_verification':
      return client.startEmailVerification(a)
    case 'get_email_session':
      return client.getEmailSession(a.sessionId)
    case 'wait_email_session':
      return client.waitEmailSession(a.sessionId, { timeoutMs: 200, pollIntervalMs: 50 })
    default:
      throw new Error(`unknown op ${op}`)
  }
}

test('sms_parts vectors', () => {
  const { cases } = vectors('sms_parts')
  assert.ok(cases.length > 50)
  for (const c of cases) {
    const got = z.smsParts(expand(c.message))
    assert.deepEqual(
      got,
      { encoding: c.encoding, parts: c.parts, units: c.units, unitsPerPart: c.units_per_part },
      c.name,
    )
  }
})

test('webhook vectors: verify at a fixed clock (string and Buffer bodies)', () => {
  const { cases, secret } = vectors('webhooks')
  assert.ok(cases.length > 30)
  const seen = new Set()
  for (const c of cases) {
    const body = expand(c.body)
    for (const b of [body, Buffer.from(body, 'utf8')]) {
      let got
      try {
        got = { ok: z.verifyWebhookAt(b, c.header, c.secret ?? secret, c.tolerance_s, c.now) }
      } catch (err) {
        got = { err }
      }
      seen.add(c.expect)
      if (c.expect === 'ok') {
        assert.ok(got.ok, `${c.name}: ${got.err?.message}`)
        const want = camelize(c.event)
        for (const [k, v] of Object.entries(want)) assert.deepEqual(got.ok[k], v, `${c.name}.${k}`)
        assert.deepEqual(got.ok.raw, JSON.parse(body), c.name)
      } else if (c.expect === 'webhook_signature') {
        assert.ok(got.err instanceof z.WebhookSignatureError, `${c.name}: ${got.err ?? 'passed'}`)
        assert.equal(got.err.code, 'ZIGNSEC_WEBHOOK_SIGNATURE')
      } else if (c.expect === 'decode') {
        assert.ok(got.err instanceof z.ResponseDecodeError, `${c.name}: ${got.err ?? 'passed'}`)
      } else {
        assert.fail(`unknown expectation ${c.expect}`)
      }
    }
  }
  assert.deepEqual(seen, new Set(['ok', 'webhook_signature', 'decode']))
})

test('webhook vectors: sign', () => {
  const { sign_cases: cases } = vectors('webhooks')
  assert.ok(cases.length > 0)
  for (const c of cases) {
    assert.equal(z.signWebhook(expand(c.body), c.secret, c.timestamp), c.header, c.name)
    assert.equal(z.signWebhook(Buffer.from(expand(c.body)), c.secret, c.timestamp), c.header, c.name)
  }
})

test('verifyWebhook against the real clock, and parseWebhook', () => {
  const body = JSON.stringify({ event: 'status_changed', id: ID, status: 'delivered', relay_state: 'r' })
  const now = Math.floor(Date.now() / 1000)
  const header = z.signWebhook(body, 'whsec', now)
  const ev = z.verifyWebhook(body, header, 'whsec')
  assert.equal(ev.id, ID)
  assert.equal(ev.status, 'delivered')
  assert.equal(ev.relayState, 'r')
  assert.equal(ev.event, 'status_changed')
  assert.equal(z.verifyWebhook(new TextEncoder().encode(body), header, 'whsec', 10).id, ID)
  const stale = z.signWebhook(body, 'whsec', now - 1000)
  assert.throws(() => z.verifyWebhook(body, stale, 'whsec'), z.WebhookSignatureError)
  assert.equal(z.verifyWebhook(body, stale, 'whsec', 2000).id, ID)
  assert.throws(() => z.verifyWebhook(body, header, 'other'), z.WebhookSignatureError)
  assert.throws(() => z.verifyWebhook(body + ' ', header, 'whsec'), z.WebhookSignatureError)
  assert.throws(() => z.verifyWebhook(body, undefined, 'whsec'), z.WebhookSignatureError)
  assert.throws(() => z.verifyWebhook(body, '', 'whsec'), z.WebhookSignatureError)
  assert.throws(() => z.verifyWebhook(body, header, 'whsec', -1), (e) => e instanceof z.ValidationError && e.field === 'toleranceS')
  assert.throws(() => z.verifyWebhook(body, header, ''), (e) => e instanceof z.ValidationError && e.field === 'secret')
  assert.throws(() => z.signWebhook(body, 'whsec', 1.5), (e) => e instanceof z.ValidationError && e.field === 'timestamp')
  const parsed = z.parseWebhook(JSON.stringify({ session_id: ID, result: { status: 'finished' } }))
  assert.equal(parsed.id, ID)
  assert.equal(parsed.status, 'finished')
  assert.throws(() => z.parseWebhook('nope'), z.ResponseDecodeError)
  assert.equal(z.SIGNATURE_HEADER, 'X-ZignSec-Hmac-SHA256')
})

test('seed requests reach the gateway exactly as the wire body', async () => {
  const { requests } = vectors('seeds')
  assert.ok(requests.length > 0)
  for (const r of requests) {
    const session = await call(r.op, expand(r.args))
    const recorded = await mock.session(session.id)
    assert.deepEqual(recorded.request, expand(r.wire_body), r.name)
    if (r.csrf_token) assert.equal(recorded.csrf_token, r.csrf_token, r.name)
  }
})

test('seed responses parse to the documented objects', async () => {
  const { responses } = vectors('seeds')
  assert.ok(responses.length > 20)
  const defaults = {
    send_sms: { to: '+46701234567', from: 'ZignSec', message: 'hi' },
    start_phone_verification: { phone_number: '+46701234567' },
    get_sms_session: { session_id: ID },
    get_phone_session: { session_id: ID },
    start_email_verification: {
      email_address: 'jane@example.com',
      locale: 'En',
      redirect_success: 'https://example.com/ok',
      redirect_failure: 'https://example.com/fail',
    },
    get_email_session: { session_id: ID },
  }
  for (const r of responses) {
    await mock.fault({ path: PATHS[r.op], status: 200, body: JSON.stringify(r.body) })
    const got = plain(await call(r.op, defaults[r.op]))
    if (r.op.startsWith('get_')) {
      // Details also carry data.errors and the whole data object.
      assert.deepEqual(got.raw, r.body.data, r.name)
      assert.deepEqual(got.errors, r.body.data.errors ?? [], r.name)
      delete got.raw
      delete got.errors
    }
    assert.deepEqual(got, camelize(r.expect), r.name)
  }
})

test('bad_inputs corpus: ValidationError naming the field, and zero requests', async () => {
  const { cases, language_cases: language } = vectors('bad_inputs')
  assert.ok(cases.length > 300)
  await mock.resetStats()
  for (const c of [...cases, ...language]) {
    let err
    try {
      await call(c.op, expand(c.args))
    } catch (e) {
      err = e
    }
    assert.ok(err instanceof z.ValidationError, `${c.name}: ${err ? `${err.constructor.name}: ${err.message}` : 'no error'}`)
    assert.equal(err.code, 'ZIGNSEC_VALIDATION', c.name)
    assert.equal(err.field, camel(c.field), `${c.name}: ${err.message}`)
    assert.equal(err.attempts, 0, c.name)
    if (c.op === 'send_sms' || c.op.startsWith('start_')) {
      assert.equal(err.maybeSent, false, c.name)
    } else {
      // Reads carry no maybeSent, text that is not Unicode included.
      assert.equal(err.maybeSent ?? undefined, undefined, c.name)
    }
  }
  const stats = await mock.stats()
  assert.equal(stats.requests_total, 0, JSON.stringify(stats))
})

test('bad_inputs valid_cases pass validation', async () => {
  const { valid_cases: valid } = vectors('bad_inputs')
  assert.ok(valid.length > 0)
  for (const c of valid) {
    try {
      await call(c.op, expand(c.args))
    } catch (err) {
      // Reads of random ids are 404s / wait timeouts: fine, as long as they passed validation.
      assert.ok(!(err instanceof z.ValidationError), `${c.name}: ${err.message}`)
    }
  }
})

test('phone_numbers vectors: normalizePhone', () => {
  const { cases } = vectors('phone_numbers')
  assert.ok(cases.length > 100)
  for (const c of cases) {
    const number = expand(c.number)
    const options = c.default_region === null ? undefined : { defaultRegion: c.default_region }
    if (c.expect === 'ok') {
      assert.equal(z.normalizePhone(number, options), c.e164, c.name)
    } else {
      let err
      try {
        z.normalizePhone(number, options)
      } catch (e) {
        err = e
      }
      assert.ok(err instanceof z.ValidationError, `${c.name}: ${err ?? 'passed'}`)
      assert.equal(err.field, camel(c.field), c.name)
      const trimmed = number.trim()
      if (trimmed.length > 4) assert.ok(!err.message.includes(trimmed), `${c.name}: ${err.message}`)
    }
  }
})

test('otp vectors: option_cases', () => {
  const { option_cases: cases } = vectors('otp')
  assert.ok(cases.length > 10)
  for (const c of cases) {
    const options = { secret: expand(c.secret), digits: c.digits, ttlMs: c.ttl_ms, maxAttempts: c.max_attempts }
    if (c.expect === 'ok') {
      const otp = new z.Otp(options)
      assert.equal(otp.digits, c.digits, c.name)
      assert.equal(otp.ttlMs, c.ttl_ms, c.name)
      assert.equal(otp.maxAttempts, c.max_attempts, c.name)
    } else {
      assert.throws(
        () => new z.Otp(options),
        // The option as JavaScript spells it (the lifetime is `ttlMs`), in field and message.
        (err) => {
          const name = c.option === 'ttl' ? 'ttlMs' : camel(c.option)
          return err instanceof z.ConfigError && err.field === name && err.message.startsWith(`${name}:`)
        },
        c.name,
      )
    }
  }
})

test('otp vectors: template_cases through sendOtp', async () => {
  const v = vectors('otp')
  assert.ok(v.template_cases.length > 0)
  const otp = new z.Otp({ secret: v.secret })
  for (const c of v.template_cases) {
    const template = expand(c.template)
    if (c.expect === 'ok') {
      const sent = await client.sendOtp({ to: v.to, from: 'ZignSec', otp, template })
      const recorded = await mock.session(sent.session.id)
      const message = recorded.request.metadata.message
      const [prefix, suffix] = [template.slice(0, template.indexOf('{code}')), template.slice(template.indexOf('{code}') + 6)]
      const code = message.slice(prefix.length, message.length - suffix.length)
      assert.match(code, /^\d{6}$/, c.name)
      assert.equal(message, expand(c.message).replace(c.code, code), c.name)
      assert.equal(otp.check(sent.challenge, code, v.to).reason, 'ok', c.name)
    } else {
      let err
      try {
        await client.sendOtp({ to: v.to, from: 'ZignSec', otp, template })
      } catch (e) {
        err = e
      }
      assert.ok(err instanceof z.ValidationError, `${c.name}: ${err ?? 'sent'}`)
      assert.equal(err.field, 'template', c.name)
      assert.equal(err.maybeSent, false, c.name)
    }
  }
})

test('otp vectors: flows', () => {
  const v = vectors('otp')
  assert.ok(v.flows.length > 5)
  for (const flow of v.flows) runFlow(v, flow)
})

function typed(form, c) {
  switch (form) {
    case '$right':
      return c
    case '$right_spaced':
      return c.replace(/(\d\d)(?=\d)/g, '$1 ')
    case '$right_hyphenated':
      return `${c.slice(0, 3)}-${c.slice(3)}`
    case '$right_padded':
      return ` ${c} `
    case '$wrong':
      return c.slice(0, -1) + String((Number(c.at(-1)) + 1) % 10)
    case '$right_plus_digit':
      return `${c}0`
    case '$right_minus_digit':
      return c.slice(0, -1)
    case '$right_with_letter':
      return `${c.slice(0, -1)}x`
    default:
      return form
  }
}

function challengeOf(form, latest, issued) {
  const swap = (ch) => (ch === 'A' ? 'B' : 'A')
  switch (form) {
    case 'latest':
      return latest
    case 'issued':
      return issued
    case 'tampered_first':
      return swap(latest[0]) + latest.slice(1)
    case 'tampered_last':
      return latest.slice(0, -1) + swap(latest.at(-1))
    case 'truncated':
      return latest.slice(0, -1)
    case 'extended':
      return `${latest}A`
    case 'empty':
      return ''
    default:
      throw new Error(`unknown challenge form ${form}`)
  }
}

function runFlow(v, flow) {
  const options = { digits: flow.options.digits, ttlMs: flow.options.ttl_ms, maxAttempts: flow.options.max_attempts }
  const same = new z.Otp({ secret: v.secret, ...options })
  const other = new z.Otp({ secret: v.other_secret, ...options })
  const { code, challenge: issued } = same._issueAt(v.to, v.t0_ms)
  assert.match(issued, new RegExp(v.challenge_pattern), flow.name)
  let latest = issued
  flow.steps.forEach((step, i) => {
    const otp = step.secret === 'other' ? other : same
    const got = otp._checkAt(challengeOf(step.challenge, latest, issued), typed(step.code, code), step.to, v.t0_ms + step.after_ms)
    assert.deepEqual(
      { ok: got.ok, reason: got.reason, attempts_left: got.attemptsLeft },
      step.expect,
      `${flow.name} step ${i}`,
    )
    if (got.reason !== 'invalid') latest = got.challenge
  })
}
