#!/bin/sh
# The C header flow: bindings-c/build.rs generates zignsec.h into its OUT_DIR
# (cbindgen pinned in bindings-c/Cargo.toml); this script finds it from cargo's
# build messages and copies it to <out>/zignsec.h.
#   scripts/c-header.sh <out>           copy it, then update include/zignsec.h
#   scripts/c-header.sh --check <out>   copy it, then diff against include/zignsec.h
#                                       and fail when they differ (never writes
#                                       the tracked file)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
check=0
if [ "${1:-}" = "--check" ]; then check=1; shift; fi
out=${1:?usage: c-header.sh [--check] <out dir>}
gen_dir=$(cd "$root" && cargo build -p zignsec-c --message-format=json-render-diagnostics \
  | grep '"reason":"build-script-executed"' | grep 'zignsec-c@' \
  | sed -n 's/.*"out_dir":"\([^"]*\)".*/\1/p' | tail -n 1)
if [ -z "$gen_dir" ] || [ ! -f "$gen_dir/zignsec.h" ]; then
  echo "c-header: cargo reported no zignsec.h for zignsec-c" >&2; exit 1
fi
mkdir -p "$out"
cp "$gen_dir/zignsec.h" "$out/zignsec.h"
if [ "$check" = 1 ]; then
  if ! diff -u "$root/include/zignsec.h" "$out/zignsec.h"; then
    echo "include/zignsec.h is stale: run \`make c-header\` and commit it" >&2
    exit 1
  fi
else
  cp "$out/zignsec.h" "$root/include/zignsec.h"
  echo "include/zignsec.h: regenerated"
fi
