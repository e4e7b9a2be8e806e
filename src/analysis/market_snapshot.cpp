#include "analysis/market_snapshot.hpp"

#include "core/error.hpp"

namespace osprey {

const Candle& CandleWindow::At(std::int64_t index) const {
  OSPREY_CHECK(Holds(index), "CandleWindow: row outside the window");
  return candles[static_cast<std::size_t>(index - first_index)];
}

const SymbolSnapshot* MarketSnapshot::Find(std::string_view symbol) const {
  for (const SymbolSnapshot& s : symbols) {
    if (s.symbol == symbol) return &s;
  }
  return nullptr;
}

}  // namespace osprey
