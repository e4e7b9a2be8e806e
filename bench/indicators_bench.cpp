// Cost per candle of the streaming indicators (src/analysis/indicators), alone and together in an
// IndicatorSet. Input: a deterministic random walk of 100k hourly-like candles (fixed seed, no data
// files). ns per candle = 1e9 / items_per_second.
//
// Build by hand until bench/CMakeLists.txt exists:
//   g++ -std=c++23 -O2 -DNDEBUG -I src bench/indicators_bench.cpp
//       $(ls src/analysis/indicators/*.cpp | grep -v _test) -lbenchmark -lpthread -o /tmp/ind_bench
// This file defines main (BENCHMARK_MAIN): link benchmark::benchmark, not benchmark_main.

#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <random>
#include <vector>

#include "analysis/indicators/atr.hpp"
#include "analysis/indicators/bollinger.hpp"
#include "analysis/indicators/ema.hpp"
#include "analysis/indicators/indicator_set.hpp"
#include "analysis/indicators/macd.hpp"
#include "analysis/indicators/rsi.hpp"
#include "analysis/indicators/sma.hpp"

namespace osprey::analysis {
namespace {

struct BenchCandle {
  double high;
  double low;
  double close;
};

// Uniform in [0, 1) from the top 53 bits, so the walk is the same with every standard library
// (std::uniform_real_distribution is not specified bit-for-bit).
double Unit(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

const std::vector<BenchCandle>& RandomWalk() {
  static const std::vector<BenchCandle> candles = [] {
    constexpr std::size_t kCandles = 100'000;
    std::mt19937_64 rng(20210101);
    std::vector<BenchCandle> out;
    out.reserve(kCandles);
    double close = 30000.0;
    for (std::size_t i = 0; i < kCandles; ++i) {
      const double open = close;
      close = open * (1.0 + 0.02 * (Unit(rng) - 0.5));  // up to +/-1% per hour
      const double body_high = open > close ? open : close;
      const double body_low = open > close ? close : open;
      out.push_back(
          {body_high * (1.0 + 0.005 * Unit(rng)), body_low * (1.0 - 0.005 * Unit(rng)), close});
    }
    return out;
  }();
  return candles;
}

// Runs `update(candle)` over the whole walk per iteration; the indicator keeps streaming across
// iterations (the jump at the wrap is just one more candle).
template <typename Update>
void RunOverWalk(benchmark::State& state, Update&& update) {
  const std::vector<BenchCandle>& candles = RandomWalk();
  for (auto _ : state) {
    for (const BenchCandle& c : candles) update(c);
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(candles.size()));
}

void BM_IndicatorSetUpdate(benchmark::State& state) {
  IndicatorSet set;
  RunOverWalk(state, [&](const BenchCandle& c) { set.Update(c.high, c.low, c.close); });
  benchmark::DoNotOptimize(set.bollinger().Upper());
}
BENCHMARK(BM_IndicatorSetUpdate);

void BM_SmaUpdate(benchmark::State& state) {
  Sma sma(20);
  RunOverWalk(state, [&](const BenchCandle& c) { sma.Update(c.close); });
  benchmark::DoNotOptimize(sma.Value());
}
BENCHMARK(BM_SmaUpdate);

void BM_EmaUpdate(benchmark::State& state) {
  Ema ema(20);
  RunOverWalk(state, [&](const BenchCandle& c) { ema.Update(c.close); });
  benchmark::DoNotOptimize(ema.Value());
}
BENCHMARK(BM_EmaUpdate);

void BM_RsiUpdate(benchmark::State& state) {
  Rsi rsi(14);
  RunOverWalk(state, [&](const BenchCandle& c) { rsi.Update(c.close); });
  benchmark::DoNotOptimize(rsi.Value());
}
BENCHMARK(BM_RsiUpdate);

void BM_MacdUpdate(benchmark::State& state) {
  Macd macd(12, 26, 9);
  RunOverWalk(state, [&](const BenchCandle& c) { macd.Update(c.close); });
  benchmark::DoNotOptimize(macd.Hist());
}
BENCHMARK(BM_MacdUpdate);

void BM_BollingerUpdate(benchmark::State& state) {
  BollingerBands bb(20, 2.0, 2.0);
  RunOverWalk(state, [&](const BenchCandle& c) { bb.Update(c.close); });
  benchmark::DoNotOptimize(bb.Upper());
}
BENCHMARK(BM_BollingerUpdate);

void BM_AtrUpdate(benchmark::State& state) {
  Atr atr(14);
  RunOverWalk(state, [&](const BenchCandle& c) { atr.Update(c.high, c.low, c.close); });
  benchmark::DoNotOptimize(atr.Value());
}
BENCHMARK(BM_AtrUpdate);

}  // namespace
}  // namespace osprey::analysis

BENCHMARK_MAIN();
