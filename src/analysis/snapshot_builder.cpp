#include "analysis/snapshot_builder.hpp"

#include <algorithm>

#include "core/error.hpp"

namespace osprey {

SnapshotBuilder::SnapshotBuilder(std::size_t history_hours)
    : history_hours_(std::max<std::size_t>(history_hours, 1)) {}

void SnapshotBuilder::Begin(TimeMs now) {
  if (building_ == nullptr || building_.use_count() != 1) {
    building_ = std::make_shared<MarketSnapshot>();
  }
  building_->now = now;
  building_->headlines.clear();
  used_ = 0;
}

void SnapshotBuilder::Add(std::string_view symbol, std::int64_t first_index,
                          std::span<const Candle> closed) {
  OSPREY_CHECK(building_ != nullptr, "SnapshotBuilder: Add before Begin");
  if (closed.empty()) return;
  for (std::size_t i = 0; i < used_; ++i) {
    OSPREY_CHECK(building_->symbols[i].symbol != symbol, "SnapshotBuilder: symbol added twice");
  }
  const std::int64_t size = static_cast<std::int64_t>(closed.size());
  const std::int64_t end = first_index + size;  // one past the latest row
  auto next = next_row_.find(symbol);
  if (next == next_row_.end()) next = next_row_.emplace(std::string(symbol), first_index).first;
  const std::int64_t lookback_start = end - static_cast<std::int64_t>(history_hours_);
  const std::int64_t start = std::max(first_index, std::min(next->second, lookback_start));
  next->second = end;

  if (used_ == building_->symbols.size()) building_->symbols.emplace_back();
  SymbolSnapshot& s = building_->symbols[used_++];
  s.symbol.assign(symbol);
  s.hourly.first_index = start;
  s.hourly.candles.assign(closed.begin() + (start - first_index), closed.end());
  s.four_hour = CandleWindow{};
  s.daily = CandleWindow{};
  s.stats_24h.reset();
  s.market_cap.reset();
}

std::shared_ptr<const MarketSnapshot> SnapshotBuilder::Finish() {
  OSPREY_CHECK(building_ != nullptr, "SnapshotBuilder: Finish before Begin");
  building_->symbols.resize(used_);
  return building_;
}

}  // namespace osprey
