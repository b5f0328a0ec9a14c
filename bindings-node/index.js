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
 * `util.inspect`, `JSON.stringify` and `String(...)`.
 */

const util = require('node:util')
const native = require('./load-native.js') // binding.js, with a clear error when no platform package is installed

// ---------------------------------------------------------------------------
// Errors: the one place JavaScript classes meet the core's error kinds.
// ---------------------------------------------------------------------------

/**
 * A property the program can read but that logging does not walk into: not
 * enumerable, so `JSON.stringify`, `Object.keys`, spread and most log
 * serialisers skip it (`body` and `details` may hold message text, codes and
 * full phone numbers).
 */
function defineQuiet(target, name, value) {
  Object.defineProperty(target, name, { value, enumerable: false, writable: true, configurable: true })
}

/** What `util.inspect` shows of a session's details: its id and status only. */
function shownDetails(details) {
  if (details === null || typeof details !== 'object') return details
  return { id: details.id, status: details.status }
}

/**
 * Base class of every error this package raises (besides `TypeError` for a
 * wrong argument type). `code` is the stable `ZIGNSEC_*` string of the kind.
 */
class ZignSecError extends Error {
  /**
   * @param {string} message
   * @param {object} [props] the fields the error carries (as decoded from the core)
   */
  constructor(message, props = {}) {
    super(message)
    Object.defineProperty(this, 'name', {
      value: new.target.name,
      enumerable: false,
      configurable: true,
      writable: true,
    })
    /** The stable `ZIGNSEC_*` code of this kind of error. */
    this.code = props.code ?? new.target.code ?? 'ZIGNSEC_ERROR'
    /** The HTTP status, when the gateway answered. */
    this.status = props.status
    /** The gateway's own error code, when its body carried one. */
    this.gatewayCode = props.gatewayCode
    /**
     * The raw response body (capped at 8 KiB). Not enumerable, and shown by
     * `util.inspect` only as its size: gateway text may echo the request.
     */
    defineQuiet(this, 'body', props.body)
    /** The `x-request-id` response header. */
    this.requestId = props.requestId
    /** Requests made (0 when nothing was sent; for a wait timeout, the polls made). */
    this.attempts = props.attempts ?? 0
    /**
     * For sends: whether the request may have reached the gateway (so an SMS may
     * be on its way); `undefined` for reads.
     */
    this.maybeSent = props.maybeSent
  }

  /**
   * Safe to log: the stack (name and message) and the enumerable fields; `body`
   * as its size, `details` as `{ id, status }`. Never message text, codes or a
   * full phone number, even though the properties themselves hold them.
   */
  [util.inspect.custom](depth, options, inspect) {
    const shown = {}
    for (const key of Object.keys(this)) {
      if (this[key] !== undefined) shown[key] = this[key]
    }
    if (typeof this.body === 'string') shown.body = `<${Buffer.byteLength(this.body)} bytes>`
    if (this.details !== undefined) shown.details = shownDetails(this.details)
    const text = this.stack || `${this.name}: ${this.message}`
    if (Object.keys(shown).length === 0) return text
    const opts = { ...options, depth: options?.depth == null ? options?.depth : options.depth - 1 }
    return `${text} ${(inspect ?? util.inspect)(shown, opts)}`
  }
}
ZignSecError.code = 'ZIGNSEC_ERROR'

/** Bad input, caught before anything was sent; `field` names the culprit. */
class ValidationError extends ZignSecError {
  constructor(message, props = {}) {
    super(message, props)
    /** The field at fault, in camelCase (`'to'`, `'maxMessageParts'`, `'sessionId'`). */
    this.field = props.field
  }
}
ValidationError.code = 'ZIGNSEC_VALIDATION'

/** No API key, an unusable base URL or another bad option; `field` names it when known. */
class ConfigError extends ZignSecError {
  constructor(message, props = {}) {
    super(message, props)
    /** The option at fault (`'secret'`, `'digits'`, …), when the core names it. */
    this.field = props.field
  }
}
ConfigError.code = 'ZIGNSEC_CONFIG'

/** The gateway answered with a non-2xx status (base of the status classes). */
class APIStatusError extends ZignSecError {}
APIStatusError.code = 'ZIGNSEC_HTTP_STATUS'

/** HTTP 400. */
class BadRequestError extends APIStatusError {}
BadRequestError.code = 'ZIGNSEC_BAD_REQUEST'

/** HTTP 401: missing or wrong API key. */
class AuthenticationError extends APIStatusError {}
AuthenticationError.code = 'ZIGNSEC_AUTHENTICATION'

