#include "analysis/technical_analyst.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace osprey {

TechnicalAnalyst::TechnicalAnalyst(const TechnicalSettings& settings) : s_(settings) {
  report_.analyst = std::string(Name());
  report_.answers = {Answer{Question::kPumpCandidates, {}},
                     Answer{Question::kTechnicalConfirmation, {}},
                     Answer{Question::kRiskAssessment, {}}};
}

TechnicalAnalyst::SymbolState& TechnicalAnalyst::StateFor(std::string_view symbol) {
  auto it = states_.find(symbol);
  if (it == states_.end()) {
    it = states_
             .emplace(
                 std::string(symbol),
                 SymbolState{analysis::Rsi(s_.rsi_period),
                             analysis::Macd(s_.macd_fast, s_.macd_slow, s_.macd_signal),
                             analysis::BollingerBands(s_.bb_period, s_.bb_stddev, s_.bb_stddev),
                             analysis::Atr(s_.atr_period), analysis::Sma(s_.trend_sma_period), 0})
             .first;
  }
  return it->second;
}

Result<const AnalystReport*> TechnicalAnalyst::Analyze(const MarketSnapshot& snapshot) {
  Answer& pump = report_.answers[0];
  Answer& confirm = report_.answers[1];
  Answer& risk = report_.answers[2];
  pump.coins.clear();
  confirm.coins.clear();
  risk.coins.clear();
  const auto vol_window = static_cast<std::size_t>(s_.volume_lookback_hours);
  const auto mom_window = static_cast<std::size_t>(s_.momentum_lookback_hours);
  for (const SymbolView& view : snapshot.symbols) {
    SymbolState& st = StateFor(view.symbol);
    OSPREY_CHECK(view.hourly.size() >= st.seen, "TechnicalAnalyst: candle history shrank");
    for (std::size_t i = st.seen; i < view.hourly.size(); ++i) {
      const Candle& c = view.hourly[i];
      const double close = c.close.ToDouble();
      st.rsi.Update(close);
      st.macd.Update(close);
      st.bb.Update(close);
      st.atr.Update(c.high.ToDouble(), c.low.ToDouble(), close);
      st.trend.Update(close);
    }
    st.seen = view.hourly.size();
    const std::size_t n = view.hourly.size();
    if (n <= std::max(vol_window, mom_window) || !st.rsi.Ready() || !st.macd.Ready() ||
        !st.bb.Ready() || !st.atr.Ready() || !st.trend.Ready()) {
      continue;
    }
    const double close = view.hourly[n - 1].close.ToDouble();

    // 1. Momentum and volume surge.
    const double past = view.hourly[n - 1 - mom_window].close.ToDouble();
    const double momentum = (close / past - 1.0) * 100.0;
    double vol_day = 0;
    double vol_all = 0;
    for (std::size_t k = 0; k < vol_window; ++k) {
      const double v = view.hourly[n - 1 - k].volume.ToDouble();
      vol_all += v;
      if (k < 24) vol_day += v;
    }
    const double avg_day = vol_all / static_cast<double>(vol_window) * 24.0;
    const double ratio = avg_day > 0 ? vol_day / avg_day : 0.0;
    if (momentum >= s_.min_momentum_percent && ratio >= s_.volume_surge_ratio) {
      const double conf = 0.4 + 0.15 * std::min(momentum / s_.min_momentum_percent, 2.0) +
                          0.15 * std::min(ratio / s_.volume_surge_ratio, 2.0);
      pump.coins.push_back(
          {std::string(view.symbol),
           std::min(conf, 1.0),
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
    // Every symbol with enough history is answered (0.4 when no check passes), as documented.
    if (passed == 0) why.emplace_back("no confirmation check passed");
    confirm.coins.push_back({std::string(view.symbol), 0.4 + 0.15 * passed, std::move(why)});

    // 3. Risk.
    const double atr_pct = st.atr.Value() / close * 100.0;
    const bool above_trend = close > st.trend.Value();
    const double rconf =
        above_trend ? std::max(0.0, 1.0 - 0.3 * atr_pct / s_.max_atr_percent) : 0.3;
    risk.coins.push_back(
        {std::string(view.symbol),
         rconf,
         {fmt::format("ATR {:.2f}% of price (max {}%)", atr_pct, s_.max_atr_percent),
          above_trend ? fmt::format("above SMA{}", s_.trend_sma_period)
                      : fmt::format("below SMA{}", s_.trend_sma_period)}});
  }
  return &report_;
}

}  // namespace osprey
