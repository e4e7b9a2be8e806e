#include "exchange/exchange.hpp"

namespace osprey {

std::string_view AckOutcomeName(AckOutcome outcome) {
  switch (outcome) {
    case AckOutcome::kAccepted: return "ACCEPTED";
    case AckOutcome::kRejected: return "REJECTED";
    case AckOutcome::kUnknown: return "UNKNOWN";
  }
  return "?";
}

std::string_view ExecutionTypeName(ExecutionType type) {
  switch (type) {
    case ExecutionType::kNew: return "NEW";
    case ExecutionType::kTrade: return "TRADE";
    case ExecutionType::kCanceled: return "CANCELED";
    case ExecutionType::kRejected: return "REJECTED";
    case ExecutionType::kExpired: return "EXPIRED";
  }
  return "?";
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
