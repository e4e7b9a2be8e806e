#include "core/time.hpp"

#include <fmt/format.h>

#include <charconv>

namespace osprey {

std::int64_t DaysFromCivil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

CivilDate CivilFromDays(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {y + (m <= 2 ? 1 : 0), m, d};
}

std::int64_t FloorDiv(std::int64_t a, std::int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
}

std::string FormatIsoUtc(TimeMs t) {
  const std::int64_t days = FloorDiv(t, kDayMs);
  const std::int64_t ms_of_day = t - days * kDayMs;
  const CivilDate c = CivilFromDays(days);
  const std::int64_t secs = ms_of_day / 1000;
  const std::int64_t ms = ms_of_day % 1000;
  if (ms != 0) {
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", c.year, c.month, c.day,
                       secs / 3600, secs / 60 % 60, secs % 60, ms);
  }
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", c.year, c.month, c.day, secs / 3600,
                     secs / 60 % 60, secs % 60);
}

std::string FormatDateUtc(TimeMs t) {
  const CivilDate c = CivilFromDays(FloorDiv(t, kDayMs));
  return fmt::format("{:04}-{:02}-{:02}", c.year, c.month, c.day);
}

Result<TimeMs> ParseIsoUtc(std::string_view text) {
  const auto bad = [&](std::string_view why) {
    return Fail(ErrorCode::kParse,
                "invalid UTC time '" + std::string(text) +
                    "' (expected YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS]Z): " + std::string(why));
  };
  const auto num = [&](std::size_t pos, std::size_t len, int& out) {
    if (pos + len > text.size()) return false;
    // Digits only: from_chars would also take a sign ("T-1:00" must not mean 23:00 the day before).
    for (std::size_t k = pos; k < pos + len; ++k) {
      if (text[k] < '0' || text[k] > '9') return false;
    }
    auto [p, ec] = std::from_chars(text.data() + pos, text.data() + pos + len, out);
    return ec == std::errc() && p == text.data() + pos + len;
  };
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  if (!num(0, 4, y) || text.size() < 10 || text[4] != '-' || !num(5, 2, mo) || text[7] != '-' ||
      !num(8, 2, d)) {
    return bad("bad date");
  }
  std::size_t pos = 10;
  if (pos < text.size()) {
    if (text[pos] != 'T' && text[pos] != ' ') return bad("bad separator");
    if (!num(pos + 1, 2, h) || pos + 3 >= text.size() || text[pos + 3] != ':' ||
        !num(pos + 4, 2, mi)) {
      return bad("bad time of day");
    }
    pos += 6;
    if (pos < text.size() && text[pos] == ':') {
      if (!num(pos + 1, 2, s)) return bad("bad seconds");
      pos += 3;
    }
    if (pos < text.size() && text[pos] == 'Z') ++pos;
    if (pos != text.size()) return bad("trailing characters");
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59)
    return bad("field out of range");
  const std::int64_t days = DaysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  if (CivilFromDays(days).day != static_cast<unsigned>(d)) return bad("no such day");
  return days * kDayMs + (h * 3600LL + mi * 60LL + s) * 1000LL;
}

TimeMs DayStart(TimeMs t, TimeMs day_offset_ms) {
  return FloorDiv(t - day_offset_ms, kDayMs) * kDayMs + day_offset_ms;
}

}  // namespace osprey
