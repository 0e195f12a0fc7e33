#!/usr/bin/env bash
# Installs the dependencies (a no-op when present), then configures and builds revsearch into build/.
# Usage: scripts/build.sh [extra cmake -D options]
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh

build_dir=${REVSEARCH_BUILD_DIR:-build}
werror=OFF
[ "${CI:-}" = "true" ] && werror=ON
cmake -S . -B "$build_dir" -G Ninja -DREVSEARCH_WERROR="$werror" "$@" >/dev/null
cmake --build "$build_dir" -j "$(nproc)"
