#!/usr/bin/env bash
# Checks that the C++ sources under include/ src/ tests/ fuzz/ bench/ examples/
# are formatted as .clang-format says, with clang-format 14 (the version on
# Debian 12; another version formats differently).
#
#   scripts/check_format.sh          list unformatted files, exit 1 if any
#   scripts/check_format.sh --fix    reformat them in place
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

clang_format=${CLANG_FORMAT:-clang-format-14}
if ! command -v "$clang_format" >/dev/null; then
  echo "check_format: $clang_format not found (scripts/setup.sh installs it)" >&2
  exit 2
fi

# Tracked and new (not ignored) files, so build trees never count.
mapfile -t files < <(git ls-files --cached --others --exclude-standard -- \
  include src tests fuzz bench examples | grep -E '\.(c|cc|cpp|cxx|h|hh|hpp|hxx|ipp)$' |
  while IFS= read -r f; do [ -f "$f" ] && printf '%s\n' "$f"; done)

if [ "${1:-}" = --fix ]; then
  [ "${#files[@]}" -eq 0 ] || "$clang_format" -i "${files[@]}"
  echo "check_format: formatted ${#files[@]} files"
  exit 0
fi

bad=()
for f in "${files[@]}"; do
  if ! "$clang_format" --dry-run --Werror "$f" >/dev/null 2>&1; then
    bad+=("$f")
  fi
done
if [ "${#bad[@]}" -ne 0 ]; then
  printf 'check_format: not formatted: %s\n' "${bad[@]}"
  echo "check_format: ${#bad[@]} of ${#files[@]} files need scripts/check_format.sh --fix; first diff:"
  "$clang_format" "${bad[0]}" | diff -u "${bad[0]}" - | head -n 40 || true
  exit 1
fi
echo "check_format: ${#files[@]} files formatted"
