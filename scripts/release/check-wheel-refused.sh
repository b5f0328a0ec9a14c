#!/usr/bin/env bash
# A CPython older than the wheel's floor must not take the wheel: pip refuses it as
# "not a supported wheel on this platform" (its tag, cp310-abi3, says so).
# Usage: scripts/release/check-wheel-refused.sh WHEEL PYTHON SCRATCH_DIR
set -euo pipefail
wheel=${1:?usage: check-wheel-refused.sh WHEEL PYTHON SCRATCH_DIR}
py=${2:?usage: check-wheel-refused.sh WHEEL PYTHON SCRATCH_DIR}
dir=${3:?usage: check-wheel-refused.sh WHEEL PYTHON SCRATCH_DIR}/too-old
rm -rf "$dir" && "$py" -m venv "$dir"
if "$dir/bin/pip" install -q --disable-pip-version-check --no-index "$wheel" 2>"$dir/pip.err"; then
  echo "check-wheel-refused: $(basename "$wheel") installed on $("$py" -V)" >&2
  exit 1
fi
grep -q "is not a supported wheel" "$dir/pip.err" || { cat "$dir/pip.err" >&2; exit 1; }
echo "check-wheel-refused: $("$py" -V) refuses $(basename "$wheel")"
rm -rf "$dir"
