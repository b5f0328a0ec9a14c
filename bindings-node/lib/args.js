'use strict'
// Argument checks: types only (values are the core's business). A wrong type is a
// `TypeError` naming the parameter, and nothing is sent.

const native = require('../load-native.js')
const { wrapSync } = require('./errors.js')

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
  if (typeof value !== type) {
    throw new TypeError(`${where}: ${label} must be a ${type}, got ${describe(value)}`)
  }
  if (type === 'string' && !value.isWellFormed()) {
    // Not Unicode text (a lone surrogate): the core's rule and message.
    wrapSync(() => native.throwNotUnicode(where, field))
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

module.exports = {
  describe,
  checkObject,
  checkType,
  checkString,
  toBody,
  CLIENT_OPTIONS,
  SEND_SMS,
  START_PHONE,
  START_EMAIL,
  SEND_OTP,
  OTP_OPTIONS,
  WAIT_OPTIONS,
}
