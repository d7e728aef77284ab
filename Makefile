# retort - the two commands a newcomer needs are `make demo` and `make test`.
#
#   make                 build the library, the `retort` command and the tests
#   make test            the whole suite; unit, integration and ORM tests
#                        under valgrind; the multi-threaded tests under
#                        ThreadSanitizer; the whole suite again under ASan+UBSan
#   make valgrind        only the valgrind pass
#   make test-tsan       only the ThreadSanitizer pass (multi-threaded tests)
#   make demo            the example system, end to end, on SQLite (a fresh
#                        build/demo/shop.db), then the example service
#                        driven with curl; make demo DATABASE_URL=
#                        postgresql://user:pass@host/db on PostgreSQL,
#                        mysql://user:pass@host/db on MariaDB/MySQL
#   make bench           the benchmarks
#   make fuzz            a fuzzer (FUZZ_TARGET, default fuzz_schema_parser;
#                        or fuzz_script_parser) for FUZZ_SECONDS
#   make install         into PREFIX (default /usr/local; DESTDIR honoured)
#   make clean
#   make help            this list
#
# Everything is built by CMake into build/ (build-asan/, build-fuzz/ for the
# other passes); this file only drives it. Variables: BUILD, ASAN_BUILD,
# FUZZ_BUILD, PREFIX, JOBS, WERROR (ON/OFF), FUZZ_TARGET, FUZZ_SECONDS,
# TEST_TIMEOUT.

BUILD        ?= build
ASAN_BUILD   ?= build-asan
TSAN_BUILD   ?= build-tsan
FUZZ_BUILD   ?= build-fuzz
PREFIX       ?= /usr/local
JOBS         ?= $(shell nproc 2>/dev/null || echo 2)
# -Werror: `make test` turns it on (the tree builds warning-free with gcc
# and clang; WERROR=OFF on the command line overrides); plain `make` keeps
# what the build folder has (off at first).
WERROR       ?=
FUZZ_TARGET  ?= fuzz_schema_parser
FUZZ_SECONDS ?= 60
# Seed inputs per fuzzer (read, never written: new finds go to FUZZ_BUILD).
FUZZ_SEEDS_fuzz_schema_parser := tests/fuzz/corpus
FUZZ_SEEDS_fuzz_script_parser := tests/scripts tests/script_errors
TEST_TIMEOUT ?= 600
GENERATOR    := $(shell command -v ninja >/dev/null 2>&1 && echo "-G Ninja")
CTEST        := ctest --output-on-failure --timeout $(TEST_TIMEOUT) -j $(JOBS)

# One step at a time: cmake and ctest run their own jobs in parallel.
.NOTPARALLEL:

.PHONY: deps-build deps-test all build configure test test-fast test-valgrind test-asan valgrind demo bench install \
        fuzz clean help

all: build

# Configuring every time is cheap and keeps the options below in force even
# in a build folder made by hand.
configure:
	@cmake -S . -B $(BUILD) $(GENERATOR) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DCMAKE_INSTALL_PREFIX=$(PREFIX) $(if $(WERROR),-DRETORT_WERROR=$(WERROR)) >/dev/null

build: configure
	cmake --build $(BUILD) -j $(JOBS)

# The whole suite on a normal build, its unit, integration and ORM tests again
# under valgrind, then the whole suite built with clang under ASan+UBSan.
# The output ends with the sanitizer pass's ctest summary.
test: deps-test test-fast test-valgrind test-tsan test-asan

# A fresh Debian machine gets the packages it lacks (scripts/install-deps.sh).
deps-build:
	@bash scripts/install-deps.sh build
deps-test:
	@bash scripts/install-deps.sh test

test test-fast test-valgrind test-tsan test-asan: WERROR = ON

test-fast: build
	@echo "== the suite: unit, integration (SQLite, PostgreSQL, MariaDB), CLI, install =="
	cd $(BUILD) && $(CTEST)

test-asan:
	@command -v clang >/dev/null || { echo "make test-asan: clang is not installed (Debian: apt-get install clang libclang-rt-14-dev)" >&2; exit 1; }
	@CC=clang cmake -S . -B $(ASAN_BUILD) $(GENERATOR) -DCMAKE_BUILD_TYPE=Debug \
	  -DRETORT_SANITIZE=ON $(if $(WERROR),-DRETORT_WERROR=$(WERROR)) >/dev/null
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	@echo "== the suite again under AddressSanitizer + UndefinedBehaviorSanitizer =="
	@# The randomized evolution takes 40 steps here, not 200: the sanitizers
	@# check the same code on fewer random schemas, and the normal pass runs
	@# the 200 steps (the three backends' 200 steps took 11 minutes here).
	cd $(ASAN_BUILD) && RETORT_EVOLUTION_STEPS=40 $(CTEST)