/** HTTP 403. */
class PermissionDeniedError extends APIStatusError {}
PermissionDeniedError.code = 'ZIGNSEC_PERMISSION_DENIED'

/** HTTP 404: unknown session. */
class NotFoundError extends APIStatusError {}
NotFoundError.code = 'ZIGNSEC_NOT_FOUND'

/** HTTP 429; `retryAfter` is the wait the gateway asked for, in seconds. */
class RateLimitError extends APIStatusError {
  constructor(message, props = {}) {
    super(message, props)
    /** Seconds the gateway asked to wait (from `Retry-After`), when it said. */
    this.retryAfter = props.retryAfter
  }
}
RateLimitError.code = 'ZIGNSEC_RATE_LIMITED'

/** HTTP 5xx. */
class ServerError extends APIStatusError {}
ServerError.code = 'ZIGNSEC_SERVER'

/** Connection refused or reset, DNS or TLS failure. See `maybeSent` for sends. */
class APIConnectionError extends ZignSecError {}
APIConnectionError.code = 'ZIGNSEC_CONNECTION'

/**
 * The call's time (`timeoutMs`, retries included) ran out. See `maybeSent`. A kind
 * of connection error, as in the Python package.
 */
class APITimeoutError extends APIConnectionError {}
APITimeoutError.code = 'ZIGNSEC_TIMEOUT'

/** A 2xx body that is not the documented JSON (or is over 1 MiB). */
class ResponseDecodeError extends ZignSecError {}
ResponseDecodeError.code = 'ZIGNSEC_DECODE'

/** A `wait*` whose session is still not final; `details` holds the last read. */
class WaitTimeoutError extends ZignSecError {
  constructor(message, props = {}) {
    super(message, props)
    /**
     * The last session details read (`undefined` if none could be read). Not
     * enumerable, and shown by `util.inspect` as `{ id, status }` only: it holds
     * the message text (the code) and the full number.
     */
    defineQuiet(this, 'details', props.details)
  }
}
WaitTimeoutError.code = 'ZIGNSEC_WAIT_TIMEOUT'

/** A webhook signature that is missing, malformed, wrong or stale. */
class WebhookSignatureError extends ZignSecError {}
WebhookSignatureError.code = 'ZIGNSEC_WEBHOOK_SIGNATURE'

const ERROR_CLASSES = [
  ValidationError,
  ConfigError,
  BadRequestError,
  AuthenticationError,
  PermissionDeniedError,
  NotFoundError,
  RateLimitError,
  ServerError,
  APIStatusError,
  APIConnectionError,
  APITimeoutError,
  ResponseDecodeError,
  WaitTimeoutError,
  WebhookSignatureError,
]
const CLASS_BY_CODE = new Map(ERROR_CLASSES.map((cls) => [cls.code, cls]))

/**
 * Turn what the native layer threw into the package's error classes: its `code`
 * is the `ZIGNSEC_*` string and its `info` the error's fields.
 */
function convertError(err) {
  if (err instanceof Error && !(err instanceof ZignSecError) && err.info !== null && typeof err.info === 'object') {
    const Cls = CLASS_BY_CODE.get(err.code)
    if (Cls === undefined) return err
    const props = { ...err.info, code: err.code }
    for (const [key, value] of Object.entries(props)) {
      if (value === null) props[key] = undefined
    }
    return new Cls(err.message, props)
  }
  return err
}

function wrapSync(fn) {
  try {
    return fn()
  } catch (err) {
    throw convertError(err)
  }
}

async function wrapAsync(promise) {
  try {
    return await promise
  } catch (err) {
    throw convertError(err)
  }
}

// ---------------------------------------------------------------------------
// Argument checks: types only (values are the core's business).
// ---------------------------------------------------------------------------

function describe(value) {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return typeof value
}

function isPlainObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * Check an options bag against a spec `{name: {type, required}}`; returns a
 * fresh object holding only the given (non-null) values.
 */
