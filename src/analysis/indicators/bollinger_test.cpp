#include "analysis/indicators/bollinger.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>
#include <limits>
#include <stdexcept>
#include <vector>

namespace osprey::analysis {
namespace {

TEST(BollingerBandsTest, Period3ByHandWithPopulationDeviation) {
  BollingerBands bb(3, 2.0, 1.0);
  EXPECT_EQ(bb.Lookback(), 2);
  bb.Update(1.0);
  bb.Update(2.0);
  EXPECT_FALSE(bb.Ready());
  EXPECT_TRUE(std::isnan(bb.Upper()));
  EXPECT_TRUE(std::isnan(bb.Middle()));
  EXPECT_TRUE(std::isnan(bb.Lower()));
  bb.Update(3.0);
  ASSERT_TRUE(bb.Ready());
  const double dev1 = std::sqrt(2.0 / 3.0);  // (1 + 0 + 1) / 3, divided by N not N-1
  EXPECT_NEAR(bb.Middle(), 2.0, 1e-12);
  EXPECT_NEAR(bb.Upper(), 2.0 + 2.0 * dev1, 1e-12);
  EXPECT_NEAR(bb.Lower(), 2.0 - dev1, 1e-12);
  bb.Update(10.0);  // window 2, 3, 10: mean 5, variance (9 + 4 + 25) / 3
  const double dev2 = std::sqrt(38.0 / 3.0);
  EXPECT_NEAR(bb.Middle(), 5.0, 1e-12);
  EXPECT_NEAR(bb.Upper(), 5.0 + 2.0 * dev2, 1e-12);
  EXPECT_NEAR(bb.Lower(), 5.0 - dev2, 1e-12);
  EXPECT_EQ(bb.Count(), 4);
}

TEST(BollingerBandsTest, FlatSeriesCollapsesBandsOntoMiddle) {
  // A running sum of squares would leave a spurious band here (60000^2 cancels badly), and so
  // would Welford residue from the volatile start if it were never recomputed.
  BollingerBands bb(20, 2.0, 2.0);
  for (int i = 0; i < 107; ++i) {
    bb.Update(60000.1 + (i < 50 ? 1000.0 * std::sin(i) : 0.0));
  }
  EXPECT_EQ(bb.Upper(), bb.Middle());
  EXPECT_EQ(bb.Lower(), bb.Middle());
}

TEST(BollingerBandsTest, StaysAccurateAfterLongStreamAndPriceCollapse) {
  // Long stream at a high price level, then a crash to a level with a tiny spread; the deviation
  // must still match a direct two-pass computation over the last window.
  constexpr int kPeriod = 20;
  BollingerBands bb(kPeriod, 1.0, 1.0);
  std::vector<double> closes;
  closes.reserve(200100);
  for (int i = 0; i < 200000; ++i) closes.push_back(90000.0 + 5000.0 * std::sin(i * 0.37));
  for (int i = 0; i < 100; ++i) closes.push_back(1.0 + 1e-3 * std::sin(i * 1.3));
  for (double c : closes) bb.Update(c);

  double mean = 0.0;
  for (std::size_t i = closes.size() - kPeriod; i < closes.size(); ++i) mean += closes[i];
  mean /= kPeriod;
  double m2 = 0.0;
  for (std::size_t i = closes.size() - kPeriod; i < closes.size(); ++i) {
    m2 += (closes[i] - mean) * (closes[i] - mean);
  }
  const double expected_dev = std::sqrt(m2 / kPeriod);
  EXPECT_NEAR(bb.Upper() - bb.Middle(), expected_dev, 1e-6 * expected_dev);
}

TEST(BollingerBandsTest, ACoinPricedAt1eMinus6ThatMovesKeepsItsBands) {
  // Closes 1.00e-6 .. 1.19e-6 (a 20% range): variance ~3.3e-16, under TA-Lib's absolute 1e-14.
  BollingerBands bb(20, 2.0, 2.0);
  double sum = 0;
  double sum_sq = 0;
  for (int i = 0; i < 20; ++i) {
    const double close = 1e-6 + i * 1e-8;
    bb.Update(close);
    sum += close;
    sum_sq += close * close;
  }
  ASSERT_TRUE(bb.Ready());
  const double mean = sum / 20;
  const double deviation = std::sqrt(sum_sq / 20 - mean * mean);
  EXPECT_GT(bb.Upper(), bb.Middle());
  EXPECT_LT(bb.Lower(), bb.Middle());
  EXPECT_NEAR(bb.Upper() - bb.Middle(), 2 * deviation, 1e-6 * deviation);
  EXPECT_NEAR(bb.Middle() - bb.Lower(), 2 * deviation, 1e-6 * deviation);
}

TEST(BollingerBandsTest, AConstantSeriesAt1eMinus6IsFlat) {
  BollingerBands bb(20, 2.0, 2.0);
  for (int i = 0; i < 45; ++i) bb.Update(1.23e-6);
  ASSERT_TRUE(bb.Ready());
  EXPECT_EQ(bb.Upper(), bb.Middle());
  EXPECT_EQ(bb.Lower(), bb.Middle());
}

TEST(BollingerBandsTest, PeriodOneHasZeroWidth) {
  BollingerBands bb(1, 2.0, 2.0);
  EXPECT_EQ(bb.Lookback(), 0);
  for (double v : {3.0, 9.0, 4.0}) {
    bb.Update(v);
    EXPECT_TRUE(bb.Ready());
    EXPECT_EQ(bb.Middle(), v);
    EXPECT_EQ(bb.Upper(), v);
    EXPECT_EQ(bb.Lower(), v);
  }
}

TEST(BollingerBandsTest, RejectsBadParameters) {
  EXPECT_THROW(BollingerBands(0, 2.0, 2.0), std::invalid_argument);
  EXPECT_THROW(BollingerBands(20, -1.0, 2.0), std::invalid_argument);
  EXPECT_THROW(BollingerBands(20, 2.0, std::numeric_limits<double>::quiet_NaN()),
               std::invalid_argument);
  EXPECT_THROW(BollingerBands(20, std::numeric_limits<double>::infinity(), 2.0),
               std::invalid_argument);
}

}  // namespace
}  // namespace osprey::analysis
