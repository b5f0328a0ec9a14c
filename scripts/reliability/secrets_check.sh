#!/usr/bin/env bash
# The API key and one-time codes never show up in any output. Starts zignsec-mock with a canary key,
# exports it as ZIGNSEC_API_KEY with ZIGNSEC_LOG=debug, runs (capturing ALL stdout and
# stderr): the core's whole test suite with --nocapture (the fault matrix prints the
# Debug/Display of every client, builder and error it meets), the Rust quickstart
# against the canary mock, and each binding's probe when that binding is built
# (scripts/reliability/secrets_probe.{py,mjs}, bindings-c/tests/reliability_secrets.c).
# Fails on any sighting of the key (or of its distinctive middle) in any of it, or of
# any one-time code the probes' send_otp calls made the gateway send (read from the
# gateway's records afterwards; the SDK never returns, logs or puts a code in an error).
#
# Usage: scripts/reliability/secrets_check.sh   (from make test-secrets)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
export CARGO_BUILD_TARGET=${CARGO_BUILD_TARGET:-$(rustc -vV | sed -n 's/^host: //p')}
tdir=$root/target/$CARGO_BUILD_TARGET
out=$root/target/reliability/secrets
rm -rf "$out" && mkdir -p "$out"

# Built from pieces so that this script's own trace never holds it whole.
canary="zs_live_LEAK""CANARY_9f8e7d"
needle="LEAK""CANARY_9f8e7d"

sightings() { # sightings MASK GREP-OPTION... -- NEEDLE FILE...: print every line holding
  # NEEDLE (by grep -F and the options), NEEDLE shown as MASK; 1 if any
  local mask=$1 opts=() hit=0 f
  shift
  while [ "$1" != -- ]; do opts+=("$1"); shift; done
  local text=$2
  shift 2
  for f in "$@"; do
    if grep -q -F "${opts[@]}" -e "$text" "$f" 2>/dev/null; then
      hit=1
      grep -n -F "${opts[@]}" -e "$text" "$f" | head -n 5 | sed "s/$text/$mask/g; s|^|  $(basename "$f"):|" >&2
    fi
  done
  return $hit
}

scan() { # scan FILE...: every line holding the key's distinctive middle; 1 if any
  sightings '<KEY>' -- "$needle" "$@"
}

scan_codes() { # scan_codes CODES FILE...: every line holding one of the codes as a word; 1 if any
  local list=$1 hit=0 code
  shift
  while read -r code; do
    [ -n "$code" ] || continue
    sightings '<CODE>' -w -- "$code" "$@" || hit=1
  done <"$list"
  return $hit
}

# The scanner must see a planted key, or the check below proves nothing.
printf 'planted %s\n' "$canary" >"$out/selftest.log"
if scan "$out/selftest.log" 2>/dev/null; then
  echo "secrets_check: the scanner does not see a planted key" >&2
  exit 1
fi
printf '39517264\n' >"$out/selftest.list"
printf 'sent 39517264 as a word\n' >"$out/selftest.log"
if scan_codes "$out/selftest.list" "$out/selftest.log" 2>/dev/null; then
  echo "secrets_check: the scanner does not see a planted one-time code" >&2
  exit 1
fi
rm -f "$out/selftest.log" "$out/selftest.list"

cargo build -q -p zignsec-mock
"$tdir/debug/zignsec-mock" --port 0 --api-key "$canary" --sms-delivery-ms 100 >"$out/mock.log" 2>&1 &
mock_pid=$!
trap 'kill $mock_pid 2>/dev/null || true; wait $mock_pid 2>/dev/null || true' EXIT
url=
for _ in $(seq 1 200); do
  line=$(head -n 1 "$out/mock.log" 2>/dev/null || true)
  case "$line" in "listening on "*) url=${line#listening on }; break ;; esac
  sleep 0.05
done
[ -n "$url" ] || { echo "secrets_check: the mock did not start" >&2; exit 1; }

export ZIGNSEC_API_KEY=$canary ZIGNSEC_BASE_URL=$url ZIGNSEC_MOCK_URL=$url ZIGNSEC_LOG=debug
export ZIGNSEC_MOCK_ONLY=1 RUST_BACKTRACE=1
status=0
probes_ran=0
run() { # run [--lenient] NAME CMD...: capture everything; a failing command fails the check
  local lenient=
  if [ "$1" = --lenient ]; then lenient=1; shift; fi
  local name=$1; shift
  local t0=$SECONDS
  if "$@" >"$out/$name.log" 2>&1; then
    echo "secrets_check: $name ran ($((SECONDS - t0)) s, $(wc -l <"$out/$name.log") lines captured)"
    case $name in python | node | c) probes_ran=$((probes_ran + 1)) ;; esac
  elif [ -n "$lenient" ]; then
    # Its pass/fail is test-core's business; here only its output matters.
    echo "secrets_check: $name had failing tests (make test-core reports them); its output is still scanned" >&2
    grep -E -e '--- FAILED|^test .* FAILED' "$out/$name.log" | head -n 5 >&2 || true
  else
    echo "secrets_check: $name FAILED (exit $?); see $out/$name.log" >&2
    tail -n 20 "$out/$name.log" >&2
    status=1
  fi
}

