#pragma once
// Statistics over a list of closed trades, shared by the whole-run metrics and the periodic
// breakdown. A win is a trade with pnl > 0; every other closed trade (pnl <= 0, break-even
// included, since fees were paid for nothing) is a loss. Pure functions; thread-safe.

#include <optional>
#include <vector>

#include "core/trade_record.hpp"

namespace osprey {

// Closed trades in the order they exited (ties keep their input order). The pointers point into
// `trades`, which must outlive the result.
std::vector<const TradeRecord*> ClosedTradesByExit(const std::vector<TradeRecord>& trades);

struct TradeStats {
  int n_trades = 0;
  int wins = 0;
  int losses = 0;
  double win_rate = 0;                  // percent of closed trades, 0..100 (0 without trades)
  double gross_profit = 0;              // sum of winning pnl (>= 0)
  double gross_loss = 0;                // sum of losing pnl (<= 0)
  std::optional<double> profit_factor;  // gross_profit / |gross_loss|; nullopt when gross_loss == 0
  double total_pnl = 0;
  int max_consecutive_wins = 0;
  int max_consecutive_losses = 0;
  double largest_win = 0;   // highest pnl among wins, 0 without wins
  double largest_loss = 0;  // lowest (most negative) pnl among losses, 0 without losses
  double average_win = 0;   // gross_profit / wins
  double average_loss = 0;  // gross_loss / losses (<= 0)
  double expectancy = 0;    // total_pnl / n_trades: the average result of one trade
  double average_trade_duration_hours = 0;  // mean of (exit_time - entry_time)
};

// `closed` must be closed trades in exit order (as ClosedTradesByExit returns); streaks follow it.
TradeStats SummarizeTrades(const std::vector<const TradeRecord*>& closed);

}  // namespace osprey
