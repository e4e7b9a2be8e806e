#pragma once
// The circuit breakers' persisted state: what a restart must not forget about them. It belongs
// to the risk layer (risk/circuit_breakers.hpp produces and restores it); the TradeStore port of
// the trading layer stores it. Plain value type.

#include <string>

#include "core/decimal.hpp"
#include "core/time.hpp"

namespace osprey {

struct RiskState {
  std::string status = "ACTIVE";  // ACTIVE / REDUCING / HALTED
  std::string halt_reason;        // breaker that tripped, empty when not halted
  TimeMs halted_until = 0;        // 0: until manual reset (when HALTED)
  int consecutive_losses = 0;
  TimeMs day_start = 0;  // start of the trading day the counters below belong to
  Decimal day_start_equity;
  Decimal day_realized_loss;  // sum of losing trades' pnl magnitude today
  Decimal equity_peak;
  TimeMs updated = 0;
};

}  // namespace osprey
