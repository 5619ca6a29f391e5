#!/usr/bin/env bash
# mineplan beside PostGIS on the generated databases, one command (issue 7, Deliver 3):
#   bench/postgis_compare.sh [--scale region|national|small|all] [-- extra bench_postgis options]
# Starts the throwaway PostgreSQL 15 + PostGIS cluster (scripts/pg-cluster.sh), makes the
# database mineplan_bench in it (never touches `mineplan`, which tests and the store use),
# builds bench_postgis and mineplan when needed (BUILD_DIR, default build), generates
# out/bench-<scale>.gpkg once (reused afterwards: delete it to time generation again), and runs
# bench/bench_postgis.cpp for each scale; its output also goes to out/postgis-<scale>.txt.
# Exit status: 0 when every differential check passes, 1 when one fails, 2 on other errors.
set -euo pipefail
cd "$(dirname "$0")/.."
scale=all
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
  --scale) scale=${2:?--scale needs region, national, small or all}; shift 2 ;;
  --) shift; extra=("$@"); break ;;
  *) echo "usage: bench/postgis_compare.sh [--scale region|national|small|all] [-- bench_postgis options]" >&2; exit 2 ;;
  esac
done
case "$scale" in
region | national | small) scales=("$scale") ;;
all) scales=(region national) ;;
*) echo "postgis_compare: --scale must be region, national, small or all" >&2; exit 2 ;;
esac

export PGOPTIONS="-c client_min_messages=warning" # no NOTICEs from if-not-exists
url=$(scripts/pg-cluster.sh start)
base=${url%/*}
if ! psql "$base/postgres" -Atqc "select 1 from pg_database where datname = 'mineplan_bench'" | grep -q 1; then
  psql "$base/postgres" -qc "create database mineplan_bench"
fi
psql "$base/mineplan_bench" -qc "create extension if not exists postgis"

BUILD_DIR=${BUILD_DIR:-build}
BUILD_DIR=$BUILD_DIR BUILD_TARGETS="mineplan bench_postgis" scripts/build.sh >/dev/null
mkdir -p out

status=0
for s in "${scales[@]}"; do
  opts=(--scale "$s" --db "out/bench-$s.gpkg" --pg "$base/mineplan_bench" --data data)
  if [ "$s" = national ]; then
    # Ten times the rights and the protected polygons in the same outline: a hundred times the
    # overlay pairs. A tenth of the rights (one overlay run), 200 boundaries, and a sample of 300 tiles
    # per zoom keep the run to minutes; the output says what was sampled.
    opts+=(--overlay-every 10 --overlay-runs 1 --n 200 --rounds 3 --tile-rounds 1 --max-per-zoom 300)
  fi
  echo "== $s: $BUILD_DIR/bench_postgis ${opts[*]} ${extra[*]:-}"
  start=$(date +%s)
  set +e
  "$BUILD_DIR/bench_postgis" "${opts[@]}" "${extra[@]}" | tee "out/postgis-$s.txt"
  rc=${PIPESTATUS[0]}
  set -e
  echo "== $s: exit $rc after $(($(date +%s) - start)) s"
  if [ "$rc" -gt "$status" ]; then status=$rc; fi
done
exit "$status"
