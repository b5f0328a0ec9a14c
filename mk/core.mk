# The Rust core (crate `zignsec`): unit, integration, vector and doc tests, lints,
# and the Rust quickstart against the offline gateway.
SETUP_TARGETS += setup-rust
TEST_TARGETS += lint-rust test-core test-rust-example
DEMO_TARGETS += demo-rust

.PHONY: setup-rust lint-rust test-core test-rust-example demo-rust doc-core
setup-rust: ## Check the Rust toolchain (rustfmt, clippy)
	@command -v cargo >/dev/null || { echo "cargo is missing: install Rust (rustup)"; exit 1; }
	@rustup component list --installed 2>/dev/null | grep -q clippy || rustup component add clippy rustfmt

# One clippy run over every crate but the Python one (pyo3 checks under maturin): each
# other package set would check the whole dependency tree again with its own features.
CLIPPY_CRATES := -p zignsec -p zignsec-mock -p zignsec-c -p zignsec-node
lint-rust: ## cargo fmt --check, clippy -D warnings (core, mock, C and Node crates), one feature set per shared dependency
	cargo fmt -p zignsec -p zignsec-mock -- --check
	scripts/check-workspace-features.sh
	cargo clippy $(CLIPPY_CRATES) --all-targets -- -D warnings

# The fault matrix (and its stress run) is played by test-reliability, which reports it.
test-core: ## The core's unit, integration, vector and doc tests (the fault matrix: test-reliability)
	cargo test -p zignsec -- --skip fault_matrix --skip stress_one_client_sixteen_threads

doc-core: ## Build the core's rustdoc, failing on missing docs
	RUSTDOCFLAGS="-D missing_docs" cargo doc -p zignsec --no-deps

test-rust-example: ## Run the Rust examples (quickstart, key rotation) against the offline gateway
	cargo build -q -p zignsec-mock -p zignsec --example quickstart --example key_rotation
	ZIGNSEC_MOCK_ONLY=1 scripts/with-mock.sh cargo run -q -p zignsec --example quickstart
	ZIGNSEC_MOCK_ONLY=1 scripts/with-mock.sh cargo run -q -p zignsec --example key_rotation

demo-rust: ## The Rust quickstart and key rotation against the offline gateway (or the real one with ZIGNSEC_API_KEY)
	cargo build -q -p zignsec-mock -p zignsec --example quickstart --example key_rotation
	scripts/with-mock.sh cargo run -q -p zignsec --example quickstart
	scripts/with-mock.sh cargo run -q -p zignsec --example key_rotation
