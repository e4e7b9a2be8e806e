// ReferenceAnalyst: the entry rule of docs/reference-strategy.md R5 (t >= 199, RSI14 < 30,
// close > SMA200, both strict) checked candle by candle against RSI and SMA computed here with
// plain loops from the R2 formulas.

#include "analysis/reference_analyst.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <optional>

namespace osprey {
namespace {

const TimeMs kT0 = DaysFromCivil(2024, 1, 1) * kDayMs;

Candle At(int t, std::int64_t close_cents) {
  const Decimal c = Decimal::FromScaled(close_cents, 2);
  return Candle{kT0 + t * kHourMs, c, c, c, c, Decimal::FromInt(10)};
}

// R2, literally: SMA200[t] as a fresh sum, RSI14[t] from Wilder's recursion.
struct Oracle {
  std::vector<std::optional<double>> sma;
  std::vector<std::optional<double>> rsi;
  std::vector<bool> fires;
};

Oracle Evaluate(const std::vector<Candle>& candles) {
  const std::size_t n = candles.size();
  std::vector<double> close(n);
  for (std::size_t t = 0; t < n; ++t) close[t] = candles[t].close.ToDouble();
  Oracle o;
  o.sma.resize(n);
  o.rsi.resize(n);
  o.fires.resize(n, false);
  for (std::size_t t = 199; t < n; ++t) {
    double sum = 0;
    for (std::size_t k = t - 199; k <= t; ++k) sum += close[k];
    o.sma[t] = sum / 200;
  }
  double avg_gain = 0;
  double avg_loss = 0;
  for (std::size_t t = 1; t < n; ++t) {
    const double d = close[t] - close[t - 1];
    const double gain = d > 0 ? d : 0;
    const double loss = d < 0 ? -d : 0;
    if (t <= 14) {
      avg_gain += gain;
      avg_loss += loss;
      if (t < 14) continue;
      avg_gain /= 14;
      avg_loss /= 14;
    } else {
      avg_gain = (avg_gain * 13 + gain) / 14;
      avg_loss = (avg_loss * 13 + loss) / 14;
    }
    o.rsi[t] = avg_gain + avg_loss == 0 ? 0 : 100 * avg_gain / (avg_gain + avg_loss);
  }
  for (std::size_t t = 199; t < n; ++t) {
    o.fires[t] = *o.rsi[t] < 30 && close[t] > *o.sma[t];
  }
  return o;
}

// A slow zigzag rise (+0.25, -0.05) over 250 candles with an early sharp dip around t = 120,
// then a sharp fall of 2 per candle from t = 250 that first stays above the SMA200 and then
// goes below it.
std::vector<Candle> DipAboveTrend() {
  std::vector<Candle> out;
  for (int t = 0; t < 250; ++t) {
    std::int64_t cents = 10000 + 10 * t + (t % 2 == 0 ? 0 : 15);
    static constexpr int kDip[] = {200, 400, 600, 400, 200};
    if (t >= 120 && t < 125) cents -= kDip[t - 120];
    out.push_back(At(t, cents));
  }
  const std::int64_t top = 10000 + 10 * 249 + 15;
  for (int t = 250; t < 262; ++t) out.push_back(At(t, top - std::int64_t{200} * (t - 249)));
  return out;
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

MarketSnapshot Snapshot(const std::string& symbol, const std::vector<Candle>& candles,
                        std::size_t count) {
  MarketSnapshot s;
  s.now = candles[count - 1].open_time + kHourMs;
  s.symbols.push_back(Sym(symbol, candles, count));
  return s;
}

bool Names(const AnalystReport& report, const std::string& symbol) {
  for (const Answer& a : report.answers) {
    if (a.question != Question::kPumpCandidates) continue;
    for (const CoinOpinion& c : a.coins) {
      if (c.symbol == symbol) return true;
    }
  }
  return false;
}

TEST(ReferenceAnalystTest, SeriesExercisesEveryCondition) {
  // The test data must make each part of the rule matter, or the comparison below proves little.
  const std::vector<Candle> candles = DipAboveTrend();
  const Oracle o = Evaluate(candles);
  bool early_low_rsi = false;
  for (std::size_t t = 15; t < 199; ++t) early_low_rsi = early_low_rsi || *o.rsi[t] < 30;
  EXPECT_TRUE(early_low_rsi) << "no RSI < 30 before t = 199";
  EXPECT_GE(*o.rsi[250], 30);  // falling, not yet oversold
  EXPECT_GT(candles[250].close.ToDouble(), *o.sma[250]);
  EXPECT_LT(*o.rsi[251], 30);  // oversold above the trend
  EXPECT_GT(candles[251].close.ToDouble(), *o.sma[251]);
  EXPECT_LT(*o.rsi[261], 30);  // oversold below the trend
  EXPECT_LT(candles[261].close.ToDouble(), *o.sma[261]);
  for (std::size_t t = 0; t < 251; ++t) EXPECT_FALSE(o.fires[t]) << t;
  EXPECT_TRUE(o.fires[251]);
  EXPECT_FALSE(o.fires[261]);
}

TEST(ReferenceAnalystTest, FiresExactlyWhenTheRuleHoldsAtEveryCandle) {
  const std::vector<Candle> candles = DipAboveTrend();
  const Oracle o = Evaluate(candles);
  ReferenceAnalyst analyst{ReferenceSettings{}};
  int first_fire = -1;
  for (std::size_t n = 1; n <= candles.size(); ++n) {
    auto report = analyst.Analyze(Snapshot("TESTUSDT", candles, n));
    EXPECT_EQ(report.analyst, "reference");
    ASSERT_EQ(report.answers.size(), 1u);
    EXPECT_EQ(report.answers[0].question, Question::kPumpCandidates);
    const bool fired = Names(report, "TESTUSDT");
    EXPECT_EQ(fired, o.fires[n - 1]) << "t = " << n - 1;
    if (fired) {
      EXPECT_EQ(report.answers[0].coins[0].confidence, 1.0);
      EXPECT_FALSE(report.answers[0].coins[0].reasons.empty());
      if (first_fire < 0) first_fire = static_cast<int>(n - 1);
    }
  }
  EXPECT_EQ(first_fire, 251);
}

TEST(ReferenceAnalystTest, CloseEqualToSmaDoesNotFire) {
  // A flat series: RSI is 0 (TA-Lib's convention) and close == SMA200 exactly; the rule is strict.
  std::vector<Candle> candles;
  for (int t = 0; t < 230; ++t) candles.push_back(At(t, 10000));
  const Oracle o = Evaluate(candles);
  ASSERT_EQ(*o.rsi[229], 0);
  ASSERT_EQ(*o.sma[229], 100.0);
  ReferenceAnalyst analyst{ReferenceSettings{}};
  for (std::size_t n = 1; n <= candles.size(); ++n) {
    auto report = analyst.Analyze(Snapshot("FLATUSDT", candles, n));
    EXPECT_FALSE(Names(report, "FLATUSDT")) << "t = " << n - 1;
  }
}

TEST(ReferenceAnalystTest, OneCallAndCandleByCandleGiveTheSameAnswer) {
  const std::vector<Candle> candles = DipAboveTrend();
  for (std::size_t end : {std::size_t{251}, std::size_t{252}, std::size_t{254}, candles.size()}) {
    ReferenceAnalyst stepwise{ReferenceSettings{}};
    AnalystReport last;
    for (std::size_t n = 1; n <= end; ++n) last = stepwise.Analyze(Snapshot("X", candles, n));

    ReferenceAnalyst at_once{ReferenceSettings{}};
    const AnalystReport whole = at_once.Analyze(Snapshot("X", candles, end));

    ReferenceAnalyst chunked{ReferenceSettings{}};  // irregular steps
    AnalystReport chunks;
    for (std::size_t n = 37; n < end; n += 53) chunks = chunked.Analyze(Snapshot("X", candles, n));
    chunks = chunked.Analyze(Snapshot("X", candles, end));

    ASSERT_EQ(whole.answers.size(), 1u);
    const bool expected = Evaluate(candles).fires[end - 1];
    EXPECT_EQ(Names(whole, "X"), expected) << end;
    EXPECT_EQ(Names(last, "X"), expected) << end;
    EXPECT_EQ(Names(chunks, "X"), expected) << end;
    EXPECT_EQ(whole.answers[0].coins.size(), last.answers[0].coins.size());
    if (expected) {
      EXPECT_EQ(whole.answers[0].coins[0].reasons, last.answers[0].coins[0].reasons);
      EXPECT_EQ(chunks.answers[0].coins[0].reasons, last.answers[0].coins[0].reasons);
    }
  }
}

TEST(ReferenceAnalystTest, SymbolsKeepSeparateState) {
  const std::vector<Candle> dip = DipAboveTrend();
  std::vector<Candle> flat;
  for (int t = 0; t < static_cast<int>(dip.size()); ++t) flat.push_back(At(t, 10000));
  ReferenceAnalyst analyst{ReferenceSettings{}};
  AnalystReport report;
  for (std::size_t n = 1; n <= 252; ++n) {
    MarketSnapshot s;
    s.now = dip[n - 1].open_time + kHourMs;
    s.symbols.push_back(Sym("DIP", dip, n));
    s.symbols.push_back(Sym("FLAT", flat, n));
    report = analyst.Analyze(s);
  }
  EXPECT_TRUE(Names(report, "DIP"));
  EXPECT_FALSE(Names(report, "FLAT"));
  EXPECT_EQ(report.answers[0].coins.size(), 1u);
}

TEST(ReferenceAnalystTest, NeverFiresBeforeCandle199) {
  // The same rise-then-fall shape, shifted early: oversold above the mean of all closes so far
  // at t = 196..198, but SMA200 is not defined before t = 199.
  std::vector<Candle> candles;
  for (int t = 0; t < 195; ++t) candles.push_back(At(t, 10000 + 10 * t + (t % 2 == 0 ? 0 : 15)));
  const std::int64_t top = 10000 + 10 * 194;
  for (int t = 195; t < 199; ++t) candles.push_back(At(t, top - std::int64_t{200} * (t - 194)));
  const Oracle o = Evaluate(candles);
  double mean = 0;
  for (const Candle& c : candles) mean += c.close.ToDouble() / static_cast<double>(candles.size());
  ASSERT_LT(*o.rsi[198], 30);
  ASSERT_GT(candles[198].close.ToDouble(), mean);
  ReferenceAnalyst analyst{ReferenceSettings{}};
  for (std::size_t n = 1; n <= candles.size(); ++n) {
    auto report = analyst.Analyze(Snapshot("X", candles, n));
    EXPECT_FALSE(Names(report, "X")) << "t = " << n - 1;
  }
}

}  // namespace
}  // namespace osprey
