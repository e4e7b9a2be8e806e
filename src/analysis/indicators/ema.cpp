#include "analysis/indicators/ema.hpp"

#include <stdexcept>

namespace osprey::analysis {

Ema::Ema(int period)
    : period_(period), lookback_(period - 1), k_(2.0 / static_cast<double>(period + 1)) {
  if (period < 1) throw std::invalid_argument("Ema: period must be >= 1");
}

void Ema::Update(double value) {
  ++count_;
  if (count_ > period_) [[likely]] {
    value_ = ((value - value_) * k_) + value_;
    return;
  }
  seed_sum_ += value;
  if (count_ == period_) value_ = seed_sum_ / static_cast<double>(period_);
}

}  // namespace osprey::analysis
