#include "analysis/indicators/rsi.hpp"

#include <algorithm>
#include <stdexcept>

namespace osprey::analysis {
namespace {

double RsiFrom(double avg_gain, double avg_loss) {
  const double total = avg_gain + avg_loss;
  // TA_IS_ZERO: a flat series reads 0, not NaN.
  if (total > -1e-14 && total < 1e-14) return 0.0;
  return 100.0 * (avg_gain / total);
}

}  // namespace

Rsi::Rsi(int period)
    : period_(period),
      lookback_(period),
      divisor_(static_cast<double>(period)),
      carry_factor_(static_cast<double>(period - 1)) {
  if (period < 1) throw std::invalid_argument("Rsi: period must be >= 1");
}

void Rsi::Update(double close) {
  ++count_;
  const double change = close - prev_close_;
  prev_close_ = close;
  // Branch-free split of the change; adding +0.0 to the other side leaves it bit-identical to
  // TA-Lib's if/else.
  const double gain = std::max(change, 0.0);
  const double loss = std::min(change, 0.0);
  if (count_ > lookback_ + 1) [[likely]] {
    avg_gain_ *= carry_factor_;
    avg_loss_ *= carry_factor_;
    avg_gain_ += gain;
    avg_loss_ -= loss;
    avg_gain_ /= divisor_;
    avg_loss_ /= divisor_;
    value_ = RsiFrom(avg_gain_, avg_loss_);
    return;
  }
  if (count_ == 1) return;  // no change before the second close
  avg_gain_ += gain;
  avg_loss_ -= loss;
  if (count_ == lookback_ + 1) {
    avg_gain_ /= divisor_;
    avg_loss_ /= divisor_;
    value_ = RsiFrom(avg_gain_, avg_loss_);
  }
}

}  // namespace osprey::analysis
