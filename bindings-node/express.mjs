// ESM entry point of `zignsec/express`: the same objects as the CommonJS `express.js`.
import zignsecExpress from './express.js'

export const { webhookMiddleware, PARSED_BODY_MESSAGE } = zignsecExpress

export default zignsecExpress
