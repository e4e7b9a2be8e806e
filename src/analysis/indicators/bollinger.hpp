#pragma once
// BollingerBands: streaming Bollinger Bands (SMA middle band +/- a multiple of the population
// standard deviation of the last `period` values), matching TA-Lib's BBANDS with MAType SMA.
//
// TA-Lib conventions kept: middle = SMA(period), computed in TA-Lib's order (bit-for-bit TA_SMA);
// the deviation divides by N (population); a variance below 1e-14 reads as 0 (TA_IS_ZERO_OR_NEG)
// when the mean is 1 or more, below 1e-14 * mean^2 when it is smaller (relative to the price, so
// a coin priced at 1e-6 that moves keeps its bands; TA-Lib's absolute 1e-14 flattens them);
// upper = middle + dev * nb_dev_up, lower = middle - dev * nb_dev_dn; first defined at index
// period-1 (Lookback()).
//
// Deliberate difference in arithmetic, not in result: TA-Lib takes the variance as
// sum(x^2)/N - mean^2 from a running sum of squares, which cancels catastrophically when the spread
// is tiny next to the price (a flat series of 60000s gets a spurious nonzero band) and whose
// rounding drift never washes out of a stream that runs for months. Here the sum of squared
// deviations M2 is carried Welford-style, M2 += (x_in - x_out) * (x_in - mean_new + x_out -
// mean_old), so errors scale with the spread rather than price^2, and is recomputed directly from
// the window each time the ring wraps (every `period` updates, so still O(1) amortised), so no
// error outlives one window. On the reference data the bands agree with TA-Lib to 6e-13 relative,
// and that gap is TA-Lib's cancellation error: our deviation is about 100x closer to the exact one.
// Update() never allocates.
//
// Not thread-safe; one instance per series.

#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

namespace osprey::analysis {

class BollingerBands {
 public:
  // period >= 1 and finite nb_dev_up, nb_dev_dn >= 0; anything else is a programming error and
  // throws std::invalid_argument.
  explicit BollingerBands(int period = 20, double nb_dev_up = 2.0, double nb_dev_dn = 2.0);

  // Feeds the next close.
  void Update(double close);

  // True once the bands are defined, i.e. from the update with index Lookback() on.
  bool Ready() const { return count_ > lookback_; }
  // Index of the first defined value: period - 1.
  int Lookback() const { return lookback_; }
  // Number of Update() calls so far.
  int64_t Count() const { return count_; }

  // Bands; NaN before Ready().
  double Upper() const { return upper_; }
  double Middle() const { return middle_; }
  double Lower() const { return lower_; }

 private:
  int period_;
  int lookback_;
  double divisor_;         // period
  double inverse_period_;  // 1 / period
  double nb_dev_up_;
  double nb_dev_dn_;
  std::vector<double> window_;  // last `period` closes; head_ is the next slot to overwrite
  std::size_t head_ = 0;
  double sum_ = 0.0;  // newest period-1 closes, carried as TA_SMA does
  double m2_ = 0.0;   // sum of squared deviations from the window mean
  int64_t count_ = 0;
  double upper_ = std::numeric_limits<double>::quiet_NaN();
  double middle_ = std::numeric_limits<double>::quiet_NaN();
  double lower_ = std::numeric_limits<double>::quiet_NaN();
};

}  // namespace osprey::analysis
