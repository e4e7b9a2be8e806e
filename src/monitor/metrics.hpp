#pragma once
// Performance metrics of a run (backtest, paper or live) for the spec's "Performance Metrics
// Calculated": the whole-run summary and the daily / weekly / monthly breakdown. Every formula and
// convention is written out in docs/metrics.md.
//
// Metrics are analytics, so they are doubles; money in the trades stays Decimal and is converted
// once here. Pure functions of their inputs: deterministic and thread-safe.

#include <optional>
#include <string>
#include <vector>

#include "core/time.hpp"
#include "core/trade_record.hpp"
#include "monitor/calendar_period.hpp"

namespace osprey {

// One mark of account equity (cash + open positions at market), normally one per hour.
// A curve is a vector of marks in ascending time.
struct EquityPoint {
  TimeMs time = 0;
  double equity = 0;
};

// Whole-run metrics. Counts and trade statistics use closed trades only; a win is pnl > 0, every
// other closed trade (break-even included) is a loss. Percentages are 0..100. A ratio that has no
// finite value (nothing to divide by) is nullopt rather than infinity.
struct PerformanceMetrics {
  int n_trades = 0;
  int wins = 0;
  int losses = 0;
  double win_rate = 0;  // percent
  double gross_profit = 0;
  double gross_loss = 0;                // <= 0
  std::optional<double> profit_factor;  // gross_profit / |gross_loss|; nullopt without losses
  double total_pnl = 0;                 // realised, net of fees
  double return_pct = 0;                // 100 * (final_equity - starting_capital) / starting
  double final_equity = 0;              // last mark; starting_capital + total_pnl without a curve
  double max_drawdown_pct = 0;          // reference strategy R9
  double max_drawdown_abs = 0;
  int max_consecutive_wins = 0;
  int max_consecutive_losses = 0;
  double largest_win = 0;
  double largest_loss = 0;  // most negative pnl
  double average_win = 0;
  double average_loss = 0;  // <= 0
  double expectancy = 0;    // total_pnl / n_trades
  double average_trade_duration_hours = 0;
  std::optional<double> sharpe;   // annualised, from hourly equity returns
  std::optional<double> sortino;  // annualised, downside deviation over all returns
  double volatility_annual_pct = 0;
  std::optional<double> annualized_return_pct;  // compounded over the curve's span
  std::optional<double> calmar;                 // annualized_return_pct / max_drawdown_pct
  double capital_efficiency = 0;  // percent of average equity held in positions, time-weighted
  double exposure_pct = 0;        // percent of curve hours with at least one open position
  double fees_paid = 0;           // entry and exit fees of every trade, open ones included
};

// `equity` is the hourly curve in ascending time (may be empty); `starting_capital` is the
// account value before the first trade. Never fails: empty inputs give zeros and nullopt.
PerformanceMetrics ComputeMetrics(const std::vector<TradeRecord>& trades,
                                  const std::vector<EquityPoint>& equity, double starting_capital);

// Metrics of one calendar period (UTC). Trades belong to the period of their exit_time.
struct PeriodMetrics {
  std::string period;       // "2024-03-01", "2024-W09" (ISO week), "2024-03"
  double start_equity = 0;  // last mark before the period, else starting capital
  double end_equity = 0;    // last mark in the period, else start_equity
  double pnl = 0;           // end_equity - start_equity (realised and unrealised)
  double pnl_pct = 0;       // 100 * pnl / start_equity
  double realized_pnl = 0;  // sum of pnl of the trades closed in the period
  int n_trades = 0;
  int wins = 0;
  int losses = 0;
  double win_rate = 0;  // percent
  std::optional<double> profit_factor;
  std::optional<double> sharpe;  // from the hourly returns ending in the period
  double max_drawdown_pct = 0;   // within the period, the peak starting at start_equity
  int max_consecutive_wins = 0;
  int max_consecutive_losses = 0;
  double largest_win = 0;
  double largest_loss = 0;
  double average_trade_duration_hours = 0;
};

// One entry per period that holds an equity mark or a trade exit, in ascending order; periods
// with neither are left out. Without a curve, equity is starting_capital plus realised pnl.
std::vector<PeriodMetrics> ComputePeriods(const std::vector<TradeRecord>& trades,
                                          const std::vector<EquityPoint>& equity,
                                          double starting_capital, Period period);

}  // namespace osprey
