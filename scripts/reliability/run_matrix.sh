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

echo "reliability: rust fault matrix"
cargo test -q -p zignsec --test fault_matrix || status=1

py=$root/.venv/bin/python
if [ -x "$py" ] && "$py" -c 'import zignsec' >/dev/null 2>&1; then
  echo "reliability: python fault matrix"
  (cd bindings-python && "$py" -m pytest -q -p no:cacheprovider tests/test_reliability_faults.py) || status=1
  langs+=,python
else
  echo "reliability: python binding not built (.venv with zignsec): skipped"
fi

if [ -f bindings-node/binding.js ] && ls bindings-node/*.node >/dev/null 2>&1; then
  echo "reliability: node fault matrix"
  (cd bindings-node && node --test --test-reporter=dot __test__/reliability_faults.test.mjs) || status=1
  langs+=,node
else
  echo "reliability: node binding not built: skipped"
fi

if [ -f bindings-c/tests/reliability_faults.c ] && [ -f include/zignsec.h ] && [ -f "$tdir/debug/libzignsec_c.a" ]; then
  echo "reliability: C fault matrix"
  jobs=${RELIABILITY_JOBS:-4}
  if scripts/reliability/c_build.sh "$out/reliability_faults" bindings-c/tests/reliability_faults.c; then
    pids=()
    for ((i = 0; i < jobs; i++)); do
      ZIGNSEC_MOCK_ONLY=1 scripts/with-mock.sh "$out/reliability_faults" tests/vectors/faults.json \
        "$out/c-shard$i.part" "$i/$jobs" >"$out/c-matrix$i.log" 2>&1 &
      pids+=($!)
    done
    for ((i = 0; i < jobs; i++)); do
      wait "${pids[$i]}" || { status=1; cat "$out/c-matrix$i.log"; }
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

python3 scripts/reliability/report.py --require "$langs" --out "$out/RELIABILITY.md" || status=1
exit $status
