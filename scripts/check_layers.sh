#!/usr/bin/env bash
# Layering and purity checks (docs/architecture.md, "Rules"):
#  1. A layer includes only itself and the layers below it (table below).
#  2. The sans-I/O core layers include no Asio, OpenSSL or socket headers
#     and read no clock and no global randomness: time and randomness are
#     arguments, never looked up.
#  3. No public header includes fmt (it stays a private dependency).
#
#   scripts/check_layers.sh [ROOT]     check ROOT (default: this repository)
#   scripts/check_layers.sh --self-test
#
# Exits 1 and prints FILE:LINE: reason for each problem.
set -euo pipefail

# What each layer may include from sipua besides itself (and the top-level
# helpers include/sipua/*.hpp, which belong to no layer). Bottom first.
# A new layer folder needs a row here, or the check fails.
declare -A may_include=(
  [message]=""
  [sdp]="message"
  [auth]="message"
  [txn]="message transport"
  [dialog]="message sdp auth txn transport"
  [transport]="message"
  [runtime]="message transport txn"
  [ua]="message sdp auth txn dialog transport runtime"
)
# Sans-I/O layers: no I/O, no clock, no global randomness.
core_layers="message sdp auth txn dialog"
# What a sans-I/O layer may include from transport: its pure vocabulary
# (addresses, errors, the routing rules, the interface's event types), built
# into the core library (src/CMakeLists.txt), never a transport itself.
transport_vocabulary="address.hpp error.hpp routing.hpp transport.hpp tls_identity.hpp"

# The one exception to "no OpenSSL in the core": src/auth/hash.cpp wraps
# libcrypto's digests and HMAC for RFC 7616 digest authentication behind
# include/sipua/auth/hash.hpp (which names no OpenSSL type). It may include
# openssl/ headers and nothing else of the I/O list; no other file may.
openssl_exception="src/auth/hash.cpp"
openssl_include='^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]openssl/'

io_include='^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"](asio[./]|boost/asio|openssl/|sys/socket\.h|sys/un\.h|sys/epoll\.h|sys/select\.h|poll\.h|netinet/|arpa/inet\.h|netdb\.h|winsock2?\.h|ws2tcpip\.h)'
clock_read='(system_clock|steady_clock|high_resolution_clock|utc_clock|tai_clock|gps_clock|file_clock)::now|gettimeofday|clock_gettime|(^|[^[:alnum:]_.>])time\(|(^|[^[:alnum:]_.>])s?rand\(|random_device'
fmt_include='^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]fmt/'
sipua_include='^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]([.][.]/|sipua/)'

problems=0
report() {
  echo "$1: $2"
  problems=$((problems + 1))
}

# Prints "LINE:TEXT" for lines of FILE matching ERE, // comments removed.
code_matches() {
  sed -E 's://.*$::' "$2" | grep -n -E "$1" || true
}

check_file() {
  local file=$1 rel=$2 layer=$3 kind=$4 line text target
  if [ -z "${may_include[$layer]+x}" ]; then
    report "$rel" "layer '$layer' is not in the table of scripts/check_layers.sh"
    return
  fi
  # 1. Includes of other layers.
  while IFS=: read -r line text; do
    target=$(sed -E 's:.*[<"]((\.\./)+|sipua/)([a-z_]+)/.*:\3:; t; s:.*::' <<<"$text")
    [ -n "$target" ] || continue
    [ "$target" = "$layer" ] && continue
    if [ -z "${may_include[$target]+x}" ]; then
      report "$rel:$line" "includes unknown layer '$target'"
    elif [[ " ${may_include[$layer]} " != *" $target "* ]]; then
      report "$rel:$line" "layer '$layer' may not include '$target' (allowed: ${may_include[$layer]:-none})"
    elif [ "$target" = transport ] && [[ " $core_layers " == *" $layer "* ]]; then
      local header
      header=$(sed -E 's:.*transport/([^">]+)[">].*:\1:' <<<"$text")
      if [[ " $transport_vocabulary " != *" $header "* ]]; then
        report "$rel:$line" "sans-I/O layer '$layer' may include only transport's vocabulary ($transport_vocabulary), not $header"
      fi
    fi
  done < <(grep -n -E "$sipua_include" "$file" || true)
  # 2. The core stays pure.
  if [[ " $core_layers " == *" $layer "* ]]; then
    while IFS=: read -r line text; do
      if [ "$rel" = "$openssl_exception" ] && grep -q -E "$openssl_include" <<<"$text"; then
        continue
      fi
      report "$rel:$line" "sans-I/O layer '$layer' includes I/O: ${text#"${text%%[![:space:]]*}"}"
    done < <(grep -n -E "$io_include" "$file" || true)
    while IFS=: read -r line text; do
      report "$rel:$line" "sans-I/O layer '$layer' reads a clock or global randomness (pass now / a generator in)"
    done < <(code_matches "$clock_read" "$file")
  fi
  # 3. fmt stays out of public headers.
  if [ "$kind" = include ]; then
    while IFS=: read -r line text; do
      report "$rel:$line" "public header includes fmt (a private dependency)"
    done < <(grep -n -E "$fmt_include" "$file" || true)
  fi
}

