#pragma once
// `osprey backtest`: resolves the settings (config file + flags, app/backtest_setup.hpp), claims
// the output folder (app/output_folder.hpp: one run at a time; the previous outputs are replaced
// only when the new ones are complete), loads and checks the candle files, replays the period
// through the engine (engine/backtest_runner.hpp), writes the trade store (osprey.db), the log,
// result.json and a self-contained report.html, and prints a summary (or, with --json, one JSON
// object). Returns the process exit code (app/exit_codes.hpp).

#include <string>
#include <vector>

#include "app/backtest_setup.hpp"

namespace osprey {

// The files a backtest writes into --out; a folder holding anything else is refused.
const std::vector<std::string>& BacktestOutputNames();

int RunBacktestCommand(const BacktestArgs& args);

}  // namespace osprey
