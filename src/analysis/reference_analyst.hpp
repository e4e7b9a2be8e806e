#pragma once
// ReferenceAnalyst: the entry rule of docs/reference-strategy.md (R2, R5) as an Analyst, so the
// engine can be checked against independent implementations trade by trade. At the close of
// candle t it names the symbol as a pump candidate with confidence 1 when t >= 199,
// RSI14[t] < 30 and close[t] > SMA200[t] (both strict; indicators on the row sequence, TA-Lib
// definitions). It answers only the pump-candidates question; the reference configuration asks
// for one agreement. Answers inline (before Ask returns). Keeps streaming indicator state per
// symbol: each candle is read once, by absolute index; a snapshot whose window starts after the
// last row it saw restarts that symbol's indicators from the window.

#include <string>

#include "analysis/analyst.hpp"
#include "analysis/indicators/rsi.hpp"
#include "analysis/indicators/sma.hpp"
#include "config/settings.hpp"
#include "core/small_string_map.hpp"

namespace osprey {

class ReferenceAnalyst final : public Analyst {
 public:
  explicit ReferenceAnalyst(const ReferenceSettings& settings);
  std::string_view Name() const override { return "reference"; }
  // Only kPumpCandidates.
  std::span<const Question> Questions() const override;
  std::size_t HistoryHours() const override { return 1; }
  void Ask(const AnalystRequest& request, std::span<const Question> questions,
           AnswerCallback done) override;

  // The pump-candidates answer, synchronously (what Ask delivers). Never fails.
  [[nodiscard]] AnalystReport Analyze(const MarketSnapshot& snapshot);

 private:
  struct SymbolState {
    analysis::Sma sma;
    analysis::Rsi rsi;
    std::int64_t seen = 0;  // absolute rows already fed to the indicators
  };
  SymbolState NewState() const;

  ReferenceSettings settings_;
  SmallStringMap<SymbolState> states_;
};

}  // namespace osprey
