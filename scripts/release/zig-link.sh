#!/bin/sh
# A linker for rustc that links through zig against an older glibc (default 2.28), so
# a library built on a newer system is manylinux_2_28. make release-check passes it to
# the final crate only (`maturin build ... -- -C linker=...`), so the dependencies
# compiled for the suites are reused as they are. Needs maturin and ziglang on PATH.
exec maturin zig cc -- -target "${ZIG_LINK_TARGET:-x86_64-linux-gnu.2.28}" "$@"
