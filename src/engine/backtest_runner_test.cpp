// The engine on hand-made candles, with a scripted analyst that signals at chosen hours, under
// the reference configuration: each edge case listed in docs/reference-strategy.md gets a test.

#include "engine/backtest_runner.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "config/settings_loader.hpp"
#include "engine/bias_check.hpp"
#include "trading/memory_trade_store.hpp"

namespace osprey {
namespace {

const TimeMs kT0 = 1704067200000;  // 2024-01-01T00:00Z

class ScriptedAnalyst final : public Analyst {
 public:
  explicit ScriptedAnalyst(std::set<TimeMs> signal_times) : times_(std::move(signal_times)) {}
  std::string_view Name() const override { return "scripted"; }
  std::span<const Question> Questions() const override { return AllQuestions().first(1); }
  std::size_t HistoryHours() const override { return 1; }
  void Ask(const AnalystRequest& request, std::span<const Question> questions,
           AnswerCallback done) override {
    AnalystReport report{"scripted", {Answer{Question::kPumpCandidates, {}}}};
    if (times_.contains(request.snapshot->now)) {
      for (const auto& v : request.snapshot->symbols) {
        report.answers[0].coins.push_back({v.symbol, 1.0, {"scripted"}});
      }
    }
    DeliverInline(std::move(report), questions, done);
  }

 private:
  std::set<TimeMs> times_;
};

// Fails every question it is asked (an LLM that answered garbage).
class FailingAnalyst final : public Analyst {
 public:
  std::string_view Name() const override { return "failing"; }
  std::span<const Question> Questions() const override { return AllQuestions(); }
  std::size_t HistoryHours() const override { return 1; }
  void Ask(const AnalystRequest&, std::span<const Question> questions,
           AnswerCallback done) override {
    for (Question q : questions) done(q, Fail(ErrorCode::kParse, "garbage"));
  }
};

class RecordingLogger final : public Logger {
 public:
  void Log(LogLevel level, std::string_view message) override {
    if (level == LogLevel::kWarning) warnings.emplace_back(message);
  }
  bool Enabled(LogLevel) const override { return true; }
  std::vector<std::string> warnings;
};

Candle C(int i, const char* o, const char* h, const char* l, const char* c) {
  return Candle{kT0 + i * kHourMs, Dec(o), Dec(h), Dec(l), Dec(c), Dec("10")};
}

class BacktestEdgeCases : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = LoadSettingsFile(OSPREY_SOURCE_DIR "/config/reference.toml");
    ASSERT_TRUE(s) << s.error().message;
    settings_ = *s;
    settings_.data.symbols = {"TESTUSDT"};
  }

  BacktestResult Run(std::vector<Candle> candles, std::set<TimeMs> signals,
                     Logger* logger = nullptr) {
    ScriptedAnalyst analyst(std::move(signals));
    BacktestInput in;
    in.settings = &settings_;
    CandleSeries s{"TESTUSDT", kHourMs, std::move(candles), {}};
    in.from = s.candles.front().open_time;
    in.to = s.candles.back().open_time + kHourMs;
    in.hourly.push_back(std::move(s));
    in.analyst_instances = {&analyst};
    in.store = &store_;
    in.logger = logger != nullptr ? logger : &logger_;
    auto r = RunBacktest(in);
    EXPECT_TRUE(r) << r.error().message;
    return r ? *r : BacktestResult{};
  }

  Settings settings_;
  MemoryTradeStore store_;
  NullLogger logger_;
};

TEST_F(BacktestEdgeCases, AnAnswerThatFailedIsLoggedByAnalystAndQuestionAndTheCycleGoesOn) {
  ScriptedAnalyst scripted({kT0 + 2 * kHourMs});
  FailingAnalyst failing;
  BacktestInput in;
  in.settings = &settings_;
  CandleSeries s{"TESTUSDT",
                 kHourMs,
                 {C(0, "100", "100", "100", "100"), C(1, "100", "100", "100", "100"),
                  C(2, "100", "100", "100", "100")},
                 {}};
  in.from = s.candles.front().open_time;
  in.to = s.candles.back().open_time + kHourMs;
  in.hourly.push_back(std::move(s));
  in.analyst_instances = {&failing, &scripted};
  in.store = &store_;
  RecordingLogger logger;
  in.logger = &logger;
  auto r = RunBacktest(in);
  ASSERT_TRUE(r) << r.error().message;
  // The scripted analyst's signal at the close of candle 1 is still traded, at absolute row 1.
  ASSERT_EQ(r->open_positions.size() + r->trades.size(), 1u);
  const TradeRecord& t = r->open_positions.empty() ? r->trades[0] : r->open_positions[0];
  EXPECT_EQ(t.entry_index, 1);
  // Three cycles x three questions, each named.
  std::size_t named = 0;
  for (const std::string& w : logger.warnings) {
    if (w.find("analyst failing gave no risk_assessment answer, left out of this cycle: PARSE: "
               "garbage") != std::string::npos) {
      ++named;
    }
  }
  EXPECT_EQ(named, 3u);
}

