// Drives the mock's hosted verification pages in real headless Chromium, as a
// person would.
// Phone: open redirect_url, click "Send code", read the code the "phone" got
// (GET /_mock/sessions/{id} -> last_code), type a wrong code, see "Wrong code",
// type the right one, submit, and land on redirect_success.
// Email: the same page for an email session, where after the wrong code the
// person asks for a new code and types that one; and a second email session
// cancelled, landing on redirect_failure.
//
// Usage: node run.mjs [path/to/zignsec-mock]
//   env CHROMIUM (default /usr/bin/chromium), SCREENSHOT_DIR (default /tmp)
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { createInterface } from 'node:readline';
import assert from 'node:assert/strict';
import path from 'node:path';
import puppeteer from 'puppeteer-core';

const mockBin = process.argv[2] ?? process.env.MOCK_BIN ?? '../../target/debug/zignsec-mock';
const chromium = process.env.CHROMIUM ?? '/usr/bin/chromium';
const shots = process.env.SCREENSHOT_DIR ?? '/tmp';

function startMock() {
  const child = spawn(mockBin, ['--port', '0', '--api-key', 'browser-key'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('mock did not print its URL')), 10_000);
    child.on('error', reject);
    createInterface({ input: child.stdout }).once('line', (line) => {
      clearTimeout(timer);
      const m = /^listening on (http:\/\/\S+)$/.exec(line);
      if (!m) reject(new Error(`unexpected first line: ${line}`));
      else resolve({ child, url: m[1] });
    });
  });
}

