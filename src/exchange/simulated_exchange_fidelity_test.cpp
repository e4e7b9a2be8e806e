// The simulated exchange's fidelity options: partial fills by volume participation (resting
// orders keep their rest, market orders and triggered stops expire it), and entry latency.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "exchange/simulated_exchange.hpp"
#include "exchange/simulated_exchange_test_util.hpp"

namespace osprey {
namespace {

using test::Bar;
using test::Kinds;
using test::kT0;
using test::LimitOrder;
using test::MarketOrder;
using test::OcoOf;

SimulatedExchangeOptions Participation(const char* fraction) {
  SimulatedExchangeOptions o;
  o.volume_participation = Dec(fraction);
  return o;
}

SimulatedExchangeOptions Latency(TimeMs ms) {
  SimulatedExchangeOptions o;
  o.entry_latency_ms = ms;
  return o;
}

class ParticipationTest : public test::ExchangeFixture {
 protected:
  ParticipationTest() : ExchangeFixture(Participation("0.1")) {}
};

TEST_F(ParticipationTest, RestingOrderFillsItsShareOfEachBarAndKeepsTheRestOpen) {
  ex_.Deposit("BTC", Dec("0.5"));
  ASSERT_TRUE(ex_.PlaceOrder(LimitOrder("t", Side::kSell, "0.5", "42000")).accepted());
  (void)Drain();
  // Volume 2: 10% is 0.2.
  ex_.OnCandle("BTCUSDT", Bar(kT0, "40000", "42500", "39500", "42000", "2"), 1);
  auto reports = Drain();
  ASSERT_EQ(Kinds(reports), (std::vector<std::string>{"TRADE t"}));
  EXPECT_EQ(reports[0].status, OrderStatus::kPartiallyFilled);
  EXPECT_EQ(reports[0].last_quantity, Dec("0.2"));
  EXPECT_EQ(reports[0].cumulative_quantity, Dec("0.2"));
  EXPECT_EQ(reports[0].cumulative_quote, Dec("8400"));
  EXPECT_EQ(reports[0].quantity, Dec("0.5"));
  EXPECT_EQ(ex_.QueryOrder("BTCUSDT", "t")->status, OrderStatus::kPartiallyFilled);
  ASSERT_EQ(ex_.OpenOrders("BTCUSDT")->size(), 1u);
  EXPECT_EQ(Free("BTC"), Decimal::Zero());
  EXPECT_EQ(Total("BTC"), Dec("0.3"));  // the rest stays locked
  EXPECT_EQ(Free("USDT"), Dec("8400") - Dec("8.4"));
  // Volume 5: 0.5 available, 0.3 needed.
  ex_.OnCandle("BTCUSDT", Bar(kT0 + kHourMs, "42000", "43000", "41900", "42500", "5"), 2);
  reports = Drain();
  ASSERT_EQ(Kinds(reports), (std::vector<std::string>{"TRADE t"}));
  EXPECT_EQ(reports[0].status, OrderStatus::kFilled);
  EXPECT_EQ(reports[0].last_quantity, Dec("0.3"));
  EXPECT_EQ(reports[0].cumulative_quantity, Dec("0.5"));
  EXPECT_EQ(reports[0].cumulative_quote, Dec("21000"));
  EXPECT_EQ(reports[0].candle_index, 2);
  EXPECT_TRUE(ex_.OpenOrders("BTCUSDT")->empty());
  EXPECT_EQ(Total("BTC"), Decimal::Zero());
  EXPECT_EQ(ex_.QueryOrder("BTCUSDT", "t")->executed_quantity, Dec("0.5"));
}

TEST_F(ParticipationTest, MinuteReplayLimitsEachMinute) {
  ex_.Deposit("BTC", Dec("0.25"));
  ASSERT_TRUE(ex_.PlaceOrder(LimitOrder("t", Side::kSell, "0.25", "42000")).accepted());
  (void)Drain();
  std::vector<Candle> minutes;
  for (int i = 0; i < 60; ++i) {
    const TimeMs t = kT0 + i * kMinuteMs;
    minutes.push_back(i < 10 ? Bar(t, "40000", "40100", "39900", "40000", "1")
                             : Bar(t, "42000", "42200", "41900", "42100", "1"));
  }
  ex_.OnCandle("BTCUSDT", Bar(kT0, "40000", "42200", "39900", "42100", "60"), 4, minutes);
  const auto reports = Drain();
  ASSERT_EQ(Kinds(reports), (std::vector<std::string>{"TRADE t", "TRADE t", "TRADE t"}));
  EXPECT_EQ(reports[0].last_quantity, Dec("0.1"));
  EXPECT_EQ(reports[0].time, kT0 + 11 * kMinuteMs);
  EXPECT_EQ(reports[1].last_quantity, Dec("0.1"));
  EXPECT_EQ(reports[1].time, kT0 + 12 * kMinuteMs);
  EXPECT_EQ(reports[2].last_quantity, Dec("0.05"));
  EXPECT_EQ(reports[2].status, OrderStatus::kFilled);
  EXPECT_EQ(reports[2].candle_open_time, kT0);
  EXPECT_EQ(reports[2].candle_index, 4);
}

TEST_F(ParticipationTest, MarketOrderFillsWhatTheBarAllowsAndTheRestExpires) {
  // The last hour traded 0.1 BTC: 0.01 is ours to take.
  ex_.OnCandle("BTCUSDT", Bar(kT0 - kHourMs, "40000", "41000", "39000", "40000", "0.1"), 0);
  ex_.Deposit("USDT", Dec("10000"));
  const OrderAck ack = ex_.PlaceOrder(MarketOrder("a", Side::kBuy, "0.03"));
  ASSERT_TRUE(ack.accepted());
  EXPECT_EQ(ack.state.status, OrderStatus::kExpired);
  EXPECT_EQ(ack.state.executed_quantity, Dec("0.01"));
  auto reports = Drain();
  ASSERT_EQ(Kinds(reports), (std::vector<std::string>{"NEW a", "TRADE a", "EXPIRED a"}));
  EXPECT_EQ(reports[1].status, OrderStatus::kPartiallyFilled);
  EXPECT_EQ(reports[1].last_quantity, Dec("0.01"));
  EXPECT_EQ(reports[2].status, OrderStatus::kExpired);
  EXPECT_EQ(reports[2].cumulative_quantity, Dec("0.01"));
  EXPECT_EQ(Free("BTC"), Dec("0.01"));
  EXPECT_EQ(Free("USDT"), Dec("10000") - Dec("400") - Dec("0.4"));
  // The bar's share is used up: the next market order expires unfilled.
  const OrderAck next = ex_.PlaceOrder(MarketOrder("b", Side::kBuy, "0.01"));
  ASSERT_TRUE(next.accepted());
  EXPECT_EQ(next.state.status, OrderStatus::kExpired);
  EXPECT_TRUE(next.state.executed_quantity.IsZero());
  EXPECT_EQ(Kinds(Drain()), (std::vector<std::string>{"NEW b", "EXPIRED b"}));
  EXPECT_EQ(ex_.QueryOrder("BTCUSDT", "b")->status, OrderStatus::kExpired);
}

TEST_F(ParticipationTest, TriggeredStopBeyondTheShareExpiresTheRestAndCancelsTheTakeProfit) {
  ex_.Deposit("BTC", Dec("0.5"));
  ASSERT_TRUE(ex_.PlaceOco(OcoOf("L", "0.5", "42000", "38000")).accepted());
  (void)Drain();
  ex_.OnCandle("BTCUSDT", Bar(kT0, "39000", "39500", "37000", "37500", "2"), 1);
  const auto reports = Drain();
  ASSERT_EQ(Kinds(reports), (std::vector<std::string>{"TRADE Ls", "CANCELED Lt", "EXPIRED Ls"}));
  EXPECT_EQ(reports[0].status, OrderStatus::kPartiallyFilled);
  EXPECT_EQ(reports[0].last_quantity, Dec("0.2"));
  EXPECT_EQ(reports[0].last_price, Dec("38000"));
  EXPECT_EQ(reports[2].cumulative_quantity, Dec("0.2"));
  EXPECT_TRUE(ex_.OpenOrders("BTCUSDT")->empty());
  // The unsold 0.3 is free again: the position is unprotected until the owner acts.
  EXPECT_EQ(Free("BTC"), Dec("0.3"));
  EXPECT_EQ(Total("BTC"), Dec("0.3"));
  EXPECT_EQ(Free("USDT"), Dec("7600") - Dec("7.6"));
}

TEST_F(ParticipationTest, APartialTakeProfitCancelsTheStopAndTheRestFillsLater) {
  ex_.Deposit("BTC", Dec("0.5"));
  ASSERT_TRUE(ex_.PlaceOco(OcoOf("L", "0.5", "42000", "38000")).accepted());
  (void)Drain();
  ex_.OnCandle("BTCUSDT", Bar(kT0, "40000", "42500", "39500", "42100", "2"), 1);
  auto reports = Drain();
  ASSERT_EQ(Kinds(reports), (std::vector<std::string>{"TRADE Lt", "CANCELED Ls"}));
  EXPECT_EQ(reports[0].status, OrderStatus::kPartiallyFilled);
  const auto open = *ex_.OpenOrders("BTCUSDT");
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0].request.client_order_id, "Lt");
  EXPECT_EQ(open[0].executed_quantity, Dec("0.2"));
  EXPECT_EQ(Total("BTC"), Dec("0.3"));
  EXPECT_EQ(Free("BTC"), Decimal::Zero());  // the list's lock moved to the take-profit
  // The next hour opens above the limit: the rest fills at that open.
  ex_.OnCandle("BTCUSDT", Bar(kT0 + kHourMs, "42100", "42600", "42050", "42300", "10"), 2);
  reports = Drain();
  ASSERT_EQ(Kinds(reports), (std::vector<std::string>{"TRADE Lt"}));
  EXPECT_EQ(reports[0].status, OrderStatus::kFilled);
  EXPECT_EQ(reports[0].last_price, Dec("42100"));
  EXPECT_EQ(reports[0].cumulative_quote, Dec("8400") + Dec("12630"));
  EXPECT_EQ(Total("BTC"), Decimal::Zero());
}

