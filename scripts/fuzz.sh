#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/) with clang -fsanitize=fuzzer,address,undefined in build-fuzz and runs each
# for SECONDS (default 60; `scripts/fuzz.sh 3600` for a long run), FUZZ_PARALLEL of them at a time. Prints
# executions and crashes per target. Before fuzzing, every saved crash in fuzz/regressions/<target>/ is
# replayed: a fixed bug must stay fixed.
# Env: FUZZ_BUILD_DIR (default build-fuzz; an existing build of scripts/sanitize.sh serves as well, CI shares
# one), FUZZ_TARGETS (space-separated subset), FUZZ_JOBS (ninja -j, default nproc), FUZZ_PARALLEL (targets
# fuzzed at once, default nproc).
# Exit: 0 when no target crashed, 1 otherwise (the crashing inputs are in $FUZZ_BUILD_DIR/fuzz-artifacts/ and
# printed in base64, so that a CI log is enough to reproduce).
set -euo pipefail

seconds="${1:-60}"
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${FUZZ_BUILD_DIR:-$root/build-fuzz}"
targets="${FUZZ_TARGETS:-imdb_reader jsonl_reader mcauley_reader blitzer_reader csv_reader query}"
parallel="${FUZZ_PARALLEL:-$(nproc)}"

"$root/scripts/install-deps.sh"
if [[ ! -f "$build/build.ninja" ]]; then
  # REVSEARCH_FUZZ: clang, ASan + UBSan without recovery, libFuzzer coverage in every object (CMakeLists.txt).
  CC=clang CXX=clang++ cmake -S "$root" -B "$build" -G Ninja -DREVSEARCH_FUZZ=ON -DBUILD_TESTING=OFF >/dev/null
fi
ninja -C "$build" -j "${FUZZ_JOBS:-$(nproc)}" $(for t in $targets; do printf 'fuzz_%s ' "$t"; done) >/dev/null

# Static caches of Xapian, ICU and libxml2 live until exit; their allocations are not leaks of ours.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

# One target: replay its regressions, fuzz, and leave "executions corpus-units crashes" in $log.result.
fuzz_one() {
  local t=$1 binary="$build/fuzz/fuzz_$1" work="$build/fuzz-corpus/$1" artifacts="$build/fuzz-artifacts/$1/"
  local log="$build/fuzz-logs/$1.log" regressions="$root/fuzz/regressions/$1" crashes=0 status=0
  mkdir -p "$work" "$artifacts" "$(dirname "$log")"   # the corpus grows between runs; fuzz/corpus stays the seeds
  if compgen -G "$regressions/*" >/dev/null; then
    if ! "$binary" -runs=1 "$regressions"/* >"$log.replay" 2>&1; then
      echo "fuzz: FAILED: $t: a saved input of fuzz/regressions/$t crashes again; the report:" >&2
      grep -E 'ERROR|runtime error|SUMMARY|Running:' "$log.replay" | tail -8 >&2 || tail -20 "$log.replay" >&2
      crashes=$((crashes + 1))
    fi
  fi
  "$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=16384 -print_final_stats=1 \
    -artifact_prefix="$artifacts" "$work" "$root/fuzz/corpus/$t" >"$log" 2>&1 || status=$?
  if [[ $status -ne 0 ]]; then
    crashes=$((crashes + 1))
    local input
    input=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
    {
      echo "fuzz: FAILED: $t crashed (exit $status); the report (whole log: $log):"
      grep -E 'ERROR|runtime error|SUMMARY|deadly signal|timeout|out-of-memory' "$log" | head -8 ||
        tail -20 "$log"
      grep -A12 -E '^==[0-9]+==ERROR|runtime error' "$log" | grep -E '^ +#[0-9]' | head -12 || true
      if [[ -n "$input" && -f "$input" ]]; then
        echo "the input ($input, $(stat -c %s "$input") bytes), base64:"
        head -c 16384 "$input" | base64 -w 100
        echo "reproduce: base64 -d > crash <<'EOF' ... EOF; $binary crash"
        echo "once fixed, keep it: cp it to fuzz/regressions/$t/ (scripts/fuzz.sh replays those first)"
      fi
    } >&2
  fi
  local runs units
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  units=$(grep -o 'corp: [0-9]*' "$log" | tail -1 | tr -dc 0-9 || true)   # none when the seeds crash
  echo "${runs:-?} ${units:-?} $crashes" >"$log.result"
}

running=0
for t in $targets; do
  rm -f "$build/fuzz-logs/$t.log.result"
  if [[ $running -ge $parallel ]]; then
    wait -n || true
    running=$((running - 1))
  fi
  fuzz_one "$t" &
  running=$((running + 1))
done
wait || true

printf '%-16s %10s %12s %8s %8s\n' target seconds executions corpus crashes
failed=0
for t in $targets; do
  runs='?' units='?' crashes='?'
  [[ -f "$build/fuzz-logs/$t.log.result" ]] && read -r runs units crashes <"$build/fuzz-logs/$t.log.result"
  printf '%-16s %10s %12s %8s %8s\n' "$t" "$seconds" "$runs" "$units" "$crashes"
  [[ $crashes == 0 ]] || failed=1     # '?': the run itself failed
done
if [[ $failed -ne 0 ]]; then
  echo "fuzz: FAILED: a fuzz target crashed (see above); each crash becomes a test in fuzz/regressions/" >&2
fi
exit $failed
