#include "analysis/indicators/bollinger.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace osprey::analysis {
namespace {

constexpr double kZeroVariance = 1e-14;  // TA-Lib's TA_IS_ZERO_OR_NEG

double SumOfSquaredDeviations(const std::vector<double>& window, double mean) {
  // Two accumulators halve the dependent-add chain; the terms are all >= 0, so order barely
  // matters.
  double even = 0.0;
  double odd = 0.0;
  std::size_t i = 0;
  for (; i + 1 < window.size(); i += 2) {
    even += (window[i] - mean) * (window[i] - mean);
    odd += (window[i + 1] - mean) * (window[i + 1] - mean);
  }
  if (i < window.size()) even += (window[i] - mean) * (window[i] - mean);
  return even + odd;
}

}  // namespace

BollingerBands::BollingerBands(int period, double nb_dev_up, double nb_dev_dn)
    : period_(period),
      lookback_(period - 1),
      divisor_(static_cast<double>(period)),
      inverse_period_(1.0 / static_cast<double>(period)),
      nb_dev_up_(nb_dev_up),
      nb_dev_dn_(nb_dev_dn),
      window_(period >= 1 ? static_cast<std::size_t>(period) : 0) {
  if (period < 1) throw std::invalid_argument("BollingerBands: period must be >= 1");
  if (!std::isfinite(nb_dev_up) || !std::isfinite(nb_dev_dn) || nb_dev_up < 0.0 ||
      nb_dev_dn < 0.0) {
    throw std::invalid_argument("BollingerBands: nb_dev_up and nb_dev_dn must be finite and >= 0");
  }
}

void BollingerBands::Update(double close) {
  ++count_;
  // The close from `period` updates ago, once the window is full.
  const double leaving = window_[head_];
  window_[head_] = close;
  const bool wrapped = ++head_ == window_.size();
  if (wrapped) head_ = 0;
  sum_ += close;
  if (count_ < period_) [[unlikely]] {
    return;
  }

  const double mean = sum_ / divisor_;
  sum_ -= window_[head_];  // as TA_SMA: the oldest close leaves only after the division
  if (wrapped) {
    // Once per window (and at the first full window): a direct two-pass sum, so Welford rounding
    // never outlives one window.
    m2_ = SumOfSquaredDeviations(window_, mean);
  } else {
    // Windowed Welford step swapping `leaving` for `close`; middle_ is the previous window's mean.
    m2_ += (close - leaving) * ((close - mean) + (leaving - middle_));
  }

  const double variance = m2_ * inverse_period_;  // not TA-Lib's arithmetic anyway; saves a divide
  // TA_IS_ZERO_OR_NEG, scaled to the price level below 1: an absolute 1e-14 would flatten every
  // band of a coin priced under 1e-4 (its whole variance is below it). Also absorbs a slightly
  // negative m2_ left by rounding.
  const double deviation =
      variance < kZeroVariance * std::min(1.0, mean * mean) ? 0.0 : std::sqrt(variance);
  middle_ = mean;
  upper_ = mean + deviation * nb_dev_up_;
  lower_ = mean - deviation * nb_dev_dn_;
}

}  // namespace osprey::analysis
