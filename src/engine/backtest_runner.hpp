#pragma once
// RunBacktest: replays history through the same TradingEngine that trades live. The adapters are
// a SimulatedClock, HistoryMarketData (look-ahead impossible), the SimulatedExchange and the
// given TradeStore. For every hour in [from, to): the clock moves to the hour's close, each
// symbol's candle (and its 1m candles when available and enabled) goes to the exchange, the
// position monitor runs, then the hourly cycle, then equity is marked (reference R4 order).
// Deterministic: the same inputs give the same result. Single-threaded.

#include <functional>
#include <string>
#include <vector>

#include "config/settings.hpp"
#include "core/logger.hpp"
#include "engine/trading_engine.hpp"
#include "market/candle_file.hpp"
#include "trading/trade_store.hpp"

namespace osprey {

struct BacktestInput {
  const Settings* settings = nullptr;
  std::vector<CandleSeries> hourly;   // one per symbol, the universe
  std::vector<CandleSeries> minutes;  // optional 1m series (any subset of the symbols)
  TimeMs from = 0;                    // first candle open time processed
  TimeMs to = 0;                      // candles opening at or after this are not processed
  std::vector<std::string> analysts;  // names for MakeAnalysts
  // When non-empty, these analysts are used instead of `analysts` (tests inject scripted ones).
  std::vector<Analyst*> analyst_instances;
  TradeStore* store = nullptr;
  Logger* logger = nullptr;
  std::function<void(double done_fraction)> progress;  // optional, called about 200 times
};

struct EquityMark {
  TimeMs time = 0;
  Decimal equity;
};

struct BacktestResult {
  std::vector<TradeRecord> trades;          // closed trades, in closing order
  std::vector<TradeRecord> open_positions;  // still open after the last candle (R7)
  std::vector<EquityMark> equity;           // one mark per hour
  Decimal starting_equity;
  Decimal final_equity;
  Decimal final_cash;
  std::int64_t n_candles = 0;  // hourly candles replayed
  std::int64_t n_minute_candles = 0;
  double wall_time_s = 0;  // set by the caller, who owns the wall clock (the engine never reads it)
  std::vector<Decision> decisions;
  std::int64_t rejections = 0;
  RiskState risk;
};

// The symbol rules the simulated exchange enforces: [exchange.symbols] entries, or (filters off)
// a rule-free SymbolInfo derived from the name. Error when filters are on and a symbol has none.
Result<std::vector<SymbolInfo>> SymbolRules(const Settings& settings,
                                            const std::vector<std::string>& symbols);

[[nodiscard]] Result<BacktestResult> RunBacktest(const BacktestInput& input);

}  // namespace osprey
