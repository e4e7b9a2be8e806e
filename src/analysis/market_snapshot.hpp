#pragma once
// MarketSnapshot: what every analyst sees in one cycle, as of `now`. Immutable once built and
// shared as std::shared_ptr<const MarketSnapshot>, so an analyst may read it on any thread for as
// long as it keeps the pointer, even after the engine has moved on: it owns every byte (copies of
// a bounded window of candles), never a view into memory the engine may change.
//
// Candle indices are ABSOLUTE: a window's first_index is the row, in the symbol's series as the
// MarketData port serves it, of its first candle, so a signal's index is the same whether the
// snapshot holds the whole series or its last 200 rows.
//
// Optional fields are room for later adapters (Binance 4h/1d klines and 24h statistics, CoinGecko
// market cap, a news source's headlines). Nothing fills them today: they are empty, never faked.
// Thread contract: const access from any number of threads.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/candle.hpp"
#include "core/decimal.hpp"
#include "core/time.hpp"

namespace osprey {

// A run of consecutive closed candles of one interval, oldest first.
struct CandleWindow {
  std::int64_t first_index = 0;  // absolute row of candles[0] in the symbol's series
  std::vector<Candle> candles;

  bool empty() const { return candles.empty(); }
  // Absolute row of the latest candle; first_index - 1 when empty.
  std::int64_t LastIndex() const {
    return first_index + static_cast<std::int64_t>(candles.size()) - 1;
  }
  // True when absolute row `index` is inside the window.
  bool Holds(std::int64_t index) const { return index >= first_index && index <= LastIndex(); }
  // The candle at absolute row `index`; aborts when the window does not hold it (a caller that
  // may ask outside checks Holds first).
  const Candle& At(std::int64_t index) const;
};

// Binance's 24h rolling-window ticker (GET /api/v3/ticker/24hr). Not filled by any source yet.
struct Stats24h {
  Decimal price_change_percent;
  Decimal high;
  Decimal low;
  Decimal volume;        // base asset
  Decimal quote_volume;  // quote asset
  std::int64_t trades = 0;
};

// A news headline (a later news adapter). Not filled by any source yet.
struct Headline {
  TimeMs published = 0;
  std::string source;
  std::string title;
  std::string url;
  std::vector<std::string> symbols;  // the coins it mentions, when the source says
};

struct SymbolSnapshot {
  std::string symbol;
  // Closed 1h candles ending with the one that closed at the snapshot's `now`. Always filled.
  CandleWindow hourly;
  // Later adapters: closed 4h and 1d candles (empty today), 24h statistics and market cap in the
  // account currency (absent today).
  CandleWindow four_hour;
  CandleWindow daily;
  std::optional<Stats24h> stats_24h;
  std::optional<Decimal> market_cap;
};

struct MarketSnapshot {
  TimeMs now = 0;
  // Symbols whose latest hourly candle is fresh (stale symbols are left out), in universe order.
  std::vector<SymbolSnapshot> symbols;
  // Later news adapter: recent headlines, newest first (empty today).
  std::vector<Headline> headlines;

  // The symbol's entry, or nullptr when it is not in the snapshot.
  const SymbolSnapshot* Find(std::string_view symbol) const;
};

}  // namespace osprey
