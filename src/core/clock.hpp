#pragma once
// Clock: the only source of "now" for the trading logic (DESIGN.md: time comes from a Clock).
// SystemClock reads the wall clock (live and paper); SimulatedClock is driven by the backtest and
// by tests, and refuses to go backwards. Not thread-safe: the engine owns its clock.

#include <chrono>

#include "core/time.hpp"

namespace osprey {

class Clock {
 public:
  virtual ~Clock() = default;
  // Current UTC time in milliseconds. Never decreases between calls on the same clock.
  virtual TimeMs Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimeMs Now() const override;
};

class SimulatedClock final : public Clock {
 public:
  explicit SimulatedClock(TimeMs start = 0) : now_(start) {}
  TimeMs Now() const override { return now_; }
  // Moves time forward to t. Moving backwards is a programming error and aborts.
  void AdvanceTo(TimeMs t);

 private:
  TimeMs now_;
};

// The monotonic clock, for deadlines of waits on other threads (an analyst's answer): intervals
// only, never a trading decision or a timestamp. Reads std::chrono::steady_clock.
std::chrono::steady_clock::time_point SteadyNow();

}  // namespace osprey
