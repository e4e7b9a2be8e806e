#include "monitor/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "monitor/metric_primitives.hpp"
#include "monitor/trade_stats.hpp"

namespace osprey {
namespace {

constexpr TimeMs kNever = std::numeric_limits<TimeMs>::max();

double Hours(TimeMs ms) { return static_cast<double>(ms) / static_cast<double>(kHourMs); }

// [entry, exit) of a trade; an open trade has not ended.
struct Interval {
  TimeMs begin;
  TimeMs end;
};

Interval HeldInterval(const TradeRecord& t) {
  return {t.entry_time, t.status == TradeStatus::kClosed ? t.exit_time : kNever};
}

// Union of the holding intervals of all trades, sorted and non-overlapping.
std::vector<Interval> HeldUnion(const std::vector<TradeRecord>& trades) {
  std::vector<Interval> all;
  for (const TradeRecord& t : trades) {
    const Interval i = HeldInterval(t);
    if (i.end > i.begin) all.push_back(i);
  }
  std::sort(all.begin(), all.end(),
            [](const Interval& a, const Interval& b) { return a.begin < b.begin; });
  std::vector<Interval> merged;
  for (const Interval& i : all) {
    if (!merged.empty() && i.begin <= merged.back().end) {
      merged.back().end = std::max(merged.back().end, i.end);
    } else {
      merged.push_back(i);
    }
  }
  return merged;
}

// Percent of the steps [t_{i-1}, t_i) of the curve during which some position was open.
double ExposurePct(const std::vector<TradeRecord>& trades, const std::vector<EquityPoint>& equity) {
  if (equity.size() < 2) return 0;
  const std::vector<Interval> held = HeldUnion(trades);
  std::size_t j = 0;
  int exposed = 0;
  for (std::size_t i = 1; i < equity.size(); ++i) {
    const TimeMs a = equity[i - 1].time;
    const TimeMs b = equity[i].time;
    while (j < held.size() && held[j].end <= a) ++j;
    if (j < held.size() && held[j].begin < b) ++exposed;
  }
  return 100.0 * exposed / static_cast<double>(equity.size() - 1);
}

// 100 * sum(entry notional * hours held within the curve) / (mean equity * curve hours).
double CapitalEfficiencyPct(const std::vector<TradeRecord>& trades,
                            const std::vector<EquityPoint>& equity) {
  if (equity.size() < 2) return 0;
  const TimeMs first = equity.front().time;
  const TimeMs last = equity.back().time;
  double mean_equity = 0;
  for (const EquityPoint& p : equity) mean_equity += p.equity;
  mean_equity /= static_cast<double>(equity.size());
  if (last <= first || mean_equity <= 0) return 0;
  double deployed = 0;  // quote-asset hours
  for (const TradeRecord& t : trades) {
    const Interval i = HeldInterval(t);
    const TimeMs begin = std::max(i.begin, first);
    const TimeMs end = std::min(i.end, last);
    if (end <= begin) continue;
    deployed += (t.entry_price.ToDouble() * t.quantity.ToDouble()) * Hours(end - begin);
  }
  return 100.0 * deployed / (mean_equity * Hours(last - first));
}

double FeesPaid(const std::vector<TradeRecord>& trades) {
  Decimal fees;
  for (const TradeRecord& t : trades) {
    fees += t.entry_fee;
    for (const ExitFill& f : t.exits) fees += f.fee;
  }
  return fees.ToDouble();
}

}  // namespace

PerformanceMetrics ComputeMetrics(const std::vector<TradeRecord>& trades,
                                  const std::vector<EquityPoint>& equity, double starting_capital) {
  PerformanceMetrics m;
  const TradeStats s = SummarizeTrades(ClosedTradesByExit(trades));
  m.n_trades = s.n_trades;
  m.wins = s.wins;
  m.losses = s.losses;
  m.win_rate = s.win_rate;
  m.gross_profit = s.gross_profit;
  m.gross_loss = s.gross_loss;
  m.profit_factor = s.profit_factor;
  m.total_pnl = s.total_pnl;
  m.max_consecutive_wins = s.max_consecutive_wins;
  m.max_consecutive_losses = s.max_consecutive_losses;
  m.largest_win = s.largest_win;
  m.largest_loss = s.largest_loss;
  m.average_win = s.average_win;
  m.average_loss = s.average_loss;
  m.expectancy = s.expectancy;
  m.average_trade_duration_hours = s.average_trade_duration_hours;
  m.fees_paid = FeesPaid(trades);

  std::vector<double> values;
  values.reserve(equity.size());
  for (const EquityPoint& p : equity) values.push_back(p.equity);

  m.final_equity = values.empty() ? starting_capital + m.total_pnl : values.back();
  if (starting_capital > 0) {
    m.return_pct = 100.0 * (m.final_equity - starting_capital) / starting_capital;
  }

  const Drawdown dd = MaxDrawdown(values, starting_capital);
  m.max_drawdown_pct = dd.pct;
  m.max_drawdown_abs = dd.abs;

  const std::vector<double> returns = SimpleReturns(values);
  m.sharpe = AnnualizedSharpe(returns);
  m.sortino = AnnualizedSortino(returns);
  m.volatility_annual_pct = AnnualizedVolatilityPct(returns);

  if (equity.size() >= 2 && starting_capital > 0) {
    const double hours = Hours(equity.back().time - equity.front().time);
    if (hours > 0) {
      const double growth = m.final_equity / starting_capital;
      const double annual =
          growth <= 0 ? -100.0 : 100.0 * (std::pow(growth, kHoursPerYear / hours) - 1.0);
      if (std::isfinite(annual)) m.annualized_return_pct = annual;
    }
  }
  if (m.annualized_return_pct && m.max_drawdown_pct > 0) {
    m.calmar = *m.annualized_return_pct / m.max_drawdown_pct;
  }

  m.capital_efficiency = CapitalEfficiencyPct(trades, equity);
  m.exposure_pct = ExposurePct(trades, equity);
  return m;
}

}  // namespace osprey
