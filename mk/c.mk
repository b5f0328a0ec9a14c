# The C ABI: libzignsec.{so,a}, include/zignsec.h (cbindgen), zignsec.pc.
# Cargo builds the library as libzignsec_c.* (the core crate owns the name
# `zignsec`); these targets publish it as libzignsec.so (soname libzignsec.so.0)
# and libzignsec.a.

C_VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' $(ROOT)/Cargo.toml | head -n 1)
C_OUT := $(TARGET_DIR)/c
C_LIB := $(C_OUT)/lib
C_GEN_DIR := $(TARGET_DIR)/c/generated
C_TESTS := $(ROOT)/bindings-c/tests
C_WARN := -Wall -Wextra -Werror
C_CC ?= gcc
C_CXX ?= g++
# The tests run against a fresh mock, never a real gateway, whatever the caller's env says.
C_MOCK := env -u ZIGNSEC_TIMEOUT -u ZIGNSEC_MAX_RETRIES -u ZIGNSEC_ENVIRONMENT -u ZIGNSEC_LOG \
	ZIGNSEC_MOCK_ONLY=1 RUST_BACKTRACE=0 ZIGNSEC_MOCK_BIN=$(TARGET_DIR)/debug/zignsec-mock $(ROOT)/scripts/with-mock.sh
C_VALGRIND := valgrind -q --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite,indirect \
	--show-leak-kinds=definite,indirect
PREFIX ?= /usr/local
C_PROFILE ?= release
# test-c-install exercises `make install` with the debug build the tests already made
# (a release build of the whole stack costs minutes); `make install` itself is release.
C_INSTALL_TEST_PROFILE ?= debug

SETUP_TARGETS += setup-c
TEST_TARGETS += test-c
DEMO_TARGETS += demo-c
INSTALL_TARGETS += install-c

.PHONY: setup-c c-build c-header c-header-check test-c test-c-deployment test-c-install install-c demo-c lint-c

setup-c: ## C: install gcc, g++, valgrind and pkg-config (apt) if missing
	@missing=""; for t in $(C_CC) $(C_CXX) make valgrind pkg-config; do \
	  command -v $$t >/dev/null 2>&1 || missing="$$missing $$t"; done; \
	if [ -n "$$missing" ]; then \
	  echo "setup-c: installing:$$missing"; \
	  $(APT) update -qq && DEBIAN_FRONTEND=noninteractive $(APT) install -y -qq gcc g++ make valgrind pkg-config; \
	else echo "setup-c: gcc, g++, valgrind, pkg-config present"; fi

c-build: ## C: build libzignsec (debug) and the offline gateway; publish libzignsec.{so,a}
	cargo build -p zignsec-c
	cargo build -p zignsec-mock
	@mkdir -p $(C_LIB)
	@ln -f $(TARGET_DIR)/debug/libzignsec_c.so $(C_LIB)/libzignsec.so.0 2>/dev/null || cp -f $(TARGET_DIR)/debug/libzignsec_c.so $(C_LIB)/libzignsec.so.0
	@ln -sf libzignsec.so.0 $(C_LIB)/libzignsec.so
	@ln -f $(TARGET_DIR)/debug/libzignsec_c.a $(C_LIB)/libzignsec.a 2>/dev/null || cp -f $(TARGET_DIR)/debug/libzignsec_c.a $(C_LIB)/libzignsec.a

c-header: ## C: regenerate include/zignsec.h (cbindgen, pinned in bindings-c/Cargo.toml)
	$(ROOT)/scripts/c-header.sh $(C_GEN_DIR)

c-header-check: c-build ## C: fail when include/zignsec.h differs from cbindgen's output (never writes it); compile it as C99 and C++17
	$(ROOT)/scripts/c-header.sh --check $(C_GEN_DIR)
	$(C_CC) -std=c99 -pedantic $(C_WARN) -I$(ROOT)/include -fsyntax-only $(C_TESTS)/header_check.c
	$(C_CXX) -std=c++17 -pedantic $(C_WARN) -I$(ROOT)/include -fsyntax-only -x c++ $(C_TESTS)/header_check.c
	@grep -q '^#define ZIGNSEC_VERSION "$(C_VERSION)"$$' $(ROOT)/include/zignsec.h || \
	  { echo "include/zignsec.h: ZIGNSEC_VERSION is not $(C_VERSION)"; exit 1; }
	@echo "include/zignsec.h: up to date; compiles as C99 and C++17"

