'use strict'
/**
 * zignsec: ZignSec's v5 two-factor APIs (SMS, phone and email verification,
 * one-time codes, webhooks) for Node.js.
 *
 * This file is the package's public face. The work happens in the Rust core,
 * loaded through the generated `binding.js`; here we only check argument types
 * (a wrong type is a `TypeError` naming the parameter, and nothing is sent),
 * map native errors (`code` the `ZIGNSEC_*` string, `info` their fields) to the
 * error classes below, and keep the API key and one-time codes out of
 * `util.inspect`, `JSON.stringify` and `String(...)`. The error classes live in
 * `lib/errors.js`, the argument checks in `lib/args.js`, one-time codes in `lib/otp.js`.
 */

const util = require('node:util')
const native = require('./load-native.js') // binding.js, with a clear error when no platform package is installed
const errors = require('./lib/errors.js')
const { wrapSync, wrapAsync } = errors
const {
  describe,
  checkObject,
  checkString,
  toBody,
  CLIENT_OPTIONS,
  SEND_SMS,
  START_PHONE,
  START_EMAIL,
  SEND_OTP,
  WAIT_OPTIONS,
} = require('./lib/args.js')
const { Otp, OtpIssue, OtpCheck, OtpSend, otpNative } = require('./lib/otp.js')
const {
  ZignSecError,
  ValidationError,
  ConfigError,
  APIStatusError,
  BadRequestError,
  AuthenticationError,
  PermissionDeniedError,
  NotFoundError,
  RateLimitError,
  ServerError,
  APIConnectionError,
  APITimeoutError,
  ResponseDecodeError,
  WaitTimeoutError,
  WebhookSignatureError,
} = errors

// ---------------------------------------------------------------------------
// Client
// ---------------------------------------------------------------------------

/**
 * A ZignSec client. Build it once and share it: it holds one connection pool,
 * and every call is a Promise that never blocks the event loop (hundreds may be
 * in flight at once).
 *
 * Options left out fall back to `ZIGNSEC_API_KEY`, `ZIGNSEC_ENVIRONMENT`,
 * `ZIGNSEC_BASE_URL`, `ZIGNSEC_TIMEOUT` (seconds) and `ZIGNSEC_MAX_RETRIES`;
 * `proxy` to `HTTPS_PROXY` / `ALL_PROXY` (https base URLs only, as a CONNECT
 * tunnel; never for loopback). Bad options throw a `ConfigError`.
 */
class Client {
  #native

  /** @param {import('./zignsec').ClientOptions} [options] */
  constructor(options) {
    const opts = checkObject('new Client', 'options', options, CLIENT_OPTIONS, { optional: true })
    this.#native = wrapSync(() => new native.NativeClient(opts))
  }

  /** The base URL calls go to (no trailing slash). */
  get baseUrl() {
    return this.#native.baseUrl
  }

  /** Total time for one call, retries included, in milliseconds. */
  get timeoutMs() {
    return this.#native.timeoutMs
  }

  /** Retries after the first attempt. */
  get maxRetries() {
    return this.#native.maxRetries
  }

  /** The `User-Agent` the client sends (`zignsec-node/<version>`). */
  get userAgent() {
    return this.#native.userAgent
  }

