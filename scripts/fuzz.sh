#!/usr/bin/env bash
# Runs every libFuzzer target for a bounded time each, seeded with the data-driven case files
# (coordinate files; WKB / GeoPackage blobs for fuzz_wkb; JSON and applications for fuzz_json).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
for bin in build-fuzz/fuzz_*; do
  [ -x "$bin" ] || continue
  name=$(basename "$bin")
  corpus=$(mktemp -d)
  case "$name" in
  fuzz_wkb) cp tests/cases/fuzz-wkb/* "$corpus"/ ;;
  fuzz_json)
    cp tests/cases/fuzz-json/*.json "$corpus"/
    for f in tests/cases/review/*/application.json; do cp "$f" "$corpus/$(basename "$(dirname "$f")").json"; done
    ;;
  *) cp tests/cases/coords/*.txt tests/cases/fuzz-regressions/*.txt "$corpus"/ 2>/dev/null || true ;;
  esac
  echo "fuzz: $name for ${seconds}s"
  "$bin" -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 "$corpus" 2>&1 | tail -n 5
  rm -rf "$corpus"
done
