# The Rust core (crate `zignsec`): unit, integration, vector and doc tests, lints,
# and the Rust quickstart against the offline gateway.
SETUP_TARGETS += setup-rust
TEST_TARGETS += lint-rust test-core test-rust-example
DEMO_TARGETS += demo-rust

.PHONY: setup-rust lint-rust test-core test-rust-example demo-rust doc-core
setup-rust: ## Check the Rust toolchain (rustfmt, clippy)
	@command -v cargo >/dev/null || { echo "cargo is missing: install Rust (rustup)"; exit 1; }
	@rustup component list --installed 2>/dev/null | grep -q clippy || rustup component add clippy rustfmt

lint-rust: ## cargo fmt --check and clippy -D warnings on the core and the mock
	cargo fmt -p zignsec -p zignsec-mock -- --check
	cargo clippy -p zignsec -p zignsec-mock --all-targets -- -D warnings

test-core: ## The core's unit, integration, vector and doc tests
	cargo test -p zignsec

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
