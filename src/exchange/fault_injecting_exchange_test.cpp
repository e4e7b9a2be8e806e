#include "exchange/fault_injecting_exchange.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "exchange/simulated_exchange_test_util.hpp"

namespace osprey {
namespace {

using test::Kinds;
using test::LimitOrder;
using test::MarketOrder;
using test::OcoOf;
using test::Reports;

class FaultInjectingExchangeTest : public test::ExchangeFixture {
 protected:
  FaultInjectingExchangeTest() : faulty_(ex_) {
    ex_.Deposit("USDT", Dec("1000"));
    ex_.Deposit("BTC", Dec("0.01"));
  }
  std::vector<ExecutionReport> Events() { return Reports(faulty_.PollEvents()); }

  FaultInjectingExchange faulty_;
};

TEST_F(FaultInjectingExchangeTest, WithoutRulesEverythingIsForwarded) {
  const OrderAck ack = faulty_.PlaceOrder(MarketOrder("a", Side::kBuy, "0.001"));
  ASSERT_TRUE(ack.accepted());
  EXPECT_EQ(ack.state.status, OrderStatus::kFilled);
  EXPECT_EQ(Kinds(Events()), (std::vector<std::string>{"NEW a", "TRADE a"}));
  EXPECT_EQ(faulty_.QueryOrder("BTCUSDT", "a")->status, OrderStatus::kFilled);
  EXPECT_EQ(*faulty_.FreeBalance("BTC"), Dec("0.011"));
  EXPECT_EQ(faulty_.Account()->balances.size(), 2u);
  EXPECT_EQ(faulty_.faults_injected(), 0);
}

TEST_F(FaultInjectingExchangeTest, TimeoutBeforeSendingAcksUnknownAndAppliesNothing) {
  faulty_.FailNext(ExchangeCall::kPlaceOrder, Fault::kTimeoutBeforeSending);
  const OrderAck ack = faulty_.PlaceOrder(MarketOrder("a", Side::kBuy, "0.001"));
  ASSERT_TRUE(ack.unknown());
  EXPECT_EQ(ack.error.code, ErrorCode::kTimeout);
  EXPECT_TRUE(Events().empty());
  auto q = faulty_.QueryOrder("BTCUSDT", "a");
  ASSERT_FALSE(q.has_value());
  EXPECT_EQ(q.error().code, ErrorCode::kNotFound);  // resolved: never received
  EXPECT_EQ(Free("USDT"), Dec("1000"));
  // The rule is spent: the retry goes through.
  EXPECT_TRUE(faulty_.PlaceOrder(MarketOrder("a", Side::kBuy, "0.001")).accepted());
  EXPECT_EQ(faulty_.faults_injected(), 1);
  EXPECT_EQ(faulty_.rules_pending(), 0u);
}

TEST_F(FaultInjectingExchangeTest, TimeoutAfterApplyingLosesTheAckOfAnOrderThatExists) {
  faulty_.FailNext(ExchangeCall::kPlaceOco, Fault::kTimeoutAfterApplying);
  const OrderAck ack = faulty_.PlaceOco(OcoOf("L", "0.01", "42000", "38000"));
  ASSERT_TRUE(ack.unknown());
  EXPECT_EQ(ack.error.code, ErrorCode::kTimeout);
  EXPECT_TRUE(ack.legs.empty());
  // The exchange has the list: its reports arrive and a query resolves the outcome.
  EXPECT_EQ(Kinds(Events()), (std::vector<std::string>{"NEW Lt", "NEW Ls"}));
  EXPECT_EQ(faulty_.QueryOrder("BTCUSDT", "Ls")->status, OrderStatus::kNew);
  EXPECT_EQ(faulty_.OpenOrders("BTCUSDT")->size(), 2u);
  EXPECT_EQ(Free("BTC"), Decimal::Zero());
  // A blind retry is refused as a duplicate: the caller must query first.
  EXPECT_EQ(faulty_.PlaceOco(OcoOf("L", "0.01", "42000", "38000")).reject_code, -2010);
}

TEST_F(FaultInjectingExchangeTest, RateLimitIsARejection1003WithRetryAfterAndAppliesNothing) {
  FaultRule rule;
  rule.call = ExchangeCall::kPlaceOrder;
  rule.fault = Fault::kRateLimited;
  rule.retry_after_ms = 2500;
  faulty_.Inject(rule);
  const OrderAck ack = faulty_.PlaceOrder(MarketOrder("a", Side::kBuy, "0.001"));
  ASSERT_TRUE(ack.rejected());
  EXPECT_EQ(ack.reject_code, -1003);
  EXPECT_EQ(ack.retry_after_ms, 2500);
  EXPECT_NE(ack.Why().find("-1003 Too much request weight used"), std::string::npos);
  EXPECT_TRUE(Events().empty());
  EXPECT_FALSE(faulty_.QueryOrder("BTCUSDT", "a").has_value());
}

TEST_F(FaultInjectingExchangeTest, UnavailableAcksUnknownAndAppliesNothing) {
  faulty_.FailNext(ExchangeCall::kPlaceOco, Fault::kUnavailable);
  const OrderAck ack = faulty_.PlaceOco(OcoOf("L", "0.01", "42000", "38000"));
  ASSERT_TRUE(ack.unknown());
  EXPECT_EQ(ack.error.code, ErrorCode::kUnavailable);
  EXPECT_NE(ack.Why().find("UNAVAILABLE"), std::string::npos) << ack.Why();
  EXPECT_TRUE(faulty_.OpenOrders("BTCUSDT")->empty());
  EXPECT_TRUE(Events().empty());
  EXPECT_EQ(Free("BTC"), Dec("0.01"));
}

TEST_F(FaultInjectingExchangeTest, RefusedCancelIsRejected2011AndTheOrderStaysOpen) {
  ASSERT_TRUE(faulty_.PlaceOco(OcoOf("L", "0.01", "42000", "38000")).accepted());
  (void)Events();
  faulty_.FailNext(ExchangeCall::kCancelOrder, Fault::kRefuseCancel);
  const OrderAck refused = faulty_.CancelOrder("BTCUSDT", "Ls");
  ASSERT_TRUE(refused.rejected());
  EXPECT_EQ(refused.Why(), "-2011 Unknown order sent.");
  EXPECT_EQ(faulty_.OpenOrders("BTCUSDT")->size(), 2u);
  EXPECT_TRUE(Events().empty());
  EXPECT_TRUE(faulty_.CancelOrder("BTCUSDT", "Ls").accepted());
  EXPECT_EQ(Kinds(Events()), (std::vector<std::string>{"CANCELED Ls", "CANCELED Lt"}));
}

TEST_F(FaultInjectingExchangeTest, CancelTimingOutAfterApplyingCancelsButAcksUnknown) {
  ASSERT_TRUE(faulty_.PlaceOrder(LimitOrder("t", Side::kSell, "0.01", "42000")).accepted());
  (void)Events();
  faulty_.FailNext(ExchangeCall::kCancelOrder, Fault::kTimeoutAfterApplying);
  EXPECT_TRUE(faulty_.CancelOrder("BTCUSDT", "t").unknown());
  EXPECT_EQ(faulty_.QueryOrder("BTCUSDT", "t")->status, OrderStatus::kCanceled);
  EXPECT_EQ(Free("BTC"), Dec("0.01"));
}

TEST_F(FaultInjectingExchangeTest, APredicateChoosesWhichCallsFailAndCountSpendsTheRule) {
  FaultRule rule;
  rule.call = ExchangeCall::kPlaceOrder;
  rule.fault = Fault::kTimeoutBeforeSending;
  rule.count = 2;
  rule.match = [](const ExchangeCallInfo& info) {
    return info.order != nullptr && info.order->side == Side::kSell;
  };
  faulty_.Inject(rule);
  EXPECT_TRUE(faulty_.PlaceOrder(MarketOrder("b1", Side::kBuy, "0.001")).accepted());
  EXPECT_TRUE(faulty_.PlaceOrder(MarketOrder("s1", Side::kSell, "0.001")).unknown());
  EXPECT_TRUE(faulty_.PlaceOrder(MarketOrder("b2", Side::kBuy, "0.001")).accepted());
  EXPECT_TRUE(faulty_.PlaceOrder(MarketOrder("s2", Side::kSell, "0.001")).unknown());
  EXPECT_TRUE(faulty_.PlaceOrder(MarketOrder("s3", Side::kSell, "0.001")).accepted());
  EXPECT_EQ(faulty_.faults_injected(), 2);
}

TEST_F(FaultInjectingExchangeTest, RulesMatchTheirCallOnlyAndApplyInOrder) {
  faulty_.FailNext(ExchangeCall::kCancelOrder, Fault::kUnavailable);
  faulty_.FailNext(ExchangeCall::kPlaceOrder, Fault::kRateLimited);
  faulty_.FailNext(ExchangeCall::kPlaceOrder, Fault::kUnavailable);
  EXPECT_TRUE(faulty_.PlaceOrder(MarketOrder("a", Side::kBuy, "0.001")).rejected());
  EXPECT_EQ(faulty_.PlaceOrder(MarketOrder("a", Side::kBuy, "0.001")).error.code,
            ErrorCode::kUnavailable);
  EXPECT_TRUE(faulty_.PlaceOrder(MarketOrder("a", Side::kBuy, "0.001")).accepted());
  EXPECT_EQ(faulty_.rules_pending(), 1u);  // the cancel's
  faulty_.Heal();
  EXPECT_EQ(faulty_.rules_pending(), 0u);
  EXPECT_TRUE(faulty_.CancelOrder("BTCUSDT", "a").rejected());  // filled: -2011 from the venue
}

TEST_F(FaultInjectingExchangeTest, QueriesFailWithTheirOwnErrorCodes) {
  ASSERT_TRUE(faulty_.PlaceOrder(MarketOrder("a", Side::kBuy, "0.001")).accepted());
  faulty_.FailNext(ExchangeCall::kQueryOrder, Fault::kTimeoutBeforeSending);
  faulty_.FailNext(ExchangeCall::kOpenOrders, Fault::kUnavailable);
  FaultRule limited;
  limited.call = ExchangeCall::kAccount;
  limited.fault = Fault::kRateLimited;
  limited.retry_after_ms = 60'000;
  faulty_.Inject(limited);
  faulty_.FailNext(ExchangeCall::kFreeBalance, Fault::kTimeoutAfterApplying);
  faulty_.FailNext(ExchangeCall::kTotalBalance, Fault::kUnavailable);
  faulty_.FailNext(ExchangeCall::kGetSymbolInfo, Fault::kTimeoutBeforeSending);

  auto q = faulty_.QueryOrder("BTCUSDT", "a");
  ASSERT_FALSE(q.has_value());
  EXPECT_EQ(q.error().code, ErrorCode::kTimeout);
  EXPECT_NE(q.error().message.find("QueryOrder BTCUSDT a"), std::string::npos);
  EXPECT_EQ(faulty_.OpenOrders("").error().code, ErrorCode::kUnavailable);
  auto account = faulty_.Account();
  ASSERT_FALSE(account.has_value());
  EXPECT_EQ(account.error().code, ErrorCode::kRateLimited);
  EXPECT_EQ(account.error().retry_after_ms, 60'000);
  EXPECT_EQ(faulty_.FreeBalance("BTC").error().code, ErrorCode::kTimeout);
  EXPECT_EQ(faulty_.TotalBalance("BTC").error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(faulty_.GetSymbolInfo("BTCUSDT").error().code, ErrorCode::kTimeout);
  // Each failed once; the next calls answer.
  EXPECT_EQ(faulty_.QueryOrder("BTCUSDT", "a")->status, OrderStatus::kFilled);
  EXPECT_TRUE(faulty_.Account().has_value());
  EXPECT_EQ(faulty_.faults_injected(), 6);
}

TEST_F(FaultInjectingExchangeTest, DroppedReportsAreFollowedByAResync) {
  faulty_.DropReports(3);
  ASSERT_TRUE(faulty_.PlaceOrder(MarketOrder("a", Side::kBuy, "0.001")).accepted());
  // Two reports so far (NEW a, TRADE a): both lost, no resync yet.
  EXPECT_TRUE(faulty_.PollEvents().empty());
  ASSERT_TRUE(faulty_.PlaceOrder(MarketOrder("b", Side::kBuy, "0.001")).accepted());
  // NEW b is the third lost report: the reconnect follows in its place, TRADE b after it.
  const auto events = faulty_.PollEvents();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].kind, ExchangeEvent::Kind::kResync);
  EXPECT_EQ(events[1].kind, ExchangeEvent::Kind::kExecution);
  EXPECT_EQ(events[1].report.type, ExecutionType::kTrade);
  EXPECT_EQ(events[1].report.client_order_id, "b");
  EXPECT_EQ(faulty_.reports_dropped(), 3);
  // After the resync the state is rebuilt from queries: both orders are there.
  EXPECT_EQ(faulty_.QueryOrder("BTCUSDT", "a")->status, OrderStatus::kFilled);
}

TEST_F(FaultInjectingExchangeTest, ResyncWithoutLossIsDeliveredFirst) {
  ASSERT_TRUE(faulty_.PlaceOrder(MarketOrder("a", Side::kBuy, "0.001")).accepted());
  faulty_.Resync();
  const auto events = faulty_.PollEvents();
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].kind, ExchangeEvent::Kind::kResync);
  EXPECT_EQ(events[2].report.type, ExecutionType::kTrade);
  EXPECT_TRUE(faulty_.PollEvents().empty());
}