test-c: c-build c-header-check ## C: unit tests, the C suite (static build, then shared under valgrind), install + pkg-config
	cargo test -q -p zignsec-c
	$(C_CC) -std=c99 $(C_WARN) -g -I$(ROOT)/include -o $(C_OUT)/test_zignsec \
	  $(C_TESTS)/test_zignsec.c $(C_TESTS)/json.c $(C_TESTS)/mockhttp.c \
	  -L$(C_LIB) -lzignsec -Wl,-rpath,$(C_LIB) -lpthread
	$(C_CC) -std=c99 $(C_WARN) -g -I$(ROOT)/include -o $(C_OUT)/test_zignsec_static \
	  $(C_TESTS)/test_zignsec.c $(C_TESTS)/json.c $(C_TESTS)/mockhttp.c \
	  $(C_LIB)/libzignsec.a -lpthread -ldl -lm
	@! ldd $(C_OUT)/test_zignsec_static | grep -q libzignsec || { echo "test_zignsec_static links libzignsec.so"; exit 1; }
	$(C_CC) -std=c99 -pedantic $(C_WARN) -g -I$(ROOT)/include -o $(C_OUT)/email_verification \
	  $(ROOT)/examples/c/email_verification.c -L$(C_LIB) -lzignsec -Wl,-rpath,$(C_LIB)
	@# valgrind runs one thread at a time: the valgrind runs go on beside the static
	@# suite (each against its own gateway), their output shown when they end.
	@echo "== C suite statically linked; beside it, the shared library under valgrind (the large corpora and the per-case gateways of auth.json only statically) and examples/c/email_verification.c under valgrind"
	@set -u; vg=$(C_OUT)/valgrind-suite.log; ex=$(C_OUT)/valgrind-example.log; \
	  ( ZS_TEST_SKIP=vectors/bad_inputs,vectors/phone_numbers,vectors/auth $(C_MOCK) $(C_VALGRIND) $(C_OUT)/test_zignsec $(ROOT)/tests/vectors >$$vg 2>&1; \
	    echo "valgrind suite exit $$?" >>$$vg ) & suite=$$!; \
	  ( $(C_MOCK) $(C_VALGRIND) $(C_OUT)/email_verification >$$ex 2>&1; echo "valgrind example exit $$?" >>$$ex ) & example=$$!; \
	  $(C_MOCK) $(C_OUT)/test_zignsec_static $(ROOT)/tests/vectors; static=$$?; \
	  wait $$suite $$example; echo "== C suite, shared library, under valgrind"; cat $$vg; \
	  echo "== examples/c/email_verification.c, under valgrind"; cat $$ex; \
	  [ $$static = 0 ] && grep -q '^valgrind suite exit 0$$' $$vg && grep -q '^valgrind example exit 0$$' $$ex
	@$(MAKE) --no-print-directory test-c-deployment
	@$(MAKE) --no-print-directory test-c-install

# fork, exit() mid-call and proxy variables, in both link modes. Not under valgrind:
# a forked child leaks the parent's runtime on purpose (it must never touch it),
# and the exit runs are fresh processes (fork + exec) that valgrind would not follow.
test-c-deployment: c-build ## C: fork after zs_client_new, exit() with threads mid-call (20 runs), proxy variables vs a loopback base URL
	$(C_CC) -std=c99 $(C_WARN) -g -I$(ROOT)/include -o $(C_OUT)/test_deployment \
	  $(C_TESTS)/test_deployment.c $(C_TESTS)/mockhttp.c \
	  -L$(C_LIB) -lzignsec -Wl,-rpath,$(C_LIB) -lpthread
	$(C_CC) -std=c99 $(C_WARN) -g -I$(ROOT)/include -o $(C_OUT)/test_deployment_static \
	  $(C_TESTS)/test_deployment.c $(C_TESTS)/mockhttp.c \
	  $(C_LIB)/libzignsec.a -lpthread -ldl -lm
	@echo "== C deployment tests, statically linked"
	$(C_MOCK) $(C_OUT)/test_deployment_static
	@echo "== C deployment tests, shared library"
	$(C_MOCK) $(C_OUT)/test_deployment

