#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test: unit, data-driven and API tests
# (ctest, on the GeoPackage store and again on PostgreSQL/PostGIS), the browser tests of the web app, then the fuzzers (coordinate files, WKB and GeoPackage blobs, JSON and applications) for a bounded time.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
(cd build && ctest --output-on-failure -j2 --timeout 900)

# The same suite on the PostgreSQL/PostGIS store: a fresh throwaway cluster on loopback; every
# store-backed test then makes its store in a schema of its own (tests/unit/store_support.hpp).
# The cluster lives under /tmp: the postgres user may not reach into the checkout.
PG_DIR=$(mktemp -d /tmp/mineplan-pg-test.XXXXXX)
PG_URL=$(scripts/pg-cluster.sh start "$PG_DIR" 55433)
trap 'scripts/pg-cluster.sh stop "$PG_DIR"; rm -rf "$PG_DIR"' EXIT
(cd build && MINEPLAN_TEST_POSTGRES="$PG_URL" ctest --output-on-failure -j2 --timeout 900)
scripts/pg-cluster.sh stop "$PG_DIR"
rm -rf "$PG_DIR"
trap - EXIT

# The web app in Debian's Chromium, driven by playwright-core against the real server.
scripts/build-web.sh
(cd web && MINEPLAN_BIN=../build/mineplan npm run --silent test:browser)

FUZZ_SECONDS=${FUZZ_SECONDS:-45} # per fuzzer
if [ "$FUZZ_SECONDS" -gt 0 ]; then
  BUILD_DIR=build-fuzz BUILD_TARGETS="fuzz_coordfile fuzz_wkb fuzz_json" CC=clang CXX=clang++ scripts/build.sh \
    -DMINEPLAN_FUZZ=ON -DMINEPLAN_TESTS=OFF -DMINEPLAN_BENCH=OFF
  scripts/fuzz.sh "$FUZZ_SECONDS"
fi
