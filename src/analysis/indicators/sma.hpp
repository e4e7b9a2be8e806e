#pragma once
// Sma: streaming simple moving average of the last `period` values, matching TA-Lib's SMA.
//
// TA-Lib conventions kept: the first value is defined at index period-1 (Lookback()), and the
// running total is updated in TA-Lib's order (add the new value, divide, then drop the oldest), so
// results are bit-for-bit those of TA_SMA over the same input. Update() is O(1): a ring buffer of
// `period` values allocated once in the constructor plus a running sum.
//
// Not thread-safe; one instance per series.

#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

namespace osprey::analysis {

class Sma {
 public:
  // period >= 1; anything else is a programming error and throws std::invalid_argument.
  explicit Sma(int period);

  // Feeds the next value of the series. Never allocates.
  void Update(double value);

  // True once Value() is defined, i.e. from the update with index Lookback() on.
  bool Ready() const { return count_ > lookback_; }
  // Index (0-based update number) of the first defined value: period - 1.
  int Lookback() const { return lookback_; }
  // Number of Update() calls so far.
  int64_t Count() const { return count_; }
  int Period() const { return period_; }
  // Mean of the last `period` values; NaN before Ready().
  double Value() const { return value_; }

 private:
  int period_;
  int lookback_;
  double divisor_;
  std::vector<double> window_;  // last `period` values, oldest at head_ after a write
  std::size_t head_ = 0;
  double sum_ = 0.0;  // sum of the newest period-1 values, as TA-Lib carries it between steps
  int64_t count_ = 0;
  double value_ = std::numeric_limits<double>::quiet_NaN();
};

}  // namespace osprey::analysis
