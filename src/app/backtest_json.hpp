#pragma once
// The JSON document `osprey backtest --json` prints: the R9 summary fields of
// docs/reference-strategy.md, Osprey's metrics, and every trade with the R8 fields. Numbers are
// JSON numbers (doubles; the exact decimals are in the trade store). Key order is fixed, so the
// same run prints the same bytes (apart from wall_time_s and candles_per_second).

#include <nlohmann/json.hpp>

#include "engine/backtest_runner.hpp"
#include "engine/bias_check.hpp"
#include "monitor/metrics.hpp"

namespace osprey {

struct BacktestReportContext {
  std::string config_path;
  std::string data_dir;
  std::vector<std::string> symbols;
  std::vector<std::string> analysts;
  TimeMs from = 0;
  TimeMs to = 0;
  std::int64_t n_gaps = 0;
  std::int64_t n_missing_bars = 0;
};

nlohmann::ordered_json TradeToJson(const TradeRecord& t);
nlohmann::ordered_json BacktestToJson(const BacktestReportContext& ctx, const BacktestResult& r,
                                      const PerformanceMetrics& m,
                                      const std::optional<BiasCheckResult>& bias);

}  // namespace osprey
