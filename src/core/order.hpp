#pragma once
// Orders and fills as the Exchange port sees them: the vocabulary shared by the simulated
// exchange, the Binance adapter and the order manager. Binance's names and semantics are kept
// (spot: MARKET, LIMIT, STOP_LOSS; statuses NEW .. EXPIRED). Plain value types.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/decimal.hpp"
#include "core/enum_table.hpp"
#include "core/time.hpp"

namespace osprey {

enum class Side { kBuy, kSell };
enum class OrderType {
  kMarket,    // fills at once at the best price (plus slippage in simulation)
  kLimit,     // rests; sells when the price reaches `price` or better
  kStopLoss,  // rests; becomes a market sell when the price falls to `stop_price`
};
enum class OrderStatus { kNew, kPartiallyFilled, kFilled, kCanceled, kRejected, kExpired };

inline constexpr std::size_t kSideCount = static_cast<std::size_t>(Side::kSell) + 1;
inline constexpr std::array<EnumName<Side>, 2> kSideTable{
    {{Side::kBuy, "BUY"}, {Side::kSell, "SELL"}}};
static_assert(kSideTable.size() == kSideCount && EnumTableComplete(kSideTable));

inline constexpr std::size_t kOrderTypeCount = static_cast<std::size_t>(OrderType::kStopLoss) + 1;
inline constexpr std::array<EnumName<OrderType>, 3> kOrderTypeTable{{
    {OrderType::kMarket, "MARKET"},
    {OrderType::kLimit, "LIMIT"},
    {OrderType::kStopLoss, "STOP_LOSS"},
}};
static_assert(kOrderTypeTable.size() == kOrderTypeCount && EnumTableComplete(kOrderTypeTable));

inline constexpr std::size_t kOrderStatusCount =
    static_cast<std::size_t>(OrderStatus::kExpired) + 1;
inline constexpr std::array<EnumName<OrderStatus>, 6> kOrderStatusTable{{
    {OrderStatus::kNew, "NEW"},
    {OrderStatus::kPartiallyFilled, "PARTIALLY_FILLED"},
    {OrderStatus::kFilled, "FILLED"},
    {OrderStatus::kCanceled, "CANCELED"},
    {OrderStatus::kRejected, "REJECTED"},
    {OrderStatus::kExpired, "EXPIRED"},
}};
static_assert(kOrderStatusTable.size() == kOrderStatusCount &&
              EnumTableComplete(kOrderStatusTable));

// Binance's names; each Parse* accepts exactly the name its *Name returns (nullopt otherwise).
std::string_view SideName(Side s);            // "BUY" / "SELL"
std::string_view OrderTypeName(OrderType t);  // "MARKET" / "LIMIT" / "STOP_LOSS"
std::string_view OrderStatusName(OrderStatus s);
std::optional<Side> ParseSide(std::string_view name);
std::optional<OrderType> ParseOrderType(std::string_view name);
std::optional<OrderStatus> ParseOrderStatus(std::string_view name);

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
