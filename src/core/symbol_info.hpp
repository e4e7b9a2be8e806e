#pragma once
// A trading pair's exchange rules (Binance exchangeInfo filters): PRICE_FILTER tickSize,
// LOT_SIZE stepSize/minQty/maxQty, NOTIONAL/MIN_NOTIONAL minNotional. A zero step, tick or
// minimum means "no rule" (the reference configuration). Plain value type.

#include <string>

#include "core/decimal.hpp"

namespace osprey {

struct SymbolInfo {
  std::string symbol;       // "BTCUSDT"
  std::string base_asset;   // "BTC"
  std::string quote_asset;  // "USDT"
  Decimal tick_size;
  Decimal step_size;
  Decimal min_qty;
  Decimal max_qty;  // zero: unlimited
  Decimal min_notional;
};

}  // namespace osprey