TEST_F(ParticipationTest, BarsWithoutVolumeFillNothing) {
  ex_.Deposit("BTC", Dec("0.5"));
  ASSERT_TRUE(ex_.PlaceOrder(LimitOrder("t", Side::kSell, "0.5", "42000")).accepted());
  (void)Drain();
  ex_.OnCandle("BTCUSDT", Bar(kT0, "40000", "42500", "39500", "42000", "0"), 1);
  EXPECT_TRUE(Drain().empty());
  EXPECT_EQ(ex_.QueryOrder("BTCUSDT", "t")->status, OrderStatus::kNew);
}

class TakeProfitThroughTest : public test::ExchangeFixture {};

TEST_F(TakeProfitThroughTest, ALimitBuyNeedsTheLowBelowItsPrice) {
  ex_.Deposit("USDT", Dec("1000"));
  ASSERT_TRUE(ex_.PlaceOrder(LimitOrder("b", Side::kBuy, "0.01", "39000")).accepted());
  (void)Drain();
  ex_.OnCandle("BTCUSDT", Bar(kT0, "40000", "40500", "39000", "39500"), 1);
  EXPECT_TRUE(Drain().empty());
  ex_.OnCandle("BTCUSDT", Bar(kT0 + kHourMs, "39500", "39600", "38999.99", "39100"), 2);
  const auto reports = Drain();
  ASSERT_EQ(Kinds(reports), (std::vector<std::string>{"TRADE b"}));
  EXPECT_EQ(reports[0].last_price, Dec("39000"));
}

