#!/usr/bin/env bash
# Release builds of everything bench/run.py measures, into $BENCH_OUT
# (target/<triple>/bench). The gateway, the Rust bench and the C peer must build;
# each binding is optional: when it does not build (yet), the report says
# "not measured: binding not built" for it. Run through `make bench-build`.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
: "${CARGO_BUILD_TARGET:=$(rustc -vV | sed -n 's/^host: //p')}"
export CARGO_BUILD_TARGET
target=$root/target/$CARGO_BUILD_TARGET
out=$(realpath -m "${BENCH_OUT:-$target/bench}")
venv=$out/venv
mkdir -p "$out/c" "$out/node/node_modules" "$out/wheels"
note() { echo "bench-build: $*" >&2; }

started=$(date +%s)
# One cargo invocation for every Rust artefact but the wheel: one feature
# resolution, so shared dependencies compile once (maturin builds the wheel's own).
crates=(-p zignsec-mock -p zignsec-bench)
[ "${BENCH_SKIP_NODE:-}" = 1 ] || crates+=(-p zignsec-node)
[ "${BENCH_SKIP_C:-}" = 1 ] || crates+=(-p zignsec-c)
if ! cargo build -q --release "${crates[@]}" >"$out/cargo-build.log" 2>&1; then
  note "the combined build failed (see $out/cargo-build.log); building the gateway and the core bench alone"
  cargo build -q --release -p zignsec-mock -p zignsec-bench || exit 1
fi
gcc -O2 -Wall -Wextra -o "$out/c/bench" "$root/bench/c/bench.c" -lcurl -lcjson -lpthread || exit 1

# Python: a release wheel, installed into the bench venv.
if [ "${BENCH_SKIP_PYTHON:-}" != 1 ]; then
  rm -f "$out/wheels"/zignsec-*.whl
  if (cd "$root/bindings-python" && "$venv/bin/maturin" build -q --release -m Cargo.toml \
        -i "$venv/bin/python" -o "$out/wheels") >"$out/python-build.log" 2>&1 \
     && "$venv/bin/pip" install -q --disable-pip-version-check --force-reinstall --no-deps \
        "$out"/wheels/zignsec-*.whl >>"$out/python-build.log" 2>&1; then
    note "python: wheel $(basename "$out"/wheels/zignsec-*.whl) installed in the bench venv"
  else
    "$venv/bin/pip" uninstall -q -y zignsec >/dev/null 2>&1
    note "python binding not built (see $out/python-build.log)"
  fi
fi

# Node: the release addon next to a copy of the package's JS files, so that
# require('zignsec') from $out/node loads the release build.
if [ "${BENCH_SKIP_NODE:-}" != 1 ]; then
  pkg=$out/node/node_modules/zignsec
  rm -rf "$pkg"
  if { cargo build -q --release "${crates[@]}" || cargo build -q --release -p zignsec-node; } >"$out/node-build.log" 2>&1 \
     && [ -f "$root/bindings-node/package.json" ] && ls "$root"/bindings-node/*.js >/dev/null 2>&1; then
    mkdir -p "$pkg"
    cp "$root"/bindings-node/package.json "$pkg/"
    for f in "$root"/bindings-node/*.js "$root"/bindings-node/*.cjs "$root"/bindings-node/*.mjs "$root"/bindings-node/*.d.ts; do
      [ -f "$f" ] && cp "$f" "$pkg/"
    done
    [ -d "$root/bindings-node/lib" ] && cp -r "$root/bindings-node/lib" "$pkg/"
    bin=$(node -p "(require('$root/bindings-node/package.json').napi||{}).binaryName||'zignsec'")
    cp "$target/release/libzignsec_node.so" "$pkg/$bin.linux-x64-gnu.node"
    note "node: release addon $bin.linux-x64-gnu.node"
  else
    note "node binding not built (see $out/node-build.log)"
  fi
fi

# C: the release libzignsec.so / .a and the header; the bench linked against them.
if [ "${BENCH_SKIP_C:-}" != 1 ]; then
  rm -f "$out/c/bench-zignsec" "$out/c"/libzignsec.*
  if { cargo build -q --release "${crates[@]}" || cargo build -q --release -p zignsec-c; } >"$out/c-build.log" 2>&1 \
     && [ -f "$root/include/zignsec.h" ] && [ -f "$target/release/libzignsec_c.so" ]; then
    cp "$target/release/libzignsec_c.so" "$out/c/libzignsec.so"
    cp "$target/release/libzignsec_c.a" "$out/c/libzignsec.a"
    ln -sf libzignsec.so "$out/c/libzignsec.so.0"
    if gcc -O2 -Wall -Wextra -DHAVE_ZIGNSEC -I"$root/include" -o "$out/c/bench-zignsec" "$root/bench/c/bench.c" \
         -L"$out/c" -lzignsec -Wl,-rpath,"$out/c" -lcurl -lcjson -lpthread >>"$out/c-build.log" 2>&1; then
      note "c: bench-zignsec linked against the release libzignsec.so"
    else
      note "C binding bench did not compile (see $out/c-build.log)"
    fi
  else
    note "C binding not built (see $out/c-build.log)"
  fi
fi
echo $(( $(date +%s) - started )) >"$out/build-seconds"
note "built in $(cat "$out/build-seconds") s"
exit 0
