#include "engine/shadow_book.hpp"

#include <algorithm>

namespace osprey {

ShadowBook::ShadowBook(const ExitSettings& exits, double fee_rate,
                       TakeProfitFillRule take_profit_fill)
    : exits_(exits), fee_rate_(fee_rate), take_profit_fill_(take_profit_fill) {
  for (std::size_t k = 0; k < exits.take_profit_percents.size(); ++k) {
    tp_factors_.push_back(1.0 + exits.take_profit_percents[k].ToDouble() / 100.0);
    tp_fractions_.push_back(exits.take_profit_fractions[k].ToDouble() / 100.0);
  }
}

void ShadowBook::Open(std::string_view symbol, double entry_price, double stop_price,
                      TimeMs entry_time) {
  if (Holds(symbol) || !(stop_price < entry_price) || !(stop_price > 0)) return;
  Shadow s;
  s.entry = entry_price;
  s.initial_stop = stop_price;
  s.stop = stop_price;
  s.entry_time = entry_time;
  s.trailing = exits_.trailing_activation == TrailingActivation::kImmediate;
  open_.emplace(std::string(symbol), s);
}

double ShadowBook::RMultiple(const Shadow& s) const {
  const double fees = fee_rate_ * (s.entry + s.exit_value);
  return (s.realized - fees) / (s.entry - s.initial_stop);
}

std::vector<double> ShadowBook::OnCandle(std::string_view symbol, const Candle& candle) {
  std::vector<double> closed;
  auto it = open_.find(symbol);
  if (it == open_.end()) return closed;
  Shadow& s = it->second;
  if (candle.open_time < s.entry_time) return closed;
  const double open = candle.open.ToDouble();
  const double high = candle.high.ToDouble();
  const double low = candle.low.ToDouble();
  auto sell = [&s](double fraction, double price) {
    s.realized += fraction * (price - s.entry);
    s.exit_value += fraction * price;
    s.left -= fraction;
  };
  if (low <= s.stop) {
    sell(s.left, std::min(open, s.stop));
    s.left = 0;
  } else {
    while (s.next_tp < tp_factors_.size()) {
      const double level = s.entry * tp_factors_[s.next_tp];
      const bool reached =
          take_profit_fill_ == TakeProfitFillRule::kTouch ? high >= level : high > level;
      if (!reached) break;
      const bool last = s.next_tp + 1 == tp_factors_.size();
      sell(last ? s.left : std::min(s.left, tp_fractions_[s.next_tp]), level);
      if (s.next_tp == 0 && exits_.trailing_activation == TrailingActivation::kAfterTp1) {
        s.trailing = true;
      }
      ++s.next_tp;
    }
    s.highest = std::max(s.highest, high);
    if (s.trailing) {
      const double trail = s.highest * (1.0 - exits_.trailing_stop_percent.ToDouble() / 100.0);
      s.stop = std::max({s.stop, trail, s.initial_stop});
    }
  }
  if (s.left <= 1e-12) {
    closed.push_back(RMultiple(s));
    open_.erase(it);
  }
  return closed;
}

}  // namespace osprey
