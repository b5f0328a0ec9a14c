// CommonJS: require('zignsec') works and has the whole API.
const { test } = require('node:test')
const assert = require('node:assert/strict')
const { startMock } = require('./mock.cjs')

test('require("zignsec") exposes the API', async () => {
  const z = require('zignsec')
  for (const name of ['Client', 'smsParts', 'parseWebhook', 'verifyWebhook', 'signWebhook', 'ZignSecError', 'ValidationError', 'WebhookSignatureError']) {
    assert.ok(z[name], name)
  }
  assert.equal(z.smsParts('hello').parts, 1)
  const mock = await startMock()
  try {
    const client = new z.Client({ apiKey: mock.apiKey, baseUrl: mock.url })
    const sms = await client.sendSms({ to: '+46701234567', from: 'ZignSec', message: 'hi' })
    assert.equal((await client.getSmsSession(sms.id)).id, sms.id)
  } finally {
    await mock.stop()
  }
})

test('ESM and CommonJS share the same classes', async () => {
  const esm = await import('zignsec')
  const cjs = require('zignsec')
  assert.equal(esm.Client, cjs.Client)
  assert.equal(esm.ValidationError, cjs.ValidationError)
  assert.equal(esm.default, cjs)
})
