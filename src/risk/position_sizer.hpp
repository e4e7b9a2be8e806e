#pragma once
// PositionSizer: how much to buy (the reading is explained with a worked example in
// docs/sizing.md).
//
// Risk of a position = quantity x (entry - stop): what it loses if its stop is hit.
// Kelly mode (default): the edge estimate's Kelly fraction f (edge_estimate.hpp) times
// kelly_multiplier is the share of equity put at risk, capped by risk_per_trade_percent;
// quantity = risk / (entry - stop). f <= 0 (no edge) sizes to zero.
// Fixed-fraction mode (the reference strategy): notional = fixed_fraction_percent of equity,
// also capped so that its risk stays within risk_per_trade_percent.
// Both, in this order: x the circuit breakers' size factor (REDUCING); the risk reduced to the
// heat room left (max_position_exposure_percent of equity minus the open risk, never below 0);
// with cap_notional_at_equity_share the notional bounded by equity / max_concurrent_positions;
// quantity rounded down to the symbol's step size. Free cash is the risk chain's bound.
// Pure computation; thread-safe.

#include <string>

#include "config/settings.hpp"
#include "core/symbol_info.hpp"
#include "risk/edge_estimate.hpp"

namespace osprey {

// What a position of `quantity` bought at `entry` loses if `stop` is hit; zero when the stop is
// at or above the entry (such a position risks nothing more at its stop).
Decimal PositionRisk(Decimal quantity, Decimal entry, Decimal stop);

struct SizingRequest {
  Decimal equity;
  Decimal entry_price;  // expected fill price
  Decimal stop_price;
  Decimal open_risk;  // heat already taken: the sum of PositionRisk over the open positions
  Decimal size_factor = Decimal::FromInt(1);
  bool apply_filters = true;
  SymbolInfo symbol;
};

struct SizingResult {
  Decimal quantity;           // zero: do not trade
  Decimal notional;           // quantity x entry
  Decimal risk;               // quantity x (entry - stop): lost if the stop is hit
  double kelly_fraction = 0;  // the f used (Kelly mode)
  std::string basis;          // how the size was reached (rules and caps), for the log
};

// "<basis>; risks 20.00 (2.00% of equity) at the stop, notional 666.66 (66.67% of equity)".
std::string DescribeSize(const SizingResult& size, Decimal equity);

class PositionSizer {
 public:
  explicit PositionSizer(const RiskSettings& risk, const PositionSettings& positions);
  SizingResult Size(const SizingRequest& request, const EdgeEstimate& edge) const;

 private:
  RiskSettings risk_;
  PositionSettings positions_;
};

}  // namespace osprey
