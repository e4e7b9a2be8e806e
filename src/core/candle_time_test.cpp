#include "core/candle_time.hpp"

#include <gtest/gtest.h>

namespace osprey {
namespace {

constexpr TimeMs kNoon = 1'709'208'000'000;  // 2024-02-29T12:00:00Z

TEST(CandleTimeTest, CloseIsOpenPlusInterval) {
  EXPECT_EQ(CandleCloseTime(kNoon - kHourMs, kHourMs), kNoon);
  EXPECT_EQ(CandleCloseTime(-kHourMs, kHourMs), 0);
}

TEST(CandleTimeTest, ACycleLateByMillisecondsUsesTheCandleThatClosedOnTheHour) {
  EXPECT_EQ(LastClosedCandleOpen(kNoon + 347, kHourMs), kNoon - kHourMs);
  EXPECT_EQ(LastClosedCandleOpen(kNoon, kHourMs), kNoon - kHourMs);  // exact boundary: closed
  EXPECT_EQ(LastClosedCandleOpen(kNoon - 1, kHourMs), kNoon - 2 * kHourMs);  // not closed yet
  EXPECT_EQ(LastClosedCandleOpen(kNoon + kHourMs - 1, kHourMs), kNoon - kHourMs);
  EXPECT_EQ(LastClosedCandleOpen(kNoon + 347, kMinuteMs), kNoon - kMinuteMs);
  EXPECT_EQ(LastClosedCandleOpen(kNoon + 347, kDayMs), DayStart(kNoon) - kDayMs);
}

TEST(CandleTimeTest, TheLastClosedCandleHasClosedAndItsSuccessorHasNot) {
  for (const TimeMs t : {kNoon - 1, kNoon, kNoon + 1, kNoon + 347, kNoon + kHourMs - 1}) {
    const TimeMs open = LastClosedCandleOpen(t, kHourMs);
    EXPECT_LE(CandleCloseTime(open, kHourMs), t) << t;
    EXPECT_GT(CandleCloseTime(open + kHourMs, kHourMs), t) << t;
  }
}

TEST(CandleTimeTest, TimesBeforeTheEpochFloorInsteadOfTruncating) {
  EXPECT_EQ(LastClosedCandleOpen(0, kHourMs), -kHourMs);
  EXPECT_EQ(LastClosedCandleOpen(-1, kHourMs), -2 * kHourMs);
  EXPECT_EQ(LastClosedCandleOpen(-kHourMs, kHourMs), -2 * kHourMs);
  EXPECT_EQ(LastClosedCandleOpen(-kHourMs + 347, kHourMs), -2 * kHourMs);
  EXPECT_FALSE(IsCandleStale(-2 * kHourMs, kHourMs, -kHourMs + 347, 1'000));
  EXPECT_TRUE(IsCandleStale(-3 * kHourMs, kHourMs, -kHourMs + 347, 1'000));
}

TEST(CandleTimeTest, ACandleIsStaleOnlyWhenOlderThanTheToleranceAtTheScheduledTime) {
  const TimeMs open = kNoon - kHourMs;  // closes at 12:00
  const TimeMs tolerance = 5 * kMinuteMs;
  EXPECT_FALSE(IsCandleStale(open, kHourMs, kNoon, tolerance));
  EXPECT_FALSE(IsCandleStale(open, kHourMs, kNoon + 347, tolerance));
  EXPECT_FALSE(IsCandleStale(open, kHourMs, kNoon + tolerance, tolerance));  // exactly: fresh
  EXPECT_TRUE(IsCandleStale(open, kHourMs, kNoon + tolerance + 1, tolerance));
  // The candle before it (closed 11:00) is an hour old at the 12:00 cycle.
  EXPECT_TRUE(IsCandleStale(open - kHourMs, kHourMs, kNoon, tolerance));
  EXPECT_FALSE(IsCandleStale(open - kHourMs, kHourMs, kNoon, kHourMs));
  EXPECT_TRUE(IsCandleStale(open - kHourMs, kHourMs, kNoon + 1, kHourMs));
}

TEST(CandleTimeTest, WithZeroToleranceOnlyACandleClosingAtTheTimeIsFresh) {
  const TimeMs open = kNoon - kHourMs;
  EXPECT_FALSE(IsCandleStale(open, kHourMs, kNoon, 0));
  EXPECT_TRUE(IsCandleStale(open, kHourMs, kNoon + 1, 0));
  EXPECT_TRUE(IsCandleStale(open, kHourMs, kNoon + 347, 0));
}

TEST(CandleTimeTest, ACandleNotClosedYetIsNotStale) {
  EXPECT_FALSE(IsCandleStale(kNoon, kHourMs, kNoon + 347, 0));
  EXPECT_FALSE(IsCandleStale(kNoon, kHourMs, kNoon - kDayMs, 0));
}

TEST(CandleTimeDeathTest, ANonPositiveIntervalOrNegativeToleranceAborts) {
  EXPECT_DEATH((void)LastClosedCandleOpen(kNoon, 0), "interval must be positive");
  EXPECT_DEATH((void)LastClosedCandleOpen(kNoon, -kHourMs), "interval must be positive");
  EXPECT_DEATH((void)CandleCloseTime(kNoon, 0), "interval must be positive");
  EXPECT_DEATH((void)IsCandleStale(kNoon, 0, kNoon, 0), "interval must be positive");
  EXPECT_DEATH((void)IsCandleStale(kNoon, kHourMs, kNoon, -1), "tolerance must not be negative");
}

}  // namespace
}  // namespace osprey
