#pragma once
// Exchange: the port through which the trading logic places and cancels orders and learns of
// executions. The simulated exchange (backtest, paper) and the Binance adapter (testnet, live)
// implement it. An exchange's refusal (filters, balance, unknown symbol) is NOT an Error: it is
// an OrderState with status kRejected and `reject_reason` "<code> <message>" (Binance's codes).
// Errors are for failures to talk to the exchange at all. Called from the engine thread only.

#include <string>
#include <string_view>
#include <vector>

#include "core/decimal.hpp"
#include "core/error.hpp"
#include "core/order.hpp"
#include "core/symbol_info.hpp"

namespace osprey {

// Something that happened to an order after it was placed: a fill, a cancellation by the
// exchange (the other leg of an OCO) or an expiry.
struct ExecutionEvent {
  enum class Kind { kFill, kCanceled, kExpired };
  Kind kind = Kind::kFill;
  std::string client_order_id;
  std::string symbol;
  Fill fill;  // when kind == kFill
};

class Exchange {
 public:
  virtual ~Exchange() = default;

  // Trading rules of `symbol`; kNotFound when the exchange does not list it.
  [[nodiscard]] virtual Result<SymbolInfo> GetSymbolInfo(std::string_view symbol) = 0;
  // Places an order. On success returns the order's state right after placement (a MARKET order
  // is normally kFilled, with its fills also reported through PollEvents()).
  [[nodiscard]] virtual Result<OrderState> PlaceOrder(const OrderRequest& request) = 0;
  // Cancels an open order (both legs when it belongs to an OCO list). A reject
  // ("-2011 Unknown order sent.") comes back as an OrderState with status kRejected.
  [[nodiscard]] virtual Result<OrderState> CancelOrder(std::string_view symbol,
                                                       std::string_view client_order_id) = 0;
  // Free (not locked by open orders) balance of `asset`; zero for an asset never held.
  [[nodiscard]] virtual Result<Decimal> FreeBalance(std::string_view asset) = 0;
  // Free plus locked balance of `asset`.
  [[nodiscard]] virtual Result<Decimal> TotalBalance(std::string_view asset) = 0;
  // Events since the previous call, in the order they happened. Never blocks.
  virtual std::vector<ExecutionEvent> PollEvents() = 0;
};

}  // namespace osprey
