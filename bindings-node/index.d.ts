/**
 * zignsec: ZignSec's v5 two-factor APIs (SMS, phone and email verification,
 * one-time codes, webhooks) for Node.js, on one Rust core. The result types come
 * from the generated `binding.d.ts`; this file types the public face (`index.js`).
 */
import type {
  ClientOptions,
  EmailRequestData,
  EmailSession,
  EmailSessionDetails,
  PhoneRequestData,
  PhoneSession,
  PhoneSessionDetails,
  SendSmsParams,
  SessionError,
  SmsParts,
  SmsRequestData,
  SmsSession,
  SmsSessionDetails,
  StartEmailVerificationParams,
  StartPhoneVerificationParams,
  WaitOptions,
  WebhookEvent,
} from './binding'

export type {
  ClientOptions,
  EmailRequestData,
  EmailSession,
  EmailSessionDetails,
  PhoneRequestData,
  PhoneSession,
  PhoneSessionDetails,
  SendSmsParams,
  SessionError,
  SmsParts,
  SmsRequestData,
  SmsSession,
  SmsSessionDetails,
  StartEmailVerificationParams,
  StartPhoneVerificationParams,
  WaitOptions,
  WebhookEvent,
}

/** A webhook body: the raw bytes as received, or the same text. */
export type WebhookBody = string | Buffer | Uint8Array | ArrayBuffer

/** The stable `err.code` of every error kind. */
export type ZignSecErrorCode =
  | 'ZIGNSEC_VALIDATION'
  | 'ZIGNSEC_CONFIG'
  | 'ZIGNSEC_BAD_REQUEST'
  | 'ZIGNSEC_AUTHENTICATION'
  | 'ZIGNSEC_PERMISSION_DENIED'
  | 'ZIGNSEC_NOT_FOUND'
  | 'ZIGNSEC_RATE_LIMITED'
  | 'ZIGNSEC_SERVER'
  | 'ZIGNSEC_HTTP_STATUS'
  | 'ZIGNSEC_CONNECTION'
  | 'ZIGNSEC_TIMEOUT'
  | 'ZIGNSEC_DECODE'
  | 'ZIGNSEC_WAIT_TIMEOUT'
  | 'ZIGNSEC_WEBHOOK_SIGNATURE'

/**
 * A ZignSec client. Build it once and share it: it holds one connection pool,
 * and every call returns a Promise without blocking the event loop (hundreds may
 * be in flight at once). `util.inspect`, `JSON.stringify` and `String()` never
 * show the API key.
 *
 * Options left out fall back to `ZIGNSEC_API_KEY`, `ZIGNSEC_ENVIRONMENT`,
 * `ZIGNSEC_BASE_URL`, `ZIGNSEC_TIMEOUT` (seconds) and `ZIGNSEC_MAX_RETRIES`;
 * `proxy` (a URL, or `'none'`) to `HTTPS_PROXY` / `ALL_PROXY` minus `NO_PROXY`.
 * A proxy is used only for `https://` base URLs, as a CONNECT tunnel, and never
 * for a loopback base URL (`HTTP_PROXY` is not read).
 *
 * @throws {ConfigError} no API key, an unusable base URL or another bad option.
 * @throws {TypeError} an option of the wrong type, or an unknown option.
 */
export declare class Client {
  constructor(options?: ClientOptions)
  /** The base URL calls go to (no trailing slash). */
  readonly baseUrl: string
  /** Total time for one call, retries included, in milliseconds. */
  readonly timeoutMs: number
  /** Retries after the first attempt. */
  readonly maxRetries: number
  /** The `User-Agent` sent (`zignsec-node/<version>`). */
  readonly userAgent: string
  /**
   * Send an SMS. Validated before anything is sent; retried only when it provably
   * never left (or on 429), so it is never sent twice.
   */
  sendSms(params: SendSmsParams): Promise<SmsSession>
  /** Start a phone verification; send the user to the returned `redirectUrl`. */
  startPhoneVerification(params: StartPhoneVerificationParams): Promise<PhoneSession>
  /**
   * Start an email verification (`locale`, `redirectSuccess` and
   * `redirectFailure` required); send the user to the returned `redirectUrl`.
   */
  startEmailVerification(params: StartEmailVerificationParams): Promise<EmailSession>
  /**
   * Issue a one-time code with `otp`, send it in `template` (default
   * `'Your code is {code}'`; `{code}` exactly once) and return the SMS session
   * with the challenge to store. The code is never returned, logged or put in an error.
   */
  sendOtp(params: SendOtpParams): Promise<OtpSend>
  /** Read an SMS session. */
  getSmsSession(id: string): Promise<SmsSessionDetails>
  /** Read a phone verification session. */
  getPhoneSession(id: string): Promise<PhoneSessionDetails>
  /**
   * Poll an SMS session until its status is final (`delivered` or `failed`);
   * default timeout 60 s, poll interval 1 s.
   * @throws {WaitTimeoutError} with `details`, the last details read.
   */
  waitSmsSession(id: string, options?: WaitOptions): Promise<SmsSessionDetails>
  /**
   * Poll a phone session until its status is final (`finished`, `accepted`,
   * `failed`, `cancelled`); default timeout 300 s, poll interval 1 s.
   * @throws {WaitTimeoutError} with `details`, the last details read.
   */
  waitPhoneSession(id: string, options?: WaitOptions): Promise<PhoneSessionDetails>
  /** Read an email verification session. */
  getEmailSession(id: string): Promise<EmailSessionDetails>
  /**
   * Poll an email session until its status is final (as phone); default timeout
   * 300 s, poll interval 1 s.
   * @throws {WaitTimeoutError} with `details`, the last details read.
   */
  waitEmailSession(id: string, options?: WaitOptions): Promise<EmailSessionDetails>
  /** A summary without the API key. */
  toJSON(): { baseUrl: string; timeoutMs: number; maxRetries: number; userAgent: string }
  /** `Client(<baseUrl>)`. */
  toString(): string
}

