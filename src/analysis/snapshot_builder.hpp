#pragma once
// SnapshotBuilder: builds each cycle's immutable MarketSnapshot from the closed candles the engine
// read, copying a bounded window per symbol so the snapshot owns its data.
//
// Promises:
// - A symbol's window holds its last `history_hours` closed hourly candles (fewer when the series
//   is shorter) AND every candle added since that symbol's previous snapshot from this builder,
//   so an analyst that streams indicators sees every row exactly once; a symbol's first snapshot
//   holds every candle it was given. Indices are absolute (`first_index` as given to Add).
// - A snapshot handed out is never modified. The builder reuses the previous snapshot's storage
//   only when nobody else holds it any more (an analyst still working keeps its copy intact).
// Thread contract: one thread (the engine's) calls Begin/Add/Finish; the snapshots it returns may
// be read from any thread.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

#include "analysis/market_snapshot.hpp"
#include "core/small_string_map.hpp"

namespace osprey {

class SnapshotBuilder {
 public:
  explicit SnapshotBuilder(std::size_t history_hours);

  // Starts a snapshot as of `now` (discarding one begun and not finished).
  void Begin(TimeMs now);
  // Adds `symbol` with its closed hourly candles, oldest first; closed[0] is absolute row
  // `first_index` of the symbol's series. Empty `closed` adds nothing. Each symbol at most once
  // per snapshot (a repeat is a programming error and aborts).
  void Add(std::string_view symbol, std::int64_t first_index, std::span<const Candle> closed);
  // The snapshot, symbols in the order added. Begin must be called before the next Add.
  [[nodiscard]] std::shared_ptr<const MarketSnapshot> Finish();

 private:
  std::size_t history_hours_;
  std::shared_ptr<MarketSnapshot> building_;  // reused when nobody else holds it
  std::size_t used_ = 0;                      // symbols filled in building_
  SmallStringMap<std::int64_t> next_row_;     // per symbol: first row not yet in a snapshot
};

}  // namespace osprey
