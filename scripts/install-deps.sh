#!/usr/bin/env bash
# Installs every Debian package Pioneer needs, and nothing when all are present.
# Idempotent: safe to run on every build. Needs root (or sudo) only when something is missing.
#   scripts/install-deps.sh          what building, testing and the demo need
#   scripts/install-deps.sh --bench  also the peers the benchmarks measure against (PostgreSQL)
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config git
  libgtest-dev libgmock-dev libbenchmark-dev
  libfmt-dev libcli11-dev nlohmann-json3-dev
  libcsv-dev            # CSV reading (RFC 4180 quoting, embedded newlines)
  libsqlite3-dev sqlite3  # the embedded store
  libssl-dev            # SHA-256 checksums of ingested files
  libtomlplusplus-dev   # BCF plan files (TOML)
  libxlsxwriter-dev     # the BCF Part 2 workbook (bcf-part2.xlsx)
  chromium              # headless browser for the dashboard test (tests/report)
  clang libclang-rt-14-dev  # libFuzzer targets of every parser (fuzz/, run by scripts/test.sh)
  clang-format          # the style check of every C++ file (tests/format_check.sh)
  libsodium-dev         # the IG gate: Argon2id passwords, bearer tokens, pseudonymised keys (src/pioneer/ig)
  libcpp-httplib-dev    # the shared care record server, HTTP/1.1 + TLS (src/pioneer/server)
  libxgboost-dev xgboost  # gradient-boosted risk model (src/pioneer/risk; the CLI is the bench peer)
)
if [ "${1:-}" = "--bench" ]; then
  PACKAGES+=(postgresql-15 libpq-dev time bc wrk curl)  # peers, load and timers used by bench/ only
fi

# npm packages (web/package.json + package-lock.json): chart.js is embedded into the report
# dashboard at build time; exceljs and playwright-core read the report back in tests/report/;
# fhir-kit-client drives the FHIR server in tests/fhir/ (and fhirclient, from
# tests/fhir/fhirclient/).
web_deps() {
  local web
  web="$(cd "$(dirname "$0")/.." && pwd)/web"
  if [ ! -d "$web/node_modules/chart.js" ] || [ ! -d "$web/node_modules/exceljs" ] ||
     [ ! -d "$web/node_modules/fhir-kit-client" ] ||
     [ "$web/package-lock.json" -nt "$web/node_modules/.package-lock.json" ]; then
    echo "install-deps: npm ci in web/" >&2
    (cd "$web" && npm ci --no-audit --no-fund >/dev/null)
  fi
  # fhirclient (the SMART on FHIR JavaScript client) in a folder of its own: its .npmrc leaves
  # out optional and peer dependencies (React Native, Expo), so it stays about 34 MB.
  local fc
  fc="$(dirname "$web")/tests/fhir/fhirclient"
  if [ ! -d "$fc/node_modules/fhirclient" ] ||
     [ "$fc/package-lock.json" -nt "$fc/node_modules/.package-lock.json" ]; then
    echo "install-deps: npm ci in tests/fhir/fhirclient/" >&2
    (cd "$fc" && npm ci >/dev/null)
  fi
}

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  web_deps
  exit 0
fi

echo "install-deps: installing ${missing[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done" >&2
web_deps
