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

void SimulatedClock::AdvanceTo(TimeMs t) {
  OSPREY_CHECK(t >= now_, "SimulatedClock: time cannot go backwards");
  now_ = t;
}

}  // namespace osprey
