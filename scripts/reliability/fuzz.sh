#!/usr/bin/env bash
# Run each cargo-fuzz target for FUZZ_SECONDS (default 30); fail on any crash, leak,
# timeout or build failure. Logs: target/reliability/fuzz/<target>.log; crashing
# inputs: fuzz/artifacts/<target>/. Usage: scripts/reliability/fuzz.sh [TARGET...]
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
export CARGO_BUILD_TARGET=${CARGO_BUILD_TARGET:-$(rustc -vV | sed -n 's/^host: //p')}
secs=${FUZZ_SECONDS:-30}
logs=$root/target/reliability/fuzz
mkdir -p "$logs"
cd "$root/fuzz"
targets=("$@")
[ ${#targets[@]} -gt 0 ] || mapfile -t targets < <(cargo +nightly fuzz list)
cargo +nightly fuzz build -O >"$logs/build.log" 2>&1 || { tail -n 30 "$logs/build.log"; echo "fuzz: build failed"; exit 1; }
status=0
for t in "${targets[@]}"; do
  before=$(ls "artifacts/$t" 2>/dev/null | wc -l)
  cargo +nightly fuzz run -O "$t" -- -max_total_time="$secs" -max_len=8192 -rss_limit_mb=2048 \
    -timeout=10 -print_final_stats=1 >"$logs/$t.log" 2>&1
  rc=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$logs/$t.log" | tail -n 1)
  after=$(ls "artifacts/$t" 2>/dev/null | wc -l)
  if [ $rc -ne 0 ] || [ "$after" -gt "$before" ]; then
    echo "fuzz: $t FAILED (exit $rc): see $logs/$t.log and fuzz/artifacts/$t/"
    grep -E 'panicked|SUMMARY|Test unit written' "$logs/$t.log" | head -n 5
    status=1
  else
    echo "fuzz: $t ok: ${runs:-?} inputs in ${secs} s, no crash"
  fi
done
exit $status
