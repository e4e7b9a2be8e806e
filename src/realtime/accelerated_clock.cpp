#include "realtime/accelerated_clock.hpp"

#include "core/error.hpp"

namespace osprey {

AcceleratedClock::AcceleratedClock(TimeMs origin, std::int64_t factor)
    : origin_(origin), factor_(factor), start_(std::chrono::steady_clock::now()) {
  OSPREY_CHECK(factor >= 1, "AcceleratedClock: the factor must be at least 1");
}

TimeMs AcceleratedClock::Now() const {
  const auto elapsed_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                              std::chrono::steady_clock::now() - start_)
                              .count();
  // 128 bits: a factor of 10^6 over a day of steady time is ~10^20 ns, beyond 64 bits.
  const auto scaled_ms = static_cast<__int128>(elapsed_ns) * factor_ / 1'000'000;
  return origin_ + static_cast<TimeMs>(scaled_ms);
}

}  // namespace osprey
