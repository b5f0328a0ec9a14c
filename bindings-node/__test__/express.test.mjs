// zignsec/express against the real Express, over HTTP on 127.0.0.1: the raw body
// from express.raw() or from the stream verifies; a bad, missing or stale
// signature, or the same JSON re-serialised, answers 400 and the handler never
// runs; a body express.json() already parsed goes to next(err) naming the fix.
import { test, before, after, beforeEach } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import express from 'express'
import * as z from 'zignsec'
import { webhookMiddleware, PARSED_BODY_MESSAGE } from 'zignsec/express'

const require = createRequire(import.meta.url)
const SECRET = 'whsec_express_suite'
const BODY = Buffer.from(
  '{"event":"session_finished","id":"26f5cc23-dbbb-45bb-a210-2818e70637bd",' +
    '"integration_id":"Zignsec.v5.SMS","number_of_message_parts":1,' +
    '"relay_state":"user-7","status":"delivered","workflow_session_id":"w-1"}',
)
// The same JSON, serialised differently (what a parse-and-dump would send on).
const RESERIALISED = Buffer.from(JSON.stringify(JSON.parse(BODY), null, 2))
const nowS = () => Math.floor(Date.now() / 1000)
const signedNow = (body = BODY) => z.signWebhook(body, SECRET, nowS())

let server
let base
let calls = []
let errors = []

before(async () => {
  const app = express()
  const handler = (req, res) => {
    calls.push(req.zignsecEvent)
    res.json({ id: req.zignsecEvent.id, status: req.zignsecEvent.status, relayState: req.zignsecEvent.relayState, bodyIsBuffer: Buffer.isBuffer(req.body) })
  }
  const verify = webhookMiddleware({ secret: SECRET })
  app.post('/raw', express.raw({ type: 'application/json' }), verify, handler)
  app.post('/stream', verify, handler)
  app.post('/tolerant', webhookMiddleware({ secret: SECRET, toleranceS: 3600 }), handler)
  app.post('/small', webhookMiddleware({ secret: SECRET, limitBytes: 16 }), handler)
  app.post('/parsed', express.json(), verify, handler)
  // The stream route's body parser for another content type does not get in the way.
  app.post('/json-other-type', express.json(), verify, handler)
  app.use((err, req, res, _next) => {
    errors.push(err)
    res.status(err.status ?? 500).json({ error: err.message })
  })
  await new Promise((resolve) => {
    server = app.listen(0, '127.0.0.1', resolve)
  })
  base = `http://127.0.0.1:${server.address().port}`
})
after(() => new Promise((resolve) => server.close(resolve)))
beforeEach(() => {
  calls = []
  errors = []
})

function post(path, body, signature, contentType = 'application/json') {
  const headers = { 'content-type': contentType }
  if (signature !== undefined) headers[z.SIGNATURE_HEADER] = signature
  return fetch(base + path, { method: 'POST', body, headers })
}

function checkEvent(json) {
  assert.equal(json.id, '26f5cc23-dbbb-45bb-a210-2818e70637bd')
  assert.equal(json.status, 'delivered')
  assert.equal(json.relayState, 'user-7')
}

for (const path of ['/raw', '/stream']) {
  test(`${path}: a raw body signed now verifies, req.zignsecEvent is set`, async () => {
    const resp = await post(path, BODY, signedNow())
    assert.equal(resp.status, 200, await resp.clone().text())
    const json = await resp.json()
    checkEvent(json)
    assert.equal(json.bodyIsBuffer, true)
    assert.equal(calls.length, 1)
    assert.equal(calls[0].event, 'session_finished')
  })

  const rejected = [
    ['a wrong secret', BODY, () => z.signWebhook(BODY, 'whsec_someone_else', nowS())],
    ['no signature header', BODY, () => undefined],
    ['a malformed header', BODY, () => 't=oops'],
    ['a stale timestamp', BODY, () => z.signWebhook(BODY, SECRET, nowS() - 301)],
    ['the same JSON re-serialised', RESERIALISED, () => signedNow(BODY)],
    ['a signed body that is not an event', Buffer.from('not json'), () => signedNow(Buffer.from('not json'))],
  ]
  for (const [name, body, sign] of rejected) {
    test(`${path}: ${name} answers 400 and the handler is not called`, async () => {
      const resp = await post(path, body, sign())
      assert.equal(resp.status, 400)
      const json = await resp.json()
      assert.match(json.error, /^invalid ZignSec webhook: /)
      assert.equal(calls.length, 0)
      assert.equal(errors.length, 0)
    })
  }
}

test('toleranceS widens the window', async () => {
  const resp = await post('/tolerant', BODY, z.signWebhook(BODY, SECRET, nowS() - 600))
  assert.equal(resp.status, 200)
  checkEvent(await resp.json())
})

test('a body over limitBytes read from the stream goes to next(err) with status 413', async () => {
  const resp = await post('/small', BODY, signedNow())
  assert.equal(resp.status, 413)
  assert.equal(calls.length, 0)
  assert.equal(errors.length, 1)
})

test('a body express.json() already parsed goes to next(err) naming the fix', async () => {
  const resp = await post('/parsed', BODY, signedNow())
  assert.equal(resp.status, 500)
  assert.equal(calls.length, 0)
  assert.equal(errors.length, 1)
  const [err] = errors
  assert.ok(err instanceof z.ConfigError)
  assert.equal(err.message, PARSED_BODY_MESSAGE)
  assert.match(err.message, /express\.raw\(\{ type: 'application\/json' \}\)/)
  assert.match(err.message, /before express\.json\(\)/)
})

test('express.json() that skipped the content type leaves the stream to the middleware', async () => {
  const resp = await post('/json-other-type', BODY, signedNow(), 'text/plain')
  assert.equal(resp.status, 200)
  checkEvent(await resp.json())
})

test('options are checked when the middleware is made', () => {
  assert.throws(() => webhookMiddleware(), TypeError)
  assert.throws(() => webhookMiddleware({ secret: 5 }), /secret must be a string/)
  assert.throws(() => webhookMiddleware({ secret: SECRET, toleranceS: '300' }), /toleranceS must be a number/)
  assert.throws(() => webhookMiddleware({ secret: SECRET, limitBytes: 0 }), /limitBytes/)
  assert.throws(() => webhookMiddleware({ secret: SECRET, toleranceS: -1 }), z.ZignSecError)
})

test('zignsec/express resolves for require and import alike', async () => {
  const cjs = require('zignsec/express')
  const esm = await import('zignsec/express')
  assert.equal(cjs.webhookMiddleware, esm.webhookMiddleware)
  assert.equal(esm.default, cjs)
})

test('loading zignsec or zignsec/express does not load express', () => {
  const code =
    "require('zignsec'); require('zignsec/express');" +
    "const loaded = Object.keys(require.cache).filter((f) => /[\\\\/]node_modules[\\\\/]express[\\\\/]/.test(f));" +
    'process.stdout.write(JSON.stringify(loaded))'
  const out = spawnSync(process.execPath, ['-e', code], { cwd: process.cwd(), encoding: 'utf8' })
  assert.equal(out.status, 0, out.stderr)
  assert.deepEqual(JSON.parse(out.stdout), [])
})
