#pragma once
// TechnicalAnalyst: the offline analyst and Osprey's default. It answers the three questions from
// the chart alone, with thresholds from [technical] in the config, inline (before Ask returns).
// Each confidence is graded by how far the evidence goes past the thresholds, so that evidence
// just at a threshold stays below the consensus' 70% and only clear evidence counts:
//   1. pump candidates: close rose >= min_momentum_percent over momentum_lookback_hours AND the
//      last 24h volume is >= volume_surge_ratio x the average 24h volume of the last
//      volume_lookback_hours. With the excesses e_m = min(momentum/threshold - 1, 1) and
//      e_v = min(volume ratio/threshold - 1, 1), both in [0, 1]: confidence
//      0.5 + 0.25 * (e_m + e_v): 0.50 at both thresholds, 0.70 when the excesses add up to 0.8
//      (e.g. both 40% past their threshold), 1.0 at twice both.
//   2. technical confirmation: four checks — RSI in [rsi_min, rsi_max], MACD histogram > 0,
//      close above the Bollinger middle band, close below the upper band. Confidence 0.25 per
//      passing check: 0.50 with two, 0.75 with three, 1.0 with all four.
//   3. risk assessment: close above the trend SMA and hourly ATR <= max_atr_percent of price.
//      Above the trend, confidence 1 - 0.5 * ATR% / max_atr_percent (floored at 0): 1.0 with no
//      volatility, 0.70 at 60% of the limit, 0.50 at the limit; 0.3 below the trend.
// Every confidence is in [0, 1] and never decreases as the evidence grows.
// Every symbol with enough history gets answers 2 and 3; answer 1 names only candidates.
// Indicators are streaming (each candle read once per symbol, by absolute index; the closes and
// volumes of the momentum and volume lookbacks are kept in a ring), so a snapshot need only hold
// the candles added since the previous one: HistoryHours() is 1. A snapshot whose window starts
// after the last row this analyst saw (a gap) restarts that symbol's indicators from the window,
// which then need their warm-up again.

#include <array>
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

// The graded confidences above, as pure functions (the analyst uses exactly these).
double PumpConfidence(double momentum_percent, double volume_ratio, const TechnicalSettings& s);
double ConfirmationConfidence(int passed_checks);
double RiskConfidence(bool above_trend, double atr_percent, const TechnicalSettings& s);

class TechnicalAnalyst final : public Analyst {
 public:
  explicit TechnicalAnalyst(const TechnicalSettings& settings);
  std::string_view Name() const override { return "technical"; }
  std::span<const Question> Questions() const override { return AllQuestions(); }
  std::size_t HistoryHours() const override { return 1; }
  void Ask(const AnalystRequest& request, std::span<const Question> questions,
           AnswerCallback done) override;

  // The three answers, synchronously (what Ask delivers). Never fails.
  [[nodiscard]] AnalystReport Analyze(const MarketSnapshot& snapshot);

 private:
  struct SymbolState {
    analysis::Rsi rsi;
    analysis::Macd macd;
    analysis::BollingerBands bb;
    analysis::Atr atr;
    analysis::Sma trend;
    std::int64_t seen = 0;  // absolute rows already fed to the indicators
    std::int64_t fed = 0;   // rows fed since this state started (a gap restarts it)
    // The last `ring size` closes and volumes; slot fed % size holds the next row.
    std::vector<double> closes;
    std::vector<double> volumes;
    // Close and volume `k` rows before the latest fed one (k < ring size).
    double CloseBack(std::int64_t k) const;
    double VolumeBack(std::int64_t k) const;
  };
  SymbolState NewState() const;
  SymbolState& StateFor(std::string_view symbol);

  TechnicalSettings s_;
  SmallStringMap<SymbolState> states_;
};

}  // namespace osprey
