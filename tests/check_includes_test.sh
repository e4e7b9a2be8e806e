#!/usr/bin/env bash
# scripts/check-includes.sh refuses an include against the CMake graph and accepts the real tree:
# a fake two-layer project gets a downward include (passes), then an upward one and a test's
# include of a TEST_DEPS-only component used from a non-test file (both fail, naming file:line).
set -uo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
osprey=unused
# shellcheck source=tests/cli_lib.sh
source tests/cli_lib.sh
lint=scripts/check-includes.sh

check "the repository's own tree passes" bash "$lint" >"$tmp/real" 2>&1

mkdir -p "$tmp/p/src/low" "$tmp/p/src/high" "$tmp/p/src/side"
cat >"$tmp/p/CMakeLists.txt" <<'CM'
osprey_component(low p_low DEPS fmt::fmt)
osprey_component(side p_side)
osprey_component(high p_high
  DEPS p_low TEST_DEPS p_side)  # over two lines, as in the real file
CM
printf '#pragma once\n' >"$tmp/p/src/low/a.hpp"
printf '#pragma once\n' >"$tmp/p/src/side/s.hpp"
printf '#include "low/a.hpp"\n#include <vector>\n' >"$tmp/p/src/high/b.hpp"
printf '#include "high/b.hpp"\n#include "side/s.hpp"\n' >"$tmp/p/src/high/b_test.cpp"
check "downward includes and a test's TEST_DEPS pass" bash "$lint" "$tmp/p" >"$tmp/ok" 2>&1

printf '// a comment\n#include "high/b.hpp"\n' >"$tmp/p/src/low/a.cpp"
bash "$lint" "$tmp/p" >"$tmp/up" 2>&1
check "an upward include fails" test $? -eq 1
check "naming file and line" has "$tmp/up" 'src/low/a.cpp:2: includes "high/b.hpp" but low does not depend on high'
rm "$tmp/p/src/low/a.cpp"

printf '#include "side/s.hpp"\n' >"$tmp/p/src/high/b.cpp"
bash "$lint" "$tmp/p" >"$tmp/sideways" 2>&1
check "a TEST_DEPS component used outside a test fails" test $? -eq 1
check "naming it" has "$tmp/sideways" 'src/high/b.cpp:1: includes "side/s.hpp"'

finish
