// The error class tree matches tests/vectors/error_classes.json (shared with Python),
// and a native error maps to its class through its ZIGNSEC_* code.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import zignsec from '../index.js'
import native from '../load-native.js'

const table = JSON.parse(readFileSync(new URL('../../tests/vectors/error_classes.json', import.meta.url), 'utf8'))

test('the base class', () => {
  const base = zignsec[table.base.node_class]
  assert.equal(Object.getPrototypeOf(base), globalThis[table.base.node_parent])
})

test('every kind: its class, its parent, its code', () => {
  assert.equal(table.kinds.length, 14)
  assert.deepEqual(native.errorCodes(), table.kinds.map((row) => row.node_code))
  for (const row of table.kinds) {
    const cls = zignsec[row.node_class]
    assert.equal(typeof cls, 'function', row.node_class)
    assert.equal(Object.getPrototypeOf(cls), zignsec[row.node_parent], row.node_class)
    assert.equal(cls.code, row.node_code)
    assert.ok(new cls('m') instanceof zignsec.ZignSecError)
  }
})

test('a timeout is a kind of connection error, as in Python', () => {
  const err = new zignsec.APITimeoutError('late')
  assert.ok(err instanceof zignsec.APIConnectionError)
  assert.equal(err.code, 'ZIGNSEC_TIMEOUT')
})

test('a native error is data: its code is ZIGNSEC_*, its fields in info, no JSON in the message', () => {
  let raw
  try {
    native.normalizePhone('12', undefined)
  } catch (err) {
    raw = err
  }
  assert.ok(raw instanceof Error)
  assert.equal(raw.code, 'ZIGNSEC_VALIDATION')
  assert.equal(raw.info.kind, 'validation')
  assert.equal(raw.info.field, 'number')
  assert.ok(!raw.message.includes('{'), raw.message)
  assert.throws(() => zignsec.normalizePhone('12'), (err) => err instanceof zignsec.ValidationError && err.field === 'number')
})

test('a native rejection is data too', async () => {
  const client = new native.NativeClient({ apiKey: 'k', baseUrl: 'http://127.0.0.1:9' })
  const raw = await client.getSmsSession('not-a-uuid').then(
    () => assert.fail('expected a rejection'),
    (err) => err,
  )
  assert.ok(raw instanceof Error)
  assert.equal(raw.code, 'ZIGNSEC_VALIDATION')
  assert.equal(raw.info.field, 'sessionId')
  assert.equal(raw.info.attempts, 0)
})
