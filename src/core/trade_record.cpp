#include "core/trade_record.hpp"

namespace osprey {

std::string_view ExitReasonName(ExitReason r) {
  switch (r) {
    case ExitReason::kNone: return "NONE";
    case ExitReason::kStopLoss: return "STOP_LOSS";
    case ExitReason::kTakeProfit1: return "TAKE_PROFIT_1";
    case ExitReason::kTakeProfit2: return "TAKE_PROFIT_2";
    case ExitReason::kTakeProfit3: return "TAKE_PROFIT_3";
    case ExitReason::kTrailingStop: return "TRAILING_STOP";
    case ExitReason::kEmergency: return "EMERGENCY_EXIT";
  }
  return "?";
}

std::string_view ExitReasonShortName(ExitReason r) {
  switch (r) {
    case ExitReason::kNone: return "";
    case ExitReason::kStopLoss: return "SL";
    case ExitReason::kTakeProfit1: return "TP1";
    case ExitReason::kTakeProfit2: return "TP2";
    case ExitReason::kTakeProfit3: return "TP3";
    case ExitReason::kTrailingStop: return "TRAIL";
    case ExitReason::kEmergency: return "EMERGENCY";
  }
  return "?";
}

std::string_view TradeStatusName(TradeStatus s) {
  return s == TradeStatus::kOpen ? "OPEN" : "CLOSED";
}

}  // namespace osprey
