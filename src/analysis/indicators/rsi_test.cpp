#include "analysis/indicators/rsi.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

namespace osprey::analysis {
namespace {

TEST(RsiTest, DefaultsToPeriod14WithLookback14) {
  Rsi rsi;
  EXPECT_EQ(rsi.Period(), 14);
  EXPECT_EQ(rsi.Lookback(), 14);
  for (int i = 0; i < 14; ++i) {
    rsi.Update(100.0 + i);
    EXPECT_FALSE(rsi.Ready()) << "index " << i;
    EXPECT_TRUE(std::isnan(rsi.Value())) << "index " << i;
  }
  rsi.Update(120.0);
  EXPECT_TRUE(rsi.Ready());
  EXPECT_EQ(rsi.Count(), 15);
}

TEST(RsiTest, AllEqualClosesReadZero) {
  Rsi rsi(5);
  for (int i = 0; i < 20; ++i) {
    rsi.Update(42.0);
    if (i >= rsi.Lookback()) {
      EXPECT_EQ(rsi.Value(), 0.0) << "index " << i;
    }
  }
}

TEST(RsiTest, OnlyGainsReadHundredOnlyLossesReadZero) {
  Rsi up(3);
  Rsi down(3);
  for (int i = 0; i < 10; ++i) {
    up.Update(static_cast<double>(i));
    down.Update(static_cast<double>(-i));
  }
  EXPECT_DOUBLE_EQ(up.Value(), 100.0);
  EXPECT_DOUBLE_EQ(down.Value(), 0.0);
}

TEST(RsiTest, WilderSmoothingByHand) {
  // Changes +1, -1, +2. Seed at index 2: gain 1/2, loss 1/2 -> 50.
  // Index 3: gain (0.5 * 1 + 2) / 2 = 1.25, loss (0.5 * 1 + 0) / 2 = 0.25 -> 100 * 1.25 / 1.5.
  Rsi rsi(2);
  rsi.Update(1.0);
  rsi.Update(2.0);
  EXPECT_FALSE(rsi.Ready());
  rsi.Update(1.0);
  ASSERT_TRUE(rsi.Ready());
  EXPECT_DOUBLE_EQ(rsi.Value(), 50.0);
  rsi.Update(3.0);
  EXPECT_DOUBLE_EQ(rsi.Value(), 100.0 * 1.25 / 1.5);
}

TEST(RsiTest, RejectsNonPositivePeriod) {
  EXPECT_THROW(Rsi(0), std::invalid_argument);
  EXPECT_THROW(Rsi(-14), std::invalid_argument);
}

}  // namespace
}  // namespace osprey::analysis
