#!/usr/bin/env bash
# Checks a C release archive the way a user takes it: SHA256SUMS matches, it unpacks
# into a fresh prefix, and examples/c/quickstart.c builds against it with CMake
# (find_package, shared and static targets) and with pkg-config, then runs against the
# offline gateway. Usage: scripts/release/test-c-dist.sh ARCHIVE (Linux; run by make test-dist).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
archive=$(cd "$(dirname "${1:?usage: test-c-dist.sh ARCHIVE}")" && pwd)/$(basename "$1")
dir=$(dirname "$archive")
(cd "$dir" && grep "  $(basename "$archive")\$" SHA256SUMS | sha256sum -c --quiet -) \
  || { echo "test-c-dist: $(basename "$archive") does not match SHA256SUMS" >&2; exit 1; }
tmp=$(mktemp -d "$root/target/c-dist-test.XXXXXX"); trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/prefix" && tar -xzf "$archive" -C "$tmp/prefix" --strip-components=1
for f in include/zignsec.h lib/libzignsec.so.0 lib/libzignsec.a lib/pkgconfig/zignsec.pc \
    lib/cmake/zignsec/zignsecConfig.cmake lib/cmake/zignsec/zignsecConfigVersion.cmake LICENSE-MIT LICENSE-APACHE README.md; do
  [ -e "$tmp/prefix/$f" ] || { echo "test-c-dist: $f is not in the archive" >&2; exit 1; }
done
mock="env -u ZIGNSEC_TIMEOUT -u ZIGNSEC_MAX_RETRIES -u ZIGNSEC_ENVIRONMENT -u ZIGNSEC_LOG ZIGNSEC_MOCK_ONLY=1 RUST_BACKTRACE=0 $root/scripts/with-mock.sh"

echo "== CMake: find_package(zignsec 0.1 CONFIG REQUIRED) from the unpacked archive"
cmake -S "$root/bindings-c/tests/cmake-consumer" -B "$tmp/build" -DCMAKE_PREFIX_PATH="$tmp/prefix" \
  -DCMAKE_BUILD_RPATH="$tmp/prefix/lib" -DCMAKE_C_FLAGS="-Wall -Wextra -Werror" >"$tmp/cmake.log" \
  || { cat "$tmp/cmake.log"; exit 1; }
grep -- '-- zignsec ' "$tmp/cmake.log"
cmake --build "$tmp/build" >"$tmp/build.log" || { cat "$tmp/build.log"; exit 1; }
ldd "$tmp/build/quickstart" | grep -q "libzignsec.so.0 => $tmp/prefix/lib/" \
  || { echo "test-c-dist: quickstart does not link the archive's libzignsec.so.0" >&2; exit 1; }
! ldd "$tmp/build/quickstart_static" | grep -q libzignsec
$mock "$tmp/build/quickstart" >/dev/null && echo "quickstart (CMake, shared): ok"
$mock "$tmp/build/quickstart_static" >/dev/null && echo "quickstart (CMake, static): ok"

echo "== pkg-config from the unpacked archive (relocatable .pc)"
export PKG_CONFIG_PATH=$tmp/prefix/lib/pkgconfig
version=$(sed -n '/^\[workspace.package\]/,/^\[/s/^version = "\(.*\)"/\1/p' "$root/Cargo.toml")
test "$(pkg-config --modversion zignsec)" = "$version"
cc -std=c99 -Wall -Wextra -Werror -o "$tmp/quickstart-pc" "$root/examples/c/quickstart.c" \
  $(pkg-config --cflags --libs zignsec) -Wl,-rpath,"$(pkg-config --variable=libdir zignsec)"
$mock "$tmp/quickstart-pc" >/dev/null && echo "quickstart (pkg-config, shared): ok"

echo "== CMake refuses another minor: find_package(zignsec 0.2)"
mkdir "$tmp/other" && sed 's/find_package(zignsec 0.1 /find_package(zignsec 0.2 /' \
  "$root/bindings-c/tests/cmake-consumer/CMakeLists.txt" > "$tmp/other/CMakeLists.txt"
sed -i "s|\${CMAKE_CURRENT_LIST_DIR}/../../../examples|$root/examples|" "$tmp/other/CMakeLists.txt"
if cmake -S "$tmp/other" -B "$tmp/other/build" -DCMAKE_PREFIX_PATH="$tmp/prefix" >"$tmp/other.log" 2>&1; then
  echo "test-c-dist: find_package(zignsec 0.2) accepted $version" >&2; exit 1
fi
echo "rejected, as it should be"
echo "test-c-dist: $(basename "$archive") unpacks, builds (CMake and pkg-config) and runs"
