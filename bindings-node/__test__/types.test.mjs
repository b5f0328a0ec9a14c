// Wrong argument types are TypeErrors naming the parameter; nothing is sent.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import * as z from 'zignsec'
import { Client } from 'zignsec'
import { startMock } from './mock.cjs'

let mock
let client
before(async () => {
  mock = await startMock()
  client = new Client({ apiKey: mock.apiKey, baseUrl: mock.url })
})
after(async () => mock?.stop())

const SMS = { to: '+46701234567', from: 'ZignSec', message: 'hi' }
const ID = '26f5cc23-dbbb-45bb-a210-2818e70637bd'

function typeError(re) {
  return (err) => {
    assert.ok(err instanceof TypeError, `${err?.constructor?.name}: ${err?.message}`)
    assert.match(err.message, re)
    return true
  }
}

test('wrong types reject with TypeError naming the parameter, and send nothing', async () => {
  await mock.resetStats()
  const cases = [
    [() => client.sendSms(), /params/],
    [() => client.sendSms('hi'), /params/],
    [() => client.sendSms([]), /params/],
    [() => client.sendSms({ ...SMS, to: 46701234567 }), /params\.to must be a string/],
    [() => client.sendSms({ ...SMS, from: undefined }), /params\.from is required/],
    [() => client.sendSms({ ...SMS, message: Buffer.from('x') }), /params\.message/],
    [() => client.sendSms({ ...SMS, maxMessageParts: '2' }), /params\.maxMessageParts must be a number/],
    [() => client.sendSms({ ...SMS, maxMessageParts: 2n }), /maxMessageParts/],
    [() => client.sendSms({ ...SMS, relayState: 5 }), /relayState/],
    [() => client.sendSms({ ...SMS, webhook: {} }), /webhook/],
    [() => client.sendSms({ ...SMS, max_message_parts: 2 }), /unknown option "max_message_parts"/],
    [() => client.startPhoneVerification({ phone_number: '+46701234567' }), /unknown option|phoneNumber/],
    [() => client.startPhoneVerification({ phoneNumber: '+46701234567', csrfToken: 1 }), /csrfToken/],
    [() => client.startPhoneVerification({ phoneNumber: '+46701234567', locale: true }), /locale/],
    [() => client.getSmsSession(5), /id must be a string/],
    [() => client.getPhoneSession(), /id must be a string/],
    [() => client.waitSmsSession(null), /id/],
    [() => client.waitSmsSession(ID, { timeoutMs: '5' }), /options\.timeoutMs must be a number/],
    [() => client.waitPhoneSession(ID, { pollIntervalMs: [] }), /pollIntervalMs/],
    [() => client.waitPhoneSession(ID, 5), /options must be an object/],
    [() => client.waitPhoneSession(ID, { timeout: 5 }), /unknown option "timeout"/],
  ]
  for (const [fn, re] of cases) {
    await assert.rejects(fn(), typeError(re))
  }
  assert.equal((await mock.stats()).requests_total, 0)
})

test('wrong option types for new Client are TypeError', () => {
  assert.throws(() => new Client('key'), typeError(/options must be an object/))
  assert.throws(() => new Client({ apiKey: 5 }), typeError(/options\.apiKey must be a string/))
  assert.throws(() => new Client({ apiKey: 'k', timeoutMs: '5' }), typeError(/timeoutMs/))
  assert.throws(() => new Client({ apiKey: 'k', maxRetries: true }), typeError(/maxRetries/))
  assert.throws(() => new Client({ apiKey: 'k', timeout: 5 }), typeError(/unknown option "timeout"/))
})

test('free functions check their argument types', () => {
  assert.throws(() => z.smsParts(5), typeError(/smsParts: message must be a string/))
  assert.throws(() => z.parseWebhook(5), typeError(/body must be a string, Buffer or Uint8Array/))
  assert.throws(() => z.parseWebhook({}), typeError(/body/))
  assert.throws(() => z.verifyWebhook('{}', 5, 's'), typeError(/signatureHeader/))
  assert.throws(() => z.verifyWebhook('{}', 't=1,v1=00', 5), typeError(/secret/))
  assert.throws(() => z.verifyWebhook('{}', 't=1,v1=00', 's', '300'), typeError(/toleranceS/))
  assert.throws(() => z.signWebhook('{}', 's', '1700000000'), typeError(/timestamp/))
  assert.throws(() => z.signWebhook('{}', null, 1), typeError(/secret/))
})

test('null optional fields count as absent', async () => {
  const sms = await client.sendSms({ ...SMS, relayState: null, webhook: undefined, maxMessageParts: null })
  const recorded = await mock.session(sms.id)
  assert.deepEqual(recorded.request.metadata.max_message_parts, 1)
  assert.equal(recorded.request.relay_state, undefined)
})
