#pragma once
// Orders and fills as the Exchange port sees them: the vocabulary shared by the simulated
// exchange, the Binance adapter and the order manager. Binance's names and semantics are kept
// (spot: MARKET, LIMIT, STOP_LOSS; statuses NEW .. EXPIRED). Plain value types.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/decimal.hpp"
#include "core/time.hpp"

namespace osprey {

enum class Side { kBuy, kSell };
enum class OrderType {
  kMarket,    // fills at once at the best price (plus slippage in simulation)
  kLimit,     // rests; sells when the price reaches `price` or better
  kStopLoss,  // rests; becomes a market sell when the price falls to `stop_price`
};
enum class OrderStatus { kNew, kPartiallyFilled, kFilled, kCanceled, kRejected, kExpired };

std::string_view SideName(Side s);            // "BUY" / "SELL"
std::string_view OrderTypeName(OrderType t);  // "MARKET" / "LIMIT" / "STOP_LOSS"
std::string_view OrderStatusName(OrderStatus s);

// What the trading logic asks for. Exactly one of quantity / quote_quantity is set for MARKET
// buys; every other order has a quantity.
struct OrderRequest {
  std::string client_order_id;  // journaled before sending; unique per account
  std::string symbol;
  Side side = Side::kBuy;
  OrderType type = OrderType::kMarket;
  Decimal quantity;                       // base asset
  std::optional<Decimal> quote_quantity;  // MARKET only: spend this much quote asset
  Decimal price;                          // LIMIT
  Decimal stop_price;                     // STOP_LOSS
  // Optional link: a LIMIT and a STOP_LOSS with the same non-empty list id form a one-cancels-
  // the-other pair (Binance OCO). When one leg fills the other is cancelled by the exchange.
  std::string order_list_id;
};

// One execution of (part of) an order.
struct Fill {
  std::string client_order_id;
  std::string symbol;
  Side side = Side::kBuy;
  Decimal price;
  Decimal quantity;
  Decimal commission;
  std::string commission_asset;
  TimeMs time = 0;
  // Backtest only: open time and row index of the candle whose range triggered the fill
  // (-1 when unknown, e.g. live).
  TimeMs candle_open_time = -1;
  std::int64_t candle_index = -1;
  std::int64_t trade_id = 0;
};

// The exchange's view of an order after a request or an event.
struct OrderState {
  OrderRequest request;
  std::int64_t order_id = 0;
  OrderStatus status = OrderStatus::kNew;
  Decimal executed_quantity;
  Decimal cumulative_quote;
  TimeMs update_time = 0;
  std::string reject_reason;  // exchange code and message when status == kRejected
};

}  // namespace osprey
