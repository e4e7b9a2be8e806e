#pragma once
// Time as UTC milliseconds since the Unix epoch, and conversions to and from ISO 8601.
// Pure functions; thread-safe.

#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace osprey {

using TimeMs = std::int64_t;

inline constexpr TimeMs kSecondMs = 1'000;
inline constexpr TimeMs kMinuteMs = 60'000;
inline constexpr TimeMs kHourMs = 60 * kMinuteMs;
inline constexpr TimeMs kDayMs = 24 * kHourMs;

// "2024-01-31T13:00:00Z" (seconds precision; milliseconds appended when non-zero).
std::string FormatIsoUtc(TimeMs t);
// "2024-01-31" (UTC date of t).
std::string FormatDateUtc(TimeMs t);
// Parses "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS]Z", "YYYY-MM-DD HH:MM[:SS]" (all UTC).
// Fails naming the text when the syntax or a field range is wrong.
Result<TimeMs> ParseIsoUtc(std::string_view text);

// Days since 1970-01-01 for a proleptic Gregorian date (H. Hinnant's algorithm).
std::int64_t DaysFromCivil(std::int64_t y, unsigned m, unsigned d);
struct CivilDate {
  std::int64_t year;
  unsigned month;
  unsigned day;
};
CivilDate CivilFromDays(std::int64_t days);

// a / b rounded toward negative infinity (b != 0), so that slot and candle arithmetic is the same
// on both sides of the epoch: FloorDiv(-1, 1000) == -1, where `/` gives 0.
std::int64_t FloorDiv(std::int64_t a, std::int64_t b);

// Start of the UTC day (plus `offset`, e.g. a day that starts at 00:00 UTC+2) containing t.
TimeMs DayStart(TimeMs t, TimeMs day_offset_ms = 0);

}  // namespace osprey