/** The arguments of `client.sendOtp(...)`. */
export interface SendOtpParams {
  /** Recipient, E.164; the challenge is bound to it. */
  to: string
  /** Sender: an E.164 number or 1 to 11 letters and digits. */
  from: string
  /** The issuer that makes the code. */
  otp: Otp
  /** The SMS text with `{code}` exactly once (default `'Your code is {code}'`). */
  template?: string
  /** From 1 to 10 (default 1). */
  maxMessageParts?: number
  /** Your own reference, echoed back in reads and webhooks. */
  relayState?: string
  /** Where the gateway POSTs status changes (`https://`). */
  webhook?: string
}

/** Options of `new Otp(...)`. */
export interface OtpOptions {
  /** At least 16 bytes (a string counts in UTF-8 bytes); use 32 random bytes. */
  secret: string | Buffer | Uint8Array
  /** Digits per code, 4 to 10 (default 6). */
  digits?: number
  /** How long a challenge is valid, in milliseconds, 1 s to 1 day (default 300000). */
  ttlMs?: number
  /** Checks allowed per challenge, 1 to 20 (default 5). */
  maxAttempts?: number
}

/** Why a check passed or failed. */
export type OtpReason = 'ok' | 'wrong_code' | 'expired' | 'too_many_attempts' | 'used' | 'invalid'

/** `otp.issue(to)`: the code to deliver (not enumerable, never shown) and the challenge to store. */
export declare class OtpIssue {
  readonly code: string
  readonly challenge: string
  toJSON(): { challenge: string }
}

/** `otp.check(...)`: store `challenge` back (it counts this attempt). */
export declare class OtpCheck {
  readonly ok: boolean
  readonly reason: OtpReason
  readonly challenge: string
  readonly attemptsLeft: number
}

/** `client.sendOtp(...)`: the SMS session and the challenge to store; never the code. */
export declare class OtpSend {
  readonly session: SmsSession
  readonly challenge: string
}

/**
 * A one-time-code issuer. The challenge it hands out binds the recipient, the
 * expiry, a nonce and the attempt count, holds no code, and cannot be forged
 * without the secret.
 * @throws {ConfigError} a secret under 16 bytes or an option out of range.
 */
export declare class Otp {
  constructor(options: OtpOptions)
  readonly digits: number
  readonly ttlMs: number
  readonly maxAttempts: number
  /** A new code for `to` (E.164) and its challenge. */
  issue(to: string): OtpIssue
  /** Check a typed code (spaces and hyphens ignored); never throws for a wrong code. */
  check(challenge: string, code: string, to: string): OtpCheck
  /** `issue` at a given clock (unix milliseconds). Test-only. */
  _issueAt(to: string, nowMs: number): OtpIssue
  /** `check` at a given clock (unix milliseconds). Test-only. */
  _checkAt(challenge: string, code: string, to: string, nowMs: number): OtpCheck
  toJSON(): { digits: number; ttlMs: number; maxAttempts: number }
}

/**
 * A phone number in E.164 (`'070-123 45 67'`, `{ defaultRegion: 'SE' }` →
 * `'+46701234567'`), judged valid by libphonenumber's metadata. Without
 * `defaultRegion` the number must start with `+` or `00`.
 * @throws {ValidationError} on `number` (or `defaultRegion`).
 */
export declare function normalizePhone(number: string, options?: { defaultRegion?: string }): string

/** How a message splits into SMS parts (GSM-7 160/153 septets, UCS-2 70/67 units). */
export declare function smsParts(message: string): SmsParts

/**
 * Parse a webhook body without checking its signature (see `verifyWebhook`).
 * @throws {ResponseDecodeError} a body that is not a JSON event.
 */
export declare function parseWebhook(body: WebhookBody): WebhookEvent

