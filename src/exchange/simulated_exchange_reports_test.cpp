// The simulated exchange as a venue: acknowledgements, execution reports, queries by client id,
// open orders, the account, Binance's price rules for stops and OCO lists, and the faults the
// exchange itself injects (expiry, cancel by the exchange).

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "exchange/simulated_exchange.hpp"
#include "exchange/simulated_exchange_test_util.hpp"

namespace osprey {
namespace {

using test::Bar;
using test::Btc;
using test::Kinds;
using test::kT0;
using test::LimitOrder;
using test::MarketOrder;
using test::OcoOf;
using test::StopOrder;

class ReportsTest : public test::ExchangeFixture {
 protected:
  explicit ReportsTest(SimulatedExchangeOptions options = {}) : ExchangeFixture(options) {
    ex_.Deposit("USDT", Dec("1000"));
    ex_.Deposit("BTC", Dec("0.01"));
  }
};

TEST_F(ReportsTest, MarketOrderIsAckedFilledAndReportsNewThenTrade) {
  clock_.AdvanceTo(kT0 + 7);
  const OrderAck ack = ex_.PlaceOrder(MarketOrder("a", Side::kBuy, "0.01"));
  ASSERT_TRUE(ack.accepted());
  EXPECT_EQ(ack.Why(), "");
  EXPECT_EQ(ack.state.status, OrderStatus::kFilled);
  EXPECT_EQ(ack.state.executed_quantity, Dec("0.01"));
  const auto reports = Drain();
  ASSERT_EQ(Kinds(reports), (std::vector<std::string>{"NEW a", "TRADE a"}));
  const ExecutionReport& added = reports[0];
  EXPECT_EQ(added.status, OrderStatus::kNew);
  EXPECT_EQ(added.order_id, ack.state.order_id);
  EXPECT_EQ(added.order_type, OrderType::kMarket);
  EXPECT_EQ(added.side, Side::kBuy);
  EXPECT_EQ(added.quantity, Dec("0.01"));
  EXPECT_TRUE(added.cumulative_quantity.IsZero());
  EXPECT_EQ(added.trade_id, -1);
  const ExecutionReport& trade = reports[1];
  EXPECT_EQ(trade.status, OrderStatus::kFilled);
  EXPECT_EQ(trade.order_id, ack.state.order_id);
  EXPECT_EQ(trade.cumulative_quantity, Dec("0.01"));
  EXPECT_EQ(trade.cumulative_quote, Dec("400"));
  EXPECT_EQ(trade.last_quantity, Dec("0.01"));
  EXPECT_EQ(trade.last_price, Dec("40000"));
  EXPECT_EQ(trade.commission, Dec("0.4"));
  EXPECT_EQ(trade.commission_asset, "USDT");
  EXPECT_GE(trade.trade_id, 1);
  EXPECT_EQ(trade.time, kT0 + 7);
  EXPECT_TRUE(trade.list_client_id.empty());
  const Fill f = trade.AsFill();
  EXPECT_EQ(f.price, Dec("40000"));
  EXPECT_EQ(f.quantity, Dec("0.01"));
}

TEST_F(ReportsTest, RestingOrderReportsNewOnPlacement) {
  const OrderAck ack = ex_.PlaceOrder(LimitOrder("t", Side::kSell, "0.01", "42000"));
  ASSERT_TRUE(ack.accepted());
  EXPECT_EQ(ack.state.status, OrderStatus::kNew);
  const auto reports = Drain();
  ASSERT_EQ(Kinds(reports), (std::vector<std::string>{"NEW t"}));
  EXPECT_EQ(reports[0].order_type, OrderType::kLimit);
  EXPECT_EQ(Total("BTC"), Dec("0.01"));
  EXPECT_EQ(Free("BTC"), Decimal::Zero());
}

TEST_F(ReportsTest, OcoIsOneRequestWhoseAckHoldsBothLegsLimitFirst) {
  const OrderAck ack = ex_.PlaceOco(OcoOf("L", "0.01", "42000", "38000"));
  ASSERT_TRUE(ack.accepted());
  ASSERT_EQ(ack.legs.size(), 2u);
  EXPECT_EQ(ack.legs[0].request.type, OrderType::kLimit);
  EXPECT_EQ(ack.legs[0].request.client_order_id, "Lt");
  EXPECT_EQ(ack.legs[0].request.price, Dec("42000"));
  EXPECT_EQ(ack.legs[1].request.type, OrderType::kStopLoss);
  EXPECT_EQ(ack.legs[1].request.stop_price, Dec("38000"));
  EXPECT_EQ(ack.state.request.client_order_id, "Lt");
  const auto reports = Drain();
  ASSERT_EQ(Kinds(reports), (std::vector<std::string>{"NEW Lt", "NEW Ls"}));
  EXPECT_EQ(reports[0].list_client_id, "L");
  EXPECT_EQ(reports[1].list_client_id, "L");
  EXPECT_EQ(Free("BTC"), Decimal::Zero());
  EXPECT_EQ(Total("BTC"), Dec("0.01"));  // held once
}

TEST_F(ReportsTest, OcoRequestsThatCannotBeValidAreRejected) {
  OcoRequest same = OcoOf("L", "0.01", "42000", "38000");
  same.stop_client_id = same.limit_client_id;
  EXPECT_EQ(ex_.PlaceOco(same).reject_code, -1102);
  OcoRequest unnamed = OcoOf("", "0.01", "42000", "38000");
  EXPECT_EQ(ex_.PlaceOco(unnamed).reject_code, -1102);
  OcoRequest elsewhere = OcoOf("L", "0.01", "42000", "38000");
  elsewhere.symbol = "ETHUSDT";
  EXPECT_EQ(ex_.PlaceOco(elsewhere).reject_code, -1121);
  EXPECT_EQ(ex_.PlaceOco(OcoOf("L", "0.02", "42000", "38000")).reject_code, -2010);  // balance
  EXPECT_EQ(ex_.PlaceOco(OcoOf("L", "0.01", "42000.001", "38000")).Why(),
            "-1013 Filter failure: PRICE_FILTER");
  ASSERT_TRUE(ex_.PlaceOrder(LimitOrder("Lt", Side::kSell, "0.001", "45000")).accepted());
  EXPECT_EQ(ex_.PlaceOco(OcoOf("L", "0.009", "42000", "38000")).Why(),
            "-2010 Duplicate order sent.");
  EXPECT_EQ(Kinds(Drain()), (std::vector<std::string>{"NEW Lt"}));
}

TEST_F(ReportsTest, OcoPricesMustBeLimitAboveLastAboveStop) {
  const char* const kText = "-2010 The relationship of the prices for the orders is not correct.";
  EXPECT_EQ(ex_.PlaceOco(OcoOf("A", "0.01", "40000", "38000")).Why(), kText);  // limit = last
  EXPECT_EQ(ex_.PlaceOco(OcoOf("B", "0.01", "39000", "38000")).Why(), kText);  // limit < last
  EXPECT_EQ(ex_.PlaceOco(OcoOf("C", "0.01", "42000", "40000")).Why(), kText);  // stop = last
  EXPECT_EQ(ex_.PlaceOco(OcoOf("D", "0.01", "42000", "40500")).Why(), kText);  // stop > last
  EXPECT_TRUE(ex_.PlaceOco(OcoOf("E", "0.01", "40000.01", "39999.99")).accepted());
  EXPECT_EQ(Kinds(Drain()), (std::vector<std::string>{"NEW Et", "NEW Es"}));
}

TEST_F(ReportsTest, StopThatWouldTriggerImmediatelyIsRejected) {
  EXPECT_EQ(ex_.PlaceOrder(StopOrder("a", Side::kSell, "0.01", "40000")).Why(),
            "-2010 Order would trigger immediately.");
  EXPECT_EQ(ex_.PlaceOrder(StopOrder("b", Side::kSell, "0.01", "40100")).reject_code, -2010);
  EXPECT_EQ(ex_.PlaceOrder(StopOrder("c", Side::kBuy, "0.01", "40000")).reject_code, -2010);
  EXPECT_EQ(Free("BTC"), Dec("0.01"));
  EXPECT_TRUE(Drain().empty());
  EXPECT_TRUE(ex_.PlaceOrder(StopOrder("d", Side::kSell, "0.01", "39999.99")).accepted());
}

class ReferenceRulesTest : public ReportsTest {
 protected:
  static SimulatedExchangeOptions Options() {
    SimulatedExchangeOptions o;
    o.reject_immediate_trigger = false;
    return o;
  }
  ReferenceRulesTest() : ReportsTest(Options()) {}
};

TEST_F(ReferenceRulesTest, WithoutTheTriggerRuleAnyStopAndOcoIsAccepted) {
  EXPECT_TRUE(ex_.PlaceOrder(StopOrder("a", Side::kSell, "0.005", "40100")).accepted());
  EXPECT_TRUE(ex_.PlaceOco(OcoOf("L", "0.005", "39000", "40500")).accepted());
}

TEST_F(ReportsTest, QueryOrderFindsEveryAcceptedOrderOpenOrDone) {
  ASSERT_TRUE(ex_.PlaceOrder(MarketOrder("m", Side::kBuy, "0.001")).accepted());
  ASSERT_TRUE(ex_.PlaceOrder(LimitOrder("t", Side::kSell, "0.005", "42000")).accepted());
  ASSERT_TRUE(ex_.PlaceOrder(LimitOrder("c", Side::kSell, "0.005", "43000")).accepted());
  ASSERT_TRUE(ex_.CancelOrder("BTCUSDT", "c").accepted());
  ASSERT_TRUE(ex_.PlaceOrder(MarketOrder("r", Side::kBuy, "0.0001")).rejected());  // notional
  auto filled = ex_.QueryOrder("BTCUSDT", "m");
  ASSERT_TRUE(filled.has_value());
  EXPECT_EQ(filled->status, OrderStatus::kFilled);
  EXPECT_EQ(filled->executed_quantity, Dec("0.001"));
  EXPECT_EQ(ex_.QueryOrder("BTCUSDT", "t")->status, OrderStatus::kNew);
  EXPECT_EQ(ex_.QueryOrder("BTCUSDT", "c")->status, OrderStatus::kCanceled);
  for (const char* id : {"r", "never"}) {
    auto missing = ex_.QueryOrder("BTCUSDT", id);
    ASSERT_FALSE(missing.has_value()) << id;
    EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
    EXPECT_NE(missing.error().message.find("-2013 Order does not exist."), std::string::npos);
  }
  EXPECT_EQ(ex_.QueryOrder("ETHUSDT", "m").error().code, ErrorCode::kNotFound);
  // A live order's query follows its fills.
  ex_.OnCandle("BTCUSDT", Bar(kT0, "40000", "42500", "39500", "42000"), 1);
  EXPECT_EQ(ex_.QueryOrder("BTCUSDT", "t")->status, OrderStatus::kFilled);
}

TEST_F(ReportsTest, AccountListsNonZeroBalancesWithWhatIsLocked) {
  ex_.Deposit("BNB", Decimal::Zero());
  ASSERT_TRUE(ex_.PlaceOrder(LimitOrder("t", Side::kSell, "0.004", "42000")).accepted());
  auto account = ex_.Account();
  ASSERT_TRUE(account.has_value());
  EXPECT_EQ(account->time, kT0);
  ASSERT_EQ(account->balances.size(), 2u);
  EXPECT_EQ(account->balances.at("BTC").free, Dec("0.006"));
  EXPECT_EQ(account->balances.at("BTC").locked, Dec("0.004"));
  EXPECT_EQ(account->balances.at("USDT").free, Dec("1000"));
  EXPECT_TRUE(account->balances.at("USDT").locked.IsZero());
  EXPECT_FALSE(account->balances.contains("BNB"));
}

TEST(SimulatedExchangeOpenOrders, EverySymbolOldestFirstOrOneSymbol) {
  SymbolInfo eth = Btc();
  eth.symbol = "ETHUSDT";
  eth.base_asset = "ETH";
  SimulatedClock clock(kT0);
  SimulatedExchange ex(clock, {}, {Btc(), eth});
  ex.Deposit("BTC", Dec("1"));
  ex.Deposit("ETH", Dec("1"));
  OrderRequest e = LimitOrder("e", Side::kSell, "0.1", "3000");
  e.symbol = "ETHUSDT";
  ASSERT_TRUE(ex.PlaceOrder(LimitOrder("b1", Side::kSell, "0.1", "42000")).accepted());
  ASSERT_TRUE(ex.PlaceOrder(e).accepted());
  ASSERT_TRUE(ex.PlaceOrder(LimitOrder("b2", Side::kSell, "0.1", "43000")).accepted());
  auto all = ex.OpenOrders("");
  ASSERT_TRUE(all.has_value());
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].request.client_order_id, "b1");
  EXPECT_EQ((*all)[1].request.client_order_id, "e");
  EXPECT_EQ((*all)[2].request.client_order_id, "b2");
  ASSERT_EQ(ex.OpenOrders("ETHUSDT")->size(), 1u);
  EXPECT_EQ(ex.OpenOrders("BTCUSDT")->size(), 2u);
  EXPECT_TRUE(ex.OpenOrders("XRPUSDT")->empty());
}

