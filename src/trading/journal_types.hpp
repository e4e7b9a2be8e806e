#pragma once
// Records the trading logic hands to the TradeStore port besides trades: position events (every
// state-machine transition), risk rejections, equity snapshots and the persisted risk state
// (RiskState, which belongs to the risk layer: risk/risk_state.hpp). Plain value types.

#include <cstdint>
#include <string>

#include "core/decimal.hpp"
#include "core/time.hpp"
#include "risk/risk_state.hpp"

namespace osprey {

// One transition of a position's state machine (NOT_OWNED -> PENDING -> OPEN -> CLOSED, partial
// exits and stop moves while OPEN).
struct PositionEvent {
  std::string trade_id;
  std::string symbol;
  TimeMs time = 0;
  std::string from_state;  // "NOT_OWNED", "PENDING", "OPEN", "CLOSED"
  std::string to_state;
  std::string event;   // "ENTRY_SUBMITTED", "ENTRY_FILLED", "TAKE_PROFIT_1", "STOP_MOVED", ...
  std::string detail;  // human-readable: prices, quantities
};

// A candidate the risk chain or the exchange refused.
struct Rejection {
  TimeMs time = 0;
  std::string symbol;
  std::string reason_code;  // "CIRCUIT_BREAKER", "MAX_POSITIONS", ... or an exchange code
  std::string detail;
};

struct EquitySnapshot {
  TimeMs time = 0;
  Decimal equity;  // cash + positions at the last close
  Decimal cash;
  int open_positions = 0;
};

}  // namespace osprey
