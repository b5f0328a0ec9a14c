# Reliability and security: the fault matrix in every language, the bad-input
# corpus through a real client, TLS/URL safety, the secrets check (in `make test`);
# stress at full size, AddressSanitizer and fuzzing (in `make reliability`). Runs
# write their reports under target/reliability/; docs/RELIABILITY.md is refreshed
# from them only by `make reliability-report`, so a test run leaves the tree clean.

REL_DIR := $(ROOT)/target/reliability
FUZZ_SECONDS ?= 30
STRESS_CALLS ?= 5000
# Bindings whose build target exists are built first, so their runners can run.
REL_BINDING_BUILDS := $(filter python-develop build-node c-build,$(shell sed -n 's/^\([a-z-]*\):.*/\1/p' $(filter-out mk/reliability.mk,$(wildcard mk/*.mk))))

SETUP_TARGETS += setup-reliability
TEST_TARGETS += test-reliability test-secrets

.PHONY: setup-reliability setup-fuzz test-reliability test-secrets test-stress test-c-asan test-python-exit fuzz reliability reliability-report

setup-reliability: ## Reliability: openssl CLI (the TLS test makes its throwaway CA with it)
	@command -v openssl >/dev/null || { $(APT) update -qq && $(APT) install -y -qq openssl; }

test-reliability: $(REL_BINDING_BUILDS) ## Fault matrix in every built language, report in target/reliability/ (bad inputs, TLS and a small stress run are in test-core)
	cargo build -q -p zignsec-mock
	scripts/reliability/run_matrix.sh
	@# bad_inputs.rs and tls.rs run in test-core (cargo test -p zignsec).

reliability-report: ## Refresh docs/RELIABILITY.md from the results already in target/reliability/ (run test-reliability first)
	python3 scripts/reliability/report.py

test-secrets: ## The API key and one-time codes never appear in any output (core suite, quickstart, each built binding's probe) with ZIGNSEC_LOG=debug
	scripts/reliability/secrets_check.sh

test-stress: ## 16 threads x STRESS_CALLS (5000) get_sms_session on one client: 0 errors, pooled connections, flat RSS
	cargo build -q -p zignsec-mock
	ZIGNSEC_STRESS_CALLS=$(STRESS_CALLS) cargo test -q -p zignsec --test fault_matrix stress -- --nocapture

# The Python exit scenarios (tests/test_exit.py) at full size: each script ends the
# interpreter with calls in flight, cancelled, closed or never awaited; 0 abnormal exits.
EXIT_RUNS ?= 200
test-python-exit: python-develop ## Python: each exit scenario EXIT_RUNS (200) times as a subprocess, 0 aborts; counts in target/reliability/python-exit.json
	mkdir -p $(REL_DIR) && rm -f $(REL_DIR)/python-exit.json
	cd $(PY_CRATE) && env -u ZIGNSEC_LOG ZIGNSEC_MOCK_BIN=$(PY_MOCK_BIN) ZIGNSEC_EXIT_RUNS=$(EXIT_RUNS) \
		ZIGNSEC_EXIT_REPORT=$(REL_DIR)/python-exit.json \
		$(PY) -m pytest -q -p no:cacheprovider tests/test_exit.py

setup-fuzz: ## Nightly toolchain and cargo-fuzz for `make fuzz`
	@rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
	@cargo fuzz --version >/dev/null 2>&1 || cargo install cargo-fuzz --locked

fuzz: setup-fuzz ## Run every cargo-fuzz target for FUZZ_SECONDS (30) each; crashes land in fuzz/artifacts/
	FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/reliability/fuzz.sh

test-c-asan: ## C binding + Rust core under AddressSanitizer (nightly, -Zsanitizer=address)
	scripts/reliability/c_asan.sh

reliability: test-reliability test-secrets test-stress test-c-asan test-python-exit fuzz ## Everything above plus the long runs: stress at full size, ASan, fuzz
	@echo "make reliability: all passed"
