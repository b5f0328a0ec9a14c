// An Express app that signs users in with a one-time code by SMS, and verifies a phone
// number on ZignSec's hosted page, with the signed webhook that confirms it.
//
//   ZIGNSEC_API_KEY=... APP_URL=https://your.app OTP_SECRET=... APP_SECRET_KEY=... \
//   ZIGNSEC_WEBHOOK_SECRET=... node app.mjs
//
// Configuration, all from the environment (README.md has the walk-through):
//   ZIGNSEC_API_KEY, ZIGNSEC_BASE_URL / ZIGNSEC_ENVIRONMENT, ...  read by `new Client()`
//   ZIGNSEC_WEBHOOK_SECRET  the key of the gateway's webhook signatures
//   OTP_SECRET              the key one-time-code challenges are sealed with (16+ bytes)
//   OTP_TTL_SECONDS         how long a code lives (default 300)
//   APP_SECRET_KEY          the key of the signed session cookie
//   APP_URL                 where the gateway sends users and webhooks back (the real
//                           gateway needs https; in demo mode: the URL of the request)
//   DEFAULT_REGION          country of numbers typed without + (default SE)
//   PORT                    default 8000
//   ZIGNSEC_MOCK_URL        set only against the offline gateway (zignsec-mock): demo
//                           mode, where the pages show the mock's inbox
import { randomBytes } from 'node:crypto'
import express from 'express'
import cookieSession from 'cookie-session'
import { Client, Otp, normalizePhone, ZignSecError, ValidationError } from 'zignsec'
import { webhookMiddleware } from 'zignsec/express'

const SENDER = process.env.ZIGNSEC_SENDER ?? 'ZignSec'
const DEFAULT_REGION = process.env.DEFAULT_REGION ?? 'SE'
const MOCK_URL = process.env.ZIGNSEC_MOCK_URL || null

function required(name) {
  const value = process.env[name]
  if (!value) {
    console.error(`set ${name} (see examples/node/express_login/README.md)`)
    process.exit(2)
  }
  return value
}
// Outside demo mode a secret must be configured; in demo mode a fixed one will do.
const demoOrRequired = (name, demoValue) => (MOCK_URL && !process.env[name] ? demoValue : required(name))

const WEBHOOK_SECRET = required('ZIGNSEC_WEBHOOK_SECRET')
// Built once, shared by every request.
const client = new Client()
const otp = new Otp({
  secret: demoOrRequired('OTP_SECRET', 'demo-only-otp-secret-0123456789'),
  ttlMs: Number(process.env.OTP_TTL_SECONDS ?? 300) * 1000,
  maxAttempts: 5,
})

// Verified webhook events by session id. A real app writes them to its database.
const events = new Map()
let lastEvent = null

const app = express()
app.disable('x-powered-by')

// The webhook first, with the raw body: a signature covers the exact bytes sent.
app.post('/webhooks/zignsec', webhookMiddleware({ secret: WEBHOOK_SECRET }), (req, res) => {
  const event = req.zignsecEvent
  const record = { event: event.event, id: event.id, status: event.status, verified: true }
  if (!events.has(event.id)) events.set(event.id, [])
  events.get(event.id).push(record)
  lastEvent = record
  console.log(`webhook ${event.event}: session ${event.id} is ${event.status}`)
  res.sendStatus(204)
})

app.use(express.urlencoded({ extended: false }))
app.use(
  cookieSession({
    name: 'session',
    keys: [demoOrRequired('APP_SECRET_KEY', 'demo-only-express-session-key')],
    httpOnly: true,
    sameSite: 'lax',
  }),
)

// Where the gateway sends users and webhooks back to. Required outside demo mode: taking
// it from the request's Host header would let a client choose where ZignSec redirects.
const APP_URL = process.env.APP_URL || (MOCK_URL ? null : required('APP_URL'))
const appUrl = (req) => (APP_URL ?? `${req.protocol}://${req.get('host')}`).replace(/\/+$/, '')

const escapeHtml = (s) =>
  String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c])

