# Benchmarks: bench/ against the offline gateway on loopback, release
# builds only. `make bench` installs its own peers (requests, httpx, matplotlib
# aiohttp and maturin in a bench venv; undici from npm for Node's fetch; libcurl
# and cJSON headers from apt), builds
# everything (bench/build.sh), runs bench/run.py and writes BENCHMARKS.md and
# bench/plot.png. Never part of `make test`: figures are not pass/fail.

BENCH_OUT := $(TARGET_DIR)/bench
BENCH_VENV := $(BENCH_OUT)/venv
BENCH_PY := $(BENCH_VENV)/bin/python
BENCH_STAMP := $(BENCH_VENV)/.zignsec-bench-tools-2
BENCH_PY_TOOLS := 'requests>=2.32,<3' 'httpx>=0.28,<1' 'aiohttp>=3.9,<4' 'matplotlib>=3.8,<4' 'maturin>=1.16,<2'
BENCH_APT := libcurl4-openssl-dev libcjson-dev

BENCH_TARGETS += bench-run

.PHONY: setup-bench bench-build bench-run bench-smoke

setup-bench: $(BENCH_STAMP) ## Benchmarks: install the peers (requests, httpx, aiohttp, matplotlib, maturin; undici; libcurl + cJSON headers)

$(BENCH_STAMP): mk/bench.mk
	@dpkg -s $(BENCH_APT) >/dev/null 2>&1 || { $(APT) update -qq && DEBIAN_FRONTEND=noninteractive $(APT) install -y -qq $(BENCH_APT); }
	@command -v node >/dev/null || { $(APT) update -qq && DEBIAN_FRONTEND=noninteractive $(APT) install -y -qq nodejs; }
	@python3 -c 'import ensurepip, venv' 2>/dev/null || { $(APT) update -qq && $(APT) install -y -qq python3-venv; }
	@test -x $(BENCH_PY) || python3 -m venv $(BENCH_VENV)
	$(BENCH_PY) -m pip install -q --disable-pip-version-check $(BENCH_PY_TOOLS)
	@mkdir -p $(BENCH_OUT)/node && cp $(ROOT)/bench/node/package.json $(BENCH_OUT)/node/package.json
	cd $(BENCH_OUT)/node && npm install --silent --no-audit --no-fund --no-package-lock
	@touch $@

bench-build: setup-bench ## Benchmarks: release builds of the gateway, core bench, C peer and every binding that builds
	BENCH_OUT=$(BENCH_OUT) $(ROOT)/bench/build.sh

bench-run: bench-build ## Benchmarks: run everything, write BENCHMARKS.md and bench/plot.png (BENCH_CALLS=10000)
	BENCH_OUT=$(BENCH_OUT) $(BENCH_PY) $(ROOT)/bench/run.py

bench-smoke: bench-build ## Benchmarks: tiny run checking the harness works (asserts no figures; writes nothing)
	BENCH_OUT=$(BENCH_OUT) BENCH_SMOKE=1 $(BENCH_PY) $(ROOT)/bench/run.py
