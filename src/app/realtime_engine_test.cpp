// The engine on the real-time scheduler: the live wiring (hourly run, minute monitor, heartbeat)
// on an accelerated clock, against the simulated exchange with partial fills, entry latency,
// expiries and rejects (rate limits, lost acknowledgements), journaling to a SQLite file, over
// about three simulated days of shipped BTCUSDT / ETHUSDT hours (volumes replaced so that the
// participation limit binds) with a scripted analyst that signals often. Halfway the process
// "crashes" (engine and store destroyed) and a second engine restarts on the reopened file.
// What is checked are values and invariants, never durations: every OPEN position protected,
// every open order accounted for, every journal row final or equal to the exchange's, balances
// equal to what the trades say.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "config/settings_loader.hpp"
#include "engine/trading_engine.hpp"
#include "engine/trading_schedule.hpp"
#include "exchange/exchange_wrapper.hpp"
#include "exchange/fault_injecting_exchange.hpp"
#include "exchange/simulated_exchange.hpp"
#include "market/candle_file.hpp"
#include "market/history_market_data.hpp"
#include "realtime/accelerated_clock.hpp"
#include "realtime/realtime_scheduler.hpp"
#include "store/sqlite_trade_store.hpp"

namespace osprey {
namespace {

// One simulated hour passes in 50 ms of steady time.
constexpr std::int64_t kFactor = 72000;
constexpr int kHoursPerLifetime = 32;
const TimeMs kOrigin = 1645488000000;  // 2022-02-22T00:00Z

// Names every fresh symbol at every cycle.
class ScriptedAnalyst final : public Analyst {
 public:
  std::string_view Name() const override { return "scripted"; }
  std::span<const Question> Questions() const override { return AllQuestions().first(1); }
  std::size_t HistoryHours() const override { return 1; }
  void Ask(const AnalystRequest& request, std::span<const Question> questions,
           AnswerCallback done) override {
    ++asked;
    AnalystReport report{"scripted", {Answer{Question::kPumpCandidates, {}}}};
    for (const auto& v : request.snapshot->symbols) {
      report.answers[0].coins.push_back({v.symbol, 1.0, {"scripted"}});
    }
    DeliverInline(std::move(report), questions, done);
  }
  int asked = 0;
};

// Records every order request the engine sends (client ids, OCO legs included).
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

struct Counter final : public TradingListener {
  void OnHeartbeat(const Heartbeat&) override { ++beats; }
  void OnTradeOpened(const TradeRecord&) override { ++opened; }
  int beats = 0;
  int opened = 0;
};

// A predicate true on every n-th call it sees.
std::function<bool(const ExchangeCallInfo&)> Every(int n) {
  return
      [count = std::make_shared<int>(0), n](const ExchangeCallInfo&) { return ++*count % n == 0; };
}

class RealtimeEngine : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = LoadSettingsFile(OSPREY_SOURCE_DIR "/config/reference.toml");
    ASSERT_TRUE(s) << s.error().message;
    settings_ = *s;
    settings_.data.symbols = {"BTCUSDT", "ETHUSDT"};
    settings_.positions.max_concurrent_positions = 2;
    settings_.exchange.gap_fill = GapFill::kOpen;
    settings_.exchange.take_profit_fill = TakeProfitFillRule::kThrough;
    settings_.exchange.reject_immediate_trigger = true;
    settings_.exchange.slippage_percent = Dec("0.05");
    settings_.exchange.entry_latency_seconds = 30;  // entries fill at the next hour's open
    settings_.exits.trailing_below_last_price = true;
    // Tight exits, so that three days hold many trades.
    settings_.exits.stop_loss_percent = Dec("1.5");
    settings_.exits.trailing_stop_percent = Dec("1");
    settings_.exits.take_profit_percents = {Dec("1.5"), Dec("2.5"), Dec("4")};
    settings_.timing.position_check_seconds = 600;
    settings_.timing.heartbeat_interval_seconds = 3600;
    // Volumes are replaced (below) so that 0.001% of a bar is a little less than an entry of
    // 20% of the equity: entries fill partly, and every later sell fits into one bar.
    settings_.exchange.volume_participation_percent = Dec("0.001");
    const std::map<std::string, const char*> volume = {{"BTCUSDT", "3000"}, {"ETHUSDT", "60000"}};
    for (const std::string& symbol : settings_.data.symbols) {
      auto loaded = LoadCandleFile(OSPREY_SOURCE_DIR "/data/klines/1h/" + symbol + ".csv.gz",
                                   symbol, kHourMs);
      ASSERT_TRUE(loaded) << loaded.error().message;
      CandleSeries cut{symbol, kHourMs, {}, {}};
      for (Candle c : loaded->candles) {
        if (c.open_time < kOrigin - 24 * kHourMs || c.open_time >= kOrigin + 96 * kHourMs) {
          continue;
        }
        c.volume = Dec(volume.at(symbol));
        cut.candles.push_back(c);
      }
      ASSERT_EQ(cut.candles.size(), 120u) << symbol;
      series_.push_back(std::move(cut));
    }
    path_ = testing::TempDir() + "osprey_realtime_" + std::to_string(::getpid()) + ".db";
    std::filesystem::remove(path_);
  }
  void TearDown() override {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_ + suffix);
  }

  Settings settings_;
  std::vector<CandleSeries> series_;
  std::string path_;
};

