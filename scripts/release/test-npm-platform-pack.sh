#!/usr/bin/env bash
# The npm layout as users get it: the main package `zignsec` (JavaScript, typings, no
# .node) and one platform package per target (zignsec-<platform>, one .node each).
# Packs the main package and this machine's platform package with npm-pack.sh (the
# .node that bindings-node/ holds, debug info stripped), then:
#   1. installs both into a fresh project: require() and import work against the
#      offline gateway, and `tsc --noEmit` resolves the typings;
#   2. installs the main package alone: loading it fails with the error that names the
#      missing package and the fix.
# Usage: scripts/release/test-npm-platform-pack.sh [PLATFORM] (default linux-x64-gnu).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
platform=${1:-linux-x64-gnu}
node_dir=$root/bindings-node
binary=$node_dir/zignsec.$platform.node
[ -f "$binary" ] || { echo "test-npm-platform-pack: no $binary (make build-node)" >&2; exit 1; }
mkdir -p "$root/target"
tmp=$(mktemp -d "$root/target/npm-pack-test.XXXXXX"); trap 'rm -rf "$tmp"' EXIT
npm_install() { npm install --no-audit --no-fund --loglevel=error --prefer-offline "$@"; }

mkdir "$tmp/artifacts" && ln -s "$binary" "$tmp/artifacts/"
"$root/scripts/release/npm-pack.sh" "$tmp/artifacts" "$tmp" > "$tmp/packed.txt"
main_tgz=$(sed -n 1p "$tmp/packed.txt"); plat_tgz=$(sed -n 2p "$tmp/packed.txt")
echo "packed $main_tgz ($(du -k "$tmp/$main_tgz" | cut -f1) KiB) and $plat_tgz ($(du -k "$tmp/$plat_tgz" | cut -f1) KiB)"

mock="env ZIGNSEC_MOCK_ONLY=1 ZIGNSEC_API_KEY= $root/scripts/with-mock.sh"

echo "== both packages in a fresh project"
mkdir "$tmp/app" && cd "$tmp/app" && npm init -y >/dev/null
npm_install "$tmp/$main_tgz" "$tmp/$plat_tgz"
cp "$node_dir/__test__/pack-smoke.cjs" "$node_dir/__test__/pack-smoke.mjs" .
$mock node pack-smoke.cjs
$mock node pack-smoke.mjs
cat > check.ts <<'TS'
import { Client, Otp, ValidationError, normalizePhone, smsParts, verifyWebhook, type EmailSessionDetails } from 'zignsec'
const parts: number = smsParts('Your code is 12345').parts
const e164: string = normalizePhone('070-123 45 67', { defaultRegion: 'SE' })
const digits: number = new Otp({ secret: 'a-secret-of-16-bytes' }).digits
const email = (d: EmailSessionDetails): string => d.request.emailAddress
const client: Client = new Client({ apiKey: 'k', baseUrl: 'http://127.0.0.1:9' })
const isError: boolean = new ValidationError('x') instanceof Error
export { parts, e164, digits, email, client, isError, verifyWebhook }
TS
cat > tsconfig.json <<JSON
{ "compilerOptions": { "strict": true, "noEmit": true, "target": "es2022", "module": "nodenext",
  "moduleResolution": "nodenext", "types": ["node"], "typeRoots": ["$node_dir/node_modules/@types"] },
  "files": ["check.ts"] }
JSON
"$node_dir/node_modules/.bin/tsc" -p tsconfig.json && echo "tsc --noEmit: the typings resolve from node_modules/zignsec"

echo "== the main package alone"
mkdir "$tmp/bare" && cd "$tmp/bare" && npm init -y >/dev/null
npm_install "$tmp/$main_tgz"
[ ! -e "node_modules/zignsec-$platform" ] || { echo "test-npm-platform-pack: zignsec-$platform came from somewhere" >&2; exit 1; }
for entry in "require('zignsec')" "import('zignsec')"; do
  if node -e "Promise.resolve($entry).then(() => process.exit(3))" 2>"$tmp/err.txt"; then :; fi
  msg=$(cat "$tmp/err.txt")
  grep -q "zignsec-$platform" <<<"$msg" && grep -q -- '--include=optional' <<<"$msg" \
    || { echo "test-npm-platform-pack: $entry without zignsec-$platform did not fail as documented:" >&2; echo "$msg" >&2; exit 1; }
done
grep -m1 '^Error: ' "$tmp/err.txt" || grep -m1 'zignsec:' "$tmp/err.txt"
echo "test-npm-platform-pack: $main_tgz + $plat_tgz install and work; $main_tgz alone fails with the fix"
