#pragma once
// AcceleratedClock: a Clock whose time runs `factor` times faster than the steady clock, from a
// chosen UTC origin: Now() = origin + (steady time since construction) x factor, in whole ms
// (rounded down). It lets a test or a demo live through hours of hourly cycles in seconds with
// the real-time scheduler; give RealtimeScheduler the same factor (realtime_scheduler.hpp) so its
// steady-clock waits shrink by as much. Never decreases. Thread-safe: every member is const after
// construction and the steady clock may be read from any thread.

#include <chrono>
#include <cstdint>

#include "core/clock.hpp"

namespace osprey {

class AcceleratedClock final : public Clock {
 public:
  // factor >= 1 (1 is a steady clock that starts at `origin`); a smaller factor aborts.
  AcceleratedClock(TimeMs origin, std::int64_t factor);
  TimeMs Now() const override;
  std::int64_t factor() const { return factor_; }

 private:
  TimeMs origin_;
  std::int64_t factor_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace osprey
