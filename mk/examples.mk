# The login examples (examples/python/flask_login, Flask; examples/node/express_login,
# Express), walked in headless Chromium against the offline gateway by
# examples/browser-test/run.mjs (puppeteer-core, Debian's Chromium, like mock/browser-test):
# sign in with a one-time code by SMS, and a phone verification with its signed webhook.

EXAMPLES_DIR := $(ROOT)/examples
EXAMPLES_BROWSER_DIR := $(EXAMPLES_DIR)/browser-test
EXAMPLES_BROWSER_STAMP := $(EXAMPLES_BROWSER_DIR)/node_modules/.package-lock.json
EXPRESS_LOGIN_DIR := $(EXAMPLES_DIR)/node/express_login
EXPRESS_LOGIN_STAMP := $(EXPRESS_LOGIN_DIR)/node_modules/.package-lock.json
FLASK_LOGIN_DIR := $(EXAMPLES_DIR)/python/flask_login
EXAMPLE_PORT ?= 8000
EXAMPLES_SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# The example depends on `zignsec` as an app would; in this repository that is the
# binding built in place, linked the way mk/node.mk links it for examples/node.
EXPRESS_LOGIN_LINK = @mkdir -p $(EXPRESS_LOGIN_DIR)/node_modules && ln -sfn ../../../../bindings-node $(EXPRESS_LOGIN_DIR)/node_modules/zignsec

SETUP_TARGETS += setup-examples
TEST_TARGETS += test-examples-browser
DEMO_TARGETS += demo-examples

.PHONY: setup-examples test-examples-browser demo-examples serve-example serve-example-node

setup-examples: $(EXAMPLES_BROWSER_STAMP) $(EXPRESS_LOGIN_STAMP) ## Install the npm packages of the Express example and the examples' browser walk

$(EXAMPLES_BROWSER_STAMP): $(EXAMPLES_BROWSER_DIR)/package.json $(EXAMPLES_BROWSER_DIR)/package-lock.json
$(EXPRESS_LOGIN_STAMP): $(EXPRESS_LOGIN_DIR)/package.json $(EXPRESS_LOGIN_DIR)/package-lock.json
$(EXAMPLES_BROWSER_STAMP) $(EXPRESS_LOGIN_STAMP):
	@command -v npm >/dev/null || $(EXAMPLES_SUDO) $(APT) install -y -qq nodejs npm \
		|| { $(EXAMPLES_SUDO) $(APT) update -qq && $(EXAMPLES_SUDO) $(APT) install -y -qq nodejs npm; }
	cd $(dir $<) && PUPPETEER_SKIP_DOWNLOAD=1 npm install --no-audit --no-fund --loglevel=error
	@touch $@

test-examples-browser: python-develop build-node mock setup-chromium setup-examples ## Walk the Flask and Express login examples in headless Chromium (screenshots in /tmp/zignsec-example-*.png)
	$(EXPRESS_LOGIN_LINK)
	cd $(EXAMPLES_BROWSER_DIR) && PYTHON=$(PY) CHROMIUM=$(CHROMIUM) SCREENSHOT_DIR=/tmp node run.mjs $(MOCK_BIN)

# `make demo` runs this inside scripts/with-mock.sh; the walk starts its own gateway all
# the same, since it reads the gateway's inbox through the control API.
demo-examples: python-develop mock setup-chromium $(EXAMPLES_BROWSER_STAMP) ## Walk the Flask login example in headless Chromium, printing each step
	cd $(EXAMPLES_BROWSER_DIR) && APPS=python PYTHON=$(PY) CHROMIUM=$(CHROMIUM) SCREENSHOT_DIR=/tmp node run.mjs $(MOCK_BIN)

serve-example: python-develop mock ## Serve the Flask login example on 127.0.0.1:8000 (EXAMPLE_PORT) against a fresh offline gateway, its inbox on the page (Ctrl-C stops both)
	cd $(FLASK_LOGIN_DIR) && env -u ZIGNSEC_MOCK_URL ZIGNSEC_MOCK_ONLY=1 PORT=$(EXAMPLE_PORT) APP_URL=http://127.0.0.1:$(EXAMPLE_PORT) \
		$(ROOT)/scripts/with-mock.sh $(PY) app.py

serve-example-node: build-node mock $(EXPRESS_LOGIN_STAMP) ## The same for the Express login example
	$(EXPRESS_LOGIN_LINK)
	cd $(EXPRESS_LOGIN_DIR) && env -u ZIGNSEC_MOCK_URL ZIGNSEC_MOCK_ONLY=1 PORT=$(EXAMPLE_PORT) APP_URL=http://127.0.0.1:$(EXAMPLE_PORT) \
		$(ROOT)/scripts/with-mock.sh node app.mjs
