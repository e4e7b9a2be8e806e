// Throughput of LoadCandleFile on the shipped BTCUSDT 1h file (gunzip + parse + validate), in
// rows per second. The target is at least 2 million rows/s single-threaded.

#include <benchmark/benchmark.h>

#include <string>

#include "core/time.hpp"
#include "market/candle_file.hpp"

#ifndef OSPREY_SOURCE_DIR
#define OSPREY_SOURCE_DIR "."
#endif

namespace {

void BM_LoadCandleFileGzip(benchmark::State& state, const std::string& path,
                           osprey::TimeMs interval) {
  std::int64_t rows = 0;
  for (auto _ : state) {
    auto series = osprey::LoadCandleFile(path, "BENCH", interval);
    if (!series) {
      state.SkipWithError(series.error().ToString().c_str());
      return;
    }
    rows += static_cast<std::int64_t>(series->candles.size());
    benchmark::DoNotOptimize(series->candles.data());
  }
  state.SetItemsProcessed(rows);
  state.counters["rows"] =
      benchmark::Counter(static_cast<double>(rows) / static_cast<double>(state.iterations()));
}

BENCHMARK_CAPTURE(BM_LoadCandleFileGzip, btc_1h,
                  std::string(OSPREY_SOURCE_DIR "/data/klines/1h/BTCUSDT.csv.gz"), osprey::kHourMs)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_LoadCandleFileGzip, btc_1m,
                  std::string(OSPREY_SOURCE_DIR "/data/klines/1m/BTCUSDT.csv.gz"),
                  osprey::kMinuteMs)
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
