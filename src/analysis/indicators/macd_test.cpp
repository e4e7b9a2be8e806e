#include "analysis/indicators/macd.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

namespace osprey::analysis {
namespace {

TEST(MacdTest, DefaultLookbackIs33) {
  Macd macd;
  EXPECT_EQ(macd.Lookback(), 33);
  for (int i = 0; i < 33; ++i) {
    macd.Update(100.0 + std::sin(i));
    EXPECT_FALSE(macd.Ready()) << "index " << i;
    EXPECT_TRUE(std::isnan(macd.Value())) << "index " << i;
    EXPECT_TRUE(std::isnan(macd.Signal())) << "index " << i;
    EXPECT_TRUE(std::isnan(macd.Hist())) << "index " << i;
  }
  macd.Update(101.0);
  EXPECT_TRUE(macd.Ready());
  EXPECT_FALSE(std::isnan(macd.Value()));
  EXPECT_FALSE(std::isnan(macd.Signal()));
  EXPECT_FALSE(std::isnan(macd.Hist()));
}

TEST(MacdTest, FastEmaSeededFromClosesEndingAtSlowSeedByHand) {
  // MACD(2, 3, 2) over 1, 2, 4, 8, 16; k_fast = 2/3, k_slow = 1/2, k_signal = 2/3.
  // Index 2: slow = mean(1, 2, 4) = 7/3; fast = mean(2, 4) = 3 (TA-Lib; not mean(1, 2));
  //          macd = 2/3.
  // Index 3: fast = 19/3, slow = 31/6, macd = 7/6; signal = mean(2/3, 7/6) = 11/12; hist = 1/4.
  // Index 4: fast = 115/9, slow = 127/12, macd = 79/36; signal = 191/108; hist = 23/54.
  Macd macd(2, 3, 2);
  EXPECT_EQ(macd.Lookback(), 3);
  for (double v : {1.0, 2.0, 4.0}) macd.Update(v);
  EXPECT_FALSE(macd.Ready());
  macd.Update(8.0);
  ASSERT_TRUE(macd.Ready());
  EXPECT_NEAR(macd.Value(), 7.0 / 6.0, 1e-12);
  EXPECT_NEAR(macd.Signal(), 11.0 / 12.0, 1e-12);
  EXPECT_NEAR(macd.Hist(), 1.0 / 4.0, 1e-12);
  macd.Update(16.0);
  EXPECT_NEAR(macd.Value(), 79.0 / 36.0, 1e-12);
  EXPECT_NEAR(macd.Signal(), 191.0 / 108.0, 1e-12);
  EXPECT_NEAR(macd.Hist(), 23.0 / 54.0, 1e-12);
  EXPECT_EQ(macd.Count(), 5);
}

TEST(MacdTest, SignalPeriodOneEqualsMacd) {
  Macd macd(2, 3, 1);
  EXPECT_EQ(macd.Lookback(), 2);
  for (double v : {1.0, 2.0, 4.0}) macd.Update(v);
  ASSERT_TRUE(macd.Ready());
  EXPECT_NEAR(macd.Value(), 2.0 / 3.0, 1e-12);
  EXPECT_EQ(macd.Signal(), macd.Value());
  EXPECT_EQ(macd.Hist(), 0.0);
}

TEST(MacdTest, FlatSeriesIsZero) {
  Macd macd;
  for (int i = 0; i < 60; ++i) macd.Update(250.0);
  EXPECT_EQ(macd.Value(), 0.0);
  EXPECT_EQ(macd.Signal(), 0.0);
  EXPECT_EQ(macd.Hist(), 0.0);
}

TEST(MacdTest, RejectsBadPeriods) {
  EXPECT_THROW(Macd(0, 26, 9), std::invalid_argument);
  EXPECT_THROW(Macd(26, 12, 9), std::invalid_argument);
  EXPECT_THROW(Macd(12, 26, 0), std::invalid_argument);
}

}  // namespace
}  // namespace osprey::analysis
