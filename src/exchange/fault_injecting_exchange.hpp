#pragma once
// FaultInjectingExchange: wraps any Exchange and makes chosen calls fail the way a real venue
// and network do, on a script, so that the order manager's failure paths can be tested against
// the simulated exchange (LevelDB's fault-injecting Env is the model). Without rules it forwards
// everything unchanged.
//
// A rule names a call (PlaceOrder, PlaceOco, CancelOrder, QueryOrder, ...), a fault, how many
// matching calls it applies to, and optionally a predicate on the request; rules are tried in
// the order they were added and the first that matches is spent by one. The faults:
//   kTimeoutBeforeSending  the request never reached the exchange: nothing changed; a request
//                          is acknowledged kUnknown (Error kTimeout), a query fails kTimeout;
//   kTimeoutAfterApplying  the exchange applied the request but the answer was lost (the
//                          lost-ack case): acknowledged kUnknown (kTimeout) although the order
//                          exists and its reports follow; a query fails kTimeout;
//   kRateLimited           refused before reaching the exchange: a request is rejected -1003
//                          with retry_after_ms, a query fails kRateLimited with retry_after_ms;
//   kUnavailable           refused before reaching the exchange (HTTP 503): a request is
//                          acknowledged kUnknown (Error kUnavailable), a query fails kUnavailable;
//   kRefuseCancel          CancelOrder only: rejected "-2011 Unknown order sent." and the order
//                          stays open (Binance answers so while the order is being matched).
// DropReports(k) loses the next k execution reports of the wrapped exchange and then delivers a
// kResync event in their place (a reconnect after a gap); Resync() delivers one losing nothing.
// Deterministic; not thread-safe (engine thread only), like the port.

#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>
#include <vector>

#include "exchange/exchange_wrapper.hpp"

namespace osprey {

enum class ExchangeCall {
  kGetSymbolInfo,
  kPlaceOrder,
  kPlaceOco,
  kCancelOrder,
  kQueryOrder,
  kOpenOrders,
  kAccount,
  kFreeBalance,
  kTotalBalance,
};
std::string_view ExchangeCallName(ExchangeCall call);  // "PlaceOrder", ...

enum class Fault {
  kTimeoutBeforeSending,
  kTimeoutAfterApplying,
  kRateLimited,
  kUnavailable,
  kRefuseCancel,
};
std::string_view FaultName(Fault fault);  // "TIMEOUT_BEFORE_SENDING", ...

// One call as a rule's predicate sees it.
struct ExchangeCallInfo {
  ExchangeCall call = ExchangeCall::kPlaceOrder;
  std::string_view symbol;           // or the asset for FreeBalance / TotalBalance
  std::string_view client_order_id;  // PlaceOrder / CancelOrder / QueryOrder; PlaceOco: the list's
  const OrderRequest* order = nullptr;  // PlaceOrder only
  const OcoRequest* oco = nullptr;      // PlaceOco only
};

struct FaultRule {
  ExchangeCall call = ExchangeCall::kPlaceOrder;
  Fault fault = Fault::kTimeoutBeforeSending;
  int count = 1;                                       // matching calls it applies to; >= 1
  std::function<bool(const ExchangeCallInfo&)> match;  // empty: every call of `call`
  std::int64_t retry_after_ms = 1000;                  // kRateLimited: the wait asked for
};

class FaultInjectingExchange final : public ExchangeWrapper {
 public:
  explicit FaultInjectingExchange(Exchange& inner) : ExchangeWrapper(inner) {}

  // Adds a rule. Panics on a rule that cannot apply (count < 1, kRefuseCancel on another call
  // than CancelOrder): a mistake in the test, not a runtime condition.
  void Inject(FaultRule rule);
  // Shorthand: the next `count` calls of `call` fail with `fault`.
  void FailNext(ExchangeCall call, Fault fault, int count = 1);
  // The next `count` (>= 1) execution reports are lost, then a kResync event is delivered.
  void DropReports(int count);
  // A kResync event is delivered at the next PollEvents(), nothing lost.
  void Resync();
  // Forgets every rule and pending drop.
  void Heal();

  int faults_injected() const { return faults_injected_; }  // calls failed so far
  int reports_dropped() const { return reports_dropped_; }
  std::size_t rules_pending() const { return rules_.size(); }

  Result<SymbolInfo> GetSymbolInfo(std::string_view symbol) override;
  OrderAck PlaceOrder(const OrderRequest& request) override;
  OrderAck PlaceOco(const OcoRequest& request) override;
  OrderAck CancelOrder(std::string_view symbol, std::string_view client_order_id) override;
  Result<OrderState> QueryOrder(std::string_view symbol, std::string_view client_order_id) override;
  Result<std::vector<OrderState>> OpenOrders(std::string_view symbol) override;
  Result<AccountSnapshot> Account() override;
  Result<Decimal> FreeBalance(std::string_view asset) override;
  Result<Decimal> TotalBalance(std::string_view asset) override;
  std::vector<ExchangeEvent> PollEvents() override;

 private:
  struct Injected {
    Fault fault;
    std::int64_t retry_after_ms;
  };
  // The rule matching `info`, spent by one; none when the call goes through untouched.
  std::optional<Injected> Take(const ExchangeCallInfo& info);
  // A request's acknowledgement under `fault`; `forward` sends it to the wrapped exchange.
  OrderAck Request(const ExchangeCallInfo& info, const std::function<OrderAck()>& forward);
  // A query's answer: the wrapped exchange's, or the injected failure.
  template <class Forward>
  auto Query(const ExchangeCallInfo& info, const Forward& forward) -> decltype(forward());

  std::vector<FaultRule> rules_;
  int drop_remaining_ = 0;
  bool resync_pending_ = false;
  int faults_injected_ = 0;
  int reports_dropped_ = 0;
};

}  // namespace osprey
