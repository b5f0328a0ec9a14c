// Secrets probe for the Node binding (run by secrets_check.sh with a canary key in
// ZIGNSEC_API_KEY and ZIGNSEC_LOG=debug, against a mock started with that key).
// Prints everything a user could print: inspect/toString/JSON of clients, results
// and errors, stacks. secrets_check.sh greps all of it for the key.
import { createRequire } from 'node:module'
import util from 'node:util'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
const z = createRequire(import.meta.url)(path.join(root, 'bindings-node'))
const KEY = process.env.ZIGNSEC_API_KEY
const MOCK = process.env.ZIGNSEC_MOCK_URL

async function control(method, p, body) {
  const r = await fetch(MOCK + p, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  await r.text()
}

function show(label, obj) {
  console.log(`${label}: ${String(obj)}`)
  console.log(`${label} inspect: ${util.inspect(obj, { showHidden: true, depth: 8, getters: true })}`)
  try {
    console.log(`${label} json: ${JSON.stringify(obj)}`)
  } catch (e) {
    console.log(`${label} json: ${e}`)
  }
  if (obj && typeof obj === 'object') {
    for (const k of Object.getOwnPropertyNames(obj)) console.log(`${label}.${k} = ${util.inspect(obj[k], { depth: 4 })}`)
  }
}

async function expectError(label, fn) {
  try {
    await fn()
    console.log(`${label}: no error`)
  } catch (e) {
    show(label, e)
    console.error(e)
    console.log(e?.stack)
  }
}

const client = new z.Client({ timeoutMs: 3000, maxRetries: 1 }) // key and base URL from the env
show('client', client)
const sms = await client.sendSms({ to: '+46701234567', from: 'ZignSec', message: 'Your code is 12345' })
show('sms', sms)
show('details', await client.waitSmsSession(sms.id, { timeoutMs: 5000, pollIntervalMs: 50 }))
show('phone', await client.startPhoneVerification({ phoneNumber: '+46703339954' }))

// One-time codes: returned, logged or put in an error nowhere (the code reaches only the
// phone; secrets_check.sh reads every code the gateway sent and searches all output for
// it). The code for the right-code check comes from the gateway's record, never printed.
const otp = new z.Otp({ secret: 'secrets-probe-otp-secret-0123456789abcdef', digits: 8 })
show('otp', otp)
const otpSent = await client.sendOtp({
  to: '+46701234567', from: 'ZignSec', otp, template: 'Your sign-in code: {code}',
})
show('otp_send', otpSent)
const record = await (await fetch(`${MOCK}/_mock/sessions/${otpSent.session.id}`)).json()
const otpCode = record.request.metadata.message.replace(/\D/g, '')
const wrong = otpCode === '11111111' ? '22222222' : '11111111'
show('otp_wrong', otp.check(otpSent.challenge, wrong, '+46701234567'))
show('otp_right', otp.check(otpSent.challenge, otpCode, '+46701234567'))
show('otp_reused', otp.check(otpSent.challenge, otpCode, '+46705550000'))

const faults = [
  { method: 'GET', status: 500, count: 5 },
  { method: 'POST', status: 401, body: '{"errors":[{"code":"unauthorized","description":"bad key"}]}' },
  { method: 'POST', status: 429, retry_after: '0', count: 5 },
  { method: 'POST', drop: true },
  { method: 'GET', status: 200, body: '<html>oops</html>', content_type: 'text/html', count: 5 },
  { method: 'POST', delay_ms: 4000 },
]
for (const [i, fault] of faults.entries()) {
  await control('DELETE', '/_mock/faults')
  await control('POST', '/_mock/faults', fault)
  await expectError(`fault${i}.read`, () => client.getSmsSession(sms.id))
  await expectError(`fault${i}.send`, () =>
    client.sendSms({ to: '+46701234567', from: 'ZignSec', message: 'Your code is 12345' }),
  )
  await expectError(`fault${i}.send_otp`, () =>
    client.sendOtp({ to: '+46701234567', from: 'ZignSec', otp, template: 'Your sign-in code: {code}' }),
  )
}
await control('DELETE', '/_mock/faults')

await expectError('wrong_key', () => new z.Client({ apiKey: KEY + 'x' }).getSmsSession(sms.id))
await expectError('http_non_loopback', () => new z.Client({ apiKey: KEY, baseUrl: 'http://example.com' }))
await expectError('key_with_newline', () => new z.Client({ apiKey: KEY + '\n' }))
await expectError('key_with_nul', () => new z.Client({ apiKey: KEY + '\u0000' }))
await expectError('validation', () => client.sendSms({ to: 'bad', from: 'ZignSec', message: 'x' }))
await expectError('not_found', () => client.getSmsSession('26f5cc23-dbbb-45bb-a210-2818e70637bd'))
console.log('node secrets probe: done')
