#!/usr/bin/env bash
# Runs one libFuzzer target of the `fuzz` preset for a while, on a temporary
# copy of its corpus: nothing is written into the repository.
#
#   cmake --preset fuzz && cmake --build --preset fuzz
#   scripts/fuzz.sh NAME [SECONDS]        e.g. scripts/fuzz.sh datagram 60
#   scripts/fuzz.sh --list                the targets that are built
#
# Uses fuzz/dict/NAME.dict when it exists. On a crash (or any failure) it
# prints the input in base64 and keeps it; put it in fuzz/regressions/NAME/
# with the fix. SIPUA_FUZZ_BUILD overrides the build dir (build/fuzz).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${SIPUA_FUZZ_BUILD:-$root/build/fuzz}

if [ "${1:-}" = --list ]; then
  for exe in "$build"/fuzz/fuzz_*; do
    [ -x "$exe" ] && basename "$exe" | sed 's/^fuzz_//'
  done
  exit 0
fi
name=${1:?usage: scripts/fuzz.sh NAME [SECONDS]}
seconds=${2:-30}
exe=$build/fuzz/fuzz_$name
if [ ! -x "$exe" ]; then
  echo "fuzz: $exe not built (cmake --preset fuzz && cmake --build --preset fuzz)" >&2
  exit 2
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/sipua-fuzz-$name.XXXXXX")
keep=0
cleanup() { [ "$keep" -eq 1 ] || rm -rf "$work"; }
trap cleanup EXIT
mkdir -p "$work/corpus" "$work/artifacts"
for seeds in "$root/fuzz/corpus/$name" "$root/fuzz/regressions/$name"; do
  [ -d "$seeds" ] && cp -R "$seeds/." "$work/corpus/"
done
seeds_count=$(find "$work/corpus" -type f | wc -l)

args=(
  -max_total_time="$seconds"
  -timeout=10            # one input taking 10 s is a hang
  -rss_limit_mb=2048
  -max_len=65536         # the default message size limit
  -print_final_stats=1
  -artifact_prefix="$work/artifacts/"
)
dict=$root/fuzz/dict/$name.dict
[ -f "$dict" ] && args+=(-dict="$dict")

echo "fuzz: $name for ${seconds}s from $seeds_count seeds (work dir $work)"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:detect_stack_use_after_return=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
set +e
(cd "$work" && "$exe" "${args[@]}" "$work/corpus" </dev/null) >"$work/log" 2>&1
rc=$?
set -e
if [ "$rc" -ne 0 ]; then
  tail -n 80 "$work/log"
  keep=1
  echo "fuzz: $name FAILED (exit $rc); log and inputs kept in $work" >&2
  for artifact in "$work"/artifacts/*; do
    [ -f "$artifact" ] || continue
    echo "fuzz: artifact $(basename "$artifact") ($(wc -c <"$artifact") bytes), base64:" >&2
    head -c 65536 "$artifact" | base64 -w 0 >&2
    echo >&2
  done
  exit 1
fi
grep -E '^(Done|stat::)' "$work/log" || tail -n 10 "$work/log"
echo "fuzz: $name ok, corpus grew from $seeds_count to $(find "$work/corpus" -type f | wc -l) inputs"
