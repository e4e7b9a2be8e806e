#pragma once
// Loader for kline files in the shipped data format (data/README.md): plain or gzip CSV with a
// header naming at least `open_time_ms,open,high,low,close,volume` (other columns are ignored).
//
// Promises:
// - Every row is either loaded exactly (decimals parsed digit by digit, never through double) or
//   the whole load fails; no line is ever skipped. Errors name the file and 1-based line:
//   kParse for syntax (missing column, empty field, exponent, non-numeric text, too many
//   decimals), kData for content (non-positive price, negative volume, low/high not bracketing
//   open and close, open time off the bar grid, duplicate or descending open times),
//   kNotFound for a missing file, kIo / kData for an unreadable file or a corrupt gzip stream.
// - Gaps (missing bars between consecutive rows) are not errors: each hole is reported once.
// Pure functions of the file; safe to call from several threads on different or the same files.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/candle.hpp"
#include "core/error.hpp"
#include "core/time.hpp"

namespace osprey {

// One hole in a series: the bars with open times first..last (inclusive) are absent.
struct CandleGap {
  TimeMs first_missing_open_time = 0;
  TimeMs last_missing_open_time = 0;
  std::int64_t missing_bars = 0;
};

// The candles of one symbol at one interval, strictly ascending by open_time, every open_time a
// multiple of interval_ms.
struct CandleSeries {
  std::string symbol;
  TimeMs interval_ms = 0;
  std::vector<Candle> candles;
  std::vector<CandleGap> gaps;
};

// Loads `path` (gzip detected by its magic bytes, not its name) as the `interval_ms` candles
// of `symbol`. interval_ms must be positive (kInvalidArgument otherwise).
[[nodiscard]] Result<CandleSeries> LoadCandleFile(const std::string& path, std::string_view symbol,
                                                  TimeMs interval_ms);

}  // namespace osprey
