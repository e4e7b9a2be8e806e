// Fuzz target: the kline file parser (market/candle_file.hpp) on arbitrary bytes.
//
// Input: the first byte picks the interval (even: 1h, odd: 1m; seeds start with 'h' or 'm'), the
// rest is the file content (plain CSV or gzip).
// Properties, from the header's promises:
// - on success: at least one candle; open times strictly ascending, inside the accepted window
//   and on the interval's grid; every price > 0, volume >= 0, low <= min(open, close) and
//   high >= max(open, close); every hole between consecutive candles reported exactly once, with
//   missing_bars == (last - first) / interval + 1; and, for plain text, every value equal to an
//   independent parse of its field with Decimal::Parse (the loader's digit scanner is fast-path
//   code of its own);
// - on failure: a non-empty message naming the source ("fuzz.csv").
#include <algorithm>
#include <array>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/decimal.hpp"
#include "core/time.hpp"
#include "fuzz_check.hpp"
#include "market/candle_file.hpp"

namespace {

using osprey::Candle;
using osprey::CandleGap;
using osprey::CandleSeries;
using osprey::Decimal;
using osprey::TimeMs;

constexpr std::string_view kSource = "fuzz.csv";
constexpr std::array<std::string_view, 6> kColumns = {"open_time_ms", "open",  "high",
                                                      "low",          "close", "volume"};

std::string Describe(const Candle& c, std::size_t index) {
  return "candle " + std::to_string(index) + ": open_time " + std::to_string(c.open_time) +
         " open " + c.open.ToString() + " high " + c.high.ToString() + " low " + c.low.ToString() +
         " close " + c.close.ToString() + " volume " + c.volume.ToString();
}

std::vector<std::string_view> Split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  for (;;) {
    const std::size_t at = text.find(separator);
    parts.push_back(text.substr(0, at));
    if (at == std::string_view::npos) return parts;
    text.remove_prefix(at + 1);
  }
}

