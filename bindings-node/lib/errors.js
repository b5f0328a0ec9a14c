'use strict'
// The error classes and the one place native errors become them: a native error's
// `code` is the `ZIGNSEC_*` string and its `info` the error's fields (see src/error.rs).

const util = require('node:util')

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

module.exports = {
  defineQuiet,
  convertError,
  wrapSync,
  wrapAsync,
  ERROR_CLASSES,
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
