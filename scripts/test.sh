#!/usr/bin/env bash
# The README's test command: installs what is missing, builds the debug configuration
# (AddressSanitizer + UndefinedBehaviorSanitizer, warnings as errors), runs every test, then
# runs the libFuzzer targets of fuzz/ briefly (PIONEER_FUZZ_SECONDS in all, divided among
# the targets, default 40; PIONEER_FUZZ_SECONDS=0 skips them; longer runs: fuzz/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake --preset debug >/dev/null
cmake --build --preset debug
ctest --preset debug "$@"
if [ "${PIONEER_FUZZ_SECONDS:-40}" != "0" ]; then
  fuzz/run.sh --budget="${PIONEER_FUZZ_SECONDS:-40}"
fi
