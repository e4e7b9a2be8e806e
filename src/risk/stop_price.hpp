#pragma once
// The initial stop-loss price of a long position, computed one way for the risk check before the
// entry and for the protective order after the fill: entry x (1 - stop_loss_percent / 100),
// rounded UP to the symbol's tick when filters apply (so the loss never exceeds the configured
// percentage). With a tick that is coarse for the price, the rounded stop can reach the entry:
// callers must then refuse the entry (STOP_NOT_BELOW_ENTRY) or, after a fill, not hold the
// position unprotected. Pure function; thread-safe.

#include "core/decimal.hpp"
#include "core/symbol_info.hpp"

namespace osprey {

Decimal InitialStopPrice(Decimal entry_price, Decimal stop_loss_percent, const SymbolInfo& symbol,
                         bool apply_filters);

}  // namespace osprey
