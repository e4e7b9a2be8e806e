#pragma once
// `osprey report --period day|week|month [--db FILE]`: the spec's performance tables ("Performance
// Metrics Calculated") from a trade store, opened read-only, one row per UTC day, ISO week or month
// (docs/metrics.md, ComputePeriods):
//   day    P&L, P&L %, closed trades, win rate, longest win and loss streaks, largest win and loss
//   week   P&L %, closed trades, profit factor, Sharpe, average trade duration, capital efficiency
//   month  ROI %, P&L, closed trades, max drawdown %, Calmar, annualised volatility
// The store keeps equity as a step function (a row when it changed): the hourly curve is rebuilt
// from it up to the last row, so periods after the last change (flat, tradeless) are not listed.
// The store keeps no starting capital: the equity before the first mark is taken to be the first
// mark's (a backtest's first row is its first hour, before any trade closes). Week and month
// columns that ComputePeriods lacks (capital efficiency, Calmar, volatility) come from
// ComputeMetrics over that period's marks, the mark before it included, with the period's opening
// equity as starting capital. A ratio without a finite value prints "-".

#include <string>
#include <vector>

#include "core/trade_record.hpp"
#include "monitor/calendar_period.hpp"
#include "monitor/metrics.hpp"
#include "trading/journal_types.hpp"

namespace osprey {

// The hourly curve the stored step function stands for: each row's equity repeated every hour
// until the next row, ending at the last row. Rows must be in ascending time.
std::vector<EquityPoint> HourlyCurve(const std::vector<EquitySnapshot>& snapshots);

// The table of `period` as text, header line first; one line saying there is nothing to report
// when there is neither a mark nor a closed trade. Deterministic.
std::string FormatPeriodReport(const std::vector<TradeRecord>& trades,
                               const std::vector<EquityPoint>& equity, Period period);

// Exit 0 after printing the table; 2 naming the problem for a period other than day, week or
// month, a missing file or one that is not an Osprey store; 1 when the store cannot be read.
int RunReportCommand(const std::string& db_path, const std::string& period);

}  // namespace osprey
