#include "trading/journal_types.hpp"

#include <array>

#include "core/enum_table.hpp"

namespace osprey {
namespace {

constexpr std::array<EnumName<OrderRole>, 4> kRoleNames{{
    {OrderRole::kEntry, "ENTRY"},
    {OrderRole::kTakeProfit, "TAKE_PROFIT"},
    {OrderRole::kStopLoss, "STOP_LOSS"},
    {OrderRole::kExit, "EXIT"},
}};
static_assert(kRoleNames.size() == static_cast<std::size_t>(OrderRole::kExit) + 1 &&
              EnumTableComplete(kRoleNames));

constexpr std::array<EnumName<JournalStatus>, 8> kStatusNames{{
    {JournalStatus::kSending, "SENDING"},
    {JournalStatus::kUnknown, "UNKNOWN"},
    {JournalStatus::kNew, "NEW"},
    {JournalStatus::kPartiallyFilled, "PARTIALLY_FILLED"},
    {JournalStatus::kFilled, "FILLED"},
    {JournalStatus::kCanceled, "CANCELED"},
    {JournalStatus::kRejected, "REJECTED"},
    {JournalStatus::kExpired, "EXPIRED"},
}};
static_assert(kStatusNames.size() == static_cast<std::size_t>(JournalStatus::kExpired) + 1 &&
              EnumTableComplete(kStatusNames));

template <class Row, std::size_t N>
Result<decltype(Row::value)> ParseIn(const std::array<Row, N>& table, std::string_view name,
                                     std::string_view what) {
  if (auto v = EnumParse(table, name)) return *v;
  return Fail(ErrorCode::kParse, "unknown " + std::string(what) + " '" + std::string(name) + "'");
}

}  // namespace

std::string_view OrderRoleName(OrderRole role) { return EnumNameOf(kRoleNames, role); }
Result<OrderRole> ParseOrderRole(std::string_view name) {
  return ParseIn(kRoleNames, name, "order role");
}

std::string_view JournalStatusName(JournalStatus status) {
  return EnumNameOf(kStatusNames, status);
}
Result<JournalStatus> ParseJournalStatus(std::string_view name) {
  return ParseIn(kStatusNames, name, "order status");
}

bool IsTerminal(JournalStatus status) {
  return status == JournalStatus::kFilled || status == JournalStatus::kCanceled ||
         status == JournalStatus::kRejected || status == JournalStatus::kExpired;
}

JournalStatus JournalStatusOf(OrderStatus status) {
  switch (status) {
    case OrderStatus::kNew: return JournalStatus::kNew;
    case OrderStatus::kPartiallyFilled: return JournalStatus::kPartiallyFilled;
    case OrderStatus::kFilled: return JournalStatus::kFilled;
    case OrderStatus::kCanceled: return JournalStatus::kCanceled;
    case OrderStatus::kRejected: return JournalStatus::kRejected;
    case OrderStatus::kExpired: return JournalStatus::kExpired;
  }
  return JournalStatus::kUnknown;
}

}  // namespace osprey
