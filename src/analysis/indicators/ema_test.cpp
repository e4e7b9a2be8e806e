#include "analysis/indicators/ema.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

namespace osprey::analysis {
namespace {

TEST(EmaTest, SeededWithSimpleMeanThenSmoothed) {
  Ema ema(3);  // k = 0.5
  EXPECT_EQ(ema.Lookback(), 2);
  ema.Update(1.0);
  ema.Update(2.0);
  EXPECT_FALSE(ema.Ready());
  EXPECT_TRUE(std::isnan(ema.Value()));
  ema.Update(3.0);
  ASSERT_TRUE(ema.Ready());
  EXPECT_DOUBLE_EQ(ema.Value(), 2.0);  // mean(1, 2, 3)
  ema.Update(10.0);
  EXPECT_DOUBLE_EQ(ema.Value(), 6.0);  // (10 - 2) * 0.5 + 2
  ema.Update(0.0);
  EXPECT_DOUBLE_EQ(ema.Value(), 3.0);  // (0 - 6) * 0.5 + 6
  EXPECT_EQ(ema.Count(), 5);
}

TEST(EmaTest, UsesTwoOverPeriodPlusOne) {
  Ema ema(4);  // k = 0.4
  for (double v : {4.0, 4.0, 4.0, 4.0}) ema.Update(v);
  ema.Update(9.0);
  EXPECT_DOUBLE_EQ(ema.Value(), 6.0);  // (9 - 4) * 0.4 + 4
}

TEST(EmaTest, PeriodOneIsTheInput) {
  Ema ema(1);
  EXPECT_EQ(ema.Lookback(), 0);
  for (double v : {3.0, 8.0, -1.0}) {
    ema.Update(v);
    EXPECT_TRUE(ema.Ready());
    EXPECT_DOUBLE_EQ(ema.Value(), v);
  }
}

TEST(EmaTest, RejectsNonPositivePeriod) {
  EXPECT_THROW(Ema(0), std::invalid_argument);
  EXPECT_THROW(Ema(-1), std::invalid_argument);
}

}  // namespace
}  // namespace osprey::analysis
