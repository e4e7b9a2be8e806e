#include "trading/order_manager.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "core/logger.hpp"
#include "exchange/simulated_exchange.hpp"
#include "trading/memory_trade_store.hpp"

namespace osprey {

inline void PrintTo(const Decimal& d, std::ostream* os) { *os << d.ToString(); }
inline void PrintTo(PositionState s, std::ostream* os) { *os << PositionStateName(s); }
inline void PrintTo(ExitReason r, std::ostream* os) { *os << ExitReasonName(r); }

namespace {

constexpr TimeMs kT0 = 1'709'164'800'000;  // 2024-02-29T00:00:00Z: close of the signal candle
const Decimal kFee = Dec("0.001");

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

// Quote received for a sell fill: notional minus the 0.1% fee (rounded up, as charged).
Decimal NetProceeds(Decimal price, Decimal qty) {
  const Decimal notional = Decimal::Mul(price, qty);
  return notional - Decimal::Mul(notional, kFee, Rounding::kUp);
}

// Forwards to a SimulatedExchange; records each request together with how many journal events
// and order rows the store held when it arrived, and can refuse protective OCO pairs like an
// exchange would.
class SpyExchange final : public Exchange {
 public:
  struct Placed {
    OrderRequest request;  // for an OCO: the STOP_LOSS leg, with order_list_id set
    std::size_t journal_events;
    std::size_t journal_orders;
  };

  SpyExchange(SimulatedExchange& inner, const MemoryTradeStore& store)
      : inner_(inner), store_(store) {}

  Result<SymbolInfo> GetSymbolInfo(std::string_view symbol) override {
    return inner_.GetSymbolInfo(symbol);
  }
  OrderAck PlaceOrder(const OrderRequest& request) override {
    placed.push_back({request, store_.events().size(), store_.orders().size()});
    return inner_.PlaceOrder(request);
  }
  OrderAck PlaceOco(const OcoRequest& request) override {
    OrderRequest stop;
    stop.client_order_id = request.stop_client_id;
    stop.symbol = request.symbol;
    stop.side = Side::kSell;
    stop.type = OrderType::kStopLoss;
    stop.quantity = request.quantity;
    stop.stop_price = request.stop_price;
    stop.order_list_id = request.list_client_id;
    placed.push_back({stop, store_.events().size(), store_.orders().size()});
    ocos.push_back(request);
    if (reject_stop_loss) {
      OrderAck ack;
      ack.outcome = AckOutcome::kRejected;
      ack.reject_code = -2010;
      ack.reject_message = "Order would trigger immediately.";
      return ack;
    }
    return inner_.PlaceOco(request);
  }
  OrderAck CancelOrder(std::string_view symbol, std::string_view id) override {
    return inner_.CancelOrder(symbol, id);
  }
  Result<OrderState> QueryOrder(std::string_view symbol, std::string_view id) override {
    return inner_.QueryOrder(symbol, id);
  }
  Result<std::vector<OrderState>> OpenOrders(std::string_view symbol) override {
    return inner_.OpenOrders(symbol);
  }
  Result<AccountSnapshot> Account() override { return inner_.Account(); }
  Result<Decimal> FreeBalance(std::string_view asset) override { return inner_.FreeBalance(asset); }
  Result<Decimal> TotalBalance(std::string_view asset) override {
    return inner_.TotalBalance(asset);
  }
  std::vector<ExchangeEvent> PollEvents() override { return inner_.PollEvents(); }

  std::vector<Placed> placed;
  std::vector<OcoRequest> ocos;
  bool reject_stop_loss = false;

 private:
  SimulatedExchange& inner_;
  const MemoryTradeStore& store_;
};

class RecordingLogger final : public Logger {
 public:
  void Log(LogLevel level, std::string_view message) override {
    lines.emplace_back(level, std::string(message));
  }
  bool Enabled(LogLevel) const override { return true; }
  std::vector<std::pair<LogLevel, std::string>> lines;
};

class OrderManagerTest : public ::testing::Test {
 protected:
  explicit OrderManagerTest(SimulatedExchangeOptions options = {})
      : clock_(kT0),
        exchange_(clock_, options, {Btc()}),
        spy_(exchange_, store_),
        om_(spy_, store_, logger_, clock_, ExitSettings{}, /*apply_filters=*/true) {
    exchange_.Deposit("USDT", Dec("10000"));
    om_.SetOnTradeClosed([this](const TradeRecord& r) { closed_.push_back(r); });
  }

