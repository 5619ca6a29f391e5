#!/usr/bin/env bash
# A throwaway PostgreSQL 15 + PostGIS cluster on loopback for tests and benchmarks.
#   scripts/pg-cluster.sh start [DIR] [PORT]   initialises (once) and starts it; prints the URL
#   scripts/pg-cluster.sh stop  [DIR]
# The cluster trusts local connections only (unix socket in DIR and 127.0.0.1), so it must
# never hold anything but test data. The database `mineplan` has the postgis extension.
set -euo pipefail
cmd=${1:-start}
dir=$(realpath -m "${2:-${MINEPLAN_PG_DIR:-/tmp/mineplan-pg}}")
port=${3:-${MINEPLAN_PG_PORT:-55432}}
bin=/usr/lib/postgresql/15/bin

# PostgreSQL refuses to run as root; the Debian package made the postgres user.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$cmd" in
start)
  if [ ! -x "$bin/pg_ctl" ]; then
    echo "pg-cluster: $bin/pg_ctl missing (apt install postgresql-15-postgis-3)" >&2
    exit 1
  fi
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    mkdir -p "$dir"
    if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$dir"; fi
    as_pg "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log"
  fi
  if ! as_pg "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200 -c shared_buffers=256MB" start >/dev/null
  fi
  if ! as_pg "$bin/../bin/psql" -h "$dir" -p "$port" -U postgres -Atqc \
      "select 1 from pg_database where datname='mineplan'" postgres | grep -q 1; then
    as_pg psql -h "$dir" -p "$port" -U postgres -qc "create database mineplan" postgres
  fi
  as_pg psql -h "$dir" -p "$port" -U postgres -qc "create extension if not exists postgis" mineplan
  echo "postgresql://postgres@127.0.0.1:$port/mineplan"
  ;;
stop)
  if [ -f "$dir/data/postmaster.pid" ]; then as_pg "$bin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null || true; fi
  ;;
*)
  echo "usage: scripts/pg-cluster.sh start|stop [DIR] [PORT]" >&2
  exit 2
  ;;
esac
