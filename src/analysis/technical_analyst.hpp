#pragma once
// TechnicalAnalyst: the offline analyst and Osprey's default. It answers the three questions from
// the chart alone, with thresholds from [technical] in the config:
//   1. pump candidates: close rose >= min_momentum_percent over momentum_lookback_hours AND the
//      last 24h volume is >= volume_surge_ratio x the average 24h volume of the last
//      volume_lookback_hours. Confidence 0.4 + 0.15*min(momentum/threshold, 2)
//      + 0.15*min(volume ratio/threshold, 2): exactly 0.70 at both thresholds, 1.0 at twice them.
//   2. technical confirmation: four checks — RSI in [rsi_min, rsi_max], MACD histogram > 0,
//      close above the Bollinger middle band, close below the upper band. Confidence
//      0.4 + 0.15 per passing check (0.70 with two, 1.0 with all four).
//   3. risk assessment: close above the trend SMA and hourly ATR <= max_atr_percent of price.
//      Confidence 1 - 0.3 * ATR% / max_atr_percent when above the trend (0.70 at the limit),
//      0.3 below it.
// Every symbol with enough history gets answers 2 and 3; answer 1 names only candidates.
// Indicators are streaming (each candle read once per symbol).

#include <string>

#include "analysis/analyst.hpp"
#include "analysis/indicators/atr.hpp"
#include "analysis/indicators/bollinger.hpp"
#include "analysis/indicators/macd.hpp"
#include "analysis/indicators/rsi.hpp"
#include "analysis/indicators/sma.hpp"
#include "config/settings.hpp"
#include "core/small_string_map.hpp"

namespace osprey {

class TechnicalAnalyst final : public Analyst {
 public:
  explicit TechnicalAnalyst(const TechnicalSettings& settings);
  std::string_view Name() const override { return "technical"; }
  Result<const AnalystReport*> Analyze(const MarketSnapshot& snapshot) override;

 private:
  struct SymbolState {
    analysis::Rsi rsi;
    analysis::Macd macd;
    analysis::BollingerBands bb;
    analysis::Atr atr;
    analysis::Sma trend;
    std::size_t seen = 0;
  };
  SymbolState& StateFor(std::string_view symbol);

  TechnicalSettings s_;
  AnalystReport report_;  // reused every call
  SmallStringMap<SymbolState> states_;
};

}  // namespace osprey