class LineRecorder final : public Logger {
 public:
  void Log(LogLevel, std::string_view message) override { lines.emplace_back(message); }
  bool Enabled(LogLevel) const override { return true; }
  std::vector<std::string> lines;
};

// Entry at the close of candle 0 (price 100): Q = 0.2 * 10000 / 100 = 20, SL 97, TP 103/105/108.
constexpr TimeMs kSignal = kT0 + kHourMs;

TEST_F(BacktestEdgeCases, CandleTouchingStopAndTp1ExitsEverythingAtTheStop) {
  auto r = Run({C(0, "100", "100", "100", "100"), C(1, "100", "104", "96", "100")}, {kSignal});
  ASSERT_EQ(r.trades.size(), 1u);
  const TradeRecord& t = r.trades[0];
  EXPECT_EQ(t.quantity, Dec("20"));
  ASSERT_EQ(t.exits.size(), 1u);
  EXPECT_EQ(t.exits[0].reason, ExitReason::kStopLoss);
  EXPECT_EQ(t.exits[0].price, Dec("97"));
  EXPECT_EQ(t.exits[0].quantity, Dec("20"));
  EXPECT_EQ(t.exits[0].candle_index, 1);
  // cash out 100*20 + 2 fee; cash in 97*20 - 1.94 fee.
  EXPECT_EQ(t.pnl, Dec("-63.94"));
}

TEST_F(BacktestEdgeCases, LogLinesCarryTheSimulatedTimeTheyHappenedAt) {
  LineRecorder log;
  Run({C(0, "100", "100", "100", "100"), C(1, "100", "104", "96", "100")}, {kSignal}, &log);
  ASSERT_FALSE(log.lines.empty());
  bool buy_seen = false;
  for (const std::string& line : log.lines) {
    // Every line opens with a simulated time inside the run (2024-01-01, hours 00..02).
    EXPECT_TRUE(line.starts_with("2024-01-01T0")) << line;
    if (line.size() > 21 && line.substr(21).starts_with("BUY ")) {
      EXPECT_TRUE(line.starts_with("2024-01-01T01:00:00Z BUY 20 TESTUSDT")) << line;
      buy_seen = true;
    }
  }
  EXPECT_TRUE(buy_seen);
}

TEST_F(BacktestEdgeCases, LowExactlyAtTheStopFills) {
  auto r = Run({C(0, "100", "100", "100", "100"), C(1, "99", "99", "97", "98")}, {kSignal});
  ASSERT_EQ(r.trades.size(), 1u);
  EXPECT_EQ(r.trades[0].exit_reason, ExitReason::kStopLoss);
  EXPECT_EQ(r.trades[0].exit_price, Dec("97"));
}

TEST_F(BacktestEdgeCases, NoExitIsEvaluatedOnTheEntryCandle) {
  // Candle 0's own range would hit both levels; the entry happens at its close.
  auto r = Run({C(0, "100", "120", "80", "100"), C(1, "100", "101", "99", "100")}, {kSignal});
  EXPECT_TRUE(r.trades.empty());
  ASSERT_EQ(r.open_positions.size(), 1u);
}

TEST_F(BacktestEdgeCases, Tp2AndTp3InOneCandleAfterTp1) {
  auto r = Run({C(0, "100", "100", "100", "100"), C(1, "100", "103.5", "99", "103"),
                C(2, "103", "109", "102", "108")},
               {kSignal});
  ASSERT_EQ(r.trades.size(), 1u);
  const auto& e = r.trades[0].exits;
  ASSERT_EQ(e.size(), 3u);
  EXPECT_EQ(e[0].reason, ExitReason::kTakeProfit1);
  EXPECT_EQ(e[0].price, Dec("103"));
  EXPECT_EQ(e[0].quantity, Dec("6.6"));
  EXPECT_EQ(e[1].reason, ExitReason::kTakeProfit2);
  EXPECT_EQ(e[1].candle_index, 2);
  EXPECT_EQ(e[2].reason, ExitReason::kTakeProfit3);
  EXPECT_EQ(e[2].quantity, Dec("6.8"));
  EXPECT_EQ(e[2].candle_index, 2);
  EXPECT_EQ(r.trades[0].exit_reason, ExitReason::kTakeProfit3);
}

