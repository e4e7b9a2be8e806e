// The owner's commands (pause, stop buying, resume, close a position, reset a breaker), the
// listener's events and the safe state of a failing store, on the engine driven hour by hour over
// hand-made candles against the simulated exchange, under the reference configuration.

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "config/settings_loader.hpp"
#include "engine/trading_engine.hpp"
#include "exchange/fault_injecting_exchange.hpp"
#include "exchange/simulated_exchange.hpp"
#include "market/history_market_data.hpp"
#include "trading/fault_injecting_trade_store.hpp"
#include "trading/memory_trade_store.hpp"

namespace osprey {
namespace {

const TimeMs kT0 = 1704067200000;  // 2024-01-01T00:00Z
const char* const kSymbol = "TESTUSDT";

TimeMs Hour(int h) { return kT0 + h * kHourMs; }

Candle C(int i, const char* o, const char* h, const char* l, const char* c) {
  return Candle{Hour(i), Dec(o), Dec(h), Dec(l), Dec(c), Dec("10")};
}

// Names every fresh symbol as a pump candidate at the chosen cycle times; counts the cycles it
// was asked in (an analysis that did not happen asks nobody).
class ScriptedAnalyst final : public Analyst {
 public:
  std::string_view Name() const override { return "scripted"; }
  std::span<const Question> Questions() const override { return AllQuestions().first(1); }
  std::size_t HistoryHours() const override { return 1; }
  void Ask(const AnalystRequest& request, std::span<const Question> questions,
           AnswerCallback done) override {
    ++asked;
    AnalystReport report{"scripted", {Answer{Question::kPumpCandidates, {}}}};
    if (signals.contains(request.snapshot->now)) {
      for (const auto& v : request.snapshot->symbols) {
        report.answers[0].coins.push_back({v.symbol, 1.0, {"scripted"}});
      }
    }
    DeliverInline(std::move(report), questions, done);
  }
  std::set<TimeMs> signals;
  int asked = 0;
};

struct Recorder final : public TradingListener {
  void OnTradeOpened(const TradeRecord& t) override { opened.push_back(t); }
  void OnPartialExit(const TradeRecord& t, const ExitFill& f) override {
    partial.push_back({t, f});
  }
  void OnTradeClosed(const TradeRecord& t) override { closed.push_back(t); }
  void OnProtectionPlaced(const TradeRecord& t, Decimal stop, Decimal quantity) override {
    protection.push_back({t.id, stop, quantity});
  }
  void OnBreaker(bool tripped, const RiskState& state) override {
    breakers.push_back({tripped, state.status});
  }
  void OnNoEdge(bool entered, double kelly) override { no_edge.push_back({entered, kelly}); }
  void OnHeartbeat(const Heartbeat& beat) override { beats.push_back(beat); }
  void OnAlert(AlertLevel level, std::string_view what) override {
    alerts.push_back({level, std::string(what)});
  }
  struct Partial {
    TradeRecord trade;
    ExitFill fill;
  };
  struct Protection {
    std::string trade_id;
    Decimal stop;
    Decimal quantity;
  };
  struct BreakerEvent {
    bool tripped;
    std::string status;
  };
  struct NoEdgeEvent {
    bool entered;
    double kelly;
  };
  struct AlertEvent {
    AlertLevel level;
    std::string what;
  };
  std::vector<TradeRecord> opened;
  std::vector<Partial> partial;
  std::vector<TradeRecord> closed;
  std::vector<Protection> protection;
  std::vector<BreakerEvent> breakers;
  std::vector<NoEdgeEvent> no_edge;
  std::vector<Heartbeat> beats;
  std::vector<AlertEvent> alerts;
};

class EngineCommands : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = LoadSettingsFile(OSPREY_SOURCE_DIR "/config/reference.toml");
    ASSERT_TRUE(s) << s.error().message;
    settings_ = *s;
    settings_.data.symbols = {kSymbol};
  }

