#include "risk/stop_price.hpp"

namespace osprey {

Decimal InitialStopPrice(Decimal entry_price, Decimal stop_loss_percent, const SymbolInfo& symbol,
                         bool apply_filters) {
  const Decimal factor =
      Decimal::FromInt(1) - Decimal::Div(stop_loss_percent, Decimal::FromInt(100));
  Decimal stop = Decimal::Mul(entry_price, factor, Rounding::kUp);
  if (apply_filters && symbol.tick_size.IsPositive()) {
    stop = stop.RoundToStep(symbol.tick_size, Rounding::kUp);
  }
  return stop;
}

}  // namespace osprey