function checkObject(where, param, value, spec, { optional = false } = {}) {
  if (value === undefined || value === null) {
    if (optional) return undefined
    throw new TypeError(`${where}: ${param} must be an object, got ${describe(value)}`)
  }
  if (!isPlainObject(value)) {
    throw new TypeError(`${where}: ${param} must be an object, got ${describe(value)}`)
  }
  for (const key of Object.keys(value)) {
    if (!Object.prototype.hasOwnProperty.call(spec, key)) {
      const known = Object.keys(spec).join(', ')
      throw new TypeError(`${where}: unknown option ${JSON.stringify(key)} in ${param} (known: ${known})`)
    }
  }
  const out = {}
  for (const [key, { type, required }] of Object.entries(spec)) {
    const v = value[key]
    if (v === undefined || v === null) {
      if (required) {
        throw new TypeError(`${where}: ${param}.${key} is required (a ${type}), got ${describe(v)}`)
      }
      continue
    }
    checkType(where, `${param}.${key}`, key, v, type)
    out[key] = v
  }
  return out
}

function checkType(where, label, field, value, type) {
  if (type === 'secret') {
    if (typeof value === 'string') return checkType(where, label, field, value, 'string')
    if (value instanceof Uint8Array) return
    throw new TypeError(`${where}: ${label} must be a string, Buffer or Uint8Array, got ${describe(value)}`)
  }
  if (type === 'object' && !isPlainObject(value) && typeof value !== 'object') {
    throw new TypeError(`${where}: ${label} must be an object, got ${describe(value)}`)
  }
  if (typeof value !== type) {
    throw new TypeError(`${where}: ${label} must be a ${type}, got ${describe(value)}`)
  }
  if (type === 'string' && !value.isWellFormed()) {
    // Not Unicode text (a lone surrogate): the core's rule and message.
    wrapSync(() => native.throwNotUnicode(field))
  }
}

function checkString(where, param, field, value) {
  checkType(where, param, field, value, 'string')
  return value
}

function toBody(where, body) {
  if (typeof body === 'string') {
    if (!body.isWellFormed()) {
      throw new TypeError(`${where}: body must be valid Unicode text or a Buffer`)
    }
    return Buffer.from(body, 'utf8')
  }
  if (Buffer.isBuffer(body)) return body
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength)
  if (body instanceof ArrayBuffer) return Buffer.from(body)
  throw new TypeError(`${where}: body must be a string, Buffer or Uint8Array, got ${describe(body)}`)
}

const CLIENT_OPTIONS = {
  apiKey: { type: 'string' },
  environment: { type: 'string' },
  baseUrl: { type: 'string' },
  timeoutMs: { type: 'number' },
  connectTimeoutMs: { type: 'number' },
  maxRetries: { type: 'number' },
  proxy: { type: 'string' },
  authScheme: { type: 'string' },
  secondaryApiKey: { type: 'string' },
}
const SEND_SMS = {
  to: { type: 'string', required: true },
  message: { type: 'string', required: true },
  from: { type: 'string', required: true },
  maxMessageParts: { type: 'number' },
  relayState: { type: 'string' },
  webhook: { type: 'string' },
}
const START_PHONE = {
  phoneNumber: { type: 'string', required: true },
  locale: { type: 'string' },
  redirectSuccess: { type: 'string' },
  redirectFailure: { type: 'string' },
  relayState: { type: 'string' },
  webhook: { type: 'string' },
  csrfToken: { type: 'string' },
}
const START_EMAIL = {
  emailAddress: { type: 'string', required: true },
  locale: { type: 'string', required: true },
  redirectSuccess: { type: 'string', required: true },
  redirectFailure: { type: 'string', required: true },
  relayState: { type: 'string' },
  webhook: { type: 'string' },
  csrfToken: { type: 'string' },
}
const SEND_OTP = {
  to: { type: 'string', required: true },
  from: { type: 'string', required: true },
  otp: { type: 'object', required: true },
  template: { type: 'string' },
  maxMessageParts: { type: 'number' },
  relayState: { type: 'string' },
  webhook: { type: 'string' },
}
const OTP_OPTIONS = {
  secret: { type: 'secret', required: true },
  digits: { type: 'number' },
  ttlMs: { type: 'number' },
  maxAttempts: { type: 'number' },
}
const WAIT_OPTIONS = {
  timeoutMs: { type: 'number' },
  pollIntervalMs: { type: 'number' },
}

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

// ---------------------------------------------------------------------------
// One-time codes
// ---------------------------------------------------------------------------

/** A challenge as logs show it: its length only (it is a bearer of attempts). */
function shownChallenge(challenge) {
  return typeof challenge === 'string' ? `<challenge, ${challenge.length} chars>` : challenge
}

/** `otp.issue(to)`: `{ code, challenge }`. `code` is not enumerable and never shown. */
class OtpIssue {
  constructor(code, challenge) {
    /** The code to deliver (not enumerable: JSON, spread and logs skip it). */
    defineQuiet(this, 'code', code)
    /** The challenge to store server-side. */
    this.challenge = challenge
  }

