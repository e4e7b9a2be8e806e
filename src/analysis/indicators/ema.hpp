#pragma once
// Ema: streaming exponential moving average, matching TA-Lib's EMA.
//
// TA-Lib conventions kept: k = 2 / (period + 1); the first value, at index period-1 (Lookback()),
// is the simple mean of the first `period` values; after that ema = (x - ema) * k + ema, in that
// order of operations so results are bit-for-bit those of TA_EMA. Update() is O(1) and never
// allocates.
//
// Not thread-safe; one instance per series.

#include <cstdint>
#include <limits>

namespace osprey::analysis {

class Ema {
 public:
  // period >= 1; anything else is a programming error and throws std::invalid_argument.
  explicit Ema(int period);

  // Feeds the next value of the series.
  void Update(double value);

  // True once Value() is defined, i.e. from the update with index Lookback() on.
  bool Ready() const { return count_ > lookback_; }
  // Index of the first defined value: period - 1.
  int Lookback() const { return lookback_; }
  // Number of Update() calls so far.
  int64_t Count() const { return count_; }
  int Period() const { return period_; }
  // Current EMA; NaN before Ready().
  double Value() const { return value_; }

 private:
  int period_;
  int lookback_;
  double k_;
  double seed_sum_ = 0.0;  // sum of the first `period` values, for the seed mean
  int64_t count_ = 0;
  double value_ = std::numeric_limits<double>::quiet_NaN();
};

}  // namespace osprey::analysis
