#pragma once
// ShadowBook: follows the signals the risk chain refused for NO_EDGE as if they had been taken,
// with the same exits, so the edge estimate keeps learning while the bot does not trade and
// trading resumes when the edge comes back (risk/edge_estimate.hpp).
//
// A shadow trade enters at the signal's expected price with the stop the real entry would have
// had, and is followed on the symbol's hourly candles that open at or after its entry:
//   - the stop first: a candle whose low reaches the stop sells everything left at the stop (at
//     the open when the candle opened below it) — pessimistic, as the simulator is without 1m data;
//   - then the take-profit levels in order, each selling its fraction when the high trades
//     through its price (on a touch with take_profit_fill = "touch");
//   - the trailing stop follows the highest high (after TP1 or from entry, as configured), moved
//     after each candle, never below the initial stop.
// Its result is an R-multiple: (sum of fraction x (exit - entry) - fee_rate x (entry + sum of
// fraction x exit)) / (entry - initial stop). Statistics only: doubles, never money. One shadow
// per symbol at a time. Not thread-safe: the engine thread owns it.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "config/settings.hpp"
#include "core/candle.hpp"
#include "core/time.hpp"

namespace osprey {

class ShadowBook {
 public:
  ShadowBook(const ExitSettings& exits, double fee_rate, TakeProfitFillRule take_profit_fill);

  bool Holds(std::string_view symbol) const { return open_.contains(std::string(symbol)); }
  int size() const { return static_cast<int>(open_.size()); }
  // Starts following a refused signal; ignored when `symbol` is already followed or the stop is
  // not below the entry.
  void Open(std::string_view symbol, double entry_price, double stop_price, TimeMs entry_time);
  // Applies a closed candle of `symbol`; returns the R-multiples of the shadows it closed.
  std::vector<double> OnCandle(std::string_view symbol, const Candle& candle);

 private:
  struct Shadow {
    double entry = 0;
    double initial_stop = 0;
    double stop = 0;
    double highest = 0;
    double left = 1;        // fraction of the position not yet sold
    double realized = 0;    // sum of fraction x (exit - entry)
    double exit_value = 0;  // sum of fraction x exit, for the fee
    std::size_t next_tp = 0;
    bool trailing = false;
    TimeMs entry_time = 0;
  };
  double RMultiple(const Shadow& s) const;

  ExitSettings exits_;
  double fee_rate_;
  TakeProfitFillRule take_profit_fill_;
  std::vector<double> tp_factors_;    // 1 + percent / 100
  std::vector<double> tp_fractions_;  // share of the position, 0..1
  std::map<std::string, Shadow, std::less<>> open_;
};

}  // namespace osprey
