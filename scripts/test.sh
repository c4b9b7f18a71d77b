#!/usr/bin/env bash
# The README's test command: installs what is missing, builds the debug configuration
# (AddressSanitizer + UndefinedBehaviorSanitizer, warnings as errors) and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake --preset debug >/dev/null
cmake --build --preset debug
ctest --preset debug "$@"
