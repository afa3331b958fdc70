#!/usr/bin/env bash
# Installs every Debian package that building, running and testing EmailRAG needs.
# Idempotent and non-interactive: runs `apt-get update` only when something is missing.
set -euo pipefail

PACKAGES=(
  # toolchain
  build-essential cmake ninja-build ccache pkg-config git clang-format
  # Qt 6.4
  qt6-base-dev qt6-base-dev-tools libqt6opengl6-dev qt6-websockets-dev qt6-httpserver-dev
  qt6-svg-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-translations-l10n
  libqt6sql6-sqlite libqt6sql6-psql qt6-qpa-plugins
  # libraries
  libgmime-3.0-dev libgumbo-dev libsqlite3-dev libsodium-dev libcpp-jwt-dev libssl-dev
  libzstd-dev libicu-dev libhnswlib-dev qtkeychain-qt6-dev nlohmann-json3-dev libjemalloc-dev liblz4-dev
  # query expansion's synonyms (server/embed/wordnet.h; read at run time, nothing downloaded)
  wordnet-base
  # keyring for tests
  gnome-keyring dbus-bin dbus-x11 libsecret-1-0
  # tests, UI pictures, corpora
  xvfb xauth imagemagick fonts-dejavu-core xdotool zstd tar libpython3.11-testsuite
  # database server for PostgreSQL tests
  postgresql-15
  # packaging checks
  dpkg-dev appstream desktop-file-utils systemd curl
)

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

# Node.js and npm: the machine's own when present (it may not come from Debian), else Debian's.
if ! command -v node >/dev/null 2>&1; then missing+=(nodejs); fi
if ! command -v npm >/dev/null 2>&1; then missing+=(npm); fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${#missing[@]} missing packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "setup: all ${#PACKAGES[@]} packages present"
fi

# Node's ws client for the integration tests (npm, outside Debian).
root="$(cd "$(dirname "$0")/.." && pwd)"
if [ ! -d "$root/tests/node/node_modules/ws" ] && [ -f "$root/tests/node/package.json" ]; then
  (cd "$root/tests/node" && npm install --no-audit --no-fund --silent)
fi
