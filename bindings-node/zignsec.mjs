// ESM entry point of `zignsec`: the same objects as the CommonJS `zignsec.js`.
import zignsec from './zignsec.js'

export const {
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
} = zignsec

export default zignsec
