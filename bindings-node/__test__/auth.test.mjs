// tests/vectors/auth.json: the auth schemes and key rotation, one offline gateway
// per case (started with its keys and --auth-scheme).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import util from 'node:util'
import * as z from 'zignsec'
import { startMock, vectors, camel } from './mock.cjs'

const SMS_PATH = '/core/api/sessions/two_factor_auth/sms'
const SMS = { to: '+46701234567', from: 'ZignSec', message: 'Your code is 12345' }

const KINDS = {
  authentication: z.AuthenticationError,
}

async function posts(mock) {
  const stats = await mock.stats()
  return stats.requests?.[`POST ${SMS_PATH}`] ?? 0
}

const { cases } = vectors('auth')

for (const c of cases) {
  test(`auth vector ${c.name}`, async () => {
    const mock = await startMock({ apiKeys: c.mock.api_keys, authScheme: c.mock.auth_scheme })
    try {
      const options = Object.fromEntries(Object.entries(c.client).map(([k, v]) => [camel(k), v]))
      const client = new z.Client({ ...options, baseUrl: mock.url })
      const keys = [c.client.api_key, c.client.secondary_api_key].filter(Boolean)
      let err
      try {
        await client.sendSms(SMS)
      } catch (e) {
        err = e
      }
      assert.equal(await posts(mock), c.expect.first_call_requests, `${c.name}: first call`)
      if (c.expect.kind === 'ok') {
        assert.equal(err, undefined, `${c.name}: ${err}`)
        await mock.resetStats()
        await client.sendSms(SMS)
        assert.equal(await posts(mock), c.expect.second_call_requests, `${c.name}: second call`)
      } else {
        assert.ok(err instanceof KINDS[c.expect.kind], `${c.name}: ${err?.constructor?.name}: ${err?.message}`)
        for (const text of [err.message, String(err), util.inspect(err), JSON.stringify(err), err.body ?? '']) {
          for (const key of keys) assert.ok(!text.includes(key), `${c.name}: a key in ${text}`)
        }
      }
      for (const text of [util.inspect(client), JSON.stringify(client), String(client)]) {
        for (const key of keys) assert.ok(!text.includes(key), `${c.name}: a key in ${text}`)
      }
    } finally {
      await mock.stop()
    }
  })
}

test('authScheme and secondaryApiKey are type-checked, and a bad scheme is a ConfigError', () => {
  assert.throws(() => new z.Client({ apiKey: 'k', authScheme: 1 }), TypeError)
  assert.throws(() => new z.Client({ apiKey: 'k', secondaryApiKey: 1 }), TypeError)
  assert.throws(() => new z.Client({ apiKey: 'k', authScheme: 'bearer' }), z.ConfigError)
})
