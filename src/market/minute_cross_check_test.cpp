#include "market/minute_cross_check.hpp"

#include <gtest/gtest.h>

#include "market/history_market_data.hpp"

namespace osprey {
namespace {

constexpr TimeMs kT0 = 1'704'067'200'000;  // 2024-01-01T00:00:00Z

Candle C(TimeMs t, const char* o, const char* h, const char* l, const char* c) {
  return Candle{t, Dec(o), Dec(h), Dec(l), Dec(c), Dec("1")};
}

CandleSeries Hours() {
  return {"BTCUSDT",
          kHourMs,
          {C(kT0, "100", "110", "90", "105"), C(kT0 + kHourMs, "105", "106", "104", "105")},
          {}};
}

TEST(MinuteCrossCheck, MinutesInsideTheirHourPass) {
  CandleSeries minutes{"BTCUSDT", kMinuteMs, {}, {}};
  for (int m = 0; m < 60; ++m) {
    minutes.candles.push_back(C(kT0 + m * kMinuteMs, "100", "110", "90", "100"));
  }
  // Binance's own bars differ slightly at a few hours (a close, a volume); inside the range
  // is all that is asked.
  minutes.candles.push_back(C(kT0 + kHourMs, "105", "105.5", "104.5", "104.9"));
  // A minute of an hour the hourly file lacks is not judged.
  minutes.candles.push_back(C(kT0 + 5 * kHourMs, "1", "1000", "1", "1"));
  EXPECT_TRUE(CheckMinutesWithinHours(Hours(), minutes, "m.csv.gz"));
}

TEST(MinuteCrossCheck, MinutesTenTimesTheHourlyPricesAreRefused) {
  CandleSeries minutes{
      "BTCUSDT",
      kMinuteMs,
      {C(kT0, "100", "101", "99", "100"), C(kT0 + kMinuteMs, "1000", "1010", "990", "1000")},
      {}};
  auto r = CheckMinutesWithinHours(Hours(), minutes, "data/klines/1m/BTCUSDT.csv.gz");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kData);
  EXPECT_NE(r.error().message.find("data/klines/1m/BTCUSDT.csv.gz:3: BTCUSDT minute "
                                   "2024-01-01T00:01:00Z trades in [990, 1010], outside its hour's "
                                   "range [90, 110]"),
            std::string::npos)
      << r.error().message;
}

TEST(MinuteCrossCheck, ShippedMinuteFilesAgreeWithTheirHours) {
  // LoadHistoryDir runs the check on every 1m file it loads.
  auto series = LoadHistoryDir(OSPREY_SOURCE_DIR "/data", {"BTCUSDT", "DOGEUSDT"}, true);
  ASSERT_TRUE(series) << series.error().message;
  EXPECT_EQ(series->size(), 4u);
}

}  // namespace
}  // namespace osprey