check_tree() {
  local root=$1 file rel layer kind checked=0
  while IFS= read -r file; do
    rel=${file#"$root"/}
    case "$rel" in
      include/sipua/*/*) kind=include; layer=${rel#include/sipua/}; layer=${layer%%/*} ;;
      include/sipua/*) kind=include; layer="" ;;
      src/*/*) kind=src; layer=${rel#src/}; layer=${layer%%/*} ;;
      *) continue ;;
    esac
    checked=$((checked + 1))
    if [ -z "$layer" ]; then
      # Top-level public headers: only the fmt rule applies.
      while IFS=: read -r line _; do
        report "$rel:$line" "public header includes fmt (a private dependency)"
      done < <(grep -n -E "$fmt_include" "$file" || true)
      continue
    fi
    check_file "$file" "$rel" "$layer" "$kind"
  done < <(find "$root/include/sipua" "$root/src" -type f \
             \( -name '*.hpp' -o -name '*.h' -o -name '*.cpp' -o -name '*.ipp' \) 2>/dev/null | sort)
  echo "check_layers: $checked files checked, $problems problems"
  [ "$problems" -eq 0 ]
}

self_test() {
  local t
  t=$(mktemp -d)
  trap 'rm -rf "$t"' RETURN
  mkdir -p "$t/include/sipua/message" "$t/include/sipua/txn" "$t/include/sipua/ua" \
           "$t/src/message" "$t/src/dialog" "$t/src/ua" "$t/src/gadget" "$t/src/auth"
  # Allowed: must give no problem.
  printf '#include "sipua/message/message.hpp"\n#include "sipua/result.hpp"\n#include "sipua/transport/routing.hpp"\n' >"$t/include/sipua/txn/ok.hpp"
  printf '#include "sipua/transport/udp.hpp"\n' >"$t/src/dialog/transport.cpp"
  printf '#include <sipua/dialog/d.hpp>\n#include <asio.hpp>\n#include <chrono>\n' >"$t/src/ua/ok.cpp"
  printf 'auto f(std::chrono::steady_clock::time_point now) { return now; }  // not a read\n' >"$t/src/dialog/ok.cpp"
  printf 'int parse_time(int x); int y = parse_time(1);  // steady_clock::now() in a comment\n' >"$t/src/message/ok.cpp"
  # The OpenSSL exception: openssl/ in src/auth/hash.cpp only, and nothing
  # else of the I/O list there (one problem, the socket header).
  printf '#include <openssl/evp.h>\n#include <sys/socket.h>\n' >"$t/src/auth/hash.cpp"
  # Each of these must give exactly one problem.
  printf '#include <openssl/evp.h>\n' >"$t/src/auth/digest.cpp"
  printf '#include "sipua/txn/txn.hpp"\n' >"$t/include/sipua/message/up.hpp"
  printf '#include "../ua/user_agent.hpp"\n' >"$t/src/dialog/up.cpp"
  printf '#include <asio/ip/udp.hpp>\n' >"$t/src/message/io.cpp"
  printf '#include <sys/socket.h>\n' >"$t/src/dialog/io.cpp"
  printf 'auto t = std::chrono::steady_clock::now();\n' >"$t/src/message/clock.cpp"
  printf 'long t = time(nullptr);\n' >"$t/src/dialog/clock.cpp"
  printf 'std::random_device rd;\n' >"$t/src/message/random.cpp"
  printf '#include <fmt/format.h>\n' >"$t/include/sipua/ua/fmt.hpp"
  printf '#include "sipua/message/message.hpp"\n' >"$t/src/gadget/x.cpp"
  local out expected=12
  out=$(problems=0; check_tree "$t" 2>&1) && { echo "$out"; echo "self-test: violations passed" >&2; return 1; }
  local got
  got=$(grep -c -E '^(include|src)/' <<<"$out" || true)
  if [ "$got" -ne "$expected" ] || grep -q '/ok\.' <<<"$out"; then
    echo "$out"
    echo "check_layers self-test: expected $expected problems (none in ok.*), got $got" >&2
    return 1
  fi
  [ -z "${SELF_TEST_VERBOSE:-}" ] || echo "$out"
  echo "check_layers self-test: ok ($got planted problems found)"
}

if [ "${1:-}" = --self-test ]; then
  self_test
  exit
fi
root=${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
check_tree "$(cd "$root" && pwd)"
