#pragma once
// Atr: streaming Average True Range with Wilder smoothing, matching TA-Lib's ATR.
//
// TA-Lib conventions kept (no unstable period): the true range TR = max(high - low,
// |high - prev_close|, |low - prev_close|) exists from index 1; the first ATR, at index `period`
// (Lookback()), is the simple mean of TR[1..period]; after that atr = (atr * (period-1) + TR) /
// period, in TA-Lib's order so results are bit-for-bit those of TA_ATR. With period 1 it is the
// true range itself, as in TA-Lib. Update() is O(1) and never allocates.
//
// Not thread-safe; one instance per series.

#include <cstdint>
#include <limits>

namespace osprey::analysis {

class Atr {
 public:
  // period >= 1; anything else is a programming error and throws std::invalid_argument.
  explicit Atr(int period = 14);

  // Feeds the next candle.
  void Update(double high, double low, double close);

  // True once Value() is defined, i.e. from the update with index Lookback() on.
  bool Ready() const { return count_ > lookback_; }
  // Index of the first defined value: period.
  int Lookback() const { return lookback_; }
  // Number of Update() calls so far.
  int64_t Count() const { return count_; }
  int Period() const { return period_; }
  // Current ATR, in price units; NaN before Ready().
  double Value() const { return value_; }

 private:
  int period_;
  int lookback_;
  double divisor_;       // period
  double carry_factor_;  // period - 1
  double prev_close_ = 0.0;
  double tr_sum_ = 0.0;  // sum of TR[1..period], for the seed mean
  int64_t count_ = 0;
  double value_ = std::numeric_limits<double>::quiet_NaN();
};

}  // namespace osprey::analysis
