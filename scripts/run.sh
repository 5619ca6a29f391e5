#!/usr/bin/env bash
# The main job: install what is missing, build, load the five seed plans into the embedded
# store (a GeoPackage) and show them.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
DB=${MINEPLAN_DB:-out/mineplan.gpkg}
mkdir -p "$(dirname "$DB")"
rm -f "$DB" "$DB-wal" "$DB-shm"
build/mineplan init "$DB"
echo "store: $DB (open it in QGIS, or: build/mineplan show $DB dalad-2021)"
