#!/usr/bin/env bash
# Play tests/vectors/faults.json in every language whose binding is built, then
# assemble the report in target/reliability/RELIABILITY.md (report.py fails on any
# failed cell, any call past its timeout, and any duplicate send). The committed
# docs/RELIABILITY.md is refreshed only on purpose, by `make reliability-report`.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
export CARGO_BUILD_TARGET=${CARGO_BUILD_TARGET:-$(rustc -vV | sed -n 's/^host: //p')}
tdir=$root/target/$CARGO_BUILD_TARGET
out=$root/target/reliability
mkdir -p "$out"
rm -f "$out"/{rust,python,node,c}.json
# The suites' own mock, never a real gateway, whatever the caller's env says.
unset ZIGNSEC_API_KEY ZIGNSEC_BASE_URL ZIGNSEC_TIMEOUT ZIGNSEC_MAX_RETRIES ZIGNSEC_ENVIRONMENT ZIGNSEC_LOG
export ZIGNSEC_MOCK_BIN=$tdir/debug/zignsec-mock
langs=rust
status=0

# The matrices mostly wait (delays, timeouts), each against its own gateway: the
# languages play at once, and each one's output is shown when it ends.
pids=() names=()
play() { # play NAME CMD...: run in the background, output to $out/NAME-matrix.log
  local name=$1; shift
  echo "reliability: $name fault matrix"
  "$@" >"$out/$name-matrix.log" 2>&1 &
  pids+=($!) names+=("$name")
}
play rust cargo test -q -p zignsec --test fault_matrix

py=$root/.venv/bin/python
if [ -x "$py" ] && "$py" -c 'import zignsec' >/dev/null 2>&1; then
  play python bash -c 'cd bindings-python && "$0" -m pytest -q -p no:cacheprovider tests/test_reliability_faults.py' "$py"
  langs+=,python
else
  echo "reliability: python binding not built (.venv with zignsec): skipped"
fi

if [ -f bindings-node/binding.js ] && ls bindings-node/*.node >/dev/null 2>&1; then
  play node bash -c 'cd bindings-node && node --test --test-reporter=dot __test__/reliability_faults.test.mjs'
  langs+=,node
else
  echo "reliability: node binding not built: skipped"
fi

if [ -f bindings-c/tests/reliability_faults.c ] && [ -f include/zignsec.h ] && [ -f "$tdir/debug/libzignsec_c.a" ]; then
  echo "reliability: C fault matrix"
  jobs=${RELIABILITY_JOBS:-4}
  if scripts/reliability/c_build.sh "$out/reliability_faults" bindings-c/tests/reliability_faults.c; then
    shards=()
    for ((i = 0; i < jobs; i++)); do
      ZIGNSEC_MOCK_ONLY=1 scripts/with-mock.sh "$out/reliability_faults" tests/vectors/faults.json \
        "$out/c-shard$i.part" "$i/$jobs" >"$out/c-matrix$i.log" 2>&1 &
      shards+=($!)
    done
    for ((i = 0; i < jobs; i++)); do
      wait "${shards[$i]}" || { status=1; cat "$out/c-matrix$i.log"; }
    done
    python3 - "$out" "$jobs" <<'PY' || status=1
import json, sys
out, n = sys.argv[1], int(sys.argv[2])
parts = [json.load(open(f"{out}/c-shard{i}.part")) for i in range(n)]
doc = dict(parts[0])
doc["cells"] = [c for p in parts for c in p["cells"]]
json.dump(doc, open(f"{out}/c.json", "w"), indent=2)
print(f"C fault matrix: {len(doc['cells'])} cells, {sum(not c['pass'] for c in doc['cells'])} failed")
PY
  else
    status=1
  fi
  langs+=,c
else
  echo "reliability: C binding (or its reliability_faults.c) not built: skipped"
fi

for ((i = 0; i < ${#pids[@]}; i++)); do
  if wait "${pids[$i]}"; then
    echo "reliability: ${names[$i]} fault matrix played"
  else
    status=1
    echo "reliability: ${names[$i]} fault matrix FAILED:"
  fi
  cat "$out/${names[$i]}-matrix.log"
done

python3 scripts/reliability/report.py --require "$langs" --out "$out/RELIABILITY.md" || status=1
exit $status
