#include "core/trade_record.hpp"

namespace osprey {

std::string_view ExitReasonName(ExitReason r) { return EnumNameOf(kExitReasonTable, r); }

std::string_view ExitReasonShortName(ExitReason r) {
  const auto i = static_cast<std::size_t>(r);
  return i < kExitReasonTable.size() ? kExitReasonTable[i].short_name : std::string_view("?");
}

std::optional<ExitReason> ParseExitReason(std::string_view name) {
  return EnumParse(kExitReasonTable, name);
}

std::string_view TradeStatusName(TradeStatus s) { return EnumNameOf(kTradeStatusTable, s); }

std::optional<TradeStatus> ParseTradeStatus(std::string_view name) {
  return EnumParse(kTradeStatusTable, name);
}

}  // namespace osprey
