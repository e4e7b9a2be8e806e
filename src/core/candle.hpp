#pragma once
// One OHLCV bar. `open_time` is the bar's open (UTC ms); the bar is closed, and may be used by
// any decision, only from `open_time + interval` on. Prices are exact decimals as printed by the
// exchange. Plain value type.

#include <cstdint>

#include "core/decimal.hpp"
#include "core/time.hpp"

namespace osprey {

struct Candle {
  TimeMs open_time = 0;
  Decimal open;
  Decimal high;
  Decimal low;
  Decimal close;
  Decimal volume;  // base-asset volume
};

}  // namespace osprey
