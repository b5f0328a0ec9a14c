# The Node binding (bindings-node/, npm package `zignsec`, crate `zignsec-node`,
# napi-rs 3): build with @napi-rs/cli, check the generated loader and typings,
# node --test against the offline gateway, tsc on the TypeScript quickstart,
# npm pack into a fresh project, and the quickstart demo.

NODE_DIR := $(ROOT)/bindings-node
NODE_STAMP := $(NODE_DIR)/node_modules/.install-stamp
NODE_EXAMPLES := $(ROOT)/examples/node
NODE_GENERATED := binding.js binding.d.ts
NAPI_BUILD_FLAGS := --platform --js binding.js --dts binding.d.ts
NODE_MOCK_BIN := $(TARGET_DIR)/debug/zignsec-mock
NAPI := $(NODE_DIR)/node_modules/.bin/napi
NODE_SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

SETUP_TARGETS += setup-node
TEST_TARGETS += test-node test-node-pack
DEMO_TARGETS += demo-node

.PHONY: setup-node build-node check-node-generated lint-node test-node test-node-pack demo-node

setup-node: $(NODE_STAMP) ## Install Node/npm if missing and the binding's npm packages (napi CLI, typescript)

$(NODE_STAMP): $(NODE_DIR)/package.json $(NODE_DIR)/package-lock.json
	@command -v node >/dev/null && command -v npm >/dev/null || \
		{ $(NODE_SUDO) $(APT) update -qq && $(NODE_SUDO) $(APT) install -y -qq nodejs npm; }
	cd $(NODE_DIR) && npm install --no-audit --no-fund --loglevel=error
	@touch $@

# A debug build (tests), the .node copied next to the loader (binding.js) as zignsec.linux-x64-gnu.node.
build-node: $(NODE_STAMP) ## Build the native module (debug) and regenerate binding.js / binding.d.ts
	cargo build -q -p zignsec-mock --bin zignsec-mock
	cd $(NODE_DIR) && $(NAPI) build $(NAPI_BUILD_FLAGS)

# The generated loader and typings are committed: a build must not change them.
check-node-generated: $(NODE_STAMP) ## Build (debug); fail when the committed binding.js / binding.d.ts differ from the build
	cargo build -q -p zignsec-mock --bin zignsec-mock
	@set -e; cd $(NODE_DIR); tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	for f in $(NODE_GENERATED); do [ -f "$$f" ] && cp "$$f" "$$tmp/$$f" || : > "$$tmp/$$f"; done; \
	$(NAPI) build $(NAPI_BUILD_FLAGS); \
	for f in $(NODE_GENERATED); do \
		if git ls-files --error-unmatch "$$f" >/dev/null 2>&1; then \
			git diff --exit-code -- "$$f" || { echo "bindings-node/$$f differs from the committed one: commit the regenerated file"; exit 1; }; \
		fi; \
		diff -u "$$tmp/$$f" "$$f" || { echo "bindings-node/$$f changed on rebuild: commit the regenerated file"; exit 1; }; \
	done; echo "generated $(NODE_GENERATED) match the build"

lint-node: ## rustfmt --check and clippy -D warnings on the Node binding crate
	cargo fmt -p zignsec-node -- --check
	cargo clippy -q $(CLIPPY_CRATES) --all-targets -- -D warnings

# The fault-matrix runner is played by test-reliability (it writes docs/RELIABILITY.md).
NODE_SUITES = $(filter-out __test__/reliability_faults.test.mjs,$(patsubst $(NODE_DIR)/%,%,$(wildcard $(NODE_DIR)/__test__/*.test.mjs $(NODE_DIR)/__test__/*.test.cjs)))
test-node: check-node-generated lint-node ## Node binding: unit tests, node --test vs the offline gateway, tsc on the TS quickstart
	cargo test -q -p zignsec-node
	cd $(NODE_DIR) && ZIGNSEC_MOCK_BIN=$(NODE_MOCK_BIN) node --test --test-reporter=spec $(NODE_SUITES)
	@mkdir -p $(NODE_EXAMPLES)/node_modules && ln -sfn ../../../bindings-node $(NODE_EXAMPLES)/node_modules/zignsec
	$(NODE_DIR)/node_modules/.bin/tsc -p $(NODE_EXAMPLES)/tsconfig.json
	ZIGNSEC_MOCK_ONLY=1 ZIGNSEC_API_KEY= scripts/with-mock.sh node $(NODE_EXAMPLES)/quickstart.mjs >/dev/null
	ZIGNSEC_MOCK_ONLY=1 ZIGNSEC_API_KEY= scripts/with-mock.sh node $(NODE_EXAMPLES)/email_verification.mjs >/dev/null
	ZIGNSEC_MOCK_ONLY=1 ZIGNSEC_API_KEY= scripts/with-mock.sh node $(NODE_EXAMPLES)/key_rotation.mjs >/dev/null

# The npm layout: the main package and this platform's package (npm/<platform>/), packed
# and installed into fresh projects, with and without the platform package.
test-node-pack: build-node ## npm pack the main and this platform's package; install into fresh projects (and the main alone: the documented error)
	scripts/release/test-npm-platform-pack.sh

demo-node: build-node ## The Node quickstart, email verification and key rotation examples against the offline gateway (or the real one with ZIGNSEC_API_KEY)
	@mkdir -p $(NODE_EXAMPLES)/node_modules && ln -sfn ../../../bindings-node $(NODE_EXAMPLES)/node_modules/zignsec
	scripts/with-mock.sh node $(NODE_EXAMPLES)/quickstart.mjs
	scripts/with-mock.sh node $(NODE_EXAMPLES)/email_verification.mjs
	scripts/with-mock.sh node $(NODE_EXAMPLES)/key_rotation.mjs
