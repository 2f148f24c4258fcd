# Thin wrapper over CMake. Every target bootstraps first, so a fresh Debian 12 machine needs
# nothing but this repository.
BUILD      ?= build
TEST_BUILD ?= build-asan
BENCH_BUILD ?= build-release
DB         ?= ./var/shopwarden.db
LISTEN     ?= 127.0.0.1:8080
JOBS       ?= $(shell nproc)

.PHONY: all bootstrap build run test unit api lint format bench bench-scan fuzz clean

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
	@scripts/bootstrap bench
	@cmake -S . -B $(BENCH_BUILD) -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build $(BENCH_BUILD) -j $(JOBS)
	@bench/run $(BENCH_BUILD)

# The scanner benchmark alone (bench/run includes it).
bench-scan: bootstrap
	@scripts/bootstrap bench
	@cmake -S . -B $(BENCH_BUILD) -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build $(BENCH_BUILD) -j $(JOBS) --target scan_bench
	@bench/scan/run $(BENCH_BUILD)

# libFuzzer on the JSON command path, the parsers, the scanner and the HTTP request path
# (a real server in process), FUZZ_SECONDS each (default 60).
FUZZ_SECONDS ?= 60
fuzz: bootstrap
	@CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=Debug -DSW_FUZZ=ON \
	    -DSW_SANITIZE=address,undefined >/dev/null
	@cmake --build build-fuzz -j $(JOBS) --target fuzz_json_command fuzz_parsers fuzz_scan fuzz_http
	@for f in json_command parsers scan http; do \
	    mkdir -p build-fuzz/corpus-$$f; \
	    if ! build-fuzz/fuzz_$$f -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	            build-fuzz/corpus-$$f tests/fuzz/corpus/$$f > build-fuzz/$$f.log 2>&1; then \
	        tail -60 build-fuzz/$$f.log; echo "fuzz_$$f: FAILED (build-fuzz/$$f.log)"; exit 1; \
	    fi; \
	    echo "fuzz_$$f: $$(grep -o 'stat::number_of_executed_units: [0-9]*' build-fuzz/$$f.log), \
	$$(ls build-fuzz/corpus-$$f | wc -l) corpus entries, no finding"; \
	done

clean:
	rm -rf $(BUILD) $(TEST_BUILD) $(BENCH_BUILD) build-fuzz build-lint
