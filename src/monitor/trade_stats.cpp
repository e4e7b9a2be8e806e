#include "monitor/trade_stats.hpp"

#include <algorithm>

#include "monitor/metric_primitives.hpp"

namespace osprey {

std::vector<const TradeRecord*> ClosedTradesByExit(const std::vector<TradeRecord>& trades) {
  std::vector<const TradeRecord*> closed;
  for (const TradeRecord& t : trades) {
    if (t.status == TradeStatus::kClosed) closed.push_back(&t);
  }
  std::stable_sort(closed.begin(), closed.end(), [](const TradeRecord* a, const TradeRecord* b) {
    return a->exit_time < b->exit_time;
  });
  return closed;
}

TradeStats SummarizeTrades(const std::vector<const TradeRecord*>& closed) {
  TradeStats s;
  std::vector<double> pnls;
  pnls.reserve(closed.size());
  double duration_hours = 0;
  for (const TradeRecord* t : closed) {
    const double pnl = t->pnl.ToDouble();
    pnls.push_back(t->pnl.IsPositive() ? pnl : std::min(pnl, 0.0));
    if (t->pnl.IsPositive()) {
      if (s.wins == 0 || pnl > s.largest_win) s.largest_win = pnl;
      ++s.wins;
      s.gross_profit += pnl;
    } else {
      if (s.losses == 0 || pnl < s.largest_loss) s.largest_loss = pnl;
      ++s.losses;
      s.gross_loss += pnl;
    }
    s.total_pnl += pnl;
    duration_hours +=
        static_cast<double>(t->exit_time - t->entry_time) / static_cast<double>(kHourMs);
  }
  s.n_trades = static_cast<int>(closed.size());
  if (s.n_trades == 0) return s;
  const double n = static_cast<double>(s.n_trades);
  s.win_rate = 100.0 * s.wins / n;
  if (s.gross_loss < 0) s.profit_factor = s.gross_profit / -s.gross_loss;
  if (s.wins > 0) s.average_win = s.gross_profit / s.wins;
  if (s.losses > 0) s.average_loss = s.gross_loss / s.losses;
  s.expectancy = s.total_pnl / n;
  s.average_trade_duration_hours = duration_hours / n;
  const Streaks streaks = LongestStreaks(pnls);
  s.max_consecutive_wins = streaks.max_wins;
  s.max_consecutive_losses = streaks.max_losses;
  return s;
}

}  // namespace osprey
