#!/usr/bin/env bash
# The README's test command: installs what is missing, builds the debug configuration
# (AddressSanitizer + UndefinedBehaviorSanitizer, warnings as errors), runs every test, then
# runs each libFuzzer target of fuzz/ briefly (PIONEER_FUZZ_SECONDS per target, default 10;
# PIONEER_FUZZ_SECONDS=0 skips them; longer runs: fuzz/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake --preset debug >/dev/null
cmake --build --preset debug
ctest --preset debug "$@"
if [ "${PIONEER_FUZZ_SECONDS:-10}" != "0" ]; then
  fuzz/run.sh "${PIONEER_FUZZ_SECONDS:-10}"
fi
