#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test: unit, data-driven and API tests
# (ctest), the browser tests of the web app, then the coordinate-file fuzzer for a bounded time.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
(cd build && ctest --output-on-failure -j2 --timeout 900)

# The web app in Debian's Chromium, driven by playwright-core against the real server.
scripts/build-web.sh
(cd web && MINEPLAN_BIN=../build/mineplan npm run --silent test:browser)

FUZZ_SECONDS=${FUZZ_SECONDS:-60}
if [ "$FUZZ_SECONDS" -gt 0 ]; then
  BUILD_DIR=build-fuzz BUILD_TARGETS=fuzz_coordfile CC=clang CXX=clang++ scripts/build.sh \
    -DMINEPLAN_FUZZ=ON -DMINEPLAN_TESTS=OFF -DMINEPLAN_BENCH=OFF
  scripts/fuzz.sh "$FUZZ_SECONDS"
fi
