# Thin wrapper over CMake. Every target bootstraps first, so a fresh Debian 12 machine needs
# nothing but this repository.
BUILD      ?= build
TEST_BUILD ?= build-asan
BENCH_BUILD ?= build-release
DB         ?= ./var/shopwarden.db
LISTEN     ?= 127.0.0.1:8080
JOBS       ?= $(shell nproc)

.PHONY: all bootstrap build run test unit api lint format bench clean

all: build

bootstrap:
	@scripts/bootstrap

build: bootstrap
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

# Server on the embedded SQLite default with the demo data set.
run: build
	$(BUILD)/shopwarden serve --db $(DB) --listen $(LISTEN) --demo

# Everything under AddressSanitizer + UndefinedBehaviorSanitizer: unit tests, then the
# black-box HTTP tests against the real server.
test: bootstrap
	@cmake -S . -B $(TEST_BUILD) -DCMAKE_BUILD_TYPE=Debug -DSW_SANITIZE=address,undefined >/dev/null
	@cmake --build $(TEST_BUILD) -j $(JOBS)
	@cd $(TEST_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	    ctest --output-on-failure -j 1 --timeout 1800

lint: bootstrap
	@scripts/lint

format:
	@git ls-files '*.c' '*.h' | xargs clang-format -i

# Benchmarks (release build); results are appended to bench/RESULTS.md by hand.
bench: bootstrap
	@cmake -S . -B $(BENCH_BUILD) -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build $(BENCH_BUILD) -j $(JOBS)
	@bench/run $(BENCH_BUILD)

clean:
	rm -rf $(BUILD) $(TEST_BUILD) $(BENCH_BUILD)
