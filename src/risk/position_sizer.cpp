#include "risk/position_sizer.hpp"

#include <fmt/format.h>

namespace osprey {
namespace {
const Decimal kHundred = Decimal::FromInt(100);
Decimal PercentOf(Decimal value, Decimal percent) {
  return Decimal::Div(Decimal::Mul(value, percent), kHundred, Rounding::kDown);
}
std::string PercentText(Decimal part, Decimal whole) {
  if (!whole.IsPositive()) return "-";
  return Decimal::Div(Decimal::Mul(part, kHundred), whole).ToFixed(2);
}
}  // namespace

Decimal PositionRisk(Decimal quantity, Decimal entry, Decimal stop) {
  if (!(entry > stop) || !quantity.IsPositive()) return Decimal();
  return Decimal::Mul(quantity, entry - stop);
}

std::string DescribeSize(const SizingResult& size, Decimal equity) {
  return fmt::format("{}; risks {} ({}% of equity) at the stop, notional {} ({}% of equity)",
                     size.basis, size.risk.ToFixed(2), PercentText(size.risk, equity),
                     size.notional.ToFixed(2), PercentText(size.notional, equity));
}

PositionSizer::PositionSizer(const RiskSettings& risk, const PositionSettings& positions)
    : risk_(risk), positions_(positions) {}

SizingResult PositionSizer::Size(const SizingRequest& r, const EdgeEstimate& edge) const {
  SizingResult out;
  if (!r.entry_price.IsPositive() || !r.equity.IsPositive()) {
    out.basis = "no equity or no price";
    return out;
  }
  const Decimal one = Decimal::FromInt(1);
  const Decimal risk_cap = PercentOf(r.equity, risk_.risk_per_trade_percent);
  const Decimal stop_distance = r.entry_price - r.stop_price;  // per unit
  if (risk_.sizing == SizingMode::kKelly) out.kelly_fraction = edge.KellyFraction();
  if (!stop_distance.IsPositive()) {
    out.basis = "stop not below entry";
    return out;
  }
  Decimal qty;
  if (risk_.sizing == SizingMode::kFixedFraction) {
    Decimal notional = PercentOf(r.equity, risk_.fixed_fraction_percent);
    out.basis = fmt::format("fixed {}% of equity", risk_.fixed_fraction_percent.ToString());
    const Decimal by_risk =
        Decimal::Div(Decimal::Mul(risk_cap, r.entry_price), stop_distance, Rounding::kDown);
    if (notional > by_risk) {
      notional = by_risk;
      out.basis +=
          fmt::format(", capped at {}% risk per trade", risk_.risk_per_trade_percent.ToString());
    }
    if (r.size_factor != one) {
      notional = Decimal::Mul(notional, r.size_factor, Rounding::kDown);
      out.basis += fmt::format(", x{} while REDUCING", r.size_factor.ToString());
    }
    qty = Decimal::Div(notional, r.entry_price, Rounding::kDown);
  } else {
    const double f = out.kelly_fraction;
    if (f <= 0) {
      out.basis = fmt::format("Kelly f={:.4f} ({}): no edge", f, edge.Describe());
      return out;
    }
    const double share = f * risk_.kelly_multiplier;
    auto kelly_risk = Decimal::FromDouble(r.equity.ToDouble() * share);
    Decimal budget = kelly_risk ? Min(*kelly_risk, risk_cap) : risk_cap;
    out.basis = fmt::format("Kelly f={:.4f} ({}) x{} = {:.2f}% of equity at risk", f,
                            edge.Describe(), risk_.kelly_multiplier, share * 100);
    if (budget == risk_cap && (!kelly_risk || *kelly_risk > risk_cap)) {
      out.basis +=
          fmt::format(", capped at {}% risk per trade", risk_.risk_per_trade_percent.ToString());
    }
    if (r.size_factor != one) {
      budget = Decimal::Mul(budget, r.size_factor, Rounding::kDown);
      out.basis += fmt::format(", x{} while REDUCING", r.size_factor.ToString());
    }
    qty = Decimal::Div(budget, stop_distance, Rounding::kDown);
  }
  // Heat: the new trade's risk fits in what the cap leaves after the open positions.
  const Decimal heat_cap = PercentOf(r.equity, positions_.max_position_exposure_percent);
  const Decimal room = Max(Decimal(), heat_cap - r.open_risk);
  if (Decimal::Mul(qty, stop_distance) > room) {
    qty = Decimal::Div(room, stop_distance, Rounding::kDown);
    out.basis += fmt::format(", reduced to the heat room left ({} of {})", room.ToFixed(2),
                             heat_cap.ToFixed(2));
  }
  if (positions_.cap_notional_at_equity_share) {
    const Decimal share = Decimal::Div(
        r.equity, Decimal::FromInt(positions_.max_concurrent_positions), Rounding::kDown);
    if (Decimal::Mul(qty, r.entry_price) > share) {
      qty = Decimal::Div(share, r.entry_price, Rounding::kDown);
      out.basis +=
          fmt::format(", notional capped at equity / {}", positions_.max_concurrent_positions);
    }
  }
  if (r.apply_filters && r.symbol.step_size.IsPositive()) {
    qty = qty.RoundToStep(r.symbol.step_size, Rounding::kDown);
  }
  out.quantity = qty;
  out.notional = Decimal::Mul(qty, r.entry_price);
  out.risk = PositionRisk(qty, r.entry_price, r.stop_price);
  return out;
}

}  // namespace osprey
