// The quickstart in TypeScript (type-checked by `make test-node` with tsc --noEmit):
// send an SMS and wait for delivery, start a phone verification, verify a webhook.
import {
  Client,
  smsParts,
  signWebhook,
  verifyWebhook,
  ValidationError,
  WaitTimeoutError,
  RateLimitError,
  ZignSecError,
  type SmsSession,
  type SmsSessionDetails,
  type PhoneSession,
  type PhoneSessionDetails,
  type WebhookEvent,
  type ClientOptions,
} from 'zignsec'

const options: ClientOptions = { timeoutMs: 15_000, maxRetries: 2 }
const client = new Client(options)

async function main(): Promise<void> {
  const parts = smsParts('Your ZignSec code is 12345')
  console.log(`${parts.parts} part(s) of ${parts.encoding}`)

  const sms: SmsSession = await client.sendSms({
    to: '+46701234567',
    from: 'ZignSec',
    message: 'Your ZignSec code is 12345',
    maxMessageParts: 1,
    relayState: 'order-1001',
  })
  try {
    const done: SmsSessionDetails = await client.waitSmsSession(sms.id, { timeoutMs: 60_000 })
    const count: number | undefined = done.numberOfMessageParts
    console.log(`SMS ${done.id} is ${done.status}; final: ${done.isFinal}; parts: ${count ?? '?'}`)
  } catch (err) {
    if (err instanceof WaitTimeoutError) {
      console.log('still not delivered; last seen:', err.details?.status)
    } else if (err instanceof RateLimitError) {
      console.log(`slow down for ${err.retryAfter ?? 1} s`)
    } else {
      throw err
    }
  }

  const phone: PhoneSession = await client.startPhoneVerification({
    phoneNumber: '+46701234567',
    redirectSuccess: 'https://example.com/verified',
    redirectFailure: 'https://example.com/not-verified',
  })
  console.log('send the user to', phone.redirectUrl)
  const verified: PhoneSessionDetails = await client.waitPhoneSession(phone.id, { timeoutMs: 300_000 })
  console.log(`${verified.phoneNumber}: ${verified.status}`)

  const secret = process.env.ZIGNSEC_WEBHOOK_SECRET ?? 'whsec_demo_secret'
  const body: string = JSON.stringify({ event: 'status_changed', id: sms.id, status: 'delivered' })
  const header: string = signWebhook(body, secret, Math.floor(Date.now() / 1000))
  const event: WebhookEvent = verifyWebhook(Buffer.from(body), header, secret)
  console.log(`webhook ${event.event}: ${event.id} → ${event.status}`)

  try {
    await client.sendSms({ to: 'not-a-number', from: 'ZignSec', message: 'x' })
  } catch (err) {
    if (err instanceof ValidationError) console.log(`bad ${err.field}: ${err.message}`)
    else if (err instanceof ZignSecError) console.log(err.code, err.status, err.requestId)
    else throw err
  }
}

main().catch((err: unknown) => {
  console.error(err)
  process.exitCode = 1
})
