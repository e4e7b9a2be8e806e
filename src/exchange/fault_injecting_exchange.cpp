#include "exchange/fault_injecting_exchange.hpp"

#include <string>
#include <utility>

namespace osprey {
namespace {

constexpr const char* kRateLimitMessage =
    "Too much request weight used; current limit is 6000 request weight per 1 MINUTE. Please use "
    "the websocket for live updates to avoid polling the API.";

std::string Describe(const ExchangeCallInfo& info) {
  std::string s(ExchangeCallName(info.call));
  if (!info.symbol.empty()) s += " " + std::string(info.symbol);
  if (!info.client_order_id.empty()) s += " " + std::string(info.client_order_id);
  return s;
}

Error FaultError(Fault fault, const ExchangeCallInfo& info, std::int64_t retry_after_ms) {
  const std::string what = Describe(info);
  switch (fault) {
    case Fault::kTimeoutBeforeSending:
      return Error{ErrorCode::kTimeout, what + ": no answer in time (injected, not sent)"};
    case Fault::kTimeoutAfterApplying:
      return Error{ErrorCode::kTimeout, what + ": no answer in time (injected, applied)"};
    case Fault::kRateLimited:
      return Error{ErrorCode::kRateLimited, what + ": -1003 " + kRateLimitMessage, retry_after_ms};
    case Fault::kUnavailable:
      return Error{ErrorCode::kUnavailable, what + ": HTTP 503 Service Unavailable (injected)"};
    case Fault::kRefuseCancel: break;
  }
  return Error{ErrorCode::kInternal, what + ": no error form for this fault"};
}

}  // namespace

std::string_view ExchangeCallName(ExchangeCall call) {
  switch (call) {
    case ExchangeCall::kGetSymbolInfo: return "GetSymbolInfo";
    case ExchangeCall::kPlaceOrder: return "PlaceOrder";
    case ExchangeCall::kPlaceOco: return "PlaceOco";
    case ExchangeCall::kCancelOrder: return "CancelOrder";
    case ExchangeCall::kQueryOrder: return "QueryOrder";
    case ExchangeCall::kOpenOrders: return "OpenOrders";
    case ExchangeCall::kAccount: return "Account";
    case ExchangeCall::kFreeBalance: return "FreeBalance";
    case ExchangeCall::kTotalBalance: return "TotalBalance";
  }
  return "?";
}

std::string_view FaultName(Fault fault) {
  switch (fault) {
    case Fault::kTimeoutBeforeSending: return "TIMEOUT_BEFORE_SENDING";
    case Fault::kTimeoutAfterApplying: return "TIMEOUT_AFTER_APPLYING";
    case Fault::kRateLimited: return "RATE_LIMITED";
    case Fault::kUnavailable: return "UNAVAILABLE";
    case Fault::kRefuseCancel: return "REFUSE_CANCEL";
  }
  return "?";
}

void FaultInjectingExchange::Inject(FaultRule rule) {
  OSPREY_CHECK(rule.count >= 1, "FaultInjectingExchange: a rule must apply to at least one call");
  OSPREY_CHECK(rule.fault != Fault::kRefuseCancel || rule.call == ExchangeCall::kCancelOrder,
               "FaultInjectingExchange: kRefuseCancel applies to CancelOrder only");
  rules_.push_back(std::move(rule));
}

void FaultInjectingExchange::FailNext(ExchangeCall call, Fault fault, int count) {
  FaultRule rule;
  rule.call = call;
  rule.fault = fault;
  rule.count = count;
  Inject(std::move(rule));
}

void FaultInjectingExchange::DropReports(int count) {
  OSPREY_CHECK(count >= 1, "FaultInjectingExchange::DropReports: count must be >= 1");
  drop_remaining_ += count;
}

void FaultInjectingExchange::Resync() { resync_pending_ = true; }

void FaultInjectingExchange::Heal() {
  rules_.clear();
  drop_remaining_ = 0;
  resync_pending_ = false;
}

std::optional<FaultInjectingExchange::Injected> FaultInjectingExchange::Take(
    const ExchangeCallInfo& info) {
  for (auto it = rules_.begin(); it != rules_.end(); ++it) {
    if (it->call != info.call) continue;
    if (it->match && !it->match(info)) continue;
    const Injected injected{it->fault, it->retry_after_ms};
    if (--it->count == 0) rules_.erase(it);
    ++faults_injected_;
    return injected;
  }
  return std::nullopt;
}

OrderAck FaultInjectingExchange::Request(const ExchangeCallInfo& info,
                                         const std::function<OrderAck()>& forward) {
  const std::optional<Injected> f = Take(info);
  if (!f) return forward();
  OrderAck ack;
  switch (f->fault) {
    case Fault::kTimeoutAfterApplying:
      (void)forward();  // applied; the answer is what gets lost
      [[fallthrough]];
    case Fault::kTimeoutBeforeSending:
    case Fault::kUnavailable:
      ack.outcome = AckOutcome::kUnknown;
      ack.error = FaultError(f->fault, info, 0);
      return ack;
    case Fault::kRateLimited:
      ack.outcome = AckOutcome::kRejected;
      ack.reject_code = -1003;
      ack.reject_message = kRateLimitMessage;
      ack.retry_after_ms = f->retry_after_ms;
      return ack;
    case Fault::kRefuseCancel:
      ack.outcome = AckOutcome::kRejected;
      ack.reject_code = -2011;
      ack.reject_message = "Unknown order sent.";
      return ack;
  }
  return ack;
}

// Queries have no effect on the exchange, so a timeout after applying and one before sending
// look the same to the caller.
template <class Forward>
auto FaultInjectingExchange::Query(const ExchangeCallInfo& info, const Forward& forward)
    -> decltype(forward()) {
  const std::optional<Injected> f = Take(info);
  if (!f) return forward();
  if (f->fault == Fault::kTimeoutAfterApplying) (void)forward();
  return std::unexpected(FaultError(f->fault, info, f->retry_after_ms));
}

Result<SymbolInfo> FaultInjectingExchange::GetSymbolInfo(std::string_view symbol) {
  return Query(ExchangeCallInfo{ExchangeCall::kGetSymbolInfo, symbol, {}},
               [&] { return inner().GetSymbolInfo(symbol); });
}

OrderAck FaultInjectingExchange::PlaceOrder(const OrderRequest& request) {
  ExchangeCallInfo info{ExchangeCall::kPlaceOrder, request.symbol, request.client_order_id};
  info.order = &request;
  return Request(info, [&] { return inner().PlaceOrder(request); });
}

OrderAck FaultInjectingExchange::PlaceOco(const OcoRequest& request) {
  ExchangeCallInfo info{ExchangeCall::kPlaceOco, request.symbol, request.list_client_id};
  info.oco = &request;
  return Request(info, [&] { return inner().PlaceOco(request); });
}

OrderAck FaultInjectingExchange::CancelOrder(std::string_view symbol,
                                             std::string_view client_order_id) {
  return Request(ExchangeCallInfo{ExchangeCall::kCancelOrder, symbol, client_order_id},
                 [&] { return inner().CancelOrder(symbol, client_order_id); });
}

Result<OrderState> FaultInjectingExchange::QueryOrder(std::string_view symbol,
                                                      std::string_view client_order_id) {
  return Query(ExchangeCallInfo{ExchangeCall::kQueryOrder, symbol, client_order_id},
               [&] { return inner().QueryOrder(symbol, client_order_id); });
}

Result<std::vector<OrderState>> FaultInjectingExchange::OpenOrders(std::string_view symbol) {
  return Query(ExchangeCallInfo{ExchangeCall::kOpenOrders, symbol, {}},
               [&] { return inner().OpenOrders(symbol); });
}

Result<AccountSnapshot> FaultInjectingExchange::Account() {
  return Query(ExchangeCallInfo{ExchangeCall::kAccount, {}, {}}, [&] { return inner().Account(); });
}

Result<Decimal> FaultInjectingExchange::FreeBalance(std::string_view asset) {
  return Query(ExchangeCallInfo{ExchangeCall::kFreeBalance, asset, {}},
               [&] { return inner().FreeBalance(asset); });
}

Result<Decimal> FaultInjectingExchange::TotalBalance(std::string_view asset) {
  return Query(ExchangeCallInfo{ExchangeCall::kTotalBalance, asset, {}},
               [&] { return inner().TotalBalance(asset); });
}

std::vector<ExchangeEvent> FaultInjectingExchange::PollEvents() {
  std::vector<ExchangeEvent> out;
  if (std::exchange(resync_pending_, false)) {
    out.push_back(ExchangeEvent{ExchangeEvent::Kind::kResync, {}});
  }
  for (ExchangeEvent& e : inner().PollEvents()) {
    if (e.kind == ExchangeEvent::Kind::kExecution && drop_remaining_ > 0) {
      ++reports_dropped_;
      if (--drop_remaining_ == 0) out.push_back(ExchangeEvent{ExchangeEvent::Kind::kResync, {}});
      continue;
    }
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace osprey
