#!/usr/bin/env bash
# Every workspace crate must compile the dependencies they share with one feature set
# (workspace-hack/Cargo.toml): a crate that asks for one more feature makes every
# other crate's build compile serde, tokio, hyper, reqwest and the core once more.
# Compares `cargo tree`'s resolved features per package across the builds `make test`
# runs (normal edges: proc-macros show the features their build shares with build
# scripts), and names each dependency whose features differ. The Python binding's
# serde_json (`preserve_order`) is the one difference allowed.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
tree() { # tree NAME ARGS...: "<package> <version> [<features>]" lines, sorted
  local name=$1; shift
  cargo tree -q "$@" -f '{p} [{f}]' --prefix none | sed 's/ (\*)$//; s/ (proc-macro)//; s/ (\/[^)]*)//' |
    grep -v '^zignsec' | sort -u >"$out/$name"
}
tree core-tests -p zignsec -e normal,dev
tree c -p zignsec-c -e normal
tree mock -p zignsec-mock -e normal
tree node -p zignsec-node -e normal
tree python -p zignsec-python -e normal
tree bench -p zignsec-bench -e normal
python3 - "$out" <<'PY'
import os, re, sys
out = sys.argv[1]
seen = {}
for build in sorted(os.listdir(out)):
    for line in open(os.path.join(out, build)):
        m = re.match(r"(\S+ v\S+) \[(.*)\]$", line.strip())
        if not m:
            sys.exit(f"check-workspace-features: cannot read {line.strip()!r} ({build})")
        seen.setdefault(m.group(1), {})[build] = m.group(2)
allowed = {("serde_json", "python")}
bad = []
for package, by_build in sorted(seen.items()):
    name = package.split()[0]
    sets = {f for b, f in by_build.items() if (name, b) not in allowed}
    if len(sets) > 1:
        bad.append(package + "".join(f"\n    {b}: [{f}]" for b, f in sorted(by_build.items())))
if bad:
    print("check-workspace-features: these dependencies get different features in different builds;")
    print("add the union to workspace-hack/Cargo.toml:")
    print("\n".join("  " + b for b in bad))
    sys.exit(1)
print(f"check-workspace-features: {len(seen)} dependencies, one feature set each")
PY
