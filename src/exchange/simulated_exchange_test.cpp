#include "exchange/simulated_exchange.hpp"

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

namespace osprey {

inline void PrintTo(const Decimal& d, std::ostream* os) { *os << d.ToString(); }
inline void PrintTo(OrderStatus s, std::ostream* os) { *os << OrderStatusName(s); }

namespace {

constexpr TimeMs kT0 = 1'709'164'800'000;  // 2024-02-29T00:00:00Z

SymbolInfo Btc() {
  SymbolInfo s;
  s.symbol = "BTCUSDT";
  s.base_asset = "BTC";
  s.quote_asset = "USDT";
  s.tick_size = Dec("0.01");
  s.step_size = Dec("0.00001");
  s.min_qty = Dec("0.00001");
  s.min_notional = Dec("5");
  return s;
}

Candle Bar(TimeMs open_time, const char* o, const char* h, const char* l, const char* c) {
  return Candle{open_time, Dec(o), Dec(h), Dec(l), Dec(c), Dec("1")};
}

OrderRequest Market(std::string id, Side side, const char* qty) {
  OrderRequest r;
  r.client_order_id = std::move(id);
  r.symbol = "BTCUSDT";
  r.side = side;
  r.type = OrderType::kMarket;
  r.quantity = Dec(qty);
  return r;
}

OrderRequest LimitSell(std::string id, const char* qty, const char* price, std::string list = "") {
  OrderRequest r;
  r.client_order_id = std::move(id);
  r.symbol = "BTCUSDT";
  r.side = Side::kSell;
  r.type = OrderType::kLimit;
  r.quantity = Dec(qty);
  r.price = Dec(price);
  r.order_list_id = std::move(list);
  return r;
}

OrderRequest StopSell(std::string id, const char* qty, const char* stop, std::string list = "") {
  OrderRequest r;
  r.client_order_id = std::move(id);
  r.symbol = "BTCUSDT";
  r.side = Side::kSell;
  r.type = OrderType::kStopLoss;
  r.quantity = Dec(qty);
  r.stop_price = Dec(stop);
  r.order_list_id = std::move(list);
  return r;
}

class SimulatedExchangeTest : public ::testing::Test {
 protected:
  explicit SimulatedExchangeTest(SimulatedExchangeOptions options = {})
      : clock_(kT0), ex_(clock_, options, {Btc()}) {}

  // A first candle gives the market its last price (close 40000).
  // Feeds the candle before kT0: flat at `close` unless a range is given.
  void Prime(const char* close = "40000", const char* low = nullptr, const char* high = nullptr) {
    ex_.OnCandle("BTCUSDT",
                 Bar(kT0 - kHourMs, close, high != nullptr ? high : close,
                     low != nullptr ? low : close, close),
                 0);
  }

  OrderAck Place(const OrderRequest& r) {
    OrderAck ack = ex_.PlaceOrder(r);
    EXPECT_FALSE(ack.unknown()) << ack.Why();
    return ack;
  }
  // The status right after the request: the order's when accepted, REJECTED otherwise.
  OrderStatus StatusOf(const OrderRequest& r) {
    const OrderAck ack = Place(r);
    return ack.accepted() ? ack.state.status : OrderStatus::kRejected;
  }
  // "-2010 Account has ..." when rejected, "" when accepted.
  std::string WhyRejected(const OrderRequest& r) { return Place(r).Why(); }

  // Every report after NEW (trades, cancels, expiries), in order.
  std::vector<ExecutionReport> Changes() {
    std::vector<ExecutionReport> out;
    for (auto& e : ex_.PollEvents()) {
      EXPECT_EQ(e.kind, ExchangeEvent::Kind::kExecution);
      if (e.report.type != ExecutionType::kNew) out.push_back(std::move(e.report));
    }
    return out;
  }
  std::vector<OrderState> Open() { return *ex_.OpenOrders("BTCUSDT"); }

  Decimal Free(const char* asset) { return *ex_.FreeBalance(asset); }
  Decimal Total(const char* asset) { return *ex_.TotalBalance(asset); }

  // The OCO pair of a 0.01 BTC position: TP 42000, stop 38000.
  OrderAck Oco(const char* list = "L1", const char* qty = "0.01", const char* tp = "42000",
               const char* stop = "38000") {
    OcoRequest r;
    r.list_client_id = list;
    r.limit_client_id = std::string(list) + "t";
    r.stop_client_id = std::string(list) + "s";
    r.symbol = "BTCUSDT";
    r.quantity = Dec(qty);
    r.limit_price = Dec(tp);
    r.stop_price = Dec(stop);
    return ex_.PlaceOco(r);
  }
  void PlaceOco(const char* list = "L1", const char* qty = "0.01", const char* tp = "42000",
                const char* stop = "38000") {
    const OrderAck ack = Oco(list, qty, tp, stop);
    ASSERT_TRUE(ack.accepted()) << ack.Why();
    ASSERT_EQ(ack.legs.size(), 2u);
    ASSERT_EQ(ack.legs[0].status, OrderStatus::kNew);
    ASSERT_EQ(ack.legs[1].status, OrderStatus::kNew);
  }

