#!/usr/bin/env bash
# The test command: installs what is missing (scripts/setup.sh), configures,
# builds and runs every ctest test, the interop ones (label `interop`: sipdial
# against SIPp, Kamailio and baresip on 127.0.0.1) included. Run from anywhere, as root on a fresh
# Debian 12 machine.
#
#   scripts/test.sh            the `dev` preset (Debug, gcc)
#   scripts/test.sh asan       another preset with tests: asan, release
#
# SIPUA_JOBS sets build and test parallelism (default: number of cores).
# Exits non-zero if anything fails.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

preset=${1:-dev}
jobs=${SIPUA_JOBS:-$(nproc)}

scripts/setup.sh
cmake --preset "$preset"
cmake --build --preset "$preset" --parallel "$jobs"
ctest --preset "$preset" --parallel "$jobs"
