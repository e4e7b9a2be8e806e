#include "market/history_market_data.hpp"

#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/decimal.hpp"
#include "core/time.hpp"

namespace osprey {
namespace {

constexpr TimeMs kT0 = 1'609'459'200'000;  // 2021-01-01 00:00 UTC

// A clock that may go backwards, to exercise the cursor's fallback (SimulatedClock refuses to).
class SettableClock final : public Clock {
 public:
  TimeMs Now() const override { return now_; }
  void Set(TimeMs t) { now_ = t; }

 private:
  TimeMs now_ = 0;
};

Candle Bar(TimeMs open_time) {
  Candle c;
  c.open_time = open_time;
  c.open = Dec("100");
  c.high = Dec("110");
  c.low = Dec("90");
  c.close = Decimal::FromInt(open_time / kMinuteMs % 1000 + 1);  // distinguishable
  c.volume = Dec("1");
  return c;
}

// `bars` bars from kT0 with the bars at the listed indices left out (holes).
CandleSeries MakeSeries(const std::string& symbol, TimeMs interval, int bars,
                        const std::vector<int>& holes = {}) {
  CandleSeries s;
  s.symbol = symbol;
  s.interval_ms = interval;
  for (int i = 0; i < bars; ++i) {
    if (std::find(holes.begin(), holes.end(), i) != holes.end()) continue;
    s.candles.push_back(Bar(kT0 + i * interval));
  }
  return s;
}

// Candles a correct implementation returns: the last `count` with open_time + interval <= now.
std::vector<TimeMs> Expected(const CandleSeries& s, TimeMs now, std::size_t count) {
  std::vector<TimeMs> closed;
  for (const Candle& c : s.candles) {
    if (c.open_time + s.interval_ms <= now) closed.push_back(c.open_time);
  }
  if (closed.size() > count) closed.erase(closed.begin(), closed.end() - static_cast<long>(count));
  return closed;
}

std::vector<TimeMs> OpenTimes(std::span<const Candle> candles) {
  std::vector<TimeMs> out;
  for (const Candle& c : candles) out.push_back(c.open_time);
  return out;
}

TEST(HistoryMarketDataTest, NeverReturnsACandleBeforeItCloses) {
  SimulatedClock clock(kT0 - 2 * kHourMs);
  const CandleSeries hours = MakeSeries("BTCUSDT", kHourMs, 120, {7, 8, 50});
  const CandleSeries minutes = MakeSeries("BTCUSDT", kMinuteMs, 120 * 60, {30, 31, 32, 4000});
  auto md = HistoryMarketData::Create(clock, {hours, minutes});
  ASSERT_TRUE(md.has_value()) << md.error().ToString();

  // Every 7 minutes, plus each close boundary exactly and 1 ms either side of it.
  std::vector<TimeMs> times;
  for (TimeMs t = kT0 - 2 * kHourMs; t <= kT0 + 125 * kHourMs; t += 7 * kMinuteMs) {
    times.push_back(t);
  }
  for (int i = 0; i <= 122; ++i) {
    const TimeMs close = kT0 + (i + 1) * kHourMs;
    times.insert(times.end(), {close - 1, close, close + 1});
  }
  std::sort(times.begin(), times.end());
  times.erase(std::unique(times.begin(), times.end()), times.end());

  for (const TimeMs now : times) {
    clock.AdvanceTo(now);
    for (const CandleSeries* s : {&hours, &minutes}) {
      for (const std::size_t count : {std::size_t{1}, std::size_t{3}, std::size_t{100000}}) {
        auto got = md->ClosedCandles("BTCUSDT", s->interval_ms, count);
        ASSERT_TRUE(got.has_value()) << got.error().ToString();
        for (const Candle& c : *got) {
          ASSERT_LE(c.open_time + s->interval_ms, now) << "look-ahead at " << FormatIsoUtc(now);
        }
        ASSERT_EQ(OpenTimes(*got), Expected(*s, now, count))
            << FormatIsoUtc(now) << " interval " << s->interval_ms << " count " << count;
      }
    }
  }
}

TEST(HistoryMarketDataTest, CandleClosingExactlyNowIsReturnedOneMsEarlierItIsNot) {
  SimulatedClock clock(kT0);
  auto md = HistoryMarketData::Create(clock, {MakeSeries("ETHUSDT", kHourMs, 10)});
  ASSERT_TRUE(md.has_value()) << md.error().ToString();

  auto got = md->ClosedCandles("ETHUSDT", kHourMs, 5);
  ASSERT_TRUE(got.has_value());
  EXPECT_TRUE(got->empty()) << "nothing has closed at the first bar's open";

  clock.AdvanceTo(kT0 + kHourMs - 1);
  got = md->ClosedCandles("ETHUSDT", kHourMs, 5);
  ASSERT_TRUE(got.has_value());
  EXPECT_TRUE(got->empty()) << "the first bar is still open 1 ms before its close";

  clock.AdvanceTo(kT0 + kHourMs);
  got = md->ClosedCandles("ETHUSDT", kHourMs, 5);
  ASSERT_TRUE(got.has_value());
  ASSERT_EQ(got->size(), 1U);
  EXPECT_EQ(got->back().open_time, kT0);

  clock.AdvanceTo(kT0 + 4 * kHourMs - 1);
  got = md->ClosedCandles("ETHUSDT", kHourMs, 5);
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(OpenTimes(*got), (std::vector<TimeMs>{kT0, kT0 + kHourMs, kT0 + 2 * kHourMs}));

  clock.AdvanceTo(kT0 + 4 * kHourMs);
  got = md->ClosedCandles("ETHUSDT", kHourMs, 2);
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(OpenTimes(*got), (std::vector<TimeMs>{kT0 + 2 * kHourMs, kT0 + 3 * kHourMs}));

  got = md->ClosedCandles("ETHUSDT", kHourMs, 0);
  ASSERT_TRUE(got.has_value());
  EXPECT_TRUE(got->empty());

  clock.AdvanceTo(kT0 + 100 * kHourMs);
  got = md->ClosedCandles("ETHUSDT", kHourMs, 100);
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->size(), 10U) << "after the end every candle is closed";
}

TEST(HistoryMarketDataTest, CursorSurvivesJumpsAndAClockThatGoesBack) {
  SettableClock clock;
  const CandleSeries s = MakeSeries("SOLUSDT", kMinuteMs, 5000, {10, 11, 12, 2500, 4999});
  auto md = HistoryMarketData::Create(clock, {s});
  ASSERT_TRUE(md.has_value()) << md.error().ToString();
  std::uint64_t seed = 0x9E3779B97F4A7C15ULL;
  for (int i = 0; i < 3000; ++i) {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    const TimeMs now =
        kT0 - kHourMs +
        static_cast<TimeMs>((seed >> 20) % static_cast<std::uint64_t>(5100 * kMinuteMs));
    // Mostly small steps forward, sometimes a random jump either way.
    clock.Set(i % 5 == 0 ? now : clock.Now() + (i % 3) * kMinuteMs);
    auto got = md->ClosedCandles("SOLUSDT", kMinuteMs, 50);
    ASSERT_TRUE(got.has_value());
    ASSERT_EQ(OpenTimes(*got), Expected(s, clock.Now(), 50)) << FormatIsoUtc(clock.Now());
  }
}

TEST(HistoryMarketDataTest, UnknownSymbolOrIntervalIsNotFound) {
  SimulatedClock clock(kT0 + 10 * kHourMs);
  auto md = HistoryMarketData::Create(
      clock, {MakeSeries("BTCUSDT", kHourMs, 3), MakeSeries("ETHUSDT", kHourMs, 3),
              MakeSeries("BTCUSDT", kMinuteMs, 3)});
  ASSERT_TRUE(md.has_value()) << md.error().ToString();
  EXPECT_EQ(md->Symbols(), (std::vector<std::string>{"BTCUSDT", "ETHUSDT"}));

  auto r = md->ClosedCandles("DOGEUSDT", kHourMs, 1);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
  EXPECT_NE(r.error().message.find("DOGEUSDT"), std::string::npos);

  r = md->ClosedCandles("ETHUSDT", kMinuteMs, 1);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
  EXPECT_NE(r.error().message.find("ETHUSDT"), std::string::npos);

  ASSERT_NE(md->Series("BTCUSDT", kMinuteMs), nullptr);
  EXPECT_EQ(md->Series("BTCUSDT", kMinuteMs)->candles.size(), 3U);
  EXPECT_EQ(md->Series("ETHUSDT", kMinuteMs), nullptr);
  EXPECT_EQ(md->Series("XRPUSDT", kHourMs), nullptr);
}

TEST(HistoryMarketDataTest, CreateRejectsInconsistentSeries) {
  SimulatedClock clock;
  EXPECT_FALSE(HistoryMarketData::Create(
                   clock, {MakeSeries("BTCUSDT", kHourMs, 3), MakeSeries("BTCUSDT", kHourMs, 4)})
                   .has_value());
  CandleSeries unsorted = MakeSeries("BTCUSDT", kHourMs, 3);
  std::swap(unsorted.candles[0], unsorted.candles[1]);
  auto r = HistoryMarketData::Create(clock, {unsorted});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  CandleSeries off_grid = MakeSeries("BTCUSDT", kHourMs, 3);
  off_grid.candles[2].open_time += kMinuteMs;
  EXPECT_FALSE(HistoryMarketData::Create(clock, {off_grid}).has_value());
  EXPECT_FALSE(HistoryMarketData::Create(clock, {MakeSeries("", kHourMs, 3)}).has_value());
  EXPECT_FALSE(HistoryMarketData::Create(clock, {MakeSeries("X", 0, 0)}).has_value());
}

std::string TempDirFor(const std::string& name) {
  const auto* info = testing::UnitTest::GetInstance()->current_test_info();
  return testing::TempDir() + "osprey_hmd_" + std::to_string(::getpid()) + "_" + info->name() +
         "_" + name;
}

void WriteGzip(const std::filesystem::path& path, const std::string& content) {
  std::filesystem::create_directories(path.parent_path());
  gzFile f = gzopen(path.string().c_str(), "wb");
  ASSERT_NE(f, nullptr) << path;
  ASSERT_EQ(gzwrite(f, content.data(), static_cast<unsigned>(content.size())),
            static_cast<int>(content.size()));
  ASSERT_EQ(gzclose(f), Z_OK);
}

std::string Csv(TimeMs interval, int bars) {
  std::string out = "open_time_ms,open,high,low,close,volume,quote_volume,trades\n";
  for (int i = 0; i < bars; ++i) {
    out += std::to_string(kT0 + i * interval) + ",1.5,2,1,1.25,10,,\n";
  }
  return out;
}

TEST(HistoryMarketDataTest, LoadHistoryDirLoadsHoursAndOptionalMinutes) {
  const std::filesystem::path dir = TempDirFor("data");
  std::filesystem::remove_all(dir);
  WriteGzip(dir / "klines/1h/AAAUSDT.csv.gz", Csv(kHourMs, 5));
  WriteGzip(dir / "klines/1m/AAAUSDT.csv.gz", Csv(kMinuteMs, 300));
  WriteGzip(dir / "klines/1h/BBBUSDT.csv.gz", Csv(kHourMs, 4));

  auto all = LoadHistoryDir(dir.string(), {"AAAUSDT", "BBBUSDT"}, true);
  ASSERT_TRUE(all.has_value()) << all.error().ToString();
  ASSERT_EQ(all->size(), 3U);
  EXPECT_EQ((*all)[0].symbol, "AAAUSDT");
  EXPECT_EQ((*all)[0].interval_ms, kHourMs);
  EXPECT_EQ((*all)[1].interval_ms, kMinuteMs);
  EXPECT_EQ((*all)[1].candles.size(), 300U);
  EXPECT_EQ((*all)[2].symbol, "BBBUSDT");

  auto hours_only = LoadHistoryDir(dir.string(), {"BBBUSDT", "AAAUSDT"}, false);
  ASSERT_TRUE(hours_only.has_value()) << hours_only.error().ToString();
  EXPECT_EQ(hours_only->size(), 2U);

  auto missing = LoadHistoryDir(dir.string(), {"AAAUSDT", "CCCUSDT"}, true);
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_NE(missing.error().message.find("klines/1h/CCCUSDT.csv.gz"), std::string::npos)
      << missing.error().message;

  WriteGzip(dir / "klines/1m/BBBUSDT.csv.gz", "open_time_ms,open\n");
  auto bad_minutes = LoadHistoryDir(dir.string(), {"BBBUSDT"}, true);
  ASSERT_FALSE(bad_minutes.has_value()) << "a present but bad 1m file is an error";
  EXPECT_NE(bad_minutes.error().message.find("klines/1m/BBBUSDT.csv.gz"), std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST(HistoryMarketDataTest, ShippedDataServesOnlyClosedCandles) {
  auto series = LoadHistoryDir(OSPREY_SOURCE_DIR "/data", {"BTCUSDT", "ETHUSDT"}, true);
  ASSERT_TRUE(series.has_value()) << series.error().ToString();
  ASSERT_EQ(series->size(), 4U);
  SimulatedClock clock(kT0);
  auto md = HistoryMarketData::Create(clock, std::move(*series));
  ASSERT_TRUE(md.has_value()) << md.error().ToString();
  const CandleSeries* btc_hours = md->Series("BTCUSDT", kHourMs);
  ASSERT_NE(btc_hours, nullptr);
  EXPECT_EQ(btc_hours->candles.front().open_time, kT0);

  // Walk the first 1m window (2021-04-02 ..) hour by hour, as a backtest does.
  const TimeMs start = *ParseIsoUtc("2021-04-02T00:00:00Z");
  for (TimeMs now = start + kHourMs; now <= start + kHourMs * 24 * 30; now += kHourMs) {
    clock.AdvanceTo(now);
    for (const char* symbol : {"BTCUSDT", "ETHUSDT"}) {
      for (const TimeMs interval : {kHourMs, kMinuteMs}) {
        auto got = md->ClosedCandles(symbol, interval, 60);
        ASSERT_TRUE(got.has_value()) << got.error().ToString();
        ASSERT_FALSE(got->empty());
        EXPECT_LE(got->back().open_time + interval, now);
        // The newest closed candle is the one that closed last: no later one is closed.
        const auto& all = md->Series(symbol, interval)->candles;
        const auto next =
            std::upper_bound(all.begin(), all.end(), got->back().open_time,
                             [](TimeMs t, const Candle& c) { return t < c.open_time; });
        if (next != all.end()) {
          EXPECT_GT(next->open_time + interval, now);
        }
      }
    }
  }
}

}  // namespace
}  // namespace osprey
