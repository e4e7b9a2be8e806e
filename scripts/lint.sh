#!/usr/bin/env bash
# clang-format (check only) on every C++ file, the include graph against the CMake graph
# (check-includes.sh), then clang-tidy with the repo's .clang-tidy on
# every source, using the compile commands of the build dir given (default build/release).
# clang cannot see libstdc++ 12's <expected> unless told that concepts are at C++20 level.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
mapfile -t files < <(git ls-files '*.cpp' '*.hpp' 2>/dev/null || find src bench -name '*.cpp' -o -name '*.hpp')
clang-format --dry-run --Werror "${files[@]}"
echo "clang-format: ${#files[@]} files clean"
# DESIGN.md: time and randomness enter only through adapters. The wall clock is read in
# src/core/clock.cpp (SystemClock), by the real-time adapter src/realtime/ (its AcceleratedClock
# reads the steady clock) and by the app (timing a run); nowhere else.
if grep -n -E 'system_clock::now|steady_clock::now|random_device|[^a-z_]rand\(' \
  $(printf '%s\n' "${files[@]}" | grep -E '^src/' | grep -v -E '^src/core/clock.cpp$|^src/realtime/|^src/app/|_test.cpp$'); then
  echo "wall clock or randomness read outside the adapters (see above)"
  exit 1
fi
echo "no wall clock or randomness outside the adapters"
bash scripts/check-includes.sh
mapfile -t sources < <(printf '%s\n' "${files[@]}" | grep -E '^src/.*\.cpp$')
# clang spells C++23 as c++2b and does not know GCC-only warning flags: give it an adjusted copy
# of the compile commands. clang-tidy-16: clang 14 cannot compile libstdc++ 12's std::expected.
tidy_db=$(mktemp -d)
sed -e 's/-std=c++23/-std=c++2b/g' -e 's/-Wno-restrict//g' "$build/compile_commands.json" \
  >"$tidy_db/compile_commands.json"
log=$(mktemp)
status=0
printf '%s\n' "${sources[@]}" | xargs -P 2 -n 8 clang-tidy-16 -p "$tidy_db" --quiet \
  --extra-arg=-U__cpp_concepts --extra-arg=-D__cpp_concepts=202002L >"$log" 2>&1 || status=$?
grep -v -E '^[0-9]+ warnings? (and [0-9]+ errors? )?generated|^Suppressed|^Use -header-filter|^$' "$log" || true
rm -rf "$log" "$tidy_db"
if [ "$status" -ne 0 ]; then
  echo "clang-tidy: problems found (see above)"
  exit 1
fi
echo "clang-tidy: ${#sources[@]} sources clean"
