#include "market/minute_cross_check.hpp"

#include <fmt/format.h>

namespace osprey {

Result<void> CheckMinutesWithinHours(const CandleSeries& hours, const CandleSeries& minutes,
                                     std::string_view minutes_path) {
  const std::vector<Candle>& h = hours.candles;
  std::size_t k = 0;
  for (std::size_t i = 0; i < minutes.candles.size(); ++i) {
    const Candle& m = minutes.candles[i];
    const TimeMs hour_open = m.open_time - ((m.open_time % kHourMs) + kHourMs) % kHourMs;
    while (k < h.size() && h[k].open_time < hour_open) ++k;
    if (k == h.size()) break;
    if (h[k].open_time != hour_open) continue;
    const Candle& hour = h[k];
    if (m.low < hour.low || m.high > hour.high) {
      return Fail(ErrorCode::kData,
                  fmt::format("{}:{}: {} minute {} trades in [{}, {}], outside its hour's range "
                              "[{}, {}] in the hourly file: the 1m and 1h files do not describe "
                              "the same market",
                              minutes_path, i + 2, minutes.symbol, FormatIsoUtc(m.open_time),
                              m.low.ToString(), m.high.ToString(), hour.low.ToString(),
                              hour.high.ToString()));
    }
  }
  return {};
}

}  // namespace osprey
