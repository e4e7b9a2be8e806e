#pragma once
// PlanBacktest: the checks a backtest runs on its settings against the data it will replay,
// before anything is simulated. `osprey config check` runs the same function, so a config that
// passes the check cannot be refused by the run for a reason the check could have seen.
//
//   period   [from, to) is clipped to the span of the data (first open .. last close): a period
//            reaching past the data is shortened, with a warning, instead of replaying empty
//            hours; a period that holds no candle at all is an error that says where the data is.
//   filters  with exchange.apply_symbol_filters, a tick size above kMaxTickPercent of the lowest
//            price the symbol trades at in the period would round stops and fills by more than
//            that: refused naming the key and the price. A step size or minimum notional that
//            makes every order cost more than the starting capital is refused too.
// Pure function of its inputs; thread-safe.

#include <string>
#include <string_view>
#include <vector>

#include "config/settings.hpp"
#include "core/error.hpp"
#include "market/candle_file.hpp"

namespace osprey {

// A tick above this percentage of the price is not a real market's tick.
inline constexpr int kMaxTickPercent = 1;

struct BacktestPlan {
  TimeMs from = 0;                    // first hour replayed (open time), after clipping
  TimeMs to = 0;                      // end, exclusive, after clipping
  std::vector<std::string> warnings;  // clipping and symbols without candles in the period
};

// Checks `settings` against `hourly` (one series per symbol of the universe) for the period
// [from, to). Fails with kInvalidArgument when no candle of any symbol lies in the period (the
// message gives the span of the data), or kConfig listing every filter that is absurd for the
// data, one per line as "<source_name>: exchange.symbols.SYMBOL.<key>: <reason>".
[[nodiscard]] Result<BacktestPlan> PlanBacktest(const Settings& settings,
                                                const std::vector<CandleSeries>& hourly,
                                                TimeMs from, TimeMs to,
                                                std::string_view source_name);

}  // namespace osprey
