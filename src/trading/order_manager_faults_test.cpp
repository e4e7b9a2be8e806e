// OrderManager against a venue and a journal that fail: each test pins one promise of
// trading/order_manager.hpp under a fault injected by FaultInjectingExchange or
// FaultInjectingTradeStore, and ends with the two invariants every pass must keep (every OPEN
// position's remaining quantity is covered by open stops exactly once, and every open order on the
// exchange is one the manager tracks).

#include <gtest/gtest.h>

#include <algorithm>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/logger.hpp"
#include "exchange/exchange_wrapper.hpp"
#include "exchange/fault_injecting_exchange.hpp"
#include "exchange/simulated_exchange.hpp"
#include "trading/fault_injecting_trade_store.hpp"
#include "trading/memory_trade_store.hpp"
#include "trading/order_manager.hpp"

namespace osprey {

inline void PrintTo(const Decimal& d, std::ostream* os) { *os << d.ToString(); }
inline void PrintTo(PositionState s, std::ostream* os) { *os << PositionStateName(s); }
inline void PrintTo(ExitReason r, std::ostream* os) { *os << ExitReasonName(r); }
inline void PrintTo(JournalStatus s, std::ostream* os) { *os << JournalStatusName(s); }

namespace {

constexpr TimeMs kT0 = 1'709'164'800'000;  // 2024-02-29T00:00:00Z: close of the signal candle

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

Candle Bar(TimeMs open_time, const char* o, const char* h, const char* l, const char* c,
           const char* volume = "1") {
  return Candle{open_time, Dec(o), Dec(h), Dec(l), Dec(c), Dec(volume)};
}

// Sits between the fault injector and the simulated exchange, so it sees exactly the requests
// that reached the exchange, and notes for each whether its journal row existed, in status
// SENDING, at that moment.
class SendSpy final : public ExchangeWrapper {
 public:
  struct Sent {
    std::string client_id;  // the order, or an OCO's list id
    Side side = Side::kBuy;
    OrderType type = OrderType::kMarket;
    Decimal quantity;
    Decimal stop_price;
    bool journaled = false;  // every row of the request was in the journal as SENDING
  };

  SendSpy(Exchange& inner, const MemoryTradeStore& journal)
      : ExchangeWrapper(inner), journal_(journal) {}

  OrderAck PlaceOrder(const OrderRequest& request) override {
    sent.push_back({request.client_order_id, request.side, request.type, request.quantity,
                    request.stop_price, Journaled(request.client_order_id)});
    return inner().PlaceOrder(request);
  }
  OrderAck PlaceOco(const OcoRequest& request) override {
    sent.push_back({request.list_client_id, Side::kSell, OrderType::kStopLoss, request.quantity,
                    request.stop_price,
                    Journaled(request.limit_client_id) && Journaled(request.stop_client_id)});
    return inner().PlaceOco(request);
  }

  int Count(Side side, OrderType type) const {
    return static_cast<int>(std::count_if(
        sent.begin(), sent.end(), [&](const Sent& s) { return s.side == side && s.type == type; }));
  }
  int Ocos() const { return Count(Side::kSell, OrderType::kStopLoss); }
  // OCO requests for tranche `level` ("<trade>-<level>g<generation>").
  int OcosOfLevel(int level) const {
    const std::string tag = "-" + std::to_string(level) + "g";
    return static_cast<int>(std::count_if(sent.begin(), sent.end(), [&](const Sent& s) {
      return s.type == OrderType::kStopLoss && s.client_id.find(tag) != std::string::npos;
    }));
  }

  std::vector<Sent> sent;

 private:
  bool Journaled(const std::string& id) const {
    auto it = journal_.orders().find(id);
    return it != journal_.orders().end() && it->second.status == JournalStatus::kSending;
  }
  const MemoryTradeStore& journal_;
};

class RecordingListener final : public TradingListener {
 public:
  void OnAlert(AlertLevel level, std::string_view what) override {
    alerts.emplace_back(level, std::string(what));
  }
  void OnProtectionFailed(const TradeRecord& /*trade*/, std::string_view why) override {
    protection_failed.emplace_back(why);
  }
  void OnTradeOpened(const TradeRecord& /*trade*/) override { ++opened; }
  bool Has(AlertLevel level, std::string_view text) const {
    return std::any_of(alerts.begin(), alerts.end(), [&](const auto& a) {
      return a.first == level && a.second.find(text) != std::string::npos;
    });
  }
  std::vector<std::pair<AlertLevel, std::string>> alerts;
  std::vector<std::string> protection_failed;
  int opened = 0;
};

class RecordingLogger final : public Logger {
 public:
  void Log(LogLevel level, std::string_view message) override {
    lines.emplace_back(level, std::string(message));
  }
  bool Enabled(LogLevel /*level*/) const override { return true; }
  bool Has(LogLevel level, std::string_view text) const {
    return std::any_of(lines.begin(), lines.end(), [&](const auto& l) {
      return l.first == level && l.second.find(text) != std::string::npos;
    });
  }
  std::vector<std::pair<LogLevel, std::string>> lines;
};

// manager -> FaultInjectingExchange -> SendSpy -> SimulatedExchange;
// manager -> FaultInjectingTradeStore -> MemoryTradeStore.
class OrderManagerFaultsTest : public ::testing::Test {
 protected:
  explicit OrderManagerFaultsTest(SimulatedExchangeOptions options = {})
      : clock_(kT0),
        sim_(clock_, options, {Btc()}),
        spy_(sim_, journal_),
        faults_(spy_),
        store_(journal_),
        om_(faults_, store_, logger_, clock_, ExitSettings{}, /*apply_filters=*/true) {
    sim_.Deposit("USDT", Dec("10000"));
    om_.SetOnTradeClosed([this](const TradeRecord& r) { closed_.push_back(r); });
    om_.SetListener(&listener_);
  }

