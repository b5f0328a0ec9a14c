// Email verification (through the offline gateway's hosted email page), errors and
// raw on details, and one-time codes (Otp, sendOtp) with their redaction.
import { test, before, after, beforeEach } from 'node:test'
import assert from 'node:assert/strict'
import util from 'node:util'
import * as z from 'zignsec'
import { startMock } from './mock.cjs'

let mock
let client
before(async () => {
  mock = await startMock()
  client = new z.Client({ apiKey: mock.apiKey, baseUrl: mock.url, maxRetries: 0 })
})
after(async () => mock?.stop())
beforeEach(async () => mock.clearFaults())

const EMAIL = {
  emailAddress: 'jane.doe@example.com',
  locale: 'En',
  redirectSuccess: 'https://example.com/ok',
  redirectFailure: 'https://example.com/fail',
}

function post(url, form) {
  return fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form ?? {}).toString(),
  })
}

test('email verification through the hosted page to finished', async () => {
  const email = await client.startEmailVerification({ ...EMAIL, relayState: 'r-1', csrfToken: 'csrf-abc' })
  assert.match(email.redirectUrl, /\/2fa-ui\/2fa\/email\//)
  assert.equal(email.isFinal, false)
  const recorded = await mock.session(email.id)
  assert.equal(recorded.kind, 'email')
  assert.equal(recorded.csrf_token, 'csrf-abc')
  assert.deepEqual(recorded.request.metadata, { email_address: EMAIL.emailAddress })

  const details = await client.getEmailSession(email.id)
  assert.equal(details.id, email.id)
  assert.equal(details.request.emailAddress, EMAIL.emailAddress)
  assert.equal(details.request.locale, 'En')
  assert.equal(details.request.relayState, 'r-1')
  assert.deepEqual(details.errors, [])
  assert.equal(details.raw.id, email.id)

  const page = await fetch(email.redirectUrl)
  assert.equal(page.status, 200)
  const sent = await post(`${email.redirectUrl}/send`)
  assert.ok(sent.status < 400, `send: ${sent.status}`)
  const { last_code: code } = await mock.session(email.id)
  assert.match(code, /^\d{5}$/)
  const waiting = client.waitEmailSession(email.id, { timeoutMs: 10_000, pollIntervalMs: 50 })
  const verified = await post(`${email.redirectUrl}/verify`, { code })
  assert.equal(verified.status, 303)
  assert.equal(verified.headers.get('location'), 'https://example.com/ok')
  const done = await waiting
  assert.equal(done.status, 'finished')
  assert.equal(done.isFinal, true)
})

test('email verification cancelled on the hosted page', async () => {
  const email = await client.startEmailVerification({ ...EMAIL, emailAddress: 'john@example.com' })
  const res = await post(`${email.redirectUrl}/cancel`)
  assert.ok(res.status < 400)
  const done = await client.waitEmailSession(email.id, { timeoutMs: 5000, pollIntervalMs: 50 })
  assert.equal(done.status, 'cancelled')
  assert.equal(done.isFinal, true)
})

test('email: locale and both redirects are required; a bad address names emailAddress', async () => {
  await assert.rejects(client.startEmailVerification({ ...EMAIL, locale: undefined }), TypeError)
  await assert.rejects(client.startEmailVerification({ ...EMAIL, emailAddress: 'no-at-sign' }), (err) => {
    assert.ok(err instanceof z.ValidationError)
    assert.equal(err.field, 'emailAddress')
    assert.equal(err.maybeSent, false)
    return true
  })
})

test('waitEmailSession times out with the last email details read (safe to log)', async () => {
  const email = await client.startEmailVerification({ ...EMAIL, emailAddress: 'slow.person@example.com' })
  await assert.rejects(client.waitEmailSession(email.id, { timeoutMs: 200, pollIntervalMs: 40 }), (err) => {
    assert.ok(err instanceof z.WaitTimeoutError)
    assert.equal(err.details.id, email.id)
    assert.equal(err.details.request.emailAddress, 'slow.person@example.com')
    assert.equal(err.details.raw.id, email.id)
    for (const text of [util.inspect(err), JSON.stringify(err), String(err)]) {
      assert.ok(!text.includes('slow.person@example.com'), text)
    }
    return true
  })
})

test('every details object carries errors and raw', async () => {
  const sms = await client.sendSms({ to: '+46701234567', from: 'ZignSec', message: 'hi' })
  await mock.control('POST', `/_mock/sessions/${sms.id}/errors`, {
    errors: [{ code: 'E42', description: 'carrier refused' }],
  })
  const details = await client.getSmsSession(sms.id)
  assert.deepEqual(details.errors, [{ code: 'E42', description: 'carrier refused' }])
  assert.equal(details.raw.id, sms.id)
  assert.deepEqual(details.raw.errors, [{ code: 'E42', description: 'carrier refused' }])
  const phone = await client.startPhoneVerification({ phoneNumber: '+46701234567' })
  const pd = await client.getPhoneSession(phone.id)
  assert.deepEqual(pd.errors, [])
  assert.equal(pd.raw.id, phone.id)
})

const SECRET = 'an-otp-secret-of-32-bytes-length'

test('Otp: issue and check; the code and secret never shown', () => {
  const otp = new z.Otp({ secret: SECRET, digits: 6, ttlMs: 60_000, maxAttempts: 3 })
  const issued = otp.issue('+46701234567')
  const { code, challenge } = issued
  assert.match(code, /^\d{6}$/)
  for (const text of [util.inspect(issued), JSON.stringify(issued), String(issued), util.inspect(otp), JSON.stringify(otp)]) {
    assert.ok(!text.includes(code), text)
    assert.ok(!text.includes(SECRET), text)
  }
  const wrong = otp.check(challenge, code === '000000' ? '111111' : '000000', '+46701234567')
  assert.deepEqual({ ok: wrong.ok, reason: wrong.reason, attemptsLeft: wrong.attemptsLeft }, { ok: false, reason: 'wrong_code', attemptsLeft: 2 })
  assert.ok(!util.inspect(wrong).includes(wrong.challenge))
  const ok = otp.check(wrong.challenge, `${code.slice(0, 3)} ${code.slice(3)}`, '+46701234567')
  assert.equal(ok.ok, true)
  assert.equal(ok.reason, 'ok')
  assert.equal(otp.check(ok.challenge, code, '+46701234567').reason, 'used')
  assert.equal(otp.check(challenge, code, '+46701234568').reason, 'invalid')
  assert.throws(() => otp.issue('0701234567'), (err) => err instanceof z.ValidationError && err.field === 'to')
  assert.throws(() => new z.Otp({ secret: 'short' }), (err) => err instanceof z.ConfigError && err.field === 'secret')
  assert.throws(() => new z.Otp({ secret: 42 }), TypeError)
  assert.equal(new z.Otp({ secret: Buffer.alloc(16, 1) }).digits, 6)
})

test('sendOtp: the code goes out in the SMS, only the challenge comes back', async () => {
  const otp = new z.Otp({ secret: SECRET })
  const sent = await client.sendOtp({ to: '+46701234567', from: 'ZignSec', otp, template: 'Code: {code}' })
  assert.ok(sent.session.id)
  assert.equal(typeof sent.challenge, 'string')
  const { request } = await mock.session(sent.session.id)
  const code = request.metadata.message.slice('Code: '.length)
  assert.match(code, /^\d{6}$/)
  for (const text of [util.inspect(sent), JSON.stringify(sent)]) assert.ok(!text.includes(code), text)
  assert.ok(!util.inspect(sent).includes(sent.challenge))
  assert.equal(otp.check(sent.challenge, code, '+46701234567').reason, 'ok')

  await mock.resetStats()
  await assert.rejects(client.sendOtp({ to: '+46701234567', from: 'ZignSec', otp, template: 'no placeholder' }), (err) => {
    assert.ok(err instanceof z.ValidationError)
    assert.equal(err.field, 'template')
    assert.equal(err.maybeSent, false)
    return true
  })
  assert.equal((await mock.stats()).requests_total, 0)
  await assert.rejects(client.sendOtp({ to: '+46701234567', from: 'ZignSec', otp: {} }), TypeError)
})

test('normalizePhone', () => {
  assert.equal(z.normalizePhone('070-123 45 67', { defaultRegion: 'SE' }), '+46701234567')
  assert.equal(z.normalizePhone('+46 70 123 45 67'), '+46701234567')
  assert.throws(() => z.normalizePhone('070-123 45 67'), (err) => err instanceof z.ValidationError && err.field === 'number')
  assert.throws(() => z.normalizePhone(46701234567), TypeError)
})

test('SIGNATURE_HEADER and VERSION come from the native module', async () => {
  const native = (await import('../load-native.js')).default
  assert.equal(z.SIGNATURE_HEADER, native.SIGNATURE_HEADER)
  assert.equal(z.VERSION, native.VERSION)
})
