// Walks the login examples in real headless Chromium, as a person would, against the
// offline gateway: examples/python/flask_login (Flask) and examples/node/express_login
// (Express). For each app:
//
//   sign in: type a phone number, submit, read the SMS from the gateway's inbox
//     (control API), type a wrong code and see "Wrong code", type the right one and
//     see "Signed in"; then a second sign-in with wrong codes until "Too many"; and
//     a code typed after it expired (a second instance of the app, codes living 1 s);
//   verify: start a phone verification, follow the redirect to the gateway's hosted
//     page, click "Send code", read last_code, type it, land back on the app's
//     /verified page showing "finished"; the app received and verified the signed
//     webhook (its /webhooks/last), and refuses a forged one (400).
//
// It starts zignsec-mock itself (with a webhook secret) and each app as a subprocess
// on a free port with the environment pointing at the mock; everything it started is
// stopped at the end, and a watchdog ends a stuck run.
//
// Usage: node run.mjs [path/to/zignsec-mock]
//   env MOCK_BIN, PYTHON (default python3), APPS (default "python,node"), CHROMIUM
//   (default /usr/bin/chromium), SCREENSHOT_DIR (default /tmp), WATCHDOG_S (default 90)
import { spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { createInterface } from 'node:readline'
import { createHmac } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import assert from 'node:assert/strict'
import path from 'node:path'
import puppeteer from 'puppeteer-core'

const here = path.dirname(fileURLToPath(import.meta.url))
const examples = path.resolve(here, '..')
const mockBin = process.argv[2] ?? process.env.MOCK_BIN ?? path.resolve(examples, '../target/debug/zignsec-mock')
const chromium = process.env.CHROMIUM ?? '/usr/bin/chromium'
const shots = process.env.SCREENSHOT_DIR ?? '/tmp'
const python = process.env.PYTHON ?? 'python3'
const apps = (process.env.APPS ?? 'python,node').split(',').map((s) => s.trim()).filter(Boolean)
const API_KEY = 'examples-browser-key'
const WEBHOOK_SECRET = 'examples-webhook-secret'
const t0 = Date.now()
const children = []

const watchdog = setTimeout(() => {
  console.error(`browser walk: still running after ${process.env.WATCHDOG_S ?? 90} s, stopping`)
  for (const c of children) c.kill('SIGKILL')
  process.exit(1)
}, Number(process.env.WATCHDOG_S ?? 90) * 1000)
watchdog.unref()

function step(app, text) {
  console.log(`[${app.name}] ${((Date.now() - t0) / 1000).toFixed(2).padStart(6)} s  ${text}`)
}

function startMock() {
  const child = spawn(mockBin, ['--port', '0', '--api-key', API_KEY, '--webhook-secret', WEBHOOK_SECRET, '--sms-delivery-ms', '200'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  children.push(child)
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('mock did not print its URL')), 10_000)
    child.on('error', reject)
    createInterface({ input: child.stdout }).once('line', (line) => {
      clearTimeout(timer)
      const m = /^listening on (http:\/\/\S+)$/.exec(line)
      if (!m) reject(new Error(`unexpected first line: ${line}`))
      else resolve({ child, url: m[1] })
    })
  })
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.on('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => resolve(port))
    })
  })
}

const APPS = {
  python: {
    cwd: path.join(examples, 'python/flask_login'),
    cmd: () => [python, ['app.py']],
    phone: '070-123 45 67',
    e164: '+46701234567',
    verifyPhone: '070-333 99 54',
    verifyE164: '+46703339954',
  },
  node: {
    cwd: path.join(examples, 'node/express_login'),
    cmd: () => [process.execPath, ['app.mjs']],
    phone: '070-765 43 21',
    e164: '+46707654321',
    verifyPhone: '+46 70 444 88 12',
    verifyE164: '+46704448812',
  },
}

async function startApp(name, mock, extraEnv = {}) {
  const spec = APPS[name]
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const [cmd, args] = spec.cmd()
  const child = spawn(cmd, args, {
    cwd: spec.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      ZIGNSEC_BASE_URL: mock.url,
      ZIGNSEC_API_KEY: API_KEY,
      ZIGNSEC_MOCK_URL: mock.url,
      ZIGNSEC_WEBHOOK_SECRET: WEBHOOK_SECRET,
      OTP_SECRET: `browser-walk-otp-secret-${name}`,
      APP_SECRET_KEY: `browser-walk-cookie-key-${name}`,
      APP_URL: url,
      PORT: String(port),
      ...extraEnv,
    },
  })
  children.push(child)
  const output = []
  for (const s of [child.stdout, child.stderr]) createInterface({ input: s }).on('line', (l) => output.push(l))
  const app = { name, spec, url, child, output }
  const deadline = Date.now() + 20_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} app exited ${child.exitCode}:\n${output.join('\n')}`)
    try {
      const r = await fetch(url + '/')
      if (r.ok) break
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${name} app did not answer on ${url}:\n${output.join('\n')}`)
    await new Promise((r) => setTimeout(r, 100))
  }
  const extra = Object.entries(extraEnv).map(([k, v]) => ` ${k}=${v}`).join('')
  step(app, `app started on ${url} (${spec.cwd.slice(examples.length + 1)}${extra})`)
  return app
}

