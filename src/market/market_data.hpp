#pragma once
// MarketData: the port through which analysts and the engine see prices. Implementations must
// make look-ahead impossible: only candles that have CLOSED at or before the clock's now are
// ever returned (a 1h candle opened at t is closed at t + 1h). Called from the engine thread.

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/candle.hpp"
#include "core/error.hpp"
#include "core/time.hpp"

namespace osprey {

class MarketData {
 public:
  virtual ~MarketData() = default;

  // Symbols this source can serve.
  virtual const std::vector<std::string>& Symbols() const = 0;
  // Up to `count` most recent closed candles of `symbol` at `interval_ms` (oldest first),
  // i.e. those with open_time + interval_ms <= now. Empty when none has closed yet.
  // Error kNotFound for an unknown symbol or interval. The span stays valid until the next call.
  [[nodiscard]] virtual Result<std::span<const Candle>> ClosedCandles(std::string_view symbol,
                                                                      TimeMs interval_ms,
                                                                      std::size_t count) = 0;
};

}  // namespace osprey
