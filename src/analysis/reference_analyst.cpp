#include "analysis/reference_analyst.hpp"

#include <fmt/format.h>

namespace osprey {

ReferenceAnalyst::ReferenceAnalyst(const ReferenceSettings& settings) : settings_(settings) {
  report_.analyst = std::string(Name());
  report_.answers.push_back(Answer{Question::kPumpCandidates, {}});
}

Result<const AnalystReport*> ReferenceAnalyst::Analyze(const MarketSnapshot& snapshot) {
  Answer& pump = report_.answers[0];
  pump.coins.clear();
  for (const SymbolView& view : snapshot.symbols) {
    auto it = states_.find(view.symbol);
    if (it == states_.end()) {
      it = states_
               .emplace(std::string(view.symbol),
                        SymbolState{analysis::Sma(settings_.sma_period),
                                    analysis::Rsi(settings_.rsi_period), 0})
               .first;
    }
    SymbolState& s = it->second;
    OSPREY_CHECK(view.hourly.size() >= s.seen, "ReferenceAnalyst: candle history shrank");
    for (std::size_t i = s.seen; i < view.hourly.size(); ++i) {
      const double close = view.hourly[i].close.ToDouble();
      s.sma.Update(close);
      s.rsi.Update(close);
    }
    s.seen = view.hourly.size();
    if (!s.sma.Ready() || !s.rsi.Ready()) continue;
    const double close = view.hourly.back().close.ToDouble();
    const double rsi = s.rsi.Value();
    const double sma = s.sma.Value();
    if (rsi < settings_.rsi_entry_below && close > sma) {
      pump.coins.push_back(CoinOpinion{
          std::string(view.symbol),
          1.0,
          {fmt::format("RSI{} {:.2f} < {}", settings_.rsi_period, rsi, settings_.rsi_entry_below),
           fmt::format("close {} > SMA{} {:.2f}", view.hourly.back().close.ToString(),
                       settings_.sma_period, sma)}});
    }
  }
  return &report_;
}

}  // namespace osprey
