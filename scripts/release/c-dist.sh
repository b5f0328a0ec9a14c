#!/usr/bin/env bash
# Packs the C SDK into target/dist/zignsec-<version>-<target>.tar.gz (and appends its
# line to target/dist/SHA256SUMS): lib/ (shared + static library), include/zignsec.h,
# lib/pkgconfig/zignsec.pc and lib/cmake/zignsec/ (both relocatable), LICENSE-*, README.md.
# Usage: scripts/release/c-dist.sh PROFILE_DIR TARGET [OUT_DIR]
#   PROFILE_DIR  cargo's output dir for the target and profile (holds libzignsec_c.*)
#   TARGET       the Rust target triple the library was built for (names the archive)
# Run by `make dist` (release build) and by the release workflow on each platform.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
profile_dir=${1:?usage: c-dist.sh PROFILE_DIR TARGET [OUT_DIR]}
target=${2:?usage: c-dist.sh PROFILE_DIR TARGET [OUT_DIR]}
out=${3:-$root/target/dist}
mkdir -p "$out" && out=$(cd "$out" && pwd)
version=$(sed -n '/^\[workspace.package\]/,/^\[/s/^version = "\(.*\)"/\1/p' "$root/Cargo.toml")
name=zignsec-$version-$target
stage=$out/stage/$name
rm -rf "$stage" && mkdir -p "$stage/include" "$stage/lib/pkgconfig" "$stage/lib/cmake/zignsec"

strip_lib() { # strip debug info where a strip tool is at hand (not on Windows' .lib/.dll)
  if command -v strip >/dev/null 2>&1; then
    case "$target" in
      *-apple-*) strip -S "$1" 2>/dev/null || true ;;
      *-windows-*) ;;
      *) strip --strip-debug "$1" ;;
    esac
  fi
}

case "$target" in
  *-linux-*)
    install -m 755 "$profile_dir/libzignsec_c.so" "$stage/lib/libzignsec.so.$version"
    ln -sf "libzignsec.so.$version" "$stage/lib/libzignsec.so.0"
    ln -sf libzignsec.so.0 "$stage/lib/libzignsec.so"
    install -m 644 "$profile_dir/libzignsec_c.a" "$stage/lib/libzignsec.a"
    strip_lib "$stage/lib/libzignsec.so.$version"; strip_lib "$stage/lib/libzignsec.a"
    libs_private="-lpthread -ldl -lm -lrt -lutil -lgcc_s" ;;
  *-apple-*)
    cp "$profile_dir/libzignsec_c.dylib" "$stage/lib/libzignsec.dylib"
    install_name_tool -id @rpath/libzignsec.dylib "$stage/lib/libzignsec.dylib"
    cp "$profile_dir/libzignsec_c.a" "$stage/lib/libzignsec.a"
    strip_lib "$stage/lib/libzignsec.dylib"; strip_lib "$stage/lib/libzignsec.a"
    libs_private="-framework CoreFoundation -framework Security -framework SystemConfiguration -lm" ;;
  *-windows-msvc)
    mkdir -p "$stage/bin"
    cp "$profile_dir/zignsec_c.dll" "$stage/bin/zignsec.dll"
    cp "$profile_dir/zignsec_c.dll.lib" "$stage/lib/zignsec.dll.lib"
    cp "$profile_dir/zignsec_c.lib" "$stage/lib/zignsec.lib"
    libs_private="-lws2_32 -luserenv -lntdll -lbcrypt -ladvapi32 -lcrypt32 -lsecur32 -lncrypt" ;;
  *) echo "c-dist: no layout for target $target" >&2; exit 1 ;;
esac

install -m 644 "$root/include/zignsec.h" "$stage/include/zignsec.h"
# pkg-config: the prefix is where the .pc file is, two levels up (relocatable).
sed -e 's|^prefix=@PREFIX@$|prefix=${pcfiledir}/../..|' -e "s|@VERSION@|$version|g" \
  -e "s|^Libs.private:.*|Libs.private: $libs_private|" \
  "$root/bindings-c/zignsec.pc.in" > "$stage/lib/pkgconfig/zignsec.pc"
for f in zignsecConfig zignsecConfigVersion; do
  sed "s|@VERSION@|$version|g" "$root/bindings-c/cmake/$f.cmake.in" > "$stage/lib/cmake/zignsec/$f.cmake"
done
install -m 644 "$root/LICENSE-MIT" "$root/LICENSE-APACHE" "$stage/"
install -m 644 "$root/bindings-c/README.md" "$stage/README.md"

tarball=$name.tar.gz
(cd "$out/stage" && tar -cf - "$name" | gzip -"${DIST_GZIP:-9}" > "$out/$tarball")
rm -rf "$stage"
sum=$(cd "$out" && { sha256sum "$tarball" 2>/dev/null || shasum -a 256 "$tarball"; })
touch "$out/SHA256SUMS"
{ grep -v "  $tarball\$" "$out/SHA256SUMS" || true; echo "$sum"; } > "$out/SHA256SUMS.new"
mv "$out/SHA256SUMS.new" "$out/SHA256SUMS"
rmdir "$out/stage" 2>/dev/null || true
echo "c-dist: $out/$tarball"