// The "customer's app": where the page redirects on success / failure.
function startApp() {
  const server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(`<!doctype html><title>App</title><h1 id="app">Back in the app: ${req.url}</h1>`);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${server.address().port}` }));
  });
}

async function launch() {
  return puppeteer.launch({
    executablePath: chromium,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run', '--disable-dev-shm-usage'],
  });
}

async function create(mock, kind, body) {
  const res = await fetch(`${mock.url}/core/api/sessions/two_factor_auth/${kind}`, {
    method: 'POST',
    headers: { Authorization: 'browser-key', 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  assert.equal(res.status, 200);
  const { data } = await res.json();
  assert.equal(data.status, 'pending');
  assert.equal(data.redirect_url, `${mock.url}/2fa-ui/2fa/${kind}/${data.id}`);
  return data;
}

const controlState = (mock, id) => async () => (await fetch(`${mock.url}/_mock/sessions/${id}`)).json();

async function details(mock, id) {
  const res = await fetch(`${mock.url}/core/api/sessions/${id}`, { headers: { Authorization: 'browser-key' } });
  assert.equal(res.status, 200);
  return (await res.json()).data;
}

const wrongFor = (code) => (code === '00000' ? '11111' : '00000');
const notice = (page) => page.$eval('#notice', (e) => e.textContent);

async function phoneRun(browser, mock, app) {
  const data = await create(mock, 'phone', {
    locale: 'En',
    metadata: { phone_number: '+46703339954' },
    redirect_success: `${app.url}/verified`,
    redirect_failure: `${app.url}/failed`,
  });
  const state = controlState(mock, data.id);
  const page = await browser.newPage();
  await page.setViewport({ width: 480, height: 720 });
  await page.goto(data.redirect_url, { waitUntil: 'load' });
  assert.match(await page.title(), /Verify/);
  await page.screenshot({ path: path.join(shots, 'zignsec-mock-1-start.png') });

  await Promise.all([page.waitForNavigation(), page.click('#send-code')]);
  const code = (await state()).last_code;
  assert.match(code, /^\d{5}$/);
  assert.match(await notice(page), /code was sent/);
  await page.screenshot({ path: path.join(shots, 'zignsec-mock-2-code.png') });

  await page.type('#code', wrongFor(code));
  await Promise.all([page.waitForNavigation(), page.click('#verify')]);
  assert.match(await notice(page), /Wrong code/);
  assert.ok(await page.$('#send-code'), 'a wrong code offers a new one');
  await page.screenshot({ path: path.join(shots, 'zignsec-mock-3-wrong.png') });
  assert.equal((await state()).wrong_codes, 1);

  await page.type('#code', code);
  await Promise.all([page.waitForNavigation(), page.click('#verify')]);
  assert.equal(page.url(), `${app.url}/verified`);
  assert.match(await page.$eval('#app', (e) => e.textContent), /Back in the app/);
  assert.equal((await state()).status, 'finished');

  const d = await details(mock, data.id);
  assert.equal(d.status, 'finished');
  assert.equal(d.phone_number, '+46703339954');
  await page.close();
  console.log(`phone: session ${data.id} finished`);
}

const emailBody = (app) => ({
  locale: 'sv-SE',
  metadata: { email_address: 'jane.doe@example.com' },
  redirect_success: `${app.url}/email-verified`,
  redirect_failure: `${app.url}/email-failed`,
});

async function emailRun(browser, mock, app) {
  const data = await create(mock, 'email', emailBody(app));
  const state = controlState(mock, data.id);
  assert.equal((await state()).kind, 'email');
  const page = await browser.newPage();
  await page.setViewport({ width: 480, height: 720 });
  await page.goto(data.redirect_url, { waitUntil: 'load' });
  assert.match(await page.title(), /Verify your email/);
  assert.equal(await page.$eval('#email', (e) => e.textContent), 'j***@example.com');
  await page.screenshot({ path: path.join(shots, 'zignsec-mock-email-1-start.png') });

  await Promise.all([page.waitForNavigation(), page.click('#send-code')]);
  const first = (await state()).last_code;
  assert.match(first, /^\d{5}$/);
  assert.match(await notice(page), /code was sent/);

  await page.type('#code', wrongFor(first));
  await Promise.all([page.waitForNavigation(), page.click('#verify')]);
  assert.match(await notice(page), /Wrong code/);
  await page.screenshot({ path: path.join(shots, 'zignsec-mock-email-2-wrong.png') });

  // Ask for a new code, as the page offers after a wrong one.
  await Promise.all([page.waitForNavigation(), page.click('#send-code')]);
  const s = await state();
  assert.equal(s.codes_sent, 2);
  assert.equal(s.wrong_codes, 1);
  const code = s.last_code;
  assert.match(code, /^\d{5}$/);
  assert.match(await notice(page), /code was sent/);
  await page.screenshot({ path: path.join(shots, 'zignsec-mock-email-3-new-code.png') });

  await page.type('#code', code);
  await Promise.all([page.waitForNavigation(), page.click('#verify')]);
  assert.equal(page.url(), `${app.url}/email-verified`);
  assert.match(await page.$eval('#app', (e) => e.textContent), /Back in the app/);
  const d = await details(mock, data.id);
  assert.equal(d.status, 'finished');
  assert.equal(d.email_address, 'jane.doe@example.com');
  await page.close();
  console.log(`email: session ${data.id} finished`);
}

async function emailCancelRun(browser, mock, app) {
  const data = await create(mock, 'email', emailBody(app));
  const page = await browser.newPage();
  await page.goto(data.redirect_url, { waitUntil: 'load' });
  await Promise.all([page.waitForNavigation(), page.click('#cancel')]);
  assert.equal(page.url(), `${app.url}/email-failed`);
  assert.match(await page.$eval('#app', (e) => e.textContent), /Back in the app/);
  await page.screenshot({ path: path.join(shots, 'zignsec-mock-email-4-cancelled.png') });
  assert.equal((await details(mock, data.id)).status, 'cancelled');
  await page.close();
  console.log(`email: session ${data.id} cancelled`);
}

async function main() {
  const mock = await startMock();
  const app = await startApp();
  let browser;
  let passed = 0;
  let failed = 0;
  try {
    browser = await launch();
    for (const run of [phoneRun, emailRun, emailCancelRun]) {
      try {
        await run(browser, mock, app);
        passed += 1;
      } catch (e) {
        console.error(`${run.name}:`, e);
        failed += 1;
      }
    }
  } finally {
    if (browser) await browser.close();
    app.server.close();
    mock.child.kill('SIGTERM');
  }
  console.log(`browser test: screenshots in ${shots}/zignsec-mock-*.png`);
  console.log(`${passed} passed, ${failed} failed`);
  if (failed > 0) process.exit(1);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
