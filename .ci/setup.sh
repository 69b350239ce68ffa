#!/usr/bin/env bash
# Shared by .ci/demo and .ci/test: installs the Debian packages that are missing (and, for
# tests, the FHIR test server's npm packages), then configures and builds into build/.
# Usage: .ci/setup.sh [--with-tests]
set -euo pipefail
cd "$(dirname "$0")/.."

with_tests=0
[ "${1:-}" = "--with-tests" ] && with_tests=1

want=()
while read -r line; do
    line="${line%%#*}"
    [ -z "${line// }" ] && continue
    if [[ "$line" == test:* ]]; then
        [ "$with_tests" = 1 ] || continue
        line="${line#test:}"
    fi
    want+=("${line// }")
done < .ci/packages.txt
if [ "$with_tests" = 1 ] && ! command -v node >/dev/null; then
    want+=(nodejs npm)
fi

missing=()
for p in "${want[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
    echo "Installing Debian packages: ${missing[*]}"
    sudo_cmd=""
    [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [ "$with_tests" = 1 ]; then
    # The FHIR test server (Medplum 4.5.2), pinned by its lock file.
    (cd tests/fhir-server && npm ci --no-audit --no-fund --loglevel=error)
fi

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=$([ "$with_tests" = 1 ] && echo ON || echo OFF) >/dev/null
cmake --build build -j "$(nproc)"
