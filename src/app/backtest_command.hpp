#pragma once
// `osprey backtest`: loads the config and the candle files, replays the period through the
// engine (engine/backtest_runner.hpp), writes the trade store (osprey.db), the log, result.json
// and a self-contained report.html into --out, and prints a summary (or, with --json, one JSON
// object). Returns the process exit code: 0 done, 1 data or runtime error, 2 bad config or
// arguments.

#include <optional>
#include <string>
#include <vector>

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

int RunBacktestCommand(const BacktestArgs& args);

// Splits "a, b,c" into {"a","b","c"}; empty items dropped.
std::vector<std::string> SplitList(const std::string& text);

}  // namespace osprey