  SimulatedClock clock_;
  SimulatedExchange ex_;
};

// --- Rejections ------------------------------------------------------------------------------

TEST_F(SimulatedExchangeTest, UnknownSymbolIsRejectedWith1121) {
  Prime();
  ex_.Deposit("USDT", Dec("1000"));
  OrderRequest r = Market("a", Side::kBuy, "0.01");
  r.symbol = "ETHUSDT";
  const OrderAck ack = Place(r);
  ASSERT_TRUE(ack.rejected());
  EXPECT_EQ(ack.reject_code, -1121);
  EXPECT_EQ(ack.reject_message, "Invalid symbol.");
  auto info = ex_.GetSymbolInfo("ETHUSDT");
  ASSERT_FALSE(info.has_value());
  EXPECT_EQ(info.error().code, ErrorCode::kNotFound);
  ASSERT_TRUE(ex_.GetSymbolInfo("BTCUSDT").has_value());
  EXPECT_EQ(ex_.GetSymbolInfo("BTCUSDT")->tick_size, Dec("0.01"));
}

TEST_F(SimulatedExchangeTest, QuantityOffTheStepFailsLotSize) {
  Prime();
  ex_.Deposit("USDT", Dec("1000"));
  EXPECT_EQ(WhyRejected(Market("a", Side::kBuy, "0.000015")), "-1013 Filter failure: LOT_SIZE");
  ex_.Deposit("BTC", Dec("1"));
  EXPECT_EQ(WhyRejected(LimitSell("b", "0.000015", "42000")), "-1013 Filter failure: LOT_SIZE");
  EXPECT_EQ(WhyRejected(Market("c", Side::kBuy, "0")), "-1013 Filter failure: LOT_SIZE");
  EXPECT_EQ(Free("USDT"), Dec("1000"));
  EXPECT_EQ(Free("BTC"), Dec("1"));
}

TEST_F(SimulatedExchangeTest, PriceOffTheTickFailsPriceFilter) {
  Prime();
  ex_.Deposit("BTC", Dec("1"));
  const OrderAck limit = Place(LimitSell("a", "0.01", "42000.005"));
  ASSERT_TRUE(limit.rejected());
  EXPECT_EQ(limit.reject_code, -1013);
  EXPECT_EQ(limit.Why(), "-1013 Filter failure: PRICE_FILTER");
  EXPECT_EQ(WhyRejected(StopSell("b", "0.01", "38000.001")), "-1013 Filter failure: PRICE_FILTER");
  EXPECT_TRUE(Open().empty());
  EXPECT_EQ(Free("BTC"), Dec("1"));
}

TEST_F(SimulatedExchangeTest, BelowMinNotionalFailsNotional) {
  Prime();
  ex_.Deposit("USDT", Dec("1000"));
  // 0.0001 * 40000 = 4 < 5.
  EXPECT_EQ(WhyRejected(Market("a", Side::kBuy, "0.0001")), "-1013 Filter failure: NOTIONAL");
  EXPECT_EQ(StatusOf(Market("b", Side::kBuy, "0.00013")), OrderStatus::kFilled);  // 5.2
  ex_.Deposit("BTC", Dec("1"));
  // 0.0001 * 50000 = 5: exactly the minimum passes.
  EXPECT_EQ(StatusOf(LimitSell("t", "0.0001", "50000")), OrderStatus::kNew);
  EXPECT_EQ(WhyRejected(StopSell("c", "0.0001", "38000")), "-1013 Filter failure: NOTIONAL");
}

TEST_F(SimulatedExchangeTest, MoreThanTheBalanceIsRejectedAndChangesNothing) {
  Prime();
  ex_.Deposit("USDT", Dec("1000"));
  const OrderAck buy = Place(Market("a", Side::kBuy, "0.1"));  // 4000 USDT
  ASSERT_TRUE(buy.rejected());
  EXPECT_EQ(buy.reject_code, -2010);
  EXPECT_EQ(buy.reject_message, "Account has insufficient balance for requested action.");
  // 1000 buys 0.025 BTC but not the fee on top.
  EXPECT_EQ(WhyRejected(Market("b", Side::kBuy, "0.025")).rfind("-2010", 0), 0u);
  EXPECT_EQ(WhyRejected(Market("c", Side::kSell, "0.01")).rfind("-2010", 0), 0u);
  EXPECT_EQ(WhyRejected(LimitSell("d", "0.01", "42000")).rfind("-2010", 0), 0u);
  EXPECT_EQ(Free("USDT"), Dec("1000"));
  EXPECT_EQ(Total("USDT"), Dec("1000"));
  EXPECT_EQ(Total("BTC"), Decimal::Zero());
  EXPECT_TRUE(Changes().empty());
  EXPECT_TRUE(Open().empty());
}

TEST_F(SimulatedExchangeTest, DuplicateClientIdIsRejected) {
  Prime();
  ex_.Deposit("USDT", Dec("1000"));
  ex_.Deposit("BTC", Dec("1"));
  ASSERT_EQ(StatusOf(Market("a", Side::kBuy, "0.001")), OrderStatus::kFilled);
  const OrderAck again = Place(Market("a", Side::kBuy, "0.001"));
  ASSERT_TRUE(again.rejected());
  EXPECT_EQ(again.Why(), "-2010 Duplicate order sent.");
  ASSERT_EQ(StatusOf(LimitSell("t", "0.01", "42000")), OrderStatus::kNew);
  EXPECT_EQ(WhyRejected(LimitSell("t", "0.01", "43000")), "-2010 Duplicate order sent.");
  EXPECT_EQ(WhyRejected(StopSell("a", "0.01", "38000")), "-2010 Duplicate order sent.");
  EXPECT_EQ(Open().size(), 1u);
  // A rejected id was never used: it may be sent again.
  ASSERT_EQ(StatusOf(Market("n", Side::kBuy, "0.0001")), OrderStatus::kRejected);
  EXPECT_EQ(StatusOf(Market("n", Side::kBuy, "0.001")), OrderStatus::kFilled);
}

TEST_F(SimulatedExchangeTest, MarketOrderBeforeAnyPriceIsRejected) {
  ex_.Deposit("USDT", Dec("1000"));
  EXPECT_EQ(StatusOf(Market("a", Side::kBuy, "0.01")), OrderStatus::kRejected);
  EXPECT_EQ(ex_.LastPrice("BTCUSDT"), Decimal::Zero());
}

TEST_F(SimulatedExchangeTest, CancelOfAnUnknownIdIsRejectedWith2011) {
  Prime();
  const OrderAck s = ex_.CancelOrder("BTCUSDT", "nope");
  ASSERT_TRUE(s.rejected());
  EXPECT_EQ(s.reject_code, -2011);
  EXPECT_EQ(s.Why(), "-2011 Unknown order sent.");
  // A filled order is no longer open either.
  ex_.Deposit("USDT", Dec("1000"));
  ASSERT_EQ(StatusOf(Market("m", Side::kBuy, "0.001")), OrderStatus::kFilled);
  EXPECT_EQ(ex_.CancelOrder("BTCUSDT", "m").Why(), "-2011 Unknown order sent.");
}

// --- Market fills and fees -------------------------------------------------------------------

class SlippageExchangeTest : public SimulatedExchangeTest {
 protected:
  static SimulatedExchangeOptions Options() {
    SimulatedExchangeOptions o;
    o.slippage_rate = Dec("0.0005");
    return o;
  }
  SlippageExchangeTest() : SimulatedExchangeTest(Options()) {}
};

TEST_F(SlippageExchangeTest, MarketBuyFillsAtLastCloseUpPlusSlippageRoundedToTick) {
  Prime("40000.01", "39900", "40100");
  ex_.Deposit("USDT", Dec("1000"));
  clock_.AdvanceTo(kT0 + 5);
  const OrderAck ack = Place(Market("a", Side::kBuy, "0.01"));
  ASSERT_TRUE(ack.accepted());
  const OrderState& s = ack.state;
  ASSERT_EQ(s.status, OrderStatus::kFilled);
  EXPECT_EQ(s.executed_quantity, Dec("0.01"));
  // 40000.01 * 1.0005 = 40020.010005 -> up to the tick: 40020.02.
  EXPECT_EQ(s.cumulative_quote, Dec("400.2002"));
  auto events = Changes();
  ASSERT_EQ(events.size(), 1u);
  const ExecutionReport& r = events[0];
  const Fill f = r.AsFill();
  EXPECT_EQ(r.type, ExecutionType::kTrade);
  EXPECT_EQ(r.status, OrderStatus::kFilled);
  EXPECT_EQ(r.cumulative_quantity, Dec("0.01"));
  EXPECT_EQ(r.cumulative_quote, Dec("400.2002"));
  EXPECT_EQ(r.candle_index, -1);
  EXPECT_EQ(f.client_order_id, "a");
  EXPECT_EQ(f.price, Dec("40020.02"));
  EXPECT_EQ(f.quantity, Dec("0.01"));
  EXPECT_EQ(f.commission, Dec("0.4002002"));  // 0.1% of 400.2002
  EXPECT_EQ(f.commission_asset, "USDT");
  EXPECT_EQ(f.time, kT0 + 5);
  EXPECT_EQ(Free("USDT"), Dec("1000") - Dec("400.2002") - Dec("0.4002002"));
  EXPECT_EQ(Free("BTC"), Dec("0.01"));
}

TEST_F(SlippageExchangeTest, MarketSellFillsBelowLastCloseRoundedDownToTick) {
  Prime("40000.01", "39900", "40100");
  ex_.Deposit("BTC", Dec("0.01"));
  ASSERT_EQ(StatusOf(Market("a", Side::kSell, "0.01")), OrderStatus::kFilled);
  auto events = Changes();
  ASSERT_EQ(events.size(), 1u);
  // 40000.01 * 0.9995 = 39980.009995 -> down to the tick: 39980.00.
  EXPECT_EQ(events[0].last_price, Dec("39980"));
  EXPECT_EQ(events[0].commission, Dec("0.3998"));
  EXPECT_EQ(Free("USDT"), Dec("399.8") - Dec("0.3998"));
  EXPECT_EQ(Total("BTC"), Decimal::Zero());
}

TEST_F(SimulatedExchangeTest, MarketBuyWithoutSlippageFillsAtLastCloseWithQuoteFee) {
  Prime("40000");
  ex_.Deposit("USDT", Dec("1000"));
  ASSERT_EQ(StatusOf(Market("a", Side::kBuy, "0.01")), OrderStatus::kFilled);
  auto events = Changes();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].last_price, Dec("40000"));
  EXPECT_EQ(events[0].commission, Dec("0.4"));
  EXPECT_EQ(Free("USDT"), Dec("599.6"));
  EXPECT_EQ(Free("BTC"), Dec("0.01"));
}