  // Builds the engine over `candles` (hour i is candle i) on `store` (the memory store when
  // null) and starts it at the period's first instant.
  // With `faulty`, the engine talks to the simulated exchange through a fault injector.
  void Build(std::vector<Candle> candles, TradeStore* store = nullptr, bool faulty = false) {
    std::vector<CandleSeries> series;
    series.push_back(CandleSeries{kSymbol, kHourMs, std::move(candles), {}});
    auto m = HistoryMarketData::Create(clock_, std::move(series));
    ASSERT_TRUE(m) << m.error().message;
    market_.emplace(std::move(*m));
    exchange_ = std::make_unique<SimulatedExchange>(
        clock_, SimulatedExchangeOptionsFrom(settings_.exchange),
        std::vector<SymbolInfo>{SymbolInfo{kSymbol, "TEST", "USDT", {}, {}, {}, {}, {}}});
    exchange_->Deposit("USDT", settings_.capital.starting_capital);
    faults_ = std::make_unique<FaultInjectingExchange>(*exchange_);
    Exchange& venue = faulty ? static_cast<Exchange&>(*faults_) : *exchange_;
    engine_ = std::make_unique<TradingEngine>(settings_, clock_, *market_,
                                              std::vector<Analyst*>{&analyst_}, venue,
                                              store != nullptr ? *store : store_, logger_);
    engine_->SetListener(&listener_);
    engine_->SetCandleHook([this](std::string_view symbol, const Candle& c, std::int64_t i) {
      exchange_->OnCandle(symbol, c, i);
    });
    auto started = engine_->Start(settings_.capital.starting_capital);
    ASSERT_TRUE(started) << started.error().message;
  }

  // The hourly run at the close of candle h - 1.
  void RunHour(int h) {
    clock_.AdvanceTo(Hour(h));
    engine_->OnHour(Hour(h));
  }

  Result<void> Command(EngineCommand::Kind kind, std::string trade_id = {}) {
    EngineCommand c;
    c.kind = kind;
    c.trade_id = std::move(trade_id);
    c.reason = "test";
    return engine_->Execute(c);
  }

  // Sum of the open STOP_LOSS orders' unfilled quantity of `symbol` on the exchange.
  Decimal StopQuantityOnExchange() {
    auto open = exchange_->OpenOrders(kSymbol);
    EXPECT_TRUE(open);
    Decimal q;
    for (const OrderState& o : *open) {
      if (o.request.type == OrderType::kStopLoss) q += o.request.quantity - o.executed_quantity;
    }
    return q;
  }

  std::string OnlyActiveId() {
    EXPECT_EQ(engine_->orders().ActiveCount(), 1);
    return engine_->orders().active().empty() ? "" : engine_->orders().active().begin()->first;
  }

  std::vector<std::string> Actions() const {
    std::vector<std::string> out;
    for (const Decision& d : engine_->decisions()) out.push_back(d.action);
    return out;
  }

  Settings settings_;
  SimulatedClock clock_{kT0};
  std::optional<HistoryMarketData> market_;
  std::unique_ptr<SimulatedExchange> exchange_;
  std::unique_ptr<FaultInjectingExchange> faults_;
  MemoryTradeStore store_;
  NullLogger logger_;
  ScriptedAnalyst analyst_;
  Recorder listener_;
  std::unique_ptr<TradingEngine> engine_;
};

// Entry at the close of candle 0 (price 100): 20 bought, SL 97, TP 103 / 105 / 108.
std::vector<Candle> TakeProfitPath() {
  return {C(0, "100", "100", "100", "100"),   C(1, "100", "101", "99", "100"),
          C(2, "100", "103.5", "99", "103"),  C(3, "103", "104", "102", "103.5"),
          C(4, "103.5", "109", "103", "108"), C(5, "108", "108", "108", "108")};
}

TEST_F(EngineCommands, PauseStopsAnalysisAndEntriesWhilePositionsStayMonitoredAndProtected) {
  analyst_.signals = {Hour(1), Hour(3), Hour(4), Hour(6)};
  Build(TakeProfitPath());
  RunHour(1);
  const std::string id = OnlyActiveId();
  ASSERT_TRUE(Command(EngineCommand::Kind::kPause));
  EXPECT_TRUE(engine_->paused());
  auto saved = store_.LoadState("engine.paused");
  ASSERT_TRUE(saved && saved->has_value());
  EXPECT_EQ(**saved, "1");
  const int asked = analyst_.asked;
  const std::size_t decisions = engine_->decisions().size();

  RunHour(2);
  RunHour(3);  // candle 2 reaches TP1 while paused; a signal is due at this hour
  EXPECT_EQ(analyst_.asked, asked) << "no analysis while paused";
  EXPECT_EQ(engine_->decisions().size(), decisions) << "no entry, no rejection while paused";
  ASSERT_EQ(listener_.partial.size(), 1u) << "the position is still monitored";
  EXPECT_EQ(listener_.partial[0].fill.reason, ExitReason::kTakeProfit1);
  const Position& p = engine_->orders().active().at(id);
  EXPECT_EQ(p.remaining, Dec("13.4"));
  EXPECT_EQ(StopQuantityOnExchange(), p.remaining) << "what is left is still protected";
  engine_->OnHeartbeat(Hour(3));
  ASSERT_FALSE(listener_.beats.empty());
  EXPECT_NE(listener_.beats.back().status.find("PAUSED"), std::string::npos);

  ASSERT_TRUE(Command(EngineCommand::Kind::kResume));
  EXPECT_FALSE(engine_->paused());
  saved = store_.LoadState("engine.paused");
  ASSERT_TRUE(saved && saved->has_value());
  EXPECT_EQ(**saved, "0");
  RunHour(4);
  EXPECT_EQ(analyst_.asked, asked + 1) << "analysis resumes";
  // Holding the symbol at max 1 position: the pick is seen and refused, not silently dropped.
  EXPECT_EQ(engine_->decisions().size(), decisions + 1);
}

