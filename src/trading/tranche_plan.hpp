#pragma once
// Splits a position's sellable quantity into take-profit tranches (spec: TP1 33%, TP2 33%,
// TP3 34%). Each tranche but the last is fraction x quantity rounded DOWN to the step size; the
// last takes the remainder, so the tranches always add up to exactly the sellable quantity.
// A tranche whose value at the stop price (the lower of its two exit prices) would be below the
// symbol's minimum notional or quantity is merged into its neighbour (the next one; the last into
// the previous), so every protective order passes the exchange's filters. Pure function.

#include <vector>

#include "core/decimal.hpp"
#include "core/symbol_info.hpp"

namespace osprey {

struct Tranche {
  int level = 0;  // 1-based take-profit level
  Decimal quantity;
  Decimal take_profit;
};

// `fractions_percent` sums to 100; `take_profits` ascending, same length.
std::vector<Tranche> PlanTranches(Decimal sellable, const std::vector<Decimal>& fractions_percent,
                                  const std::vector<Decimal>& take_profits, Decimal stop_price,
                                  const SymbolInfo& symbol, bool apply_filters);

}  // namespace osprey