class BaseFeeExchangeTest : public SimulatedExchangeTest {
 protected:
  static SimulatedExchangeOptions Options() {
    SimulatedExchangeOptions o;
    o.buy_fee_asset = FeeAsset::kBase;
    return o;
  }
  BaseFeeExchangeTest() : SimulatedExchangeTest(Options()) {}
};

TEST_F(BaseFeeExchangeTest, BuyFeeInBaseCreditsQuantityMinusFee) {
  Prime("40000");
  ex_.Deposit("USDT", Dec("400"));  // exactly the notional: no quote fee is due
  ASSERT_EQ(StatusOf(Market("a", Side::kBuy, "0.01")), OrderStatus::kFilled);
  auto events = Changes();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].commission, Dec("0.00001"));
  EXPECT_EQ(events[0].commission_asset, "BTC");
  EXPECT_EQ(Free("BTC"), Dec("0.00999"));
  EXPECT_EQ(Free("USDT"), Decimal::Zero());
  // Sells still pay in quote.
  ASSERT_EQ(StatusOf(Market("b", Side::kSell, "0.00999")), OrderStatus::kFilled);
  events = Changes();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].commission_asset, "USDT");
  EXPECT_EQ(events[0].commission, Dec("0.3996"));
  EXPECT_EQ(Free("USDT"), Dec("399.6") - Dec("0.3996"));
  EXPECT_EQ(Total("BTC"), Decimal::Zero());
}

