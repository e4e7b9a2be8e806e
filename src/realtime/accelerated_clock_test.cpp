#include "realtime/accelerated_clock.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

namespace osprey {
namespace {

constexpr TimeMs kNoon = 1'709'208'000'000;  // 2024-02-29T12:00:00Z

TEST(AcceleratedClockTest, StartsAtTheOriginAndNeverGoesBack) {
  const AcceleratedClock clock(kNoon, 3'600);
  EXPECT_EQ(clock.factor(), 3'600);
  TimeMs last = clock.Now();
  EXPECT_GE(last, kNoon);
  for (int i = 0; i < 10'000; ++i) {
    const TimeMs t = clock.Now();
    ASSERT_GE(t, last);
    last = t;
  }
}

TEST(AcceleratedClockTest, RunsFactorTimesFasterThanTheSteadyClock) {
  // Only lower bounds: sleep_for sleeps at least as long as asked, however loaded the machine.
  const AcceleratedClock fast(kNoon, 3'600'000);  // an hour per steady millisecond
  const AcceleratedClock slow(kNoon, 1);
  std::this_thread::sleep_for(std::chrono::milliseconds(3));
  EXPECT_GE(fast.Now(), kNoon + 3 * kHourMs);
  EXPECT_GE(slow.Now(), kNoon + 3);
  EXPECT_LT(slow.Now(), kNoon + kHourMs);  // a factor of 1 is the steady clock itself
}

TEST(AcceleratedClockTest, IsAClock) {
  const AcceleratedClock accelerated(-kHourMs, 1);
  const Clock& clock = accelerated;
  EXPECT_GE(clock.Now(), -kHourMs);  // origins before the epoch work too
}

TEST(AcceleratedClockDeathTest, AFactorBelowOneAborts) {
  EXPECT_DEATH(AcceleratedClock(kNoon, 0), "factor must be at least 1");
  EXPECT_DEATH(AcceleratedClock(kNoon, -2), "factor must be at least 1");
}

}  // namespace
}  // namespace osprey
