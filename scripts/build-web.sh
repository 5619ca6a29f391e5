#!/usr/bin/env bash
# Builds the web app (web/dist) from the npm registry's packages pinned in web/package-lock.json.
# Skips the install and the build when nothing changed since the last one.
set -euo pipefail
cd "$(dirname "$0")/../web"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
if [ ! -f dist/index.html ] || [ -n "$(find src index.html vite.config.js package-lock.json -newer dist/index.html -print -quit 2>/dev/null)" ]; then
  npm run build --silent
fi