TEST_F(SimulatedExchangeTest, PollEventsDrains) {
  Prime();
  ex_.Deposit("USDT", Dec("1000"));
  ASSERT_EQ(StatusOf(Market("a", Side::kBuy, "0.001")), OrderStatus::kFilled);
  ASSERT_EQ(StatusOf(Market("b", Side::kBuy, "0.002")), OrderStatus::kFilled);
  auto first = Changes();
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0].client_order_id, "a");
  EXPECT_EQ(first[1].client_order_id, "b");
  EXPECT_NE(first[0].trade_id, first[1].trade_id);
  EXPECT_TRUE(Changes().empty());
}

// --- Resting orders and OCO pairs --------------------------------------------------------------

TEST_F(SimulatedExchangeTest, OcoPairLocksTheBaseOnce) {
  Prime();
  ex_.Deposit("BTC", Dec("0.01"));
  PlaceOco();
  const auto open = Open();
  ASSERT_EQ(open.size(), 2u);
  EXPECT_EQ(open[0].request.type, OrderType::kLimit);
  EXPECT_EQ(open[1].request.type, OrderType::kStopLoss);
  EXPECT_EQ(open[0].request.order_list_id, open[1].request.order_list_id);
  EXPECT_EQ(Free("BTC"), Decimal::Zero());
  EXPECT_EQ(Total("BTC"), Dec("0.01"));
  // Nothing is left to sell outside the pair.
  EXPECT_EQ(WhyRejected(Market("m", Side::kSell, "0.001")).rfind("-2010", 0), 0u);
  // A list is one request: a single order cannot join one.
  ex_.Deposit("BTC", Dec("0.02"));
  EXPECT_EQ(Place(StopSell("x", "0.02", "38000", "L1")).reject_code, -1106);
  EXPECT_EQ(Free("BTC"), Dec("0.02"));
}

