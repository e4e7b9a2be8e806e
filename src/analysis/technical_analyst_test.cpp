// TechnicalAnalyst: pump candidates from momentum plus a volume surge, the confirmation and risk
// answers, and nothing for a symbol without enough history.

#include "analysis/technical_analyst.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

namespace osprey {
namespace {

const TimeMs kT0 = DaysFromCivil(2024, 1, 1) * kDayMs;

// Builds hourly candles from closes in cents: open at the previous close, high/low 0.10 outside.
class Series {
 public:
  void Add(std::int64_t close_cents, std::int64_t volume) {
    const std::int64_t open = prev_ < 0 ? close_cents : prev_;
    const int t = static_cast<int>(candles_.size());
    candles_.push_back(Candle{kT0 + t * kHourMs, Decimal::FromScaled(open, 2),
                              Decimal::FromScaled(std::max(open, close_cents) + 10, 2),
                              Decimal::FromScaled(std::min(open, close_cents) - 10, 2),
                              Decimal::FromScaled(close_cents, 2), Decimal::FromInt(volume)});
    prev_ = close_cents;
  }
  const std::vector<Candle>& candles() const { return candles_; }

 private:
  std::vector<Candle> candles_;
  std::int64_t prev_ = -1;
};

// 300 quiet hours around 100 (+-0.10), volume 10.
Series Quiet(int hours = 300) {
  Series s;
  for (int t = 0; t < hours; ++t) s.Add(10000 + (t % 2 == 0 ? -10 : 10), 10);
  return s;
}

// Quiet, then 24 hours rising 5% on `volume` per hour.
Series QuietThenPump(std::int64_t volume = 30) {
  Series s = Quiet();
  for (int k = 1; k <= 24; ++k) s.Add(10000 + 500 * k / 24, volume);
  return s;
}

SymbolSnapshot Sym(std::string name, const std::vector<Candle>& c, std::size_t n) {
  return SymbolSnapshot{
      std::move(name),
      CandleWindow{0, std::vector<Candle>(c.begin(), c.begin() + static_cast<std::ptrdiff_t>(n))},
      {},
      {},
      {},
      {}};
}

MarketSnapshot Snapshot(const std::vector<std::pair<std::string, const Series*>>& symbols) {
  MarketSnapshot snap;
  for (const auto& [name, series] : symbols) {
    const auto& c = series->candles();
    snap.now = std::max(snap.now, c.back().open_time + kHourMs);
    snap.symbols.push_back(Sym(name, c, c.size()));
  }
  return snap;
}

const Answer* Find(const AnalystReport& r, Question q) {
  for (const Answer& a : r.answers) {
    if (a.question == q) return &a;
  }
  return nullptr;
}

const CoinOpinion* Find(const AnalystReport& r, Question q, const std::string& symbol) {
  const Answer* a = Find(r, q);
  if (a == nullptr) return nullptr;
  for (const CoinOpinion& c : a->coins) {
    if (c.symbol == symbol) return &c;
  }
  return nullptr;
}

AnalystReport Analyze(const std::vector<std::pair<std::string, const Series*>>& symbols) {
  TechnicalAnalyst analyst{TechnicalSettings{}};
  return analyst.Analyze(Snapshot(symbols));
}

TEST(TechnicalAnalystTest, RiseWithVolumeSurgeIsAPumpCandidate) {
  const Series s = QuietThenPump();
  const AnalystReport r = Analyze({{"PUMPUSDT", &s}});
  EXPECT_EQ(r.analyst, "technical");
  const CoinOpinion* pump = Find(r, Question::kPumpCandidates, "PUMPUSDT");
  ASSERT_NE(pump, nullptr);
  EXPECT_GE(pump->confidence, 0.7);
  EXPECT_LE(pump->confidence, 1.0);
  EXPECT_EQ(pump->reasons.size(), 2u);

  // The documented formula, from the candles: 24h momentum and last-24h vs 168h-average volume.
  const auto& c = s.candles();
  const std::size_t n = c.size();
  const double momentum = (c[n - 1].close.ToDouble() / c[n - 25].close.ToDouble() - 1) * 100;
  double day = 0;
  double week = 0;
  for (std::size_t k = 0; k < 168; ++k) {
    week += c[n - 1 - k].volume.ToDouble();
    if (k < 24) day += c[n - 1 - k].volume.ToDouble();
  }
  const double ratio = day / (week / 168 * 24);
  EXPECT_NEAR(momentum, (105.0 / 100.1 - 1) * 100, 1e-9);
  EXPECT_NEAR(ratio, 720.0 / 2160.0 * 7, 1e-12);
  // The documented grading: 0.5 + 0.25 * (excess of momentum + excess of volume), each excess
  // min(value / threshold - 1, 1).
  const double expected =
      0.5 + 0.25 * (std::min(momentum / 2.0 - 1, 1.0) + std::min(ratio / 1.5 - 1, 1.0));
  EXPECT_NEAR(pump->confidence, expected, 1e-12);
  EXPECT_DOUBLE_EQ(pump->confidence, PumpConfidence(momentum, ratio, TechnicalSettings{}));
}

TEST(TechnicalAnalystTest, ConfidenceIsCappedAtOne) {
  const Series s = QuietThenPump(/*volume=*/200);  // momentum and ratio both above twice
  const CoinOpinion* pump = nullptr;
  const AnalystReport r = Analyze({{"X", &s}});
  pump = Find(r, Question::kPumpCandidates, "X");
  ASSERT_NE(pump, nullptr);
  EXPECT_DOUBLE_EQ(pump->confidence, 1.0);
}

TEST(TechnicalAnalystTest, RiseWithoutVolumeSurgeIsNoCandidate) {
  const Series s = QuietThenPump(/*volume=*/10);
  const AnalystReport r = Analyze({{"X", &s}});
  EXPECT_EQ(Find(r, Question::kPumpCandidates, "X"), nullptr);
}

TEST(TechnicalAnalystTest, VolumeSurgeWithoutRiseIsNoCandidate) {
  Series s = Quiet();
  for (int k = 0; k < 24; ++k) s.Add(10000 + (k % 2 == 0 ? -10 : 10), 50);
  const AnalystReport r = Analyze({{"X", &s}});
  EXPECT_EQ(Find(r, Question::kPumpCandidates, "X"), nullptr);
}

TEST(TechnicalAnalystTest, FlatSeriesIsNoCandidate) {
  Series s;
  for (int t = 0; t < 300; ++t) s.Add(10000, 10);
  const AnalystReport r = Analyze({{"FLAT", &s}});
  const Answer* pump = Find(r, Question::kPumpCandidates);
  ASSERT_NE(pump, nullptr);
  EXPECT_TRUE(pump->coins.empty());
}

TEST(TechnicalAnalystTest, AllThreeQuestionsAreAnswered) {
  const Series s = QuietThenPump();
  const AnalystReport r = Analyze({{"X", &s}});
  ASSERT_EQ(r.answers.size(), 3u);
  EXPECT_NE(Find(r, Question::kPumpCandidates), nullptr);
  EXPECT_NE(Find(r, Question::kTechnicalConfirmation), nullptr);
  EXPECT_NE(Find(r, Question::kRiskAssessment), nullptr);
  EXPECT_NE(Find(r, Question::kTechnicalConfirmation, "X"), nullptr);
  EXPECT_NE(Find(r, Question::kRiskAssessment, "X"), nullptr);
}

TEST(TechnicalAnalystTest, EverySymbolWithHistoryGetsConfirmationAndRisk) {
  // Even a flat series, where no confirmation check passes, is answered (documented: answers
  // 2 and 3 for every symbol with enough history): confirmation at the floor, 0.
  Series flat;
  for (int t = 0; t < 300; ++t) flat.Add(10000, 10);
  const AnalystReport r = Analyze({{"FLAT", &flat}});
  const CoinOpinion* confirm = Find(r, Question::kTechnicalConfirmation, "FLAT");
  ASSERT_NE(confirm, nullptr);
  EXPECT_DOUBLE_EQ(confirm->confidence, 0.0);
  const CoinOpinion* risk = Find(r, Question::kRiskAssessment, "FLAT");
  ASSERT_NE(risk, nullptr);
  EXPECT_DOUBLE_EQ(risk->confidence, 0.3);  // close == SMA200 is not above the trend
}

TEST(TechnicalAnalystTest, BelowTheTrendSmaRiskConfidenceIsLow) {
  Series s;  // falling from 200 towards 170, zigzag
  for (int t = 0; t < 300; ++t) s.Add(20000 - 10 * t + (t % 2 == 0 ? 0 : 15), 10);
  const AnalystReport r = Analyze({{"DOWN", &s}});
  const CoinOpinion* risk = Find(r, Question::kRiskAssessment, "DOWN");
  ASSERT_NE(risk, nullptr);
  EXPECT_LT(risk->confidence, 0.7);
  EXPECT_DOUBLE_EQ(risk->confidence, 0.3);
}

TEST(TechnicalAnalystTest, AboveTheTrendSmaWithLowVolatilityRiskPasses) {
  Series s;  // rising slowly: above SMA200, hourly range about 0.3% of price
  for (int t = 0; t < 300; ++t) s.Add(10000 + 10 * t + (t % 2 == 0 ? 0 : 15), 10);
  const AnalystReport r = Analyze({{"UP", &s}});
  const CoinOpinion* risk = Find(r, Question::kRiskAssessment, "UP");
  ASSERT_NE(risk, nullptr);
  EXPECT_GE(risk->confidence, 0.7);
  EXPECT_LE(risk->confidence, 1.0);
}

TEST(TechnicalAnalystTest, NotEnoughHistoryNoAnswersForThatSymbol) {
  const Series long_series = QuietThenPump();
  const Series short_series = Quiet(199);  // SMA200 of the trend not yet defined
  const AnalystReport r = Analyze({{"SHORT", &short_series}, {"LONG", &long_series}});
  for (Question q :
       {Question::kPumpCandidates, Question::kTechnicalConfirmation, Question::kRiskAssessment}) {
    EXPECT_EQ(Find(r, q, "SHORT"), nullptr) << QuestionName(q);
  }
  EXPECT_NE(Find(r, Question::kRiskAssessment, "LONG"), nullptr);
  EXPECT_NE(Find(r, Question::kPumpCandidates, "LONG"), nullptr);

  const Series enough = Quiet(200);
  const AnalystReport r2 = Analyze({{"ENOUGH", &enough}});
  EXPECT_NE(Find(r2, Question::kRiskAssessment, "ENOUGH"), nullptr);
}

TEST(TechnicalAnalystTest, StreamingMatchesOneCall) {
  const Series s = QuietThenPump();
  const auto& c = s.candles();
  TechnicalAnalyst stepwise{TechnicalSettings{}};
  AnalystReport last;
  for (std::size_t n = 1; n <= c.size(); ++n) {
    MarketSnapshot snap;
    snap.now = c[n - 1].open_time + kHourMs;
    snap.symbols.push_back(Sym("X", c, n));
    last = stepwise.Analyze(snap);
  }
  const AnalystReport once = Analyze({{"X", &s}});
  ASSERT_EQ(last.answers.size(), once.answers.size());
  for (std::size_t i = 0; i < once.answers.size(); ++i) {
    ASSERT_EQ(last.answers[i].coins.size(), once.answers[i].coins.size());
    for (std::size_t k = 0; k < once.answers[i].coins.size(); ++k) {
      EXPECT_EQ(last.answers[i].coins[k].confidence, once.answers[i].coins[k].confidence);
      EXPECT_EQ(last.answers[i].coins[k].reasons, once.answers[i].coins[k].reasons);
    }
  }
}

TEST(TechnicalAnalystTest, AnalystPortAnswersAllThreeInlineInQuestionOrder) {
  const Series s = QuietThenPump();
  TechnicalAnalyst analyst{TechnicalSettings{}};
  EXPECT_EQ(analyst.Questions().size(), 3u);
  EXPECT_EQ(analyst.HistoryHours(), 1u);  // lookbacks are kept in its own rings
  AnalystRequest request{std::make_shared<MarketSnapshot>(Snapshot({{"X", &s}})), {}, {}};
  std::vector<Question> got;
  analyst.Ask(request, analyst.Questions(), [&](Question q, Result<Answer> a) {
    ASSERT_TRUE(a.has_value());
    EXPECT_EQ(a->question, q);
    got.push_back(q);
  });
  // Inline: every answer is in before Ask returns.
  EXPECT_EQ(got, (std::vector<Question>{Question::kPumpCandidates, Question::kTechnicalConfirmation,
                                        Question::kRiskAssessment}));
}

TEST(TechnicalAnalystTest, OneNewCandlePerSnapshotGivesTheSameAnswersAsTheWholeSeries) {
  // What the engine hands it: the first snapshot with every row, then one new row at a time.
  const Series s = QuietThenPump();
  const auto& c = s.candles();
  TechnicalAnalyst windowed{TechnicalSettings{}};
  AnalystReport last;
  for (std::size_t n = 250; n <= c.size(); ++n) {
    MarketSnapshot snap;
    snap.now = c[n - 1].open_time + kHourMs;
    const std::size_t first = n == 250 ? 0 : n - 1;
    snap.symbols.push_back(SymbolSnapshot{
        "X",
        CandleWindow{static_cast<std::int64_t>(first),
                     std::vector<Candle>(c.begin() + static_cast<std::ptrdiff_t>(first),
                                         c.begin() + static_cast<std::ptrdiff_t>(n))},
        {},
        {},
        {},
        {}});
    last = windowed.Analyze(snap);
  }
  const AnalystReport once = Analyze({{"X", &s}});
  ASSERT_EQ(last.answers.size(), once.answers.size());
  for (std::size_t i = 0; i < once.answers.size(); ++i) {
    ASSERT_EQ(last.answers[i].coins.size(), once.answers[i].coins.size());
    for (std::size_t k = 0; k < once.answers[i].coins.size(); ++k) {
      EXPECT_EQ(last.answers[i].coins[k].confidence, once.answers[i].coins[k].confidence);
      EXPECT_EQ(last.answers[i].coins[k].reasons, once.answers[i].coins[k].reasons);
    }
  }
}

TEST(TechnicalAnalystTest, AGapInTheRowsRestartsTheIndicatorsFromTheWindow) {
  const Series s = QuietThenPump();
  const auto& c = s.candles();
  TechnicalAnalyst analyst{TechnicalSettings{}};
  MarketSnapshot first;
  first.symbols.push_back(Sym("X", c, 100));
  (void)analyst.Analyze(first);
  // Rows 100..149 never shown: the next window (rows 150..) restarts; 150 rows are not enough
  // warm-up for the trend SMA200, so the symbol gets no answers.
  MarketSnapshot later;
  later.symbols.push_back(SymbolSnapshot{
      "X", CandleWindow{150, std::vector<Candle>(c.begin() + 150, c.end())}, {}, {}, {}, {}});
  const AnalystReport r = analyst.Analyze(later);
  EXPECT_EQ(Find(r, Question::kRiskAssessment, "X"), nullptr);
  EXPECT_EQ(Find(r, Question::kTechnicalConfirmation, "X"), nullptr);
}

// Part of issue 6: the 70% filter must mean something.
TEST(TechnicalConfidenceTest, EvidenceAtTheThresholdsStaysBelowSeventyPercent) {
  const TechnicalSettings t;
  EXPECT_LT(PumpConfidence(t.min_momentum_percent, t.volume_surge_ratio, t), 0.70);
  EXPECT_DOUBLE_EQ(PumpConfidence(t.min_momentum_percent, t.volume_surge_ratio, t), 0.5);
  EXPECT_LT(ConfirmationConfidence(2), 0.70);                   // two of four checks
  EXPECT_LT(RiskConfidence(true, t.max_atr_percent, t), 0.70);  // ATR at the limit
  EXPECT_LT(RiskConfidence(false, 0.0, t), 0.70);               // below the trend
}

TEST(TechnicalConfidenceTest, ClearlyStrongEvidencePasses) {
  const TechnicalSettings t;
  EXPECT_GE(PumpConfidence(1.5 * t.min_momentum_percent, 1.5 * t.volume_surge_ratio, t), 0.70);
  EXPECT_DOUBLE_EQ(PumpConfidence(2 * t.min_momentum_percent, 2 * t.volume_surge_ratio, t), 1.0);
  EXPECT_GE(ConfirmationConfidence(3), 0.70);
  EXPECT_DOUBLE_EQ(ConfirmationConfidence(4), 1.0);
  EXPECT_GE(RiskConfidence(true, 0.5 * t.max_atr_percent, t), 0.70);
  EXPECT_DOUBLE_EQ(RiskConfidence(true, 0.0, t), 1.0);
}

TEST(TechnicalConfidenceTest, MonotoneInTheEvidenceAndBoundedToZeroOne) {
  const TechnicalSettings t;
  double prev_m = -1;
  double prev_r = 2;
  for (int i = 0; i <= 400; ++i) {
    const double x = i / 100.0;  // 0 .. 4 times the threshold
    const double by_momentum = PumpConfidence(x * t.min_momentum_percent, t.volume_surge_ratio, t);
    const double by_volume = PumpConfidence(t.min_momentum_percent, x * t.volume_surge_ratio, t);
    const double risk = RiskConfidence(true, x * t.max_atr_percent, t);  // more ATR, less conf.
    for (double v : {by_momentum, by_volume, risk}) {
      EXPECT_GE(v, 0.0);
      EXPECT_LE(v, 1.0);
    }
    EXPECT_GE(by_momentum, prev_m);
    EXPECT_LE(risk, prev_r);
    prev_m = by_momentum;
    prev_r = risk;
  }
  for (int passed = 0; passed < 4; ++passed) {
    EXPECT_LT(ConfirmationConfidence(passed), ConfirmationConfidence(passed + 1));
  }
  EXPECT_GE(ConfirmationConfidence(0), 0.0);
}

}  // namespace
}  // namespace osprey