TEST_F(BacktestEdgeCases, TrailingStopIsNotActiveOnTheCandleWhereTp1Fills) {
  // Candle 1 hits TP1 (inclusive) and its low 97.5 is below 103*0.98 = 100.94 but above SL 97:
  // no stop this candle. Candle 2: the trailing stop 100.94 is hit.
  auto r = Run({C(0, "100", "100", "100", "100"), C(1, "100", "103", "97.5", "101"),
                C(2, "101", "101.5", "100", "100.5")},
               {kSignal});
  ASSERT_EQ(r.trades.size(), 1u);
  const auto& e = r.trades[0].exits;
  ASSERT_EQ(e.size(), 2u);
  EXPECT_EQ(e[0].reason, ExitReason::kTakeProfit1);
  EXPECT_EQ(e[0].candle_index, 1);
  EXPECT_EQ(e[1].reason, ExitReason::kTrailingStop);
  EXPECT_EQ(e[1].candle_index, 2);
  EXPECT_EQ(e[1].price, Dec("100.94"));
  EXPECT_EQ(e[1].quantity, Dec("13.4"));
}

TEST_F(BacktestEdgeCases, TrailingStopThroughAGapFillsAtTheLevelInTheReferenceConfig) {
  auto r = Run({C(0, "100", "100", "100", "100"), C(1, "100", "103", "99", "101"),
                C(2, "99", "99.5", "98", "99")},
               {kSignal});
  ASSERT_EQ(r.trades.size(), 1u);
  EXPECT_EQ(r.trades[0].exits.back().reason, ExitReason::kTrailingStop);
  EXPECT_EQ(r.trades[0].exits.back().price, Dec("100.94"));
}

TEST_F(BacktestEdgeCases, StopThroughAGapFillsAtTheOpenInTheRealisticMode) {
  settings_.exchange.gap_fill = GapFill::kOpen;
  auto r = Run({C(0, "100", "100", "100", "100"), C(1, "95", "96", "94", "95")}, {kSignal});
  ASSERT_EQ(r.trades.size(), 1u);
  EXPECT_EQ(r.trades[0].exits[0].price, Dec("95"));
}

TEST_F(BacktestEdgeCases, ReEntryAtTheCloseOfTheCandleThatClosedThePreviousTrade) {
  auto r = Run({C(0, "100", "100", "100", "100"), C(1, "100", "101", "99", "100"),
                C(2, "100", "100", "96", "98"), C(3, "98", "99", "97.5", "98")},
               {kSignal, kT0 + 3 * kHourMs});
  ASSERT_EQ(r.trades.size(), 1u);
  EXPECT_EQ(r.trades[0].exit_index, 2);
  ASSERT_EQ(r.open_positions.size(), 1u);
  EXPECT_EQ(r.open_positions[0].entry_index, 2);
  EXPECT_EQ(r.open_positions[0].entry_price, Dec("98"));
}

TEST_F(BacktestEdgeCases, PositionOpenAtTheEndIsValuedAtTheLastCloseWithoutExitFee) {
  auto r = Run({C(0, "100", "100", "100", "100"), C(1, "100", "102", "99", "101")}, {kSignal});
  EXPECT_TRUE(r.trades.empty());
  ASSERT_EQ(r.open_positions.size(), 1u);
  // cash 10000 - 2000 - 2 = 7998, plus 20 * 101.
  EXPECT_EQ(r.final_cash, Dec("7998"));
  EXPECT_EQ(r.final_equity, Dec("10018"));
}

TEST_F(BacktestEdgeCases, SameInputsGiveIdenticalResults) {
  std::vector<Candle> candles = {C(0, "100", "100", "100", "100"), C(1, "100", "103", "99", "101"),
                                 C(2, "101", "106", "100", "105"), C(3, "105", "105", "99", "100")};
  auto a = Run(candles, {kSignal});
  store_ = MemoryTradeStore();
  auto b = Run(candles, {kSignal});
  ASSERT_EQ(a.trades.size(), b.trades.size());
  EXPECT_EQ(a.decisions, b.decisions);
  EXPECT_EQ(a.final_equity, b.final_equity);
  for (std::size_t i = 0; i < a.equity.size(); ++i)
    EXPECT_EQ(a.equity[i].equity, b.equity[i].equity);
}

TEST_F(BacktestEdgeCases, EveryStateChangeIsStoredAsAnEvent) {
  auto r = Run({C(0, "100", "100", "100", "100"), C(1, "100", "103", "99", "101"),
                C(2, "101", "101.5", "100", "100.5")},
               {kSignal});
  std::vector<std::string> events;
  for (const auto& e : store_.events()) events.push_back(e.event);
  // The trailing stop sells the TP2 and TP3 tranches as two fills: a partial exit, then the close.
  const std::vector<std::string> want = {"ENTRY_SUBMITTED", "ENTRY_FILLED",  "TAKE_PROFIT_1",
                                         "STOP_MOVED",      "TRAILING_STOP", "CLOSED"};
  EXPECT_EQ(events, want);
  auto stored = store_.LoadTrades();
  ASSERT_TRUE(stored);
  ASSERT_EQ(stored->size(), 1u);
  EXPECT_EQ((*stored)[0].status, TradeStatus::kClosed);
}

