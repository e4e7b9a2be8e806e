#include "analysis/reference_analyst.hpp"

#include <fmt/format.h>

namespace osprey {

ReferenceAnalyst::ReferenceAnalyst(const ReferenceSettings& settings) : settings_(settings) {}

Result<AnalystReport> ReferenceAnalyst::Analyze(const MarketSnapshot& snapshot) {
  AnalystReport report;
  report.analyst = std::string(Name());
  Answer pump{Question::kPumpCandidates, {}};
  for (const SymbolView& view : snapshot.symbols) {
    auto it = states_.find(view.symbol);
    if (it == states_.end()) {
      it = states_
               .emplace(view.symbol, SymbolState{analysis::Sma(settings_.sma_period),
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
          view.symbol, 1.0,
          {fmt::format("RSI{} {:.2f} < {}", settings_.rsi_period, rsi, settings_.rsi_entry_below),
           fmt::format("close {} > SMA{} {:.2f}", view.hourly.back().close.ToString(),
                       settings_.sma_period, sma)}});
    }
  }
  report.answers.push_back(std::move(pump));
  return report;
}

}  // namespace osprey
