#pragma once
// PositionSizer: how much to buy.
//
// Kelly mode (default): the Kelly fraction f = p - (1 - p) / b from the bot's own closed trades
// (p = win rate, b = average win / average loss), or from the documented prior (p = 0.5,
// b = 1.5, so f = 1/6) until kelly_min_trades trades have closed. The equity put at RISK is
// f * kelly_multiplier (fractional Kelly), capped by RISK_PER_TRADE_PERCENT; risk is the distance
// from entry to stop, so notional = risk / stop distance. f <= 0 (no edge) sizes to zero.
// Fixed-fraction mode (the reference strategy): notional = fixed_fraction_percent of equity.
// Both: notional capped at MAX_POSITION_EXPOSURE_PERCENT of equity, multiplied by the circuit
// breakers' size factor (REDUCING), quantity rounded down to the symbol's step size.
// Pure computation; thread-safe.

#include <string>

#include "config/settings.hpp"
#include "core/symbol_info.hpp"

namespace osprey {

// Running statistics of closed trades (kept by the engine, fed by every close).
struct KellyStats {
  int trades = 0;
  int wins = 0;
  double win_sum = 0;   // sum of winning pnl
  double loss_sum = 0;  // sum of |losing pnl|
  void Add(double pnl);
};

struct SizingRequest {
  Decimal equity;
  Decimal entry_price;  // expected fill price
  Decimal stop_price;
  Decimal size_factor = Decimal::FromInt(1);
  bool apply_filters = true;
  SymbolInfo symbol;
};

struct SizingResult {
  Decimal quantity;  // zero: do not trade
  Decimal notional;
  double kelly_fraction = 0;  // the f used (Kelly mode)
  std::string basis;          // how the size was reached, for the log and the record
};

class PositionSizer {
 public:
  explicit PositionSizer(const RiskSettings& risk, const PositionSettings& positions);
  SizingResult Size(const SizingRequest& request, const KellyStats& stats) const;

 private:
  RiskSettings risk_;
  PositionSettings positions_;
};

}  // namespace osprey
