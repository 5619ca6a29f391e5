#!/usr/bin/env bash
# The main job: install what is missing, build (server and web app), load the five seed plans
# into the embedded store (a GeoPackage), make demo accounts, and serve the one-map portal.
#   MINEPLAN_DB=path.gpkg        another file (replaced)
#   MINEPLAN_DB=pg               the server store in a local throwaway PostgreSQL/PostGIS cluster
#                                (/tmp/mineplan-run-pg, port 55434; its `mineplan` schema is replaced)
#   MINEPLAN_DB=postgresql://…   an existing server; a store already there is served as it is
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
scripts/build-web.sh
DB=${MINEPLAN_DB:-out/mineplan.gpkg}
PORT=${MINEPLAN_PORT:-8080}
HOST=${MINEPLAN_HOST:-127.0.0.1}
fresh=1
case "$DB" in
pg)
  # Under /tmp: the postgres user may not reach into the checkout.
  url=$(scripts/pg-cluster.sh start /tmp/mineplan-run-pg 55434)
  psql -q "$url" -c "SET client_min_messages = warning; DROP SCHEMA IF EXISTS mineplan CASCADE"
  DB="$url?schema=mineplan"
  build/mineplan init "$DB"
  ;;
postgres://* | postgresql://*)
  if build/mineplan plans "$DB" >/dev/null 2>&1; then fresh=0; else build/mineplan init "$DB"; fi
  ;;
*)
  mkdir -p "$(dirname "$DB")"
  rm -f "$DB" "$DB-wal" "$DB-shm"
  build/mineplan init "$DB"
  ;;
esac

# Demo accounts, one per role, with fresh random passwords kept in out/ (mode 600).
accounts=out/demo-accounts.txt
case "$DB" in postgres* | pg) ;; *) accounts="$(dirname "$DB")/demo-accounts.txt" ;; esac
mkdir -p "$(dirname "$accounts")"
umask 077
add_account() { # username role jurisdiction [holder]
  local password
  password=$(head -c 18 /dev/urandom | base64 | tr -d "/+=" | head -c 16)
  printf '%s\n' "$password" | build/mineplan user add "$DB" --username "$1" --role "$2" \
    --jurisdiction "$3" ${4:+--holder "$4"} --display-name "$5" >/dev/null
  printf '%-10s %-14s %-8s %s\n' "$1" "$2" "$3" "$password" >>"$accounts"
}
if [ "$fresh" = 1 ]; then
: >"$accounts"
add_account region region_staff 150000 "" "自治区自然资源厅"
add_account ordos league_staff 150600 "" "鄂尔多斯市自然资源局"
add_account dalad county_staff 150621 "" "达拉特旗自然资源局"
add_account reviewer reviewer 150621 "" "达拉特旗规划审查员"
add_account holder holder 150000 "中国石油天然气股份有限公司" "中国石油天然气股份有限公司"
# A holder acts on the rights linked to the account: here its oil field in Erenhot (seed table).
build/mineplan user link "$DB" --username holder --licence erenhot-2021/mr-01 >/dev/null
fi
echo "demo accounts (username role jurisdiction password): $accounts"
cat "$accounts" 2>/dev/null || true
echo "one-map portal: http://$HOST:$PORT/  (Ctrl-C stops the server)"
exec build/mineplan serve "$DB" --host "$HOST" --port "$PORT" --web web/dist
