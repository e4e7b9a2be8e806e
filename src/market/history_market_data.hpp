#pragma once
// HistoryMarketData: the MarketData port over candle series loaded from files, for backtests.
//
// Promises:
// - ClosedCandles returns only candles with open_time + interval <= clock.Now(): a candle is
//   visible from the instant it closes (inclusive), never earlier, so look-ahead is impossible
//   by construction whatever the caller asks.
// - Each (symbol, interval) keeps a cursor that moves forward with the clock, so the backtest's
//   hourly calls cost amortised O(1); a clock behind the cursor (a fresh clock, a test) falls back
//   to a binary search and stays correct.
// - Returned spans and Series() pointers stay valid for the object's lifetime (the candles are
//   never modified), which is stronger than the port's "until the next call".
// Thread contract: not thread-safe (the cursors mutate on reads); one engine thread owns it. The
// clock must outlive this object.

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "market/candle_file.hpp"
#include "market/market_data.hpp"

namespace osprey {

class HistoryMarketData final : public MarketData {
 public:
  // Fails (kInvalidArgument, naming the series) on an empty symbol, a non-positive interval, two
  // series for the same (symbol, interval), or candles not strictly ascending on the interval grid
  // (hand-built series skip the file loader's checks, and the cursor relies on them).
  [[nodiscard]] static Result<HistoryMarketData> Create(const Clock& clock,
                                                        std::vector<CandleSeries> series);
  // Same checks, without copying: the series are borrowed and must outlive this object (the
  // backtest runner's input does; a copy of years of candles per run would cost more than the
  // replay itself).
  [[nodiscard]] static Result<HistoryMarketData> CreateView(
      const Clock& clock, std::vector<const CandleSeries*> series);

  const std::vector<std::string>& Symbols() const override { return symbols_; }
  [[nodiscard]] Result<std::span<const Candle>> ClosedCandles(std::string_view symbol,
                                                              TimeMs interval_ms,
                                                              std::size_t count) override;

  // The whole series, including candles not yet closed: for the backtest driver that replays
  // them into the simulated exchange, never for analysts. nullptr when absent.
  const CandleSeries* Series(std::string_view symbol, TimeMs interval_ms) const;

 private:
  struct Entry {
    const CandleSeries* series;  // in owned_, or borrowed (CreateView)
    std::size_t closed = 0;      // cursor: number of candles closed at the last query
  };

  HistoryMarketData(const Clock& clock, std::vector<Entry> entries,
                    std::vector<std::string> symbols)
      : clock_(&clock), entries_(std::move(entries)), symbols_(std::move(symbols)) {}

  Entry* Find(std::string_view symbol, TimeMs interval_ms);
  const Entry* Find(std::string_view symbol, TimeMs interval_ms) const;

  const Clock* clock_;
  // A handful of (symbol, interval) pairs: a linear scan beats hashing the symbol on every call.
  std::vector<Entry> entries_;
  std::vector<std::string> symbols_;                        // distinct, in first-seen order
  std::shared_ptr<const std::vector<CandleSeries>> owned_;  // null for a view
};

// Loads `dir/klines/1h/SYMBOL.csv.gz` for each symbol (required: an error naming the path if
// missing or bad) and, when `with_minutes`, `dir/klines/1m/SYMBOL.csv.gz` where it exists (a
// missing 1m file is skipped; a bad one, or one whose minutes leave their hour's range
// (market/minute_cross_check.hpp), is an error). Series come back in `symbols` order, each
// symbol's 1h series before its 1m series. Thread-safe (touches only the files).
[[nodiscard]] Result<std::vector<CandleSeries>> LoadHistoryDir(
    const std::string& dir, const std::vector<std::string>& symbols, bool with_minutes);

}  // namespace osprey
