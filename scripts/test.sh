#!/usr/bin/env bash
# README command 2: sets up everything (dependencies, build) and runs the whole test suite through ctest.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/build.sh
ctest --test-dir "${REVSEARCH_BUILD_DIR:-build}" --output-on-failure -j "$(nproc)"
