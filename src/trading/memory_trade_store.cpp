#include "trading/memory_trade_store.hpp"

#include <algorithm>

namespace osprey {

Result<void> MemoryTradeStore::SaveTrade(const TradeRecord& record,
                                         const std::optional<PositionEvent>& event) {
  trades_[record.id] = record;
  if (event) events_.push_back(*event);
  return {};
}

Result<void> MemoryTradeStore::AppendEvent(const PositionEvent& event) {
  events_.push_back(event);
  return {};
}

Result<void> MemoryTradeStore::AppendRejection(const Rejection& rejection) {
  rejections_.push_back(rejection);
  return {};
}

Result<void> MemoryTradeStore::AppendEquity(const EquitySnapshot& snapshot) {
  equity_.push_back(snapshot);
  return {};
}

Result<void> MemoryTradeStore::SaveRiskState(const RiskState& state) {
  risk_ = state;
  ++risk_saves_;
  return {};
}

Result<std::vector<TradeRecord>> MemoryTradeStore::LoadTrades() {
  std::vector<TradeRecord> out;
  for (const auto& [id, r] : trades_) out.push_back(r);
  std::stable_sort(out.begin(), out.end(), [](const TradeRecord& a, const TradeRecord& b) {
    return a.entry_time != b.entry_time ? a.entry_time < b.entry_time : a.id < b.id;
  });
  return out;
}

}  // namespace osprey
