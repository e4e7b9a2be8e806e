#pragma once
// Calendar periods for the performance breakdown: UTC days, ISO 8601 weeks (Monday start) and UTC
// months. Pure functions; thread-safe.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/enum_table.hpp"
#include "core/time.hpp"

namespace osprey {

enum class Period { kDay, kWeek, kMonth };
inline constexpr std::array<EnumName<Period>, 3> kPeriodTable{{
    {Period::kDay, "day"},
    {Period::kWeek, "week"},
    {Period::kMonth, "month"},
}};
static_assert(kPeriodTable.size() == static_cast<std::size_t>(Period::kMonth) + 1 &&
              EnumTableComplete(kPeriodTable));
std::string_view PeriodName(Period p);  // "day", "week", "month"
// The period named exactly `name`; nullopt for any other text.
std::optional<Period> ParsePeriod(std::string_view name);

// ISO 8601 week-numbering: the week belongs to the year that holds its Thursday, so 2024-12-30
// (a Monday) is 2025-W01 and 2021-01-03 (a Sunday) is 2020-W53.
struct IsoWeek {
  std::int64_t year = 0;
  unsigned week = 0;  // 1..53
};
// `days` counts days since 1970-01-01 (as DaysFromCivil returns).
IsoWeek IsoWeekFromDays(std::int64_t days);

// The half-open UTC interval [start, end) of one period and its label:
// "2024-03-01" (day), "2024-W09" (ISO week), "2024-03" (month).
struct PeriodSpan {
  TimeMs start = 0;
  TimeMs end = 0;
  std::string label;
};
// The period of kind `period` that contains instant `t` (also for t before 1970).
PeriodSpan PeriodOf(TimeMs t, Period period);

}  // namespace osprey
