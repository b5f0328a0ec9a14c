#!/usr/bin/env bash
# The C binding under AddressSanitizer: the Rust side (core + bindings-c) built by
# nightly with -Zsanitizer=address into its own target dir (target/asan, so the
# shared debug artifacts stay uninstrumented), the C suite (bindings-c/tests) and the
# C fault matrix compiled with -fsanitize=address, both run against the mock.
# Leak checking is on (detect_leaks=1): every object the library returns is freed.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
host=$(rustc -vV | sed -n 's/^host: //p')
export CARGO_BUILD_TARGET=${CARGO_BUILD_TARGET:-$host}
out=$root/target/reliability/asan
mkdir -p "$out"
rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal

echo "asan: building libzignsec_c with -Zsanitizer=address (nightly, target/asan)"
CARGO_TARGET_DIR=$root/target/asan RUSTFLAGS="-Zsanitizer=address -Cdebuginfo=1" \
  cargo +nightly build -q -p zignsec-c --target "$CARGO_BUILD_TARGET"
lib=$root/target/asan/$CARGO_BUILD_TARGET/debug/libzignsec_c.a
cargo build -q -p zignsec-mock

t=$root/bindings-c/tests
flags=(-fsanitize=address -fno-omit-frame-pointer)
echo "asan: building the C suite and the C fault matrix with -fsanitize=address"
${CC:-gcc} -std=c99 -Wall -Wextra -Werror -g "${flags[@]}" -I"$root/include" -o "$out/test_zignsec" \
  "$t/test_zignsec.c" "$t/json.c" "$t/mockhttp.c" "$lib" -lpthread -ldl -lm
LIBZIGNSEC=$lib scripts/reliability/c_build.sh "$out/reliability_faults" "$t/reliability_faults.c" "${flags[@]}"

${CC:-gcc} -std=c99 -Wall -Wextra -Werror -g "${flags[@]}" -I"$root/include" -o "$out/asan_selftest" \
  "$t/reliability_asan_selftest.c" "$lib" -lpthread -ldl -lm

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:halt_on_error=1:exitcode=23:strict_string_checks=1:detect_stack_use_after_return=1
# The C suite forks nothing, but the mock must not run under ASan's preload.
run() {
  env -u ZIGNSEC_API_KEY -u ZIGNSEC_BASE_URL -u ZIGNSEC_TIMEOUT -u ZIGNSEC_MAX_RETRIES -u ZIGNSEC_LOG \
    ZIGNSEC_MOCK_ONLY=1 RUST_BACKTRACE=0 scripts/with-mock.sh "$@"
}
# The negative control: a use-after-free of memory the Rust side allocated and freed
# must be reported, or this whole run proves nothing.
if "$out/asan_selftest" >"$out/selftest.out" 2>&1 || ! grep -q "heap-use-after-free" "$out/selftest.out"; then
  cat "$out/selftest.out"; echo "asan: the sanitizer did not catch a planted use-after-free"; exit 1
fi
echo "asan: planted use-after-free caught (the instrumentation works)"
rm -f "$out/selftest.out"
echo "asan: C suite"
run "$out/test_zignsec" "$root/tests/vectors" >"$out/test_zignsec.log" 2>&1 || { tail -n 60 "$out/test_zignsec.log"; echo "asan: C suite FAILED"; exit 1; }
tail -n 2 "$out/test_zignsec.log"
echo "asan: C fault matrix"
run "$out/reliability_faults" tests/vectors/faults.json "$out/c-asan.json" >"$out/reliability_faults.log" 2>&1 || { tail -n 60 "$out/reliability_faults.log"; echo "asan: C fault matrix FAILED"; exit 1; }
tail -n 1 "$out/reliability_faults.log"
if grep -q "ERROR: AddressSanitizer\|ERROR: LeakSanitizer" "$out"/*.log; then
  echo "asan: sanitizer reports in $out"; exit 1
fi
echo "asan: clean (no AddressSanitizer or LeakSanitizer report)"
