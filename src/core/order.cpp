#include "core/order.hpp"

namespace osprey {

std::string_view SideName(Side s) { return EnumNameOf(kSideTable, s); }
std::string_view OrderTypeName(OrderType t) { return EnumNameOf(kOrderTypeTable, t); }
std::string_view OrderStatusName(OrderStatus s) { return EnumNameOf(kOrderStatusTable, s); }

std::optional<Side> ParseSide(std::string_view name) { return EnumParse(kSideTable, name); }
std::optional<OrderType> ParseOrderType(std::string_view name) {
  return EnumParse(kOrderTypeTable, name);
}
std::optional<OrderStatus> ParseOrderStatus(std::string_view name) {
  return EnumParse(kOrderStatusTable, name);
}

}  // namespace osprey
