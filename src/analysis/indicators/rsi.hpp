#pragma once
// Rsi: streaming Relative Strength Index with Wilder smoothing, matching TA-Lib's RSI.
//
// TA-Lib conventions kept (default compatibility, no unstable period): the first value is at index
// `period` (Lookback()), from avgGain and avgLoss seeded with the simple means of the gains and
// losses of changes 1..period; after that avg = (avg * (period-1) + x) / period. The value is
// 100 * avgGain / (avgGain + avgLoss), and 0 when that sum is zero (|sum| < 1e-14, TA_IS_ZERO).
// Operations are in TA-Lib's order, so results are bit-for-bit those of TA_RSI. Update() is O(1)
// and never allocates.
//
// Not thread-safe; one instance per series.

#include <cstdint>
#include <limits>

namespace osprey::analysis {

class Rsi {
 public:
  // period >= 1; anything else is a programming error and throws std::invalid_argument.
  explicit Rsi(int period = 14);

  // Feeds the next close.
  void Update(double close);

  // True once Value() is defined, i.e. from the update with index Lookback() on.
  bool Ready() const { return count_ > lookback_; }
  // Index of the first defined value: period (the first change is at index 1).
  int Lookback() const { return lookback_; }
  // Number of Update() calls so far.
  int64_t Count() const { return count_; }
  int Period() const { return period_; }
  // RSI in [0, 100]; NaN before Ready().
  double Value() const { return value_; }

 private:
  int period_;
  int lookback_;
  double divisor_;       // period
  double carry_factor_;  // period - 1
  double prev_close_ = 0.0;
  double avg_gain_ = 0.0;  // a plain sum until the seed
  double avg_loss_ = 0.0;
  int64_t count_ = 0;
  double value_ = std::numeric_limits<double>::quiet_NaN();
};

}  // namespace osprey::analysis
