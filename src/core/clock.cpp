#include "core/clock.hpp"

#include <chrono>

#include "core/error.hpp"

namespace osprey {

TimeMs SystemClock::Now() const {
  // The one place the trading process reads the wall clock.
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::chrono::steady_clock::time_point SteadyNow() {
  // The one place the trading process reads the monotonic clock (deadlines, never decisions).
  return std::chrono::steady_clock::now();
}

void SimulatedClock::AdvanceTo(TimeMs t) {
  OSPREY_CHECK(t >= now_, "SimulatedClock: time cannot go backwards");
  now_ = t;
}

}  // namespace osprey
