'use strict'
/**
 * zignsec: ZignSec's v5 two-factor APIs (SMS, phone verification, webhooks) for Node.js.
 *
 * This file is the package's public face. The work happens in the Rust core,
 * loaded through the generated `index.js`; here we only check argument types
 * (a wrong type is a `TypeError` naming the parameter, and nothing is sent),
 * turn native errors into the error classes below, and keep the API key out of
 * `util.inspect`, `JSON.stringify` and `String(client)`.
 */

const util = require('node:util')
const native = require('./load-native.js') // index.js, with a clear error when no platform package is installed

const ERROR_MARK = native.errorMark()

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

/** No API key, an unusable base URL or another bad client option. */
class ConfigError extends ZignSecError {}
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

/** The call's time (`timeoutMs`, retries included) ran out. See `maybeSent`. */
class APITimeoutError extends ZignSecError {}
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

/** Turn what the native layer threw into the package's error classes. */
function convertError(err) {
  if (err instanceof Error && typeof err.message === 'string' && err.message.startsWith(ERROR_MARK)) {
    let props
    try {
      props = JSON.parse(err.message.slice(ERROR_MARK.length))
    } catch {
      return err
    }
    const Cls = CLASS_BY_CODE.get(props.code) ?? ZignSecError
    const out = new Cls(props.message, props)
    return out
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
function checkObject(where, param, value, spec, { optional = false, sendOp = false } = {}) {
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
    checkType(where, `${param}.${key}`, key, v, type, sendOp)
    out[key] = v
  }
  return out
}

function checkType(where, label, field, value, type, sendOp = false) {
  if (typeof value !== type) {
    throw new TypeError(`${where}: ${label} must be a ${type}, got ${describe(value)}`)
  }
  if (type === 'string' && !value.isWellFormed()) {
    // Not Unicode text (a lone surrogate): it cannot be sent as UTF-8 faithfully.
    throw new ValidationError(`${field}: must be valid Unicode text (it holds a lone surrogate)`, {
      code: ValidationError.code,
      field,
      attempts: 0,
      maybeSent: sendOp ? false : undefined,
    })
  }
}

function checkString(where, param, field, value, sendOp = false) {
  checkType(where, param, field, value, 'string', sendOp)
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
    const p = checkObject('sendSms', 'params', params, SEND_SMS, { sendOp: true })
    return wrapAsync(this.#native.sendSms(p))
  }

  /** Start a phone verification; send the user to the returned `redirectUrl`. */
  async startPhoneVerification(params) {
    const p = checkObject('startPhoneVerification', 'params', params, START_PHONE, { sendOp: true })
    return wrapAsync(this.#native.startPhoneVerification(p))
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
  if (typeof message !== 'string') {
    throw new TypeError(`smsParts: message must be a string, got ${describe(message)}`)
  }
  return native.smsParts(message)
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

/** The header ZignSec signs webhooks in. */
const SIGNATURE_HEADER = 'X-ZignSec-Hmac-SHA256'

/** This package's version (also in the `User-Agent`). */
const VERSION = native.version()

module.exports = {
  Client,
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