  toJSON() {
    return { challenge: this.challenge }
  }

  toString() {
    return 'OtpIssue(code: [redacted])'
  }

  [util.inspect.custom](depth, options, inspect) {
    const shown = { code: '[redacted]', challenge: shownChallenge(this.challenge) }
    return `OtpIssue ${(inspect ?? util.inspect)(shown, options)}`
  }
}

/** `otp.check(...)`: `{ ok, reason, challenge, attemptsLeft }`; store `challenge` back. */
class OtpCheck {
  constructor({ ok, reason, challenge, attemptsLeft }) {
    this.ok = ok
    this.reason = reason
    this.challenge = challenge
    this.attemptsLeft = attemptsLeft
  }

  [util.inspect.custom](depth, options, inspect) {
    const shown = { ...this, challenge: shownChallenge(this.challenge) }
    return `OtpCheck ${(inspect ?? util.inspect)(shown, options)}`
  }
}

/** `client.sendOtp(...)`: `{ session, challenge }`; never the code. */
class OtpSend {
  constructor(session, challenge) {
    this.session = session
    this.challenge = challenge
  }

  [util.inspect.custom](depth, options, inspect) {
    const shown = { session: this.session, challenge: shownChallenge(this.challenge) }
    return `OtpSend ${(inspect ?? util.inspect)(shown, options)}`
  }
}

const OTP_NATIVE = new WeakMap()
function otpNative(otp) {
  return OTP_NATIVE.get(otp)
}

/**
 * A one-time-code issuer: `new Otp({ secret, digits = 6, ttlMs = 300000,
 * maxAttempts = 5 })`. `secret` is at least 16 bytes (a string counts in UTF-8
 * bytes); a short one or an option out of range is a `ConfigError`. The secret
 * is never shown.
 */
class Otp {
  constructor(options) {
    const o = checkObject('new Otp', 'options', options, OTP_OPTIONS)
    if (o.secret instanceof Uint8Array && !Buffer.isBuffer(o.secret)) {
      o.secret = Buffer.from(o.secret.buffer, o.secret.byteOffset, o.secret.byteLength)
    }
    OTP_NATIVE.set(this, wrapSync(() => new native.NativeOtp(o)))
  }

  /** Digits per code. */
  get digits() {
    return otpNative(this).digits
  }

  /** How long a challenge is valid, in milliseconds. */
  get ttlMs() {
    return otpNative(this).ttlMs
  }

  /** Checks allowed per challenge. */
  get maxAttempts() {
    return otpNative(this).maxAttempts
  }

  /** A new code for `to` (E.164) and its challenge: `{ code, challenge }`. */
  issue(to) {
    checkString('otp.issue', 'to', 'to', to)
    const { code, challenge } = wrapSync(() => otpNative(this).issue(to))
    return new OtpIssue(code, challenge)
  }

  /**
   * Check the code the user typed against `challenge` for `to`. Never throws for a
   * wrong code: `reason` says why (`'ok'`, `'wrong_code'`, `'expired'`,
   * `'too_many_attempts'`, `'used'`, `'invalid'`). Store `challenge` back.
   */
  check(challenge, code, to) {
    checkString('otp.check', 'challenge', 'challenge', challenge)
    checkString('otp.check', 'code', 'code', code)
    checkString('otp.check', 'to', 'to', to)
    return new OtpCheck(otpNative(this).check(challenge, code, to))
  }

  /** `issue` at a given clock (`nowMs`, unix milliseconds). Test-only. */
  _issueAt(to, nowMs) {
    checkString('otp._issueAt', 'to', 'to', to)
    const { code, challenge } = wrapSync(() => otpNative(this)._issueAt(to, nowMs))
    return new OtpIssue(code, challenge)
  }

  /** `check` at a given clock (`nowMs`, unix milliseconds). Test-only. */
  _checkAt(challenge, code, to, nowMs) {
    return new OtpCheck(otpNative(this)._checkAt(challenge, code, to, nowMs))
  }

  toJSON() {
    return { digits: this.digits, ttlMs: this.ttlMs, maxAttempts: this.maxAttempts }
  }

  toString() {
    return `Otp(${this.digits} digits)`
  }

  [util.inspect.custom](depth, options, inspect) {
    const shown = { ...this.toJSON(), secret: '[redacted]' }
    return `Otp ${(inspect ?? util.inspect)(shown, options)}`
  }
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
