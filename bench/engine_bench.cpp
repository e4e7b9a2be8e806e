// Candles per second through the whole engine (hourly cycle, analyst, consensus, risk chain,
// order manager, simulated exchange, equity marks and breakers) on the reference strategy over
// the shipped BTCUSDT hourly file. File parsing is done once, outside the timed loop (it has its
// own benchmark). Records go to an in-memory store. Also reports the process's peak resident
// memory after the runs.

#include <benchmark/benchmark.h>
#include <malloc.h>
#include <sys/resource.h>

#include "config/settings_loader.hpp"
#include "engine/backtest_runner.hpp"
#include "market/candle_file.hpp"
#include "trading/memory_trade_store.hpp"

#ifndef OSPREY_SOURCE_DIR
#define OSPREY_SOURCE_DIR "."
#endif

namespace {

void BM_EngineReferenceBtc(benchmark::State& state) {
  // Keep freed memory in the process between iterations, so that the figure is the engine's
  // steady-state cost and not the kernel zeroing the same fresh pages again for every run.
  mallopt(M_MMAP_THRESHOLD, 1 << 30);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  auto settings = osprey::LoadSettingsFile(OSPREY_SOURCE_DIR "/config/reference.toml");
  if (!settings) {
    state.SkipWithError(settings.error().message.c_str());
    return;
  }
  auto series = osprey::LoadCandleFile(OSPREY_SOURCE_DIR "/data/klines/1h/BTCUSDT.csv.gz",
                                       "BTCUSDT", osprey::kHourMs);
  if (!series) {
    state.SkipWithError(series.error().message.c_str());
    return;
  }
  osprey::BacktestInput input;
  input.settings = &*settings;
  input.from = series->candles.front().open_time;
  input.to = series->candles.back().open_time + osprey::kHourMs;
  input.hourly.push_back(std::move(*series));
  input.analysts = {"reference"};
  osprey::NullLogger logger;
  input.logger = &logger;
  std::int64_t candles = 0;
  std::int64_t trades = 0;
  for (auto _ : state) {
    osprey::MemoryTradeStore store;
    input.store = &store;
    auto result = osprey::RunBacktest(input);
    if (!result) {
      state.SkipWithError(result.error().message.c_str());
      return;
    }
    candles += result->n_candles;
    trades = static_cast<std::int64_t>(result->trades.size());
    benchmark::DoNotOptimize(result->final_equity);
  }
  state.SetItemsProcessed(candles);
  state.counters["trades"] = static_cast<double>(trades);
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  state.counters["peak_rss_MiB"] = static_cast<double>(usage.ru_maxrss) / 1024.0;
}
BENCHMARK(BM_EngineReferenceBtc)->Unit(benchmark::kMillisecond)->MinTime(2.0);

}  // namespace

BENCHMARK_MAIN();
