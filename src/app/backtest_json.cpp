#include "app/backtest_json.hpp"

namespace osprey {
namespace {

nlohmann::ordered_json OptionalNumber(const std::optional<double>& v) {
  return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json(nullptr);
}

}  // namespace

nlohmann::ordered_json TradeToJson(const TradeRecord& t) {
  nlohmann::ordered_json j;
  j["id"] = t.id;
  j["symbol"] = t.symbol;
  j["side"] = t.side;
  j["status"] = std::string(TradeStatusName(t.status));
  j["entry_time_ms"] = t.signal_candle_open_time;
  j["entry_index"] = t.entry_index;
  j["entry_fill_time_ms"] = t.entry_time;
  j["entry_price"] = t.entry_price.ToDouble();
  j["qty"] = t.quantity.ToDouble();
  j["net_qty"] = t.net_quantity.ToDouble();
  j["entry_fee"] = t.entry_fee.ToDouble();
  j["confidence"] = t.confidence;
  j["analysts"] = t.analysts;
  j["stop_loss"] = t.stop_loss.ToDouble();
  nlohmann::ordered_json tps = nlohmann::ordered_json::array();
  for (const auto& tp : t.take_profits) {
    tps.push_back({{"price", tp.price.ToDouble()},
                   {"percent", tp.percent.ToDouble()},
                   {"fraction_percent", tp.fraction.ToDouble()}});
  }
  j["take_profits"] = tps;
  nlohmann::ordered_json fills = nlohmann::ordered_json::array();
  Decimal fees = t.entry_fee;
  for (const auto& f : t.exits) {
    fees += f.fee;
    fills.push_back({{"time_ms", f.candle_open_time},
                     {"index", f.candle_index},
                     {"price", f.price.ToDouble()},
                     {"qty", f.quantity.ToDouble()},
                     {"reason", std::string(ExitReasonShortName(f.reason))},
                     {"fee", f.fee.ToDouble()},
                     {"fill_time_ms", f.time}});
  }
  j["fills"] = fills;
  if (t.status == TradeStatus::kClosed) {
    j["exit_time_ms"] = t.exits.back().candle_open_time;
    j["exit_index"] = t.exit_index;
    j["exit_price"] = t.exit_price.ToDouble();
    j["exit_reason"] = std::string(ExitReasonShortName(t.exit_reason));
    j["pnl"] = t.pnl.ToDouble();
    j["return_pct"] = t.pnl_percent;
  }
  j["fees"] = fees.ToDouble();
  return j;
}

nlohmann::ordered_json BacktestToJson(const BacktestReportContext& ctx, const BacktestResult& r,
                                      const PerformanceMetrics& m,
                                      const std::optional<BiasCheckResult>& bias) {
  nlohmann::ordered_json j;
  j["config"] = ctx.config_path;
  j["data"] = ctx.data_dir;
  j["symbols"] = ctx.symbols;
  j["analysts"] = ctx.analysts;
  j["from"] = FormatIsoUtc(ctx.from);
  j["to"] = FormatIsoUtc(ctx.to);
  j["n_candles"] = r.n_candles;
  j["n_minute_candles"] = r.n_minute_candles;
  j["data_gaps"] = ctx.n_gaps;
  j["data_missing_bars"] = ctx.n_missing_bars;
  j["starting_equity"] = r.starting_equity.ToDouble();
  j["n_trades"] = m.n_trades;
  j["final_equity"] = r.final_equity.ToDouble();
  j["final_cash"] = r.final_cash.ToDouble();
  j["return_pct"] = m.return_pct;
  j["max_drawdown_pct"] = m.max_drawdown_pct;
  j["max_drawdown_abs"] = m.max_drawdown_abs;
  j["win_rate"] = m.win_rate;
  j["profit_factor"] = OptionalNumber(m.profit_factor);
  j["sharpe"] = OptionalNumber(m.sharpe);
  j["sortino"] = OptionalNumber(m.sortino);
  j["calmar"] = OptionalNumber(m.calmar);
  j["annualized_return_pct"] = OptionalNumber(m.annualized_return_pct);
  j["volatility_annual_pct"] = m.volatility_annual_pct;
  j["total_pnl"] = m.total_pnl;
  j["fees_paid"] = m.fees_paid;
  j["wins"] = m.wins;
  j["losses"] = m.losses;
  j["max_consecutive_wins"] = m.max_consecutive_wins;
  j["max_consecutive_losses"] = m.max_consecutive_losses;
  j["largest_win"] = m.largest_win;
  j["largest_loss"] = m.largest_loss;
  j["average_trade_duration_hours"] = m.average_trade_duration_hours;
  j["exposure_pct"] = m.exposure_pct;
  j["capital_efficiency"] = m.capital_efficiency;
  j["rejections"] = r.rejections;
  j["risk_status"] = r.risk.status;
  j["risk_halt_reason"] = r.risk.halt_reason;
  if (bias) {
    j["bias_check"] = {{"reruns", bias->reruns},
                       {"decisions_compared", bias->decisions_compared},
                       {"changed", bias->changed},
                       {"differences", bias->differences}};
  }
  j["wall_time_s"] = r.wall_time_s;
  j["candles_per_second"] =
      r.wall_time_s > 0 ? static_cast<double>(r.n_candles) / r.wall_time_s : 0.0;
  nlohmann::ordered_json trades = nlohmann::ordered_json::array();
  for (const auto& t : r.trades) trades.push_back(TradeToJson(t));
  j["trades"] = trades;
  nlohmann::ordered_json open = nlohmann::ordered_json::array();
  for (const auto& t : r.open_positions) open.push_back(TradeToJson(t));
  j["open_position"] = r.open_positions.empty() ? nlohmann::ordered_json(nullptr) : open.front();
  j["open_positions"] = open;
  return j;
}

}  // namespace osprey