  // The signal candle [kT0 - 1h, kT0) sets the market price the entry fills at.
  void Prime(const char* close, const char* volume = "1") {
    sim_.OnCandle("BTCUSDT", Bar(kT0 - kHourMs, close, close, close, close, volume), 99);
  }

  Result<std::string> TryOpen(const char* qty) {
    EntryPlan plan;
    plan.symbol = "BTCUSDT";
    plan.quantity = Dec(qty);
    plan.signal_candle_open_time = kT0 - kHourMs;
    plan.signal_index = 99;
    return om_.OpenPosition(plan);
  }

  std::string Open(const char* qty) {
    auto id = TryOpen(qty);
    EXPECT_TRUE(id.has_value()) << id.error().ToString();
    return id.value_or("");
  }

  // One closed hourly candle, as the engine drives it.
  void Feed(const Candle& c, std::int64_t index, OrderManager* om = nullptr) {
    OrderManager& m = om == nullptr ? om_ : *om;
    clock_.AdvanceTo(c.open_time + kHourMs);
    sim_.OnCandle("BTCUSDT", c, index);
    m.ProcessEvents();
    m.OnCandleClosed("BTCUSDT", c);
  }

  const Position& Pos(const std::string& id) { return om_.active().at(id); }

  std::vector<OrderState> OpenNow() {
    auto open = sim_.OpenOrders("BTCUSDT");
    EXPECT_TRUE(open.has_value());
    return open.value_or(std::vector<OrderState>{});
  }

  // Open STOP_LOSS quantity (unfilled part) on the exchange.
  Decimal OpenStopQuantity() {
    Decimal q;
    for (const auto& o : OpenNow()) {
      if (o.request.type == OrderType::kStopLoss) q += o.request.quantity - o.executed_quantity;
    }
    return q;
  }

  OrderState Query(const std::string& client_id) {
    auto q = sim_.QueryOrder("BTCUSDT", client_id);
    EXPECT_TRUE(q.has_value()) << client_id;
    return q.value_or(OrderState{});
  }

  Decimal Total(const char* asset) { return *sim_.TotalBalance(asset); }

  // Protected: every OPEN position without a market exit in flight has exactly its remaining
  // quantity under open stops. Accounted for: every open order on the exchange is tracked.
  void ExpectProtectedAndAccounted(const OrderManager* om = nullptr) {
    const OrderManager& m = om == nullptr ? om_ : *om;
    auto open = sim_.OpenOrders("");
    ASSERT_TRUE(open.has_value());
    for (const auto& o : *open) {
      EXPECT_TRUE(m.orders().contains(o.request.client_order_id))
          << "untracked open order " << o.request.client_order_id;
    }
    for (const auto& [id, p] : m.active()) {
      if (p.state != PositionState::kOpen || !p.exit_client_id.empty()) continue;
      Decimal stops;
      for (const auto& o : *open) {
        if (o.request.symbol == p.record.symbol && o.request.type == OrderType::kStopLoss) {
          stops += o.request.quantity - o.executed_quantity;
        }
      }
      EXPECT_EQ(stops, p.remaining) << id << " is not covered exactly once";
    }
  }

  SimulatedClock clock_;
  SimulatedExchange sim_;
  MemoryTradeStore journal_;
  SendSpy spy_;
  FaultInjectingExchange faults_;
  FaultInjectingTradeStore store_;
  RecordingLogger logger_;
  RecordingListener listener_;
  OrderManager om_;
  std::vector<TradeRecord> closed_;
};

const Decimal kStop = Dec("38800.01");   // 40000.01 x 0.97, up to the tick
const Decimal kTrail = Dec("40474.37");  // 41300.37 x 0.98, up to the tick

// A candle that fills TP1 (41200.02) and, at its close, moves the stop to kTrail.
Candle Tp1Bar(const char* volume = "1") {
  return Bar(kT0, "40000", "41300.37", "39900", "41250", volume);
}

// --- Journal before send -------------------------------------------------------------------------

TEST_F(OrderManagerFaultsTest, JournalFailureSendsNoEntryRaisesTheSafeStateAndHealingLiftsIt) {
  Prime("40000.01");
  store_.FailWrites();
  auto r = TryOpen("0.03");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kStore);
  // Nothing reached the exchange and nothing is owned.
  EXPECT_TRUE(spy_.sent.empty());
  EXPECT_FALSE(sim_.QueryOrder("BTCUSDT", "BTCUSDT-" + std::to_string(kT0 / 1000) + "-e"));
  EXPECT_TRUE(OpenNow().empty());
  EXPECT_EQ(Total("USDT"), Dec("10000"));
  EXPECT_EQ(Total("BTC"), Decimal::Zero());
  EXPECT_EQ(om_.ActiveCount(), 0);
  EXPECT_TRUE(journal_.orders().empty());
  EXPECT_TRUE(journal_.events().empty());
  // The safe state, with a CRITICAL alert.
  EXPECT_TRUE(om_.JournalFailed());
  EXPECT_TRUE(listener_.Has(AlertLevel::kCritical, "safe state")) << listener_.alerts.size();

