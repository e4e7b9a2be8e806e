#pragma once
// The spec's trade record ("Database Schema (Trade Logging)") plus what the reference
// strategy's R8 needs to compare runs trade by trade: every exit fill, fees and candle indices.
// One record per entry. Plain value type.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/decimal.hpp"
#include "core/enum_table.hpp"
#include "core/time.hpp"

namespace osprey {

enum class ExitReason {
  kNone,
  kStopLoss,
  kTakeProfit1,
  kTakeProfit2,
  kTakeProfit3,
  kTrailingStop,
  kEmergency,  // protective orders could not be placed: sold at market
};

inline constexpr std::size_t kExitReasonCount =
    static_cast<std::size_t>(ExitReason::kEmergency) + 1;

struct ExitReasonRow {
  ExitReason value;
  std::string_view name;        // spec name, stored in the trade store
  std::string_view short_name;  // reference-strategy name (R6/R8)
};
inline constexpr std::array<ExitReasonRow, 7> kExitReasonTable{{
    {ExitReason::kNone, "NONE", ""},
    {ExitReason::kStopLoss, "STOP_LOSS", "SL"},
    {ExitReason::kTakeProfit1, "TAKE_PROFIT_1", "TP1"},
    {ExitReason::kTakeProfit2, "TAKE_PROFIT_2", "TP2"},
    {ExitReason::kTakeProfit3, "TAKE_PROFIT_3", "TP3"},
    {ExitReason::kTrailingStop, "TRAILING_STOP", "TRAIL"},
    {ExitReason::kEmergency, "EMERGENCY_EXIT", "EMERGENCY"},
}};
static_assert(kExitReasonTable.size() == kExitReasonCount && EnumTableComplete(kExitReasonTable));

// Spec names ("STOP_LOSS", "TAKE_PROFIT_1", ..., "TRAILING_STOP", "EMERGENCY_EXIT").
std::string_view ExitReasonName(ExitReason r);
// Reference-strategy short names (R6/R8: "SL", "TP1", "TP2", "TP3", "TRAIL"; "" for kNone).
std::string_view ExitReasonShortName(ExitReason r);
// The reason whose spec name is exactly `name`; nullopt for any other text.
std::optional<ExitReason> ParseExitReason(std::string_view name);

enum class TradeStatus { kOpen, kClosed };
inline constexpr std::size_t kTradeStatusCount = static_cast<std::size_t>(TradeStatus::kClosed) + 1;
inline constexpr std::array<EnumName<TradeStatus>, 2> kTradeStatusTable{{
    {TradeStatus::kOpen, "OPEN"},
    {TradeStatus::kClosed, "CLOSED"},
}};
static_assert(kTradeStatusTable.size() == kTradeStatusCount &&
              EnumTableComplete(kTradeStatusTable));
std::string_view TradeStatusName(TradeStatus s);  // "OPEN" / "CLOSED"
// The status named exactly `name`; nullopt for any other text.
std::optional<TradeStatus> ParseTradeStatus(std::string_view name);

struct TakeProfitLevel {
  Decimal price;
  Decimal percent;   // +3 means entry * 1.03
  Decimal fraction;  // share of the entry quantity sold at this level (0.33)
};

struct ExitFill {
  TimeMs time = 0;               // when it executed
  TimeMs candle_open_time = -1;  // open time of the candle whose range triggered it
  std::int64_t candle_index = -1;
  Decimal price;
  Decimal quantity;
  Decimal fee;  // in quote asset
  ExitReason reason = ExitReason::kNone;
};

struct TradeRecord {
  std::string id;
  std::string symbol;
  std::string side = "BUY";
  TimeMs entry_time = 0;               // fill time of the entry
  TimeMs signal_candle_open_time = 0;  // R8 entry_time_ms: the candle the decision closed on
  std::int64_t entry_index = -1;
  Decimal entry_price;
  Decimal quantity;       // gross bought
  Decimal net_quantity;   // sellable after a fee charged in the base asset
  Decimal entry_fee;      // in quote asset (converted at the fill price when paid in base)
  double confidence = 0;  // consensus score, 0..1
  std::string analysts;   // who agreed, for the record

  Decimal stop_loss;
  std::vector<TakeProfitLevel> take_profits;
  std::vector<ExitFill> exits;

  TimeMs exit_time = 0;
  std::int64_t exit_index = -1;
  Decimal exit_price;  // quantity-weighted average of exit fills
  ExitReason exit_reason = ExitReason::kNone;
  Decimal pnl;             // net of all fees, quote asset
  double pnl_percent = 0;  // 100 * pnl / (entry_price * quantity)
  TradeStatus status = TradeStatus::kOpen;
};

}  // namespace osprey
