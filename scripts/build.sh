#!/usr/bin/env bash
# Installs the dependencies (a no-op when present), then configures and builds revsearch into build/.
# Usage: scripts/build.sh [extra cmake -D options]
# The build is the tests' build: it has the fault points the crash tests use (REVSEARCH_FAULT_POINTS=ON) unless
# the environment says REVSEARCH_FAULT_POINTS=OFF, as scripts/demo.sh does for a release build. Switching
# recompiles one file.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh

build_dir=${REVSEARCH_BUILD_DIR:-build}
werror=OFF
[ "${CI:-}" = "true" ] && werror=ON
# ccache, when installed, makes rebuilds in other worktrees and clean clones on one machine cheap.
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S . -B "$build_dir" -G Ninja -DREVSEARCH_WERROR="$werror" \
  -DREVSEARCH_FAULT_POINTS="${REVSEARCH_FAULT_POINTS:-ON}" "${launcher[@]}" "$@" >/dev/null
cmake --build "$build_dir" -j "$(nproc)"
