#!/usr/bin/env bash
# The demo command: installs what is missing (scripts/setup.sh), configures
# the `dev` preset, builds the dialer and runs `sipdial demo`: two UAs in one
# process on 127.0.0.1 place, answer, hold and hang up a call, printing the
# message ladder. Run from anywhere, as root on a fresh Debian 12 machine.
#
#   scripts/demo.sh [--trace]     (arguments go to `sipdial demo`)
#
# SIPUA_JOBS sets build parallelism (default: number of cores). Exits with
# the demo's status (0: the call went as planned).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

jobs=${SIPUA_JOBS:-$(nproc)}

scripts/setup.sh
cmake --preset dev >/dev/null
cmake --build --preset dev --parallel "$jobs" --target sipdial
exec build/dev/examples/sipdial/sipdial demo "$@"