/**
 * Check a webhook's `X-ZignSec-Hmac-SHA256` header against your webhook secret
 * (timestamp within `toleranceS` seconds of now, default 300), then parse it.
 * Pass the raw body exactly as received; a missing header may be `undefined`.
 * @throws {WebhookSignatureError} a missing, malformed, wrong or stale signature.
 */
export declare function verifyWebhook(
  body: WebhookBody,
  signatureHeader: string | string[] | undefined | null,
  secret: string,
  toleranceS?: number,
): WebhookEvent

/** `verifyWebhook` against a given clock (`nowS`, unix seconds): for tests. */
export declare function verifyWebhookAt(
  body: WebhookBody,
  signatureHeader: string | string[] | undefined | null,
  secret: string,
  toleranceS: number,
  nowS: number,
): WebhookEvent

/**
 * The header value ZignSec would send for `body` at `timestamp` (unix seconds):
 * `t=<timestamp>,v1=<hex>`. For your own tests.
 */
export declare function signWebhook(body: WebhookBody, secret: string, timestamp: number): string

/** The header ZignSec signs webhooks in: `'X-ZignSec-Hmac-SHA256'`. */
export declare const SIGNATURE_HEADER: 'X-ZignSec-Hmac-SHA256'

/** This package's version (also in the `User-Agent`). */
export declare const VERSION: string

/** The fields a zignsec error may carry. */
export interface ZignSecErrorProps {
  code?: string
  status?: number
  gatewayCode?: string
  body?: string
  requestId?: string
  attempts?: number
  maybeSent?: boolean
  retryAfter?: number
  details?: SmsSessionDetails | PhoneSessionDetails | EmailSessionDetails
  field?: string
}

/**
 * Base class of every error this package raises (wrong argument types are
 * `TypeError`s instead). Safe to log: the message never contains the API key,
 * message text, codes or a full phone number, and `util.inspect` /
 * `console.error` / `JSON.stringify` show `body` and `details` only in outline.
 */
export declare class ZignSecError extends Error {
  constructor(message: string, props?: ZignSecErrorProps)
  /** The stable `ZIGNSEC_*` code of this kind of error. */
  readonly code: ZignSecErrorCode | string
  /** The HTTP status, when the gateway answered. */
  readonly status?: number
  /** The gateway's own error code, when its body carried one. */
  readonly gatewayCode?: string
  /**
   * The raw response body (capped at 8 KiB). Not enumerable, and shown by
   * `util.inspect` only as its size.
   */
  readonly body?: string
  /** The `x-request-id` response header. */
  readonly requestId?: string
  /** Requests made (0 when nothing was sent; for a wait timeout, the polls made). */
  readonly attempts: number
  /**
   * For sends: whether the request may have reached the gateway (an SMS may be on
   * its way). `undefined` for reads.
   */
  readonly maybeSent?: boolean
  /** The code of the class (`ZIGNSEC_*`). */
  static readonly code: string
}

/** Bad input, caught before anything was sent. */
export declare class ValidationError extends ZignSecError {
  /** The field at fault, in camelCase (`'to'`, `'maxMessageParts'`, `'sessionId'`). */
  readonly field?: string
}
/** No API key, an unusable base URL or another bad option. */
export declare class ConfigError extends ZignSecError {
  /** The option at fault (`'secret'`, `'digits'`, `'ttl'`, `'maxAttempts'`), when the core names it. */
  readonly field?: string
}
/** A non-2xx answer from the gateway; base of the status classes below. */
export declare class APIStatusError extends ZignSecError {}
/** HTTP 400. */
export declare class BadRequestError extends APIStatusError {}
/** HTTP 401: missing or wrong API key. */
export declare class AuthenticationError extends APIStatusError {}
/** HTTP 403. */
export declare class PermissionDeniedError extends APIStatusError {}
/** HTTP 404: unknown session. */
export declare class NotFoundError extends APIStatusError {}
/** HTTP 429. */
export declare class RateLimitError extends APIStatusError {
  /** Seconds the gateway asked to wait (`Retry-After`), when it said. */
  readonly retryAfter?: number
}
/** HTTP 5xx. */
export declare class ServerError extends APIStatusError {}
/** Connection refused or reset, DNS or TLS failure. */
export declare class APIConnectionError extends ZignSecError {}
/** The call's time (`timeoutMs`, retries included) ran out; a kind of connection error. */
export declare class APITimeoutError extends APIConnectionError {}
/** A 2xx body that is not the documented JSON (or over 1 MiB); a webhook body that is not an event. */
export declare class ResponseDecodeError extends ZignSecError {}
/** A `wait*` whose session is still not final. */
export declare class WaitTimeoutError extends ZignSecError {
  /**
   * The last details read, if any could be read. Not enumerable (it holds the
   * message text and the full number), and shown by `util.inspect` as
   * `{ id, status }` only.
   */
  readonly details?: SmsSessionDetails | PhoneSessionDetails | EmailSessionDetails
}
/** A webhook signature that is missing, malformed, wrong or stale. */
export declare class WebhookSignatureError extends ZignSecError {}
