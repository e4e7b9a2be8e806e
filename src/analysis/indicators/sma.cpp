#include "analysis/indicators/sma.hpp"

#include <stdexcept>

namespace osprey::analysis {

Sma::Sma(int period)
    : period_(period),
      lookback_(period - 1),
      divisor_(static_cast<double>(period)),
      window_(period >= 1 ? static_cast<std::size_t>(period) : 0) {
  if (period < 1) throw std::invalid_argument("Sma: period must be >= 1");
}

void Sma::Update(double value) {
  window_[head_] = value;
  if (++head_ == window_.size()) head_ = 0;
  sum_ += value;
  ++count_;
  if (count_ > lookback_) [[likely]] {
    value_ = sum_ / divisor_;
    // Same order as TA_SMA: the oldest value leaves only after the division.
    sum_ -= window_[head_];
  }
}

}  // namespace osprey::analysis