TEST_F(ReportsTest, MalformedRequestsAreRejectedWithBinanceCodes) {
  EXPECT_EQ(ex_.PlaceOrder(MarketOrder("", Side::kBuy, "0.001")).reject_code, -1102);
  OrderRequest no_price = LimitOrder("p", Side::kSell, "0.001", "0");
  EXPECT_EQ(ex_.PlaceOrder(no_price).reject_code, -1102);
  OrderRequest linked = LimitOrder("l", Side::kSell, "0.001", "42000");
  linked.order_list_id = "L";
  EXPECT_EQ(ex_.PlaceOrder(linked).reject_code, -1106);
  EXPECT_TRUE(Drain().empty());
}

TEST_F(ReportsTest, ExpireOrderEndsTheWholeListAndReleasesTheLock) {
  ASSERT_TRUE(ex_.PlaceOco(OcoOf("L", "0.01", "42000", "38000")).accepted());
  (void)Drain();
  clock_.AdvanceTo(kT0 + 1000);
  auto expired = ex_.ExpireOrder("Ls");
  ASSERT_TRUE(expired.has_value());
  EXPECT_EQ(expired->status, OrderStatus::kExpired);
  const auto reports = Drain();
  ASSERT_EQ(Kinds(reports), (std::vector<std::string>{"EXPIRED Ls", "EXPIRED Lt"}));
  EXPECT_EQ(reports[0].status, OrderStatus::kExpired);
  EXPECT_EQ(reports[0].time, kT0 + 1000);
  EXPECT_FALSE(reports[0].reject_reason.empty());
  EXPECT_EQ(ex_.QueryOrder("BTCUSDT", "Lt")->status, OrderStatus::kExpired);
  EXPECT_TRUE(ex_.OpenOrders("BTCUSDT")->empty());
  EXPECT_EQ(Free("BTC"), Dec("0.01"));
  EXPECT_EQ(ex_.ExpireOrder("Ls").error().code, ErrorCode::kNotFound);
}

