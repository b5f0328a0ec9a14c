'use strict'
// Loads the native binding through the generated loader (binding.js). The binary
// ships in one optional dependency per platform (zignsec-linux-x64-gnu, ...); when
// none loads, say which package is missing and how to get it, instead of the
// generated loader's generic message (the original error is kept as `cause`).

const SUPPORTED = [
  'linux-x64-gnu',
  'linux-x64-musl',
  'linux-arm64-gnu',
  'linux-arm64-musl',
  'darwin-x64',
  'darwin-arm64',
  'win32-x64-msvc',
]

function platformKey() {
  const { platform, arch } = process
  if (platform === 'linux') {
    let musl = false
    try {
      const report = process.report && process.report.getReport ? process.report.getReport() : null
      musl = !!report && !(report.header && report.header.glibcVersionRuntime)
    } catch {
      musl = false
    }
    return `${platform}-${arch}-${musl ? 'musl' : 'gnu'}`
  }
  if (platform === 'win32') return `${platform}-${arch}-msvc`
  return `${platform}-${arch}`
}

function missingBindingError(cause) {
  const key = platformKey()
  const pkg = `zignsec-${key}`
  const message = SUPPORTED.includes(key)
    ? `zignsec: the native binding for this platform (${key}) is in the package ${pkg}, ` +
      `which is not installed (or failed to load). npm installs it as an optional dependency ` +
      `of zignsec: run \`npm install --include=optional\` (or install ${pkg} yourself, same ` +
      `version as zignsec), and do not install with --omit=optional / --no-optional.`
    : `zignsec: this platform (${key}) is not supported: there is no package ${pkg}. ` +
      `Supported platforms: ${SUPPORTED.join(', ')}.`
  const error = new Error(message)
  error.code = 'ZIGNSEC_NATIVE_BINDING_MISSING'
  error.cause = cause
  return error
}

let native
try {
  native = require('./binding.js')
} catch (err) {
  if (err && typeof err.message === 'string' && err.message.startsWith('Cannot find native binding')) {
    throw missingBindingError(err)
  }
  throw err
}

module.exports = native
