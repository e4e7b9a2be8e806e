#include "trading/tranche_plan.hpp"

#include <gtest/gtest.h>

#include <ostream>
#include <vector>

namespace osprey {

inline void PrintTo(const Decimal& d, std::ostream* os) { *os << d.ToString(); }

namespace {

SymbolInfo Btc() {
  SymbolInfo s;
  s.symbol = "BTCUSDT";
  s.base_asset = "BTC";
  s.quote_asset = "USDT";
  s.tick_size = Dec("0.01");
  s.step_size = Dec("0.00001");
  s.min_qty = Dec("0.00001");
  s.min_notional = Dec("5");
  return s;
}

const std::vector<Decimal> kFractions = {Dec("33"), Dec("33"), Dec("34")};
const std::vector<Decimal> kTps = {Dec("41200"), Dec("42000"), Dec("43200")};
const Decimal kStop = Dec("40000");

Decimal Sum(const std::vector<Tranche>& plan) {
  Decimal s;
  for (const auto& t : plan) s += t.quantity;
  return s;
}

TEST(TranchePlanTest, SplitsThirtyThreeThirtyThreeThirtyFourOnTheStep) {
  const Decimal sellable = Dec("0.01234");
  const auto plan = PlanTranches(sellable, kFractions, kTps, kStop, Btc(), true);
  ASSERT_EQ(plan.size(), 3u);
  // 0.33 * 0.01234 = 0.0040722 -> down to the step: 0.00407; the last takes the rest.
  EXPECT_EQ(plan[0].quantity, Dec("0.00407"));
  EXPECT_EQ(plan[1].quantity, Dec("0.00407"));
  EXPECT_EQ(plan[2].quantity, Dec("0.0042"));
  EXPECT_EQ(Sum(plan), sellable);
  for (std::size_t k = 0; k < plan.size(); ++k) {
    EXPECT_EQ(plan[k].level, static_cast<int>(k) + 1);
    EXPECT_EQ(plan[k].take_profit, kTps[k]);
    EXPECT_TRUE(plan[k].quantity.IsMultipleOf(Btc().step_size)) << k;
  }
}

TEST(TranchePlanTest, SumIsAlwaysExactlyTheSellableQuantity) {
  for (const char* q : {"0.03", "0.0099", "0.12345", "1", "0.00999", "7.77777", "0.01233"}) {
    const Decimal sellable = Dec(q);
    const auto plan = PlanTranches(sellable, kFractions, kTps, kStop, Btc(), true);
    EXPECT_EQ(Sum(plan), sellable) << q;
    for (const auto& t : plan) {
      EXPECT_TRUE(t.quantity.IsMultipleOf(Btc().step_size)) << q;
      EXPECT_GE(Decimal::Mul(t.quantity, kStop), Btc().min_notional) << q;
    }
  }
}

TEST(TranchePlanTest, SmallTrancheMergesIntoTheNext) {
  // 0.33 * 0.00035 = 0.0001155 -> 0.00011, worth 4.40 at the stop (< 5): TP1 joins TP2.
  const Decimal sellable = Dec("0.00035");
  const auto plan = PlanTranches(sellable, kFractions, kTps, kStop, Btc(), true);
  ASSERT_EQ(plan.size(), 2u);
  EXPECT_EQ(plan[0].level, 2);
  EXPECT_EQ(plan[0].quantity, Dec("0.00022"));
  EXPECT_EQ(plan[0].take_profit, Dec("42000"));
  EXPECT_EQ(plan[1].level, 3);
  EXPECT_EQ(plan[1].quantity, Dec("0.00013"));
  EXPECT_EQ(Sum(plan), sellable);
}

TEST(TranchePlanTest, SmallTranchesCascadeIntoTheLast) {
  // 0.00004 + 0.00004 + 0.00005: only all together reach the minimum notional (5.20).
  const Decimal sellable = Dec("0.00013");
  const auto plan = PlanTranches(sellable, kFractions, kTps, kStop, Btc(), true);
  ASSERT_EQ(plan.size(), 1u);
  EXPECT_EQ(plan[0].level, 3);
  EXPECT_EQ(plan[0].quantity, sellable);
}

TEST(TranchePlanTest, SmallLastTrancheMergesIntoThePrevious) {
  const std::vector<Decimal> fractions = {Dec("45"), Dec("45"), Dec("10")};
  // 0.00045, 0.00045 and a last 0.0001 worth 4 at the stop.
  const Decimal sellable = Dec("0.001");
  const auto plan = PlanTranches(sellable, fractions, kTps, kStop, Btc(), true);
  ASSERT_EQ(plan.size(), 2u);
  EXPECT_EQ(plan[0].level, 1);
  EXPECT_EQ(plan[0].quantity, Dec("0.00045"));
  EXPECT_EQ(plan[1].level, 2);
  EXPECT_EQ(plan[1].quantity, Dec("0.00055"));
  EXPECT_EQ(plan[1].take_profit, Dec("42000"));
  EXPECT_EQ(Sum(plan), sellable);
}

TEST(TranchePlanTest, MinQtyAlsoForcesAMerge) {
  SymbolInfo s = Btc();
  s.min_notional = Decimal::Zero();
  s.min_qty = Dec("0.005");
  // 0.0033, 0.0033, 0.0034, each below min_qty 0.005: TP1 joins TP2 (0.0066), then the last
  // (still too small) joins TP2 as well.
  const auto plan = PlanTranches(Dec("0.01"), kFractions, kTps, kStop, s, true);
  ASSERT_EQ(plan.size(), 1u);
  EXPECT_EQ(plan[0].quantity, Dec("0.01"));
  EXPECT_EQ(plan[0].level, 2);
}

TEST(TranchePlanTest, NotionalIsJudgedAtTheStopPrice) {
  // 0.00013 per tranche is worth 5.20 at 40000 but 4.94 at a 38000 stop.
  const Decimal sellable = Dec("0.0004");
  const auto at_40000 = PlanTranches(sellable, kFractions, kTps, Dec("40000"), Btc(), true);
  EXPECT_EQ(at_40000.size(), 3u);
  const auto at_38000 = PlanTranches(sellable, kFractions, kTps, Dec("38000"), Btc(), true);
  EXPECT_EQ(at_38000.size(), 2u);
  EXPECT_EQ(Sum(at_38000), sellable);
}

TEST(TranchePlanTest, WithoutFiltersTheFractionsAreExact) {
  const Decimal sellable = Dec("0.0123456789");
  const auto plan = PlanTranches(sellable, kFractions, kTps, kStop, Btc(), false);
  ASSERT_EQ(plan.size(), 3u);
  EXPECT_EQ(plan[0].quantity, Dec("0.004074074037"));
  EXPECT_EQ(plan[1].quantity, Dec("0.004074074037"));
  EXPECT_EQ(plan[2].quantity, Dec("0.004197530826"));
  EXPECT_EQ(Sum(plan), sellable);
  // Tiny tranches are not merged when filters are off (reference configuration).
  const auto tiny = PlanTranches(Dec("0.0003"), kFractions, kTps, kStop, Btc(), false);
  ASSERT_EQ(tiny.size(), 3u);
  EXPECT_EQ(tiny[0].quantity, Dec("0.000099"));
  EXPECT_EQ(tiny[2].quantity, Dec("0.000102"));
}

TEST(TranchePlanTest, WithoutFiltersRoundsDownAndTheLastTakesTheRest) {
  const Decimal sellable = Dec("1.000000000001");
  const auto plan = PlanTranches(sellable, kFractions, kTps, kStop, SymbolInfo{}, false);
  ASSERT_EQ(plan.size(), 3u);
  EXPECT_EQ(plan[0].quantity, Dec("0.33"));  // 0.33000000000033 truncated to 12 places
  EXPECT_EQ(plan[2].quantity, Dec("0.340000000001"));
  EXPECT_EQ(Sum(plan), sellable);
}

}  // namespace
}  // namespace osprey
