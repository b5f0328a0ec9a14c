# Python binding (bindings-python/: pyo3 0.30 + maturin, abi3 wheel for CPython >= 3.10).
# Everything runs from $(ROOT)/.venv, which setup-python creates.

PY_VENV := $(ROOT)/.venv
PY := $(PY_VENV)/bin/python
PY_TOOLS_STAMP := $(PY_VENV)/.zignsec-python-tools-1
PY_CRATE := $(ROOT)/bindings-python
PY_MOCK_BIN := $(TARGET_DIR)/debug/zignsec-mock
PY_WHEEL_DIR := $(TARGET_DIR)/python-wheels
PY_SCRATCH := $(TARGET_DIR)/python-scratch
# Other CPythons the abi3 wheel is smoke-tested on when present (pyenv on this kind of
# machine: the oldest supported and the newest).
PY_ABI3_PYTHONS ?= $(firstword $(wildcard $(HOME)/.pyenv/versions/3.10*/bin/python3)) \
	$(lastword $(wildcard $(HOME)/.pyenv/versions/3.13*/bin/python3))
# A CPython older than the wheel's floor, when present: pip must refuse the wheel.
PY_TOO_OLD_PYTHON ?= $(firstword $(wildcard $(HOME)/.pyenv/versions/3.9*/bin/python3))
# Major versions pinned: a new major of a tool is an explicit change here.
PY_TOOLS := 'maturin>=1.16,<2' 'pytest>=9,<10' 'mypy>=2,<3' 'gunicorn>=23,<24'
# The web frameworks the webhook helpers are tested against (httpx2 or httpx: Starlette's
# TestClient; django-stubs: Django ships no types).
PY_TOOLS += 'flask>=3,<4' 'fastapi>=0.115,<1' 'httpx>=0.28,<1' 'httpx2>=2,<3' 'django>=5,<6' 'django-stubs>=5,<6'

SETUP_TARGETS += setup-python
# The installs users make are checked by release-check (make test): the sdist through
# pip (PEP 517) and the manylinux wheel into fresh venvs on every CPython at hand.
# test-python-install (the dev wheel and `pip install ./bindings-python`) stays for
# local use.
TEST_TARGETS += test-python
DEMO_TARGETS += demo-python

.PHONY: setup-python python-develop test-python test-python-types test-python-install test-python-wheel demo-python

setup-python: $(PY_TOOLS_STAMP) ## Python: create .venv with maturin, pytest and mypy

$(PY_TOOLS_STAMP): mk/python.mk
	@python3 -c 'import ensurepip, venv' 2>/dev/null || { $(APT) update -qq && $(APT) install -y -qq python3-venv; }
	@test -x $(PY) || python3 -m venv $(PY_VENV)
	$(PY) -m pip install -q --disable-pip-version-check $(PY_TOOLS)
	@touch $@

python-develop: setup-python ## Python: build the native module (debug) into .venv with maturin develop
	cargo build -q -p zignsec-mock
	cd $(PY_CRATE) && VIRTUAL_ENV=$(PY_VENV) PATH=$(PY_VENV)/bin:$$PATH \
		$(PY_VENV)/bin/maturin develop -q -m Cargo.toml

# The fault-matrix runner (tests/test_reliability_faults.py) is played by test-reliability,
# which writes docs/RELIABILITY.md from it.
# The type checks run beside the suite (it mostly waits on the gateway and its own
# threads), their output shown after it.
test-python: python-develop ## Python: pytest suite against the offline gateway, plus stubtest and mypy
	@mkdir -p $(PY_SCRATCH); \
	$(MAKE) --no-print-directory test-python-types >$(PY_SCRATCH)/types.log 2>&1 & types=$$!; \
	(cd $(PY_CRATE) && env -u ZIGNSEC_LOG ZIGNSEC_MOCK_BIN=$(PY_MOCK_BIN) ZIGNSEC_VECTORS=$(ROOT)/tests/vectors \
		$(PY) -m pytest -q -p no:cacheprovider tests --ignore=tests/test_reliability_faults.py); suite=$$?; \
	wait $$types; checked=$$?; cat $(PY_SCRATCH)/types.log; \
	[ $$suite = 0 ] && [ $$checked = 0 ]