  // The signal candle [kT0 - 1h, kT0) sets the market price the entry fills at.
  void Prime(const char* close) {
    exchange_.OnCandle("BTCUSDT", Bar(kT0 - kHourMs, close, close, close, close), 99);
  }

  std::string Open(const char* qty) {
    EntryPlan plan;
    plan.symbol = "BTCUSDT";
    plan.quantity = Dec(qty);
    plan.signal_candle_open_time = kT0 - kHourMs;
    plan.signal_index = 99;
    auto id = om_.OpenPosition(plan);
    EXPECT_TRUE(id.has_value()) << id.error().ToString();
    return id.value_or("");
  }

  // One closed hourly candle, as the engine drives it.
  void Feed(const Candle& c, std::int64_t index) {
    clock_.AdvanceTo(c.open_time + kHourMs);
    exchange_.OnCandle("BTCUSDT", c, index);
    om_.ProcessEvents();
    om_.OnCandleClosed("BTCUSDT", c);
  }

  const Position& Pos(const std::string& id) { return om_.active().at(id); }

  std::vector<OrderState> OpenNow() {
    auto open = exchange_.OpenOrders("BTCUSDT");
    EXPECT_TRUE(open.has_value());
    return open.value_or(std::vector<OrderState>{});
  }

  std::vector<std::string> EventNames() const {
    std::vector<std::string> out;
    for (const auto& e : store_.events()) out.push_back(e.event);
    return out;
  }

  int CountEvents(const std::string& name) const {
    return static_cast<int>(std::count_if(store_.events().begin(), store_.events().end(),
                                          [&](const PositionEvent& e) { return e.event == name; }));
  }

  Decimal Free(const char* asset) { return *exchange_.FreeBalance(asset); }
  Decimal Total(const char* asset) { return *exchange_.TotalBalance(asset); }