TEST_F(BacktestEdgeCases, ATrippedBreakerSurvivesARestart) {
  settings_.breakers.max_drawdown_percent = Dec("15");
  RiskState halted;
  halted.status = "HALTED";
  halted.halt_reason = "MAX_DRAWDOWN";
  halted.equity_peak = Dec("20000");
  halted.day_start_equity = Dec("10000");
  ASSERT_TRUE(store_.SaveRiskState(halted));
  auto r = Run({C(0, "100", "100", "100", "100"), C(1, "100", "101", "99", "100")}, {kSignal});
  EXPECT_TRUE(r.trades.empty());
  EXPECT_TRUE(r.open_positions.empty());
  ASSERT_EQ(store_.rejections().size(), 1u);
  EXPECT_EQ(store_.rejections()[0].reason_code, "CIRCUIT_BREAKER");
  EXPECT_EQ(r.risk.status, "HALTED");
}

TEST(BiasCheck, WithholdingLaterDataChangesNoDecisionOfTheReferenceStrategy) {
  auto settings = LoadSettingsFile(OSPREY_SOURCE_DIR "/config/reference.toml");
  ASSERT_TRUE(settings);
  auto series =
      LoadCandleFile(OSPREY_SOURCE_DIR "/data/klines/1h/BTCUSDT.csv.gz", "BTCUSDT", kHourMs);
  ASSERT_TRUE(series);
  series->candles.resize(6000);
  BacktestInput in;
  in.settings = &*settings;
  in.from = series->candles.front().open_time;
  in.to = series->candles.back().open_time + kHourMs;
  in.hourly.push_back(std::move(*series));
  in.analysts = {"reference"};
  MemoryTradeStore store;
  NullLogger logger;
  in.store = &store;
  in.logger = &logger;
  auto full = RunBacktest(in);
  ASSERT_TRUE(full);
  ASSERT_GT(full->trades.size(), 5u);
  auto check = RunBiasCheck(in, *full, 8);
  ASSERT_TRUE(check) << check.error().message;
  EXPECT_EQ(check->reruns, 8);
  EXPECT_GT(check->decisions_compared, 8);
  EXPECT_EQ(check->changed, 0) << (check->differences.empty() ? "" : check->differences[0]);
}

// ---- a tick coarse for the price (hardening) ----

// TESTUSDT with filters on: `tick` and no other rule.
void UseTick(Settings& s, const char* tick) {
  s.exchange.apply_symbol_filters = true;
  s.exchange.symbols["TESTUSDT"] =
      SymbolInfo{"TESTUSDT", "TEST", "USDT", Dec(tick), Dec("0"), Dec("0"), Dec("0"), Dec("0")};
}

TEST_F(BacktestEdgeCases, AStopThatRoundsUpToTheEntryRefusesTheEntry) {
  // 100 x 0.97 = 97 rounds up to the tick 50: 100, not below the entry.
  UseTick(settings_, "50");
  auto r = Run({C(0, "100", "100", "100", "100"), C(1, "100", "100", "60", "80")}, {kSignal});
  EXPECT_TRUE(r.trades.empty());
  EXPECT_TRUE(r.open_positions.empty());
  ASSERT_FALSE(r.decisions.empty());
  EXPECT_EQ(r.decisions[0].action, "STOP_NOT_BELOW_ENTRY");
  EXPECT_EQ(r.final_equity, Dec("10000"));  // nothing bought, nothing lost
}

TEST_F(BacktestEdgeCases, AFillWhoseRoundedStopIsNotBelowItIsSoldAtOnce) {
  // Tick 3.1: at the close 100 the stop would be 99.2 (approved), but 2.3% slippage fills at
  // 102.3, where 99.231 rounds up to 102.3 itself. No stop can protect that fill: the position
  // is sold at market at once instead of being held unprotected.
  UseTick(settings_, "3.1");
  settings_.exchange.slippage_percent = Dec("2.3");
  auto r = Run({C(0, "100", "105", "95", "100"), C(1, "100", "100", "60", "80")}, {kSignal});
  ASSERT_EQ(r.trades.size(), 1u);
  const TradeRecord& t = r.trades[0];
  EXPECT_EQ(t.entry_price, Dec("102.3"));
  EXPECT_EQ(t.exit_reason, ExitReason::kEmergency);
  EXPECT_EQ(t.exit_time, kSignal);  // in the same hour, not after the crash of candle 1
  ASSERT_EQ(t.exits.size(), 1u);
  EXPECT_GE(t.exits[0].price, Dec("95"));  // inside the candle it was sold in
  EXPECT_TRUE(r.open_positions.empty());
}

}  // namespace
}  // namespace osprey
