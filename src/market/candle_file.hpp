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
// - Bounded: the limits below hold for any input, so no file can exhaust memory or time.
// Pure functions of the file; safe to call from several threads on different or the same files.

#include <cstddef>
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

// Limits that keep a hostile or broken file from exhausting memory or time.
inline constexpr std::size_t kMaxCandleFileBytes = std::size_t{1} << 30;  // file or inflated
inline constexpr std::size_t kMaxInflateRatio = 64;                       // inflated / gzip size
inline constexpr std::size_t kMinInflateLimit = std::size_t{1}
                                                << 20;    // small files may inflate to 1 MiB
inline constexpr std::size_t kMaxCandleLineBytes = 4096;  // any line, header included
// open_time_ms must lie in [2000-01-01, 2100-01-01) UTC.
inline constexpr TimeMs kEarliestCandleTimeMs = 946'684'800'000;
inline constexpr TimeMs kLatestCandleTimeMs = 4'102'444'800'000;

// Loads `path` (gzip detected by its magic bytes, not its name) as the `interval_ms` candles
// of `symbol`. interval_ms must be positive (kInvalidArgument otherwise). Only a regular file
// is read (kInvalidArgument for a FIFO, device or directory, without blocking); a file over
// kMaxCandleFileBytes, a gzip stream inflating past its limit (kData), a line over
// kMaxCandleLineBytes, a CR-only line ending, an open time outside the window above (with a
// hint when it looks like microseconds) and a file without a single row are refused.
[[nodiscard]] Result<CandleSeries> LoadCandleFile(const std::string& path, std::string_view symbol,
                                                  TimeMs interval_ms);

// The same for content already in memory (tests and fuzzing); `source_name` stands in for the
// path in messages.
[[nodiscard]] Result<CandleSeries> ParseCandleBytes(std::string_view content,
                                                    std::string_view source_name,
                                                    std::string_view symbol, TimeMs interval_ms);

}  // namespace osprey
