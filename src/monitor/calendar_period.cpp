#include "monitor/calendar_period.hpp"

#include <fmt/format.h>

namespace osprey {
namespace {

// 0 = Monday .. 6 = Sunday; 1970-01-01 was a Thursday.
std::int64_t IsoWeekday(std::int64_t days) { return days + 3 - FloorDiv(days + 3, 7) * 7; }

}  // namespace

std::string_view PeriodName(Period p) { return EnumNameOf(kPeriodTable, p); }
std::optional<Period> ParsePeriod(std::string_view name) { return EnumParse(kPeriodTable, name); }

IsoWeek IsoWeekFromDays(std::int64_t days) {
  const std::int64_t thursday = days - IsoWeekday(days) + 3;
  const std::int64_t year = CivilFromDays(thursday).year;
  const std::int64_t week = (thursday - DaysFromCivil(year, 1, 1)) / 7 + 1;
  return {year, static_cast<unsigned>(week)};
}

PeriodSpan PeriodOf(TimeMs t, Period period) {
  const std::int64_t days = FloorDiv(t, kDayMs);
  switch (period) {
    case Period::kDay: {
      const CivilDate c = CivilFromDays(days);
      return {days * kDayMs, (days + 1) * kDayMs,
              fmt::format("{:04}-{:02}-{:02}", c.year, c.month, c.day)};
    }
    case Period::kWeek: {
      const std::int64_t monday = days - IsoWeekday(days);
      const IsoWeek w = IsoWeekFromDays(days);
      return {monday * kDayMs, (monday + 7) * kDayMs, fmt::format("{:04}-W{:02}", w.year, w.week)};
    }
    case Period::kMonth: {
      const CivilDate c = CivilFromDays(days);
      const std::int64_t first = DaysFromCivil(c.year, c.month, 1);
      const std::int64_t next =
          c.month == 12 ? DaysFromCivil(c.year + 1, 1, 1) : DaysFromCivil(c.year, c.month + 1, 1);
      return {first * kDayMs, next * kDayMs, fmt::format("{:04}-{:02}", c.year, c.month)};
    }
  }
  return {};
}

}  // namespace osprey