test-python-types: setup-python ## Python (after python-develop): stubtest of the native module, mypy --strict on the package and examples, mypy on the tests
	@# The three type checks at once (each uses one core), each one's output shown as it
	@# ends, each with a cache directory of its own (mypy's cache is an sqlite database
	@# that one run locks). The tests' `type: ignore` comments must each still be needed:
	@# the stubs reject those calls (--warn-unused-ignores).
	@mkdir -p $(PY_SCRATCH) && cd $(PY_CRATE) && log=$(PY_SCRATCH)/mypy; \
	  $(PY) -m mypy --strict --no-incremental --cache-dir $$log-strict.cache $(ROOT)/examples/python $(PY_CRATE)/python/zignsec >$$log-strict.log 2>&1 & strict=$$!; \
	  $(PY) -m mypy --no-incremental --cache-dir $$log-tests.cache --warn-unused-ignores tests >$$log-tests.log 2>&1 & tests=$$!; \
	  echo "mypy.stubtest zignsec"; $(PY) -m mypy.stubtest zignsec --allowlist stubtest-allowlist.txt; stub=$$?; \
	  wait $$strict; rs=$$?; echo "mypy --strict examples/python python/zignsec"; cat $$log-strict.log; \
	  wait $$tests; rt=$$?; echo "mypy --warn-unused-ignores tests"; cat $$log-tests.log; \
	  [ $$stub = 0 ] && [ $$rs = 0 ] && [ $$rt = 0 ]

# The install checks: a wheel from `maturin build` installs into a fresh venv and
# imports, and so does `pip install ./bindings-python` (the PEP 517 path), each running
# tests/smoke.py from outside the source tree. test-python-install (part of `make test`)
# builds with the dev profile, reusing the test build; test-python-wheel is the same
# with `maturin build --release`, which from a cold target dir costs minutes on this
# machine, so it runs on request (release jobs), not in `make test`.
test-python-install: PY_PROFILE := dev
test-python-wheel: PY_PROFILE := release
test-python-install: python-develop ## Python: wheel (dev profile) and `pip install ./bindings-python` work in fresh venvs
test-python-wheel: setup-python ## Python: the same with `maturin build --release` (slow when cold; not in `make test`)
test-python-install test-python-wheel:
	rm -rf $(PY_WHEEL_DIR)/$(PY_PROFILE) $(PY_SCRATCH)/$(PY_PROFILE) && mkdir -p $(PY_SCRATCH)/$(PY_PROFILE)
	cd $(PY_CRATE) && $(PY_VENV)/bin/maturin build -q --profile $(PY_PROFILE) -m Cargo.toml -o $(PY_WHEEL_DIR)/$(PY_PROFILE)
	python3 -m venv $(PY_SCRATCH)/$(PY_PROFILE)/wheel-venv
	$(PY_SCRATCH)/$(PY_PROFILE)/wheel-venv/bin/pip install -q --disable-pip-version-check \
		$(PY_WHEEL_DIR)/$(PY_PROFILE)/zignsec-*-cp310-abi3-*.whl
	cd $(PY_SCRATCH)/$(PY_PROFILE) && wheel-venv/bin/python $(PY_CRATE)/tests/smoke.py
	@set -e; for py in $(PY_ABI3_PYTHONS); do \
		dir=$(PY_SCRATCH)/$(PY_PROFILE)/abi3-$$($$py -c 'import sys; print("%d.%d" % sys.version_info[:2])'); \
		$$py -m venv $$dir && $$dir/bin/pip install -q --disable-pip-version-check \
			$(PY_WHEEL_DIR)/$(PY_PROFILE)/zignsec-*-cp310-abi3-*.whl; \
		(cd $(PY_SCRATCH)/$(PY_PROFILE) && $$dir/bin/python $(PY_CRATE)/tests/smoke.py); \
	done
	@set -e; for py in $(PY_TOO_OLD_PYTHON); do \
		$(ROOT)/scripts/release/check-wheel-refused.sh $(PY_WHEEL_DIR)/$(PY_PROFILE)/zignsec-*-cp310-abi3-*.whl \
			$$py $(PY_SCRATCH)/$(PY_PROFILE); \
	done
	python3 -m venv $(PY_SCRATCH)/$(PY_PROFILE)/pip-venv
	MATURIN_PEP517_ARGS="--profile $(PY_PROFILE)" $(PY_SCRATCH)/$(PY_PROFILE)/pip-venv/bin/pip install -q \
		--disable-pip-version-check $(PY_CRATE)
	cd $(PY_SCRATCH)/$(PY_PROFILE) && pip-venv/bin/python $(PY_CRATE)/tests/smoke.py
	rm -rf $(PY_SCRATCH)/$(PY_PROFILE)

demo-python: python-develop ## Python: the quickstart, email verification and key rotation examples against a fresh offline gateway
	ZIGNSEC_MOCK_BIN=$(PY_MOCK_BIN) $(ROOT)/scripts/with-mock.sh $(PY) $(ROOT)/examples/python/quickstart.py
	ZIGNSEC_MOCK_BIN=$(PY_MOCK_BIN) $(ROOT)/scripts/with-mock.sh $(PY) $(ROOT)/examples/python/email_verification.py
	ZIGNSEC_MOCK_BIN=$(PY_MOCK_BIN) $(ROOT)/scripts/with-mock.sh $(PY) $(ROOT)/examples/python/key_rotation.py