TEST_F(ReportsTest, CancelByExchangeReportsCanceledAndReleasesTheLock) {
  ASSERT_TRUE(ex_.PlaceOrder(LimitOrder("t", Side::kSell, "0.01", "42000")).accepted());
  (void)Drain();
  auto cancelled = ex_.CancelByExchange("t");
  ASSERT_TRUE(cancelled.has_value());
  const auto reports = Drain();
  ASSERT_EQ(Kinds(reports), (std::vector<std::string>{"CANCELED t"}));
  EXPECT_EQ(reports[0].status, OrderStatus::kCanceled);
  EXPECT_EQ(Free("BTC"), Dec("0.01"));
  EXPECT_TRUE(ex_.CancelOrder("BTCUSDT", "t").rejected());
  EXPECT_EQ(ex_.CancelByExchange("nope").error().code, ErrorCode::kNotFound);
}

TEST(SimulatedExchangeNames, AckOutcomesAndExecutionTypesHaveDistinctNames) {
  EXPECT_EQ(AckOutcomeName(AckOutcome::kAccepted), "ACCEPTED");
  EXPECT_EQ(AckOutcomeName(AckOutcome::kRejected), "REJECTED");
  EXPECT_EQ(AckOutcomeName(AckOutcome::kUnknown), "UNKNOWN");
  EXPECT_EQ(ExecutionTypeName(ExecutionType::kNew), "NEW");
  EXPECT_EQ(ExecutionTypeName(ExecutionType::kTrade), "TRADE");
  EXPECT_EQ(ExecutionTypeName(ExecutionType::kCanceled), "CANCELED");
  EXPECT_EQ(ExecutionTypeName(ExecutionType::kRejected), "REJECTED");
  EXPECT_EQ(ExecutionTypeName(ExecutionType::kExpired), "EXPIRED");
}

}  // namespace
}  // namespace osprey