# The suites that print clients, builders and errors of every kind (the fault matrix
# prints the Debug/Display of each); the rest of the core suite runs in test-core.
# They start their own gateways and mostly wait, so they run beside the probes below
# (which share the canary gateway, one after the other); `run --lenient` never
# changes the status, so running it in the background loses nothing.
run --lenient rust-core-suite cargo test -q -p zignsec --test fault_matrix --test secrets \
  --test deployment --test v5 --test otp --test client -- --nocapture &
core_suite=$!

py=$root/.venv/bin/python
if [ -x "$py" ] && "$py" -c 'import zignsec' >/dev/null 2>&1; then
  run python "$py" scripts/reliability/secrets_probe.py
else
  echo "secrets_check: python binding not built (.venv + zignsec): skipped"
fi
if [ -f bindings-node/binding.js ] && ls bindings-node/*.node >/dev/null 2>&1; then
  run node node scripts/reliability/secrets_probe.mjs
else
  echo "secrets_check: node binding not built: skipped"
fi
if [ -f include/zignsec.h ] && [ -f "$tdir/debug/libzignsec_c.a" ]; then
  run c-build scripts/reliability/c_build.sh "$out/reliability_secrets" bindings-c/tests/reliability_secrets.c
  if [ -x "$out/reliability_secrets" ]; then run c "$out/reliability_secrets"; fi
else
  echo "secrets_check: C binding not built: skipped"
fi

wait $core_suite
# Lenient about failing tests, not about a suite that did not run: the fault matrix
# must have printed its clients and errors (it builds them with the canary key).
if ! grep -q '^send.drop: builder=' "$out/rust-core-suite.log"; then
  echo "secrets_check: the core suite did not run the fault matrix; see $out/rust-core-suite.log" >&2
  status=1
fi
# After the suite: cargo holds the build directory while it runs.
run rust-quickstart cargo run -q -p zignsec --example quickstart
# The canary really was the key in use: the quickstart got past the mock's 401.
if ! grep -q . "$out/rust-quickstart.log"; then
  echo "secrets_check: the quickstart printed nothing" >&2; status=1
fi

# Every one-time code the canary gateway sent (the probes' `send_otp`s, template
# "Your sign-in code: {code}"), read from its records: the SDK never returns, logs or
# puts a code in an error, so no captured line may hold one (as a whole word; the codes
# have 8 digits, so no other number is taken for one).
python3 - "$url" >"$out/otp-codes.list" <<'PY'
import json, re, sys, urllib.request
url = sys.argv[1]
def get(path):
    with urllib.request.urlopen(url + path, timeout=10) as r:
        return json.load(r)
for s in get("/_mock/sessions")["sessions"]:
    if s["kind"] == "sms":
        message = get(f"/_mock/sessions/{s['id']}")["request"]["metadata"]["message"]
        hit = re.fullmatch(r"Your sign-in code: (\d{8})", message)
        if hit:
            print(hit.group(1))
PY
codes=$(sort -u "$out/otp-codes.list" | wc -l)
if [ "$codes" -lt "$probes_ran" ]; then
  echo "secrets_check: only $codes one-time code(s) sent for $probes_ran probe(s): a probe did not send one" >&2
  status=1
fi

kill $mock_pid 2>/dev/null || true
wait $mock_pid 2>/dev/null || true
trap - EXIT

logs=("$out"/*.log)
files=("${logs[@]}")
for f in "$root"/target/reliability/*.json; do
  [ -f "$f" ] && files+=("$f")
done
if ! scan "${files[@]}"; then
  echo "secrets_check: FAIL: the API key appeared in the output above (masked as <KEY>)" >&2
  exit 1
fi
if ! scan_codes "$out/otp-codes.list" "${files[@]}"; then
  echo "secrets_check: FAIL: a one-time code appeared in the output above (masked as <CODE>)" >&2
  exit 1
fi
[ $status -eq 0 ] || { echo "secrets_check: FAIL: a run failed" >&2; exit 1; }
echo "secrets_check: ok: key and $codes one-time code(s) never seen in $(cat "${logs[@]}" | wc -l) lines of output from ${#logs[@]} runs"
