#include "core/candle_time.hpp"

#include "core/error.hpp"

namespace osprey {

TimeMs CandleCloseTime(TimeMs open_time, TimeMs interval) {
  OSPREY_CHECK(interval > 0, "candle time: the interval must be positive");
  return open_time + interval;
}

TimeMs LastClosedCandleOpen(TimeMs t, TimeMs interval) {
  OSPREY_CHECK(interval > 0, "candle time: the interval must be positive");
  return (FloorDiv(t, interval) - 1) * interval;
}

bool IsCandleStale(TimeMs open_time, TimeMs interval, TimeMs at, TimeMs tolerance) {
  OSPREY_CHECK(tolerance >= 0, "candle time: the staleness tolerance must not be negative");
  return at - CandleCloseTime(open_time, interval) > tolerance;
}

}  // namespace osprey
