// 200 promises on one client run at once (not capped by libuv's 4-thread pool),
// and the event loop keeps turning meanwhile.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { Client } from 'zignsec'
import { startMock } from './mock.cjs'

let mock
before(async () => {
  mock = await startMock()
})
after(async () => mock?.stop())

test('200 concurrent calls against a 200 ms delay finish in under 2 s', async () => {
  const client = new Client({ apiKey: mock.apiKey, baseUrl: mock.url, maxRetries: 0, timeoutMs: 10_000 })
  const sms = await client.sendSms({ to: '+46701234567', from: 'ZignSec', message: 'hi' })
  await mock.resetStats()
  await mock.fault({ path: `/core/api/sessions/${sms.id}`, delay_ms: 200, count: 200 })

  let ticks = 0
  const timer = setInterval(() => ticks++, 10)
  const started = performance.now()
  const results = await Promise.all(Array.from({ length: 200 }, () => client.getSmsSession(sms.id)))
  const elapsed = performance.now() - started
  clearInterval(timer)

  assert.equal(results.length, 200)
  for (const r of results) assert.equal(r.id, sms.id)
  assert.ok(elapsed >= 200, `each call was delayed: ${elapsed} ms`)
  assert.ok(elapsed < 2000, `200 calls took ${elapsed.toFixed(0)} ms`)
  console.log(`200 concurrent calls: ${elapsed.toFixed(0)} ms, ${ticks} event-loop ticks`)
  // Serial (or 4 at a time) would take 40 s (10 s); the loop must not block meanwhile.
  assert.ok(ticks >= 10, `the event loop ticked only ${ticks} times in ${elapsed.toFixed(0)} ms`)
  const stats = await mock.stats()
  assert.equal(stats.requests_total, 200)
})

test('the event loop is free while a call waits', async () => {
  const client = new Client({ apiKey: mock.apiKey, baseUrl: mock.url, maxRetries: 0 })
  const sms = await client.sendSms({ to: '+46701234567', from: 'ZignSec', message: 'hi' })
  await mock.fault({ path: `/core/api/sessions/${sms.id}`, delay_ms: 500 })
  const pending = client.getSmsSession(sms.id)
  const t0 = performance.now()
  await new Promise((r) => setTimeout(r, 20))
  const lag = performance.now() - t0
  assert.ok(lag < 200, `a 20 ms timer fired after ${lag} ms`)
  assert.equal((await pending).id, sms.id)
})
