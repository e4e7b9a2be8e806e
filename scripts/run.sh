#!/usr/bin/env bash
# Builds Osprey (release) and runs its main job on the embedded defaults: a backtest of
# config/osprey.toml over the shipped two years of hourly data (no keys, no network).
# Extra arguments go to `osprey backtest` (e.g. --json, --from 2025-01-01).
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset release -DOSPREY_BUILD_TESTS=OFF -DOSPREY_BUILD_BENCH=OFF >/dev/null
cmake --build --preset release --target osprey
exec build/release/osprey backtest --config config/osprey.toml "$@"
