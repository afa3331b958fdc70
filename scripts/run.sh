#!/usr/bin/env bash
# Sets up, builds (release) and runs EmailRAG: the desktop app with its built-in server.
# Extra arguments go to emailrag, e.g. `scripts/run.sh --server` for the headless server.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release --target emailrag
exec build/release/app/emailrag "$@"
