#include "monitor/metrics.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "monitor/calendar_period.hpp"
#include "monitor/metric_primitives.hpp"

namespace osprey {
namespace {

TimeMs At(std::string_view iso) { return ParseIsoUtc(iso).value(); }

TradeRecord Closed(std::string id, TimeMs entry, TimeMs exit, std::string_view pnl) {
  TradeRecord t;
  t.id = std::move(id);
  t.symbol = "BTCUSDT";
  t.entry_time = entry;
  t.exit_time = exit;
  t.entry_price = Dec("10");
  t.quantity = Dec("1");
  t.pnl = Dec(pnl);
  t.status = TradeStatus::kClosed;
  return t;
}

// Trades closing one hour apart, in the given pnl order.
std::vector<TradeRecord> Sequence(const std::vector<std::string>& pnls) {
  std::vector<TradeRecord> out;
  for (std::size_t i = 0; i < pnls.size(); ++i) {
    const TimeMs exit = static_cast<TimeMs>(i + 1) * kHourMs;
    out.push_back(Closed(fmt::format("t{}", i), exit - kHourMs, exit, pnls[i]));
  }
  return out;
}

std::vector<EquityPoint> Hourly(const std::vector<double>& values, TimeMs start = 0) {
  std::vector<EquityPoint> out;
  for (std::size_t i = 0; i < values.size(); ++i) {
    out.push_back({start + static_cast<TimeMs>(i) * kHourMs, values[i]});
  }
  return out;
}

TEST(MetricsTest, EmptyInputsGiveZerosAndNoRatios) {
  const PerformanceMetrics m = ComputeMetrics({}, {}, 1000);
  EXPECT_EQ(m.n_trades, 0);
  EXPECT_EQ(m.wins, 0);
  EXPECT_EQ(m.losses, 0);
  EXPECT_EQ(m.win_rate, 0);
  EXPECT_FALSE(m.profit_factor);
  EXPECT_FALSE(m.sharpe);
  EXPECT_FALSE(m.sortino);
  EXPECT_FALSE(m.calmar);
  EXPECT_FALSE(m.annualized_return_pct);
  EXPECT_EQ(m.final_equity, 1000);
  EXPECT_EQ(m.return_pct, 0);
  EXPECT_EQ(m.max_drawdown_pct, 0);
  EXPECT_EQ(m.volatility_annual_pct, 0);
  EXPECT_EQ(m.exposure_pct, 0);
  EXPECT_EQ(m.capital_efficiency, 0);
  EXPECT_EQ(m.fees_paid, 0);

  const PerformanceMetrics zero = ComputeMetrics({}, {}, 0);
  EXPECT_EQ(zero.return_pct, 0);
  EXPECT_TRUE(ComputePeriods({}, {}, 1000, Period::kDay).empty());
}

TEST(MetricsTest, MaxDrawdownFollowsR9) {
  // peak 110 after the second mark; 99 is (110 - 99) / 110 = 10% and 11 below it; 120 a new peak.
  const PerformanceMetrics m = ComputeMetrics({}, Hourly({100, 110, 99, 120}), 100);
  EXPECT_DOUBLE_EQ(m.max_drawdown_pct, 10.0);
  EXPECT_DOUBLE_EQ(m.max_drawdown_abs, 11.0);
  EXPECT_DOUBLE_EQ(m.final_equity, 120);
  EXPECT_DOUBLE_EQ(m.return_pct, 20);
}

TEST(MetricsTest, DrawdownPeakStartsAtStartingCapital) {
  // peak[t] = max(starting_capital, equity[0..t]): the curve never regains 1000.
  const PerformanceMetrics m = ComputeMetrics({}, Hourly({950, 900, 980}), 1000);
  EXPECT_DOUBLE_EQ(m.max_drawdown_pct, 10.0);
  EXPECT_DOUBLE_EQ(m.max_drawdown_abs, 100.0);
}

TEST(MetricsTest, DrawdownPctAndAbsAreMaximisedSeparately) {
  // 100 -> 50 is 50% (abs 50); later 1000 -> 800 is only 20% but 200 in money.
  const Drawdown dd = MaxDrawdown(std::vector<double>{100, 50, 1000, 800}, 100);
  EXPECT_DOUBLE_EQ(dd.pct, 50.0);
  EXPECT_DOUBLE_EQ(dd.abs, 200.0);
}

TEST(MetricsTest, WinRateProfitFactorAndAverages) {
  // +30 -10 +20 0 -20: a zero pnl is a loss. Wins 2, losses 3, win rate 40%.
  // gross profit 50, gross loss -30, profit factor 50/30, average win 25, average loss -10,
  // expectancy 20/5 = 4.
  const PerformanceMetrics m = ComputeMetrics(Sequence({"30", "-10", "20", "0", "-20"}), {}, 1000);
  EXPECT_EQ(m.n_trades, 5);
  EXPECT_EQ(m.wins, 2);
  EXPECT_EQ(m.losses, 3);
  EXPECT_DOUBLE_EQ(m.win_rate, 40.0);
  EXPECT_DOUBLE_EQ(m.gross_profit, 50.0);
  EXPECT_DOUBLE_EQ(m.gross_loss, -30.0);
  ASSERT_TRUE(m.profit_factor);
  EXPECT_DOUBLE_EQ(*m.profit_factor, 50.0 / 30.0);
  EXPECT_DOUBLE_EQ(m.total_pnl, 20.0);
  EXPECT_DOUBLE_EQ(m.largest_win, 30.0);
  EXPECT_DOUBLE_EQ(m.largest_loss, -20.0);
  EXPECT_DOUBLE_EQ(m.average_win, 25.0);
  EXPECT_DOUBLE_EQ(m.average_loss, -10.0);
  EXPECT_DOUBLE_EQ(m.expectancy, 4.0);
  // Without a curve the final equity is starting capital plus realised pnl.
  EXPECT_DOUBLE_EQ(m.final_equity, 1020.0);
  EXPECT_DOUBLE_EQ(m.return_pct, 2.0);
}

TEST(MetricsTest, NoLossesMeansNoProfitFactor) {
  const PerformanceMetrics m = ComputeMetrics(Sequence({"5", "7"}), {}, 1000);
  EXPECT_FALSE(m.profit_factor);
  EXPECT_DOUBLE_EQ(m.win_rate, 100.0);
  EXPECT_EQ(m.largest_loss, 0);
  EXPECT_EQ(m.average_loss, 0);
}

TEST(MetricsTest, ConsecutiveRunsFollowExitOrder) {
  // In exit order: W W L L L W -> 2 wins in a row, 3 losses in a row.
  std::vector<TradeRecord> trades = Sequence({"10", "5", "-1", "0", "-2", "3"});
  std::swap(trades[0], trades[4]);  // input order must not matter
  const PerformanceMetrics m = ComputeMetrics(trades, {}, 1000);
  EXPECT_EQ(m.max_consecutive_wins, 2);
  EXPECT_EQ(m.max_consecutive_losses, 3);
}

TEST(MetricsTest, OpenTradesAreNotCountedButTheirFeesAre) {
  std::vector<TradeRecord> trades = Sequence({"10"});
  trades[0].entry_fee = Dec("0.1");
  ExitFill fill;
  fill.fee = Dec("0.05");
  trades[0].exits.push_back(fill);
  fill.fee = Dec("0.07");
  trades[0].exits.push_back(fill);
  TradeRecord open;
  open.entry_time = 5 * kHourMs;
  open.entry_fee = Dec("0.2");
  open.pnl = Dec("999");  // meaningless while open
  trades.push_back(open);
  const PerformanceMetrics m = ComputeMetrics(trades, {}, 1000);
  EXPECT_EQ(m.n_trades, 1);
  EXPECT_DOUBLE_EQ(m.total_pnl, 10);
  EXPECT_DOUBLE_EQ(m.fees_paid, 0.42);
}

TEST(MetricsTest, AverageDurationInHours) {
  const std::vector<TradeRecord> trades = {Closed("a", 0, 2 * kHourMs, "1"),
                                           Closed("b", kHourMs, 5 * kHourMs, "-1")};
  EXPECT_DOUBLE_EQ(ComputeMetrics(trades, {}, 100).average_trade_duration_hours, 3.0);
}

TEST(MetricsTest, SharpeSortinoVolatilityByHand) {
  // Equity 100, 101, 99.99, 101.9898: hourly returns r = +0.01, -0.01, +0.02.
  // mean = 0.02 / 3 = 0.00666667
  // deviations 0.00333333, -0.01666667, 0.01333333; squares sum 0.00046667;
  // sample variance 0.00046667 / 2 = 0.00023333, std = 0.01527525.
  // sqrt(24 * 365) = sqrt(8760) = 93.59487166.
  // Sharpe = 0.00666667 / 0.01527525 * 93.59487166 = 0.43643578 * 93.59487166 = 40.84815.
  // Downside deviation = sqrt((0 + 0.0001 + 0) / 3) = 0.00577350;
  // Sortino = 0.00666667 / 0.00577350 * 93.59487166 = 1.15470054 * 93.59487166 = 108.07405.
  // Volatility = 0.01527525 * 93.59487166 * 100 = 142.9685 %.
  const PerformanceMetrics m = ComputeMetrics({}, Hourly({100, 101, 99.99, 101.9898}), 100);
  ASSERT_TRUE(m.sharpe);
  ASSERT_TRUE(m.sortino);
  EXPECT_NEAR(*m.sharpe, 40.84815, 1e-4);
  EXPECT_NEAR(*m.sortino, 108.07405, 1e-4);
  EXPECT_NEAR(m.volatility_annual_pct, 142.9685, 1e-3);
}

TEST(MetricsTest, SharpeNeedsTwoReturnsAndSomeDeviation) {
  EXPECT_FALSE(ComputeMetrics({}, Hourly({100, 101}), 100).sharpe);  // one return
  const PerformanceMetrics flat = ComputeMetrics({}, Hourly({100, 100, 100}), 100);
  EXPECT_FALSE(flat.sharpe);
  EXPECT_FALSE(flat.sortino);
  EXPECT_EQ(flat.volatility_annual_pct, 0);
  // Only rising returns: Sharpe exists, Sortino has no downside.
  const PerformanceMetrics up = ComputeMetrics({}, Hourly({100, 101, 103}), 100);
  EXPECT_TRUE(up.sharpe);
  EXPECT_FALSE(up.sortino);
}

TEST(MetricsTest, CalmarIsAnnualisedReturnOverDrawdown) {
  // One year of curve (8760 h): 100 -> 90 -> 120. Annualised return = (120/100)^(8760/8760) - 1
  // = 20%; max drawdown 10%; Calmar 2.
  const std::vector<EquityPoint> curve = {{0, 100}, {4380 * kHourMs, 90}, {8760 * kHourMs, 120}};
  const PerformanceMetrics m = ComputeMetrics({}, curve, 100);
  ASSERT_TRUE(m.annualized_return_pct);
  EXPECT_NEAR(*m.annualized_return_pct, 20.0, 1e-9);
  ASSERT_TRUE(m.calmar);
  EXPECT_NEAR(*m.calmar, 2.0, 1e-9);

  // Half a year at +10%: (1.1)^2 - 1 = 21%.
  const std::vector<EquityPoint> half = {{0, 100}, {2190 * kHourMs, 95}, {4380 * kHourMs, 110}};
  const PerformanceMetrics h = ComputeMetrics({}, half, 100);
  EXPECT_NEAR(*h.annualized_return_pct, 21.0, 1e-9);
  EXPECT_NEAR(*h.calmar, 21.0 / 5.0, 1e-9);

  // No drawdown: no Calmar.
  EXPECT_FALSE(ComputeMetrics({}, Hourly({100, 101, 102}), 100).calmar);
}

TEST(MetricsTest, ExposureAndCapitalEfficiency) {
  // Marks at hours 0..4 (4 hourly steps), equity 1000 throughout.
  // One trade held from hour 1 to hour 3, notional 10 * 50 = 500.
  // Exposure: steps [1,2) and [2,3) of 4 -> 50%.
  // Capital efficiency: 500 * 2 h / (1000 * 4 h) = 25%.
  TradeRecord t = Closed("a", kHourMs, 3 * kHourMs, "0");
  t.quantity = Dec("50");
  const std::vector<EquityPoint> curve = Hourly({1000, 1000, 1000, 1000, 1000});
  PerformanceMetrics m = ComputeMetrics({t}, curve, 1000);
  EXPECT_DOUBLE_EQ(m.exposure_pct, 50.0);
  EXPECT_DOUBLE_EQ(m.capital_efficiency, 25.0);

  // An open position from hour 3.5 adds step [3,4) and 500 * 0.5 h of deployment.
  TradeRecord open = t;
  open.status = TradeStatus::kOpen;
  open.entry_time = 3 * kHourMs + 30 * kMinuteMs;
  m = ComputeMetrics({t, open}, curve, 1000);
  EXPECT_DOUBLE_EQ(m.exposure_pct, 75.0);
  EXPECT_DOUBLE_EQ(m.capital_efficiency, 100.0 * (500 * 2 + 500 * 0.5) / (1000 * 4));
}

TEST(CalendarPeriodTest, IsoWeeks) {
  const auto week = [](std::int64_t y, unsigned m, unsigned d) {
    const IsoWeek w = IsoWeekFromDays(DaysFromCivil(y, m, d));
    return fmt::format("{}-W{}", w.year, w.week);
  };
  EXPECT_EQ(week(2024, 12, 29), "2024-W52");  // Sunday
  EXPECT_EQ(week(2024, 12, 30), "2025-W1");   // Monday, its Thursday is 2025-01-02
  EXPECT_EQ(week(2025, 1, 5), "2025-W1");
  EXPECT_EQ(week(2021, 1, 3), "2020-W53");
  EXPECT_EQ(week(2024, 2, 26), "2024-W9");
  EXPECT_EQ(week(2026, 1, 1), "2026-W1");   // a Thursday
  EXPECT_EQ(week(2027, 1, 1), "2026-W53");  // a Friday: 2026 has 53 weeks
  EXPECT_EQ(week(1970, 1, 1), "1970-W1");
  EXPECT_EQ(week(1969, 12, 29), "1970-W1");  // before the epoch
}

TEST(CalendarPeriodTest, SpansAndLabels) {
  const TimeMs t = At("2024-12-31T23:59:59Z");
  const PeriodSpan day = PeriodOf(t, Period::kDay);
  EXPECT_EQ(day.label, "2024-12-31");
  EXPECT_EQ(day.start, At("2024-12-31"));
  EXPECT_EQ(day.end, At("2025-01-01"));
  const PeriodSpan week = PeriodOf(t, Period::kWeek);
  EXPECT_EQ(week.label, "2025-W01");
  EXPECT_EQ(week.start, At("2024-12-30"));
  EXPECT_EQ(week.end, At("2025-01-06"));
  const PeriodSpan month = PeriodOf(At("2024-02-29T12:00:00Z"), Period::kMonth);
  EXPECT_EQ(month.label, "2024-02");
  EXPECT_EQ(month.start, At("2024-02-01"));
  EXPECT_EQ(month.end, At("2024-03-01"));
  EXPECT_EQ(PeriodOf(At("2024-03-03"), Period::kWeek).label, "2024-W09");
  EXPECT_EQ(PeriodOf(-1, Period::kDay).label, "1969-12-31");
}

TEST(PeriodMetricsTest, MonthBoundary) {
  // Marks 2024-01-31 22:00 .. 2024-02-01 01:00: 100, 110, 105, 120; starting capital 100.
  const std::vector<EquityPoint> curve = Hourly({100, 110, 105, 120}, At("2024-01-31T22:00Z"));
  const std::vector<TradeRecord> trades = {
      Closed("jan", At("2024-01-31T22:00Z"), At("2024-01-31T23:30Z"), "10"),
      Closed("feb", At("2024-01-31T23:30Z"), At("2024-02-01T00:30Z"), "-5")};
  const std::vector<PeriodMetrics> p = ComputePeriods(trades, curve, 100, Period::kMonth);
  ASSERT_EQ(p.size(), 2u);

  // January: no mark before -> starts at the starting capital; ends at 110.
  EXPECT_EQ(p[0].period, "2024-01");
  EXPECT_DOUBLE_EQ(p[0].start_equity, 100);
  EXPECT_DOUBLE_EQ(p[0].end_equity, 110);
  EXPECT_DOUBLE_EQ(p[0].pnl, 10);
  EXPECT_DOUBLE_EQ(p[0].pnl_pct, 10);
  EXPECT_DOUBLE_EQ(p[0].realized_pnl, 10);
  EXPECT_EQ(p[0].n_trades, 1);
  EXPECT_EQ(p[0].wins, 1);
  EXPECT_DOUBLE_EQ(p[0].win_rate, 100);
  EXPECT_FALSE(p[0].profit_factor);
  EXPECT_FALSE(p[0].sharpe);  // one return (100 -> 110)
  EXPECT_DOUBLE_EQ(p[0].max_drawdown_pct, 0);

  // February: starts at the last January mark (110), ends at 120.
  EXPECT_EQ(p[1].period, "2024-02");
  EXPECT_DOUBLE_EQ(p[1].start_equity, 110);
  EXPECT_DOUBLE_EQ(p[1].end_equity, 120);
  EXPECT_DOUBLE_EQ(p[1].pnl, 10);
  EXPECT_DOUBLE_EQ(p[1].pnl_pct, 100.0 * 10 / 110);
  EXPECT_EQ(p[1].n_trades, 1);
  EXPECT_EQ(p[1].losses, 1);
  EXPECT_EQ(p[1].max_consecutive_losses, 1);
  EXPECT_DOUBLE_EQ(p[1].largest_loss, -5);
  EXPECT_DOUBLE_EQ(p[1].average_trade_duration_hours, 1.0);
  EXPECT_TRUE(p[1].sharpe);                                  // returns 110 -> 105 -> 120
  EXPECT_DOUBLE_EQ(p[1].max_drawdown_pct, 100.0 * 5 / 110);  // peak starts at 110
}

TEST(PeriodMetricsTest, IsoWeekBoundaryAtYearEnd) {
  // Sunday 2024-12-29 is in 2024-W52; Monday 2024-12-30 starts 2025-W01.
  const std::vector<EquityPoint> curve = Hourly({1000, 1010, 990}, At("2024-12-29T22:00Z"));
  const std::vector<TradeRecord> trades = {
      Closed("a", At("2024-12-29T20:00Z"), At("2024-12-29T23:00Z"), "10"),
      Closed("b", At("2024-12-29T23:00Z"), At("2024-12-30T00:00Z"), "-20")};
  const std::vector<PeriodMetrics> w = ComputePeriods(trades, curve, 1000, Period::kWeek);
  ASSERT_EQ(w.size(), 2u);
  EXPECT_EQ(w[0].period, "2024-W52");
  EXPECT_EQ(w[0].n_trades, 1);
  EXPECT_DOUBLE_EQ(w[0].end_equity, 1010);
  EXPECT_EQ(w[1].period, "2025-W01");
  EXPECT_EQ(w[1].n_trades, 1);
  EXPECT_DOUBLE_EQ(w[1].start_equity, 1010);
  EXPECT_DOUBLE_EQ(w[1].end_equity, 990);

  const std::vector<PeriodMetrics> d = ComputePeriods(trades, curve, 1000, Period::kDay);
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].period, "2024-12-29");
  EXPECT_EQ(d[1].period, "2024-12-30");
}

