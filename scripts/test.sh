#!/usr/bin/env bash
# Runs every check CI runs: formatting and clang-tidy, then all tests in the release build and
# again under AddressSanitizer + UndefinedBehaviorSanitizer. Exits non-zero on the first failure.
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
