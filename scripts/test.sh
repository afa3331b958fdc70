#!/usr/bin/env bash
# Sets up (Debian packages, npm test clients), builds and runs every test, as CI does.
# A private D-Bus session with an unlocked gnome-keyring is started for the keychain tests.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

scripts/setup.sh
# Let clones at other paths share ccache's results: with -g the compiler's working directory is
# part of the hash unless NOHASHDIR is set, and BASEDIR turns this clone's absolute paths into
# relative ones. (Debug info then names the directory of whichever clone compiled it first.)
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$root}" CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-true}"
preset="${EMAILRAG_PRESET:-debug}"
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset"

export HOME="$(mktemp -d)" XDG_RUNTIME_DIR="$(mktemp -d)"
chmod 700 "$XDG_RUNTIME_DIR"
exec dbus-run-session -- bash -c '
  printf %s emailrag-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1 || true
  ctest --preset "'"$preset"'" -j 2 --no-tests=error "$@"
' bash "$@"
