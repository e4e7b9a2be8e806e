#include "risk/position_sizer.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace osprey {
namespace {
const Decimal kHundred = Decimal::FromInt(100);
Decimal PercentOf(Decimal value, Decimal percent) {
  return Decimal::Div(Decimal::Mul(value, percent), kHundred, Rounding::kDown);
}
}  // namespace

void KellyStats::Add(double pnl) {
  ++trades;
  if (pnl > 0) {
    ++wins;
    win_sum += pnl;
  } else {
    loss_sum += -pnl;
  }
}

PositionSizer::PositionSizer(const RiskSettings& risk, const PositionSettings& positions)
    : risk_(risk), positions_(positions) {}

SizingResult PositionSizer::Size(const SizingRequest& r, const KellyStats& stats) const {
  SizingResult out;
  if (!r.entry_price.IsPositive() || !r.equity.IsPositive()) {
    out.basis = "no equity or no price";
    return out;
  }
  const Decimal cap = PercentOf(r.equity, positions_.max_position_exposure_percent);
  const Decimal risk_cap = PercentOf(r.equity, risk_.risk_per_trade_percent);
  const Decimal stop_distance = r.entry_price - r.stop_price;  // per unit
  Decimal notional;
  if (risk_.sizing == SizingMode::kFixedFraction) {
    notional = PercentOf(r.equity, risk_.fixed_fraction_percent);
    out.basis = fmt::format("fixed {}% of equity", risk_.fixed_fraction_percent.ToString());
  } else {
    double p = risk_.kelly_prior_win_rate;
    double b = risk_.kelly_prior_payoff;
    std::string source = "prior";
    const int losses = stats.trades - stats.wins;
    if (stats.trades >= risk_.kelly_min_trades && stats.wins > 0 && losses > 0) {
      p = static_cast<double>(stats.wins) / stats.trades;
      b = (stats.win_sum / stats.wins) / (stats.loss_sum / losses);
      source = fmt::format("{} trades", stats.trades);
    } else if (stats.trades >= risk_.kelly_min_trades && stats.wins == 0) {
      p = 0;  // every trade lost: no edge
      source = fmt::format("{} trades", stats.trades);
    }
    const double f = p - (1.0 - p) / b;
    out.kelly_fraction = f;
    if (f <= 0) {
      out.basis = fmt::format("Kelly f={:.4f} ({}): no edge", f, source);
      return out;
    }
    auto risk_amount = Decimal::FromDouble(r.equity.ToDouble() * f * risk_.kelly_multiplier);
    Decimal risk_budget = risk_amount ? Min(*risk_amount, risk_cap) : risk_cap;
    if (!stop_distance.IsPositive()) {
      out.basis = "stop not below entry";
      return out;
    }
    notional =
        Decimal::Div(Decimal::Mul(risk_budget, r.entry_price), stop_distance, Rounding::kDown);
    out.basis = fmt::format("Kelly f={:.4f} ({}) x{} -> risk {}", f, source, risk_.kelly_multiplier,
                            risk_budget.ToFixed(2));
  }
  // Risk per trade caps every mode: notional * stop distance / price <= risk_cap.
  if (stop_distance.IsPositive()) {
    const Decimal by_risk =
        Decimal::Div(Decimal::Mul(risk_cap, r.entry_price), stop_distance, Rounding::kDown);
    if (notional > by_risk) {
      notional = by_risk;
      out.basis += ", capped by risk per trade";
    }
  }
  if (notional > cap) {
    notional = cap;
    out.basis += ", capped by max exposure";
  }
  if (r.size_factor != Decimal::FromInt(1)) {
    notional = Decimal::Mul(notional, r.size_factor, Rounding::kDown);
    out.basis += fmt::format(", x{} while REDUCING", r.size_factor.ToString());
  }
  Decimal qty = Decimal::Div(notional, r.entry_price, Rounding::kDown);
  if (r.apply_filters && r.symbol.step_size.IsPositive()) {
    qty = qty.RoundToStep(r.symbol.step_size, Rounding::kDown);
  }
  out.quantity = qty;
  out.notional = Decimal::Mul(qty, r.entry_price);
  return out;
}

}  // namespace osprey
