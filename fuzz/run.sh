#!/usr/bin/env bash
# Builds the libFuzzer targets (clang) and runs each in turn.
#   fuzz/run.sh                      every target for 25 s
#   fuzz/run.sh 300                  every target for 300 s (the documented longer run)
#   fuzz/run.sh --budget=40          40 s in all, divided among the targets (what CI runs,
#                                    from scripts/test.sh; at least 1 s each)
#   fuzz/run.sh 60 fuzz_plan_toml    one target
# Working corpora grow in build/fuzz/corpus/<target>/ (seeded from fuzz/corpus/<name>/ and,
# for plans, examples/plans/); a crash leaves its input in build/fuzz/artifacts/ and the
# script exits 1. Turn a crash into a regression test (fuzz/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
TARGETS=(fuzz_csv_ingest fuzz_plan_toml fuzz_period fuzz_match_csv fuzz_fhir_resource
         fuzz_fhir_search fuzz_auth)
if [[ "${1:-}" == --budget=* ]]; then
  budget="${1#--budget=}"
  if ! [[ "$budget" =~ ^[0-9]+$ ]]; then
    echo "fuzz/run.sh: --budget needs whole seconds, got '$budget'" >&2
    exit 2
  fi
  SECONDS_PER_TARGET=$(( budget / ${#TARGETS[@]} ))
  if [ "$SECONDS_PER_TARGET" -lt 1 ]; then SECONDS_PER_TARGET=1; fi
else
  SECONDS_PER_TARGET="${1:-25}"
fi
ONLY="${2:-}"
if [ -n "$ONLY" ] && [[ ! " ${TARGETS[*]} " == *" $ONLY "* ]]; then
  echo "fuzz/run.sh: no target '$ONLY' (targets: ${TARGETS[*]})" >&2
  exit 2
fi
BUILD=build/fuzz
if [ ! -f "$BUILD/build.ninja" ]; then
  cmake -S fuzz -B "$BUILD" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_C_COMPILER=clang \
    >/dev/null
fi
# Quiet on success; on failure the build's own messages say why.
if ! cmake --build "$BUILD" -j2 >"$BUILD/build.log" 2>&1; then
  grep -E "error|undefined reference" "$BUILD/build.log" | head -40
  echo "fuzz/run.sh: building the fuzz targets failed (whole log: $BUILD/build.log)" >&2
  exit 1
fi
mkdir -p "$BUILD/artifacts"
status=0
for target in "${TARGETS[@]}"; do
  if [ -n "$ONLY" ] && [ "$ONLY" != "$target" ]; then continue; fi
  seeds="fuzz/corpus/${target#fuzz_}"
  extra=()
  if [ "$target" = fuzz_plan_toml ]; then extra+=(examples/plans); fi
  work="$BUILD/corpus/$target"
  mkdir -p "$work"
  echo "fuzz: $target for ${SECONDS_PER_TARGET}s" >&2
  if ! "$BUILD/$target" -max_total_time="$SECONDS_PER_TARGET" -timeout=10 -rss_limit_mb=2048 \
       -max_len=65536 -print_final_stats=1 -artifact_prefix="$BUILD/artifacts/$target-" \
       "$work" "$seeds" "${extra[@]}" >"$BUILD/$target.log" 2>&1; then
    echo "fuzz: $target FAILED; input in $BUILD/artifacts/, log $BUILD/$target.log" >&2
    tail -n 40 "$BUILD/$target.log" >&2
    status=1
  else
    grep -E "stat::number_of_executed_units|DONE" "$BUILD/$target.log" | tail -n 2 >&2 || true
  fi
done
exit $status
