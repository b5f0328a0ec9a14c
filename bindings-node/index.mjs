// ESM entry point of `zignsec`: the same objects as the CommonJS `index.js`.
import zignsec from './index.js'

export const {
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
} = zignsec

export default zignsec
