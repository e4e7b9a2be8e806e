#pragma once
// The spec's entry validation chain ("Risk Management Flow"), in the spec's order:
//   1 CIRCUIT_BREAKER        a breaker has halted new entries
//   2 MAX_POSITIONS          MAX_CONCURRENT_POSITIONS reached (ALREADY_IN_POSITION: this
//                            symbol is already held — one position per symbol)
//   3 DAILY_LOSS             today's loss >= DAILY_MAX_LOSS
//   4 DAILY_LOSS_PERCENT     today's loss >= DAILY_MAX_LOSS_PERCENT of the day's start equity
//   5 MAX_DRAWDOWN           drawdown from the peak >= MAX_DRAWDOWN_PERCENT
//     MAX_HEAT               the open risk already fills MAX_POSITION_EXPOSURE_PERCENT of equity
//                            (the heat cap; a smaller room left reduces the size instead)
//   6 INSUFFICIENT_BALANCE   free quote balance cannot pay notional x (1 + fee) x (1 + slippage);
//                            per the spec's error policy the size is first reduced to what the
//                            balance affords
//   7 STOP_NOT_BELOW_ENTRY   the stop-loss is not below the entry price
// then sizing: NO_EDGE (the edge estimate's Kelly f <= 0), SIZE_TOO_SMALL (below the symbol's
// minimum quantity or notional, checked at the stop price so the protective orders are valid too).
// The first failing check decides; its reason code is logged and stored by the caller. The detail
// of an approval (and of a sizing rejection) says what is risked and the notional (DescribeSize).
// Pure function of its inputs; thread-safe.

#include <optional>
#include <string>

#include "config/settings.hpp"
#include "risk/circuit_breakers.hpp"
#include "risk/edge_estimate.hpp"
#include "risk/position_sizer.hpp"
#include "risk/rejection_code.hpp"

namespace osprey {

struct EntryCandidate {
  std::string symbol;
  Decimal entry_price;  // expected fill (last close)
  Decimal stop_price;
  double confidence = 0;
};

struct PortfolioView {
  int open_positions = 0;
  bool holds_symbol = false;
  Decimal free_quote;
  Decimal equity;
  // The portfolio's heat: the sum over the open positions of PositionRisk(remaining quantity,
  // entry price, current stop), i.e. what they lose together if every stop is hit.
  Decimal open_risk;
};

struct RiskDecision {
  bool approved = false;
  std::optional<RejectionCode> reason;  // empty when approved
  std::string detail;
  SizingResult size;
};

RiskDecision RunEntryChain(const EntryCandidate& candidate, const PortfolioView& portfolio,
                           const CircuitBreakers& breakers, const PositionSizer& sizer,
                           const EdgeEstimate& edge, const Settings& settings,
                           const SymbolInfo& symbol);

}  // namespace osprey
