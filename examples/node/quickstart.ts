// The quickstart in TypeScript (type-checked by `make test-node` with tsc --noEmit):
// send an SMS and wait for delivery, start a phone and an email verification, send and
// check a one-time code, normalize a number, verify a webhook.
import {
  Client,
  smsParts,
  signWebhook,
  verifyWebhook,
  ValidationError,
  WaitTimeoutError,
  RateLimitError,
  ZignSecError,
  Otp,
  normalizePhone,
  type OtpCheck,
  type OtpSend,
  type EmailSession,
  type EmailSessionDetails,
  type SessionError,
  type SmsSession,
  type SmsSessionDetails,
  type PhoneSession,
  type PhoneSessionDetails,
  type WebhookEvent,
  type ClientOptions,
} from 'zignsec'

const options: ClientOptions = { timeoutMs: 15_000, maxRetries: 2, authScheme: 'authorization' }
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

  const email: EmailSession = await client.startEmailVerification({
    emailAddress: 'jane.doe@example.com',
    locale: 'En',
    redirectSuccess: 'https://example.com/verified',
    redirectFailure: 'https://example.com/not-verified',
  })
  const emailDone: EmailSessionDetails = await client.waitEmailSession(email.id, { timeoutMs: 300_000 })
  const reasons: SessionError[] = emailDone.errors
  console.log(`${emailDone.request.emailAddress}: ${emailDone.status}`, reasons, emailDone.raw)

  const to: string = normalizePhone('070-123 45 67', { defaultRegion: 'SE' })
  const otp = new Otp({ secret: 'a-secret-of-at-least-16-bytes', digits: 6, ttlMs: 300_000, maxAttempts: 5 })
  const otpSent: OtpSend = await client.sendOtp({ to, from: 'ZignSec', otp, template: 'Your code is {code}' })
  const checked: OtpCheck = otp.check(otpSent.challenge, '123456', to)
  console.log(`code check: ${checked.reason}, ${checked.attemptsLeft} attempt(s) left`)

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
