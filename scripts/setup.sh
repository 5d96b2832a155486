#!/usr/bin/env bash
# Installs the Debian packages sipua needs to build, test, fuzz and check
# itself. Run as root (or with passwordless sudo) on Debian 12. A quick no-op
# when everything is already there: `apt-get update` only runs when something
# is missing.
#
#   scripts/setup.sh            install what is missing
#   scripts/setup.sh --check    exit 1 (and list them) if packages are missing
#   scripts/setup.sh PKG...     also make sure these extra packages are there
#
# docs/dependencies.md says why each package is here. Add new ones to the
# list below (one per line, with the issue that needs it).
set -euo pipefail

packages=(
  # Toolchain and build (issue #2)
  g++
  cmake
  ninja-build
  pkg-config
  # Libraries
  libasio-dev        # standalone Asio: transport and runtime
  libssl-dev         # OpenSSL: TLS, digest hashes
  libfmt-dev         # fmt: message builder, logging (private dependency)
  # Tests, benchmarks
  libgtest-dev
  libgmock-dev
  libbenchmark-dev
  python3            # test-data tools (shared/testdata/tools)
  # Fuzzing, sanitizers, checks
  clang              # clang 14: the fuzz and asan presets
  libclang-rt-14-dev # libFuzzer and the sanitizer runtimes for clang 14
  llvm               # llvm-symbolizer for readable sanitizer stacks
  valgrind
  clang-format
  clang-format-14    # the version .ci/run checks formatting with
  # Interop tests (issue #6)
  sip-tester         # SIPp: scripted SIP peers for tests/interop
  # Interop tests (issue #7)
  kamailio             # proxy/registrar on loopback for tests/interop
  kamailio-tls-modules # its tls module: the register_tls case
  baresip-core         # a second, independent UA for tests/interop
  openssl              # CLI: the test CA and certificates the runner makes
  # Later issues add their packages here, for instance:
  #   libc-ares-dev    # RFC 3263 NAPTR/SRV look-ups
)

check_only=0
for arg in "$@"; do
  case "$arg" in
    --check) check_only=1 ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "setup: unknown option $arg" >&2; exit 2 ;;
    *) packages+=("$arg") ;;
  esac
done

# One dpkg-query for the whole list (a package dpkg has never heard of
# prints nothing and counts as missing).
missing_packages() {
  local installed
  installed=" $(dpkg-query -W -f='${Package}:${db:Status-Status} ' "${packages[@]}" 2>/dev/null || true)"
  local p
  for p in "${packages[@]}"; do
    [[ "$installed" == *" $p:installed "* ]] || printf '%s\n' "$p"
  done
}

mapfile -t missing < <(missing_packages)
if [ "${#missing[@]}" -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages present"
  exit 0
fi
echo "setup: missing: ${missing[*]}"
[ "$check_only" -eq 0 ] || exit 1

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    sudo=(sudo -n)
  else
    echo "setup: run as root: apt-get update && apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

export DEBIAN_FRONTEND=noninteractive
apt_get() {
  local try
  for try in 1 2 3; do
    "${sudo[@]}" apt-get -q -o Dpkg::Use-Pty=0 "$@" </dev/null && return 0
    echo "setup: apt-get $1 failed (try $try of 3)" >&2
    sleep $((try * 5))
  done
  return 1
}
apt_get update
apt_get install -y --no-install-recommends "${missing[@]}"

mapfile -t missing < <(missing_packages)
if [ "${#missing[@]}" -ne 0 ]; then
  echo "setup: still missing after install: ${missing[*]}" >&2
  exit 1
fi
echo "setup: installed; all ${#packages[@]} packages present"