TEST_F(EngineCommands, StopBuyingRefusesPicksWhileAnalysisGoesOnAndResumeLiftsIt) {
  analyst_.signals = {Hour(1), Hour(2)};
  Build({C(0, "100", "100", "100", "100"), C(1, "100", "100.5", "99.5", "100"),
         C(2, "100", "100.5", "99.5", "100")});
  ASSERT_TRUE(Command(EngineCommand::Kind::kStopBuying));
  EXPECT_TRUE(engine_->buying_stopped());
  RunHour(1);
  EXPECT_EQ(analyst_.asked, 1) << "analysis goes on";
  EXPECT_EQ(Actions(), std::vector<std::string>{"BUYING_STOPPED"});
  EXPECT_EQ(engine_->orders().ActiveCount(), 0);
  auto open = exchange_->OpenOrders("");
  ASSERT_TRUE(open);
  EXPECT_TRUE(open->empty());
  ASSERT_EQ(store_.rejections().size(), 1u);
  EXPECT_EQ(store_.rejections()[0].reason_code, "BUYING_STOPPED");
  engine_->OnHeartbeat(Hour(1));
  EXPECT_NE(listener_.beats.back().status.find("NOT_BUYING"), std::string::npos);

  ASSERT_TRUE(Command(EngineCommand::Kind::kResume));
  EXPECT_FALSE(engine_->buying_stopped());
  RunHour(2);
  EXPECT_EQ(Actions(), (std::vector<std::string>{"BUYING_STOPPED", "BUY"}));
  EXPECT_EQ(engine_->orders().ActiveCount(), 1);
}

TEST_F(EngineCommands, ClosePositionSellsAtMarketAndClosesTheTradeOnce) {
  analyst_.signals = {Hour(1)};
  Build({C(0, "100", "100", "100", "100"), C(1, "100", "100.5", "99.5", "100"),
         C(2, "100", "100.5", "99.5", "100")});
  RunHour(1);
  RunHour(2);
  const std::string id = OnlyActiveId();
  auto unknown = Command(EngineCommand::Kind::kClosePosition, "NOSUCH-1");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(engine_->orders().ActiveCount(), 1) << "an unknown id touches nothing";

  ASSERT_TRUE(Command(EngineCommand::Kind::kClosePosition, id));
  EXPECT_EQ(engine_->orders().ActiveCount(), 0);
  ASSERT_EQ(engine_->closed_trades().size(), 1u);
  const TradeRecord& t = engine_->closed_trades()[0];
  EXPECT_EQ(t.id, id);
  Decimal sold;
  for (const ExitFill& e : t.exits) sold += e.quantity;
  EXPECT_EQ(sold, Dec("20"));
  EXPECT_EQ(t.exit_price, Dec("100"));  // the last close: a market sell
  EXPECT_EQ(t.pnl, Dec("-4"));          // 1998 in (fee 2) - 2002 out (fee 2)
  ASSERT_EQ(listener_.closed.size(), 1u);
  EXPECT_EQ(listener_.closed[0].pnl, t.pnl);
  auto base = exchange_->TotalBalance("TEST");
  ASSERT_TRUE(base);
  EXPECT_EQ(*base, Decimal());
  auto open = exchange_->OpenOrders("");
  ASSERT_TRUE(open);
  EXPECT_TRUE(open->empty()) << "the protection was cancelled";
  auto stored = store_.LoadTrades();
  ASSERT_TRUE(stored);
  ASSERT_EQ(stored->size(), 1u);
  EXPECT_EQ((*stored)[0].status, TradeStatus::kClosed);
  // Closing it again: it is no longer open.
  auto again = Command(EngineCommand::Kind::kClosePosition, id);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kNotFound);
  RunHour(3);
  EXPECT_EQ(engine_->closed_trades().size(), 1u);
  EXPECT_EQ(listener_.closed.size(), 1u);
}

