#include "engine/backtest_plan.hpp"

#include <gtest/gtest.h>

namespace osprey {
namespace {

constexpr TimeMs kT0 = 1'704'067'200'000;  // 2024-01-01T00:00:00Z

CandleSeries Series(const std::string& symbol, int first_hour, int hours, const char* low) {
  CandleSeries s{symbol, kHourMs, {}, {}};
  for (int h = first_hour; h < first_hour + hours; ++h) {
    s.candles.push_back(
        Candle{kT0 + h * kHourMs, Dec("0.09"), Dec("0.1"), Dec(low), Dec("0.09"), Dec("1")});
  }
  return s;
}

Settings DogeSettings(const char* tick) {
  Settings s;
  s.data.symbols = {"DOGEUSDT"};
  s.exchange.symbols["DOGEUSDT"] =
      SymbolInfo{"DOGEUSDT", "DOGE", "USDT", Dec(tick), Dec("1"), Dec("1"), Dec("0"), Dec("5")};
  return s;
}

TEST(BacktestPlan, APeriodInsideTheDataIsKeptAsIs) {
  auto plan = PlanBacktest(DogeSettings("0.00001"), {Series("DOGEUSDT", 0, 48, "0.08")},
                           kT0 + kHourMs, kT0 + 10 * kHourMs, "c.toml");
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_EQ(plan->from, kT0 + kHourMs);
  EXPECT_EQ(plan->to, kT0 + 10 * kHourMs);
  EXPECT_TRUE(plan->warnings.empty());
}

TEST(BacktestPlan, APeriodLongerThanTheDataIsClippedWithWarnings) {
  const TimeMs far_future = kT0 + TimeMs{1000} * 24 * kHourMs;
  auto plan = PlanBacktest(DogeSettings("0.00001"), {Series("DOGEUSDT", 5, 10, "0.08")}, kT0,
                           far_future, "c.toml");
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_EQ(plan->from, kT0 + 5 * kHourMs);  // the first candle's open
  EXPECT_EQ(plan->to, kT0 + 15 * kHourMs);   // the last candle's close
  ASSERT_EQ(plan->warnings.size(), 2u);
  EXPECT_NE(plan->warnings[0].find("before the data: the run starts at 2024-01-01T05:00:00Z"),
            std::string::npos)
      << plan->warnings[0];
  EXPECT_NE(plan->warnings[1].find("after the data: the run stops at 2024-01-01T15:00:00Z"),
            std::string::npos)
      << plan->warnings[1];
}

TEST(BacktestPlan, APeriodWithoutACandleIsAnErrorThatSaysWhereTheDataIs) {
  auto plan = PlanBacktest(DogeSettings("0.00001"), {Series("DOGEUSDT", 0, 10, "0.08")},
                           kT0 + 100 * kHourMs, kT0 + 200 * kHourMs, "c.toml");
  ASSERT_FALSE(plan);
  EXPECT_EQ(plan.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(plan.error().message.find("no candle to replay in 2024-01-05T04:00:00Z .. "
                                      "2024-01-09T08:00:00Z: the data of DOGEUSDT covers "
                                      "2024-01-01T00:00:00Z .. 2024-01-01T10:00:00Z"),
            std::string::npos)
      << plan.error().message;
}

TEST(BacktestPlan, ASymbolWithoutCandlesInThePeriodIsAWarning) {
  Settings s = DogeSettings("0.00001");
  s.data.symbols.emplace_back("BTCUSDT");
  s.exchange.symbols["BTCUSDT"] = s.exchange.symbols["DOGEUSDT"];
  auto plan = PlanBacktest(s, {Series("DOGEUSDT", 0, 10, "0.08"), Series("BTCUSDT", 50, 10, "1")},
                           kT0, kT0 + 10 * kHourMs, "c.toml");
  ASSERT_TRUE(plan) << plan.error().message;
  ASSERT_EQ(plan->warnings.size(), 1u);
  EXPECT_NE(plan->warnings[0].find("BTCUSDT has no candle in"), std::string::npos);
}

TEST(BacktestPlan, ATickAboveOnePercentOfTheLowestPriceNamesKeyAndPrice) {
  // DOGE trades down to 0.08 in the period: a tick of 0.1 is 125% of it.
  auto plan = PlanBacktest(DogeSettings("0.1"), {Series("DOGEUSDT", 0, 48, "0.08")}, kT0,
                           kT0 + 48 * kHourMs, "c.toml");
  ASSERT_FALSE(plan);
  EXPECT_EQ(plan.error().code, ErrorCode::kConfig);
  EXPECT_EQ(plan.error().message,
            "c.toml: exchange.symbols.DOGEUSDT.tick_size: 0.1 is 125.00% of DOGEUSDT's lowest "
            "price in the period (0.08 at 2024-01-01T00:00:00Z); a tick above 1% of the price "
            "would round stops and fills by more than that");
  // 1% exactly is accepted; a hair more is not.
  EXPECT_TRUE(PlanBacktest(DogeSettings("0.0008"), {Series("DOGEUSDT", 0, 48, "0.08")}, kT0,
                           kT0 + 48 * kHourMs, "c.toml"));
  EXPECT_FALSE(PlanBacktest(DogeSettings("0.00080001"), {Series("DOGEUSDT", 0, 48, "0.08")}, kT0,
                            kT0 + 48 * kHourMs, "c.toml"));
}

TEST(BacktestPlan, OnlyCandlesOfThePeriodAreJudged) {
  // The price fell to 0.00001 before the period: outside it, the tick is not judged against it.
  CandleSeries s = Series("DOGEUSDT", 0, 48, "0.08");
  s.candles[0].low = Dec("0.00001");
  EXPECT_TRUE(PlanBacktest(DogeSettings("0.0001"), {s}, kT0 + kHourMs, kT0 + 48 * kHourMs, "c"));
  EXPECT_FALSE(PlanBacktest(DogeSettings("0.0001"), {s}, kT0, kT0 + 48 * kHourMs, "c"));
}

TEST(BacktestPlan, FiltersNoOrderCouldPassAreRefused) {
  Settings s = DogeSettings("0.00001");
  s.capital.starting_capital = Dec("100");
  SymbolInfo& doge = s.exchange.symbols["DOGEUSDT"];
  doge.step_size = Dec("10000");  // 10000 x 0.08 = 800 > 100
  doge.min_qty = Dec("2000");     // 2000 x 0.08 = 160 > 100
  doge.min_notional = Dec("101");
  auto plan = PlanBacktest(s, {Series("DOGEUSDT", 0, 48, "0.08")}, kT0, kT0 + 48 * kHourMs, "c");
  ASSERT_FALSE(plan);
  EXPECT_NE(plan.error().message.find("exchange.symbols.DOGEUSDT.step_size: one step of 10000 "
                                      "DOGE costs 800"),
            std::string::npos)
      << plan.error().message;
  EXPECT_NE(plan.error().message.find("exchange.symbols.DOGEUSDT.min_qty: 2000 DOGE costs 160"),
            std::string::npos);
  EXPECT_NE(plan.error().message.find("exchange.symbols.DOGEUSDT.min_notional: 101 is more than"),
            std::string::npos);
}

TEST(BacktestPlan, FiltersAreNotJudgedWhenTheyAreOff) {
  Settings s = DogeSettings("0.1");
  s.exchange.apply_symbol_filters = false;
  EXPECT_TRUE(PlanBacktest(s, {Series("DOGEUSDT", 0, 48, "0.08")}, kT0, kT0 + 48 * kHourMs, "c"));
}

}  // namespace
}  // namespace osprey
