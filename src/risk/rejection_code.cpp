#include "risk/rejection_code.hpp"

#include <utility>

namespace osprey {
namespace {
// The one name table.
constexpr std::array<std::pair<RejectionCode, std::string_view>, kAllRejectionCodes.size()> kNames =
    {{
        {RejectionCode::kCircuitBreaker, "CIRCUIT_BREAKER"},
        {RejectionCode::kMaxPositions, "MAX_POSITIONS"},
        {RejectionCode::kAlreadyInPosition, "ALREADY_IN_POSITION"},
        {RejectionCode::kDailyLoss, "DAILY_LOSS"},
        {RejectionCode::kDailyLossPercent, "DAILY_LOSS_PERCENT"},
        {RejectionCode::kMaxDrawdown, "MAX_DRAWDOWN"},
        {RejectionCode::kMaxHeat, "MAX_HEAT"},
        {RejectionCode::kInsufficientBalance, "INSUFFICIENT_BALANCE"},
        {RejectionCode::kStopNotBelowEntry, "STOP_NOT_BELOW_ENTRY"},
        {RejectionCode::kNoEdge, "NO_EDGE"},
        {RejectionCode::kSizeTooSmall, "SIZE_TOO_SMALL"},
        {RejectionCode::kUnknownSymbol, "UNKNOWN_SYMBOL"},
        {RejectionCode::kOrderFailed, "ORDER_FAILED"},
        {RejectionCode::kExchangeRejected, "EXCHANGE_REJECTED"},
        {RejectionCode::kProtectionRejected, "PROTECTION_REJECTED"},
        {RejectionCode::kBuyingStopped, "BUYING_STOPPED"},
        {RejectionCode::kSafeState, "SAFE_STATE"},
    }};
}  // namespace

std::string_view RejectionCodeName(RejectionCode code) {
  for (const auto& [c, name] : kNames) {
    if (c == code) return name;
  }
  return "UNKNOWN";  // unreachable for a declared value
}

std::optional<RejectionCode> ParseRejectionCode(std::string_view name) {
  for (const auto& [c, n] : kNames) {
    if (n == name) return c;
  }
  return std::nullopt;
}

}  // namespace osprey
