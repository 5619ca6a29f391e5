#!/usr/bin/env bash
# Installs the Debian 12 packages mineplan needs, and only those that are missing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config git
  libgeos-dev libproj-dev proj-bin proj-data libgdal-dev gdal-bin libsqlite3-dev sqlite3
  nlohmann-json3-dev libboost-dev libsodium-dev libpq-dev
  postgresql-15 postgresql-15-postgis-3 postgresql-client-15
  libgtest-dev libbenchmark-dev
  clang libclang-rt-14-dev
  chromium fonts-noto-cjk wrk
)
# The web app builds with Node.js and npm; a machine that has them (any source) keeps them.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  packages+=(nodejs npm)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "install-deps: all packages present"
fi
