#include "analysis/technical_analyst.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace osprey {
namespace {

// How far `value` goes past `threshold`, relative to it: 0 at the threshold, 1 at twice it (a
// zero threshold: any positive value is all the way past it).
double Excess(double value, double threshold) {
  if (threshold <= 0) return value > 0 ? 1.0 : 0.0;
  return std::clamp(value / threshold - 1.0, 0.0, 1.0);
}

// Ring slot of the row `k` rows before the latest of `fed` rows.
std::size_t Slot(std::int64_t fed, std::int64_t k, std::size_t size) {
  const auto n = static_cast<std::int64_t>(size);
  return static_cast<std::size_t>(((fed - 1 - k) % n + n) % n);
}

}  // namespace

double PumpConfidence(double momentum_percent, double volume_ratio, const TechnicalSettings& s) {
  return 0.5 + 0.25 * (Excess(momentum_percent, s.min_momentum_percent) +
                       Excess(volume_ratio, s.volume_surge_ratio));
}

double ConfirmationConfidence(int passed_checks) { return 0.25 * std::clamp(passed_checks, 0, 4); }

double RiskConfidence(bool above_trend, double atr_percent, const TechnicalSettings& s) {
  if (!above_trend) return 0.3;
  if (s.max_atr_percent <= 0) return atr_percent <= 0 ? 1.0 : 0.0;
  return std::clamp(1.0 - 0.5 * atr_percent / s.max_atr_percent, 0.0, 1.0);
}

TechnicalAnalyst::TechnicalAnalyst(const TechnicalSettings& settings) : s_(settings) {}

double TechnicalAnalyst::SymbolState::CloseBack(std::int64_t k) const {
  return closes[Slot(fed, k, closes.size())];
}
double TechnicalAnalyst::SymbolState::VolumeBack(std::int64_t k) const {
  return volumes[Slot(fed, k, volumes.size())];
}

TechnicalAnalyst::SymbolState TechnicalAnalyst::NewState() const {
  const auto ring = static_cast<std::size_t>(
      std::max({s_.volume_lookback_hours, s_.momentum_lookback_hours + 1, 1}));
  return SymbolState{analysis::Rsi(s_.rsi_period),
                     analysis::Macd(s_.macd_fast, s_.macd_slow, s_.macd_signal),
                     analysis::BollingerBands(s_.bb_period, s_.bb_stddev, s_.bb_stddev),
                     analysis::Atr(s_.atr_period),
                     analysis::Sma(s_.trend_sma_period),
                     0,
                     0,
                     std::vector<double>(ring, 0.0),
                     std::vector<double>(ring, 0.0)};
}

TechnicalAnalyst::SymbolState& TechnicalAnalyst::StateFor(std::string_view symbol) {
  auto it = states_.find(symbol);
  if (it == states_.end()) it = states_.emplace(std::string(symbol), NewState()).first;
  return it->second;
}

void TechnicalAnalyst::Ask(const AnalystRequest& request, std::span<const Question> questions,
                           AnswerCallback done) {
  DeliverInline(Analyze(*request.snapshot), questions, done);
}

AnalystReport TechnicalAnalyst::Analyze(const MarketSnapshot& snapshot) {
  AnalystReport report{
      std::string(Name()),
      {Answer{Question::kPumpCandidates, {}}, Answer{Question::kTechnicalConfirmation, {}},
       Answer{Question::kRiskAssessment, {}}}};
  Answer& pump = report.answers[0];
  Answer& confirm = report.answers[1];
  Answer& risk = report.answers[2];
  const auto vol_window = static_cast<std::int64_t>(s_.volume_lookback_hours);
  const auto mom_window = static_cast<std::int64_t>(s_.momentum_lookback_hours);
  for (const SymbolSnapshot& view : snapshot.symbols) {
    const CandleWindow& hourly = view.hourly;
    if (hourly.empty()) continue;
    SymbolState& st = StateFor(view.symbol);
    OSPREY_CHECK(hourly.LastIndex() + 1 >= st.seen, "TechnicalAnalyst: candle history shrank");
    if (hourly.first_index > st.seen) st = NewState();  // a gap: restart from the window
    for (std::int64_t i = std::max(st.seen, hourly.first_index); i <= hourly.LastIndex(); ++i) {
      const Candle& c = hourly.At(i);
      const double close = c.close.ToDouble();
      st.rsi.Update(close);
      st.macd.Update(close);
      st.bb.Update(close);
      st.atr.Update(c.high.ToDouble(), c.low.ToDouble(), close);
      st.trend.Update(close);
      const std::size_t slot = Slot(st.fed + 1, 0, st.closes.size());
      st.closes[slot] = close;
      st.volumes[slot] = c.volume.ToDouble();
      ++st.fed;
    }
    st.seen = hourly.LastIndex() + 1;
    if (st.fed <= std::max(vol_window, mom_window) || !st.rsi.Ready() || !st.macd.Ready() ||
        !st.bb.Ready() || !st.atr.Ready() || !st.trend.Ready()) {
      continue;
    }
    const double close = st.CloseBack(0);

    // 1. Momentum and volume surge.
    const double past = st.CloseBack(mom_window);
    const double momentum = (close / past - 1.0) * 100.0;
    double vol_day = 0;
    double vol_all = 0;
    for (std::int64_t k = 0; k < vol_window; ++k) {
      const double v = st.VolumeBack(k);
      vol_all += v;
      if (k < 24) vol_day += v;
    }
    const double avg_day = vol_all / static_cast<double>(vol_window) * 24.0;
    const double ratio = avg_day > 0 ? vol_day / avg_day : 0.0;
    if (momentum >= s_.min_momentum_percent && ratio >= s_.volume_surge_ratio) {
      pump.coins.push_back(
          {view.symbol,
           PumpConfidence(momentum, ratio, s_),
           {fmt::format("{}h momentum {:+.2f}%", s_.momentum_lookback_hours, momentum),
            fmt::format("24h volume {:.2f}x its {}h average", ratio, s_.volume_lookback_hours)}});
    }

    // 2. Confirmation.
    const double rsi = st.rsi.Value();
    int passed = 0;
    std::vector<std::string> why;
    if (rsi >= s_.rsi_min && rsi <= s_.rsi_max) {
      ++passed;
      why.push_back(fmt::format("RSI {:.1f} in [{}, {}]", rsi, s_.rsi_min, s_.rsi_max));
    }
    if (st.macd.Hist() > 0) {
      ++passed;
      why.push_back(fmt::format("MACD histogram {:+.4g}", st.macd.Hist()));
    }
    if (close > st.bb.Middle()) {
      ++passed;
      why.emplace_back("close above Bollinger middle");
    }
    if (close < st.bb.Upper()) {
      ++passed;
      why.emplace_back("close below Bollinger upper");
    }
    // Every symbol with enough history is answered (0 when no check passes), as documented.
    if (passed == 0) why.emplace_back("no confirmation check passed");
    confirm.coins.push_back({view.symbol, ConfirmationConfidence(passed), std::move(why)});

    // 3. Risk.
    const double atr_pct = st.atr.Value() / close * 100.0;
    const bool above_trend = close > st.trend.Value();
    risk.coins.push_back(
        {view.symbol,
         RiskConfidence(above_trend, atr_pct, s_),
         {fmt::format("ATR {:.2f}% of price (max {}%)", atr_pct, s_.max_atr_percent),
          above_trend ? fmt::format("above SMA{}", s_.trend_sma_period)
                      : fmt::format("below SMA{}", s_.trend_sma_period)}});
  }
  return report;
}

}  // namespace osprey
