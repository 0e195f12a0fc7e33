#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/) with clang -fsanitize=fuzzer,address,undefined in build-fuzz and runs each
# for SECONDS (default 60; `scripts/fuzz.sh 3600` for a long run). Prints executions and crashes per target.
# Before fuzzing, every saved crash in fuzz/regressions/<target>/ is replayed: a fixed bug must stay fixed.
# Env: FUZZ_BUILD_DIR (default build-fuzz), FUZZ_TARGETS (space-separated subset), FUZZ_JOBS (ninja -j, default 2).
# Exit: 0 when no target crashed, 1 otherwise (the crashing inputs are in $FUZZ_BUILD_DIR/fuzz-artifacts/).
set -euo pipefail

seconds="${1:-60}"
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${FUZZ_BUILD_DIR:-$root/build-fuzz}"
targets="${FUZZ_TARGETS:-imdb_reader jsonl_reader mcauley_reader blitzer_reader csv_reader query}"

if [[ ! -f "$build/build.ninja" ]]; then
  CC=clang CXX=clang++ cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DREVSEARCH_FUZZ=ON -DBUILD_TESTING=OFF \
    -DCMAKE_CXX_FLAGS="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer" \
    >/dev/null
fi
ninja -C "$build" -j "${FUZZ_JOBS:-2}" $(for t in $targets; do printf 'fuzz_%s ' "$t"; done) >/dev/null

# Static caches of Xapian, ICU and libxml2 live until exit; their allocations are not leaks of ours.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

printf '%-16s %10s %12s %8s %8s\n' target seconds executions corpus crashes
failed=0
for t in $targets; do
  binary="$build/fuzz/fuzz_$t"
  work="$build/fuzz-corpus/$t"          # grows between runs; the seeds stay untouched in fuzz/corpus
  artifacts="$build/fuzz-artifacts/$t/"
  log="$build/fuzz-logs/$t.log"
  mkdir -p "$work" "$artifacts" "$(dirname "$log")"
  crashes=0
  regressions="$root/fuzz/regressions/$t"
  if compgen -G "$regressions/*" >/dev/null; then
    if ! "$binary" -runs=1 "$regressions"/* >"$log.replay" 2>&1; then
      echo "$t: a saved regression input crashes again (see $log.replay)"
      crashes=$((crashes + 1))
    fi
  fi
  set +e
  "$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=16384 -print_final_stats=1 \
    -artifact_prefix="$artifacts" "$work" "$root/fuzz/corpus/$t" >"$log" 2>&1
  status=$?
  set -e
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  units=$(grep -o 'corp: [0-9]*' "$log" | tail -1 | tr -dc 0-9)
  if [[ $status -ne 0 ]]; then
    crashes=$((crashes + 1))
    echo "$t: crashed (exit $status); input and report:" >&2
    grep -m1 -E 'Test unit written to|SUMMARY' "$log" >&2 || tail -5 "$log" >&2
  fi
  printf '%-16s %10s %12s %8s %8s\n' "$t" "$seconds" "${runs:-?}" "${units:-?}" "$crashes"
  [[ $crashes -eq 0 ]] || failed=1
done
exit $failed
