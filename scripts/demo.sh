#!/usr/bin/env bash
# README command 1: sets up everything, indexes the bundled sample in corpora/ into a fresh index, and prints
# ranked searches over it. The index goes to ${REVSEARCH_DEMO_DB:-build/demo-index}; your own index is not touched.
set -euo pipefail
cd "$(dirname "$0")/.."

# A release build: without the fault points the crash tests use (scripts/build.sh turns them on otherwise).
REVSEARCH_FAULT_POINTS=OFF scripts/build.sh
bin=${REVSEARCH_BUILD_DIR:-build}
db=${REVSEARCH_DEMO_DB:-$bin/demo-index}
rm -rf "$db"

echo "== revindex add corpora/" >&2
"$bin/indexer/revindex" add --db "$db" corpora/

for query in 'heroin toilet' '"once were warriors"' 'Sorensen' 'great gift rating:80%..'; do
  echo
  echo "== revsearch $query"
  "$bin/searcher/revsearch" --db "$db" --limit 3 "$query" || true
done
