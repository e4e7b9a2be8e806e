#pragma once
// Records the trading logic hands to the TradeStore port besides trades: position events (every
// state-machine transition), risk rejections, equity snapshots and the persisted risk state
// (RiskState, which belongs to the risk layer: risk/risk_state.hpp). Plain value types.

#include <cstdint>
#include <string>
#include <string_view>

#include "core/decimal.hpp"
#include "core/error.hpp"
#include "core/order.hpp"
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

// The part an order plays in a position.
enum class OrderRole {
  kEntry,       // the market buy
  kTakeProfit,  // the LIMIT leg of a tranche's OCO pair
  kStopLoss,    // the STOP_LOSS leg of a tranche's OCO pair
  kExit,        // a market sell: emergency exit or a close asked for by the owner
};
std::string_view OrderRoleName(OrderRole role);  // "ENTRY", "TAKE_PROFIT", "STOP_LOSS", "EXIT"
Result<OrderRole> ParseOrderRole(std::string_view name);

// An order's status as the journal knows it: SENDING (journaled, request not yet answered),
// UNKNOWN (the request's outcome is unknown until a query resolves it), then the exchange's.
enum class JournalStatus {
  kSending,
  kUnknown,
  kNew,
  kPartiallyFilled,
  kFilled,
  kCanceled,
  kRejected,
  kExpired,
};
std::string_view JournalStatusName(JournalStatus status);  // "SENDING", ..., "EXPIRED"
Result<JournalStatus> ParseJournalStatus(std::string_view name);
// FILLED, CANCELED, REJECTED and EXPIRED: nothing more can happen to the order.
bool IsTerminal(JournalStatus status);
JournalStatus JournalStatusOf(OrderStatus status);

// One row of the orders journal: written and committed BEFORE the request is sent, updated on
// every acknowledgement and execution report.
struct OrderRecord {
  std::string client_id;  // primary key
  std::string trade_id;
  std::string symbol;
  OrderRole role = OrderRole::kEntry;
  int level = 0;        // take-profit tranche (1..3) of a protective leg; 0 otherwise
  int generation = 0;   // protective orders: bumps with every replacement
  std::string list_id;  // OCO list client id, empty if none
  Side side = Side::kBuy;
  OrderType type = OrderType::kMarket;
  Decimal quantity;
  Decimal price;       // LIMIT
  Decimal stop_price;  // STOP_LOSS
  JournalStatus status = JournalStatus::kSending;
  Decimal executed_quantity;
  Decimal cumulative_quote;
  std::int64_t exchange_order_id = 0;
  TimeMs created = 0;
  TimeMs updated = 0;
  std::string detail;  // the last reject reason or note
  bool operator==(const OrderRecord&) const = default;
};

}  // namespace osprey
