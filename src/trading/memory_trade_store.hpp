#pragma once
// MemoryTradeStore: a TradeStore kept in vectors, for tests and benchmarks that must not touch
// the disk. Same contract as the SQLite store; never fails. Not thread-safe.

#include <map>

#include "trading/trade_store.hpp"

namespace osprey {

class MemoryTradeStore final : public TradeStore {
 public:
  Result<void> SaveTrade(const TradeRecord& record,
                         const std::optional<PositionEvent>& event) override;
  Result<void> AppendEvent(const PositionEvent& event) override;
  Result<void> AppendRejection(const Rejection& rejection) override;
  Result<void> AppendEquity(const EquitySnapshot& snapshot) override;
  Result<void> SaveRiskState(const RiskState& state) override;
  Result<std::optional<RiskState>> LoadRiskState() override { return risk_; }
  Result<std::vector<TradeRecord>> LoadTrades() override;
  Result<void> Flush() override { return {}; }
  Result<void> SaveOrder(const OrderRecord& order,
                         const std::optional<PositionEvent>& event) override;
  Result<std::vector<OrderRecord>> LoadActiveOrders() override;
  Result<void> SaveState(std::string_view key, std::string_view value) override;
  Result<std::optional<std::string>> LoadState(std::string_view key) override;

  const std::vector<PositionEvent>& events() const { return events_; }
  const std::vector<Rejection>& rejections() const { return rejections_; }
  const std::vector<EquitySnapshot>& equity() const { return equity_; }
  int risk_saves() const { return risk_saves_; }
  // Every order row ever saved, by client id.
  const std::map<std::string, OrderRecord>& orders() const { return orders_; }

 private:
  std::map<std::string, TradeRecord> trades_;
  std::vector<PositionEvent> events_;
  std::vector<Rejection> rejections_;
  std::vector<EquitySnapshot> equity_;
  std::optional<RiskState> risk_;
  int risk_saves_ = 0;
  std::map<std::string, OrderRecord> orders_;
  std::vector<std::string> order_sequence_;  // client ids in insertion order
  std::map<std::string, std::string, std::less<>> state_;
};

}  // namespace osprey
