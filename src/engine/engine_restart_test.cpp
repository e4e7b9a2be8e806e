// A restart forgets no position and sends no order twice: two engine lifetimes share one
// simulated exchange and one store's contents. Engine A opens positions (one OPEN with its
// protective OCOs on the exchange after a partial exit, one entry still in flight), is paused,
// and "crashes" (engine and store object destroyed); engine B starts on a store reopened with the
// same contents and carries the positions to their close.
//
// engine_test does not link the SQLite adapter (the engine sees only the TradeStore port), so the
// store here is the in-memory one, copied into a fresh object as a file would be reopened; the
// same restart over a real SQLite file is in src/app/realtime_engine_test.cpp.

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "config/settings_loader.hpp"
#include "engine/trading_engine.hpp"
#include "exchange/exchange_wrapper.hpp"
#include "exchange/simulated_exchange.hpp"
#include "market/history_market_data.hpp"
#include "trading/memory_trade_store.hpp"

namespace osprey {
namespace {

const TimeMs kT0 = 1704067200000;  // 2024-01-01T00:00Z

TimeMs Hour(int h) { return kT0 + h * kHourMs; }

Candle C(int i, const char* o, const char* h, const char* l, const char* c) {
  return Candle{Hour(i), Dec(o), Dec(h), Dec(l), Dec(c), Dec("10")};
}

// Names one chosen symbol at each chosen cycle time; counts the cycles it was asked in.
class ScriptedAnalyst final : public Analyst {
 public:
  std::string_view Name() const override { return "scripted"; }
  std::span<const Question> Questions() const override { return AllQuestions().first(1); }
  std::size_t HistoryHours() const override { return 1; }
  void Ask(const AnalystRequest& request, std::span<const Question> questions,
           AnswerCallback done) override {
    ++asked;
    AnalystReport report{"scripted", {Answer{Question::kPumpCandidates, {}}}};
    if (auto it = signals.find(request.snapshot->now); it != signals.end()) {
      report.answers[0].coins.push_back({it->second, 1.0, {"scripted"}});
    }
    DeliverInline(std::move(report), questions, done);
  }
  std::map<TimeMs, std::string> signals;
  int asked = 0;
};

// Records every order request that reaches the exchange (client ids, OCO legs included).
class SpyExchange final : public ExchangeWrapper {
 public:
  using ExchangeWrapper::ExchangeWrapper;
  OrderAck PlaceOrder(const OrderRequest& request) override {
    sent.push_back(request.client_order_id);
    return ExchangeWrapper::PlaceOrder(request);
  }
  OrderAck PlaceOco(const OcoRequest& request) override {
    sent.push_back(request.limit_client_id);
    sent.push_back(request.stop_client_id);
    return ExchangeWrapper::PlaceOco(request);
  }
  std::vector<std::string> sent;
};

std::set<std::string> OpenOnExchange(Exchange& exchange) {
  auto open = exchange.OpenOrders("");
  EXPECT_TRUE(open);
  std::set<std::string> ids;
  if (open) {
    for (const OrderState& o : *open) ids.insert(o.request.client_order_id);
  }
  return ids;
}

std::set<std::string> TrackedOpen(const TradingEngine& engine) {
  std::set<std::string> ids;
  for (const auto& [id, o] : engine.orders().orders()) {
    if (!IsTerminal(o.status)) ids.insert(id);
  }
  return ids;
}

void ExpectSameRisk(const RiskState& a, const RiskState& b) {
  EXPECT_EQ(a.status, b.status);
  EXPECT_EQ(a.halt_reason, b.halt_reason);
  EXPECT_EQ(a.halted_until, b.halted_until);
  EXPECT_EQ(a.consecutive_losses, b.consecutive_losses);
  EXPECT_EQ(a.day_start, b.day_start);
  EXPECT_EQ(a.day_start_equity, b.day_start_equity);
  EXPECT_EQ(a.day_realized_loss, b.day_realized_loss);
  EXPECT_EQ(a.equity_peak, b.equity_peak);
}

class EngineRestart : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = LoadSettingsFile(OSPREY_SOURCE_DIR "/config/reference.toml");
    ASSERT_TRUE(s) << s.error().message;
    settings_ = *s;
    settings_.data.symbols = {"TESTUSDT", "OTHRUSDT"};
    settings_.positions.max_concurrent_positions = 2;
    settings_.exchange.entry_latency_seconds = 1;  // a market entry fills at the next bar's open
    settings_.breakers.max_consecutive_losses = 3;

