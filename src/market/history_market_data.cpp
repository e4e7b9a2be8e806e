#include "market/history_market_data.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <limits>
#include <utility>

#include "market/minute_cross_check.hpp"

namespace osprey {
namespace {

Result<void> CheckSeries(const CandleSeries& s) {
  if (s.symbol.empty()) return Fail(ErrorCode::kInvalidArgument, "candle series with no symbol");
  if (s.interval_ms <= 0) {
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("{}: interval must be positive, got {} ms", s.symbol, s.interval_ms));
  }
  for (std::size_t i = 0; i < s.candles.size(); ++i) {
    const TimeMs t = s.candles[i].open_time;
    if (t % s.interval_ms != 0) {
      return Fail(ErrorCode::kInvalidArgument,
                  fmt::format("{} {} ms series: candle {} opens at {}, off the bar grid", s.symbol,
                              s.interval_ms, i, t));
    }
    if (i > 0 && t <= s.candles[i - 1].open_time) {
      return Fail(ErrorCode::kInvalidArgument,
                  fmt::format("{} {} ms series: candle {} opens at {}, not after candle {} at {}",
                              s.symbol, s.interval_ms, i, t, i - 1, s.candles[i - 1].open_time));
    }
  }
  return {};
}

}  // namespace

Result<HistoryMarketData> HistoryMarketData::Create(const Clock& clock,
                                                    std::vector<CandleSeries> series) {
  auto owned = std::make_shared<std::vector<CandleSeries>>(std::move(series));
  std::vector<const CandleSeries*> views;
  views.reserve(owned->size());
  for (const CandleSeries& s : *owned) views.push_back(&s);
  auto made = CreateView(clock, std::move(views));
  if (made) made->owned_ = std::move(owned);
  return made;
}

Result<HistoryMarketData> HistoryMarketData::CreateView(const Clock& clock,
                                                        std::vector<const CandleSeries*> series) {
  std::vector<Entry> entries;
  std::vector<std::string> symbols;
  entries.reserve(series.size());
  for (const CandleSeries* s : series) {
    if (auto r = CheckSeries(*s); !r) return std::unexpected(std::move(r.error()));
    for (const Entry& e : entries) {
      if (e.series->symbol == s->symbol && e.series->interval_ms == s->interval_ms) {
        return Fail(ErrorCode::kInvalidArgument,
                    fmt::format("two {} ms candle series for {}", s->interval_ms, s->symbol));
      }
    }
    if (std::find(symbols.begin(), symbols.end(), s->symbol) == symbols.end()) {
      symbols.push_back(s->symbol);
    }
    entries.push_back(Entry{s, 0});
  }
  return HistoryMarketData(clock, std::move(entries), std::move(symbols));
}

HistoryMarketData::Entry* HistoryMarketData::Find(std::string_view symbol, TimeMs interval_ms) {
  for (Entry& e : entries_) {
    if (e.series->interval_ms == interval_ms && e.series->symbol == symbol) return &e;
  }
  return nullptr;
}

const HistoryMarketData::Entry* HistoryMarketData::Find(std::string_view symbol,
                                                        TimeMs interval_ms) const {
  for (const Entry& e : entries_) {
    if (e.series->interval_ms == interval_ms && e.series->symbol == symbol) return &e;
  }
  return nullptr;
}

Result<std::span<const Candle>> HistoryMarketData::ClosedCandles(std::string_view symbol,
                                                                 TimeMs interval_ms,
                                                                 std::size_t count) {
  Entry* e = Find(symbol, interval_ms);
  if (e == nullptr) {
    if (std::find(symbols_.begin(), symbols_.end(), symbol) == symbols_.end()) {
      return Fail(ErrorCode::kNotFound, fmt::format("unknown symbol '{}'", symbol));
    }
    return Fail(ErrorCode::kNotFound,
                fmt::format("no {} ms candles for symbol '{}'", interval_ms, symbol));
  }
  const std::vector<Candle>& candles = e->series->candles;
  // Closed means open_time + interval <= now, i.e. open_time <= last_open.
  TimeMs last_open = 0;
  if (__builtin_sub_overflow(clock_->Now(), interval_ms, &last_open)) {
    last_open = std::numeric_limits<TimeMs>::min();
  }
  const auto opens_after = [](TimeMs t, const Candle& c) { return t < c.open_time; };
  const auto begin = candles.begin();
  std::size_t n = e->closed;
  if (n > 0 && candles[n - 1].open_time > last_open) {
    // The clock is behind the cursor.
    n = static_cast<std::size_t>(
        std::upper_bound(begin, begin + static_cast<std::ptrdiff_t>(n), last_open, opens_after) -
        begin);
  } else {
    // Gallop forward from the cursor: one probe per call when the clock moves one bar at a time,
    // O(log distance) after a jump. Everything before `lo` is closed.
    std::size_t lo = n;
    std::size_t hi = n;
    std::size_t step = 1;
    while (hi < candles.size() && candles[hi].open_time <= last_open) {
      lo = hi + 1;
      hi = lo + step;
      step *= 2;
    }
    hi = std::min(hi, candles.size());
    n = static_cast<std::size_t>(std::upper_bound(begin + static_cast<std::ptrdiff_t>(lo),
                                                  begin + static_cast<std::ptrdiff_t>(hi),
                                                  last_open, opens_after) -
                                 begin);
  }
  e->closed = n;
  const std::size_t k = std::min(count, n);
  return std::span<const Candle>(candles.data() + (n - k), k);
}

const CandleSeries* HistoryMarketData::Series(std::string_view symbol, TimeMs interval_ms) const {
  const Entry* e = Find(symbol, interval_ms);
  return e != nullptr ? e->series : nullptr;
}

Result<std::vector<CandleSeries>> LoadHistoryDir(const std::string& dir,
                                                 const std::vector<std::string>& symbols,
                                                 bool with_minutes) {
  const std::filesystem::path klines = std::filesystem::path(dir) / "klines";
  std::vector<CandleSeries> out;
  out.reserve(symbols.size() * (with_minutes ? 2 : 1));
  for (const std::string& symbol : symbols) {
    auto hours = LoadCandleFile((klines / "1h" / (symbol + ".csv.gz")).string(), symbol, kHourMs);
    if (!hours) return std::unexpected(std::move(hours.error()));
    out.push_back(std::move(*hours));
    if (!with_minutes) continue;
    const std::string minutes_path = (klines / "1m" / (symbol + ".csv.gz")).string();
    auto minutes = LoadCandleFile(minutes_path, symbol, kMinuteMs);
    if (minutes) {
      if (auto checked = CheckMinutesWithinHours(out.back(), *minutes, minutes_path); !checked) {
        return std::unexpected(std::move(checked.error()));
      }
      out.push_back(std::move(*minutes));
    } else if (minutes.error().code != ErrorCode::kNotFound) {
      return std::unexpected(std::move(minutes.error()));
    }
  }
  return out;
}

}  // namespace osprey
