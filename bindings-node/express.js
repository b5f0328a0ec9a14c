'use strict'
/**
 * zignsec/express: verify ZignSec webhooks in Express (or any Connect-style
 * `(req, res, next)` stack, or plain `node:http`).
 *
 *   const express = require('express')
 *   const { webhookMiddleware } = require('zignsec/express')
 *
 *   app.post('/zignsec/webhook',
 *     express.raw({ type: 'application/json' }),      // optional: the middleware can read the stream itself
 *     webhookMiddleware({ secret: process.env.ZIGNSEC_WEBHOOK_SECRET }),
 *     (req, res) => { console.log(req.zignsecEvent.status); res.sendStatus(204) })
 *
 * A signature covers the exact bytes the gateway sent, so the middleware needs the
 * raw body: a Buffer left by `express.raw()`, or the request stream when nothing
 * has read it yet. A body `express.json()` already parsed cannot be verified and
 * is reported to `next(err)` with the fix.
 *
 * This file never loads `express`: it only uses `req`, `res` and `next`.
 */

const zignsec = require('./index.js')

const { verifyWebhook, verifyWebhookAt, signWebhook, SIGNATURE_HEADER, ConfigError, ResponseDecodeError, WebhookSignatureError } =
  zignsec

const HEADER_KEY = SIGNATURE_HEADER.toLowerCase()
/** The largest body the middleware reads from the stream by default (1 MiB). */
const DEFAULT_LIMIT_BYTES = 1024 * 1024

const PARSED_BODY_MESSAGE =
  'zignsec webhookMiddleware: the request body was already parsed (req.body is not the raw bytes), ' +
  'so its signature cannot be checked. Mount the middleware with ' +
  "express.raw({ type: 'application/json' }) on the webhook route, or before express.json()."

function describe(value) {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return typeof value
}

/** Answer a rejected webhook: 400 with a short JSON body, without calling the handler. */
function reject(res, err) {
  const text = JSON.stringify({ error: `invalid ZignSec webhook: ${err.message}` })
  res.statusCode = 400
  res.setHeader('Content-Type', 'application/json; charset=utf-8')
  res.setHeader('Content-Length', Buffer.byteLength(text))
  res.end(text)
}

/** Read the request stream into one Buffer (at most `limit` bytes). */
function readStream(req, limit, done) {
  const chunks = []
  let size = 0
  let finished = false
  const finish = (err, buf) => {
    if (finished) return
    finished = true
    req.removeListener('data', onData)
    req.removeListener('end', onEnd)
    req.removeListener('error', onError)
    done(err, buf)
  }
  const onData = (chunk) => {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk
    size += buf.length
    if (size > limit) {
      const err = new RangeError(`zignsec webhookMiddleware: the request body is over ${limit} bytes`)
      err.status = 413
      err.statusCode = 413
      err.expose = true
      req.pause()
      finish(err)
      return
    }
    chunks.push(buf)
  }
  const onEnd = () => finish(null, Buffer.concat(chunks, size))
  const onError = (err) => finish(err)
  req.on('data', onData)
  req.on('end', onEnd)
  req.on('error', onError)
}

/** Whether the request stream was already consumed (by a body parser or otherwise). */
function streamConsumed(req) {
  // body-parser marks the requests it read with `_body`.
  return req._body === true || req.readableEnded === true || req.readable === false
}

/**
 * Express middleware that verifies the request as a ZignSec webhook: sets
 * `req.zignsecEvent` and calls `next()`; a missing, malformed, wrong or stale
 * signature (or a signed body that is not an event) answers 400 and the route's
 * handler is not called.
 *
 * @param {{ secret: string, toleranceS?: number, limitBytes?: number }} options
 *   `secret`: the webhook secret; `toleranceS`: how far the signature's timestamp
 *   may be from now, in seconds (default as `verifyWebhook`: 300); `limitBytes`:
 *   the largest body read from the stream (default 1 MiB; larger → `next(err)`
 *   with `err.status` 413).
 */
function webhookMiddleware(options) {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(`webhookMiddleware: options must be an object, got ${describe(options)}`)
  }
  const { secret, toleranceS, limitBytes } = options
  if (typeof secret !== 'string') {
    throw new TypeError(`webhookMiddleware: secret must be a string, got ${describe(secret)}`)
  }
  if (toleranceS !== undefined && toleranceS !== null && typeof toleranceS !== 'number') {
    throw new TypeError(`webhookMiddleware: toleranceS must be a number (seconds), got ${describe(toleranceS)}`)
  }
  if (limitBytes !== undefined && (typeof limitBytes !== 'number' || !(limitBytes > 0))) {
    throw new TypeError(`webhookMiddleware: limitBytes must be a positive number, got ${describe(limitBytes)}`)
  }
  const limit = limitBytes ?? DEFAULT_LIMIT_BYTES
  const tolerance = toleranceS ?? undefined
  // Let the core judge the secret and the tolerance now (a ValidationError or
  // ConfigError at startup) rather than on every request.
  {
    const probe = '{"event":"probe","id":"probe","status":"probe"}'
    const nowS = 1700000000
    const header = signWebhook(probe, secret, nowS)
    if (tolerance !== undefined) verifyWebhookAt(probe, header, secret, tolerance, nowS)
  }

  const verify = (req, res, next, body) => {
    let event
    try {
      event = verifyWebhook(body, req.headers[HEADER_KEY], secret, tolerance)
    } catch (err) {
      if (err instanceof WebhookSignatureError || err instanceof ResponseDecodeError) {
        reject(res, err)
        return
      }
      next(err)
      return
    }
    req.zignsecEvent = event
    next()
  }

  return function zignsecWebhook(req, res, next) {
    const body = req.body
    if (Buffer.isBuffer(body) || body instanceof Uint8Array || typeof body === 'string') {
      verify(req, res, next, body)
      return
    }
    if (streamConsumed(req)) {
      next(new ConfigError(PARSED_BODY_MESSAGE))
      return
    }
    // Nothing has read the stream (a parser that skipped this content type may
    // still have set `req.body = {}`): read it here.
    readStream(req, limit, (err, raw) => {
      if (err) {
        next(err)
        return
      }
      // As express.raw() would leave it; `_body` tells later body parsers the body was read.
      req.body = raw
      req._body = true
      verify(req, res, next, raw)
    })
  }
}

module.exports = { webhookMiddleware, PARSED_BODY_MESSAGE }