# The multi-threaded tests (names containing "thread", and the retry
# test's concurrent transactions) again, built with
# clang under ThreadSanitizer: races in the pool, the statement cache or
# the scoped sessions fail them.
test-tsan:
	@command -v clang >/dev/null || { echo "make test-tsan: clang is not installed (Debian: apt-get install clang libclang-rt-14-dev)" >&2; exit 1; }
	@CC=clang cmake -S . -B $(TSAN_BUILD) $(GENERATOR) -DCMAKE_BUILD_TYPE=Debug \
	  -DRETORT_TSAN=ON $(if $(WERROR),-DRETORT_WERROR=$(WERROR)) >/dev/null
	cmake --build $(TSAN_BUILD) -j $(JOBS) --target orm_threads orm_retry integration_test_pool orm_async_tests \
	  unit_async_test_async unit_async_test_pause unit_base_test_fiber unit_base_test_fiber_ucontext \
	  integration_test_async_migrate
	@echo "== the multi-threaded tests under ThreadSanitizer =="
	cd $(TSAN_BUILD) && TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" \
	  $(CTEST) -R '^((postgres|mariadb)_server_(start|stop)|orm_threads_.*|orm_retry_.*|integration_test_pool_.*|orm_async_.*|unit_async_test_(async|pause)|unit_base_test_fiber(_ucontext)?|integration_test_async_migrate_.*)$$'
valgrind: build
	@command -v valgrind >/dev/null || { echo "make valgrind: valgrind is not installed (Debian: apt-get install valgrind)" >&2; exit 1; }
	@echo "== unit, integration and ORM tests under valgrind =="
	ctest -DBUILD=$(BUILD) -DJOBS=$(JOBS) -S tests/support/memcheck.cmake -V

# Within `make test` the valgrind pass is skipped, with a notice, where
# valgrind is not installed; `make valgrind` insists.
test-valgrind:
	@if command -v valgrind >/dev/null; then $(MAKE) --no-print-directory valgrind; \
	else echo "== valgrind is not installed: skipping the valgrind pass (Debian: apt-get install valgrind)"; fi

# The example exercise (examples/demo.sh): migrations, the shop program,
# the tables, downgrade and upgrade, then the example service (HTTP JSON)
# driven with curl. DATABASE_URL picks the database.
demo: deps-build
	@$(MAKE) --no-print-directory build
	@test -f examples/demo.sh || { echo "make demo: examples/demo.sh is missing" >&2; exit 1; }
	@DATABASE_URL="$(DATABASE_URL)" bash examples/demo.sh $(BUILD)

bench: deps-test build
	@test -f bench/run.sh || { echo "make bench: bench/run.sh is missing" >&2; exit 1; }
	@bash bench/run.sh $(BUILD)

install: build
	DESTDIR="$(DESTDIR)" cmake --install $(BUILD) --prefix $(PREFIX)

# Runs the fuzzer FUZZ_TARGET for FUZZ_SECONDS (default 60).
fuzz:
	@test -f tests/fuzz/CMakeLists.txt || { echo "make fuzz: tests/fuzz/CMakeLists.txt is missing" >&2; exit 1; }
	@command -v clang >/dev/null || { echo "make fuzz: clang is not installed (Debian: apt-get install clang libclang-rt-14-dev)" >&2; exit 1; }
	@CC=clang cmake -S . -B $(FUZZ_BUILD) $(GENERATOR) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DRETORT_FUZZ=ON -DRETORT_TESTS=OFF >/dev/null
	@test -n "$(FUZZ_SEEDS_$(FUZZ_TARGET))" || { echo "make fuzz: unknown FUZZ_TARGET '$(FUZZ_TARGET)' (fuzz_schema_parser or fuzz_script_parser)" >&2; exit 2; }
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target $(FUZZ_TARGET)
	mkdir -p $(FUZZ_BUILD)/corpus-$(FUZZ_TARGET)
	$(FUZZ_BUILD)/tests/fuzz/$(FUZZ_TARGET) -max_total_time=$(FUZZ_SECONDS) \
	  -max_len=4096 $(FUZZ_BUILD)/corpus-$(FUZZ_TARGET) $(FUZZ_SEEDS_$(FUZZ_TARGET))

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(TSAN_BUILD) $(FUZZ_BUILD)

help:
	@sed -n 's/^#   /  /p' Makefile
