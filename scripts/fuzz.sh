#!/usr/bin/env bash
# Runs every libFuzzer target for a bounded time, seeded with the data-driven case files.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
for bin in build-fuzz/fuzz_*; do
  [ -x "$bin" ] || continue
  name=$(basename "$bin")
  corpus=$(mktemp -d)
  cp tests/cases/coords/*.txt tests/cases/fuzz-regressions/*.txt "$corpus"/ 2>/dev/null || true
  echo "fuzz: $name for ${seconds}s"
  "$bin" -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 "$corpus" 2>&1 | tail -n 5
  rm -rf "$corpus"
done
