#include "analysis/indicators/atr.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

namespace osprey::analysis {
namespace {

struct Bar {
  double high;
  double low;
  double close;
};

TEST(AtrTest, WilderSmoothedTrueRangeByHand) {
  // TR[1] = max(2, |9-11|, |9-9|) = 2; TR[2] = max(1, |10-15|, |10-14|) = 5 (gap up);
  // TR[3] = max(2, |14.5-14|, |14.5-12|) = 2.5; seed at index 3 = (2 + 5 + 2.5) / 3.
  // TR[4] = max(1, |13-10|, |13-9|) = 4 (gap down); ATR = (9.5/3 * 2 + 4) / 3 = 31/9.
  const Bar bars[] = {{10, 8, 9}, {11, 9, 10}, {15, 14, 14.5}, {14, 12, 13}, {10, 9, 9.5}};
  Atr atr(3);
  EXPECT_EQ(atr.Lookback(), 3);
  for (int i = 0; i < 3; ++i) {
    atr.Update(bars[i].high, bars[i].low, bars[i].close);
    EXPECT_FALSE(atr.Ready()) << "index " << i;
    EXPECT_TRUE(std::isnan(atr.Value())) << "index " << i;
  }
  atr.Update(bars[3].high, bars[3].low, bars[3].close);
  ASSERT_TRUE(atr.Ready());
  EXPECT_DOUBLE_EQ(atr.Value(), 9.5 / 3.0);
  atr.Update(bars[4].high, bars[4].low, bars[4].close);
  EXPECT_DOUBLE_EQ(atr.Value(), 31.0 / 9.0);
  EXPECT_EQ(atr.Count(), 5);
}

TEST(AtrTest, DefaultPeriodIs14AndFirstBarHasNoTrueRange) {
  Atr atr;
  EXPECT_EQ(atr.Period(), 14);
  EXPECT_EQ(atr.Lookback(), 14);
  // A wild first bar must not count: TR starts at index 1.
  atr.Update(1000.0, 1.0, 500.0);
  for (int i = 1; i <= 14; ++i) atr.Update(501.0, 499.0, 500.0);
  ASSERT_TRUE(atr.Ready());
  EXPECT_DOUBLE_EQ(atr.Value(), 2.0);
}

TEST(AtrTest, PeriodOneIsTheTrueRange) {
  Atr atr(1);
  EXPECT_EQ(atr.Lookback(), 1);
  atr.Update(10, 9, 9.5);
  EXPECT_FALSE(atr.Ready());
  atr.Update(12, 11, 11.5);  // max(1, |9.5-12|, |9.5-11|)
  EXPECT_DOUBLE_EQ(atr.Value(), 2.5);
  atr.Update(11.6, 11.4, 11.5);  // max(0.2, 0.1, 0.1)
  EXPECT_NEAR(atr.Value(), 0.2, 1e-12);
}

TEST(AtrTest, RejectsNonPositivePeriod) {
  EXPECT_THROW(Atr(0), std::invalid_argument);
  EXPECT_THROW(Atr(-2), std::invalid_argument);
}

}  // namespace
}  // namespace osprey::analysis
