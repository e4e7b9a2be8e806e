// ComputePeriods (declared in metrics.hpp): the daily / weekly / monthly breakdown.

#include <algorithm>
#include <map>

#include "monitor/metric_primitives.hpp"
#include "monitor/metrics.hpp"
#include "monitor/trade_stats.hpp"

namespace osprey {
namespace {

// The curve to measure: the given marks in time order, or without marks one mark per closed trade
// at its exit time (starting capital plus realised pnl so far).
std::vector<EquityPoint> CurveOrRealized(const std::vector<const TradeRecord*>& closed,
                                         const std::vector<EquityPoint>& equity,
                                         double starting_capital) {
  std::vector<EquityPoint> curve = equity;
  if (curve.empty()) {
    double value = starting_capital;
    for (const TradeRecord* t : closed) {
      value += t->pnl.ToDouble();
      curve.push_back({t->exit_time, value});
    }
  }
  std::stable_sort(curve.begin(), curve.end(),
                   [](const EquityPoint& a, const EquityPoint& b) { return a.time < b.time; });
  return curve;
}

}  // namespace

std::vector<PeriodMetrics> ComputePeriods(const std::vector<TradeRecord>& trades,
                                          const std::vector<EquityPoint>& equity,
                                          double starting_capital, Period period) {
  const std::vector<const TradeRecord*> closed = ClosedTradesByExit(trades);
  const std::vector<EquityPoint> curve = CurveOrRealized(closed, equity, starting_capital);

  std::map<TimeMs, PeriodSpan> spans;  // by start: ascending
  for (const EquityPoint& p : curve) {
    PeriodSpan s = PeriodOf(p.time, period);
    spans.try_emplace(s.start, std::move(s));
  }
  for (const TradeRecord* t : closed) {
    PeriodSpan s = PeriodOf(t->exit_time, period);
    spans.try_emplace(s.start, std::move(s));
  }

  const auto mark_before = [&](TimeMs t) {
    return static_cast<std::size_t>(
        std::lower_bound(curve.begin(), curve.end(), t,
                         [](const EquityPoint& p, TimeMs v) { return p.time < v; }) -
        curve.begin());
  };
  const auto trade_before = [&](TimeMs t) {
    return std::lower_bound(closed.begin(), closed.end(), t,
                            [](const TradeRecord* r, TimeMs v) { return r->exit_time < v; });
  };

  std::vector<PeriodMetrics> out;
  out.reserve(spans.size());
  for (const auto& [start, span] : spans) {
    PeriodMetrics m;
    m.period = span.label;
    const std::size_t i0 = mark_before(span.start);  // first mark in the period
    const std::size_t i1 = mark_before(span.end);    // one past the last mark in the period
    m.start_equity = i0 > 0 ? curve[i0 - 1].equity : starting_capital;
    m.end_equity = i1 > i0 ? curve[i1 - 1].equity : m.start_equity;
    m.pnl = m.end_equity - m.start_equity;
    if (m.start_equity > 0) m.pnl_pct = 100.0 * m.pnl / m.start_equity;

    std::vector<double> marks;  // the mark before the period (if any), then the period's marks
    for (std::size_t i = i0 > 0 ? i0 - 1 : 0; i < i1; ++i) marks.push_back(curve[i].equity);
    m.sharpe = AnnualizedSharpe(SimpleReturns(marks));
    const std::span<const double> in_period(marks.data() + (i0 > 0 ? 1 : 0), i1 - i0);
    m.max_drawdown_pct = MaxDrawdown(in_period, m.start_equity).pct;

    const std::vector<const TradeRecord*> period_trades(trade_before(span.start),
                                                        trade_before(span.end));
    const TradeStats s = SummarizeTrades(period_trades);
    m.realized_pnl = s.total_pnl;
    m.n_trades = s.n_trades;
    m.wins = s.wins;
    m.losses = s.losses;
    m.win_rate = s.win_rate;
    m.profit_factor = s.profit_factor;
    m.max_consecutive_wins = s.max_consecutive_wins;
    m.max_consecutive_losses = s.max_consecutive_losses;
    m.largest_win = s.largest_win;
    m.largest_loss = s.largest_loss;
    m.average_trade_duration_hours = s.average_trade_duration_hours;
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace osprey
