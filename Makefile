# zignsec: one Rust core, three bindings. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help
# cargo, maturin and napi share one target dir (napi always passes --target <host>).
export CARGO_BUILD_TARGET := $(shell rustc -vV | sed -n 's/^host: //p')
export CARGO_TERM_COLOR := never
ROOT := $(CURDIR)
TARGET_DIR := $(ROOT)/target/$(CARGO_BUILD_TARGET)

# apt-get behind one lock: `make test` runs the setup targets at once, and apt takes
# one install at a time.
APT := flock /tmp/zignsec-apt.lock apt-get

# Each piece adds its own targets to these lists in mk/<piece>.mk.
SETUP_TARGETS :=
TEST_TARGETS :=
DEMO_TARGETS :=
BENCH_TARGETS :=
INSTALL_TARGETS :=

include $(sort $(wildcard mk/*.mk))

.PHONY: help setup setup-at-once test demo bench install
help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | sort | awk -F':.*## ' '{printf "  %-18s %s\n", $$1, $$2}'

setup: $(SETUP_TARGETS) ## Install every toolchain and package the suites need

test: setup-at-once $(TEST_TARGETS) ## Run every suite (installs what it needs first)
	@echo "make test: all suites passed"

# The installs wait on the disk and the package indexes more than on the CPU: run
# together they take about half as long. Each one's output is shown as it ends.
setup-at-once:
	@$(MAKE) --no-print-directory -j4 --output-sync=target setup

demo: ## Start the offline gateway, run every quickstart against it, stop it
	cargo build -q -p zignsec-mock
	scripts/with-mock.sh $(MAKE) --no-print-directory $(DEMO_TARGETS)

bench: $(BENCH_TARGETS) ## Run the benchmarks and write BENCHMARKS.md

install: $(INSTALL_TARGETS) ## Install the C library, header and zignsec.pc under PREFIX
