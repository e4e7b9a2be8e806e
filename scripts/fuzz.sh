#!/usr/bin/env bash
# Coverage-guided fuzzing (fuzz/README.md): builds the fuzz preset (clang 16, libFuzzer, ASan +
# UBSan) and runs every target of fuzz/ for SECONDS each (default: $FUZZ_SECONDS, else 60) on a
# scratch copy of its seed corpus (fuzz/corpus/ is never modified), with its dictionary
# (fuzz/dict/). Prints each target's last libFuzzer status line (runs, coverage, corpus, exec/s).
# Exits non-zero when a target crashes, breaks a property, leaks, hangs past 10 s on one input or
# passes 2 GB; the input is then kept under build/fuzz/artifacts/<target>/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-${FUZZ_SECONDS:-60}}
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || ((seconds == 0)); then
  echo "usage: scripts/fuzz.sh [SECONDS per target, > 0]" >&2
  exit 2
fi

cmake --preset fuzz >/dev/null
cmake --build --preset fuzz

# target:max_len (bytes)
targets=(candle_file:65536 settings:65536 store_file:262144)
work=$(mktemp -d)
# The store target writes a file per input: on a tmpfs SQLite's syncs cost nothing (6x faster).
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
  scratch=$(mktemp -d /dev/shm/osprey-fuzz.XXXXXX)
else
  scratch=$work/tmp
fi
trap 'rm -rf "$work" "$scratch"' EXIT
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
# Symbolized stack traces: clang 16's runtime looks for llvm-symbolizer beside itself (package
# llvm-16); fall back to any llvm-symbolizer on the PATH (llvm-14 comes with clang-tidy).
if [ -z "${ASAN_SYMBOLIZER_PATH:-}" ]; then
  for s in /usr/lib/llvm-16/bin/llvm-symbolizer "$(command -v llvm-symbolizer || true)"; do
    if [ -n "$s" ] && [ -x "$s" ]; then
      export ASAN_SYMBOLIZER_PATH=$s
      break
    fi
  done
fi
summary=()
failed=()
for entry in "${targets[@]}"; do
  name=${entry%%:*}
  max_len=${entry##*:}
  corpus=$work/corpus/$name
  mkdir -p "$corpus" "$scratch/$name"
  cp -R "fuzz/corpus/$name/." "$corpus/"
  artifacts=build/fuzz/artifacts/$name
  rm -rf "$artifacts"
  mkdir -p "$artifacts"
  args=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len="$max_len"
    -print_final_stats=1 -artifact_prefix="$artifacts/")
  if [ -f "fuzz/dict/$name.dict" ]; then args+=(-dict="fuzz/dict/$name.dict"); fi
  log=$work/$name.log
  echo "== fuzz $name: $seconds s, $(find "$corpus" -type f | wc -l) seeds"
  status=0
  TMPDIR=$scratch/$name "build/fuzz/fuzz/${name}_fuzz" "${args[@]}" "$corpus" >"$log" 2>&1 ||
    status=$?
  last=$(grep -E '^#[0-9]+' "$log" | tail -n 1 || true)
  execs=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
  echo "${last:-no status line}"
  if ((status != 0)); then
    echo "---- $name failed (exit $status); end of its log:"
    tail -n 60 "$log"
    echo "---- input kept in $artifacts/:"
    ls -l "$artifacts"
    failed+=("$name")
    summary+=("$name: FAILED (exit $status)")
  else
    summary+=("$name: ${last:-?} (mean ${execs:-?} exec/s)")
  fi
done

echo "== fuzz summary ($seconds s per target)"
printf '  %s\n' "${summary[@]}"
if ((${#failed[@]} > 0)); then
  echo "fuzz: ${failed[*]} failed; reproduce with build/fuzz/fuzz/<target>_fuzz <input>"
  exit 1
fi
