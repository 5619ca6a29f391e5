#!/usr/bin/env bash
# The main job: install what is missing, build (server and web app), load the five seed plans
# into the embedded store (a GeoPackage), make demo accounts, and serve the one-map portal.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
scripts/build-web.sh
DB=${MINEPLAN_DB:-out/mineplan.gpkg}
PORT=${MINEPLAN_PORT:-8080}
HOST=${MINEPLAN_HOST:-127.0.0.1}
mkdir -p "$(dirname "$DB")"
rm -f "$DB" "$DB-wal" "$DB-shm"
build/mineplan init "$DB"

# Demo accounts, one per role, with fresh random passwords kept beside the store (mode 600).
accounts="$(dirname "$DB")/demo-accounts.txt"
umask 077
: >"$accounts"
add_account() { # username role jurisdiction [holder]
  local password
  password=$(head -c 18 /dev/urandom | base64 | tr -d "/+=" | head -c 16)
  printf '%s\n' "$password" | build/mineplan user add "$DB" --username "$1" --role "$2" \
    --jurisdiction "$3" ${4:+--holder "$4"} --display-name "$5" >/dev/null
  printf '%-10s %-14s %-8s %s\n' "$1" "$2" "$3" "$password" >>"$accounts"
}
add_account region region_staff 150000 "" "自治区自然资源厅"
add_account ordos league_staff 150600 "" "鄂尔多斯市自然资源局"
add_account dalad county_staff 150621 "" "达拉特旗自然资源局"
add_account reviewer reviewer 150621 "" "达拉特旗规划审查员"
add_account holder holder 150000 "中国石油天然气股份有限公司" "中国石油天然气股份有限公司"
echo "demo accounts (username role jurisdiction password): $accounts"
cat "$accounts"
echo "one-map portal: http://$HOST:$PORT/  (Ctrl-C stops the server)"
exec build/mineplan serve "$DB" --host "$HOST" --port "$PORT" --web web/dist
