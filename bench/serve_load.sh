#!/usr/bin/env bash
# Load on loopback with wrk: vector tiles per second and reviews per second from `mineplan
# serve` over the region-scale generated database (issue 6). Prints a table.
#   bench/serve_load.sh [--db PATH] [--seconds N] [--connections C] [--threads T]
# The database is generated once (mineplan generate --scale region --seed 1) and reused.
set -euo pipefail
cd "$(dirname "$0")/.."
DB=out/bench-region.gpkg
SECONDS_PER_RUN=10
CONNECTIONS=16
THREADS=2
while [ $# -gt 0 ]; do
  case "$1" in
  --db) DB=$2; shift 2 ;;
  --seconds) SECONDS_PER_RUN=$2; shift 2 ;;
  --connections) CONNECTIONS=$2; shift 2 ;;
  --threads) THREADS=$2; shift 2 ;;
  *) echo "usage: bench/serve_load.sh [--db PATH] [--seconds N] [--connections C] [--threads T]" >&2; exit 2 ;;
  esac
done
command -v wrk >/dev/null || { echo "serve_load: wrk is missing (scripts/install-deps.sh)" >&2; exit 2; }
BIN=build/mineplan
mkdir -p "$(dirname "$DB")"
if [ ! -f "$DB" ]; then
  echo "generating $DB (region scale, seed 1)…"
  $BIN generate "$DB" --scale region --seed 1 >/dev/null
fi
work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$work"' EXIT
cp "$DB" "$work/store.gpkg"
echo "bench password 1234" | $BIN user add "$work/store.gpkg" --username bench --role region_staff \
  --jurisdiction 150000 >/dev/null
$BIN serve "$work/store.gpkg" --port 0 --threads "$THREADS" --insecure-cookies >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 600); do
  grep -q '^listening on' "$work/serve.log" && break
  sleep 0.1
done
url=$(sed -n 's/^listening on \(http[^ ]*\).*/\1/p' "$work/serve.log")
[ -n "$url" ] || { cat "$work/serve.log"; exit 1; }

curl -s -c "$work/cookies" -H 'Content-Type: application/json' \
  -d '{"username":"bench","password":"bench password 1234"}' "$url/api/login" >"$work/login.json"
csrf=$(sed -n 's/.*"csrf":"\([0-9a-f]*\)".*/\1/p' "$work/login.json")
cookie=$(awk '$6=="mineplan_session"{print $6"="$7}' "$work/cookies")
[ -n "$csrf" ] && [ -n "$cookie" ] || { echo "login failed: $(cat "$work/login.json")"; exit 1; }

run() { # name script
  local name=$1 script=$2
  MINEPLAN_COOKIE=$cookie MINEPLAN_CSRF=$csrf wrk -t"$THREADS" -c"$CONNECTIONS" \
    -d"${SECONDS_PER_RUN}s" --latency -s "$script" "$url" >"$work/$name.txt" 2>&1
  local rps p50 p99 non2xx
  rps=$(awk '/Requests\/sec/{print $2}' "$work/$name.txt")
  p50=$(awk '$1=="50%"{print $2}' "$work/$name.txt")
  p99=$(awk '$1=="99%"{print $2}' "$work/$name.txt")
  non2xx=$(awk '/Non-2xx/{print $5}' "$work/$name.txt")
  printf '| %-34s | %10s | %8s | %8s | %6s |\n' "$name" "$rps" "$p50" "$p99" "${non2xx:-0}"
}
echo
echo "mineplan serve, region-scale database $(basename "$DB"), $THREADS server threads,"
echo "wrk $THREADS threads × $CONNECTIONS connections, ${SECONDS_PER_RUN}s each, loopback, $(nproc) cores"
echo
printf '| %-34s | %10s | %8s | %8s | %6s |\n' "what" "req/s" "p50" "p99" "non-2xx"
printf '|%s|%s|%s|%s|%s|\n' "------------------------------------" "------------" "----------" "----------" "--------"
run "tiles z6-8, zones+rights" bench/wrk/tiles.lua
run "tiles z10-12, zones+rights" bench/wrk/tiles_deep.lua
run "review (preview, not recorded)" bench/wrk/review.lua
run "review (recorded)" bench/wrk/review_record.lua
echo
echo "(an empty tile answers 204 No Content, a 2xx; reviews are POSTed with a session and CSRF token)"
