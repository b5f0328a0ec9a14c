// Drives the mock's hosted phone-verification page in real headless Chromium,
// as a person would: open redirect_url, click "Send code", read the code the
// "phone" got (GET /_mock/sessions/{id} -> last_code), type a wrong code, see
// "Wrong code", type the right one, submit, and land on redirect_success.
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

async function main() {
  const mock = await startMock();
  const app = await startApp();
  let browser;
  try {
    const res = await fetch(`${mock.url}/core/api/sessions/two_factor_auth/phone`, {
      method: 'POST',
      headers: { Authorization: 'browser-key', 'Content-Type': 'application/json' },
      body: JSON.stringify({
        locale: 'En',
        metadata: { phone_number: '+46703339954' },
        redirect_success: `${app.url}/verified`,
        redirect_failure: `${app.url}/failed`,
      }),
    });
    assert.equal(res.status, 200);
    const { data } = await res.json();
    assert.equal(data.status, 'pending');
    const state = async () => (await fetch(`${mock.url}/_mock/sessions/${data.id}`)).json();

    browser = await puppeteer.launch({
      executablePath: chromium,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run', '--disable-dev-shm-usage'],
    });
    const page = await browser.newPage();
    await page.setViewport({ width: 480, height: 720 });
    await page.goto(data.redirect_url, { waitUntil: 'load' });
    assert.match(await page.title(), /Verify/);
    await page.screenshot({ path: path.join(shots, 'zignsec-mock-1-start.png') });

    await Promise.all([page.waitForNavigation(), page.click('#send-code')]);
    const code = (await state()).last_code;
    assert.match(code, /^\d{5}$/);
    assert.match(await page.$eval('#notice', (e) => e.textContent), /code was sent/);
    await page.screenshot({ path: path.join(shots, 'zignsec-mock-2-code.png') });

    const wrong = code === '00000' ? '11111' : '00000';
    await page.type('#code', wrong);
    await Promise.all([page.waitForNavigation(), page.click('#verify')]);
    assert.match(await page.$eval('#notice', (e) => e.textContent), /Wrong code/);
    assert.ok(await page.$('#send-code'), 'a wrong code offers a new one');
    await page.screenshot({ path: path.join(shots, 'zignsec-mock-3-wrong.png') });
    assert.equal((await state()).wrong_codes, 1);

    await page.type('#code', code);
    await Promise.all([page.waitForNavigation(), page.click('#verify')]);
    assert.equal(page.url(), `${app.url}/verified`);
    assert.match(await page.$eval('#app', (e) => e.textContent), /Back in the app/);
    const s = await state();
    assert.equal(s.status, 'finished');

    const details = await (await fetch(`${mock.url}/core/api/sessions/${data.id}`, {
      headers: { Authorization: 'browser-key' },
    })).json();
    assert.equal(details.data.status, 'finished');
    assert.equal(details.data.phone_number, '+46703339954');
    console.log(`browser test: session ${data.id} finished; screenshots in ${shots}/zignsec-mock-*.png`);
    console.log('1 passed, 0 failed');
  } finally {
    if (browser) await browser.close();
    app.server.close();
    mock.child.kill('SIGTERM');
  }
}

main().catch((e) => {
  console.error(e);
  console.log('0 passed, 1 failed');
  process.exit(1);
});