TEST_F(EngineCommands, ResetBreakerClearsATrippedBreakerAndSavesIt) {
  settings_.breakers.max_consecutive_losses = 1;
  settings_.breakers.consecutive_loss_pause_hours = 1000;
  analyst_.signals = {Hour(1), Hour(3), Hour(4)};
  Build({C(0, "100", "100", "100", "100"), C(1, "100", "100.5", "96", "97"),
         C(2, "97", "97.5", "96.5", "97"), C(3, "97", "97.5", "96.5", "97"),
         C(4, "97", "97.5", "96.5", "97")});
  RunHour(1);
  RunHour(2);  // the stop sells at 97: a loss
  ASSERT_EQ(engine_->closed_trades().size(), 1u);
  EXPECT_TRUE(engine_->breakers().Halted());
  ASSERT_FALSE(listener_.breakers.empty());
  EXPECT_TRUE(listener_.breakers.back().tripped);
  EXPECT_EQ(listener_.breakers.back().status, "HALTED");
  RunHour(3);
  EXPECT_EQ(Actions().back(), "CIRCUIT_BREAKER");

  ASSERT_TRUE(Command(EngineCommand::Kind::kResetBreaker));
  EXPECT_FALSE(engine_->breakers().Halted());
  auto saved = store_.LoadRiskState();
  ASSERT_TRUE(saved && saved->has_value());
  EXPECT_EQ((*saved)->status, "ACTIVE");
  EXPECT_EQ((*saved)->consecutive_losses, 0);
  EXPECT_FALSE(listener_.breakers.back().tripped);
  EXPECT_EQ(listener_.breakers.back().status, "ACTIVE");
  RunHour(4);
  EXPECT_EQ(Actions().back(), "BUY");
}

TEST_F(EngineCommands, TheListenerHearsOpenProtectionPartialExitsCloseAndHeartbeat) {
  analyst_.signals = {Hour(1)};
  Build(TakeProfitPath());
  for (int h = 1; h <= 6; ++h) RunHour(h);
  engine_->OnHeartbeat(Hour(6));
  ASSERT_EQ(listener_.opened.size(), 1u);
  const std::string id = listener_.opened[0].id;
  EXPECT_EQ(listener_.opened[0].quantity, Dec("20"));
  EXPECT_EQ(listener_.opened[0].entry_price, Dec("100"));
  ASSERT_GE(listener_.protection.size(), 3u);  // one OCO per tranche, then each stop move
  for (std::size_t k = 0; k < 3; ++k) {
    EXPECT_EQ(listener_.protection[k].trade_id, id);
    EXPECT_EQ(listener_.protection[k].stop, Dec("97"));
  }
  EXPECT_EQ(listener_.protection[0].quantity + listener_.protection[1].quantity +
                listener_.protection[2].quantity,
            Dec("20"));
  ASSERT_EQ(listener_.partial.size(), 2u);
  EXPECT_EQ(listener_.partial[0].fill.reason, ExitReason::kTakeProfit1);
  EXPECT_EQ(listener_.partial[1].fill.reason, ExitReason::kTakeProfit2);
  ASSERT_EQ(listener_.closed.size(), 1u);
  EXPECT_EQ(listener_.closed[0].id, id);
  EXPECT_EQ(listener_.closed[0].status, TradeStatus::kClosed);
  ASSERT_EQ(engine_->closed_trades().size(), 1u);
  EXPECT_EQ(listener_.closed[0].pnl, engine_->closed_trades()[0].pnl);
  EXPECT_TRUE(listener_.closed[0].pnl.IsPositive());
  ASSERT_EQ(listener_.beats.size(), 1u);
  EXPECT_EQ(listener_.beats[0].time, Hour(6));
  EXPECT_EQ(listener_.beats[0].open_positions, 0);
  EXPECT_EQ(listener_.beats[0].status, "ACTIVE");
  EXPECT_EQ(listener_.beats[0].equity, Dec("10000") + listener_.closed[0].pnl);
  EXPECT_TRUE(listener_.alerts.empty());
}

TEST_F(EngineCommands, TheListenerHearsEnteringNoEdge) {
  // One pseudo-trade of prior: a single loss of about 1 R takes the Kelly fraction below zero.
  settings_.risk.edge_prior_trades = 1;
  settings_.risk.sizing = SizingMode::kKelly;
  analyst_.signals = {Hour(1), Hour(3)};
  Build({C(0, "100", "100", "100", "100"), C(1, "100", "100.5", "96", "97"),
         C(2, "97", "97.5", "96.5", "97"), C(3, "97", "97.5", "96.5", "97")});
  RunHour(1);
  RunHour(2);
  ASSERT_EQ(engine_->closed_trades().size(), 1u);
  ASSERT_EQ(listener_.no_edge.size(), 1u);
  EXPECT_TRUE(listener_.no_edge[0].entered);
  EXPECT_LE(listener_.no_edge[0].kelly, 0.0);
  EXPECT_TRUE(engine_->edge().NoEdge());
  RunHour(3);
  EXPECT_EQ(Actions().back(), "NO_EDGE");
  EXPECT_EQ(engine_->shadows().size(), 1u);
}

