#!/usr/bin/env bash
# The main job: install what is missing, build (server and web app), and serve the one-map
# portal. The first run creates the store with the five seed plans and the demo accounts; later
# runs serve the store as it is — everything entered through the portal or the command line
# stays — after applying the schema migrations this build knows (`mineplan migrate`).
#   MINEPLAN_DB=path.gpkg        another file
#   MINEPLAN_DB=pg               the server store in a local PostgreSQL/PostGIS cluster
#                                (/tmp/mineplan-run-pg, port 55434, schema `mineplan`; the
#                                cluster stays between runs)
#   MINEPLAN_DB=postgresql://…   an existing server (schema from ?schema=, default mineplan)
#   MINEPLAN_FRESH=1 or --fresh  a fresh demo: the old store is moved aside (the file renamed
#                                with a timestamp, the schema renamed), never deleted
set -euo pipefail
cd "$(dirname "$0")/.."
FRESH=${MINEPLAN_FRESH:-0}
for arg in "$@"; do
  case "$arg" in
  --fresh) FRESH=1 ;;
  *)
    echo "usage: scripts/run.sh [--fresh]   (or MINEPLAN_FRESH=1 scripts/run.sh)" >&2
    exit 2
    ;;
  esac
done
scripts/install-deps.sh
scripts/build.sh
scripts/build-web.sh
DB=${MINEPLAN_DB:-out/mineplan.gpkg}
PORT=${MINEPLAN_PORT:-8080}
HOST=${MINEPLAN_HOST:-127.0.0.1}
case "$DB" in
pg)
  # Under /tmp: the postgres user may not reach into the checkout.
  url=$(scripts/pg-cluster.sh start /tmp/mineplan-run-pg 55434)
  if [ "$FRESH" = 1 ] &&
    [ -n "$(psql -Atq "$url" -c "SELECT 1 FROM pg_namespace WHERE nspname = 'mineplan'")" ]; then
    stamp=$(date -u +%Y%m%dT%H%M%SZ)
    psql -q "$url" -c "ALTER SCHEMA mineplan RENAME TO mineplan_$stamp"
    echo "fresh demo: the old store is kept as schema mineplan_$stamp"
  fi
  DB="$url?schema=mineplan"
  FRESH=0
  accounts=out/demo-accounts-pg.txt
  ;;
postgres://* | postgresql://*) accounts=out/demo-accounts-pg.txt ;;
*) accounts="$(dirname "$DB")/demo-accounts.txt" ;;
esac

# The store: made on the first run, kept (migrated) on later ones; --fresh moves it aside.
fresh=()
if [ "$FRESH" = 1 ]; then fresh=(--fresh); fi
scripts/demo-store.sh "$DB" "$accounts" "${fresh[@]}"
echo "one-map portal: http://$HOST:$PORT/  (Ctrl-C stops the server)"
exec build/mineplan serve "$DB" --host "$HOST" --port "$PORT" --web web/dist
