#include "analysis/indicators/sma.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

namespace osprey::analysis {
namespace {

TEST(SmaTest, Period3OverOneToFiveIsDefinedFromIndexTwo) {
  Sma sma(3);
  EXPECT_EQ(sma.Lookback(), 2);
  const double expected[] = {NAN, NAN, 2.0, 3.0, 4.0};
  for (int i = 0; i < 5; ++i) {
    sma.Update(static_cast<double>(i + 1));
    EXPECT_EQ(sma.Count(), i + 1);
    EXPECT_EQ(sma.Ready(), i >= sma.Lookback()) << "index " << i;
    if (i < 2) {
      EXPECT_TRUE(std::isnan(sma.Value())) << "index " << i;
    } else {
      EXPECT_DOUBLE_EQ(sma.Value(), expected[i]) << "index " << i;
    }
  }
}

TEST(SmaTest, WindowDropsOldValues) {
  Sma sma(2);
  for (double v : {10.0, 20.0, 100.0}) sma.Update(v);
  EXPECT_DOUBLE_EQ(sma.Value(), 60.0);
}

TEST(SmaTest, PeriodOneIsTheInput) {
  Sma sma(1);
  EXPECT_EQ(sma.Lookback(), 0);
  EXPECT_FALSE(sma.Ready());
  EXPECT_TRUE(std::isnan(sma.Value()));
  for (double v : {5.0, -2.5, 7.25}) {
    sma.Update(v);
    EXPECT_TRUE(sma.Ready());
    EXPECT_EQ(sma.Value(), v);
  }
}

TEST(SmaTest, RejectsNonPositivePeriod) {
  EXPECT_THROW(Sma(0), std::invalid_argument);
  EXPECT_THROW(Sma(-3), std::invalid_argument);
}

}  // namespace
}  // namespace osprey::analysis
