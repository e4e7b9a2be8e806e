#!/usr/bin/env bash
# Runs every check CI runs: formatting and clang-tidy, then all tests in the release build and
# again under AddressSanitizer + UndefinedBehaviorSanitizer, then a bounded libFuzzer run of every
# fuzz target (FUZZ_SECONDS per target, default 45; 0 skips it). Exits non-zero on the first
# failure.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== data: shipped files match data/manifest.csv"
scripts/verify-data.sh

echo "== release build + tests"
cmake --preset release -DOSPREY_BUILD_TESTS=ON -DOSPREY_BUILD_BENCH=ON >/dev/null
cmake --build --preset release
ctest --preset release

echo "== lint: clang-format and clang-tidy"
scripts/lint.sh build/release

echo "== ASan + UBSan build + tests"
cmake --preset asan >/dev/null
cmake --build --preset asan
ctest --preset asan

fuzz_seconds=${FUZZ_SECONDS:-45}
if ((fuzz_seconds > 0)); then
  echo "== fuzz: libFuzzer + ASan + UBSan, $fuzz_seconds s per target"
  scripts/fuzz.sh "$fuzz_seconds"
fi
