#pragma once
// Which candle a decision at time t may use, and when a candle is too old to trade on. A candle
// that opens at o with interval I closes at o + I and may be used from o + I on (core/candle.hpp).
// Times are UTC ms and may be negative (before 1970): the arithmetic floors, it does not truncate.
// Pure functions; thread-safe. An interval <= 0 or a negative tolerance is a programming error
// (configuration validation rules them out) and aborts.

#include "core/time.hpp"

namespace osprey {

// o + interval: the first time the candle opened at `open_time` may be used.
TimeMs CandleCloseTime(TimeMs open_time, TimeMs interval);

// Open time of the last candle of `interval` (aligned to the epoch, as Binance's are) that has
// closed at or before t. A cycle at 12:00:00.347 or at 12:00:00.000 uses the 1h candle opened at
// 11:00 (closed at 12:00); one at 11:59:59.999 uses the candle opened at 10:00.
TimeMs LastClosedCandleOpen(TimeMs t, TimeMs interval);

// Whether the candle opened at `open_time` is stale for a decision scheduled at `at`: its close is
// older than `at` by MORE than `tolerance` (at - close > tolerance). Exactly `tolerance` old is
// not stale; with a tolerance of 0 only the candle closing exactly at `at` (or later) is fresh.
// A candle that has not closed by `at` is not stale (it is not usable either: that is the
// caller's look-ahead check, not staleness).
bool IsCandleStale(TimeMs open_time, TimeMs interval, TimeMs at, TimeMs tolerance);

}  // namespace osprey
