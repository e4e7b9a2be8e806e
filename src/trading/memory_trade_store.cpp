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

namespace osprey {

Result<void> MemoryTradeStore::SaveOrder(const OrderRecord& order,
                                         const std::optional<PositionEvent>& event) {
  if (!orders_.contains(order.client_id)) order_sequence_.push_back(order.client_id);
  orders_[order.client_id] = order;
  if (event) events_.push_back(*event);
  return {};
}

Result<std::vector<OrderRecord>> MemoryTradeStore::LoadActiveOrders() {
  std::vector<OrderRecord> out;
  for (const auto& id : order_sequence_) {
    const OrderRecord& o = orders_.at(id);
    auto t = trades_.find(o.trade_id);
    if (t != trades_.end() && t->second.status == TradeStatus::kClosed) continue;
    out.push_back(o);
  }
  std::stable_sort(out.begin(), out.end(), [](const OrderRecord& a, const OrderRecord& b) {
    return a.created != b.created ? a.created < b.created : a.client_id < b.client_id;
  });
  return out;
}

Result<void> MemoryTradeStore::SaveState(std::string_view key, std::string_view value) {
  state_[std::string(key)] = std::string(value);
  return {};
}

Result<std::optional<std::string>> MemoryTradeStore::LoadState(std::string_view key) {
  auto it = state_.find(key);
  if (it == state_.end()) return std::optional<std::string>();
  return std::optional<std::string>(it->second);
}

}  // namespace osprey