const control = async (mock, p) => (await fetch(`${mock.url}/_mock${p}`)).json()

// The gateway's "inbox": the last SMS it delivered to `to`, read from the control API.
async function lastSms(mock, to) {
  const { sessions } = await control(mock, '/sessions')
  let latest = null
  for (const s of sessions.filter((s) => s.kind === 'sms')) {
    const state = await control(mock, `/sessions/${s.id}`)
    if (state.request.metadata.to === to && (!latest || state.created_at_ms >= latest.created_at_ms)) latest = state
  }
  assert.ok(latest, `no SMS to ${to} in the gateway`)
  return latest
}

const text = (page, sel) => page.$eval(sel, (e) => e.textContent.trim())
const shot = (page, app, n, what) => page.screenshot({ path: path.join(shots, `zignsec-example-${app.name}-${n}-${what}.png`) })

async function submit(page, sel) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(sel)])
}

async function signIn(browser, mock, app) {
  const page = await browser.newPage()
  await page.setViewport({ width: 480, height: 760 })
  await page.goto(app.url + '/', { waitUntil: 'load' })
  await page.type('#phone', app.spec.phone)
  step(app, `sign in: typed "${app.spec.phone}" on ${app.url}/`)
  await submit(page, '#send')
  assert.equal(new URL(page.url()).pathname, '/code')
  assert.equal(await text(page, '#to'), app.spec.e164)
  const sms = await lastSms(mock, app.spec.e164)
  const message = sms.request.metadata.message
  const code = /\b(\d{6})\b/.exec(message)?.[1]
  assert.ok(code, `no 6-digit code in the SMS text`)
  assert.equal(await text(page, '#inbox-message'), message, 'the demo inbox on the page shows the SMS')
  step(app, `sign in: the app normalized it to ${app.spec.e164} and sent an SMS; the gateway's inbox says "${message}"`)
  await shot(page, app, 1, 'code-sent')

  const wrong = code === '000000' ? '111111' : '000000'
  await page.type('#code', wrong)
  await submit(page, '#check')
  const error = await text(page, '#error')
  assert.match(error, /^Wrong code\. 4 attempts left\.$/)
  step(app, `sign in: typed a wrong code ${wrong}: the page says "${error}"`)
  await shot(page, app, 2, 'wrong-code')

  await page.type('#code', code)
  await submit(page, '#check')
  assert.equal(new URL(page.url()).pathname, '/signed-in')
  assert.equal(await text(page, '#signed-in'), 'Signed in')
  assert.equal(await text(page, '#user'), app.spec.e164)
  step(app, `sign in: typed the right code ${code}: "Signed in" as ${app.spec.e164}`)
  await shot(page, app, 3, 'signed-in')

  // A second sign-in: wrong codes until the challenge is used up.
  await submit(page, '#logout')
  await page.type('#phone', app.spec.phone)
  await submit(page, '#send')
  const second = /\b(\d{6})\b/.exec((await lastSms(mock, app.spec.e164)).request.metadata.message)[1]
  const bad = second === '000000' ? '111111' : '000000'
  let last = ''
  for (let i = 0; i < 6 && !(await page.$('#restart')); i += 1) {
    await page.type('#code', bad)
    await submit(page, '#check')
    last = await text(page, '#error')
  }
  assert.match(last, /^Too many wrong codes/)
  assert.ok(await page.$('#restart'), 'the page offers a new code')
  step(app, `sign in: five wrong codes later the page says "${last}"`)
  await shot(page, app, 4, 'too-many')
  await page.close()
}

// A code typed after it expired: a second instance of the app whose codes live 1 s.
async function expiredCode(browser, mock, app) {
  const short = await startApp(app.name, mock, { OTP_TTL_SECONDS: '1' })
  try {
    const page = await browser.newPage()
    await page.setViewport({ width: 480, height: 760 })
    await page.goto(short.url + '/', { waitUntil: 'load' })
    await page.type('#phone', app.spec.phone)
    await submit(page, '#send')
    const code = /\b(\d{6})\b/.exec((await lastSms(mock, app.spec.e164)).request.metadata.message)[1]
    await new Promise((r) => setTimeout(r, 1500))
    await page.type('#code', code)
    await submit(page, '#check')
    const error = await text(page, '#error')
    assert.match(error, /^The code has expired/)
    assert.ok(await page.$('#restart'), 'the page offers a new code')
    step(app, `sign in: the right code ${code}, typed 1.5 s after a 1 s code was sent: "${error}"`)
    await shot(page, app, 5, 'expired')
    await page.close()
  } finally {
    short.child.kill('SIGTERM')
  }
}

