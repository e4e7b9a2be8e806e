#include "exchange/exchange.hpp"

#include <array>

#include "core/enum_table.hpp"

namespace osprey {
namespace {

constexpr std::array<EnumName<AckOutcome>, 3> kAckOutcomeNames{{
    {AckOutcome::kAccepted, "ACCEPTED"},
    {AckOutcome::kRejected, "REJECTED"},
    {AckOutcome::kUnknown, "UNKNOWN"},
}};
static_assert(kAckOutcomeNames.size() == static_cast<std::size_t>(AckOutcome::kUnknown) + 1 &&
              EnumTableComplete(kAckOutcomeNames));

constexpr std::array<EnumName<ExecutionType>, 5> kExecutionTypeNames{{
    {ExecutionType::kNew, "NEW"},
    {ExecutionType::kTrade, "TRADE"},
    {ExecutionType::kCanceled, "CANCELED"},
    {ExecutionType::kRejected, "REJECTED"},
    {ExecutionType::kExpired, "EXPIRED"},
}};
static_assert(kExecutionTypeNames.size() == static_cast<std::size_t>(ExecutionType::kExpired) + 1 &&
              EnumTableComplete(kExecutionTypeNames));

}  // namespace

std::string_view AckOutcomeName(AckOutcome outcome) {
  return EnumNameOf(kAckOutcomeNames, outcome);
}
std::optional<AckOutcome> ParseAckOutcome(std::string_view name) {
  return EnumParse(kAckOutcomeNames, name);
}

std::string_view ExecutionTypeName(ExecutionType type) {
  return EnumNameOf(kExecutionTypeNames, type);
}
std::optional<ExecutionType> ParseExecutionType(std::string_view name) {
  return EnumParse(kExecutionTypeNames, name);
}

std::string OrderAck::Why() const {
  switch (outcome) {
    case AckOutcome::kAccepted: return {};
    case AckOutcome::kRejected: return std::to_string(reject_code) + " " + reject_message;
    case AckOutcome::kUnknown: return error.ToString();
  }
  return {};
}

Fill ExecutionReport::AsFill() const {
  Fill f;
  f.client_order_id = client_order_id;
  f.symbol = symbol;
  f.side = side;
  f.price = last_price;
  f.quantity = last_quantity;
  f.commission = commission;
  f.commission_asset = commission_asset;
  f.time = time;
  f.candle_open_time = candle_open_time;
  f.candle_index = candle_index;
  f.trade_id = trade_id;
  return f;
}

}  // namespace osprey