TEST_F(SimulatedExchangeTest, TakeProfitFillCancelsTheStopAndReleasesTheLock) {
  Prime();
  ex_.Deposit("BTC", Dec("0.01"));
  PlaceOco();
  ex_.OnCandle("BTCUSDT", Bar(kT0, "40000", "42500", "39000", "42100"), 7);
  auto events = Changes();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].type, ExecutionType::kTrade);
  EXPECT_EQ(events[0].client_order_id, "L1t");
  EXPECT_EQ(events[0].last_price, Dec("42000"));
  EXPECT_EQ(events[0].last_quantity, Dec("0.01"));
  EXPECT_EQ(events[0].commission, Dec("0.42"));
  EXPECT_EQ(events[0].candle_open_time, kT0);
  EXPECT_EQ(events[0].candle_index, 7);
  EXPECT_EQ(events[0].time, kT0 + kHourMs);
  EXPECT_EQ(events[1].type, ExecutionType::kCanceled);
  EXPECT_EQ(events[1].client_order_id, "L1s");
  EXPECT_TRUE(Open().empty());
  EXPECT_EQ(Free("BTC"), Decimal::Zero());
  EXPECT_EQ(Total("BTC"), Decimal::Zero());
  EXPECT_EQ(Free("USDT"), Dec("419.58"));
  EXPECT_EQ(ex_.LastPrice("BTCUSDT"), Dec("42100"));
}

TEST_F(SimulatedExchangeTest, StopFillCancelsTheTakeProfitAndReleasesTheLockOnce) {
  Prime();
  ex_.Deposit("BTC", Dec("0.03"));
  PlaceOco();  // locks 0.01 of 0.03
  ASSERT_EQ(Free("BTC"), Dec("0.02"));
  ex_.OnCandle("BTCUSDT", Bar(kT0, "39000", "39500", "37000", "37500"), 1);
  auto events = Changes();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].client_order_id, "L1s");
  EXPECT_EQ(events[0].last_price, Dec("38000"));
  EXPECT_EQ(events[1].type, ExecutionType::kCanceled);
  EXPECT_EQ(events[1].client_order_id, "L1t");
  EXPECT_TRUE(Open().empty());
  // The 0.01 sold came out of the lock; the other 0.02 stay free and nothing is locked.
  EXPECT_EQ(Free("BTC"), Dec("0.02"));
  EXPECT_EQ(Total("BTC"), Dec("0.02"));
  EXPECT_EQ(WhyRejected(Market("m", Side::kSell, "0.02001")).rfind("-2010", 0), 0u);
  EXPECT_EQ(StatusOf(Market("n", Side::kSell, "0.02")), OrderStatus::kFilled);
  EXPECT_EQ(Total("BTC"), Decimal::Zero());
}

TEST_F(SimulatedExchangeTest, CancellingOneLegCancelsTheListAndReleasesTheLock) {
  Prime();
  ex_.Deposit("BTC", Dec("0.01"));
  PlaceOco();
  const OrderAck ack = ex_.CancelOrder("BTCUSDT", "L1t");
  ASSERT_TRUE(ack.accepted());
  const OrderState* s = &ack.state;
  EXPECT_EQ(s->status, OrderStatus::kCanceled);
  EXPECT_EQ(s->request.client_order_id, "L1t");
  ASSERT_EQ(ack.legs.size(), 2u);
  EXPECT_EQ(ack.legs[1].request.client_order_id, "L1s");
  EXPECT_EQ(ack.legs[1].status, OrderStatus::kCanceled);
  // Both legs report CANCELED, the named one first.
  auto events = Changes();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].type, ExecutionType::kCanceled);
  EXPECT_EQ(events[0].client_order_id, "L1t");
  EXPECT_EQ(events[0].list_client_id, "L1");
  EXPECT_EQ(events[1].type, ExecutionType::kCanceled);
  EXPECT_EQ(events[1].client_order_id, "L1s");
  EXPECT_EQ(events[1].status, OrderStatus::kCanceled);
  EXPECT_TRUE(Open().empty());
  EXPECT_EQ(Free("BTC"), Dec("0.01"));
  EXPECT_EQ(Total("BTC"), Dec("0.01"));
}

