#!/usr/bin/env bash
# One version: the workspace's ([workspace.package] version in the root Cargo.toml).
# Fails when anything that carries a version disagrees with it: the crates (all take
# version.workspace), the workspace's own path dependencies, Cargo.lock, pyproject.toml
# (dynamic: maturin reads Cargo), the npm main package, its optionalDependencies and
# every platform package under bindings-node/npm/, the generated loader's expected
# version, the header's version macro, the pkg-config and CMake templates (filled in
# from Cargo.toml at install time), and CHANGELOG.md (an entry for the version and an
# Unreleased section). It also checks the license copies the packages ship are the
# root's. Usage: scripts/release/check-version.sh (run by make release-check).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
exec python3 - "$root" <<'PY'
import json, pathlib, re, sys, tomllib

root = pathlib.Path(sys.argv[1])
errors, notes = [], []
def bad(msg): errors.append(msg)

cargo = tomllib.loads((root / "Cargo.toml").read_text())
version = cargo["workspace"]["package"]["version"]
if not re.fullmatch(r"\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?", version):
    bad(f"Cargo.toml: workspace version {version!r} is not semver")

# Crates: every member takes the workspace version.
for member in cargo["workspace"]["members"]:
    manifest = root / member / "Cargo.toml"
    if not manifest.exists():
        continue
    pkg = tomllib.loads(manifest.read_text()).get("package", {})
    v = pkg.get("version")
    if v != {"workspace": True}:
        bad(f"{member}/Cargo.toml: version is {v!r}, not version.workspace = true")
for name, dep in cargo["workspace"].get("dependencies", {}).items():
    if isinstance(dep, dict) and "path" in dep and dep.get("version") not in (None, version, f"={version}"):
        bad(f"Cargo.toml: [workspace.dependencies] {name} has version {dep['version']!r}, the workspace is {version}")
lock = tomllib.loads((root / "Cargo.lock").read_text())
ours = {"zignsec", "zignsec-mock", "zignsec-c", "zignsec-node", "zignsec-python"}
for p in lock.get("package", []):
    if p["name"] in ours and "source" not in p and p["version"] != version:
        bad(f"Cargo.lock: {p['name']} {p['version']} (run cargo update -w)")

# Python: the version is dynamic (maturin takes it from Cargo).
py = tomllib.loads((root / "bindings-python/pyproject.toml").read_text())["project"]
if "version" in py or "version" not in py.get("dynamic", []):
    bad("bindings-python/pyproject.toml: [project] must say dynamic = [\"version\"] and no version")

# Node: the main package, its optional dependencies, the platform packages, the loader.
node = root / "bindings-node"
main = json.loads((node / "package.json").read_text())
if main["version"] != version:
    bad(f"bindings-node/package.json: version {main['version']}")
opt = main.get("optionalDependencies", {})
dirs = sorted(p.name for p in (node / "npm").iterdir() if (p / "package.json").exists())
if sorted(k.removeprefix("zignsec-") for k in opt) != dirs:
    bad(f"bindings-node/package.json: optionalDependencies {sorted(opt)} do not match npm/ {dirs}")
for k, v in opt.items():
    if v != version:
        bad(f"bindings-node/package.json: optionalDependencies {k} is {v}")
if len(main.get("napi", {}).get("targets", [])) != len(dirs):
    bad(f"bindings-node/package.json: {len(main['napi']['targets'])} napi targets but {len(dirs)} npm/ packages")
for d in dirs:
    pj = json.loads((node / "npm" / d / "package.json").read_text())
    if pj["name"] != f"zignsec-{d}":
        bad(f"bindings-node/npm/{d}/package.json: name {pj['name']}")
    if pj["version"] != version:
        bad(f"bindings-node/npm/{d}/package.json: version {pj['version']}")
    for field in ("os", "cpu"):
        if not pj.get(field):
            bad(f"bindings-node/npm/{d}/package.json: no {field}")
    if d.startswith("linux-") and pj.get("libc") != [d.rsplit("-", 1)[1].replace("gnu", "glibc")]:
        bad(f"bindings-node/npm/{d}/package.json: libc {pj.get('libc')}")
    if pj.get("main") != f"zignsec.{d}.node" or pj.get("files") != [f"zignsec.{d}.node"]:
        bad(f"bindings-node/npm/{d}/package.json: main/files must be zignsec.{d}.node only")
loader = sorted(set(re.findall(r"bindingPackageVersion !== '([^']+)'", (node / "binding.js").read_text())))
if loader != [version]:
    bad(f"bindings-node/binding.js: the loader expects {loader} (rebuild with napi and commit)")

# C: the header's macro (when there is one), the pkg-config and CMake templates.
header = (root / "include/zignsec.h").read_text()
macro = re.search(r'#define\s+(ZS_VERSION(?:_STRING)?|ZIGNSEC_VERSION(?:_STRING)?)\s+"([^"]+)"', header)
if macro:
    if macro.group(2) != version:
        bad(f"include/zignsec.h: {macro.group(1)} is {macro.group(2)}")
    for part, n in (("MAJOR", 0), ("MINOR", 1), ("PATCH", 2)):
        m = re.search(rf"#define\s+(?:ZS|ZIGNSEC)_VERSION_{part}\s+(\d+)", header)
        if m and m.group(1) != version.split("-")[0].split(".")[n]:
            bad(f"include/zignsec.h: VERSION_{part} is {m.group(1)}")
else:
    notes.append("include/zignsec.h has no version macro (ZS_VERSION); only zs_version() tells")
pc = (root / "bindings-c/zignsec.pc.in").read_text()
if not re.search(r"^Version: @VERSION@$", pc, re.M):
    bad("bindings-c/zignsec.pc.in: Version must be @VERSION@ (filled in from Cargo.toml)")
for f in ("zignsecConfig.cmake.in", "zignsecConfigVersion.cmake.in"):
    text = (root / "bindings-c/cmake" / f).read_text()
    if "@VERSION@" not in text or re.search(r'"\d+\.\d+\.\d+"', text):
        bad(f"bindings-c/cmake/{f}: the version must come from @VERSION@ only")

# CHANGELOG.md: this version's entry and an Unreleased section.
changelog = (root / "CHANGELOG.md").read_text() if (root / "CHANGELOG.md").exists() else ""
if not re.search(rf"^## \[{re.escape(version)}\]", changelog, re.M):
    bad(f"CHANGELOG.md: no '## [{version}]' entry")
if not re.search(r"^## \[Unreleased\]", changelog, re.M):
    bad("CHANGELOG.md: no '## [Unreleased]' section")

# The license texts the packages ship are the root's.
for d in ("bindings-python", "bindings-node"):
    for f in ("LICENSE-MIT", "LICENSE-APACHE"):
        if not (root / d / f).exists() or (root / d / f).read_bytes() != (root / f).read_bytes():
            bad(f"{d}/{f} differs from the root's {f} (copy it)")

for n in notes:
    print(f"check-version: note: {n}")
if errors:
    for e in errors:
        print(f"check-version: {e}", file=sys.stderr)
    print(f"check-version: {len(errors)} place(s) disagree with the workspace version {version}", file=sys.stderr)
    sys.exit(1)
print(f"check-version: every package, manifest and template says {version}")
PY
