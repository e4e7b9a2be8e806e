#pragma once
// FaultInjectingTradeStore: a TradeStore that forwards to another and fails the calls a test
// asks it to fail (LevelDB's fault-injecting Env is the model). A failed call stores nothing:
// it does not reach the wrapped store. For tests of the journal-before-send promise and the safe
// state. Not thread-safe.

#include <string>

#include "trading/trade_store.hpp"

namespace osprey {

class FaultInjectingTradeStore final : public TradeStore {
 public:
  explicit FaultInjectingTradeStore(TradeStore& inner) : inner_(inner) {}

  // Every write fails from now on (until Heal()); reads still work.
  void FailWrites() { failing_ = true; }
  // The next `n` writes fail, later ones succeed.
  void FailNextWrites(int n) { fail_next_ = n; }
  void Heal() {
    failing_ = false;
    fail_next_ = 0;
  }
  int failed_writes() const { return failed_; }

  Result<void> SaveTrade(const TradeRecord& record,
                         const std::optional<PositionEvent>& event) override {
    if (Fails("SaveTrade")) return Failure("SaveTrade");
    return inner_.SaveTrade(record, event);
  }
  Result<void> AppendEvent(const PositionEvent& event) override {
    if (Fails("AppendEvent")) return Failure("AppendEvent");
    return inner_.AppendEvent(event);
  }
  Result<void> AppendRejection(const Rejection& rejection) override {
    if (Fails("AppendRejection")) return Failure("AppendRejection");
    return inner_.AppendRejection(rejection);
  }
  Result<void> AppendEquity(const EquitySnapshot& snapshot) override {
    if (Fails("AppendEquity")) return Failure("AppendEquity");
    return inner_.AppendEquity(snapshot);
  }
  Result<void> SaveRiskState(const RiskState& state) override {
    if (Fails("SaveRiskState")) return Failure("SaveRiskState");
    return inner_.SaveRiskState(state);
  }
  Result<std::optional<RiskState>> LoadRiskState() override { return inner_.LoadRiskState(); }
  Result<std::vector<TradeRecord>> LoadTrades() override { return inner_.LoadTrades(); }
  Result<void> Flush() override {
    if (Fails("Flush")) return Failure("Flush");
    return inner_.Flush();
  }
  Result<void> SaveOrder(const OrderRecord& order,
                         const std::optional<PositionEvent>& event) override {
    if (Fails("SaveOrder")) return Failure("SaveOrder");
    return inner_.SaveOrder(order, event);
  }
  Result<std::vector<OrderRecord>> LoadActiveOrders() override { return inner_.LoadActiveOrders(); }
  Result<void> SaveState(std::string_view key, std::string_view value) override {
    if (Fails("SaveState")) return Failure("SaveState");
    return inner_.SaveState(key, value);
  }
  Result<std::optional<std::string>> LoadState(std::string_view key) override {
    return inner_.LoadState(key);
  }

 private:
  bool Fails(std::string_view /*call*/) {
    if (failing_) return true;
    if (fail_next_ > 0) {
      --fail_next_;
      return true;
    }
    return false;
  }
  std::unexpected<Error> Failure(std::string_view call) {
    ++failed_;
    return Fail(ErrorCode::kStore,
                "injected fault: " + std::string(call) + " failed (disk I/O error)");
  }

  TradeStore& inner_;
  bool failing_ = false;
  int fail_next_ = 0;
  int failed_ = 0;
};

}  // namespace osprey