class LatencyTest : public test::ExchangeFixture {
 protected:
  explicit LatencyTest(TimeMs ms = 5000) : ExchangeFixture(Latency(ms)) {}
  // 60 minutes of the hour at kT0; minute 1 opens 40020 and closes 40080.
  static std::vector<Candle> Minutes() {
    std::vector<Candle> m;
    for (int i = 0; i < 60; ++i) {
      const TimeMs t = kT0 + i * kMinuteMs;
      m.push_back(i == 1 ? Bar(t, "40020", "40100", "39990", "40080")
                         : Bar(t, "40000", "40050", "39950", "40020"));
    }
    return m;
  }
};

TEST_F(LatencyTest, MarketOrderIsAcceptedNewAndFillsAtTheNextHourlyOpen) {
  ex_.Deposit("USDT", Dec("1000"));
  const OrderAck ack = ex_.PlaceOrder(MarketOrder("a", Side::kBuy, "0.01"));
  ASSERT_TRUE(ack.accepted());
  EXPECT_EQ(ack.state.status, OrderStatus::kNew);
  EXPECT_EQ(Kinds(Drain()), (std::vector<std::string>{"NEW a"}));
  EXPECT_EQ(ex_.QueryOrder("BTCUSDT", "a")->status, OrderStatus::kNew);
  EXPECT_EQ(Free("USDT"), Dec("599.6"));  // held at the estimate: 400 + 0.4 fee
  EXPECT_EQ(Total("USDT"), Dec("1000"));
  ex_.OnCandle("BTCUSDT", Bar(kT0, "40100", "40500", "39800", "40200"), 1);
  const auto reports = Drain();
  ASSERT_EQ(Kinds(reports), (std::vector<std::string>{"TRADE a"}));
  EXPECT_EQ(reports[0].status, OrderStatus::kFilled);
  EXPECT_EQ(reports[0].last_price, Dec("40100"));
  EXPECT_EQ(reports[0].time, kT0 + 5000);
  EXPECT_EQ(reports[0].candle_open_time, kT0);
  EXPECT_EQ(reports[0].candle_index, 1);
  EXPECT_EQ(Free("USDT"), Dec("1000") - Dec("401") - Dec("0.401"));
  EXPECT_EQ(Total("USDT"), Free("USDT"));
  EXPECT_EQ(Free("BTC"), Dec("0.01"));
}