TEST_F(SimulatedExchangeTest, CandleTouchingStopAndTakeProfitFillsTheStop) {
  Prime();
  ex_.Deposit("BTC", Dec("0.01"));
  PlaceOco();
  ex_.OnCandle("BTCUSDT", Bar(kT0, "40000", "42500", "37500", "40000"), 1);
  auto events = Changes();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].type, ExecutionType::kTrade);
  EXPECT_EQ(events[0].client_order_id, "L1s");
  EXPECT_EQ(events[0].last_price, Dec("38000"));
  EXPECT_EQ(events[1].type, ExecutionType::kCanceled);
  EXPECT_EQ(events[1].client_order_id, "L1t");
}

// 60 one-minute candles of the hour at kT0: the price climbs through 42000 at minute `up` and
// falls through 38000 at minute `down`.
std::vector<Candle> Minutes(int up, int down) {
  std::vector<Candle> m;
  for (int i = 0; i < 60; ++i) {
    const TimeMs t = kT0 + i * kMinuteMs;
    if (i == up) {
      m.push_back(Bar(t, "41000", "42200", "40900", "41800"));
    } else if (i == down) {
      m.push_back(Bar(t, "39000", "39100", "37500", "37600"));
    } else {
      m.push_back(Bar(t, "40000", "40100", "39900", "40000"));
    }
  }
  return m;
}

TEST_F(SimulatedExchangeTest, MinuteCandlesDecideWhichLegFilledFirst) {
  Prime();
  ex_.Deposit("BTC", Dec("0.01"));
  PlaceOco();
  const auto minutes = Minutes(/*up=*/10, /*down=*/40);
  ex_.OnCandle("BTCUSDT", Bar(kT0, "40000", "42200", "37500", "40000"), 3, minutes);
  auto events = Changes();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].client_order_id, "L1t");
  EXPECT_EQ(events[0].last_price, Dec("42000"));
  EXPECT_EQ(events[0].time, kT0 + 11 * kMinuteMs);  // the close of minute 10
  EXPECT_EQ(events[0].candle_open_time, kT0);       // attributed to the hour
  EXPECT_EQ(events[0].candle_index, 3);
  EXPECT_EQ(events[1].client_order_id, "L1s");
  EXPECT_EQ(events[1].type, ExecutionType::kCanceled);
  EXPECT_EQ(Free("USDT"), Dec("419.58"));
}

TEST_F(SimulatedExchangeTest, MinuteCandlesWithTheStopFirstFillTheStop) {
  Prime();
  ex_.Deposit("BTC", Dec("0.01"));
  PlaceOco();
  const auto minutes = Minutes(/*up=*/50, /*down=*/20);
  ex_.OnCandle("BTCUSDT", Bar(kT0, "40000", "42200", "37500", "40000"), 3, minutes);
  auto events = Changes();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].client_order_id, "L1s");
  EXPECT_EQ(events[0].time, kT0 + 21 * kMinuteMs);
  EXPECT_EQ(events[1].client_order_id, "L1t");
  EXPECT_EQ(events[1].type, ExecutionType::kCanceled);
}

TEST_F(SimulatedExchangeTest, StopFillsWhenTheLowEqualsTheStop) {
  Prime();
  ex_.Deposit("BTC", Dec("0.01"));
  ASSERT_EQ(StatusOf(StopSell("s", "0.01", "38000")), OrderStatus::kNew);
  ex_.OnCandle("BTCUSDT", Bar(kT0, "40000", "40500", "38000.01", "39000"), 1);
  EXPECT_TRUE(Changes().empty());
  ex_.OnCandle("BTCUSDT", Bar(kT0 + kHourMs, "39000", "39500", "38000", "39000"), 2);
  auto events = Changes();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].last_price, Dec("38000"));
  EXPECT_EQ(events[0].candle_index, 2);
}

class TouchFillExchangeTest : public SimulatedExchangeTest {
 protected:
  static SimulatedExchangeOptions Options() {
    SimulatedExchangeOptions o;
    o.take_profit_fill = TakeProfitFillRule::kTouch;
    return o;
  }
  TouchFillExchangeTest() : SimulatedExchangeTest(Options()) {}
};

