#include "analysis/reference_analyst.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace osprey {

ReferenceAnalyst::ReferenceAnalyst(const ReferenceSettings& settings) : settings_(settings) {}

std::span<const Question> ReferenceAnalyst::Questions() const {
  static constexpr std::array<Question, 1> kQuestions = {Question::kPumpCandidates};
  return kQuestions;
}

ReferenceAnalyst::SymbolState ReferenceAnalyst::NewState() const {
  return SymbolState{analysis::Sma(settings_.sma_period), analysis::Rsi(settings_.rsi_period), 0};
}

void ReferenceAnalyst::Ask(const AnalystRequest& request, std::span<const Question> questions,
                           AnswerCallback done) {
  DeliverInline(Analyze(*request.snapshot), questions, done);
}

AnalystReport ReferenceAnalyst::Analyze(const MarketSnapshot& snapshot) {
  AnalystReport report{std::string(Name()), {Answer{Question::kPumpCandidates, {}}}};
  Answer& pump = report.answers[0];
  for (const SymbolSnapshot& view : snapshot.symbols) {
    const CandleWindow& hourly = view.hourly;
    if (hourly.empty()) continue;
    auto it = states_.find(view.symbol);
    if (it == states_.end()) it = states_.emplace(view.symbol, NewState()).first;
    SymbolState& s = it->second;
    OSPREY_CHECK(hourly.LastIndex() + 1 >= s.seen, "ReferenceAnalyst: candle history shrank");
    if (hourly.first_index > s.seen) s = NewState();  // a gap: restart from the window
    for (std::int64_t i = std::max(s.seen, hourly.first_index); i <= hourly.LastIndex(); ++i) {
      const double close = hourly.At(i).close.ToDouble();
      s.sma.Update(close);
      s.rsi.Update(close);
    }
    s.seen = hourly.LastIndex() + 1;
    if (!s.sma.Ready() || !s.rsi.Ready()) continue;
    const Candle& latest = hourly.candles.back();
    const double close = latest.close.ToDouble();
    const double rsi = s.rsi.Value();
    const double sma = s.sma.Value();
    if (rsi < settings_.rsi_entry_below && close > sma) {
      pump.coins.push_back(CoinOpinion{
          view.symbol,
          1.0,
          {fmt::format("RSI{} {:.2f} < {}", settings_.rsi_period, rsi, settings_.rsi_entry_below),
           fmt::format("close {} > SMA{} {:.2f}", latest.close.ToString(), settings_.sma_period,
                       sma)}});
    }
  }
  return report;
}

}  // namespace osprey