async function verifyPhone(browser, mock, app) {
  const page = await browser.newPage()
  await page.setViewport({ width: 480, height: 760 })
  await page.goto(app.url + '/verify', { waitUntil: 'load' })
  await page.type('#phone', app.spec.verifyPhone)
  await submit(page, '#start')
  const hosted = new URL(page.url())
  assert.equal(hosted.origin, mock.url, 'redirected to the gateway')
  const id = /^\/2fa-ui\/2fa\/phone\/([0-9a-f-]{36})$/.exec(hosted.pathname)?.[1]
  assert.ok(id, `not the hosted phone page: ${page.url()}`)
  step(app, `verify: typed "${app.spec.verifyPhone}", followed the redirect to the hosted page ${hosted.pathname}`)
  await shot(page, app, 6, 'hosted-page')

  await submit(page, '#send-code')
  const state = await control(mock, `/sessions/${id}`)
  assert.match(state.last_code, /^\d{5}$/)
  assert.equal(state.phone_number, app.spec.verifyE164)
  step(app, `verify: clicked "Send code"; the gateway's last_code is ${state.last_code}`)
  await page.type('#code', state.last_code)
  await submit(page, '#verify')
  assert.equal(page.url(), `${app.url}/verified`)
  assert.equal(await text(page, '#verified'), 'Phone verified')
  assert.equal(await text(page, '#status'), 'finished')
  assert.equal(await text(page, '#session'), id)
  step(app, `verify: typed it; back on ${app.url}/verified: session ${id} is "finished"`)
  await shot(page, app, 7, 'verified')

  // The gateway POSTs the signed webhook as the status changes; it may land just after the redirect.
  const deadline = Date.now() + 5000
  let last
  for (;;) {
    const seen = await (await fetch(`${app.url}/webhooks/last?session=${id}`)).json()
    last = seen.events.find((e) => e.status === 'finished')
    if (last) break
    assert.ok(Date.now() < deadline, `the app did not record the finished webhook: ${JSON.stringify(seen)}`)
    await new Promise((r) => setTimeout(r, 100))
  }
  assert.equal(last.verified, true)
  assert.equal(last.id, id)
  const deliveries = (await control(mock, `/sessions/${id}`)).webhook_deliveries.filter((d) => d.event === 'session_finished')
  assert.ok(deliveries.some((d) => d.delivered && d.status === 204), `the app did not accept the webhook: ${JSON.stringify(deliveries)}`)
  step(app, `verify: the app verified the signed webhook: ${last.event} ${last.status} (answered ${deliveries.at(-1).status})`)

  // A forged webhook (right body, wrong key) is refused.
  const body = JSON.stringify({ event: 'session_finished', id, status: 'finished' })
  const t = Math.floor(Date.now() / 1000)
  const forged = createHmac('sha256', 'not-the-secret').update(`${t}.${body}`).digest('hex')
  const r = await fetch(`${app.url}/webhooks/zignsec`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-zignsec-hmac-sha256': `t=${t},v1=${forged}` },
    body,
  })
  assert.equal(r.status, 400)
  step(app, `verify: a webhook signed with another key gets ${r.status}`)
  await page.reload({ waitUntil: 'load' })
  assert.match(await text(page, '#events'), /session_finished: finished/)
  await page.close()
}

async function main() {
  const mock = await startMock()
  console.log(`offline gateway: ${mock.url}`)
  let browser
  let passed = 0
  let failed = 0
  try {
    browser = await puppeteer.launch({
      executablePath: chromium,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run', '--disable-dev-shm-usage'],
    })
    for (const name of apps) {
      assert.ok(APPS[name], `unknown app ${name} (python, node)`)
      let app
      try {
        app = await startApp(name, mock)
        for (const walk of [signIn, expiredCode, verifyPhone]) {
          const started = Date.now()
          await walk(browser, mock, app)
          step(app, `${walk.name}: passed in ${Date.now() - started} ms`)
          passed += 1
        }
      } catch (e) {
        console.error(`[${name}] FAILED:`, e)
        if (app) console.error(`[${name}] app output:\n${app.output.join('\n')}`)
        failed += 1
      } finally {
        if (app) app.child.kill('SIGTERM')
      }
    }
  } finally {
    if (browser) await browser.close()
    for (const c of children) c.kill('SIGTERM')
  }
  console.log(`browser walk: screenshots in ${shots}/zignsec-example-*.png`)
  console.log(`${passed} passed, ${failed} failed in ${((Date.now() - t0) / 1000).toFixed(1)} s`)
  process.exit(failed > 0 ? 1 : 0)
}

main().catch((e) => {
  console.error(e)
  for (const c of children) c.kill('SIGKILL')
  process.exit(1)
})
