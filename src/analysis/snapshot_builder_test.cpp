// SnapshotBuilder and MarketSnapshot: bounded windows with absolute indices, every new row exactly
// once, a handed-out snapshot never changes and can be read on another thread after the builder
// moved on.

#include "analysis/snapshot_builder.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace osprey {
namespace {

std::vector<Candle> Rows(int n) {
  std::vector<Candle> out;
  for (int i = 0; i < n; ++i) {
    out.push_back(Candle{i * kHourMs, Decimal::FromInt(i), Decimal::FromInt(i + 1),
                         Decimal::FromInt(i), Decimal::FromInt(i), Decimal::FromInt(1)});
  }
  return out;
}

std::span<const Candle> First(const std::vector<Candle>& rows, int n) {
  return {rows.data(), static_cast<std::size_t>(n)};
}

TEST(SnapshotBuilderTest, FirstSnapshotHoldsEveryRowThenANewRowPlusTheLookback) {
  const std::vector<Candle> rows = Rows(20);
  SnapshotBuilder b(3);
  b.Begin(10 * kHourMs);
  b.Add("X", 0, First(rows, 10));
  auto s1 = b.Finish();
  ASSERT_EQ(s1->symbols.size(), 1u);
  EXPECT_EQ(s1->now, 10 * kHourMs);
  EXPECT_EQ(s1->symbols[0].hourly.first_index, 0);
  EXPECT_EQ(s1->symbols[0].hourly.candles.size(), 10u);
  EXPECT_EQ(s1->symbols[0].hourly.LastIndex(), 9);

  b.Begin(11 * kHourMs);
  b.Add("X", 0, First(rows, 11));
  auto s2 = b.Finish();
  const CandleWindow& w = s2->symbols[0].hourly;
  EXPECT_EQ(w.first_index, 8);  // the last 3 rows
  EXPECT_EQ(w.LastIndex(), 10);
  EXPECT_EQ(w.At(10).close, Decimal::FromInt(10));  // absolute row 10 is the 11th candle
  EXPECT_TRUE(w.Holds(8));
  EXPECT_FALSE(w.Holds(7));
}

TEST(SnapshotBuilderTest, RowsAddedWhileASymbolWasLeftOutAreAllInItsNextWindow) {
  const std::vector<Candle> rows = Rows(30);
  SnapshotBuilder b(2);
  b.Begin(0);
  b.Add("X", 0, First(rows, 10));
  (void)b.Finish();
  b.Begin(1);  // X left out (stale) for a while; six more rows arrive
  (void)b.Finish();
  b.Begin(2);
  b.Add("X", 0, First(rows, 16));
  auto s = b.Finish();
  EXPECT_EQ(s->symbols[0].hourly.first_index, 10);  // rows 10..15, none skipped
  EXPECT_EQ(s->symbols[0].hourly.candles.size(), 6u);
}

TEST(SnapshotBuilderTest, FirstIndexIsTheAbsoluteRowOfTheFirstCandleGiven) {
  const std::vector<Candle> rows = Rows(5);
  SnapshotBuilder b(100);
  b.Begin(0);
  b.Add("X", 1000, First(rows, 5));  // a source that served rows 1000..1004
  auto s = b.Finish();
  EXPECT_EQ(s->symbols[0].hourly.first_index, 1000);
  EXPECT_EQ(s->symbols[0].hourly.LastIndex(), 1004);
  EXPECT_EQ(s->Find("X"), &s->symbols[0]);
  EXPECT_EQ(s->Find("Y"), nullptr);
}

TEST(SnapshotBuilderTest, LaterFieldsAreEmptyNotFaked) {
  const std::vector<Candle> rows = Rows(3);
  SnapshotBuilder b(10);
  b.Begin(0);
  b.Add("X", 0, First(rows, 3));
  b.Add("EMPTY", 0, {});  // nothing closed yet: not added
  auto s = b.Finish();
  ASSERT_EQ(s->symbols.size(), 1u);
  EXPECT_TRUE(s->symbols[0].four_hour.empty());
  EXPECT_TRUE(s->symbols[0].daily.empty());
  EXPECT_FALSE(s->symbols[0].stats_24h.has_value());
  EXPECT_FALSE(s->symbols[0].market_cap.has_value());
  EXPECT_TRUE(s->headlines.empty());
}

TEST(SnapshotBuilderTest, AHeldSnapshotNeverChangesAndIsReadableOnAnotherThread) {
  const std::vector<Candle> rows = Rows(50);
  SnapshotBuilder b(4);
  b.Begin(1);
  b.Add("X", 0, First(rows, 40));
  b.Add("Y", 0, First(rows, 40));
  std::shared_ptr<const MarketSnapshot> held = b.Finish();
  const TimeMs now_before = held->now;
  const std::size_t y_rows_before = held->symbols[1].hourly.candles.size();
  std::thread reader([held] {
    Decimal sum;
    for (const SymbolSnapshot& s : held->symbols) {
      for (const Candle& c : s.hourly.candles) sum = sum + c.close;
    }
    EXPECT_EQ(sum, Decimal::FromInt(std::int64_t{2} * (39 * 40 / 2)));
  });
  for (int n = 41; n <= 50; ++n) {  // the engine moves on while the reader works
    b.Begin(n);
    b.Add("Z", 0, First(rows, n));
    (void)b.Finish();
  }
  reader.join();
  EXPECT_EQ(held->now, now_before);
  ASSERT_EQ(held->symbols.size(), 2u);
  EXPECT_EQ(held->symbols[0].symbol, "X");
  EXPECT_EQ(held->symbols[1].hourly.candles.size(), y_rows_before);
}

TEST(SnapshotBuilderDeathTest, ASymbolAddedTwiceOrAnIndexOutsideTheWindowAborts) {
  const std::vector<Candle> rows = Rows(3);
  SnapshotBuilder b(10);
  b.Begin(0);
  b.Add("X", 0, First(rows, 3));
  EXPECT_DEATH(b.Add("X", 0, First(rows, 3)), "added twice");
  auto s = b.Finish();
  EXPECT_DEATH((void)s->symbols[0].hourly.At(3), "outside the window");
}

}  // namespace
}  // namespace osprey
