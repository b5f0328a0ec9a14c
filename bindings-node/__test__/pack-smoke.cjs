// Run by `make test-node-pack` inside a fresh project that installed the packed
// tarball: require('zignsec'), a pure call, and a call against the offline gateway
// (ZIGNSEC_BASE_URL / ZIGNSEC_API_KEY from scripts/with-mock.sh).
const assert = require('node:assert/strict')
const path = require('node:path')
const z = require('zignsec')

assert.ok(require.resolve('zignsec').includes(`${path.sep}node_modules${path.sep}zignsec${path.sep}`))
assert.deepEqual(z.smsParts('Hello €'), { encoding: 'gsm7', parts: 1, units: 8, unitsPerPart: 160 })
assert.equal(z.normalizePhone('070-123 45 67', { defaultRegion: 'SE' }), '+46701234567')
assert.ok(new z.APITimeoutError('t') instanceof z.APIConnectionError)

;(async () => {
  const client = new z.Client()
  const sms = await client.sendSms({ to: '+46701234567', from: 'ZignSec', message: 'packed' })
  const done = await client.waitSmsSession(sms.id, { pollIntervalMs: 50 })
  assert.equal(done.status, 'delivered')
  await assert.rejects(client.getSmsSession('nope'), z.ValidationError)
  console.log(`pack-smoke (cjs): zignsec ${z.VERSION} sent ${sms.id} → ${done.status}`)
})().catch((err) => {
  console.error(err)
  process.exit(1)
})
