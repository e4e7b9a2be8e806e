#pragma once
// What `osprey backtest` and `osprey config check` share, so that the check runs exactly the
// checks the run does and a config the check passes is never refused by the run for a reason
// the check could have seen:
//   ResolveBacktestSettings  the config file with the command line's overrides, validated as one
//                            (ValidateSettings): a problem the overrides cause names the flag
//   PrepareBacktest          the universe's candle files loaded and checked against the settings
//                            (engine/backtest_plan.hpp: the period clipped to the data, tick and
//                            step sizes sane for the prices)
// Functions of the files they read; thread-safe.

#include <optional>
#include <string>
#include <vector>

#include "config/settings.hpp"
#include "core/error.hpp"
#include "engine/backtest_plan.hpp"
#include "market/candle_file.hpp"

namespace osprey {

struct BacktestArgs {
  std::string config = "config/osprey.toml";
  std::optional<std::string> from;
  std::optional<std::string> to;
  std::optional<std::string> symbols;  // comma-separated
  std::optional<std::string> analyst;  // comma-separated names
  std::optional<std::string> data;
  std::optional<std::string> out;
  bool json = false;
  int bias_check = 0;  // checkpoints; 0 = off
};

// Loads args.config, applies the flags given, validates the result. Errors: those of
// LoadSettingsFile; kConfig listing every problem, one per line, as "--flag: reason" for a
// problem a flag caused (e.g. "--symbols: \"ETHUSDT\" is listed twice") and
// "<config>: key: reason" otherwise; kInvalidArgument for a negative --bias-check.
[[nodiscard]] Result<Settings> ResolveBacktestSettings(const BacktestArgs& args);

struct PreparedBacktest {
  std::vector<CandleSeries> hourly;   // one per symbol, in settings.data.symbols order
  std::vector<CandleSeries> minutes;  // where 1m files exist (and use_minute_candles)
  BacktestPlan plan;                  // the period after clipping, and warnings
  std::int64_t n_gaps = 0;            // holes in the hourly files
  std::int64_t n_missing_bars = 0;    // hours missing in them
};

// Loads the candle files of the universe from settings.data.dir (market/history_market_data.hpp)
// and plans the run (engine/backtest_plan.hpp). `source_name` (the config path) prefixes filter
// problems. Errors: those of LoadHistoryDir (kNotFound for a missing hourly file, kParse / kData
// for a malformed one) and of PlanBacktest (kInvalidArgument when the period holds no candle,
// kConfig for absurd filters).
[[nodiscard]] Result<PreparedBacktest> PrepareBacktest(const Settings& settings,
                                                       std::string_view source_name);

// Splits "a, b,c" into {"a","b","c"}; empty items dropped.
std::vector<std::string> SplitList(const std::string& text);

}  // namespace osprey
