#include "analysis/indicators/indicator_set.hpp"

#include <algorithm>

namespace osprey::analysis {

IndicatorSet::IndicatorSet(const IndicatorParams& params)
    : params_(params),
      sma_(params.sma_period),
      ema_(params.ema_period),
      rsi_(params.rsi_period),
      macd_(params.macd_fast, params.macd_slow, params.macd_signal),
      bollinger_(params.bb_period, params.bb_nb_dev_up, params.bb_nb_dev_dn),
      atr_(params.atr_period),
      lookback_(std::max({sma_.Lookback(), ema_.Lookback(), rsi_.Lookback(), macd_.Lookback(),
                          bollinger_.Lookback(), atr_.Lookback()})) {}

void IndicatorSet::Update(double high, double low, double close) {
  sma_.Update(close);
  ema_.Update(close);
  rsi_.Update(close);
  macd_.Update(close);
  bollinger_.Update(close);
  atr_.Update(high, low, close);
}

}  // namespace osprey::analysis
