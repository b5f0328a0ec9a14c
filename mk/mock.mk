# The offline gateway (crate `zignsec-mock`, mock/): its Rust test suite, and a
# real-browser test of its hosted phone and email verification pages (headless Chromium
# driven by puppeteer-core from mock/browser-test/).

MOCK_BIN := $(TARGET_DIR)/debug/zignsec-mock
MOCK_BROWSER_DIR := $(ROOT)/mock/browser-test
MOCK_BROWSER_STAMP := $(MOCK_BROWSER_DIR)/node_modules/.package-lock.json
CHROMIUM ?= /usr/bin/chromium
MOCK_PORT ?= 0
MOCK_ARGS ?=
# Root installs directly; anyone else through sudo.
MOCK_SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

SETUP_TARGETS += setup-chromium setup-mock-browser
TEST_TARGETS += test-mock test-mock-browser

.PHONY: mock run-mock test-mock test-mock-browser setup-chromium setup-mock-browser

mock: ## Build the offline gateway binary (target/<host>/debug/zignsec-mock)
	cargo build -p zignsec-mock --bin zignsec-mock

run-mock: mock ## Run the offline gateway in the foreground (MOCK_PORT=0, MOCK_ARGS="--api-key K ...")
	$(MOCK_BIN) --port $(MOCK_PORT) $(MOCK_ARGS)

test-mock: ## The offline gateway's test suite (every endpoint, fault, webhook, garbage input)
	cargo test -p zignsec-mock

setup-chromium: ## Install Debian's Chromium for browser tests (skipped when present)
	@command -v chromium >/dev/null || $(MOCK_SUDO) $(APT) install -y -qq chromium \
		|| { $(MOCK_SUDO) $(APT) update -qq && $(MOCK_SUDO) $(APT) install -y -qq chromium; }

setup-mock-browser: $(MOCK_BROWSER_STAMP) ## Install the browser test's npm packages (puppeteer-core, no browser download)

$(MOCK_BROWSER_STAMP): $(MOCK_BROWSER_DIR)/package.json $(MOCK_BROWSER_DIR)/package-lock.json
	@command -v npm >/dev/null || $(MOCK_SUDO) $(APT) install -y -qq nodejs npm \
		|| { $(MOCK_SUDO) $(APT) update -qq && $(MOCK_SUDO) $(APT) install -y -qq nodejs npm; }
	cd $(MOCK_BROWSER_DIR) && PUPPETEER_SKIP_DOWNLOAD=1 npm install --no-audit --no-fund
	@touch $@

test-mock-browser: mock setup-chromium setup-mock-browser ## Drive the hosted phone and email pages in headless Chromium (screenshots in /tmp/zignsec-mock-*.png)
	cd $(MOCK_BROWSER_DIR) && CHROMIUM=$(CHROMIUM) SCREENSHOT_DIR=/tmp node run.mjs $(MOCK_BIN)
