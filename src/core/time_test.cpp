#include "core/time.hpp"

#include <gtest/gtest.h>

#include <string>

namespace osprey {
namespace {

constexpr TimeMs kLeapDay2024 = 1'709'164'800'000;  // 2024-02-29T00:00:00Z

TEST(TimeFormatTest, FormatsKnownInstants) {
  EXPECT_EQ(FormatIsoUtc(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatIsoUtc(1'706'706'000'000), "2024-01-31T13:00:00Z");
  EXPECT_EQ(FormatIsoUtc(kLeapDay2024), "2024-02-29T00:00:00Z");
  EXPECT_EQ(FormatIsoUtc(kLeapDay2024 + 1'234), "2024-02-29T00:00:01.234Z");
  EXPECT_EQ(FormatDateUtc(kLeapDay2024 + kDayMs - 1), "2024-02-29");
  EXPECT_EQ(FormatDateUtc(kLeapDay2024 + kDayMs), "2024-03-01");
}

TEST(TimeFormatTest, NegativeTimesAreBeforeTheEpoch) {
  EXPECT_EQ(FormatIsoUtc(-1'000), "1969-12-31T23:59:59Z");
  EXPECT_EQ(FormatIsoUtc(-1), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(FormatIsoUtc(-kDayMs), "1969-12-31T00:00:00Z");
  EXPECT_EQ(FormatDateUtc(-1), "1969-12-31");
  EXPECT_EQ(*ParseIsoUtc("1969-12-31T23:59:59Z"), -1'000);
  EXPECT_EQ(*ParseIsoUtc("1969-12-31"), -kDayMs);
}

TEST(TimeParseTest, AcceptedFormsGiveTheSameInstant) {
  const TimeMs t = 1'706'706'000'000;
  EXPECT_EQ(*ParseIsoUtc("2024-01-31T13:00:00Z"), t);
  EXPECT_EQ(*ParseIsoUtc("2024-01-31T13:00Z"), t);
  EXPECT_EQ(*ParseIsoUtc("2024-01-31T13:00"), t);
  EXPECT_EQ(*ParseIsoUtc("2024-01-31 13:00:00"), t);
  EXPECT_EQ(*ParseIsoUtc("2024-01-31"), t - 13 * kHourMs);
  EXPECT_EQ(*ParseIsoUtc("2000-02-29T12:34:56Z"), 951'827'696'000);
}

TEST(TimeParseTest, RoundTripsIncludingLeapDay) {
  for (const char* text :
       {"2024-02-29T00:00:00Z", "2024-02-29T23:59:59Z", "2000-02-29T12:34:56Z",
        "1970-01-01T00:00:00Z", "2025-12-31T23:00:00Z", "1969-07-20T20:17:40Z"}) {
    auto t = ParseIsoUtc(text);
    ASSERT_TRUE(t.has_value()) << text << ": " << t.error().message;
    EXPECT_EQ(FormatIsoUtc(*t), text);
  }
  for (TimeMs t : {TimeMs{0}, kLeapDay2024, kLeapDay2024 + 17 * kHourMs + 59 * kMinuteMs,
                   TimeMs{-86'399'000}, TimeMs{4'102'444'800'000}}) {
    auto back = ParseIsoUtc(FormatIsoUtc(t));
    ASSERT_TRUE(back.has_value()) << FormatIsoUtc(t);
    EXPECT_EQ(*back, t);
  }
}

TEST(TimeParseTest, RejectsImpossibleDatesAndGarbageNamingTheText) {
  for (const char* text : {"2023-02-29",
                           "2023-02-29T00:00:00Z",
                           "2024-02-30",
                           "2024-04-31",
                           "2024-13-01",
                           "2024-00-10",
                           "2024-01-00",
                           "2024-01-32",
                           "2024-01-31T24:00:00Z",
                           "2024-01-31T23:60:00Z",
                           "2024-01-31T23:59:60Z",
                           "garbage",
                           "",
                           "2024-1-31",
                           "2024/01/31",
                           "2024-01-31X13:00",
                           "2024-01-31T13",
                           "2024-01-31T13:00:00Zjunk",
                           "2024-01-31T1a:00Z",
                           "2024-01-31T-1:00Z",
                           "2024-01-31T13:-1Z",
                           "2024-01-31T13:00:-1Z",
                           "-024-01-31",
                           "2024--1-31"}) {
    auto t = ParseIsoUtc(text);
    ASSERT_FALSE(t.has_value()) << "'" << text << "' parsed as " << FormatIsoUtc(*t);
    EXPECT_EQ(t.error().code, ErrorCode::kParse) << text;
    EXPECT_NE(t.error().message.find("'" + std::string(text) + "'"), std::string::npos)
        << t.error().message;
  }
}

TEST(TimeParseTest, NonLeapYearFebruary29SaysNoSuchDay) {
  auto t = ParseIsoUtc("2023-02-29");
  ASSERT_FALSE(t.has_value());
  EXPECT_NE(t.error().message.find("2023-02-29"), std::string::npos);
  EXPECT_NE(t.error().message.find("no such day"), std::string::npos) << t.error().message;
  // 1900 is not a leap year, 2000 is.
  EXPECT_FALSE(ParseIsoUtc("1900-02-29").has_value());
  EXPECT_TRUE(ParseIsoUtc("2000-02-29").has_value());
}

TEST(TimeCivilTest, DaysFromCivilAndBack) {
  EXPECT_EQ(DaysFromCivil(1970, 1, 1), 0);
  EXPECT_EQ(DaysFromCivil(1969, 12, 31), -1);
  EXPECT_EQ(DaysFromCivil(2024, 2, 29), kLeapDay2024 / kDayMs);
  for (std::int64_t days : {-719468LL, -1LL, 0LL, 19782LL, 2932896LL}) {
    const CivilDate c = CivilFromDays(days);
    EXPECT_EQ(DaysFromCivil(c.year, c.month, c.day), days);
  }
  const CivilDate leap = CivilFromDays(kLeapDay2024 / kDayMs);
  EXPECT_EQ(leap.year, 2024);
  EXPECT_EQ(leap.month, 2u);
  EXPECT_EQ(leap.day, 29u);
}

TEST(TimeFloorDivTest, RoundsTowardNegativeInfinityOnBothSidesOfZero) {
  EXPECT_EQ(FloorDiv(7, 2), 3);
  EXPECT_EQ(FloorDiv(6, 2), 3);
  EXPECT_EQ(FloorDiv(0, 1'000), 0);
  EXPECT_EQ(FloorDiv(-1, 1'000), -1);  // plain `/` would give 0
  EXPECT_EQ(FloorDiv(-1'000, 1'000), -1);
  EXPECT_EQ(FloorDiv(-1'001, 1'000), -2);
  EXPECT_EQ(FloorDiv(7, -2), -4);
  EXPECT_EQ(FloorDiv(-7, -2), 3);
}

TEST(TimeDayStartTest, WithoutOffsetIsUtcMidnight) {
  EXPECT_EQ(DayStart(kLeapDay2024), kLeapDay2024);
  EXPECT_EQ(DayStart(kLeapDay2024 + 13 * kHourMs + 5), kLeapDay2024);
  EXPECT_EQ(DayStart(kLeapDay2024 + kDayMs - 1), kLeapDay2024);
  EXPECT_EQ(DayStart(kLeapDay2024 + kDayMs), kLeapDay2024 + kDayMs);
}

TEST(TimeDayStartTest, WithOffsetStartsAtTheShiftedMidnight) {
  // A day that starts at 02:00 UTC.
  const TimeMs offset = 2 * kHourMs;
  EXPECT_EQ(DayStart(kLeapDay2024 + 1 * kHourMs, offset), kLeapDay2024 - kDayMs + offset);
  EXPECT_EQ(DayStart(kLeapDay2024 + 2 * kHourMs, offset), kLeapDay2024 + offset);
  EXPECT_EQ(DayStart(kLeapDay2024 + 23 * kHourMs, offset), kLeapDay2024 + offset);
  // A negative offset: -19h puts the boundary at 05:00 UTC, like +5h does.
  EXPECT_EQ(DayStart(kLeapDay2024 + 3 * kHourMs, -19 * kHourMs), kLeapDay2024 - 19 * kHourMs);
  EXPECT_EQ(DayStart(kLeapDay2024 + 3 * kHourMs, 5 * kHourMs), kLeapDay2024 - 19 * kHourMs);
  EXPECT_EQ(DayStart(kLeapDay2024 + 6 * kHourMs, -19 * kHourMs), kLeapDay2024 + 5 * kHourMs);
}

TEST(TimeDayStartTest, NegativeTimesFloorTowardsThePast) {
  EXPECT_EQ(DayStart(-1), -kDayMs);
  EXPECT_EQ(DayStart(-kDayMs), -kDayMs);
  EXPECT_EQ(DayStart(-kDayMs - 1), -2 * kDayMs);
  EXPECT_EQ(DayStart(-1, kHourMs), -kDayMs + kHourMs);
  EXPECT_EQ(DayStart(kHourMs - 1, kHourMs), -kDayMs + kHourMs);
  EXPECT_EQ(DayStart(kHourMs, kHourMs), kHourMs);
}

}  // namespace
}  // namespace osprey
