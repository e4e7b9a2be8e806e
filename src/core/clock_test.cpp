#include "core/clock.hpp"

#include <gtest/gtest.h>

namespace osprey {
namespace {

TEST(SimulatedClockTest, StartsWhereToldAndAdvances) {
  SimulatedClock clock(1'000);
  EXPECT_EQ(clock.Now(), 1'000);
  clock.AdvanceTo(1'000);  // standing still is allowed
  EXPECT_EQ(clock.Now(), 1'000);
  clock.AdvanceTo(1'000 + kHourMs);
  EXPECT_EQ(clock.Now(), 1'000 + kHourMs);
  const Clock& as_port = clock;
  EXPECT_EQ(as_port.Now(), 1'000 + kHourMs);
}

TEST(SimulatedClockTest, DefaultsToTheEpoch) {
  SimulatedClock clock;
  EXPECT_EQ(clock.Now(), 0);
  clock.AdvanceTo(-0);
  EXPECT_EQ(clock.Now(), 0);
}

TEST(SimulatedClockDeathTest, GoingBackwardsAborts) {
  SimulatedClock clock(10 * kMinuteMs);
  EXPECT_DEATH(clock.AdvanceTo(10 * kMinuteMs - 1), "cannot go backwards");
  EXPECT_EQ(clock.Now(), 10 * kMinuteMs);
}

TEST(SystemClockTest, ReadsAPlausibleWallClock) {
  SystemClock clock;
  const TimeMs a = clock.Now();
  const TimeMs b = clock.Now();
  EXPECT_GT(a, 1'700'000'000'000);  // after 2023-11
  EXPECT_GE(b, a);
}

TEST(SteadyNowTest, NeverGoesBackwards) {
  const auto a = SteadyNow();
  const auto b = SteadyNow();
  EXPECT_LE(a, b);
}

}  // namespace
}  // namespace osprey
