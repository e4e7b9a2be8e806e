#include "analysis/indicators/atr.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace osprey::analysis {

Atr::Atr(int period)
    : period_(period),
      lookback_(period),
      divisor_(static_cast<double>(period)),
      carry_factor_(static_cast<double>(period - 1)) {
  if (period < 1) throw std::invalid_argument("Atr: period must be >= 1");
}

void Atr::Update(double high, double low, double close) {
  ++count_;
  // Same operand order as TA_TRANGE.
  const double true_range =
      std::max({high - low, std::fabs(prev_close_ - high), std::fabs(prev_close_ - low)});
  prev_close_ = close;
  if (count_ > lookback_ + 1) [[likely]] {
    double atr = value_ * carry_factor_;
    atr += true_range;
    value_ = atr / divisor_;
    return;
  }
  if (count_ == 1) return;  // no previous close yet, so no true range
  tr_sum_ += true_range;
  if (count_ == lookback_ + 1) value_ = tr_sum_ / divisor_;
}

}  // namespace osprey::analysis
