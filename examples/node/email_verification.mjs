// Email verification: start a session, send the user to the hosted page, wait for
// the outcome. Against the offline gateway this script plays the user itself (it
// reads the code the way an inbox would show it, through the mock's control API).
//
//   scripts/with-mock.sh node examples/node/email_verification.mjs
//   ZIGNSEC_API_KEY=... node examples/node/email_verification.mjs   # prints the page to open
import { Client, ValidationError, WaitTimeoutError } from 'zignsec'

const mockUrl = process.env.ZIGNSEC_MOCK_URL // set only against the offline gateway
const client = new Client({ timeoutMs: 15_000 })

// Bad input is caught before anything is sent.
try {
  await client.startEmailVerification({
    emailAddress: 'not-an-address',
    locale: 'En',
    redirectSuccess: 'https://example.com/ok',
    redirectFailure: 'https://example.com/fail',
  })
} catch (err) {
  if (!(err instanceof ValidationError)) throw err
  console.log(`rejected locally: ${err.code} field=${err.field}`)
}

const email = await client.startEmailVerification({
  emailAddress: process.env.ZIGNSEC_DEMO_EMAIL ?? 'jane.doe@example.com',
  locale: 'En', // locale and both redirects are required for email
  redirectSuccess: 'https://example.com/verified',
  redirectFailure: 'https://example.com/failed',
  relayState: 'signup-42',
})
console.log(`email session ${email.id} is ${email.status}; send the user to ${email.redirectUrl}`)

if (mockUrl) {
  // The user asks for a code, reads it in the inbox and types it in.
  const form = (body) => ({
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(body).toString(),
  })
  await fetch(`${email.redirectUrl}/send`, form({}))
  const { last_code: code } = await (await fetch(`${mockUrl}/_mock/sessions/${email.id}`)).json()
  const done = await fetch(`${email.redirectUrl}/verify`, form({ code }))
  console.log(`the page sent the user to ${done.headers.get('location')}`)
}

try {
  const details = await client.waitEmailSession(email.id, { timeoutMs: mockUrl ? 10_000 : 300_000 })
  console.log(`email session ${details.id} is ${details.status} (final: ${details.isFinal})`)
  if (details.errors.length > 0) console.log('reasons:', details.errors)
} catch (err) {
  if (!(err instanceof WaitTimeoutError)) throw err
  console.log(`still ${err.details?.status} after the wait`)
}
