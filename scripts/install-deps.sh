#!/usr/bin/env bash
# Installs everything revsearch needs to build, test and run, from Debian 12's own packages.
# Idempotent: packages already present are not fetched again, and nothing runs when all are there.
set -euo pipefail

packages=(
  cmake g++ ninja-build pkg-config git
  libxapian-dev xapian-tools          # the inverted index, and xapian-check/xapian-compact/xapian-tcpsrv
  libstemmer-dev                      # Snowball stemmers
  libboost-program-options-dev        # command lines
  doctest-dev                         # unit tests
  nlohmann-json3-dev                  # JSON
  libcsv-dev                          # RFC 4180 CSV, streaming
  libicu-dev                          # Unicode normalisation and case/diacritic folding
  libfmt-dev                          # formatting
  libxxhash-dev                       # stable review ids and batch content hashes
  libxml2-dev                         # HTML entity table (htmlEntityLookup)
  help2man                            # man pages from the tools' --help (shell/CMakeLists.txt)
  zsh                                 # the end-to-end test checks the zsh completion (shell/_revsearch)
  python3-xapian                      # scripts/serve-shards copies the shards' spelling tables for remote stubs
  python3                             # end-to-end test drivers and scripts
  python3-pytest                      # the end-to-end tests' runner (tests/e2e/conftest.py)
  clang libclang-rt-dev llvm          # sanitizer and fuzz build (scripts/sanitize.sh, scripts/fuzz.sh): clang,
                                      # its ASan/UBSan/libFuzzer runtimes (libclang-rt-14-dev, which clang only
                                      # recommends), llvm-symbolizer for readable reports
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