struct Totals {
  std::vector<TradeRecord> closed;
  int restored = 0;
};

TEST_F(RealtimeEngine, RunsDaysOnTheRealtimeSchedulerAndEverythingIsAccountedFor) {
  AcceleratedClock clock(kOrigin + 1, kFactor);
  NullLogger logger;
  std::vector<const CandleSeries*> view;
  for (const auto& s : series_) view.push_back(&s);
  auto market = HistoryMarketData::CreateView(clock, view);
  ASSERT_TRUE(market) << market.error().message;
  SimulatedExchange sim(clock, SimulatedExchangeOptionsFrom(settings_.exchange),
                        {SymbolInfo{"BTCUSDT", "BTC", "USDT", {}, {}, {}, {}, {}},
                         SymbolInfo{"ETHUSDT", "ETH", "USDT", {}, {}, {}, {}, {}}});
  sim.Deposit("USDT", settings_.capital.starting_capital);
  FaultInjectingExchange faults(sim);
  constexpr int kAlways = 1 << 30;
  faults.Inject({ExchangeCall::kPlaceOco, Fault::kRateLimited, kAlways, Every(4), 1000});
  faults.Inject({ExchangeCall::kPlaceOco, Fault::kTimeoutAfterApplying, kAlways, Every(5), 0});
  faults.Inject({ExchangeCall::kPlaceOrder, Fault::kTimeoutAfterApplying, kAlways, Every(3), 0});
  faults.Inject({ExchangeCall::kPlaceOrder, Fault::kRateLimited, kAlways, Every(7), 1000});
  SpyExchange spy(faults);
  ScriptedAnalyst analyst;
  Counter listener;
  int fed = 0;
  int expired = 0;
  Totals totals;

  // The invariants, checked on the loop thread after every hourly run and at the end. Always:
  // every open order on the exchange is tracked by the order manager and vice versa, and the
  // balances are what the trades say (quote: the start plus what every trade paid and received;
  // each base asset: what the open positions still hold). With `protected_too` (no fault is
  // pending): every OPEN position's open stops cover what is left, at its stop. Returns the OPEN
  // positions checked for protection.
  auto audit = [&](const TradingEngine& engine, bool protected_too) -> int {
    std::map<std::string, OrderState> on_exchange;
    auto open = sim.OpenOrders("");
    EXPECT_TRUE(open);
    if (!open) return 0;
    for (const OrderState& o : *open) on_exchange[o.request.client_order_id] = o;
    std::set<std::string> tracked;
    for (const auto& [id, o] : engine.orders().orders()) {
      if (!IsTerminal(o.status)) tracked.insert(id);
    }
    std::set<std::string> exchange_ids;
    for (const auto& [id, o] : on_exchange) exchange_ids.insert(id);
    EXPECT_EQ(tracked, exchange_ids);
    Decimal quote = settings_.capital.starting_capital;
    for (const TradeRecord& t : totals.closed) quote += t.pnl;
    for (const TradeRecord& t : engine.closed_trades()) quote += t.pnl;
    std::map<std::string, Decimal> base_held;
    int checked = 0;
    for (const auto& [id, p] : engine.orders().active()) {
      if (p.state != PositionState::kOpen) {
        EXPECT_EQ(p.state, PositionState::kPending) << id;
        EXPECT_TRUE(on_exchange.contains(p.entry_client_id) ||
                    engine.orders().orders().at(p.entry_client_id).status ==
                        JournalStatus::kUnknown)
            << id << ": entry in flight";
        continue;
      }
      quote += p.cash_in - p.cash_out;
      base_held[p.symbol.base_asset] += p.remaining + p.dust;
      if (!protected_too) continue;
      if (!p.exit_client_id.empty()) {
        EXPECT_TRUE(on_exchange.contains(p.exit_client_id)) << id << ": being sold at market";
        continue;
      }
      Decimal stop_quantity;
      for (const auto& [cid, o] : on_exchange) {
        if (o.request.type != OrderType::kStopLoss || !cid.starts_with(id + "-")) continue;
        stop_quantity += o.request.quantity - o.executed_quantity;
        EXPECT_EQ(o.request.stop_price, p.stop) << cid << " of " << id;
      }
      EXPECT_EQ(stop_quantity, p.remaining) << id;
      ++checked;
    }
    auto usdt = sim.TotalBalance("USDT");
    EXPECT_TRUE(usdt);
    if (usdt) {
      EXPECT_EQ(*usdt, quote);
    }
    for (const char* asset : {"BTC", "ETH"}) {
      auto held = sim.TotalBalance(asset);
      EXPECT_TRUE(held);
      if (held) {
        EXPECT_EQ(*held, base_held[asset]) << asset;
      }
    }
    return checked;
  };
  int protected_checked = 0;

  // One process lifetime: a store opened on the file, an engine started on it, the live timers
  // run until `hours` hourly runs have happened (the faults stop after `faulty_hours`); then the
  // engine and the store are dropped.
  auto lifetime = [&](int hours, int faulty_hours,
                      const std::function<void(TradingEngine&)>& after) {
    auto store = SqliteTradeStore::Open(path_, StoreAccess::kCreate, &clock);
    ASSERT_TRUE(store) << store.error().message;
    TradingEngine engine(settings_, clock, *market, {&analyst}, spy, **store, logger);
    engine.SetListener(&listener);
    engine.SetCandleHook([&](std::string_view symbol, const Candle& c, std::int64_t i) {
      sim.OnCandle(symbol, c, i);
      // Now and then the venue expires a live stop (and with it its OCO sibling).
      if (++fed % 3 != 0) return;
      auto open = sim.OpenOrders(symbol);
      ASSERT_TRUE(open);
      for (const OrderState& o : *open) {
        if (o.request.type != OrderType::kStopLoss) continue;
        if (sim.ExpireOrder(o.request.client_order_id)) ++expired;
        break;
      }
    });
    ASSERT_TRUE(engine.Start(settings_.capital.starting_capital));
    totals.restored += engine.restored_positions();
    RealtimeScheduler scheduler(
        clock, logger, {.time_factor = kFactor, .max_wait = std::chrono::milliseconds(20)});
    int marks = 0;
    ScheduleOptions options;
    options.monitor_and_heartbeat = true;
    options.on_mark = [&](TimeMs, Decimal) {
      ++marks;
      if (marks == faulty_hours) faults.Heal();
      protected_checked += audit(engine, marks > faulty_hours);
      if (marks == hours) scheduler.Stop();
    };
    ASSERT_TRUE(ScheduleTrading(scheduler, engine, settings_, std::move(options)));
    scheduler.Run();
    EXPECT_EQ(marks, hours);
    after(engine);
    totals.closed.insert(totals.closed.end(), engine.closed_trades().begin(),
                         engine.closed_trades().end());
  };

  int active_at_crash = 0;
  lifetime(kHoursPerLifetime, kHoursPerLifetime + 1,
           [&](TradingEngine& a) { active_at_crash = a.orders().ActiveCount(); });
  if (HasFatalFailure()) return;
  lifetime(kHoursPerLifetime, kHoursPerLifetime / 2, [&](TradingEngine& b) {
    // The restart forgot no position.
    EXPECT_EQ(totals.restored, active_at_crash);
    // One more monitor pass, then everything once more.
    b.OnMonitor(clock.Now());
    protected_checked += audit(b, true);
  });
  if (HasFatalFailure()) return;

  // Every journal row is final, or equal to the exchange's view of that order.
  auto rows = ReadOrdersFile(path_);
  ASSERT_TRUE(rows) << rows.error().message;
  ASSERT_FALSE(rows->empty());
  for (const OrderRecord& row : *rows) {
    auto q = sim.QueryOrder(row.symbol, row.client_id);
    if (IsTerminal(row.status)) {
      if (q) {
        EXPECT_EQ(JournalStatusOf(q->status), row.status) << row.client_id;
        EXPECT_EQ(q->executed_quantity, row.executed_quantity) << row.client_id;
      } else {
        EXPECT_EQ(row.status, JournalStatus::kRejected) << row.client_id;
      }
      continue;
    }
    ASSERT_TRUE(q) << row.client_id << " is " << JournalStatusName(row.status)
                   << " in the journal but unknown to the exchange";
    EXPECT_EQ(JournalStatusOf(q->status), row.status) << row.client_id;
    EXPECT_EQ(q->executed_quantity, row.executed_quantity) << row.client_id;
  }
  // Each trade closed once; no client id was ever sent twice.
  std::set<std::string> closed_ids;
  for (const TradeRecord& t : totals.closed) {
    EXPECT_TRUE(closed_ids.insert(t.id).second) << t.id << " closed twice";
  }
  auto trades = ReadTradesFile(path_);
  ASSERT_TRUE(trades);
  int stored_closed = 0;
  for (const TradeRecord& t : *trades) stored_closed += t.status == TradeStatus::kClosed ? 1 : 0;
  EXPECT_EQ(stored_closed, static_cast<int>(closed_ids.size()));
  std::set<std::string> unique(spy.sent.begin(), spy.sent.end());
  EXPECT_EQ(unique.size(), spy.sent.size());

  // The run exercised what it claims to: trades, partial entries, expiries, faults, heartbeats.
  EXPECT_GE(listener.opened, 5);
  EXPECT_GE(protected_checked, 3);
  EXPECT_GE(closed_ids.size(), 3u);
  int partial_entries = 0;
  for (const OrderRecord& row : *rows) {
    if (row.role == OrderRole::kEntry && row.executed_quantity.IsPositive() &&
        row.executed_quantity < row.quantity) {
      ++partial_entries;
    }
  }
  EXPECT_GE(partial_entries, 1);
  EXPECT_GE(expired, 1);
  EXPECT_GE(faults.faults_injected(), 3);
  EXPECT_GE(listener.beats, kHoursPerLifetime);
  EXPECT_GE(analyst.asked, kHoursPerLifetime);
}

}  // namespace
}  // namespace osprey
