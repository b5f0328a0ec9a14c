#!/usr/bin/env bash
# Run a command against a fresh offline gateway: starts `zignsec-mock --port 0`, exports
# ZIGNSEC_BASE_URL, ZIGNSEC_API_KEY, ZIGNSEC_MOCK_URL and ZIGNSEC_WEBHOOK_SECRET, runs
# the command, then stops the gateway. Usage: scripts/with-mock.sh CMD [ARGS...]
# Unless ZIGNSEC_API_KEY is already set and ZIGNSEC_MOCK_ONLY is unset, in which case
# the command runs against the real test gateway (the demo's "real" mode).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
target=${CARGO_BUILD_TARGET:-$(rustc -vV | sed -n 's/^host: //p')}
bin=${ZIGNSEC_MOCK_BIN:-$root/target/$target/debug/zignsec-mock}
if [ -n "${ZIGNSEC_MOCK_URL:-}" ]; then
  exec "$@"   # already inside a with-mock.sh run: share its gateway
fi
if [ -n "${ZIGNSEC_API_KEY:-}" ] && [ -z "${ZIGNSEC_MOCK_ONLY:-}" ]; then
  echo "with-mock: ZIGNSEC_API_KEY is set: running against the real test gateway" >&2
  exec "$@"
fi
[ -x "$bin" ] || (cd "$root" && cargo build -q -p zignsec-mock)
key=mock-demo-key
secret=${ZIGNSEC_WEBHOOK_SECRET:-mock-webhook-secret}
out=$(mktemp)
"$bin" --port 0 --api-key "$key" --webhook-secret "$secret" --sms-delivery-ms "${ZIGNSEC_MOCK_SMS_DELIVERY_MS:-300}" >"$out" &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -f "$out"' EXIT
for _ in $(seq 1 100); do
  line=$(head -n 1 "$out" 2>/dev/null || true)
  case "$line" in "listening on "*) break ;; esac
  sleep 0.05
done
url=${line#listening on }
[ -n "$url" ] && [ "$url" != "$line" ] || { echo "with-mock: the gateway did not start" >&2; exit 1; }
export ZIGNSEC_BASE_URL=$url ZIGNSEC_MOCK_URL=$url ZIGNSEC_API_KEY=$key ZIGNSEC_WEBHOOK_SECRET=$secret
"$@"
