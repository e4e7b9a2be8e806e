#include "app/report_command.hpp"

#include <fmt/format.h>

#include <iostream>
#include <map>
#include <optional>

#include "app/exit_codes.hpp"
#include "store/sqlite_trade_store.hpp"

namespace osprey {
namespace {

std::string Ratio(const std::optional<double>& v) {
  return v ? fmt::format("{:.2f}", *v) : std::string("-");
}

// Each period's marks, the last mark of the previous period first (as ComputePeriods measures
// returns), by period label.
std::map<std::string, std::vector<EquityPoint>> Windows(const std::vector<EquityPoint>& curve,
                                                        Period period) {
  std::map<std::string, std::vector<EquityPoint>> out;
  for (std::size_t i = 0; i < curve.size(); ++i) {
    std::vector<EquityPoint>& w = out[PeriodOf(curve[i].time, period).label];
    if (w.empty() && i > 0) w.push_back(curve[i - 1]);
    w.push_back(curve[i]);
  }
  return out;
}

}  // namespace

std::vector<EquityPoint> HourlyCurve(const std::vector<EquitySnapshot>& snapshots) {
  std::vector<EquityPoint> curve;
  for (std::size_t i = 0; i < snapshots.size(); ++i) {
    const double equity = snapshots[i].equity.ToDouble();
    const TimeMs until = i + 1 < snapshots.size() ? snapshots[i + 1].time : snapshots[i].time + 1;
    for (TimeMs t = snapshots[i].time; t < until; t += kHourMs) curve.push_back({t, equity});
  }
  return curve;
}

std::string FormatPeriodReport(const std::vector<TradeRecord>& trades,
                               const std::vector<EquityPoint>& equity, Period period) {
  const double starting_capital = equity.empty() ? 0.0 : equity.front().equity;
  const std::vector<PeriodMetrics> rows = ComputePeriods(trades, equity, starting_capital, period);
  if (rows.empty()) return "no equity marks or closed trades in the store\n";
  const auto windows = Windows(equity, period);
  const auto window_metrics = [&](const PeriodMetrics& row) {
    const auto it = windows.find(row.period);
    return ComputeMetrics(trades, it == windows.end() ? std::vector<EquityPoint>{} : it->second,
                          row.start_equity);
  };

  std::string out;
  switch (period) {
    case Period::kDay:
      out += fmt::format("{:<10} {:>12} {:>8} {:>6} {:>6} {:>9} {:>11} {:>12} {:>12}\n", "day",
                         "P&L", "P&L %", "trades", "win %", "max wins", "max losses", "largest win",
                         "largest loss");
      for (const PeriodMetrics& r : rows) {
        out += fmt::format(
            "{:<10} {:>12.2f} {:>+8.2f} {:>6} {:>6.1f} {:>9} {:>11} {:>12.2f} {:>12.2f}\n",
            r.period, r.pnl, r.pnl_pct, r.n_trades, r.win_rate, r.max_consecutive_wins,
            r.max_consecutive_losses, r.largest_win, r.largest_loss);
      }
      break;
    case Period::kWeek:
      out += fmt::format("{:<8} {:>8} {:>6} {:>13} {:>7} {:>15} {:>14}\n", "week", "P&L %",
                         "trades", "profit factor", "Sharpe", "avg duration h", "capital eff. %");
      for (const PeriodMetrics& r : rows) {
        out += fmt::format("{:<8} {:>+8.2f} {:>6} {:>13} {:>7} {:>15.1f} {:>14.1f}\n", r.period,
                           r.pnl_pct, r.n_trades, Ratio(r.profit_factor), Ratio(r.sharpe),
                           r.average_trade_duration_hours, window_metrics(r).capital_efficiency);
      }
      break;
    case Period::kMonth:
      out += fmt::format("{:<7} {:>8} {:>12} {:>6} {:>15} {:>7} {:>17}\n", "month", "ROI %", "P&L",
                         "trades", "max drawdown %", "Calmar", "volatility % p.a.");
      for (const PeriodMetrics& r : rows) {
        const PerformanceMetrics m = window_metrics(r);
        out += fmt::format("{:<7} {:>+8.2f} {:>12.2f} {:>6} {:>15.2f} {:>7} {:>17.1f}\n", r.period,
                           r.pnl_pct, r.pnl, r.n_trades, r.max_drawdown_pct, Ratio(m.calmar),
                           m.volatility_annual_pct);
      }
      break;
  }
  return out;
}

int RunReportCommand(const std::string& db_path, const std::string& period_name) {
  constexpr std::string_view kCommand = "report";
  const std::optional<Period> period = ParsePeriod(period_name);
  if (!period) {
    return ReportError(kCommand,
                       Error{ErrorCode::kInvalidArgument,
                             fmt::format("--period: '{}' is not day, week or month", period_name)});
  }
  auto trades = ReadTradesFile(db_path);
  if (!trades) return ReportError(kCommand, trades.error());
  auto snapshots = ReadEquityFile(db_path);
  if (!snapshots) return ReportError(kCommand, snapshots.error());
  std::cout << FormatPeriodReport(*trades, HourlyCurve(*snapshots), *period);
  return kExitOk;
}

}  // namespace osprey
