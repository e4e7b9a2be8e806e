#include "trading/tranche_plan.hpp"

namespace osprey {

std::vector<Tranche> PlanTranches(Decimal sellable, const std::vector<Decimal>& fractions_percent,
                                  const std::vector<Decimal>& take_profits, Decimal stop_price,
                                  const SymbolInfo& symbol, bool apply_filters) {
  std::vector<Tranche> plan;
  const std::size_t n = fractions_percent.size();
  Decimal assigned;
  for (std::size_t k = 0; k < n; ++k) {
    Tranche t;
    t.level = static_cast<int>(k) + 1;
    t.take_profit = take_profits[k];
    if (k + 1 == n) {
      t.quantity = sellable - assigned;
    } else {
      t.quantity = Decimal::Div(Decimal::Mul(sellable, fractions_percent[k], Rounding::kDown),
                                Decimal::FromInt(100), Rounding::kDown);
      if (apply_filters && symbol.step_size.IsPositive()) {
        t.quantity = t.quantity.RoundToStep(symbol.step_size, Rounding::kDown);
      }
    }
    assigned += t.quantity;
    plan.push_back(t);
  }
  if (!apply_filters) return plan;
  const auto too_small = [&](const Tranche& t) {
    return t.quantity < symbol.min_qty ||
           Decimal::Mul(t.quantity, stop_price) < symbol.min_notional;
  };
  // Forward pass: a small tranche joins the next one.
  for (std::size_t k = 0; k + 1 < plan.size(); ++k) {
    if (plan[k].quantity.IsPositive() && too_small(plan[k])) {
      plan[k + 1].quantity += plan[k].quantity;
      plan[k].quantity = Decimal();
    }
  }
  // The last one, if still small, joins the nearest earlier non-empty tranche.
  if (!plan.empty() && plan.back().quantity.IsPositive() && too_small(plan.back())) {
    for (std::size_t k = plan.size() - 1; k-- > 0;) {
      if (plan[k].quantity.IsPositive()) {
        plan[k].quantity += plan.back().quantity;
        plan.back().quantity = Decimal();
        break;
      }
    }
  }
  std::vector<Tranche> kept;
  for (const auto& t : plan) {
    if (t.quantity.IsPositive()) kept.push_back(t);
  }
  return kept;
}

}  // namespace osprey
