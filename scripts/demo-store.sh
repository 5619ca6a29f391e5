#!/usr/bin/env bash
# The store half of scripts/run.sh: makes the demo store where there is none, and otherwise
# keeps the one there — everything entered through the portal or the command line stays.
#   scripts/demo-store.sh DB ACCOUNTS [--fresh]
# DB is a GeoPackage file or a postgresql:// URL. An existing store gets the migrations this
# build knows (`mineplan migrate`) and is served as it is: its plans are not reloaded. A store
# that is not mineplan's, or is of a newer mineplan, stops the script (exit 2), untouched. The
# demo accounts (one per role) are made only where absent, their random passwords appended to
# ACCOUNTS (mode 600); an existing account keeps its password. --fresh moves an old store file
# (with its -wal and -shm) aside, renamed with a timestamp: never deleted.
# MINEPLAN_BIN names the mineplan binary (default build/mineplan).
set -euo pipefail
BIN=${MINEPLAN_BIN:-build/mineplan}
if [ $# -lt 2 ] || [ $# -gt 3 ] || { [ $# = 3 ] && [ "$3" != --fresh ]; }; then
  echo "usage: scripts/demo-store.sh DB ACCOUNTS [--fresh]" >&2
  exit 2
fi
DB=$1
accounts=$2
fresh=${3:+1}
stamp=$(date -u +%Y%m%dT%H%M%SZ)

case "$DB" in
postgres://* | postgresql://*)
  if [ -n "$fresh" ]; then
    echo "demo-store.sh: --fresh moves files aside only; for a server store name another" \
      "schema (?schema=…)" >&2
    exit 2
  fi
  ;;
*)
  mkdir -p "$(dirname "$DB")"
  if [ -n "$fresh" ] && [ -e "$DB" ]; then
    aside="${DB%.gpkg}-$stamp.gpkg"
    for suffix in "" -wal -shm; do
      if [ -e "$DB$suffix" ]; then mv -n "$DB$suffix" "$aside$suffix"; fi
    done
    echo "fresh demo: the old store is kept as $aside"
  fi
  ;;
esac

if out=$("$BIN" migrate "$DB" 2>&1); then
  echo "$out"
  echo "serving the existing store as it is: its plans are not reloaded from data/plans" \
    "(scripts/run.sh --fresh starts a fresh demo and keeps the old store aside)"
  new_store=0
else
  rc=$?
  if [ "$rc" = 2 ]; then
    echo "$out" >&2
    exit 2
  fi
  "$BIN" init "$DB"
  new_store=1
fi

mkdir -p "$(dirname "$accounts")"
umask 077
if [ "$new_store" = 1 ] && [ -s "$accounts" ]; then
  # The passwords of a store that is gone or moved aside.
  mv -n "$accounts" "$accounts.$stamp"
fi
existing=$("$BIN" user list "$DB" | awk '{print $1}')
made=0
add_account() { # username role jurisdiction holder display-name
  if printf '%s\n' "$existing" | grep -qx -- "$1"; then return 0; fi
  local password
  password=$(head -c 18 /dev/urandom | base64 | tr -d "/+=" | head -c 16)
  printf '%s\n' "$password" | "$BIN" user add "$DB" --username "$1" --role "$2" \
    --jurisdiction "$3" ${4:+--holder "$4"} --display-name "$5" >/dev/null
  printf '%-10s %-14s %-8s %s\n' "$1" "$2" "$3" "$password" >>"$accounts"
  made=$((made + 1))
}
add_account region region_staff 150000 "" "自治区自然资源厅"
add_account ordos league_staff 150600 "" "鄂尔多斯市自然资源局"
add_account dalad county_staff 150621 "" "达拉特旗自然资源局"
add_account reviewer reviewer 150621 "" "达拉特旗规划审查员"
if ! printf '%s\n' "$existing" | grep -qx -- holder; then
  add_account holder holder 150000 "中国石油天然气股份有限公司" "中国石油天然气股份有限公司"
  # A holder acts on the rights linked to the account: here its oil field in Erenhot (seed table).
  "$BIN" user link "$DB" --username holder --licence erenhot-2021/mr-01 >/dev/null
fi
if [ "$made" = 0 ]; then
  echo "the demo accounts exist already (no password was reset); their passwords were written" \
    "when they were made, to $accounts"
fi
echo "demo accounts (username role jurisdiction password): $accounts"
cat "$accounts" 2>/dev/null ||
  echo "($accounts is missing: passwords are not kept anywhere else; --fresh makes new accounts)"