function page(title, body, error) {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · ZignSec example</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 28rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
  input, button { font: inherit; padding: .4rem .6rem; }
  .error { color: #a00; background: #fee; padding: .5rem; border-radius: 4px; }
  .ok { color: #060; background: #efe; padding: .5rem; border-radius: 4px; }
  .inbox { border: 1px dashed #888; padding: .5rem; margin-top: 1.5rem; background: #f7f7f7; }
  nav a { margin-right: 1rem; }
</style></head><body>
<nav><a href="/">Sign in</a><a href="/verify">Verify a phone</a></nav>
${error ? `<p class="error" id="error">${escapeHtml(error)}</p>` : ''}
${body}
</body></html>`
}

// Demo mode only: the last SMS the offline gateway "delivered" to `to`, from its
// control API (which exists only in zignsec-mock: the real gateway texts a real phone).
async function mockInbox(to) {
  if (!MOCK_URL) return null
  const { sessions } = await (await fetch(`${MOCK_URL}/_mock/sessions`)).json()
  let latest = null
  for (const item of sessions) {
    if (item.kind !== 'sms') continue
    const state = await (await fetch(`${MOCK_URL}/_mock/sessions/${item.id}`)).json()
    if (state.request.metadata.to === to && (!latest || state.created_at_ms >= latest.created_at_ms)) latest = state
  }
  return latest && { to, message: latest.request.metadata.message, status: latest.status }
}

// ---- Sign in with a one-time code by SMS ----------------------------------------------

const phoneForm = ({ user, phone, error } = {}) =>
  page(
    'Sign in',
    `<h1>Sign in</h1>
${user ? `<p class="ok">You are signed in as ${escapeHtml(user)}. <a href="/signed-in">Continue</a></p>` : ''}
<form method="post" action="/login">
  <label for="phone">Your mobile number</label><br>
  <input id="phone" name="phone" type="tel" autocomplete="tel" required value="${escapeHtml(phone)}" placeholder="070-123 45 67">
  <button id="send" type="submit">Send me a code</button>
</form>
${MOCK_URL ? '<p class="inbox">Demo mode: no SMS leaves this machine. The next page shows the offline gateway\'s inbox.</p>' : ''}`,
    error,
  )

app.get('/', (req, res) => res.send(phoneForm({ user: req.session.user })))

app.post('/login', async (req, res) => {
  const typed = req.body.phone ?? ''
  let to
  try {
    to = normalizePhone(typed, { defaultRegion: DEFAULT_REGION })
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err
    return res.status(400).send(phoneForm({ phone: typed, error: 'That does not look like a phone number.' }))
  }
  let sent
  try {
    sent = await client.sendOtp({ to, from: SENDER, otp })
  } catch (err) {
    if (err instanceof ValidationError) {
      return res.status(400).send(phoneForm({ phone: typed, error: `That number cannot get an SMS: ${err.message}` }))
    }
    if (!(err instanceof ZignSecError)) throw err
    console.warn(`sendOtp failed: ${err.message}`) // safe to log: no code, no full number, no key
    return res.status(503).send(phoneForm({ phone: typed, error: 'We could not send the code. Try again.' }))
  }
  // The challenge holds no code: it is sealed with OTP_SECRET and only says which
  // number, until when, and how many attempts so far.
  req.session.otp = { to, challenge: sent.challenge }
  res.redirect(303, '/code')
})

const MESSAGES = {
  expired: 'The code has expired. Ask for a new one.',
  too_many_attempts: 'Too many wrong codes. Ask for a new one.',
  used: 'That code was already used. Ask for a new one.',
  invalid: 'This sign-in is not valid any more. Start again.',
}

const codeForm = ({ to, inbox, error, restart }) =>
  page(
    'Enter your code',
    `<h1>Enter your code</h1>
${
  restart
    ? '<p><a id="restart" href="/">Ask for a new code</a></p>'
    : `<p>We sent a code by SMS to <span id="to">${escapeHtml(to)}</span>.</p>
<form method="post" action="/code">
  <label for="code">Code</label><br>
  <input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" required>
  <button id="check" type="submit">Sign in</button>
</form>
<p><a href="/">Use another number or get a new code</a></p>`
}
${
  inbox
    ? `<div class="inbox" id="inbox"><strong>Demo inbox</strong> (the offline gateway's last SMS to ${escapeHtml(inbox.to)}, ${escapeHtml(inbox.status)}):
<blockquote id="inbox-message">${escapeHtml(inbox.message)}</blockquote></div>`
    : ''
}`,
    error,
  )

app.get('/code', async (req, res) => {
  const pending = req.session.otp
  if (!pending) return res.redirect(303, '/')
  res.send(codeForm({ to: pending.to, inbox: await mockInbox(pending.to) }))
})

app.post('/code', async (req, res) => {
  const pending = req.session.otp
  if (!pending) return res.redirect(303, '/')
  const { to } = pending
  const check = otp.check(pending.challenge, req.body.code ?? '', to)
  if (check.ok) {
    req.session.otp = null
    req.session.user = to
    return res.redirect(303, '/signed-in')
  }
  const inbox = await mockInbox(to)
  if (check.reason === 'wrong_code') {
    // Store the counted attempt back.
    req.session.otp = { to, challenge: check.challenge }
    const left = check.attemptsLeft
    return res.status(400).send(codeForm({ to, inbox, error: `Wrong code. ${left} attempt${left === 1 ? '' : 's'} left.` }))
  }
  req.session.otp = null
  res.status(400).send(codeForm({ to, inbox, error: MESSAGES[check.reason] ?? MESSAGES.invalid, restart: true }))
})

app.get('/signed-in', (req, res) => {
  const { user } = req.session
  if (!user) return res.redirect(303, '/')
  res.send(
    page(
      'Signed in',
      `<h1 id="signed-in">Signed in</h1>
<p class="ok">You are signed in as <span id="user">${escapeHtml(user)}</span>.</p>
<form method="post" action="/logout"><button id="logout" type="submit">Sign out</button></form>`,
    ),
  )
})

app.post('/logout', (req, res) => {
  req.session = null
  res.redirect(303, '/')
})

// ---- Verify a phone number on the hosted page -------------------------------------------

const verifyForm = ({ phone, error } = {}) =>
  page(
    'Verify a phone',
    `<h1>Verify your phone number</h1>
<p>ZignSec's page sends a code to the number; type it there and you come back here.</p>
<form method="post" action="/verify">
  <label for="phone">Mobile number</label><br>
  <input id="phone" name="phone" type="tel" autocomplete="tel" required value="${escapeHtml(phone)}" placeholder="070-123 45 67">
  <button id="start" type="submit">Verify</button>
</form>
${
  MOCK_URL
    ? '<p class="inbox">Demo mode: after "Send code" on the next page, open <a href="/demo/verification-code" target="_blank">the demo inbox</a> for the code.</p>'
    : ''
}`,
    error,
  )

app.get('/verify', (req, res) => res.send(verifyForm()))

app.post('/verify', async (req, res) => {
  const typed = req.body.phone ?? ''
  let phoneNumber
  try {
    phoneNumber = normalizePhone(typed, { defaultRegion: DEFAULT_REGION })
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err
    return res.status(400).send(verifyForm({ phone: typed, error: 'That does not look like a phone number.' }))
  }
  const state = randomBytes(16).toString('base64url') // ties the redirect back to this browser
  const base = appUrl(req)
  let started
  try {
    started = await client.startPhoneVerification({
      phoneNumber,
      locale: 'En',
      redirectSuccess: `${base}/verified`,
      redirectFailure: `${base}/not-verified`,
      relayState: state,
      webhook: `${base}/webhooks/zignsec`,
    })
  } catch (err) {
    if (!(err instanceof ZignSecError)) throw err
    console.warn(`startPhoneVerification failed: ${err.message}`)
    return res.status(503).send(verifyForm({ phone: typed, error: 'We could not start the verification. Try again.' }))
  }
  req.session.verification = { id: started.id, state }
  res.redirect(303, started.redirectUrl)
})

async function verificationResult(req, res) {
  const pending = req.session.verification
  if (!pending) return res.redirect(303, '/verify')
  // The redirect alone proves nothing (anyone can open /verified): ask the gateway.
  const details = await client.getPhoneSession(pending.id)
  if (details.request.relayState !== pending.state) return res.sendStatus(400)
  const finished = details.status.toLowerCase() === 'finished'
  if (finished) req.session.verifiedPhone = details.phoneNumber
  const list = (events.get(details.id) ?? []).map((e) => `<li>${escapeHtml(e.event)}: ${escapeHtml(e.status)}</li>`)
  res.send(
    page(
      'Verification',
      `${
        finished
          ? `<h1 id="verified">Phone verified</h1>
<p class="ok">ZignSec says session <code id="session">${escapeHtml(details.id)}</code> is <strong id="status">${escapeHtml(details.status)}</strong>:
${escapeHtml(details.phoneNumber)} is yours.</p>`
          : `<h1 id="not-verified">Not verified</h1>
<p class="error">Session <code id="session">${escapeHtml(details.id)}</code> is <strong id="status">${escapeHtml(details.status)}</strong>.
<a href="/verify">Try again</a></p>`
      }
<h2>Signed webhooks received</h2>
<ul id="events">${list.length ? list.join('') : '<li>none yet (they may arrive a moment after you)</li>'}</ul>`,
    ),
  )
}
app.get('/verified', verificationResult)
app.get('/not-verified', verificationResult)

// Demo mode: the last verified webhook event, and with ?session=<id> that session's.
app.get('/webhooks/last', (req, res) => {
  if (!MOCK_URL) return res.sendStatus(404) // demo mode only: it lists every session's events
  let count = 0
  for (const list of events.values()) count += list.length
  const session = req.query.session
  res.json({ last: lastEvent, count, ...(session ? { events: events.get(String(session)) ?? [] } : {}) })
})

// ---- Demo mode: the mock's inbox ----------------------------------------------------------

app.get('/demo/inbox', async (req, res) => {
  if (!MOCK_URL) return res.sendStatus(404)
  res.json({ inbox: await mockInbox(String(req.query.to ?? '')) })
})

app.get('/demo/verification-code', async (req, res) => {
  const pending = req.session.verification
  if (!MOCK_URL || !pending) return res.sendStatus(404)
  const state = await (await fetch(`${MOCK_URL}/_mock/sessions/${encodeURIComponent(pending.id)}`)).json()
  res.send(
    page(
      'Demo inbox',
      `<h1>Demo inbox</h1>
${
  state.last_code
    ? `<p class="inbox">The hosted page's last code: <strong id="demo-code">${escapeHtml(state.last_code)}</strong></p>`
    : '<p>No code yet: click "Send code" on the verification page, then reload.</p>'
}
<p>Session status: ${escapeHtml(state.status)}</p>`,
    ),
  )
})

const port = Number(process.env.PORT ?? 8000)
const server = app.listen(port, '127.0.0.1', () => {
  if (MOCK_URL) console.log(`demo mode: offline gateway at ${MOCK_URL}; the pages show its inbox`)
  console.log(`serving on http://127.0.0.1:${server.address().port}`)
})
const stop = () => server.close(() => process.exit(0))
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