TEST_F(SimulatedExchangeTest, TakeProfitNeedsTheHighToTradeThroughThePriceByDefault) {
  Prime();
  ex_.Deposit("BTC", Dec("0.01"));
  ASSERT_EQ(StatusOf(LimitSell("t", "0.01", "42000")), OrderStatus::kNew);
  ex_.OnCandle("BTCUSDT", Bar(kT0, "41000", "42000", "40000", "41000"), 1);
  EXPECT_TRUE(Changes().empty()) << "a touch is not enough";
  ex_.OnCandle("BTCUSDT", Bar(kT0 + kHourMs, "41000", "42000.01", "40000", "41000"), 2);
  auto events = Changes();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].last_price, Dec("42000"));
  EXPECT_EQ(events[0].candle_index, 2);
}

TEST_F(TouchFillExchangeTest, TakeProfitFillsWhenTheHighEqualsThePrice) {
  Prime();
  ex_.Deposit("BTC", Dec("0.01"));
  ASSERT_EQ(StatusOf(LimitSell("t", "0.01", "42000")), OrderStatus::kNew);
  ex_.OnCandle("BTCUSDT", Bar(kT0, "40000", "41999.99", "39000", "41000"), 1);
  EXPECT_TRUE(Changes().empty());
  ex_.OnCandle("BTCUSDT", Bar(kT0 + kHourMs, "41000", "42000", "40000", "41000"), 2);
  auto events = Changes();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].last_price, Dec("42000"));
}

TEST_F(SimulatedExchangeTest, GapOpenFillsTheStopAtTheOpen) {
  Prime();
  ex_.Deposit("BTC", Dec("0.01"));
  PlaceOco();
  ex_.OnCandle("BTCUSDT", Bar(kT0, "37000", "37500", "36000", "37200"), 1);
  auto events = Changes();
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events[0].client_order_id, "L1s");
  EXPECT_EQ(events[0].last_price, Dec("37000"));
  EXPECT_EQ(Free("USDT"), Dec("370") - Dec("0.37"));
}

TEST_F(SimulatedExchangeTest, GapOpenFillsATakeProfitAtTheHigherOpen) {
  Prime();
  ex_.Deposit("BTC", Dec("0.01"));
  PlaceOco();
  ex_.OnCandle("BTCUSDT", Bar(kT0, "43000", "43500", "42900", "43200"), 1);
  auto events = Changes();
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events[0].client_order_id, "L1t");
  EXPECT_EQ(events[0].last_price, Dec("43000"));
}

class LevelFillExchangeTest : public SimulatedExchangeTest {
 protected:
  static SimulatedExchangeOptions Options() {
    SimulatedExchangeOptions o;
    o.gap_fill = GapFill::kLevel;
    return o;
  }
  LevelFillExchangeTest() : SimulatedExchangeTest(Options()) {}
};

TEST_F(LevelFillExchangeTest, GapLevelFillsExactlyAtTheStopEvenBelowTheOpen) {
  Prime();
  ex_.Deposit("BTC", Dec("0.01"));
  PlaceOco();
  ex_.OnCandle("BTCUSDT", Bar(kT0, "37000", "37500", "36000", "37200"), 1);
  auto events = Changes();
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events[0].client_order_id, "L1s");
  EXPECT_EQ(events[0].last_price, Dec("38000"));
  EXPECT_EQ(Free("USDT"), Dec("380") - Dec("0.38"));
}

TEST_F(LevelFillExchangeTest, GapLevelFillsExactlyAtTheTakeProfitAboveTheOpen) {
  Prime();
  ex_.Deposit("BTC", Dec("0.01"));
  PlaceOco();
  ex_.OnCandle("BTCUSDT", Bar(kT0, "43000", "43500", "42900", "43200"), 1);
  auto events = Changes();
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events[0].client_order_id, "L1t");
  EXPECT_EQ(events[0].last_price, Dec("42000"));
}

TEST_F(SimulatedExchangeTest, SeveralTakeProfitsInOneCandleFillInAscendingPriceOrder) {
  Prime();
  ex_.Deposit("BTC", Dec("0.03"));
  // Placed highest first, so placement order differs from price order.
  PlaceOco("L3", "0.01", "43000");
  PlaceOco("L1", "0.01", "41000");
  PlaceOco("L2", "0.01", "42000");
  ASSERT_EQ(Open().size(), 6u);
  ex_.OnCandle("BTCUSDT", Bar(kT0, "40000", "43500", "39500", "43100"), 1);
  std::vector<std::string> fills;
  std::vector<Decimal> prices;
  int cancels = 0;
  for (const auto& e : Changes()) {
    if (e.type == ExecutionType::kTrade) {
      fills.push_back(e.client_order_id);
      prices.push_back(e.last_price);
    } else {
      ++cancels;
    }
  }
  EXPECT_EQ(fills, (std::vector<std::string>{"L1t", "L2t", "L3t"}));
  EXPECT_EQ(prices, (std::vector<Decimal>{Dec("41000"), Dec("42000"), Dec("43000")}));
  EXPECT_EQ(cancels, 3);
  EXPECT_TRUE(Open().empty());
  EXPECT_EQ(Total("BTC"), Decimal::Zero());
  EXPECT_EQ(Free("USDT"), Dec("1260") - Dec("1.26"));
}