    // TESTUSDT: trade 1 (signal h1, fills at candle 1's open 100) stops out at 97 in candle 2;
    // trade 2 (signal h3, fills at candle 3's open 97: SL 94.09, TP 99.91 / 101.85 / 104.76)
    // sells TP1 in candle 4; then TP2 in candle 5 and the rest at the trailing stop in candle 6.
    std::vector<Candle> test = {
        C(0, "100", "100", "100", "100"),   C(1, "100", "100.5", "99.5", "100"),
        C(2, "100", "100.5", "96", "97"),   C(3, "97", "98", "96.5", "98"),
        C(4, "98", "100.5", "97.5", "100"), C(5, "100", "102", "99.5", "101.5"),
        C(6, "101.5", "101.6", "90", "91"), C(7, "91", "91", "91", "91")};
    // OTHRUSDT: trade 3 (signal h5, in flight at the crash) fills at candle 5's open 50 and
    // stops out at 48.5 in candle 6.
    std::vector<Candle> other = {
        C(0, "50", "50", "50", "50"),     C(1, "50", "50", "50", "50"),
        C(2, "50", "50", "50", "50"),     C(3, "50", "50", "50", "50"),
        C(4, "50", "50", "50", "50"),     C(5, "50", "50.5", "49.8", "50.2"),
        C(6, "50.2", "50.3", "40", "41"), C(7, "41", "41", "41", "41")};
    std::vector<CandleSeries> series;
    series.push_back(CandleSeries{"TESTUSDT", kHourMs, std::move(test), {}});
    series.push_back(CandleSeries{"OTHRUSDT", kHourMs, std::move(other), {}});
    auto m = HistoryMarketData::Create(clock_, std::move(series));
    ASSERT_TRUE(m) << m.error().message;
    market_.emplace(std::move(*m));
    sim_ = std::make_unique<SimulatedExchange>(
        clock_, SimulatedExchangeOptionsFrom(settings_.exchange),
        std::vector<SymbolInfo>{SymbolInfo{"TESTUSDT", "TEST", "USDT", {}, {}, {}, {}, {}},
                                SymbolInfo{"OTHRUSDT", "OTHR", "USDT", {}, {}, {}, {}, {}}});
    sim_->Deposit("USDT", settings_.capital.starting_capital);
    spy_ = std::make_unique<SpyExchange>(*sim_);
    analyst_.signals = {{Hour(1), "TESTUSDT"},
                        {Hour(3), "TESTUSDT"},
                        {Hour(5), "OTHRUSDT"},
                        {Hour(6), "TESTUSDT"},
                        {Hour(7), "OTHRUSDT"}};
  }

  std::unique_ptr<TradingEngine> StartEngine(TradeStore& store) {
    auto engine = std::make_unique<TradingEngine>(
        settings_, clock_, *market_, std::vector<Analyst*>{&analyst_}, *spy_, store, logger_);
    engine->SetCandleHook([this](std::string_view symbol, const Candle& c, std::int64_t i) {
      sim_->OnCandle(symbol, c, i);
    });
    auto started = engine->Start(settings_.capital.starting_capital);
    EXPECT_TRUE(started) << started.error().message;
    return engine;
  }

  void RunHour(TradingEngine& engine, int h) {
    clock_.AdvanceTo(Hour(h));
    engine.OnHour(Hour(h));
  }

  Settings settings_;
  SimulatedClock clock_{kT0};
  std::optional<HistoryMarketData> market_;
  std::unique_ptr<SimulatedExchange> sim_;
  std::unique_ptr<SpyExchange> spy_;
  NullLogger logger_;
  ScriptedAnalyst analyst_;
};