  SimulatedClock clock_;
  SimulatedExchange exchange_;
  MemoryTradeStore store_;
  NullLogger logger_;
  SpyExchange spy_;
  OrderManager om_;
  std::vector<TradeRecord> closed_;
};

// --- Entry -------------------------------------------------------------------------------------

TEST_F(OrderManagerTest, OpenPositionJournalsEntrySubmittedBeforeSendingTheOrder) {
  Prime("40000.01");
  const std::string id = Open("0.03");
  EXPECT_EQ(id, "BTCUSDT-" + std::to_string(kT0 / 1000));
  ASSERT_EQ(spy_.placed.size(), 1u);
  const auto& entry = spy_.placed[0];
  EXPECT_EQ(entry.request.type, OrderType::kMarket);
  EXPECT_EQ(entry.request.side, Side::kBuy);
  EXPECT_EQ(entry.request.quantity, Dec("0.03"));
  // The journal already held the PENDING event when the exchange saw the order.
  EXPECT_EQ(entry.journal_events, 1u);
  ASSERT_EQ(store_.events().size(), 1u);
  const PositionEvent& e = store_.events()[0];
  EXPECT_EQ(e.event, "ENTRY_SUBMITTED");
  EXPECT_EQ(e.from_state, "NOT_OWNED");
  EXPECT_EQ(e.to_state, "PENDING");
  EXPECT_EQ(e.trade_id, id);
  EXPECT_NE(e.detail.find(entry.request.client_order_id), std::string::npos) << e.detail;
  // Not OPEN until the fill event is processed.
  EXPECT_EQ(Pos(id).state, PositionState::kPending);
  EXPECT_EQ(om_.ActiveCount(), 1);
  EXPECT_TRUE(om_.Holds("BTCUSDT"));
  EXPECT_FALSE(om_.Holds("ETHUSDT"));
}

TEST_F(OrderManagerTest, EntryFillOpensWithStopAndTakeProfitsRoundedUpAndThreeOcoPairs) {
  Prime("40000.01");
  const std::string id = Open("0.03");
  om_.ProcessEvents();
  const Position& p = Pos(id);
  EXPECT_EQ(p.state, PositionState::kOpen);
  EXPECT_EQ(p.record.entry_price, Dec("40000.01"));
  EXPECT_EQ(p.record.entry_time, kT0);
  EXPECT_EQ(p.record.quantity, Dec("0.03"));
  EXPECT_EQ(p.record.entry_fee, Dec("1.2000003"));
  // 40000.01 * 0.97 = 38800.0097 -> up to the tick.
  const Decimal tick = Dec("0.01");
  const Decimal stop =
      Decimal::Mul(Dec("40000.01"), Dec("0.97"), Rounding::kUp).RoundToStep(tick, Rounding::kUp);
  EXPECT_EQ(stop, Dec("38800.01"));
  EXPECT_EQ(p.stop, stop);
  EXPECT_EQ(p.record.stop_loss, stop);
  ASSERT_EQ(p.record.take_profits.size(), 3u);
  const std::vector<Decimal> tps = {Dec("41200.02"), Dec("42000.02"), Dec("43200.02")};
  for (std::size_t k = 0; k < 3; ++k) {
    EXPECT_EQ(p.record.take_profits[k].price, tps[k]) << k;  // 41200.0103 etc., rounded up
  }
  EXPECT_EQ(store_.events().back().event, "ENTRY_FILLED");
  EXPECT_EQ(store_.events().back().from_state, "PENDING");
  EXPECT_EQ(store_.events().back().to_state, "OPEN");

  const auto open = OpenNow();
  ASSERT_EQ(open.size(), 6u);
  const std::vector<Decimal> qty = {Dec("0.0099"), Dec("0.0099"), Dec("0.0102")};
  for (std::size_t k = 0; k < 3; ++k) {
    const OrderState& tp = open[2 * k];
    const OrderState& sl = open[2 * k + 1];
    EXPECT_EQ(tp.request.type, OrderType::kLimit);
    EXPECT_EQ(tp.request.side, Side::kSell);
    EXPECT_EQ(tp.request.price, tps[k]);
    EXPECT_EQ(tp.request.quantity, qty[k]);
    EXPECT_EQ(sl.request.type, OrderType::kStopLoss);
    EXPECT_EQ(sl.request.stop_price, stop);
    EXPECT_EQ(sl.request.quantity, qty[k]);
    EXPECT_FALSE(tp.request.order_list_id.empty());
    EXPECT_EQ(tp.request.order_list_id, sl.request.order_list_id);
  }
  EXPECT_EQ(Free("BTC"), Decimal::Zero());
  EXPECT_EQ(Total("BTC"), Dec("0.03"));
  EXPECT_TRUE(store_.rejections().empty());
}

TEST_F(OrderManagerTest, RejectedEntryIsAnErrorAndLeavesNoPosition) {
  Prime("40000.01");
  EntryPlan plan;
  plan.symbol = "BTCUSDT";
  plan.quantity = Dec("1");  // 40000 USDT of 10000
  auto r = om_.OpenPosition(plan);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kRejected);
  EXPECT_NE(r.error().message.find("-2010"), std::string::npos) << r.error().message;
  EXPECT_EQ(om_.ActiveCount(), 0);
  EXPECT_FALSE(om_.Holds("BTCUSDT"));
  ASSERT_EQ(store_.rejections().size(), 1u);
  EXPECT_EQ(store_.rejections()[0].symbol, "BTCUSDT");
  EXPECT_EQ(store_.rejections()[0].reason_code, "EXCHANGE_REJECTED");
  EXPECT_NE(store_.rejections()[0].detail.find("-2010"), std::string::npos);
  EXPECT_EQ(EventNames(), (std::vector<std::string>{"ENTRY_SUBMITTED", "ENTRY_REJECTED"}));
  EXPECT_EQ(store_.events().back().to_state, "NOT_OWNED");
  om_.ProcessEvents();
  EXPECT_EQ(om_.ActiveCount(), 0);
  EXPECT_EQ(Total("USDT"), Dec("10000"));
  EXPECT_TRUE(OpenNow().empty());
}

TEST_F(OrderManagerTest, UnknownSymbolIsAnError) {
  EntryPlan plan;
  plan.symbol = "DOGEUSDT";
  plan.quantity = Dec("1");
  auto r = om_.OpenPosition(plan);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(om_.ActiveCount(), 0);
  EXPECT_TRUE(spy_.placed.empty());
}

// --- Exits -------------------------------------------------------------------------------------

TEST_F(OrderManagerTest, TakeProfitOneThenTrailingStopThenStopOut) {
  Prime("40000.01");
  const std::string id = Open("0.03");
  om_.ProcessEvents();
  const Decimal initial_stop = Dec("38800.01");

  // Candle 1: TP1 (41200.02) fills. Its low (39900) is below the trailing stop computed at its
  // close, but the trailing stop is not in force on the candle where TP1 fills.
  Feed(Bar(kT0, "40000", "41300.37", "39900", "41250"), 100);
  {
    const Position& p = Pos(id);
    EXPECT_EQ(p.state, PositionState::kOpen);
    ASSERT_EQ(p.record.exits.size(), 1u);
    const ExitFill& tp1 = p.record.exits[0];
    EXPECT_EQ(tp1.reason, ExitReason::kTakeProfit1);
    EXPECT_EQ(tp1.price, Dec("41200.02"));
    EXPECT_EQ(tp1.quantity, Dec("0.0099"));
    EXPECT_EQ(tp1.fee,
              Decimal::Mul(Decimal::Mul(Dec("41200.02"), Dec("0.0099")), kFee, Rounding::kUp));
    EXPECT_EQ(tp1.candle_open_time, kT0);
    EXPECT_EQ(tp1.candle_index, 100);
    EXPECT_EQ(p.remaining, Dec("0.0201"));
    EXPECT_TRUE(p.trailing_active);
    EXPECT_EQ(CountEvents("TAKE_PROFIT_1"), 1);
    // At the close: stop = max(SL, 41300.37 * 0.98 = 40474.3626) rounded up to the tick.
    const Decimal trail = Decimal::Mul(Dec("41300.37"), Dec("0.98"), Rounding::kUp)
                              .RoundToStep(Dec("0.01"), Rounding::kUp);
    EXPECT_EQ(trail, Dec("40474.37"));
    EXPECT_EQ(p.stop, Max(initial_stop, trail));
    EXPECT_EQ(CountEvents("STOP_MOVED"), 1);
    EXPECT_EQ(store_.events().back().event, "STOP_MOVED");
    EXPECT_EQ(store_.events().back().from_state, "OPEN");
    EXPECT_EQ(store_.events().back().to_state, "OPEN");
    // The two remaining pairs were replaced with the new stop.
    const auto open = OpenNow();
    ASSERT_EQ(open.size(), 4u);
    for (const auto& o : open) {
      if (o.request.type == OrderType::kStopLoss) {
        EXPECT_EQ(o.request.stop_price, Dec("40474.37"));
      }
    }
  }
  EXPECT_TRUE(closed_.empty());

  // Candle 2: no fill; a higher high moves the stop again.
  Feed(Bar(kT0 + kHourMs, "41250", "41700.37", "41000", "41600"), 101);
  EXPECT_EQ(Pos(id).stop, Dec("40866.37"));  // 41700.37 * 0.98 = 40866.3626, rounded up
  EXPECT_EQ(Pos(id).record.exits.size(), 1u);
  EXPECT_EQ(CountEvents("STOP_MOVED"), 2);

  // Candle 3: the trailing stop is hit; both remaining tranches exit at the stop.
  Feed(Bar(kT0 + 2 * kHourMs, "41600", "41650", "40500", "40600"), 102);
  EXPECT_EQ(om_.ActiveCount(), 0);
  ASSERT_EQ(closed_.size(), 1u);
  const TradeRecord& r = closed_[0];
  EXPECT_EQ(r.status, TradeStatus::kClosed);
  EXPECT_EQ(r.exit_reason, ExitReason::kTrailingStop);
  ASSERT_EQ(r.exits.size(), 2u);
  EXPECT_EQ(r.exits[1].reason, ExitReason::kTrailingStop);
  EXPECT_EQ(r.exits[1].price, Dec("40866.37"));
  EXPECT_EQ(r.exits[1].quantity, Dec("0.0201"));
  EXPECT_EQ(r.exit_index, 102);
  const Decimal cash_out =
      Decimal::Mul(Dec("40000.01"), Dec("0.03")) +
      Decimal::Mul(Decimal::Mul(Dec("40000.01"), Dec("0.03")), kFee, Rounding::kUp);
  const Decimal cash_in = NetProceeds(Dec("41200.02"), Dec("0.0099")) +
                          NetProceeds(Dec("40866.37"), Dec("0.0099")) +
                          NetProceeds(Dec("40866.37"), Dec("0.0102"));
  EXPECT_EQ(r.pnl, cash_in - cash_out);
  EXPECT_EQ(Total("USDT"), Dec("10000") + r.pnl);
  EXPECT_EQ(Total("BTC"), Decimal::Zero());
  EXPECT_TRUE(OpenNow().empty());
  EXPECT_EQ(store_.events().back().event, "CLOSED");
  EXPECT_EQ(store_.events().back().to_state, "CLOSED");
  auto trades = store_.LoadTrades();
  ASSERT_TRUE(trades.has_value());
  ASSERT_EQ(trades->size(), 1u);
  EXPECT_EQ((*trades)[0].status, TradeStatus::kClosed);
  EXPECT_EQ((*trades)[0].pnl, r.pnl);

  // Later candles change nothing and the callback does not fire again.
  Feed(Bar(kT0 + 3 * kHourMs, "40600", "45000", "30000", "40000"), 103);
  EXPECT_EQ(closed_.size(), 1u);
}

TEST_F(OrderManagerTest, PlainStopLossExitPnlIsCashInMinusCashOut) {
  Prime("40000.01");
  const std::string id = Open("0.03");
  om_.ProcessEvents();
  Feed(Bar(kT0, "40000", "40100", "38000", "38500"), 100);
  EXPECT_EQ(om_.ActiveCount(), 0);
  ASSERT_EQ(closed_.size(), 1u);
  const TradeRecord& r = closed_[0];
  EXPECT_EQ(r.id, id);
  EXPECT_EQ(r.exit_reason, ExitReason::kStopLoss);
  // One stop hitting the three tranches at one price is one exit.
  ASSERT_EQ(r.exits.size(), 1u);
  EXPECT_EQ(r.exits[0].reason, ExitReason::kStopLoss);
  EXPECT_EQ(r.exits[0].price, Dec("38800.01"));
  EXPECT_EQ(r.exits[0].quantity, Dec("0.03"));
  EXPECT_EQ(r.exit_price, Dec("38800.01"));
  // cash out: 1200.0003 + fee 1.2000003; cash in: per fill, notional minus its fee.
  const Decimal cash_out = Dec("1200.0003") + Dec("1.2000003");
  const Decimal stop = Dec("38800.01");
  const Decimal cash_in = NetProceeds(stop, Dec("0.0099")) + NetProceeds(stop, Dec("0.0099")) +
                          NetProceeds(stop, Dec("0.0102"));
  EXPECT_EQ(cash_in, Dec("1162.8362997"));
  EXPECT_EQ(r.pnl, cash_in - cash_out);
  EXPECT_EQ(r.pnl, Dec("-38.3640006"));
  EXPECT_NEAR(r.pnl_percent, 100.0 * -38.3640006 / 1200.0003, 1e-9);
  EXPECT_EQ(Total("USDT"), Dec("10000") + r.pnl);
  EXPECT_EQ(Total("BTC"), Decimal::Zero());
  EXPECT_TRUE(OpenNow().empty());
  Feed(Bar(kT0 + kHourMs, "38500", "39000", "37000", "38000"), 101);
  EXPECT_EQ(closed_.size(), 1u);
}

TEST_F(OrderManagerTest, CandleTouchingStopAndTakeProfitExitsEverythingAtTheStop) {
  Prime("40000.01");
  Open("0.03");
  om_.ProcessEvents();
  Feed(Bar(kT0, "40000", "41500", "38500", "40000"), 100);
  ASSERT_EQ(closed_.size(), 1u);
  EXPECT_EQ(closed_[0].exit_reason, ExitReason::kStopLoss);
  ASSERT_EQ(closed_[0].exits.size(), 1u);
  EXPECT_EQ(closed_[0].exits[0].quantity, Dec("0.03"));
}

class BaseFeeOrderManagerTest : public OrderManagerTest {
 protected:
  static SimulatedExchangeOptions Options() {
    SimulatedExchangeOptions o;
    o.buy_fee_asset = FeeAsset::kBase;
    return o;
  }
  BaseFeeOrderManagerTest() : OrderManagerTest(Options()) {}
};

TEST_F(BaseFeeOrderManagerTest, ExitsSellTheNetQuantityAndLeaveOnlyDust) {
  Prime("40000");
  const std::string id = Open("0.01234");
  om_.ProcessEvents();
  {
    const Position& p = Pos(id);
    ASSERT_EQ(p.state, PositionState::kOpen);
    EXPECT_EQ(p.record.quantity, Dec("0.01234"));
    EXPECT_EQ(p.record.net_quantity, Dec("0.01232766"));  // minus 0.00001234 BTC fee
    EXPECT_EQ(p.record.entry_fee, Dec("0.4936"));         // the fee valued at the fill price
    EXPECT_EQ(p.remaining, Dec("0.01232"));               // down to the step
    Decimal protected_qty;
    for (const auto& o : OpenNow()) {
      if (o.request.type == OrderType::kLimit) protected_qty += o.request.quantity;
    }
    EXPECT_EQ(protected_qty, Dec("0.01232"));
  }
  EXPECT_EQ(OpenNow().size(), 6u);
  EXPECT_TRUE(store_.rejections().empty());
  // All three take-profits in one candle.
  Feed(Bar(kT0, "40000", "44000", "39900", "43900"), 100);
  EXPECT_TRUE(store_.rejections().empty());
  EXPECT_EQ(om_.ActiveCount(), 0);
  ASSERT_EQ(closed_.size(), 1u);
  const TradeRecord& r = closed_[0];
  EXPECT_EQ(r.exit_reason, ExitReason::kTakeProfit3);
  ASSERT_EQ(r.exits.size(), 3u);
  EXPECT_EQ(r.exits[0].reason, ExitReason::kTakeProfit1);
  EXPECT_EQ(r.exits[1].reason, ExitReason::kTakeProfit2);
  EXPECT_EQ(r.exits[0].quantity + r.exits[1].quantity + r.exits[2].quantity, Dec("0.01232"));
  const Decimal left = Total("BTC");
  EXPECT_EQ(left, Dec("0.00000766"));
  EXPECT_LT(left, Btc().step_size);
  EXPECT_EQ(Free("BTC"), left);
  // No quote fee on the entry: cash out is the notional alone.
  const Decimal cash_out = Dec("493.6");
  Decimal cash_in;
  for (const auto& e : r.exits) cash_in += NetProceeds(e.price, e.quantity);
  // The dust stays in the account at its cost: it is not booked as a loss of the trade, so the
  // P&L is the cash result plus the dust valued at the entry price.
  const Decimal dust_cost = Decimal::Mul(left, Dec("40000"));
  EXPECT_EQ(r.pnl, cash_in - cash_out + dust_cost);
  EXPECT_EQ(Total("USDT"), Dec("10000") + r.pnl - dust_cost);
  EXPECT_NE(store_.events().back().detail.find("dust 0.00000766 kept"), std::string::npos)
      << store_.events().back().detail;
}

// --- Transitions and failures --------------------------------------------------------------------

TEST_F(OrderManagerTest, TransitionRefusesAnIllegalTransitionAndKeepsTheState) {
  RecordingLogger logger;
  OrderManager om(spy_, store_, logger, clock_, ExitSettings{}, true);
  Position p;
  p.record.id = "T-1";
  p.record.symbol = "BTCUSDT";
  p.state = PositionState::kClosed;
  EXPECT_FALSE(om.Transition(p, PositionState::kOpen, "REOPEN", "should be refused"));
  EXPECT_EQ(p.state, PositionState::kClosed);
  EXPECT_TRUE(store_.events().empty());
  auto trades = store_.LoadTrades();
  ASSERT_TRUE(trades.has_value());
  EXPECT_TRUE(trades->empty());
  ASSERT_FALSE(logger.lines.empty());
  EXPECT_EQ(logger.lines.back().first, LogLevel::kCritical);
  EXPECT_NE(logger.lines.back().second.find("CLOSED -> OPEN"), std::string::npos)
      << logger.lines.back().second;

  p.state = PositionState::kPending;
  EXPECT_FALSE(om.Transition(p, PositionState::kClosed, "SKIP", ""));
  EXPECT_EQ(p.state, PositionState::kPending);
  EXPECT_TRUE(store_.events().empty());

  // A legal one is applied and journaled.
  p.state = PositionState::kOpen;
  EXPECT_TRUE(om.Transition(p, PositionState::kClosed, "CLOSED", "ok"));
  EXPECT_EQ(p.state, PositionState::kClosed);
  ASSERT_EQ(store_.events().size(), 1u);
  EXPECT_EQ(store_.events()[0].from_state, "OPEN");
  EXPECT_EQ(store_.events()[0].to_state, "CLOSED");
}

TEST_F(OrderManagerTest, TransitionOfAnActivePositionBackToPendingIsRefused) {
  Prime("40000.01");
  const std::string id = Open("0.03");
  om_.ProcessEvents();
  Position copy = Pos(id);
  const std::size_t events = store_.events().size();
  EXPECT_FALSE(om_.Transition(copy, PositionState::kPending, "ENTRY_SUBMITTED", ""));
  EXPECT_FALSE(om_.Transition(copy, PositionState::kNotOwned, "ENTRY_REJECTED", ""));
  EXPECT_EQ(copy.state, PositionState::kOpen);
  EXPECT_EQ(store_.events().size(), events);
}

TEST_F(OrderManagerTest, RefusedProtectiveOrderTriggersAnEmergencyMarketExit) {
  spy_.reject_stop_loss = true;
  Prime("40000.01");
  const std::string id = Open("0.03");
  om_.ProcessEvents();
  // Never left unprotected: sold at market, the trade is closed.
  EXPECT_EQ(om_.ActiveCount(), 0);
  EXPECT_FALSE(om_.Holds("BTCUSDT"));
  ASSERT_EQ(closed_.size(), 1u);
  const TradeRecord& r = closed_[0];
  EXPECT_EQ(r.id, id);
  EXPECT_EQ(r.exit_reason, ExitReason::kEmergency);
  EXPECT_EQ(ExitReasonName(r.exit_reason), "EMERGENCY_EXIT");
  ASSERT_EQ(r.exits.size(), 1u);
  EXPECT_EQ(r.exits[0].quantity, Dec("0.03"));
  EXPECT_EQ(r.exits[0].price, Dec("40000.01"));
  EXPECT_EQ(r.pnl, NetProceeds(Dec("40000.01"), Dec("0.03")) - Dec("1201.2003003"));
  // The emergency sell was a MARKET order and the refused stop is on record.
  ASSERT_FALSE(spy_.placed.empty());
  EXPECT_EQ(spy_.placed.back().request.type, OrderType::kMarket);
  EXPECT_EQ(spy_.placed.back().request.side, Side::kSell);
  ASSERT_EQ(store_.rejections().size(), 1u);
  EXPECT_EQ(store_.rejections()[0].reason_code, "PROTECTION_REJECTED");
  EXPECT_TRUE(OpenNow().empty());
  EXPECT_EQ(Total("BTC"), Decimal::Zero());
  EXPECT_EQ(Total("USDT"), Dec("10000") + r.pnl);
  EXPECT_EQ(store_.events().back().event, "CLOSED");
}

TEST_F(OrderManagerTest, RefusedReplacementStopTriggersAnEmergencyExit) {
  Prime("40000.01");
  const std::string id = Open("0.03");
  om_.ProcessEvents();
  // TP1 fills; at the close the stop moves, and the replacement stops are refused.
  spy_.reject_stop_loss = true;
  Feed(Bar(kT0, "40000", "41300.37", "39900", "41250"), 100);
  om_.ProcessEvents();
  EXPECT_EQ(om_.ActiveCount(), 0);
  ASSERT_EQ(closed_.size(), 1u);
  const TradeRecord& r = closed_[0];
  EXPECT_EQ(r.exit_reason, ExitReason::kEmergency);
  ASSERT_EQ(r.exits.size(), 2u);
  EXPECT_EQ(r.exits[0].reason, ExitReason::kTakeProfit1);
  EXPECT_EQ(r.exits[1].quantity, Dec("0.0201"));
  EXPECT_EQ(r.exits[1].price, Dec("41250"));  // market at the last close
  EXPECT_TRUE(OpenNow().empty());
  EXPECT_EQ(Total("BTC"), Decimal::Zero());
}

}  // namespace
}  // namespace osprey