TEST_F(LatencyTest, WithMinutesABuyMidMinuteTakesTheHigherOfOpenAndClose) {
  clock_.AdvanceTo(kT0 - 5000 + kMinuteMs + 25'000);  // fills at 1:25 into the hour
  ex_.Deposit("USDT", Dec("1000"));
  ASSERT_TRUE(ex_.PlaceOrder(MarketOrder("a", Side::kBuy, "0.01")).accepted());
  ex_.Deposit("BTC", Dec("0.01"));
  ASSERT_TRUE(ex_.PlaceOrder(MarketOrder("s", Side::kSell, "0.01")).accepted());
  (void)Drain();
  const auto minutes = Minutes();
  ex_.OnCandle("BTCUSDT", Bar(kT0, "40000", "40100", "39950", "40020"), 1, minutes);
  const auto reports = Drain();
  ASSERT_EQ(Kinds(reports), (std::vector<std::string>{"TRADE a", "TRADE s"}));
  EXPECT_EQ(reports[0].last_price, Dec("40080"));
  EXPECT_EQ(reports[0].time, kT0 + kMinuteMs + 25'000);
  EXPECT_EQ(reports[1].last_price, Dec("40020"));  // a sell: the lower
}

class MinuteLatencyTest : public LatencyTest {
 protected:
  MinuteLatencyTest() : LatencyTest(kMinuteMs) {}
};

TEST_F(MinuteLatencyTest, AFillInstantAtAMinutesStartTakesItsOpen) {
  ex_.Deposit("USDT", Dec("1000"));
  ASSERT_TRUE(ex_.PlaceOrder(MarketOrder("a", Side::kBuy, "0.01")).accepted());
  (void)Drain();
  ex_.OnCandle("BTCUSDT", Bar(kT0, "40000", "40100", "39950", "40020"), 1, Minutes());
  const auto reports = Drain();
  ASSERT_EQ(Kinds(reports), (std::vector<std::string>{"TRADE a"}));
  EXPECT_EQ(reports[0].last_price, Dec("40020"));
  EXPECT_EQ(reports[0].time, kT0 + kMinuteMs);
}

TEST_F(LatencyTest, ADelayedBuyThatTheAccountCanNoLongerPayExpires) {
  ex_.Deposit("USDT", Dec("401"));
  ASSERT_TRUE(ex_.PlaceOrder(MarketOrder("a", Side::kBuy, "0.01")).accepted());
  (void)Drain();
  ex_.OnCandle("BTCUSDT", Bar(kT0, "41000", "41500", "40800", "41200"), 1);
  const auto reports = Drain();
  ASSERT_EQ(Kinds(reports), (std::vector<std::string>{"EXPIRED a"}));
  EXPECT_EQ(reports[0].reject_reason,
            "-2010 Account has insufficient balance for requested action.");
  EXPECT_EQ(Free("USDT"), Dec("401"));
  EXPECT_EQ(Total("BTC"), Decimal::Zero());
}

TEST_F(LatencyTest, APendingMarketOrderCannotBeCancelledButTheExchangeCanExpireIt) {
  ex_.Deposit("USDT", Dec("1000"));
  ASSERT_TRUE(ex_.PlaceOrder(MarketOrder("a", Side::kBuy, "0.01")).accepted());
  (void)Drain();
  EXPECT_EQ(ex_.CancelOrder("BTCUSDT", "a").reject_code, -2011);
  ASSERT_TRUE(ex_.ExpireOrder("a").has_value());
  EXPECT_EQ(Kinds(Drain()), (std::vector<std::string>{"EXPIRED a"}));
  EXPECT_EQ(Free("USDT"), Dec("1000"));
  ex_.OnCandle("BTCUSDT", Bar(kT0, "40100", "40500", "39800", "40200"), 1);
  EXPECT_TRUE(Drain().empty());
}

TEST_F(LatencyTest, AnOrderDueAfterTheBarWaitsForTheNextOne) {
  clock_.AdvanceTo(kT0 + kHourMs - 1000);  // due 4 s into the next hour
  ex_.Deposit("USDT", Dec("1000"));
  ASSERT_TRUE(ex_.PlaceOrder(MarketOrder("a", Side::kBuy, "0.01")).accepted());
  (void)Drain();
  ex_.OnCandle("BTCUSDT", Bar(kT0, "40100", "40500", "39800", "40200"), 1);
  EXPECT_TRUE(Drain().empty());
  ex_.OnCandle("BTCUSDT", Bar(kT0 + kHourMs, "40300", "40500", "39800", "40200"), 2);
  const auto reports = Drain();
  ASSERT_EQ(Kinds(reports), (std::vector<std::string>{"TRADE a"}));
  EXPECT_EQ(reports[0].last_price, Dec("40300"));
  EXPECT_EQ(reports[0].time, kT0 + kHourMs + 4000);
}

SimulatedExchangeOptions BnbFees(const char* price) {
  SimulatedExchangeOptions o;
  o.fees_in_bnb = true;
  o.bnb_price = Dec(price);
  return o;
}

class BnbFeeTest : public test::ExchangeFixture {
 protected:
  BnbFeeTest() : ExchangeFixture(BnbFees("500")) { ex_.Deposit("USDT", Dec("1000")); }
};

TEST_F(BnbFeeTest, BnbPaysTheFeeAtAQuarterOff) {
  ex_.Deposit("BNB", Dec("1"));
  ASSERT_TRUE(ex_.PlaceOrder(MarketOrder("a", Side::kBuy, "0.01")).accepted());
  const auto reports = Drain();
  ASSERT_EQ(Kinds(reports), (std::vector<std::string>{"NEW a", "TRADE a"}));
  // 0.1% of 400 is 0.4 USDT; 75% of it is 0.3 USDT = 0.0006 BNB at 500.
  EXPECT_EQ(reports[1].commission, Dec("0.0006"));
  EXPECT_EQ(reports[1].commission_asset, "BNB");
  EXPECT_EQ(Free("USDT"), Dec("600"));  // the notional only
  EXPECT_EQ(Free("BTC"), Dec("0.01"));  // the whole quantity
  EXPECT_EQ(Free("BNB"), Dec("0.9994"));
  ASSERT_TRUE(ex_.PlaceOrder(MarketOrder("b", Side::kSell, "0.01")).accepted());
  EXPECT_EQ(Drain()[1].commission_asset, "BNB");
  EXPECT_EQ(Free("USDT"), Dec("1000"));
  EXPECT_EQ(Free("BNB"), Dec("0.9988"));
}

TEST_F(BnbFeeTest, WithoutEnoughBnbTheUsualAssetPaysTheFullRate) {
  ex_.Deposit("BNB", Dec("0.0005"));
  ASSERT_TRUE(ex_.PlaceOrder(MarketOrder("a", Side::kBuy, "0.01")).accepted());
  const auto reports = Drain();
  EXPECT_EQ(reports[1].commission, Dec("0.4"));
  EXPECT_EQ(reports[1].commission_asset, "USDT");
  EXPECT_EQ(Free("BNB"), Dec("0.0005"));
}

TEST(SimulatedExchangeBnbFees, TheBnbMarketsLastCloseWinsOverTheConfiguredPrice) {
  SymbolInfo bnb = test::Btc();
  bnb.symbol = "BNBUSDT";
  bnb.base_asset = "BNB";
  SimulatedClock clock(kT0);
  SimulatedExchange ex(clock, BnbFees("500"), {test::Btc(), bnb});
  ex.OnCandle("BTCUSDT", Bar(kT0 - kHourMs, "40000", "41000", "39000", "40000"), 0);
  ex.OnCandle("BNBUSDT", Bar(kT0 - kHourMs, "600", "610", "590", "600"), 0);
  ex.Deposit("USDT", Dec("1000"));
  ex.Deposit("BNB", Dec("1"));
  ASSERT_TRUE(ex.PlaceOrder(MarketOrder("a", Side::kBuy, "0.01")).accepted());
  const auto reports = test::Reports(ex.PollEvents());
  ASSERT_EQ(reports.size(), 2u);
  EXPECT_EQ(reports[1].commission, Dec("0.0005"));  // 0.3 USDT at 600
}

TEST(SimulatedExchangeBnbFees, WithoutAnyBnbPriceOrdersAreRejected) {
  SimulatedClock clock(kT0);
  SimulatedExchange ex(clock, BnbFees("0"), {test::Btc()});
  ex.OnCandle("BTCUSDT", Bar(kT0 - kHourMs, "40000", "41000", "39000", "40000"), 0);
  ex.Deposit("USDT", Dec("1000"));
  ex.Deposit("BTC", Dec("0.01"));
  const OrderAck market = ex.PlaceOrder(MarketOrder("a", Side::kBuy, "0.01"));
  ASSERT_TRUE(market.rejected());
  EXPECT_EQ(market.reject_code, -2010);
  EXPECT_NE(market.reject_message.find("BNB price"), std::string::npos);
  EXPECT_TRUE(ex.PlaceOrder(LimitOrder("t", Side::kSell, "0.01", "42000")).rejected());
  EXPECT_TRUE(ex.PlaceOco(OcoOf("L", "0.01", "42000", "38000")).rejected());
  EXPECT_TRUE(ex.PollEvents().empty());
}

}  // namespace
}  // namespace osprey