TEST_F(EngineRestart, NoPositionIsForgottenAndNoOrderIsSentTwice) {
  auto store_a = std::make_unique<MemoryTradeStore>();
  auto a = StartEngine(*store_a);
  for (int h = 1; h <= 5; ++h) RunHour(*a, h);
  EngineCommand pause;
  pause.kind = EngineCommand::Kind::kPause;
  ASSERT_TRUE(a->Execute(pause));

  // What A leaves behind: trade 1 closed at a loss, trade 2 OPEN after TP1 with two OCO pairs,
  // trade 3's market entry on the exchange, not yet filled.
  ASSERT_EQ(a->closed_trades().size(), 1u);
  ASSERT_EQ(a->orders().ActiveCount(), 2);
  std::map<std::string, Position> open_in_a = a->orders().active();
  int open_count = 0;
  int pending_count = 0;
  for (const auto& [id, p] : open_in_a) {
    if (p.state == PositionState::kOpen) {
      ++open_count;
      EXPECT_EQ(p.record.exits.size(), 1u);
      EXPECT_TRUE(p.remaining.IsPositive());
    } else {
      EXPECT_EQ(p.state, PositionState::kPending);
      ++pending_count;
    }
  }
  ASSERT_EQ(open_count, 1);
  ASSERT_EQ(pending_count, 1);
  const std::set<std::string> open_orders = OpenOnExchange(*sim_);
  EXPECT_EQ(open_orders.size(), 5u);  // two OCO pairs and the entry in flight
  EXPECT_EQ(TrackedOpen(*a), open_orders);
  const EdgeState edge_a = a->edge().state();
  ASSERT_EQ(edge_a.r_multiples.size(), 1u);
  const RiskState risk_a = a->breakers().state();
  EXPECT_EQ(risk_a.consecutive_losses, 1);
  const std::vector<TradeRecord> closed_a = a->closed_trades();

  // The crash: the engine and the store object go; the store's contents are reopened.
  a.reset();
  MemoryTradeStore saved = *store_a;
  store_a.reset();
  auto store_b = std::make_unique<MemoryTradeStore>(std::move(saved));
  const std::size_t sent_before = spy_->sent.size();
  auto b = StartEngine(*store_b);

  EXPECT_EQ(b->restored_positions(), 2);
  EXPECT_EQ(spy_->sent.size(), sent_before) << "Start sent no order";
  EXPECT_EQ(OpenOnExchange(*sim_), open_orders);
  EXPECT_EQ(TrackedOpen(*b), open_orders);
  ASSERT_EQ(b->orders().active().size(), open_in_a.size());
  for (const auto& [id, p] : open_in_a) {
    auto it = b->orders().active().find(id);
    ASSERT_NE(it, b->orders().active().end()) << id;
    const Position& q = it->second;
    EXPECT_EQ(q.state, p.state) << id;
    EXPECT_EQ(q.record.symbol, p.record.symbol);
    if (p.state != PositionState::kOpen) continue;
    EXPECT_EQ(q.remaining, p.remaining);
    EXPECT_EQ(q.stop, p.stop);
    EXPECT_EQ(q.record.quantity, p.record.quantity);
    EXPECT_EQ(q.record.entry_price, p.record.entry_price);
    ASSERT_EQ(q.record.exits.size(), p.record.exits.size());
    for (std::size_t k = 0; k < p.record.exits.size(); ++k) {
      EXPECT_EQ(q.record.exits[k].price, p.record.exits[k].price) << k;
      EXPECT_EQ(q.record.exits[k].quantity, p.record.exits[k].quantity) << k;
      EXPECT_EQ(q.record.exits[k].fee, p.record.exits[k].fee) << k;
      EXPECT_EQ(q.record.exits[k].reason, p.record.exits[k].reason) << k;
      EXPECT_EQ(q.record.exits[k].time, p.record.exits[k].time) << k;
    }
    EXPECT_EQ(q.cash_out, p.cash_out);
    EXPECT_EQ(q.cash_in, p.cash_in);
    EXPECT_EQ(q.trailing_active, p.trailing_active);
    ASSERT_EQ(q.legs.size(), p.legs.size());
    for (std::size_t k = 0; k < p.legs.size(); ++k) {
      EXPECT_EQ(q.legs[k].done, p.legs[k].done) << k;
      EXPECT_EQ(q.legs[k].filled, p.legs[k].filled) << k;
      if (p.legs[k].done) continue;  // a finished tranche has no cover to find again
      EXPECT_EQ(q.legs[k].cover, p.legs[k].cover) << k;
      EXPECT_EQ(q.legs[k].limit_id, p.legs[k].limit_id) << k;
      EXPECT_EQ(q.legs[k].stop_id, p.legs[k].stop_id) << k;
    }
  }
  EXPECT_EQ(b->edge().state(), edge_a);
  ExpectSameRisk(b->breakers().state(), risk_a);
  EXPECT_TRUE(b->paused()) << "the pause set by A is still in force";

  const int asked = analyst_.asked;
  for (int h = 6; h <= 8; ++h) RunHour(*b, h);
  EXPECT_EQ(analyst_.asked, asked) << "paused: B analyses nothing";
  EXPECT_EQ(b->orders().ActiveCount(), 0);
  EXPECT_TRUE(OpenOnExchange(*sim_).empty());

  // Each trade closed exactly once, across both lifetimes, and sold what it bought.
  std::vector<TradeRecord> closed = closed_a;
  closed.insert(closed.end(), b->closed_trades().begin(), b->closed_trades().end());
  ASSERT_EQ(closed.size(), 3u);
  std::set<std::string> ids;
  for (const TradeRecord& t : closed) {
    EXPECT_TRUE(ids.insert(t.id).second) << t.id << " closed twice";
    Decimal sold;
    for (const ExitFill& e : t.exits) sold += e.quantity;
    EXPECT_EQ(sold, t.net_quantity) << t.id;
  }
  auto stored = store_b->LoadTrades();
  ASSERT_TRUE(stored);
  ASSERT_EQ(stored->size(), 3u);
  for (const TradeRecord& t : *stored) {
    EXPECT_EQ(t.status, TradeStatus::kClosed) << t.id;
    EXPECT_TRUE(ids.contains(t.id)) << t.id;
  }
  std::map<std::string, int> closed_events;
  for (const PositionEvent& e : store_b->events()) {
    if (e.event == "CLOSED") ++closed_events[e.trade_id];
  }
  for (const std::string& id : ids) EXPECT_EQ(closed_events[id], 1) << id;
  // No client id was ever sent twice, and the account holds nothing the trades do not explain.
  std::set<std::string> unique(spy_->sent.begin(), spy_->sent.end());
  EXPECT_EQ(unique.size(), spy_->sent.size());
  for (const char* asset : {"TEST", "OTHR"}) {
    auto held = sim_->TotalBalance(asset);
    ASSERT_TRUE(held);
    EXPECT_EQ(*held, Decimal()) << asset;
  }
  Decimal pnl;
  for (const TradeRecord& t : closed) pnl += t.pnl;
  auto cash = sim_->TotalBalance("USDT");
  ASSERT_TRUE(cash);
  EXPECT_EQ(*cash, settings_.capital.starting_capital + pnl);
}

TEST_F(EngineRestart, ResumingAfterTheRestartTradesAgain) {
  MemoryTradeStore store;
  {
    auto a = StartEngine(store);
    RunHour(*a, 1);
    EngineCommand pause;
    pause.kind = EngineCommand::Kind::kPause;
    ASSERT_TRUE(a->Execute(pause));
  }
  auto b = StartEngine(store);
  EXPECT_TRUE(b->paused());
  EngineCommand resume;
  resume.kind = EngineCommand::Kind::kResume;
  ASSERT_TRUE(b->Execute(resume));
  for (int h = 2; h <= 3; ++h) RunHour(*b, h);
  // Trade 1 stopped out in candle 2; the signal at h3 is bought again.
  ASSERT_EQ(b->closed_trades().size(), 1u);
  ASSERT_FALSE(b->decisions().empty());
  EXPECT_EQ(b->decisions().back().action, "BUY");
  EXPECT_EQ(b->decisions().back().time, Hour(3));
}

}  // namespace
}  // namespace osprey