TEST(FaultInjectingExchangeNames, EveryCallAndFaultHasItsOwnName) {
  std::set<std::string_view> calls;
  for (int i = 0; i <= static_cast<int>(ExchangeCall::kTotalBalance); ++i) {
    calls.insert(ExchangeCallName(static_cast<ExchangeCall>(i)));
  }
  EXPECT_EQ(calls.size(), 9u);
  EXPECT_FALSE(calls.contains("?"));
  std::set<std::string_view> faults;
  for (int i = 0; i <= static_cast<int>(Fault::kRefuseCancel); ++i) {
    faults.insert(FaultName(static_cast<Fault>(i)));
  }
  EXPECT_EQ(faults.size(), 5u);
  EXPECT_FALSE(faults.contains("?"));
}

TEST(FaultInjectingExchangeDeathTest, ARuleThatCannotApplyIsAMistake) {
  SimulatedClock clock(test::kT0);
  SimulatedExchange ex(clock, {}, {test::Btc()});
  FaultInjectingExchange faulty(ex);
  EXPECT_DEATH(faulty.FailNext(ExchangeCall::kPlaceOrder, Fault::kRefuseCancel), "CancelOrder");
  EXPECT_DEATH(faulty.FailNext(ExchangeCall::kPlaceOrder, Fault::kUnavailable, 0), "at least");
  EXPECT_DEATH(faulty.DropReports(0), "count");
}

}  // namespace
}  // namespace osprey
