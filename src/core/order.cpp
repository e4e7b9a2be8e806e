#include "core/order.hpp"

namespace osprey {

std::string_view SideName(Side s) { return s == Side::kBuy ? "BUY" : "SELL"; }

std::string_view OrderTypeName(OrderType t) {
  switch (t) {
    case OrderType::kMarket: return "MARKET";
    case OrderType::kLimit: return "LIMIT";
    case OrderType::kStopLoss: return "STOP_LOSS";
  }
  return "?";
}

std::string_view OrderStatusName(OrderStatus s) {
  switch (s) {
    case OrderStatus::kNew: return "NEW";
    case OrderStatus::kPartiallyFilled: return "PARTIALLY_FILLED";
    case OrderStatus::kFilled: return "FILLED";
    case OrderStatus::kCanceled: return "CANCELED";
    case OrderStatus::kRejected: return "REJECTED";
    case OrderStatus::kExpired: return "EXPIRED";
  }
  return "?";
}

}  // namespace osprey
