#pragma once
// Clock: the only source of "now" for the trading logic (DESIGN.md: time comes from a Clock).
// SystemClock reads the wall clock (live and paper); SimulatedClock is driven by the backtest and
// by tests, and refuses to go backwards. Not thread-safe: the engine owns its clock.

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

}  // namespace osprey
