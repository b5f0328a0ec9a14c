#!/usr/bin/env bash
# Checks what goes to PyPI: exactly one abi3 wheel per platform in WHEEL_DIR, Linux
# wheels manylinux-compliant no newer than manylinux_2_28 (auditwheel show), complete
# metadata (summary, readme, license expression with the license texts as License-File,
# project URLs, classifiers with Typing :: Typed), `twine check --strict` on the wheel
# and the sdist, and an sdist that carries the workspace's path dependencies.
# Usage: scripts/release/check-python-dist.sh WHEEL_DIR [SDIST] (tools from PATH:
# auditwheel, twine; run by make release-check and make wheel).
set -euo pipefail
wheel_dir=${1:?usage: check-python-dist.sh WHEEL_DIR [SDIST]}
sdist=${2:-}
max_glibc_minor=${MANYLINUX_MAX_MINOR:-28}
shopt -s nullglob
wheels=("$wheel_dir"/zignsec-*.whl)
[ "${#wheels[@]}" -eq 1 ] || { echo "check-python-dist: want one wheel in $wheel_dir, found ${#wheels[@]}" >&2; exit 1; }
wheel=${wheels[0]}
case "$(basename "$wheel")" in
  *-cp310-abi3-*) ;;
  *) echo "check-python-dist: $(basename "$wheel") is not a cp310-abi3 wheel" >&2; exit 1 ;;
esac
case "$(basename "$wheel")" in
  *linux*)
    report=$(auditwheel show "$wheel")
    echo "$report" | sed -n '1,5p'
    tag=$(echo "$report" | tr -s ' \n' ' ' | sed -n 's/.*platform tag: "\([a-z]*linux_[0-9]*_[0-9]*_[a-z0-9_]*\)".*/\1/p')
    case "$tag" in
      musllinux_1_*) echo "auditwheel: $tag" ;;
      *)
        minor=$(echo "$tag" | sed -n 's/^manylinux_2_\([0-9]*\)_.*/\1/p')
        [ -n "$minor" ] && [ "$minor" -le "$max_glibc_minor" ] \
          || { echo "check-python-dist: auditwheel says '$tag', want manylinux_2_$max_glibc_minor or older" >&2; exit 1; }
        echo "auditwheel: $tag (no newer than manylinux_2_$max_glibc_minor)" ;;
    esac ;;
esac
python3 - "$wheel" "$sdist" <<'PY'
import sys, tarfile, zipfile
from email.parser import Parser
wheel, sdist = sys.argv[1], sys.argv[2]
errors = []
with zipfile.ZipFile(wheel) as z:
    names = z.namelist()
    meta_name = next(n for n in names if n.endswith(".dist-info/METADATA"))
    meta = Parser().parsestr(z.read(meta_name).decode())
    info = meta_name.rsplit("/", 1)[0]
    if "zignsec/py.typed" not in names:
        errors.append("no zignsec/py.typed in the wheel")
    if not any(n.startswith("zignsec/_zignsec") and (n.endswith(".so") or n.endswith(".pyd")) for n in names):
        errors.append("no native module zignsec/_zignsec in the wheel")
    for lic in ("LICENSE-MIT", "LICENSE-APACHE"):
        if lic not in meta.get_all("License-File", []):
            errors.append(f"METADATA: no License-File: {lic}")
        if not any(n.startswith(info + "/licenses/") and n.endswith(lic) for n in names):
            errors.append(f"the wheel does not ship {lic} under {info}/licenses/")
for field in ("Summary", "Requires-Python", "Description-Content-Type"):
    if not meta.get(field):
        errors.append(f"METADATA: no {field}")
if not (meta.get("License-Expression") or meta.get("License")):
    errors.append("METADATA: no License-Expression")
if len((meta.get_payload() or meta.get("Description") or "").strip()) < 200:
    errors.append("METADATA: the readme is missing or too short")
urls = meta.get_all("Project-URL", [])
if len(urls) < 2:
    errors.append(f"METADATA: {len(urls)} Project-URL, want at least 2")
classifiers = meta.get_all("Classifier", [])
if "Typing :: Typed" not in classifiers:
    errors.append("METADATA: no 'Typing :: Typed' classifier")
print(f"metadata: {meta['Name']} {meta['Version']}, {meta.get('License-Expression')}, "
      f"{len(urls)} project URLs, {len(classifiers)} classifiers, License-File {meta.get_all('License-File')}")
if sdist:
    with tarfile.open(sdist) as t:
        names = {n.split("/", 1)[1] for n in t.getnames() if "/" in n}
    for need in ("Cargo.toml", "Cargo.lock", "pyproject.toml", "PKG-INFO", "core/Cargo.toml", "core/src/lib.rs",
                 "bindings-python/Cargo.toml", "bindings-python/src/lib.rs", "python/zignsec/py.typed",
                 "python/zignsec/_zignsec.pyi", "LICENSE-MIT", "LICENSE-APACHE"):
        if need not in names:
            errors.append(f"sdist: no {need}")
    print(f"sdist: {len(names)} files, the workspace's path dependencies (core/) included")
if errors:
    print("\n".join(f"check-python-dist: {e}" for e in errors), file=sys.stderr)
    sys.exit(1)
PY
twine check --strict "$wheel" ${sdist:+"$sdist"}