  store_.Heal();
  const std::string id = Open("0.03");
  EXPECT_FALSE(om_.JournalFailed());
  om_.ProcessEvents();
  EXPECT_EQ(Pos(id).state, PositionState::kOpen);
  EXPECT_EQ(spy_.Count(Side::kBuy, OrderType::kMarket), 1);
  EXPECT_EQ(spy_.Ocos(), 3);
  ExpectProtectedAndAccounted();
}

TEST_F(OrderManagerFaultsTest, EveryRequestIsJournaledAsSendingBeforeTheExchangeSeesIt) {
  Prime("40000.01");
  const std::string id = Open("0.03");
  om_.ProcessEvents();
  Feed(Tp1Bar(), 100);  // TP1 fills; the stop moves: two pairs replaced
  ASSERT_EQ(Pos(id).stop, kTrail);
  ASSERT_TRUE(om_.ClosePosition(id, "owner").has_value());
  om_.ProcessEvents();
  ASSERT_EQ(closed_.size(), 1u);
  // entry + 3 OCO + 2 replacements + the market exit
  ASSERT_EQ(spy_.sent.size(), 7u);
  EXPECT_EQ(spy_.Count(Side::kSell, OrderType::kMarket), 1);
  for (const auto& s : spy_.sent) EXPECT_TRUE(s.journaled) << s.client_id;
  // ... and every acknowledgement updated the row.
  for (const auto& [cid, row] : journal_.orders()) {
    EXPECT_NE(row.status, JournalStatus::kSending) << cid;
  }
  ExpectProtectedAndAccounted();
}

TEST_F(OrderManagerFaultsTest, CoverThatCannotBeJournaledIsNotSentAndTheNextPassProtects) {
  Prime("40000.01");
  const std::string id = Open("0.03");
  store_.FailWrites();
  om_.ProcessEvents();  // the entry fills, but no cover can be journaled
  EXPECT_EQ(Pos(id).state, PositionState::kOpen);
  EXPECT_EQ(spy_.Ocos(), 0);
  EXPECT_TRUE(OpenNow().empty());
  EXPECT_TRUE(om_.JournalFailed());
  EXPECT_TRUE(listener_.Has(AlertLevel::kCritical, "UNPROTECTED"));
  store_.Heal();
  om_.ProcessEvents();
  EXPECT_FALSE(om_.JournalFailed());
  EXPECT_EQ(spy_.Ocos(), 3);
  for (const auto& s : spy_.sent) EXPECT_TRUE(s.journaled) << s.client_id;
  EXPECT_EQ(OpenStopQuantity(), Dec("0.03"));
  ExpectProtectedAndAccounted();
}

// --- Entries of unknown outcome ------------------------------------------------------------------

TEST_F(OrderManagerFaultsTest, EntryWhoseAckIsLostStaysPendingUntilResolvedAndIsNeverResent) {
  Prime("40000.01");
  faults_.FailNext(ExchangeCall::kPlaceOrder, Fault::kTimeoutAfterApplying);
  const std::string id = Open("0.03");
  EXPECT_EQ(Pos(id).state, PositionState::kPending);
  const std::string entry = Pos(id).entry_client_id;
  EXPECT_EQ(om_.orders().at(entry).status, JournalStatus::kUnknown);
  EXPECT_EQ(journal_.orders().at(entry).status, JournalStatus::kUnknown);
  EXPECT_TRUE(listener_.Has(AlertLevel::kWarning, "outcome unknown"));
  om_.ProcessEvents();
  EXPECT_EQ(Pos(id).state, PositionState::kOpen);
  EXPECT_EQ(Pos(id).record.quantity, Dec("0.03"));
  EXPECT_EQ(om_.orders().at(entry).status, JournalStatus::kFilled);
  EXPECT_EQ(spy_.Count(Side::kBuy, OrderType::kMarket), 1);
  EXPECT_EQ(Total("BTC"), Dec("0.03"));
  EXPECT_EQ(OpenStopQuantity(), Dec("0.03"));
  om_.ProcessEvents();
  EXPECT_EQ(spy_.Count(Side::kBuy, OrderType::kMarket), 1);
  ExpectProtectedAndAccounted();
}

TEST_F(OrderManagerFaultsTest, EntryWhoseAckAndReportsAreLostIsResolvedByQuery) {
  Prime("40000.01");
  faults_.FailNext(ExchangeCall::kPlaceOrder, Fault::kTimeoutAfterApplying);
  faults_.DropReports(2);  // NEW and TRADE
  const std::string id = Open("0.03");
  om_.ProcessEvents();
  EXPECT_EQ(faults_.reports_dropped(), 2);
  EXPECT_EQ(Pos(id).state, PositionState::kOpen);
  EXPECT_EQ(Pos(id).record.quantity, Dec("0.03"));
  EXPECT_EQ(Pos(id).record.entry_price, Dec("40000.01"));
  EXPECT_EQ(spy_.Count(Side::kBuy, OrderType::kMarket), 1);
  EXPECT_EQ(spy_.Ocos(), 3);
  ExpectProtectedAndAccounted();
}

TEST_F(OrderManagerFaultsTest, EntryThatNeverReachedTheExchangeReturnsToNotOwned) {
  Prime("40000.01");
  faults_.FailNext(ExchangeCall::kPlaceOrder, Fault::kTimeoutBeforeSending);
  const std::string id = Open("0.03");
  EXPECT_EQ(Pos(id).state, PositionState::kPending);
  EXPECT_TRUE(spy_.sent.empty());
  om_.ProcessEvents();
  EXPECT_EQ(om_.ActiveCount(), 0);
  EXPECT_FALSE(om_.Holds("BTCUSDT"));
  EXPECT_TRUE(om_.orders().empty());
  EXPECT_TRUE(spy_.sent.empty());  // never re-sent
  EXPECT_TRUE(OpenNow().empty());
  EXPECT_EQ(Total("USDT"), Dec("10000"));
  EXPECT_EQ(Total("BTC"), Decimal::Zero());
  ASSERT_FALSE(journal_.events().empty());
  EXPECT_EQ(journal_.events().back().to_state, "NOT_OWNED");
  ASSERT_EQ(journal_.rejections().size(), 1u);
  EXPECT_EQ(journal_.rejections()[0].reason_code, "EXCHANGE_REJECTED");
  EXPECT_TRUE(closed_.empty());
}

// --- Protection under faults ---------------------------------------------------------------------

TEST_F(OrderManagerFaultsTest, OcoWhoseAckIsLostIsPlacedOnceAndCanStillBeCancelled) {
  Prime("40000.01");
  const std::string id = Open("0.03");
  faults_.FailNext(ExchangeCall::kPlaceOco, Fault::kTimeoutAfterApplying);  // tranche 1
  om_.ProcessEvents();
  EXPECT_EQ(faults_.faults_injected(), 1);
  EXPECT_EQ(spy_.OcosOfLevel(1), 1);
  EXPECT_EQ(spy_.OcosOfLevel(2), 1);
  EXPECT_EQ(spy_.OcosOfLevel(3), 1);
  EXPECT_EQ(OpenNow().size(), 6u);
  EXPECT_EQ(OpenStopQuantity(), Dec("0.03"));
  // Its reports showed the pair open: it is a live cover like the others.
  for (const auto& leg : Pos(id).legs) {
    EXPECT_EQ(leg.cover, Position::Cover::kLive) << leg.tranche.level;
  }
  ExpectProtectedAndAccounted();
  // So an owner's close cancels it too and sells everything.
  ASSERT_TRUE(om_.ClosePosition(id, "owner").has_value());
  om_.ProcessEvents();
  ASSERT_EQ(closed_.size(), 1u);
  EXPECT_TRUE(OpenNow().empty());
  EXPECT_EQ(Total("BTC"), Decimal::Zero());
}

TEST_F(OrderManagerFaultsTest, OcoWhoseAckIsLostTrailsLikeTheOthers) {
  Prime("40000.01");
  const std::string id = Open("0.03");
  faults_.Inject(FaultRule{ExchangeCall::kPlaceOco, Fault::kTimeoutAfterApplying, 1,
                           [](const ExchangeCallInfo& c) {
                             return c.client_order_id.find("-2g") != std::string_view::npos;
                           }});
  om_.ProcessEvents();
  Feed(Tp1Bar(), 100);
  EXPECT_EQ(Pos(id).stop, kTrail);
  for (const auto& o : OpenNow()) {
    if (o.request.type == OrderType::kStopLoss) {
      EXPECT_EQ(o.request.stop_price, kTrail) << o.request.client_order_id;
    }
  }
  EXPECT_EQ(OpenStopQuantity(), Dec("0.0201"));
  ExpectProtectedAndAccounted();
}

TEST_F(OrderManagerFaultsTest, RateLimitedOcoIsRetriedAndNoEmergencyExit) {
  Prime("40000.01");
  const std::string id = Open("0.03");
  faults_.FailNext(ExchangeCall::kPlaceOco, Fault::kRateLimited, 1);
  om_.ProcessEvents();
  EXPECT_EQ(faults_.faults_injected(), 1);
  EXPECT_TRUE(listener_.Has(AlertLevel::kCritical, "rate-limited"));
  EXPECT_EQ(listener_.protection_failed.size(), 1u);
  EXPECT_EQ(Pos(id).state, PositionState::kOpen);
  EXPECT_EQ(spy_.Ocos(), 3);  // the refused request never reached the exchange
  EXPECT_EQ(spy_.Count(Side::kSell, OrderType::kMarket), 0);
  EXPECT_TRUE(journal_.rejections().empty());
  EXPECT_TRUE(Pos(id).exit_client_id.empty());
  EXPECT_EQ(Pos(id).remaining, Dec("0.03"));
  EXPECT_EQ(OpenStopQuantity(), Dec("0.03"));
  EXPECT_EQ(Total("BTC"), Dec("0.03"));
  ExpectProtectedAndAccounted();
}

TEST_F(OrderManagerFaultsTest, OcoThatNeverReachedTheExchangeIsQueriedAndPlacedAgain) {
  Prime("40000.01");
  const std::string id = Open("0.03");
  faults_.FailNext(ExchangeCall::kPlaceOco, Fault::kUnavailable, 1);
  om_.ProcessEvents();
  EXPECT_EQ(spy_.OcosOfLevel(1), 1);  // the 503 one is not counted: it was not received
  EXPECT_EQ(spy_.Ocos(), 3);
  EXPECT_EQ(spy_.Count(Side::kSell, OrderType::kMarket), 0);
  const auto& leg = Pos(id).legs[0];
  EXPECT_NE(leg.list_id, Pos(id).record.id + "-1g0");  // fresh ids for the retry
  EXPECT_EQ(Query(leg.stop_id).status, OrderStatus::kNew);
  EXPECT_EQ(OpenStopQuantity(), Dec("0.03"));
  ExpectProtectedAndAccounted();
}

TEST_F(OrderManagerFaultsTest, RefusedCancelWhileTrailingNeverLeadsToASecondCover) {
  Prime("40000.01");
  const std::string id = Open("0.03");
  om_.ProcessEvents();
  const std::string old_stop2 = Pos(id).legs[1].stop_id;
  faults_.FailNext(ExchangeCall::kCancelOrder, Fault::kRefuseCancel, 1);  // tranche 2's cancel
  Feed(Tp1Bar(), 100);
  EXPECT_TRUE(logger_.Has(LogLevel::kWarning, "could not cancel"));
  EXPECT_EQ(Pos(id).stop, kTrail);
  // Tranche 2 keeps its old pair (still open), tranche 3 moved: one cover each.
  EXPECT_EQ(Pos(id).legs[1].stop_id, old_stop2);
  EXPECT_EQ(Query(old_stop2).status, OrderStatus::kNew);
  EXPECT_EQ(Query(old_stop2).request.stop_price, kStop);
  EXPECT_EQ(spy_.OcosOfLevel(2), 1);
  EXPECT_EQ(spy_.OcosOfLevel(3), 2);
  EXPECT_EQ(OpenNow().size(), 4u);
  EXPECT_EQ(OpenStopQuantity(), Dec("0.0201"));
  ExpectProtectedAndAccounted();
  // The next move cancels it and both follow the stop.
  Feed(Bar(kT0 + kHourMs, "41250", "41700.37", "41000", "41600"), 101);
  EXPECT_EQ(Pos(id).stop, Dec("40866.37"));
  EXPECT_EQ(Query(old_stop2).status, OrderStatus::kCanceled);
  EXPECT_EQ(spy_.OcosOfLevel(2), 2);
  for (const auto& o : OpenNow()) {
    if (o.request.type == OrderType::kStopLoss) {
      EXPECT_EQ(o.request.stop_price, Dec("40866.37"));
    }
  }
  EXPECT_EQ(OpenStopQuantity(), Dec("0.0201"));
  ExpectProtectedAndAccounted();
}

TEST_F(OrderManagerFaultsTest, CancelThatNeverReachedTheExchangeIsRetriedOnTheNextMove) {
  Prime("40000.01");
  const std::string id = Open("0.03");
  om_.ProcessEvents();
  const std::string old_stop2 = Pos(id).legs[1].stop_id;
  faults_.FailNext(ExchangeCall::kCancelOrder, Fault::kTimeoutBeforeSending, 1);
  Feed(Tp1Bar(), 100);
  om_.ProcessEvents();  // the query shows the pair still open
  EXPECT_EQ(Query(old_stop2).status, OrderStatus::kNew);
  EXPECT_EQ(spy_.OcosOfLevel(2), 1);  // no second cover while its cancel is unresolved
  EXPECT_EQ(OpenStopQuantity(), Dec("0.0201"));
  ExpectProtectedAndAccounted();
  Feed(Bar(kT0 + kHourMs, "41250", "41700.37", "41000", "41600"), 101);
  EXPECT_EQ(Query(old_stop2).status, OrderStatus::kCanceled);
  for (const auto& o : OpenNow()) {
    if (o.request.type == OrderType::kStopLoss) {
      EXPECT_EQ(o.request.stop_price, Dec("40866.37")) << o.request.client_order_id;
    }
  }
  EXPECT_EQ(OpenStopQuantity(), Dec("0.0201"));
  ExpectProtectedAndAccounted();
}

TEST_F(OrderManagerFaultsTest, CoverExpiredByTheExchangeIsReplacedWithFreshIds) {
  Prime("40000.01");
  const std::string id = Open("0.03");
  om_.ProcessEvents();
  const Position::Leg old = Pos(id).legs[1];
  ASSERT_TRUE(sim_.ExpireOrder(old.stop_id).has_value());
  om_.ProcessEvents();
  const Position::Leg& now = Pos(id).legs[1];
  EXPECT_NE(now.list_id, old.list_id);
  EXPECT_NE(now.stop_id, old.stop_id);
  EXPECT_NE(now.limit_id, old.limit_id);
  EXPECT_EQ(now.cover, Position::Cover::kLive);
  EXPECT_EQ(Query(old.stop_id).status, OrderStatus::kExpired);
  const OrderState stop = Query(now.stop_id);
  EXPECT_EQ(stop.status, OrderStatus::kNew);
  EXPECT_EQ(stop.request.stop_price, kStop);
  EXPECT_EQ(stop.request.quantity, Dec("0.0099"));
  EXPECT_EQ(spy_.OcosOfLevel(2), 2);
  EXPECT_EQ(OpenNow().size(), 6u);
  ExpectProtectedAndAccounted();
}

TEST_F(OrderManagerFaultsTest, CoverCancelledByTheExchangeIsReplacedAtTheCurrentStop) {
  Prime("40000.01");
  const std::string id = Open("0.03");
  om_.ProcessEvents();
  Feed(Tp1Bar(), 100);
  ASSERT_EQ(Pos(id).stop, kTrail);
  const Position::Leg old = Pos(id).legs[2];
  ASSERT_TRUE(sim_.CancelByExchange(old.limit_id).has_value());
  om_.ProcessEvents();
  const Position::Leg& now = Pos(id).legs[2];
  EXPECT_NE(now.stop_id, old.stop_id);
  EXPECT_EQ(Query(old.limit_id).status, OrderStatus::kCanceled);
  const OrderState stop = Query(now.stop_id);
  EXPECT_EQ(stop.status, OrderStatus::kNew);
  EXPECT_EQ(stop.request.stop_price, kTrail);
  EXPECT_EQ(stop.request.quantity, Dec("0.0102"));
  EXPECT_EQ(OpenStopQuantity(), Dec("0.0201"));
  ExpectProtectedAndAccounted();
}

// --- Partial fills -------------------------------------------------------------------------------

class PartialFillFaultsTest : public OrderManagerFaultsTest {
 protected:
  static SimulatedExchangeOptions Options() {
    SimulatedExchangeOptions o;
    o.volume_participation = Dec("0.01");  // 1% of each bar's volume
    return o;
  }
  PartialFillFaultsTest() : OrderManagerFaultsTest(Options()) {}
};

TEST_F(PartialFillFaultsTest, EntryPartlyFilledOpensWithWhatFilledAndProtectsExactlyThat) {
  Prime("40000.01", "1");  // 0.01 BTC may fill; the rest of the market buy EXPIRES
  const std::string id = Open("0.03");
  om_.ProcessEvents();
  const Position& p = Pos(id);
  EXPECT_EQ(p.state, PositionState::kOpen);
  EXPECT_EQ(om_.orders().at(p.entry_client_id).status, JournalStatus::kExpired);
  EXPECT_EQ(p.record.quantity, Dec("0.01"));
  EXPECT_EQ(p.record.entry_price, Dec("40000.01"));
  EXPECT_EQ(p.remaining, Dec("0.01"));
  EXPECT_EQ(Total("BTC"), Dec("0.01"));
  EXPECT_EQ(OpenStopQuantity(), Dec("0.01"));
  EXPECT_EQ(spy_.Count(Side::kBuy, OrderType::kMarket), 1);
  EXPECT_EQ(listener_.opened, 1);
  ExpectProtectedAndAccounted();
}

TEST_F(PartialFillFaultsTest, TakeProfitPartlyFilledIsAnExitAndTheRestStaysCovered) {
  Prime("40000.01", "1000");  // plenty for the entry
  const std::string id = Open("0.03");
  om_.ProcessEvents();
  ASSERT_EQ(Pos(id).record.quantity, Dec("0.03"));
  // TP1 trades through, but 1% of 0.5 BTC lets only 0.005 of its 0.0099 fill; the close (41000)
  // is back below TP1, so the rest can be covered by a new pair at the same levels.
  Feed(Bar(kT0, "40000", "41300.37", "39900", "41000", "0.5"), 100);
  const Position& p = Pos(id);
  EXPECT_EQ(p.state, PositionState::kOpen);
  ASSERT_EQ(p.record.exits.size(), 1u);
  EXPECT_EQ(p.record.exits[0].reason, ExitReason::kTakeProfit1);
  EXPECT_EQ(p.record.exits[0].quantity, Dec("0.005"));
  EXPECT_EQ(p.record.exits[0].price, Dec("41200.02"));
  EXPECT_FALSE(p.legs[0].done);
  EXPECT_EQ(p.legs[0].filled, Dec("0.005"));
  EXPECT_EQ(p.remaining, Dec("0.025"));
  EXPECT_EQ(Total("BTC"), Dec("0.025"));
  EXPECT_EQ(OpenStopQuantity(), Dec("0.025"));
  const OrderState stop1 = Query(p.legs[0].stop_id);
  EXPECT_EQ(stop1.request.quantity, Dec("0.0049"));
  EXPECT_EQ(stop1.status, OrderStatus::kNew);
  EXPECT_TRUE(closed_.empty());
  ExpectProtectedAndAccounted();
}

TEST_F(PartialFillFaultsTest, RefusedReCoverOfATrancheSellsOnlyThatTranche) {
  Prime("40000.01", "1000");
  const std::string id = Open("0.03");
  om_.ProcessEvents();
  // TP1 fills 0.005 of its 0.0099 and the candle closes ABOVE TP1 (41250 > 41200.02): a new pair
  // for the rest is refused (a SELL OCO needs its limit above the last price), so that rest is
  // sold at market while tranches 2 and 3 keep their covers.
  Feed(Bar(kT0, "40000", "41300.37", "39900", "41250", "0.5"), 100);
  const Position& p = Pos(id);
  EXPECT_EQ(p.state, PositionState::kOpen);
  EXPECT_TRUE(p.legs[0].done);
  EXPECT_FALSE(p.legs[1].done);
  EXPECT_FALSE(p.legs[2].done);
  EXPECT_EQ(p.legs[1].cover, Position::Cover::kLive);
  EXPECT_EQ(p.legs[2].cover, Position::Cover::kLive);
  EXPECT_EQ(spy_.Count(Side::kSell, OrderType::kMarket), 1);
  Decimal sold;
  for (const auto& e : p.record.exits) sold += e.quantity;
  EXPECT_EQ(sold, Dec("0.0099"));  // the whole first tranche, no more
  EXPECT_EQ(p.remaining, Dec("0.0201"));
  EXPECT_EQ(OpenStopQuantity(), Dec("0.0201"));
  ExpectProtectedAndAccounted();
}

TEST_F(PartialFillFaultsTest, MarketExitsThatNeverSellEverythingRaiseManualActionOnce) {
  Prime("40000.01", "1000");
  const std::string id = Open("0.03");
  om_.ProcessEvents();
  // From now on each bar lets 1% of 0.1 BTC = 0.001 BTC of a market order fill; the rest
  // expires. The owner closes the position: three market exits, then an alert, once.
  Feed(Bar(kT0, "40000", "40010", "39990", "40000", "0.1"), 100);
  ASSERT_TRUE(om_.ClosePosition(id, "test").has_value());
  for (int i = 1; i < 6; ++i) {
    Feed(Bar(kT0 + i * kHourMs, "40000", "40010", "39990", "40000", "0.1"), 100 + i);
  }
  const Position& p = Pos(id);
  EXPECT_TRUE(p.remaining.IsPositive());
  EXPECT_TRUE(p.stranded);
  int alerts = 0;
  for (const auto& [level, what] : listener_.alerts) {
    if (level == AlertLevel::kCritical && what.find("manual action needed") != std::string::npos) {
      ++alerts;
    }
  }
  EXPECT_EQ(alerts, 1);
  EXPECT_LE(spy_.Count(Side::kSell, OrderType::kMarket), 3);
}

// --- Lost reports --------------------------------------------------------------------------------

class LostReportsTest : public OrderManagerFaultsTest {
 protected:
  void StopOutLosing(int reports) {
    Prime("40000.01");
    Open("0.03");
    om_.ProcessEvents();
    faults_.DropReports(reports);
    Feed(Bar(kT0, "40000", "40100", "38000", "38500"), 100);
    EXPECT_EQ(faults_.reports_dropped(), reports);
    EXPECT_EQ(om_.ActiveCount(), 0);
    ASSERT_EQ(closed_.size(), 1u);
    const TradeRecord& r = closed_[0];
    EXPECT_EQ(r.exit_reason, ExitReason::kStopLoss);
    Decimal sold;
    for (const auto& e : r.exits) {
      sold += e.quantity;
      EXPECT_EQ(e.price, kStop);
    }
    EXPECT_EQ(sold, Dec("0.03"));
    EXPECT_EQ(r.exit_price, kStop);
    EXPECT_TRUE(OpenNow().empty());
    EXPECT_EQ(Total("BTC"), Decimal::Zero());
    EXPECT_EQ(spy_.Count(Side::kSell, OrderType::kMarket), 0);  // nothing sold twice
    Feed(Bar(kT0 + kHourMs, "38500", "39000", "37000", "38000"), 101);
    EXPECT_EQ(closed_.size(), 1u);
  }
};

TEST_F(LostReportsTest, SomeExitReportsLostAreLearntByQueryAfterTheResync) { StopOutLosing(3); }

TEST_F(LostReportsTest, AllExitReportsLostAreLearntByQueryAfterTheResync) { StopOutLosing(6); }

TEST_F(OrderManagerFaultsTest, ResyncWithNothingLostChangesNothing) {
  Prime("40000.01");
  const std::string id = Open("0.03");
  om_.ProcessEvents();
  const auto before = om_.orders();
  const std::size_t sent = spy_.sent.size();
  faults_.Resync();
  om_.ProcessEvents();
  EXPECT_TRUE(logger_.Has(LogLevel::kWarning, "resync"));
  EXPECT_EQ(spy_.sent.size(), sent);
  EXPECT_EQ(om_.orders(), before);
  EXPECT_EQ(Pos(id).remaining, Dec("0.03"));
  ExpectProtectedAndAccounted();
}

TEST_F(OrderManagerFaultsTest, LostTakeProfitReportIsLearntByQueryAndTheRestStaysCovered) {
  Prime("40000.01");
  const std::string id = Open("0.03");
  om_.ProcessEvents();
  faults_.DropReports(1);  // TP1's fill
  Feed(Tp1Bar(), 100);
  const Position& p = Pos(id);
  ASSERT_EQ(p.record.exits.size(), 1u);
  EXPECT_EQ(p.record.exits[0].reason, ExitReason::kTakeProfit1);
  EXPECT_EQ(p.record.exits[0].quantity, Dec("0.0099"));
  EXPECT_EQ(p.record.exits[0].price, Dec("41200.02"));
  EXPECT_TRUE(p.legs[0].done);
  EXPECT_EQ(p.remaining, Dec("0.0201"));
  EXPECT_EQ(p.stop, kTrail);
  EXPECT_EQ(OpenStopQuantity(), Dec("0.0201"));
  ExpectProtectedAndAccounted();
}

// --- Restart -------------------------------------------------------------------------------------

TEST_F(OrderManagerFaultsTest, RestoredPositionKeepsItsCoversSendsNothingAndStopsOutOnce) {
  Prime("40000.01");
  const std::string id = Open("0.03");
  om_.ProcessEvents();
  Feed(Tp1Bar(), 100);  // a TP1 exit, a moved stop and replaced pairs: generation > 0
  const Position before = Pos(id);
  ASSERT_EQ(before.stop, kTrail);
  const std::size_t sent = spy_.sent.size();

  RecordingLogger logger2;
  OrderManager om2(faults_, store_, logger2, clock_, ExitSettings{}, true);
  std::vector<TradeRecord> closed2;
  om2.SetOnTradeClosed([&](const TradeRecord& r) { closed2.push_back(r); });
  auto restored = om2.Restore([&](std::string_view s) { return faults_.GetSymbolInfo(s); });
  ASSERT_TRUE(restored.has_value()) << restored.error().ToString();
  EXPECT_EQ(*restored, 1);
  om2.Reconcile();
  ASSERT_TRUE(om2.active().contains(id));
  const Position& after = om2.active().at(id);
  EXPECT_EQ(after.state, PositionState::kOpen);
  EXPECT_EQ(after.remaining, before.remaining);
  EXPECT_EQ(after.stop, before.stop);
  EXPECT_EQ(after.initial_stop, before.initial_stop);
  EXPECT_EQ(after.trailing_active, before.trailing_active);
  ASSERT_EQ(after.legs.size(), before.legs.size());
  for (std::size_t k = 0; k < after.legs.size(); ++k) {
    EXPECT_EQ(after.legs[k].done, before.legs[k].done) << k;
    EXPECT_EQ(after.legs[k].filled, before.legs[k].filled) << k;
    if (before.legs[k].done) continue;
    EXPECT_EQ(after.legs[k].limit_id, before.legs[k].limit_id) << k;
    EXPECT_EQ(after.legs[k].stop_id, before.legs[k].stop_id) << k;
    EXPECT_EQ(after.legs[k].cover, Position::Cover::kLive) << k;
  }
  om2.ProcessEvents();
  EXPECT_EQ(spy_.sent.size(), sent);
  ExpectProtectedAndAccounted(&om2);

  // The trailing stop is hit: closed once, by the restored manager.
  Feed(Bar(kT0 + kHourMs, "41250", "41300", "40000", "40100"), 101, &om2);
  ASSERT_EQ(closed2.size(), 1u);
  EXPECT_EQ(closed2[0].id, id);
  EXPECT_EQ(closed2[0].exit_reason, ExitReason::kTrailingStop);
  ASSERT_EQ(closed2[0].exits.size(), 2u);
  EXPECT_EQ(closed2[0].exits[1].price, kTrail);
  EXPECT_EQ(closed2[0].exits[1].quantity, Dec("0.0201"));
  EXPECT_EQ(om2.ActiveCount(), 0);
  EXPECT_TRUE(OpenNow().empty());
  EXPECT_EQ(Total("BTC"), Decimal::Zero());
  Feed(Bar(kT0 + 2 * kHourMs, "40100", "45000", "30000", "40000"), 102, &om2);
  EXPECT_EQ(closed2.size(), 1u);
  EXPECT_EQ(spy_.sent.size(), sent);  // stops filled; nothing was sent
}

}  // namespace
}  // namespace osprey

