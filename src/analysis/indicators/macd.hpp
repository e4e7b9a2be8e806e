#pragma once
// Macd: streaming MACD (fast EMA - slow EMA), its signal line (EMA of MACD) and the histogram
// (MACD - signal), matching TA-Lib's MACD.
//
// TA-Lib conventions kept (they differ from a textbook EMA(fast) - EMA(slow)):
// - the slow EMA is seeded at index slow-1 with the mean of close[0..slow-1];
// - the fast EMA is seeded at the same index with the mean of the `fast` closes ending there
//   (close[14..25] for 12/26), not with close[0..fast-1], so for roughly the first hundred candles
//   this MACD differs from two independent EMAs, then converges;
// - the signal EMA is seeded with the mean of MACD[slow-1 .. slow+signal-2];
// - all three outputs are first defined at index (slow-1) + (signal-1) = Lookback(), 33 for
//   12/26/9, even though MACD itself is computable earlier.
// EMAs use k = 2 / (period + 1) and ema = (x - ema) * k + ema, in TA-Lib's order, so results are
// bit-for-bit those of TA_MACD. Update() is O(1) and never allocates: the fast seed is summed once
// from a ring of the last `fast` closes.
//
// Not thread-safe; one instance per series.

#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

namespace osprey::analysis {

class Macd {
 public:
  // Requires 1 <= fast <= slow and signal >= 1 (TA-Lib silently swaps fast and slow; here a
  // swapped pair is a programming error); otherwise throws std::invalid_argument.
  explicit Macd(int fast = 12, int slow = 26, int signal = 9);

  // Feeds the next close.
  void Update(double close);

  // True once all three outputs are defined, i.e. from the update with index Lookback() on.
  bool Ready() const { return count_ > lookback_; }
  // Index of the first defined value: (slow - 1) + (signal - 1).
  int Lookback() const { return lookback_; }
  // Number of Update() calls so far.
  int64_t Count() const { return count_; }

  // Outputs; NaN before Ready(). The MACD line is Value(), not Macd(): C++ forbids a member
  // function named like its class.
  double Value() const { return macd_; }
  double Signal() const { return signal_; }
  double Hist() const { return hist_; }

 private:
  // Slow path for the first Lookback()+1 updates: seeding of the three EMAs.
  void Warmup(double close);

  int fast_period_;
  int slow_period_;
  int signal_period_;
  int lookback_;
  double k_fast_;
  double k_slow_;
  double k_signal_;
  std::vector<double> fast_seed_window_;  // last `fast` closes, needed only until the seed
  std::size_t head_ = 0;
  double slow_seed_sum_ = 0.0;
  double signal_seed_sum_ = 0.0;
  double fast_ema_ = 0.0;
  double slow_ema_ = 0.0;
  double signal_ema_ = 0.0;
  int64_t count_ = 0;
  double macd_ = std::numeric_limits<double>::quiet_NaN();
  double signal_ = std::numeric_limits<double>::quiet_NaN();
  double hist_ = std::numeric_limits<double>::quiet_NaN();
};

}  // namespace osprey::analysis
