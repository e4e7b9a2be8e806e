#pragma once
// The spec's entry validation chain ("Risk Management Flow"), in the spec's order:
//   1 CIRCUIT_BREAKER        a breaker has halted new entries
//   2 MAX_POSITIONS          MAX_CONCURRENT_POSITIONS reached (ALREADY_IN_POSITION: this
//                            symbol is already held — one position per symbol)
//   3 DAILY_LOSS             today's loss >= DAILY_MAX_LOSS
//   4 DAILY_LOSS_PERCENT     today's loss >= DAILY_MAX_LOSS_PERCENT of the day's start equity
//   5 MAX_DRAWDOWN           drawdown from the peak >= MAX_DRAWDOWN_PERCENT
//   6 INSUFFICIENT_BALANCE   free quote balance cannot pay notional + fee; per the spec's error
//                            policy the size is first reduced to what the balance affords
//   7 STOP_NOT_BELOW_ENTRY   the stop-loss is not below the entry price
// then sizing: NO_EDGE (Kelly <= 0), SIZE_TOO_SMALL (below the symbol's minimum quantity or
// notional, checked at the stop price so the protective orders are valid too).
// The first failing check decides; its reason code is logged and stored by the caller.
// Pure function of its inputs; thread-safe.

#include <string>

#include "config/settings.hpp"
#include "risk/circuit_breakers.hpp"
#include "risk/position_sizer.hpp"

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
};

struct RiskDecision {
  bool approved = false;
  std::string reason_code;  // empty when approved
  std::string detail;
  SizingResult size;
};

RiskDecision RunEntryChain(const EntryCandidate& candidate, const PortfolioView& portfolio,
                           const CircuitBreakers& breakers, const PositionSizer& sizer,
                           const KellyStats& stats, const Settings& settings,
                           const SymbolInfo& symbol);

}  // namespace osprey