TEST_F(SimulatedExchangeTest, OneStopCandleFillsEveryStopAndNoBalanceGoesNegative) {
  Prime();
  ex_.Deposit("BTC", Dec("0.03"));
  PlaceOco("L1", "0.01", "41000");
  PlaceOco("L2", "0.01", "42000");
  PlaceOco("L3", "0.01", "43000");
  ex_.OnCandle("BTCUSDT", Bar(kT0, "40000", "43500", "37000", "38500"), 1);
  int stop_fills = 0;
  for (const auto& e : Changes()) {
    if (e.type != ExecutionType::kTrade) continue;
    EXPECT_EQ(e.client_order_id.back(), 's') << e.client_order_id;
    ++stop_fills;
  }
  EXPECT_EQ(stop_fills, 3);
  for (const char* asset : {"BTC", "USDT"}) {
    EXPECT_FALSE(Free(asset).IsNegative()) << asset;
    EXPECT_EQ(Free(asset), Total(asset)) << asset << ": nothing may stay locked";
  }
  EXPECT_EQ(Total("BTC"), Decimal::Zero());
  EXPECT_EQ(Total("USDT"), Dec("1140") - Dec("1.14"));
}

TEST_F(SimulatedExchangeTest, LimitBuyLocksQuoteWithFeeAndFillsBelow) {
  Prime();
  ex_.Deposit("USDT", Dec("400.4"));
  OrderRequest buy;
  buy.client_order_id = "b";
  buy.symbol = "BTCUSDT";
  buy.side = Side::kBuy;
  buy.type = OrderType::kLimit;
  buy.quantity = Dec("0.01");
  buy.price = Dec("40000");
  ASSERT_EQ(StatusOf(buy), OrderStatus::kNew);
  EXPECT_EQ(Free("USDT"), Decimal::Zero());
  EXPECT_EQ(Total("USDT"), Dec("400.4"));
  ex_.OnCandle("BTCUSDT", Bar(kT0, "40500", "40600", "39900", "40100"), 1);
  auto events = Changes();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].last_price, Dec("40000"));
  EXPECT_EQ(Free("USDT"), Decimal::Zero());
  EXPECT_EQ(Total("USDT"), Decimal::Zero());
  EXPECT_EQ(Free("BTC"), Dec("0.01"));
}

TEST_F(SimulatedExchangeTest, CandlesOfUnknownSymbolsAreIgnored) {
  Prime();
  ex_.OnCandle("ETHUSDT", Bar(kT0, "3000", "3000", "3000", "3000"), 0);
  EXPECT_EQ(ex_.LastPrice("ETHUSDT"), Decimal::Zero());
  EXPECT_EQ(ex_.LastPrice("BTCUSDT"), Dec("40000"));
  EXPECT_TRUE(ex_.OpenOrders("ETHUSDT")->empty());
}

TEST(SimulatedExchangeOptionsTest, FromSettingsConvertsPercentages) {
  ExchangeSettings s;
  s.fee_percent = Dec("0.075");
  s.slippage_percent = Dec("0.05");
  s.entry_fee_asset = FeeAsset::kBase;
  s.gap_fill = GapFill::kLevel;
  s.apply_symbol_filters = false;
  s.take_profit_fill = TakeProfitFillRule::kTouch;
  s.volume_participation_percent = Dec("12.5");
  s.reject_immediate_trigger = false;
  s.entry_latency_seconds = 7;
  const SimulatedExchangeOptions o = SimulatedExchangeOptionsFrom(s);
  EXPECT_EQ(o.fee_rate, Dec("0.00075"));
  EXPECT_EQ(o.slippage_rate, Dec("0.0005"));
  EXPECT_EQ(o.buy_fee_asset, FeeAsset::kBase);
  EXPECT_EQ(o.gap_fill, GapFill::kLevel);
  EXPECT_FALSE(o.apply_filters);
  EXPECT_EQ(o.take_profit_fill, TakeProfitFillRule::kTouch);
  EXPECT_EQ(o.volume_participation, Dec("0.125"));
  EXPECT_FALSE(o.reject_immediate_trigger);
  EXPECT_EQ(o.entry_latency_ms, 7000);
  EXPECT_FALSE(o.fees_in_bnb);  // BNB fees are a simulator option only (no BNB in a run yet)
}

}  // namespace
}  // namespace osprey
