#!/usr/bin/env bash
# The one abi3 wheel installs and passes tests/smoke.py on every CPython given, each in
# a fresh venv of its own, all at once (making a venv is most of the time, and each
# takes one core at most). Each one's output is shown when all are done.
# Usage: scripts/release/smoke-wheel.sh WHEEL SCRATCH_DIR PYTHON...
set -uo pipefail
wheel=${1:?usage: smoke-wheel.sh WHEEL SCRATCH_DIR PYTHON...}
scratch=${2:?usage: smoke-wheel.sh WHEEL SCRATCH_DIR PYTHON...}
shift 2
root=$(cd "$(dirname "$0")/../.." && pwd)
pids=() dirs=()
i=0
for py in "$@"; do
  dir=$scratch/smoke-$i
  i=$((i + 1))
  rm -rf "$dir"
  (
    "$py" -m venv "$dir/venv" \
      && "$dir/venv/bin/pip" install -q --disable-pip-version-check "$wheel" \
      && cd "$scratch" && "$dir/venv/bin/python" "$root/bindings-python/tests/smoke.py"
  ) >"$dir.log" 2>&1 &
  pids+=("$!") dirs+=("$dir")
done
failed=0
for k in "${!pids[@]}"; do
  wait "${pids[$k]}" || failed=1
  cat "${dirs[$k]}.log"
  rm -rf "${dirs[$k]}" "${dirs[$k]}.log"
done
[ "$failed" = 0 ] || { echo "smoke-wheel: $(basename "$wheel") failed on one of: $*" >&2; exit 1; }
