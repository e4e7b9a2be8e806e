// The report's tables: one row per period with the spec's columns for that period.
#include "app/report_command.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

namespace osprey {
namespace {

using ::testing::HasSubstr;

TimeMs At(std::string_view iso) { return ParseIsoUtc(iso).value(); }

TradeRecord Closed(std::string id, TimeMs entry, TimeMs exit, std::string_view pnl) {
  TradeRecord t;
  t.id = std::move(id);
  t.symbol = "BTCUSDT";
  t.entry_time = entry;
  t.exit_time = exit;
  t.entry_price = Dec("100");
  t.quantity = Dec("1");
  t.pnl = Dec(pnl);
  t.exit_reason = ExitReason::kStopLoss;
  t.status = TradeStatus::kClosed;
  return t;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// Marks every hour from 2024-01-01T01:00Z to 2024-01-03T00:00Z: 1000 on day one, 1010 on day
// two (the last mark, midnight, belongs to day three).
std::vector<EquityPoint> TwoDays() {
  std::vector<EquityPoint> curve;
  for (int h = 1; h <= 48; ++h) {
    curve.push_back({At("2024-01-01T00:00:00Z") + h * kHourMs, h < 24 ? 1000.0 : 1010.0});
  }
  return curve;
}

TEST(ReportTest, DailyRowsCarryPnlWinRateStreaksAndExtremes) {
  const std::vector<TradeRecord> trades = {
      Closed("a", At("2024-01-02T01:00:00Z"), At("2024-01-02T03:00:00Z"), "15"),
      Closed("b", At("2024-01-02T04:00:00Z"), At("2024-01-02T05:00:00Z"), "-5"),
  };
  const auto lines = Lines(FormatPeriodReport(trades, TwoDays(), Period::kDay));
  ASSERT_EQ(lines.size(), 4u);  // header + 3 days
  EXPECT_THAT(lines[0], HasSubstr("win %"));
  EXPECT_THAT(lines[0], HasSubstr("largest loss"));
  EXPECT_EQ(lines[1],
            "2024-01-01         0.00    +0.00      0    0.0         0           0         0.00"
            "         0.00");
  EXPECT_EQ(lines[2],
            "2024-01-02        10.00    +1.00      2   50.0         1           1        15.00"
            "        -5.00");
  EXPECT_THAT(lines[3], HasSubstr("2024-01-03"));
}

TEST(ReportTest, WeeklyRowsCarryProfitFactorSharpeDurationAndCapitalEfficiency) {
  const std::vector<TradeRecord> trades = {
      Closed("a", At("2024-01-02T01:00:00Z"), At("2024-01-02T03:00:00Z"), "15"),
      Closed("b", At("2024-01-02T04:00:00Z"), At("2024-01-02T05:00:00Z"), "-5"),
  };
  const auto lines = Lines(FormatPeriodReport(trades, TwoDays(), Period::kWeek));
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_THAT(lines[0], HasSubstr("profit factor"));
  EXPECT_THAT(lines[0], HasSubstr("capital eff. %"));
  // 2024-01-01 is the Monday of 2024-W01; profit factor 15 / 5; mean duration 1.5 h; 300
  // quote-hours held over 47 hours at a mean equity of ~1005 gives 0.6%.
  EXPECT_THAT(lines[1], HasSubstr("2024-W01"));
  EXPECT_THAT(lines[1], HasSubstr("+1.00"));
  EXPECT_THAT(lines[1], HasSubstr(" 3.00 "));
  EXPECT_THAT(lines[1], HasSubstr(" 1.5 "));
  EXPECT_THAT(lines[1], HasSubstr(" 0.6"));
}

TEST(ReportTest, MonthlyRowsCarryRoiDrawdownCalmarAndVolatility) {
  std::vector<EquityPoint> curve = TwoDays();
  curve.push_back({At("2024-02-01T00:00:00Z"), 909.0});  // February: -10% from 1010
  const auto lines = Lines(FormatPeriodReport({}, curve, Period::kMonth));
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_THAT(lines[0], HasSubstr("Calmar"));
  EXPECT_THAT(lines[0], HasSubstr("volatility % p.a."));
  EXPECT_THAT(lines[1], HasSubstr("2024-01"));
  EXPECT_THAT(lines[1], HasSubstr("+1.00"));
  EXPECT_THAT(lines[2], HasSubstr("2024-02"));
  EXPECT_THAT(lines[2], HasSubstr("-10.00"));
  EXPECT_THAT(lines[2], HasSubstr(" 10.00 "));  // the drawdown from 1010
}

TEST(ReportTest, TheStoredStepFunctionBecomesAnHourlyCurveEndingAtTheLastRow) {
  const TimeMs t0 = At("2024-01-01T01:00:00Z");
  const std::vector<EquitySnapshot> rows = {
      {t0, Dec("1000"), Dec("1000"), 0},
      {t0 + 3 * kHourMs, Dec("990.5"), Dec("900"), 1},
      {t0 + 4 * kHourMs, Dec("1001"), Dec("1001"), 0},
  };
  const std::vector<EquityPoint> curve = HourlyCurve(rows);
  ASSERT_EQ(curve.size(), 5u);
  for (std::size_t i = 0; i < curve.size(); ++i) {
    EXPECT_EQ(curve[i].time, t0 + static_cast<TimeMs>(i) * kHourMs);
  }
  EXPECT_EQ(curve[2].equity, 1000.0);
  EXPECT_EQ(curve[3].equity, 990.5);
  EXPECT_EQ(curve[4].equity, 1001.0);
  EXPECT_TRUE(HourlyCurve({}).empty());
}

TEST(ReportTest, AnEmptyStoreSaysSo) {
  EXPECT_EQ(FormatPeriodReport({}, {}, Period::kDay),
            "no equity marks or closed trades in the store\n");
}

TEST(ReportTest, AnUnknownPeriodOrAMissingStoreExitsTwo) {
  EXPECT_EQ(RunReportCommand("no/such/store.db", "year"), 2);
  EXPECT_EQ(RunReportCommand(::testing::TempDir() + "osprey_report_missing.db", "day"), 2);
}

}  // namespace
}  // namespace osprey
