#include "trading/journal_types.hpp"

#include <array>
#include <utility>

namespace osprey {
namespace {

constexpr std::array<std::pair<OrderRole, std::string_view>, 4> kRoleNames = {{
    {OrderRole::kEntry, "ENTRY"},
    {OrderRole::kTakeProfit, "TAKE_PROFIT"},
    {OrderRole::kStopLoss, "STOP_LOSS"},
    {OrderRole::kExit, "EXIT"},
}};

constexpr std::array<std::pair<JournalStatus, std::string_view>, 8> kStatusNames = {{
    {JournalStatus::kSending, "SENDING"},
    {JournalStatus::kUnknown, "UNKNOWN"},
    {JournalStatus::kNew, "NEW"},
    {JournalStatus::kPartiallyFilled, "PARTIALLY_FILLED"},
    {JournalStatus::kFilled, "FILLED"},
    {JournalStatus::kCanceled, "CANCELED"},
    {JournalStatus::kRejected, "REJECTED"},
    {JournalStatus::kExpired, "EXPIRED"},
}};

template <class Enum, std::size_t N>
std::string_view NameIn(const std::array<std::pair<Enum, std::string_view>, N>& table, Enum e) {
  for (const auto& [value, name] : table) {
    if (value == e) return name;
  }
  return "?";
}

template <class Enum, std::size_t N>
Result<Enum> ParseIn(const std::array<std::pair<Enum, std::string_view>, N>& table,
                     std::string_view name, std::string_view what) {
  for (const auto& [value, n] : table) {
    if (n == name) return value;
  }
  return Fail(ErrorCode::kParse, "unknown " + std::string(what) + " '" + std::string(name) + "'");
}

}  // namespace

std::string_view OrderRoleName(OrderRole role) { return NameIn(kRoleNames, role); }
Result<OrderRole> ParseOrderRole(std::string_view name) {
  return ParseIn(kRoleNames, name, "order role");
}

std::string_view JournalStatusName(JournalStatus status) { return NameIn(kStatusNames, status); }
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
