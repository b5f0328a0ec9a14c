/**
 * zignsec/express: verify ZignSec webhooks in Express (or any Connect-style
 * `(req, res, next)` stack). This module does not load `express`, and its types
 * do not need `@types/express`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { WebhookEvent } from './index'

export interface WebhookMiddlewareOptions {
  /** The webhook secret the gateway signs with. */
  secret: string
  /**
   * How far the signature's timestamp may be from now, in seconds. Default as
   * `verifyWebhook`: 300.
   */
  toleranceS?: number
  /**
   * The largest body the middleware reads from the request stream itself, in
   * bytes (default 1 MiB); a larger one goes to `next(err)` with `err.status` 413.
   */
  limitBytes?: number
}

/** The request as the middleware sees it: Node's, plus what a body parser may have left. */
export type WebhookRequest = IncomingMessage & { body?: unknown; zignsecEvent?: WebhookEvent }

/** A Connect/Express middleware. */
export type WebhookMiddleware = (req: WebhookRequest, res: ServerResponse, next: (err?: unknown) => void) => void

/**
 * Middleware that verifies the request as a ZignSec webhook: it sets
 * `req.zignsecEvent` and calls `next()`. A missing, malformed, wrong or stale
 * signature (or a signed body that is not an event) answers 400 and the route's
 * handler is not called.
 *
 * The raw body is needed: mount it after `express.raw({ type: 'application/json' })`
 * (`req.body` is a Buffer) or with no body parser before it (it reads the stream;
 * then `req.body` is the raw Buffer). A body `express.json()` already parsed goes
 * to `next(err)` (a `ConfigError` naming the fix).
 *
 * @throws {TypeError} options of the wrong type.
 * @throws {ValidationError} a secret or tolerance the core rejects.
 */
export declare function webhookMiddleware(options: WebhookMiddlewareOptions): WebhookMiddleware

/** The message of the error a body already parsed by `express.json()` is reported with. */
export declare const PARSED_BODY_MESSAGE: string

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** The verified webhook event, set by `zignsec/express`'s `webhookMiddleware`. */
      zignsecEvent?: WebhookEvent
    }
  }
}
