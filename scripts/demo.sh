#!/usr/bin/env bash
# The README's main command: installs what is missing, builds the release binary and runs
# `pioneer demo` (synthetic area -> ingest -> reconciliation and data-quality summary).
# Extra arguments go to `pioneer demo`, e.g. scripts/demo.sh --population 50000
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release
exec build/release/pioneer demo "$@"