TEST_F(EngineCommands, ACoverWhoseAckWasLostStillFollowsTheTrailingStop) {
  analyst_.signals = {Hour(1)};
  Build(TakeProfitPath(), nullptr, true);
  // The OCO of tranche 2 is placed but its answer is lost; a query finds it open.
  FaultRule lost;
  lost.call = ExchangeCall::kPlaceOco;
  lost.fault = Fault::kTimeoutAfterApplying;
  lost.match = [](const ExchangeCallInfo& info) { return info.client_order_id.ends_with("-2g0"); };
  faults_->Inject(lost);
  RunHour(1);
  ASSERT_EQ(faults_->faults_injected(), 1);
  const std::string id = OnlyActiveId();
  EXPECT_EQ(StopQuantityOnExchange(), Dec("20"));
  RunHour(2);
  RunHour(3);  // TP1 at 103 in candle 2; the stop trails from candle 3 (high 104): 101.92
  RunHour(4);
  const Position& p = engine_->orders().active().at(id);
  EXPECT_EQ(p.stop, Dec("101.92"));
  auto open = exchange_->OpenOrders(kSymbol);
  ASSERT_TRUE(open);
  Decimal covered;
  for (const OrderState& o : *open) {
    if (o.request.type != OrderType::kStopLoss) continue;
    EXPECT_EQ(o.request.stop_price, p.stop) << o.request.client_order_id;
    covered += o.request.quantity;
  }
  EXPECT_EQ(covered, p.remaining);
}

// ---- the safe state of a failing store ----

TEST_F(EngineCommands, AFailingStoreSendsNoOrderAlertsAndRefusesPicksUntilItHeals) {
  FaultInjectingTradeStore faulty(store_);
  analyst_.signals = {Hour(2), Hour(3), Hour(4)};
  Build({C(0, "100", "100", "100", "100"), C(1, "100", "100.5", "99.5", "100"),
         C(2, "100", "100.5", "99.5", "100"), C(3, "100", "100.5", "99.5", "100"),
         C(4, "100", "100.5", "99.5", "100")},
        &faulty);
  RunHour(1);
  faulty.FailWrites();
  RunHour(2);  // a pick arrives while every write fails
  EXPECT_EQ(Actions(), std::vector<std::string>{"SAFE_STATE"});
  EXPECT_EQ(engine_->orders().ActiveCount(), 0);
  EXPECT_TRUE(engine_->orders().JournalFailed());
  auto open = exchange_->OpenOrders("");
  ASSERT_TRUE(open);
  EXPECT_TRUE(open->empty());
  auto q = exchange_->QueryOrder(
      kSymbol, std::string(kSymbol) + "-" + std::to_string(Hour(2) / 1000) + "-e");
  ASSERT_FALSE(q);
  EXPECT_EQ(q.error().code, ErrorCode::kNotFound) << "the exchange never saw the entry";
  auto cash = exchange_->TotalBalance("USDT");
  ASSERT_TRUE(cash);
  EXPECT_EQ(*cash, Dec("10000"));
  ASSERT_FALSE(listener_.alerts.empty());
  EXPECT_EQ(listener_.alerts[0].level, AlertLevel::kCritical);
  EXPECT_NE(listener_.alerts[0].what.find("safe state"), std::string::npos)
      << listener_.alerts[0].what;
  engine_->OnHeartbeat(Hour(2));
  EXPECT_NE(listener_.beats.back().status.find("SAFE"), std::string::npos);

  RunHour(3);  // still failing: refused again, nothing sent
  EXPECT_EQ(Actions(), (std::vector<std::string>{"SAFE_STATE", "SAFE_STATE"}));
  open = exchange_->OpenOrders("");
  ASSERT_TRUE(open);
  EXPECT_TRUE(open->empty());

  faulty.Heal();
  RunHour(4);  // the store works again: the next pick is bought
  EXPECT_EQ(Actions(), (std::vector<std::string>{"SAFE_STATE", "SAFE_STATE", "BUY"}));
  EXPECT_EQ(engine_->orders().ActiveCount(), 1);
  EXPECT_FALSE(engine_->orders().JournalFailed());
  EXPECT_EQ(StopQuantityOnExchange(), Dec("20"));
}

}  // namespace
}  // namespace osprey