TEST(PeriodMetricsTest, WithoutCurveUsesRealisedPnl) {
  const std::vector<TradeRecord> trades = {
      Closed("a", At("2024-03-01T01:00Z"), At("2024-03-01T02:00Z"), "10"),
      Closed("b", At("2024-03-03T01:00Z"), At("2024-03-03T02:00Z"), "-4")};
  const std::vector<PeriodMetrics> d = ComputePeriods(trades, {}, 100, Period::kDay);
  ASSERT_EQ(d.size(), 2u);  // 2024-03-02 had neither a mark nor an exit
  EXPECT_EQ(d[0].period, "2024-03-01");
  EXPECT_DOUBLE_EQ(d[0].start_equity, 100);
  EXPECT_DOUBLE_EQ(d[0].end_equity, 110);
  EXPECT_EQ(d[1].period, "2024-03-03");
  EXPECT_DOUBLE_EQ(d[1].start_equity, 110);
  EXPECT_DOUBLE_EQ(d[1].end_equity, 106);
  EXPECT_DOUBLE_EQ(d[1].realized_pnl, -4);
}

TEST(CalendarPeriodTest, EveryPeriodNameRoundTripsAndAnUnknownOneIsRefused) {
  for (Period p : {Period::kDay, Period::kWeek, Period::kMonth}) {
    EXPECT_EQ(ParsePeriod(PeriodName(p)), p) << PeriodName(p);
  }
  EXPECT_EQ(PeriodName(Period::kWeek), "week");
  EXPECT_FALSE(ParsePeriod("year").has_value());
  EXPECT_FALSE(ParsePeriod("Day").has_value());
}

}  // namespace
}  // namespace osprey