namespace osprey {
namespace {

class LatencyFaultsTest : public OrderManagerFaultsTest {
 protected:
  static SimulatedExchangeOptions Options() {
    SimulatedExchangeOptions o;
    o.entry_latency_ms = 30 * kSecondMs;  // the buy fills at the next hour's open
    return o;
  }
  LatencyFaultsTest() : OrderManagerFaultsTest(Options()) {}
};

TEST_F(LatencyFaultsTest, OpenRiskCountsAPendingEntryAtItsPlanThenTheOpenPositionAtItsStop) {
  Prime("40000.01");
  EntryPlan plan;
  plan.symbol = "BTCUSDT";
  plan.quantity = Dec("0.03");
  plan.expected_price = Dec("40000");
  plan.stop_price = Dec("38800");
  auto id = om_.OpenPosition(plan);
  ASSERT_TRUE(id.has_value()) << id.error().ToString();
  om_.ProcessEvents();
  ASSERT_EQ(Pos(*id).state, PositionState::kPending);
  EXPECT_EQ(om_.OpenRisk(), Dec("36"));  // 0.03 x (40000 - 38800)
  Feed(Bar(kT0, "40000.01", "40050", "39990", "40020"), 100);
  const Position& p = Pos(*id);
  ASSERT_EQ(p.state, PositionState::kOpen);
  EXPECT_EQ(om_.OpenRisk(),
            Decimal::Mul(p.remaining, p.record.entry_price - p.stop, Rounding::kUp));
  EXPECT_TRUE(om_.OpenRisk().IsPositive());
  ExpectProtectedAndAccounted();
}

}  // namespace
}  // namespace osprey