test-c-install: c-build ## C: make install into a temporary prefix, build examples/c/quickstart.c via pkg-config (shared and static), run both
	@set -e; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	$(MAKE) --no-print-directory install-c PREFIX=$$tmp C_PROFILE=$(C_INSTALL_TEST_PROFILE) >/dev/null; \
	export PKG_CONFIG_PATH=$$tmp/lib/pkgconfig; \
	test "$$(pkg-config --modversion zignsec)" = "$(C_VERSION)"; \
	$(C_CC) -std=c99 $(C_WARN) -o $$tmp/quickstart $(ROOT)/examples/c/quickstart.c \
	  $$(pkg-config --cflags --libs zignsec) -Wl,-rpath,$$(pkg-config --variable=libdir zignsec); \
	$(C_CC) -std=c99 $(C_WARN) -o $$tmp/quickstart-static $(ROOT)/examples/c/quickstart.c \
	  $$(pkg-config --cflags zignsec) -L$$(pkg-config --variable=libdir zignsec) -l:libzignsec.a \
	  $$(pkg-config --static --libs zignsec | sed 's/-lzignsec\b//'); \
	ldd $$tmp/quickstart | grep -q "libzignsec.so.0 => $$tmp/lib/"; \
	! ldd $$tmp/quickstart-static | grep -q libzignsec; \
	echo "== quickstart (installed, shared)"; $(C_MOCK) $$tmp/quickstart; \
	echo "== quickstart (installed, static)"; $(C_MOCK) $$tmp/quickstart-static; \
	echo "test-c-install: install, pkg-config and both link modes work"

install-c: ## C: install include/zignsec.h, libzignsec.{so,a} (release), zignsec.pc and the CMake package under PREFIX
	cargo build $(if $(filter release,$(C_PROFILE)),--release) -p zignsec-c
	install -d $(DESTDIR)$(PREFIX)/include $(DESTDIR)$(PREFIX)/lib/pkgconfig
	install -m 644 $(ROOT)/include/zignsec.h $(DESTDIR)$(PREFIX)/include/zignsec.h
	install -m 755 $(TARGET_DIR)/$(C_PROFILE)/libzignsec_c.so $(DESTDIR)$(PREFIX)/lib/libzignsec.so.$(C_VERSION)
	ln -sf libzignsec.so.$(C_VERSION) $(DESTDIR)$(PREFIX)/lib/libzignsec.so.0
	ln -sf libzignsec.so.0 $(DESTDIR)$(PREFIX)/lib/libzignsec.so
	install -m 644 $(TARGET_DIR)/$(C_PROFILE)/libzignsec_c.a $(DESTDIR)$(PREFIX)/lib/libzignsec.a
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|$(C_VERSION)|g' $(ROOT)/bindings-c/zignsec.pc.in \
	  > $(DESTDIR)$(PREFIX)/lib/pkgconfig/zignsec.pc
	install -d $(DESTDIR)$(PREFIX)/lib/cmake/zignsec
	for f in zignsecConfig zignsecConfigVersion; do sed 's|@VERSION@|$(C_VERSION)|g' \
	  $(ROOT)/bindings-c/cmake/$$f.cmake.in > $(DESTDIR)$(PREFIX)/lib/cmake/zignsec/$$f.cmake; done

demo-c: c-build ## C: run examples/c/quickstart.c and email_verification.c against a fresh offline gateway
	$(C_CC) -std=c99 $(C_WARN) -I$(ROOT)/include -o $(C_OUT)/quickstart $(ROOT)/examples/c/quickstart.c \
	  -L$(C_LIB) -lzignsec -Wl,-rpath,$(C_LIB)
	$(ROOT)/scripts/with-mock.sh $(C_OUT)/quickstart
	$(C_CC) -std=c99 $(C_WARN) -I$(ROOT)/include -o $(C_OUT)/email_verification $(ROOT)/examples/c/email_verification.c \
	  -L$(C_LIB) -lzignsec -Wl,-rpath,$(C_LIB)
	$(ROOT)/scripts/with-mock.sh $(C_OUT)/email_verification

lint-c: ## C: rustfmt check and clippy -D warnings for bindings-c
	cargo fmt -p zignsec-c -- --check
	cargo clippy $(CLIPPY_CRATES) --all-targets -- -D warnings
