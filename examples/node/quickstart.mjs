// zignsec quickstart for Node.js: send an SMS and watch it to `delivered`, verify a
// phone through the hosted page, and check a signed webhook.
//
//   make demo-node            # against the offline gateway (scripts/with-mock.sh)
//   ZIGNSEC_API_KEY=... node examples/node/quickstart.mjs   # against the test gateway
//
// The client reads ZIGNSEC_API_KEY / ZIGNSEC_BASE_URL from the environment.
import http from 'node:http'
import {
  Client,
  smsParts,
  verifyWebhook,
  signWebhook,
  SIGNATURE_HEADER,
  ZignSecError,
  ValidationError,
} from 'zignsec'

const mockUrl = process.env.ZIGNSEC_MOCK_URL // set only against the offline gateway
const webhookSecret = process.env.ZIGNSEC_WEBHOOK_SECRET ?? 'whsec_demo_secret'
const to = process.env.ZIGNSEC_DEMO_PHONE ?? '+46701234567'

const client = new Client({ timeoutMs: 15_000 })
console.log('client:', client) // the API key is never shown

// 1. How many SMS parts does a message need?
const message = 'Your ZignSec code is 12345'
console.log('smsParts:', smsParts(message))

// 2. Bad input is caught before anything is sent.
try {
  await client.sendSms({ to: '0701234567', from: 'ZignSec', message })
} catch (err) {
  if (!(err instanceof ValidationError)) throw err
  console.log(`rejected locally: ${err.code} field=${err.field}: ${err.message}`)
}

// 3. A webhook receiver on loopback (the offline gateway calls it; the real one
//    cannot reach your laptop, so there we only sign and verify an example).
const events = []
let receiver
let webhook
if (mockUrl) {
  receiver = http.createServer((req, res) => {
    const chunks = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', () => {
      const raw = Buffer.concat(chunks)
      try {
        const event = verifyWebhook(raw, req.headers[SIGNATURE_HEADER.toLowerCase()], webhookSecret)
        events.push(event)
        res.writeHead(204).end()
      } catch (err) {
        console.log('webhook rejected:', err.message)
        res.writeHead(400).end()
      }
    })
  })
  await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve))
  webhook = `http://127.0.0.1:${receiver.address().port}/zignsec`
}

try {
  // 4. Send an SMS and wait until it is delivered.
  const sms = await client.sendSms({ to, from: 'ZignSec', message, relayState: 'order-1001', webhook })
  console.log('sent:', sms)
  const delivered = await client.waitSmsSession(sms.id, { timeoutMs: 60_000, pollIntervalMs: 250 })
  console.log(`SMS ${delivered.id} is ${delivered.status} (final: ${delivered.isFinal}), parts: ${delivered.numberOfMessageParts}`)

  // 5. Phone verification: the user opens redirectUrl and types the code.
  const phone = await client.startPhoneVerification({
    phoneNumber: to,
    locale: 'En',
    redirectSuccess: 'https://example.com/verified',
    redirectFailure: 'https://example.com/not-verified',
  })
  console.log('open this page to verify:', phone.redirectUrl)
  if (mockUrl) {
    // Play the user on the offline gateway's hosted page: ask for a code, read it
    // from the test-control API (a real user reads it on their phone), type it in.
    await fetch(phone.redirectUrl)
    await fetch(`${phone.redirectUrl}/send`, { method: 'POST', redirect: 'manual' })
    const state = await (await fetch(`${mockUrl}/_mock/sessions/${phone.id}`)).json()
    const answer = await fetch(`${phone.redirectUrl}/verify`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ code: state.last_code }).toString(),
    })
    console.log(`typed the code: ${answer.status} → ${answer.headers.get('location')}`)
  }
  const verified = await client.waitPhoneSession(phone.id, { timeoutMs: mockUrl ? 10_000 : 300_000 })
  console.log(`phone ${verified.phoneNumber} is ${verified.status} (final: ${verified.isFinal})`)

  // 6. Webhooks: verify the signature before trusting an event.
  if (mockUrl) {
    for (let i = 0; i < 40 && !events.some((e) => e.status === 'delivered'); i++) {
      await new Promise((r) => setTimeout(r, 50))
    }
    for (const e of events) console.log(`webhook verified: ${e.event} ${e.id} → ${e.status} (relay ${e.relayState})`)
    if (!events.some((e) => e.id === sms.id && e.status === 'delivered')) {
      throw new Error('no verified `delivered` webhook arrived')
    }
  } else {
    const body = JSON.stringify({ event: 'status_changed', id: sms.id, status: 'delivered' })
    const header = signWebhook(body, webhookSecret, Math.floor(Date.now() / 1000))
    console.log('webhook verified:', verifyWebhook(body, header, webhookSecret))
  }
  try {
    verifyWebhook('{"id":"x","status":"delivered"}', 't=1,v1=00', webhookSecret)
  } catch (err) {
    console.log(`forged webhook rejected: ${err.code}`)
  }
} catch (err) {
  if (err instanceof ZignSecError) console.error(`${err.name} (${err.code}): ${err.message}`)
  throw err
} finally {
  receiver?.close()
}
console.log('quickstart: done')
