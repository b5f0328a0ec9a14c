#!/usr/bin/env bash
# Build a C reliability program against the C binding's static library, with the C
# suite's helpers (json.c, mockhttp.c). Usage: c_build.sh OUT SOURCE [extra cc flags...]
# CC, LIBZIGNSEC (default: target/<host>/debug/libzignsec_c.a) may be overridden.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
target=${CARGO_BUILD_TARGET:-$(rustc -vV | sed -n 's/^host: //p')}
out=$1 src=$2
shift 2
lib=${LIBZIGNSEC:-$root/target/$target/debug/libzignsec_c.a}
t=$root/bindings-c/tests
mkdir -p "$(dirname "$out")"
${CC:-gcc} -std=c99 -Wall -Wextra -Werror -g "$@" -I"$root/include" -I"$t" -o "$out" \
  "$src" "$t/json.c" "$t/mockhttp.c" "$lib" -lpthread -ldl -lm
