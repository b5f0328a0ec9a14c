'use strict'
// One-time codes: the core's issuer, with the code, the secret and challenges kept
// out of `util.inspect`, `JSON.stringify` and `String(...)`.

const util = require('node:util')
const native = require('../load-native.js')
const { defineQuiet, wrapSync } = require('./errors.js')
const { checkObject, checkString, OTP_OPTIONS } = require('./args.js')

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

module.exports = { Otp, OtpIssue, OtpCheck, OtpSend, otpNative }
