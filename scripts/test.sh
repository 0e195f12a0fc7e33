#!/usr/bin/env bash
# README command 2: sets up everything (dependencies, build) and runs the whole test suite through ctest.
# In CI (CI=true, .ci/run), or with REVSEARCH_SANITIZERS=1, two stages follow in one clang build beside the
# normal one (build-ci-san): the whole suite again under ASan+UBSan (scripts/sanitize.sh), then each libFuzzer
# target for a short time under ASan+UBSan, its saved crashes replayed first (scripts/fuzz.sh). Any test failure,
# sanitizer report or fuzz crash fails the run. REVSEARCH_SANITIZERS=0 skips them.
#
# Budget on 2 shared cores (CI kills at 90 min; the aim is 15): normal build + suite 4-5 min; the clang build
# (-O1, -fsanitize=address,undefined,fuzzer-no-link, about 290 CPU-seconds) 3-4 min; the suite under the
# sanitizers, 2 tests at a time, 2-3.5 min; fuzzing 6 targets x REVSEARCH_FUZZ_SECONDS (45), 2 at a time, 2.3 min.
set -euo pipefail
cd "$(dirname "$0")/.."

sanitizers="${REVSEARCH_SANITIZERS:-0}"
[ "${CI:-}" = "true" ] && sanitizers="${REVSEARCH_SANITIZERS:-1}"

stage_start=$SECONDS
stages=()
stage_done() {
  stages+=("$(printf '%-40s %4d s' "$1" $((SECONDS - stage_start)))")
  stage_start=$SECONDS
}

scripts/build.sh
stage_done "build (gcc, ${REVSEARCH_BUILD_DIR:-build})"
ctest --test-dir "${REVSEARCH_BUILD_DIR:-build}" --output-on-failure -j "$(nproc)"
stage_done "test suite"

if [ "$sanitizers" = "1" ]; then
  export SANITIZE_BUILD_DIR="${SANITIZE_BUILD_DIR:-$PWD/build-ci-san}"
  export FUZZ_BUILD_DIR="${FUZZ_BUILD_DIR:-$SANITIZE_BUILD_DIR}"
  failed=()
  scripts/sanitize.sh || failed+=("test suite under ASan+UBSan (scripts/sanitize.sh)")
  stage_done "clang build + test suite under ASan+UBSan"
  fuzz_seconds="${REVSEARCH_FUZZ_SECONDS:-45}"
  scripts/fuzz.sh "$fuzz_seconds" || failed+=("fuzzing (scripts/fuzz.sh)")
  stage_done "fuzzing, $fuzz_seconds s per target"
fi

echo "test.sh: stage times"
printf '  %s\n' "${stages[@]}"
if [ "$sanitizers" = "1" ] && [ ${#failed[@]} -gt 0 ]; then
  printf 'test.sh: FAILED: %s\n' "${failed[@]}" >&2
  exit 1
fi
