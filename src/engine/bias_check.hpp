#pragma once
// Look-ahead bias check: re-runs the backtest up to a decision time T with every candle that
// closes after T withheld from the data, and verifies that every decision made up to T (buys and
// rejections, with quantities and prices) is identical to the full run's. Checkpoints are spread
// evenly over the full run's buy decisions. A look-ahead anywhere in the engine, the analysts or
// the data source would show up as a changed decision.

#include <string>
#include <vector>

#include "engine/backtest_runner.hpp"

namespace osprey {

struct BiasCheckResult {
  int reruns = 0;
  std::int64_t decisions_compared = 0;
  std::int64_t changed = 0;
  std::vector<std::string> differences;  // first few, human-readable
};

// `input.store` and `input.logger` are not used: the re-runs keep their records in memory. The
// re-runs build fresh analysts from `input.analysts` (names), never `analyst_instances`.
[[nodiscard]] Result<BiasCheckResult> RunBiasCheck(const BacktestInput& input,
                                                   const BacktestResult& full, int checkpoints);

}  // namespace osprey