std::string_view WithoutCr(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

void CheckCandles(const CandleSeries& series, TimeMs interval) {
  FUZZ_CHECK(series.symbol == "BTCUSDT", series.symbol);
  FUZZ_CHECK(series.interval_ms == interval, std::to_string(series.interval_ms));
  FUZZ_CHECK(!series.candles.empty(), "success without a candle");
  const std::vector<Candle>& candles = series.candles;
  for (std::size_t i = 0; i < candles.size(); ++i) {
    const Candle& c = candles[i];
    FUZZ_CHECK(c.open_time % interval == 0, Describe(c, i));
    FUZZ_CHECK(c.open_time >= osprey::kEarliestCandleTimeMs, Describe(c, i));
    FUZZ_CHECK(c.open_time < osprey::kLatestCandleTimeMs, Describe(c, i));
    if (i > 0) FUZZ_CHECK(candles[i - 1].open_time < c.open_time, Describe(c, i));
    FUZZ_CHECK(
        c.open.IsPositive() && c.high.IsPositive() && c.low.IsPositive() && c.close.IsPositive(),
        Describe(c, i));
    FUZZ_CHECK(!c.volume.IsNegative(), Describe(c, i));
    FUZZ_CHECK(c.low <= osprey::Min(c.open, c.close), Describe(c, i));
    FUZZ_CHECK(c.high >= osprey::Max(c.open, c.close), Describe(c, i));
  }
}

void CheckGaps(const CandleSeries& series, TimeMs interval) {
  const std::vector<Candle>& candles = series.candles;
  std::size_t holes = 0;
  for (std::size_t i = 1; i < candles.size(); ++i) {
    if (candles[i].open_time - candles[i - 1].open_time != interval) ++holes;
  }
  FUZZ_CHECK(series.gaps.size() == holes, std::to_string(series.gaps.size()) + " gaps reported, " +
                                              std::to_string(holes) + " holes in the series");
  std::vector<TimeMs> firsts;
  for (const CandleGap& gap : series.gaps) {
    const std::string what = "gap " + std::to_string(gap.first_missing_open_time) + ".." +
                             std::to_string(gap.last_missing_open_time) + " (" +
                             std::to_string(gap.missing_bars) + " bars)";
    FUZZ_CHECK(gap.first_missing_open_time <= gap.last_missing_open_time, what);
    FUZZ_CHECK(gap.first_missing_open_time % interval == 0, what);
    FUZZ_CHECK(gap.last_missing_open_time % interval == 0, what);
    FUZZ_CHECK(gap.missing_bars ==
                   (gap.last_missing_open_time - gap.first_missing_open_time) / interval + 1,
               what);
    // The candle just before the hole, then the one just after it.
    const auto before =
        std::lower_bound(candles.begin(), candles.end(), gap.first_missing_open_time - interval,
                         [](const Candle& c, TimeMs t) { return c.open_time < t; });
    FUZZ_CHECK(
        before != candles.end() && before->open_time == gap.first_missing_open_time - interval,
        what + ": no candle just before it");
    FUZZ_CHECK(before + 1 != candles.end() &&
                   (before + 1)->open_time == gap.last_missing_open_time + interval,
               what + ": the next candle is not just after it");
    firsts.push_back(gap.first_missing_open_time);
  }
  std::sort(firsts.begin(), firsts.end());
  FUZZ_CHECK(std::adjacent_find(firsts.begin(), firsts.end()) == firsts.end(),
             "a hole is reported twice");
}

// Plain text only: every loaded value equals an independent parse of its field.
void CheckAgainstReference(std::string_view content, const CandleSeries& series) {
  if (content.starts_with("\xEF\xBB\xBF")) content.remove_prefix(3);
  const std::vector<std::string_view> lines = Split(content, '\n');
  const std::vector<std::string_view> header = Split(WithoutCr(lines[0]), ',');
  std::array<std::size_t, kColumns.size()> index{};
  for (std::size_t k = 0; k < kColumns.size(); ++k) {
    const auto at = std::find(header.begin(), header.end(), kColumns[k]);
    FUZZ_CHECK(at != header.end(), "loaded without column " + std::string(kColumns[k]));
    index[k] = static_cast<std::size_t>(at - header.begin());
  }
  FUZZ_CHECK(lines.size() > series.candles.size(), "more candles than lines");
  for (std::size_t i = 0; i < series.candles.size(); ++i) {
    const Candle& c = series.candles[i];
    const std::string_view line = WithoutCr(lines[i + 1]);
    const std::vector<std::string_view> fields = Split(line, ',');
    FUZZ_CHECK(fields.size() == header.size(), "line " + std::to_string(i + 2) + " has " +
                                                   std::to_string(fields.size()) + " fields");
    const std::string_view time_text = fields[index[0]];
    TimeMs time = -1;
    const auto [end, ec] =
        std::from_chars(time_text.data(), time_text.data() + time_text.size(), time);
    FUZZ_CHECK(
        ec == std::errc() && end == time_text.data() + time_text.size() && time == c.open_time,
        Describe(c, i) + " from '" + std::string(time_text) + "'");
    const std::array<Decimal, 5> loaded = {c.open, c.high, c.low, c.close, c.volume};
    for (std::size_t k = 1; k < kColumns.size(); ++k) {
      const std::string_view text = fields[index[k]];
      const auto reference = Decimal::Parse(text);
      FUZZ_CHECK(reference.has_value(), Describe(c, i) + ": loaded column " +
                                            std::string(kColumns[k]) + " from '" +
                                            std::string(text) + "', which Decimal::Parse refuses");
      FUZZ_CHECK(*reference == loaded[k - 1],
                 Describe(c, i) + ": column " + std::string(kColumns[k]) + " '" +
                     std::string(text) + "' parses as " + reference->ToString());
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const TimeMs interval = size > 0 && (data[0] & 1U) != 0 ? osprey::kMinuteMs : osprey::kHourMs;
  const std::string_view content =
      size > 0 ? std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1)
               : std::string_view();
  const auto series = osprey::ParseCandleBytes(content, kSource, "BTCUSDT", interval);
  if (!series) {
    const std::string& message = series.error().message;
    FUZZ_CHECK(!message.empty(), "empty error message");
    FUZZ_CHECK(message.find(kSource) != std::string::npos, message);
    return 0;
  }
  CheckCandles(*series, interval);
  CheckGaps(*series, interval);
  const bool gzip = content.size() >= 2 && static_cast<unsigned char>(content[0]) == 0x1f &&
                    static_cast<unsigned char>(content[1]) == 0x8b;
  if (!gzip) CheckAgainstReference(content, *series);
  return 0;
}
