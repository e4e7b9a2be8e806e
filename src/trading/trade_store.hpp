#pragma once
// TradeStore: the port through which the trading logic persists what it did. The SQLite adapter
// (src/store/) implements it for every mode; tests use an in-memory fake. Each call is atomic: it
// either stores the whole record (and, for SaveTrade, the record's fills) or stores nothing and
// returns an error that names what failed. Calls come from the engine thread only.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/trade_record.hpp"
#include "trading/journal_types.hpp"

namespace osprey {

class TradeStore {
 public:
  virtual ~TradeStore() = default;

  // Inserts or replaces the trade with record.id, together with its exit fills, in one
  // transaction; `event` (if given) is written in the same transaction, so a state change and its
  // record can never disagree.
  [[nodiscard]] virtual Result<void> SaveTrade(const TradeRecord& record,
                                               const std::optional<PositionEvent>& event) = 0;
  [[nodiscard]] virtual Result<void> AppendEvent(const PositionEvent& event) = 0;
  [[nodiscard]] virtual Result<void> AppendRejection(const Rejection& rejection) = 0;
  // Snapshots may be buffered by the adapter and written in batches; Flush() forces them out.
  [[nodiscard]] virtual Result<void> AppendEquity(const EquitySnapshot& snapshot) = 0;
  [[nodiscard]] virtual Result<void> SaveRiskState(const RiskState& state) = 0;
  // The last saved risk state, or nullopt on a fresh store.
  [[nodiscard]] virtual Result<std::optional<RiskState>> LoadRiskState() = 0;
  // All trades, ordered by entry time then id.
  [[nodiscard]] virtual Result<std::vector<TradeRecord>> LoadTrades() = 0;
  [[nodiscard]] virtual Result<void> Flush() = 0;

  // The orders journal. Inserts or replaces the row with order.client_id; `event` (if given) is
  // written in the same transaction. The order manager commits a row BEFORE sending its request.
  [[nodiscard]] virtual Result<void> SaveOrder(const OrderRecord& order,
                                               const std::optional<PositionEvent>& event) = 0;
  // Every order of every trade that has not closed (trade rows with status OPEN, and trade ids
  // without a trade row: entries not yet filled), ordered by creation time then client id.
  [[nodiscard]] virtual Result<std::vector<OrderRecord>> LoadActiveOrders() = 0;
  // A small key-value table for engine state a restart must keep (the edge estimate, a pause).
  [[nodiscard]] virtual Result<void> SaveState(std::string_view key, std::string_view value) = 0;
  // The value saved under `key`, or nullopt when none was.
  [[nodiscard]] virtual Result<std::optional<std::string>> LoadState(std::string_view key) = 0;
};

}  // namespace osprey
