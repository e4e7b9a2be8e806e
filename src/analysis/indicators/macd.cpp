#include "analysis/indicators/macd.hpp"

#include <stdexcept>

namespace osprey::analysis {
namespace {

double PeriodToK(int period) { return 2.0 / static_cast<double>(period + 1); }

}  // namespace

Macd::Macd(int fast, int slow, int signal)
    : fast_period_(fast),
      slow_period_(slow),
      signal_period_(signal),
      lookback_((slow - 1) + (signal - 1)),
      k_fast_(PeriodToK(fast)),
      k_slow_(PeriodToK(slow)),
      k_signal_(PeriodToK(signal)),
      fast_seed_window_(fast >= 1 ? static_cast<std::size_t>(fast) : 0) {
  if (fast < 1 || slow < fast || signal < 1) {
    throw std::invalid_argument("Macd: requires 1 <= fast <= slow and signal >= 1");
  }
}

void Macd::Update(double close) {
  ++count_;
  if (count_ > lookback_ + 1) [[likely]] {
    fast_ema_ = ((close - fast_ema_) * k_fast_) + fast_ema_;
    slow_ema_ = ((close - slow_ema_) * k_slow_) + slow_ema_;
    const double macd = fast_ema_ - slow_ema_;
    signal_ema_ = ((macd - signal_ema_) * k_signal_) + signal_ema_;
    macd_ = macd;
    signal_ = signal_ema_;
    hist_ = macd - signal_ema_;
    return;
  }
  Warmup(close);
}

void Macd::Warmup(double close) {
  if (count_ <= slow_period_) {
    fast_seed_window_[head_] = close;
    if (++head_ == fast_seed_window_.size()) head_ = 0;
    slow_seed_sum_ += close;
    if (count_ < slow_period_) return;
    // Index slow-1: seed both EMAs. The window's oldest close sits at head_; summing oldest
    // first reproduces TA-Lib's seed exactly.
    slow_ema_ = slow_seed_sum_ / static_cast<double>(slow_period_);
    double fast_sum = 0.0;
    for (std::size_t i = 0; i < fast_seed_window_.size(); ++i) {
      std::size_t j = head_ + i;
      if (j >= fast_seed_window_.size()) j -= fast_seed_window_.size();
      fast_sum += fast_seed_window_[j];
    }
    fast_ema_ = fast_sum / static_cast<double>(fast_period_);
  } else {
    fast_ema_ = ((close - fast_ema_) * k_fast_) + fast_ema_;
    slow_ema_ = ((close - slow_ema_) * k_slow_) + slow_ema_;
  }
  const double macd = fast_ema_ - slow_ema_;
  signal_seed_sum_ += macd;
  if (count_ < lookback_ + 1) return;
  signal_ema_ = signal_seed_sum_ / static_cast<double>(signal_period_);
  macd_ = macd;
  signal_ = signal_ema_;
  hist_ = macd - signal_ema_;
}

}  // namespace osprey::analysis
