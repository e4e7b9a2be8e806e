#include "engine/shadow_book.hpp"

#include <gtest/gtest.h>

#include <utility>
#include <vector>

namespace osprey {
namespace {

constexpr TimeMs kEntry = 1'709'164'800'000;
constexpr double kFee = 0.001;
constexpr double kEps = 1e-9;

Candle Bar(int hour, const char* o, const char* h, const char* l, const char* c) {
  return Candle{kEntry + hour * kHourMs, Dec(o), Dec(h), Dec(l), Dec(c), Dec("1")};
}

// The defaults: stop -3%, take-profits +3/+5/+8% for 33/33/34%, trailing 2% after TP1.
ShadowBook Book(TakeProfitFillRule rule = TakeProfitFillRule::kThrough,
                TrailingActivation trailing = TrailingActivation::kAfterTp1) {
  ExitSettings exits;
  exits.trailing_activation = trailing;
  return ShadowBook(exits, kFee, rule);
}

// The header's formula: (sum f x (exit - entry) - fee x (entry + sum f x exit)) / (entry - stop).
double R(double entry, double stop, const std::vector<std::pair<double, double>>& exits) {
  double realized = 0;
  double value = 0;
  for (const auto& [fraction, price] : exits) {
    realized += fraction * (price - entry);
    value += fraction * price;
  }
  return (realized - kFee * (entry + value)) / (entry - stop);
}

TEST(ShadowBookTest, StopOutIsMinusOneRMinusTheFees) {
  ShadowBook book = Book();
  book.Open("BTCUSDT", 100, 97, kEntry);
  EXPECT_TRUE(book.Holds("BTCUSDT"));
  EXPECT_TRUE(book.OnCandle("BTCUSDT", Bar(0, "99", "100", "98", "99")).empty());
  const auto r = book.OnCandle("BTCUSDT", Bar(1, "99", "99.5", "96", "96.5"));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_NEAR(r[0], -1.0 - kFee * (100 + 97) / 3.0, kEps);
  EXPECT_LT(r[0], -1.0);
  EXPECT_FALSE(book.Holds("BTCUSDT"));
  EXPECT_EQ(book.size(), 0);
  // Closed: later candles give nothing.
  EXPECT_TRUE(book.OnCandle("BTCUSDT", Bar(2, "96", "96", "90", "91")).empty());
}

TEST(ShadowBookTest, CandleTouchingStopAndTakeProfitStopsOut) {
  ShadowBook book = Book();
  book.Open("BTCUSDT", 100, 97, kEntry);
  const auto r = book.OnCandle("BTCUSDT", Bar(0, "100", "110", "96", "100"));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_NEAR(r[0], R(100, 97, {{1.0, 97}}), kEps);
}

TEST(ShadowBookTest, GapBelowTheStopFillsAtTheOpen) {
  ShadowBook book = Book();
  book.Open("BTCUSDT", 100, 97, kEntry);
  const auto r = book.OnCandle("BTCUSDT", Bar(0, "95", "96", "94", "95.5"));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_NEAR(r[0], R(100, 97, {{1.0, 95}}), kEps);
  EXPECT_LT(r[0], R(100, 97, {{1.0, 97}}));
}

TEST(ShadowBookTest, TakeProfitsInOrderWithTheirFractionsThenTrailingStop) {
  ShadowBook book = Book();
  book.Open("BTCUSDT", 100, 97, kEntry);
  // TP1 (103) trades through; the low (101) is below the trailing stop computed at this close
  // (103.5 x 0.98 = 101.43) but the trailing stop is not in force on the TP1 candle.
  EXPECT_TRUE(book.OnCandle("BTCUSDT", Bar(0, "100", "103.5", "101", "103")).empty());
  // TP2 (105); highest 106 -> stop 103.88.
  EXPECT_TRUE(book.OnCandle("BTCUSDT", Bar(1, "103", "106", "104", "105.5")).empty());
  // The trailing stop is hit: the last 34% at 103.88.
  const auto r = book.OnCandle("BTCUSDT", Bar(2, "105.5", "105.6", "103", "103.5"));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_NEAR(r[0], R(100, 97, {{0.33, 103}, {0.33, 105}, {0.34, 106 * 0.98}}), kEps);
}

TEST(ShadowBookTest, AllTakeProfitsInOneCandleSellEverything) {
  ShadowBook book = Book();
  book.Open("BTCUSDT", 100, 97, kEntry);
  const auto r = book.OnCandle("BTCUSDT", Bar(0, "100", "109", "99", "108.5"));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_NEAR(r[0], R(100, 97, {{0.33, 103}, {0.33, 105}, {0.34, 108}}), kEps);
  EXPECT_FALSE(book.Holds("BTCUSDT"));
}

TEST(ShadowBookTest, TakeProfitNeedsTheHighThroughTheLevelUnlessTouchIsConfigured) {
  ShadowBook through = Book(TakeProfitFillRule::kThrough);
  ShadowBook touch = Book(TakeProfitFillRule::kTouch);
  through.Open("BTCUSDT", 100, 97, kEntry);
  touch.Open("BTCUSDT", 100, 97, kEntry);
  // High exactly at TP1 (103), then a stop-out at the initial stop.
  const Candle at_tp1 = Bar(0, "100", "103", "99", "102");
  EXPECT_TRUE(through.OnCandle("BTCUSDT", at_tp1).empty());
  EXPECT_TRUE(touch.OnCandle("BTCUSDT", at_tp1).empty());
  const auto a = through.OnCandle("BTCUSDT", Bar(1, "99", "99", "96", "96"));
  ASSERT_EQ(a.size(), 1u);
  EXPECT_NEAR(a[0], R(100, 97, {{1.0, 97}}), kEps);
  // With touch, TP1 sold 33% at 103 and trailing moved the stop to 103 x 0.98 = 100.94, which the
  // next candle's open (99) is already below: the rest sells at the open.
  const auto b = touch.OnCandle("BTCUSDT", Bar(1, "99", "99", "96", "96"));
  ASSERT_EQ(b.size(), 1u);
  EXPECT_NEAR(b[0], R(100, 97, {{0.33, 103}, {0.67, 99}}), kEps);
}

TEST(ShadowBookTest, ImmediateTrailingNeverLowersTheStopBelowTheInitialStop) {
  ShadowBook book = Book(TakeProfitFillRule::kThrough, TrailingActivation::kImmediate);
  book.Open("BTCUSDT", 100, 97, kEntry);
  // Highest 98 -> trail 96.04, below the initial stop: the stop stays at 97.
  EXPECT_TRUE(book.OnCandle("BTCUSDT", Bar(0, "100", "98", "97.5", "97.6")).empty());
  const auto r = book.OnCandle("BTCUSDT", Bar(1, "97.6", "97.7", "96.5", "96.6"));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_NEAR(r[0], R(100, 97, {{1.0, 97}}), kEps);
}

TEST(ShadowBookTest, ImmediateTrailingFollowsTheHighFromEntry) {
  ShadowBook book = Book(TakeProfitFillRule::kThrough, TrailingActivation::kImmediate);
  book.Open("BTCUSDT", 100, 97, kEntry);
  // No take-profit, but the high 102.5 moves the stop to 100.45 at once.
  EXPECT_TRUE(book.OnCandle("BTCUSDT", Bar(0, "100", "102.5", "100.5", "102")).empty());
  const auto r = book.OnCandle("BTCUSDT", Bar(1, "102", "102.2", "100", "100.2"));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_NEAR(r[0], R(100, 97, {{1.0, 102.5 * 0.98}}), kEps);
}

TEST(ShadowBookTest, OneShadowPerSymbol) {
  ShadowBook book = Book();
  book.Open("BTCUSDT", 100, 97, kEntry);
  book.Open("BTCUSDT", 200, 150, kEntry);  // ignored: BTCUSDT is followed already
  book.Open("ETHUSDT", 50, 48.5, kEntry);
  EXPECT_EQ(book.size(), 2);
  const auto r = book.OnCandle("BTCUSDT", Bar(0, "99", "99", "96", "96"));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_NEAR(r[0], R(100, 97, {{1.0, 97}}), kEps);  // the first one's entry and stop
  EXPECT_TRUE(book.Holds("ETHUSDT"));
  // Once closed, the symbol can be followed again.
  book.Open("BTCUSDT", 200, 150, kEntry);
  EXPECT_TRUE(book.Holds("BTCUSDT"));
}

TEST(ShadowBookTest, StopNotBelowTheEntryIsIgnored) {
  ShadowBook book = Book();
  book.Open("BTCUSDT", 100, 100, kEntry);
  book.Open("ETHUSDT", 100, 101, kEntry);
  book.Open("SOLUSDT", 100, 0, kEntry);
  EXPECT_EQ(book.size(), 0);
}

TEST(ShadowBookTest, CandlesBeforeTheEntryAndOfOtherSymbolsAreIgnored) {
  ShadowBook book = Book();
  book.Open("BTCUSDT", 100, 97, kEntry);
  // Opened an hour before the entry: its crash is not the shadow's.
  EXPECT_TRUE(book.OnCandle("BTCUSDT", Bar(-1, "99", "99", "90", "91")).empty());
  EXPECT_TRUE(book.OnCandle("ETHUSDT", Bar(0, "99", "99", "90", "91")).empty());
  EXPECT_TRUE(book.Holds("BTCUSDT"));
  // The candle opening at the entry counts.
  const auto r = book.OnCandle("BTCUSDT", Bar(0, "100", "100", "96", "96"));
  ASSERT_EQ(r.size(), 1u);
}

}  // namespace
}  // namespace osprey
