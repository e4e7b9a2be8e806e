#pragma once
// Exchange: the port through which the trading logic places and cancels orders and learns of
// executions, shaped after a real venue (Binance spot) rather than the simulator. The simulated
// exchange (backtest, paper) and the Binance adapter (testnet, live) implement it.
//
// Requests and their three outcomes. PlaceOrder, PlaceOco and CancelOrder return an OrderAck:
//   kAccepted  the exchange took the request (ids and the state right after it),
//   kRejected  the exchange refused it and nothing changed: Binance's code and message
//              ("-2010 Account has insufficient balance ...", "-1013 Filter failure: LOT_SIZE",
//              "-2011 Unknown order sent."); a rate limit (-1003, HTTP 429/418) is a rejection
//              with `retry_after_ms`,
//   kUnknown   the request may or may not have taken effect (timeout, -1007, HTTP 5xx, a
//              connection lost after sending): the caller must resolve it by QueryOrder() on the
//              client order id (or by the execution reports that follow) before acting again.
// Other calls return Result<T>; their Errors distinguish kTimeout, kUnavailable and kRateLimited
// (Error::retry_after_ms) from the rest.
//
// Every change of an order after the request (new, each fill, cancel by the exchange or by the
// caller, expiry, rejection) arrives as an ExecutionReport through PollEvents(), in the order it
// happened, with the status and the cumulative and last filled quantity (Binance's
// executionReport). After a reconnect that may have lost reports, PollEvents() returns a kResync
// event: the caller then rebuilds its view from QueryOrder()/OpenOrders()/Account().
// Called from the engine thread only.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/decimal.hpp"
#include "core/error.hpp"
#include "core/order.hpp"
#include "core/symbol_info.hpp"
#include "core/time.hpp"

namespace osprey {

// A one-cancels-the-other SELL pair sent as ONE request (Binance POST /api/v3/orderList/oco):
// a LIMIT (maker) leg above the market at `limit_price` and a STOP_LOSS leg below it at
// `stop_price`, both for `quantity`. When one leg executes the other is cancelled by the
// exchange; the balance is held once.
struct OcoRequest {
  std::string list_client_id;   // listClientOrderId
  std::string limit_client_id;  // aboveClientOrderId
  std::string stop_client_id;   // belowClientOrderId
  std::string symbol;
  Decimal quantity;
  Decimal limit_price;
  Decimal stop_price;
};

enum class AckOutcome { kAccepted, kRejected, kUnknown };
std::string_view AckOutcomeName(AckOutcome outcome);  // "ACCEPTED" / "REJECTED" / "UNKNOWN"
std::optional<AckOutcome> ParseAckOutcome(std::string_view name);

struct OrderAck {
  AckOutcome outcome = AckOutcome::kUnknown;
  // kAccepted: the order right after the request (for an OCO, `legs` holds both, limit first;
  // for a cancel, the cancelled order).
  OrderState state;
  std::vector<OrderState> legs;
  // kRejected: Binance's code (e.g. -2010) and message; retry_after_ms > 0 when rate-limited.
  int reject_code = 0;
  std::string reject_message;
  TimeMs retry_after_ms = 0;
  // kUnknown: why the outcome is unknown (kTimeout, kUnavailable).
  Error error{ErrorCode::kTimeout, ""};

  bool accepted() const { return outcome == AckOutcome::kAccepted; }
  bool rejected() const { return outcome == AckOutcome::kRejected; }
  bool unknown() const { return outcome == AckOutcome::kUnknown; }
  // "-2010 Account has insufficient balance ..." / "TIMEOUT: ..." / "" when accepted.
  std::string Why() const;
};

// What happened to one order (Binance executionReport: `x` and `X`).
enum class ExecutionType { kNew, kTrade, kCanceled, kRejected, kExpired };
std::string_view ExecutionTypeName(ExecutionType type);  // "NEW", "TRADE", ... (Binance's `x`)
std::optional<ExecutionType> ParseExecutionType(std::string_view name);

struct ExecutionReport {
  ExecutionType type = ExecutionType::kNew;
  OrderStatus status = OrderStatus::kNew;  // the order's status after this event
  std::string client_order_id;
  std::string list_client_id;  // the OCO list it belongs to, empty if none
  std::int64_t order_id = 0;
  std::string symbol;
  Side side = Side::kBuy;
  OrderType order_type = OrderType::kMarket;
  Decimal quantity;             // the order's original quantity
  Decimal cumulative_quantity;  // filled so far, this fill included (z)
  Decimal cumulative_quote;     // quote value filled so far (Z)
  // kTrade only: this fill.
  Decimal last_quantity;  // l
  Decimal last_price;     // L
  Decimal commission;     // n
  std::string commission_asset;
  std::int64_t trade_id = -1;
  std::string reject_reason;  // kRejected / kExpired: why (Binance's text)
  TimeMs time = 0;            // transaction time
  // Backtest only: open time and row index of the candle whose range produced the fill.
  TimeMs candle_open_time = -1;
  std::int64_t candle_index = -1;

  // The fill carried by a kTrade report, in the older Fill form.
  Fill AsFill() const;
};

struct ExchangeEvent {
  enum class Kind {
    kExecution,  // `report` holds one execution report
    kResync,     // reports may have been lost (reconnect): rebuild from queries
  };
  Kind kind = Kind::kExecution;
  ExecutionReport report;
};

struct AssetBalance {
  Decimal free;
  Decimal locked;
};

struct AccountSnapshot {
  TimeMs time = 0;
  std::map<std::string, AssetBalance, std::less<>> balances;  // assets with a non-zero balance
};

class Exchange {
 public:
  virtual ~Exchange() = default;

  // Trading rules of `symbol`; kNotFound when the exchange does not list it.
  [[nodiscard]] virtual Result<SymbolInfo> GetSymbolInfo(std::string_view symbol) = 0;
  // Places one order (MARKET, LIMIT or STOP_LOSS).
  [[nodiscard]] virtual OrderAck PlaceOrder(const OrderRequest& request) = 0;
  // Places a protective OCO SELL pair as one request.
  [[nodiscard]] virtual OrderAck PlaceOco(const OcoRequest& request) = 0;
  // Cancels an open order; when it is a leg of an OCO list, the whole list. An order that is no
  // longer open is a rejection ("-2011 Unknown order sent.").
  [[nodiscard]] virtual OrderAck CancelOrder(std::string_view symbol,
                                             std::string_view client_order_id) = 0;
  // The exchange's view of an order by client id; kNotFound ("-2013 Order does not exist.") when
  // the exchange never received it.
  [[nodiscard]] virtual Result<OrderState> QueryOrder(std::string_view symbol,
                                                      std::string_view client_order_id) = 0;
  // Open orders of `symbol` (every symbol when empty), oldest first.
  [[nodiscard]] virtual Result<std::vector<OrderState>> OpenOrders(std::string_view symbol) = 0;
  // Every balance of the account.
  [[nodiscard]] virtual Result<AccountSnapshot> Account() = 0;
  // Free (not locked by open orders) balance of `asset`; zero for an asset never held.
  [[nodiscard]] virtual Result<Decimal> FreeBalance(std::string_view asset) = 0;
  // Free plus locked balance of `asset`.
  [[nodiscard]] virtual Result<Decimal> TotalBalance(std::string_view asset) = 0;
  // Events since the previous call, in the order they happened. Never blocks.
  virtual std::vector<ExchangeEvent> PollEvents() = 0;
};

}  // namespace osprey
