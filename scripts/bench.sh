#!/usr/bin/env bash
# Builds the release preset and runs every benchmark under bench/, printing its figures:
# engine candles/s and peak memory (reference strategy, BTCUSDT), indicator ns/candle, CSV rows/s,
# config loading time against the number of [exchange.symbols.*] tables (fitted complexity),
# simulated exchange ns per candle (hourly, with minute replay, with participation).
# Single-threaded; run it on a quiet machine (the figures vary with load).
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset release -DOSPREY_BUILD_BENCH=ON >/dev/null
cmake --build --preset release --target engine_bench indicators_bench candle_file_bench config_bench exchange_bench
for b in engine_bench indicators_bench candle_file_bench config_bench exchange_bench; do
  echo "== $b"
  "build/release/bench/$b" --benchmark_repetitions="${REPETITIONS:-3}" \
    --benchmark_report_aggregates_only=true
done
