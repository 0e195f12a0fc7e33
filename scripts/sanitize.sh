#!/usr/bin/env bash
# The whole test suite under AddressSanitizer and UndefinedBehaviorSanitizer: configures build-asan beside the
# normal build with -DREVSEARCH_SANITIZE=ON (CMakeLists.txt: -fsanitize=address,undefined,
# -fno-sanitize-recover=undefined), builds everything and runs ctest there. Any sanitizer report fails its test.
# Env: SANITIZE_BUILD_DIR (default build-asan), SANITIZE_JOBS (ninja -j, default 2), extra ctest arguments as $@
# (e.g. scripts/sanitize.sh -R e2e.test_hostile).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
build="${SANITIZE_BUILD_DIR:-$root/build-asan}"

cmake -S "$root" -B "$build" -G Ninja -DREVSEARCH_WERROR=ON -DREVSEARCH_SANITIZE=ON >/dev/null
ninja -C "$build" -j "${SANITIZE_JOBS:-2}"

# Leaks are errors too (LeakSanitizer runs at exit); abort on the first report so a test sees a signal or a
# non-zero exit, never a warning scrolled past. Static caches that Xapian, ICU and libxml2 keep until exit are
# freed or still reachable, so they are not reported.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=1:strict_string_checks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
# The sanitized binaries run 2-4x slower: the tests' time bounds (hostile inputs and queries) scale by this.
export REVSEARCH_TIME_SCALE="${REVSEARCH_TIME_SCALE:-3}"

ctest --test-dir "$build" --output-on-failure "$@"
