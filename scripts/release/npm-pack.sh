#!/usr/bin/env bash
# Packs the npm packages: the main package `zignsec` (bindings-node/: JavaScript,
# typings, no .node) and one platform package per zignsec.<platform>.node found in
# ARTIFACT_DIR (from bindings-node/npm/<platform>/package.json, staged under OUT_DIR,
# the .node stripped on Linux). Writes the tarballs to OUT_DIR and prints
# their names. Usage: scripts/release/npm-pack.sh ARTIFACT_DIR OUT_DIR
# Run by make npm-release (this machine's platform), by the release workflow (every
# platform's artifact) and by test-npm-platform-pack.sh.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
artifacts=$(cd "${1:?usage: npm-pack.sh ARTIFACT_DIR OUT_DIR}" && pwd)
mkdir -p "${2:?usage: npm-pack.sh ARTIFACT_DIR OUT_DIR}" && out=$(cd "$2" && pwd)
node_dir=$root/bindings-node

main_tgz=$(cd "$node_dir" && npm pack --silent --pack-destination "$out" | tail -n 1)
# Listings are read whole before grep: `tar | grep -q` under pipefail fails at random
# when grep exits at its first match and tar then gets SIGPIPE.
main_listing=$(tar -tzf "$out/$main_tgz")
if grep -q '\.node$' <<<"$main_listing"; then
  echo "npm-pack: $main_tgz ships a .node" >&2; exit 1
fi
echo "$main_tgz"
found=0
for binary in "$artifacts"/zignsec.*.node; do
  [ -e "$binary" ] || continue
  platform=$(basename "$binary" .node); platform=${platform#zignsec.}
  [ -f "$node_dir/npm/$platform/package.json" ] \
    || { echo "npm-pack: $binary: no bindings-node/npm/$platform/package.json" >&2; exit 1; }
  stage=$out/stage/$platform && rm -rf "$stage" && mkdir -p "$stage"
  cp "$node_dir/npm/$platform/package.json" "$node_dir/npm/$platform/README.md" \
    "$root/LICENSE-MIT" "$root/LICENSE-APACHE" "$stage/"
  cp "$binary" "$stage/"
  case "$platform" in linux-*) command -v strip >/dev/null && strip --strip-unneeded "$stage/zignsec.$platform.node" || true ;; esac
  tgz=$(cd "$stage" && npm pack --silent --pack-destination "$out" | tail -n 1)
  listing=$(tar -tzf "$out/$tgz")
  for f in "zignsec.$platform.node" LICENSE-MIT LICENSE-APACHE; do
    grep -qx "package/$f" <<<"$listing" || { echo "npm-pack: $tgz has no $f" >&2; exit 1; }
  done
  rm -rf "$stage"
  echo "$tgz"; found=$((found + 1))
done
rmdir "$out/stage" 2>/dev/null || true
[ "$found" -gt 0 ] || { echo "npm-pack: no zignsec.<platform>.node in $artifacts" >&2; exit 1; }
