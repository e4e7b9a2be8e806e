#pragma once
// IndicatorSet: the six standard indicators of one candle series, updated together: SMA, EMA,
// RSI, MACD, Bollinger Bands and ATR, each matching TA-Lib (see the individual headers). Defaults
// are the usual SMA(20), EMA(20), RSI(14), MACD(12, 26, 9), BB(20, 2, 2), ATR(14). Update() is
// O(1) per candle and never allocates.
//
// Not thread-safe; one instance per series.

#include <cstdint>

#include "analysis/indicators/atr.hpp"
#include "analysis/indicators/bollinger.hpp"
#include "analysis/indicators/ema.hpp"
#include "analysis/indicators/macd.hpp"
#include "analysis/indicators/rsi.hpp"
#include "analysis/indicators/sma.hpp"

namespace osprey::analysis {

struct IndicatorParams {
  int sma_period = 20;
  int ema_period = 20;
  int rsi_period = 14;
  int macd_fast = 12;
  int macd_slow = 26;
  int macd_signal = 9;
  int bb_period = 20;
  double bb_nb_dev_up = 2.0;
  double bb_nb_dev_dn = 2.0;
  int atr_period = 14;
};

class IndicatorSet {
 public:
  // Throws std::invalid_argument if any parameter is invalid for its indicator.
  explicit IndicatorSet(const IndicatorParams& params = IndicatorParams{});

  // Feeds the next closed candle to all six indicators (all but ATR use the close).
  void Update(double high, double low, double close);

  // True once every indicator is Ready(), i.e. from the update with index Lookback() on.
  bool Ready() const { return Count() > Lookback(); }
  // The largest of the six lookbacks.
  int Lookback() const { return lookback_; }
  // Number of Update() calls so far.
  int64_t Count() const { return sma_.Count(); }

  const IndicatorParams& params() const { return params_; }
  const Sma& sma() const { return sma_; }
  const Ema& ema() const { return ema_; }
  const Rsi& rsi() const { return rsi_; }
  const Macd& macd() const { return macd_; }
  const BollingerBands& bollinger() const { return bollinger_; }
  const Atr& atr() const { return atr_; }

 private:
  IndicatorParams params_;
  Sma sma_;
  Ema ema_;
  Rsi rsi_;
  Macd macd_;
  BollingerBands bollinger_;
  Atr atr_;
  int lookback_;
};

}  // namespace osprey::analysis