  /** Send an SMS. Validated first; retried only when it provably never left. */
  async sendSms(params) {
    const p = checkObject('sendSms', 'params', params, SEND_SMS)
    return wrapAsync(this.#native.sendSms(p))
  }

  /** Start a phone verification; send the user to the returned `redirectUrl`. */
  async startPhoneVerification(params) {
    const p = checkObject('startPhoneVerification', 'params', params, START_PHONE)
    return wrapAsync(this.#native.startPhoneVerification(p))
  }

  /**
   * Start an email verification (`locale` and both redirects required); send the
   * user to the returned `redirectUrl`.
   */
  async startEmailVerification(params) {
    const p = checkObject('startEmailVerification', 'params', params, START_EMAIL)
    return wrapAsync(this.#native.startEmailVerification(p))
  }

  /**
   * Issue a one-time code with `otp` for `to`, send it in `template` (default
   * `'Your code is {code}'`, `{code}` exactly once) and return `{ session,
   * challenge }`: store the challenge, check the typed code with `otp.check`. The
   * code itself is never returned, logged or put in an error.
   */
  async sendOtp(params) {
    const p = checkObject('sendOtp', 'params', params, SEND_OTP)
    if (!(p.otp instanceof Otp)) {
      throw new TypeError(`sendOtp: params.otp must be an Otp, got ${describe(p.otp)}`)
    }
    const { otp, ...rest } = p
    const sent = await wrapAsync(this.#native.sendOtp(rest, otpNative(otp)))
    return new OtpSend(sent.session, sent.challenge)
  }

  /** Read an SMS session. */
  async getSmsSession(id) {
    checkString('getSmsSession', 'id', 'sessionId', id)
    return wrapAsync(this.#native.getSmsSession(id))
  }

  /** Read a phone verification session. */
  async getPhoneSession(id) {
    checkString('getPhoneSession', 'id', 'sessionId', id)
    return wrapAsync(this.#native.getPhoneSession(id))
  }

  /** Poll an SMS session until it is final (default timeout 60 s, poll 1 s). */
  async waitSmsSession(id, options) {
    checkString('waitSmsSession', 'id', 'sessionId', id)
    const o = checkObject('waitSmsSession', 'options', options, WAIT_OPTIONS, { optional: true })
    return wrapAsync(this.#native.waitSmsSession(id, o))
  }

  /** Poll a phone session until it is final (default timeout 300 s, poll 1 s). */
  async waitPhoneSession(id, options) {
    checkString('waitPhoneSession', 'id', 'sessionId', id)
    const o = checkObject('waitPhoneSession', 'options', options, WAIT_OPTIONS, { optional: true })
    return wrapAsync(this.#native.waitPhoneSession(id, o))
  }

  /** Read an email verification session. */
  async getEmailSession(id) {
    checkString('getEmailSession', 'id', 'sessionId', id)
    return wrapAsync(this.#native.getEmailSession(id))
  }

  /** Poll an email session until it is final (default timeout 300 s, poll 1 s). */
  async waitEmailSession(id, options) {
    checkString('waitEmailSession', 'id', 'sessionId', id)
    const o = checkObject('waitEmailSession', 'options', options, WAIT_OPTIONS, { optional: true })
    return wrapAsync(this.#native.waitEmailSession(id, o))
  }

  /** A summary without the API key. */
  toJSON() {
    return {
      baseUrl: this.baseUrl,
      timeoutMs: this.timeoutMs,
      maxRetries: this.maxRetries,
      userAgent: this.userAgent,
    }
  }

  /** `Client(<baseUrl>)`: never the API key. */
  toString() {
    return `Client(${this.baseUrl})`
  }

  [util.inspect.custom](depth, options, inspect) {
    const shown = { ...this.toJSON(), apiKey: '[redacted]' }
    return `Client ${(inspect ?? util.inspect)(shown, options)}`
  }
}
Object.defineProperty(Client.prototype, Symbol.toStringTag, { value: 'Client' })

// ---------------------------------------------------------------------------
// Free functions
// ---------------------------------------------------------------------------

/** How a message splits into SMS parts: `{encoding, parts, units, unitsPerPart}`. */
function smsParts(message) {
  checkString('smsParts', 'message', 'message', message)
  return wrapSync(() => native.smsParts(message))
}

/** Parse a webhook body (string or Buffer) without checking its signature. */
function parseWebhook(body) {
  const buf = toBody('parseWebhook', body)
  return wrapSync(() => native.parseWebhook(buf))
}

function headerText(where, header) {
  if (header === undefined || header === null) return ''
  if (Array.isArray(header) && header.every((h) => typeof h === 'string')) return header.join(',')
  if (typeof header !== 'string') {
    throw new TypeError(`${where}: signatureHeader must be a string, got ${describe(header)}`)
  }
  return header
}

/**
 * Check a webhook's `X-ZignSec-Hmac-SHA256` header against your webhook secret,
 * then parse the body. Pass the raw body exactly as received. A missing header
 * (`undefined`) is a `WebhookSignatureError`.
 */
function verifyWebhook(body, signatureHeader, secret, toleranceS) {
  const buf = toBody('verifyWebhook', body)
  const header = headerText('verifyWebhook', signatureHeader)
  checkString('verifyWebhook', 'secret', 'secret', secret)
  if (toleranceS !== undefined && toleranceS !== null && typeof toleranceS !== 'number') {
    throw new TypeError(`verifyWebhook: toleranceS must be a number, got ${describe(toleranceS)}`)
  }
  return wrapSync(() => native.verifyWebhook(buf, header, secret, toleranceS ?? undefined))
}

/** `verifyWebhook` against a given clock (`nowS`, unix seconds), for tests. */
function verifyWebhookAt(body, signatureHeader, secret, toleranceS, nowS) {
  const buf = toBody('verifyWebhookAt', body)
  const header = headerText('verifyWebhookAt', signatureHeader)
  checkString('verifyWebhookAt', 'secret', 'secret', secret)
  for (const [name, v] of [['toleranceS', toleranceS], ['nowS', nowS]]) {
    if (typeof v !== 'number') {
      throw new TypeError(`verifyWebhookAt: ${name} must be a number, got ${describe(v)}`)
    }
  }
  return wrapSync(() => native.verifyWebhookAt(buf, header, secret, toleranceS, nowS))
}

/**
 * The header value the gateway would send for `body` at `timestamp` (unix
 * seconds): `t=<timestamp>,v1=<hex>`. For your own tests.
 */
function signWebhook(body, secret, timestamp) {
  const buf = toBody('signWebhook', body)
  checkString('signWebhook', 'secret', 'secret', secret)
  if (typeof timestamp !== 'number') {
    throw new TypeError(`signWebhook: timestamp must be a number (unix seconds), got ${describe(timestamp)}`)
  }
  return wrapSync(() => native.signWebhook(buf, secret, timestamp))
}

/**
 * A phone number in E.164, judged valid by libphonenumber's metadata:
 * `normalizePhone('070-123 45 67', { defaultRegion: 'SE' })` → `'+46701234567'`.
 * Without `defaultRegion` the number must start with `+` or `00`. Otherwise a
 * `ValidationError` on `number`.
 */
function normalizePhone(number, options) {
  checkString('normalizePhone', 'number', 'number', number)
  const o = checkObject('normalizePhone', 'options', options, { defaultRegion: { type: 'string' } }, { optional: true })
  return wrapSync(() => native.normalizePhone(number, o?.defaultRegion))
}

/** The header ZignSec signs webhooks in (`X-ZignSec-Hmac-SHA256`). */
const SIGNATURE_HEADER = native.SIGNATURE_HEADER

/** This package's version (also in the `User-Agent`). */
const VERSION = native.VERSION

module.exports = {
  Client,
  Otp,
  OtpIssue,
  OtpCheck,
  OtpSend,
  normalizePhone,
  smsParts,
  parseWebhook,
  verifyWebhook,
  verifyWebhookAt,
  signWebhook,
  SIGNATURE_HEADER,
  VERSION,
  ZignSecError,
  ValidationError,
  ConfigError,
  APIStatusError,
  BadRequestError,
  AuthenticationError,
  PermissionDeniedError,
  NotFoundError,
  RateLimitError,
  ServerError,
  APIConnectionError,
  APITimeoutError,
  ResponseDecodeError,
  WaitTimeoutError,
  WebhookSignatureError,
}
