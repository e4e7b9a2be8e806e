// PositionSizer: Kelly from the prior or the bot's own statistics, the risk-per-trade and
// exposure caps, fixed-fraction mode, step rounding and the REDUCING factor. Expected sizes are
// computed exactly with Decimal, in the order the header documents.

#include "risk/position_sizer.hpp"

#include <gtest/gtest.h>

namespace osprey {
namespace {

Decimal D(std::int64_t v) { return Decimal::FromInt(v); }

SizingRequest Request(Decimal equity, Decimal entry, Decimal stop) {
  SizingRequest r;
  r.equity = equity;
  r.entry_price = entry;
  r.stop_price = stop;
  return r;
}

// Kelly settings whose caps never bind, so the Kelly fraction alone decides.
RiskSettings UncappedKelly() {
  RiskSettings r;
  r.risk_per_trade_percent = D(100);
  return r;
}
PositionSettings UncappedPositions() {
  PositionSettings p;
  p.max_position_exposure_percent = D(100);
  return p;
}

KellyStats Stats(int wins, double win_sum, int losses, double loss_sum) {
  KellyStats s;
  for (int i = 0; i < wins; ++i) s.Add(win_sum / wins);
  for (int i = 0; i < losses; ++i) s.Add(-loss_sum / losses);
  return s;
}

// notional = risk * entry / (entry - stop), quantity = notional / entry, both rounded down.
Decimal QuantityForRisk(Decimal risk, Decimal entry, Decimal stop) {
  const Decimal notional = Decimal::Div(Decimal::Mul(risk, entry), entry - stop, Rounding::kDown);
  return Decimal::Div(notional, entry, Rounding::kDown);
}

TEST(KellyStatsTest, CountsWinsAndSumsMagnitudes) {
  KellyStats s;
  s.Add(10);
  s.Add(-4);
  s.Add(0);  // break-even is not a win
  s.Add(6);
  EXPECT_EQ(s.trades, 4);
  EXPECT_EQ(s.wins, 2);
  EXPECT_DOUBLE_EQ(s.win_sum, 16);
  EXPECT_DOUBLE_EQ(s.loss_sum, 4);
}

TEST(PositionSizerTest, PriorKellyIsOneSixthTimesTheMultiplier) {
  PositionSizer sizer(UncappedKelly(), UncappedPositions());
  // Stop 50% below entry: notional = 2 * risk; risk = 1000 * (1/6) * 0.5 = 1000/12.
  const SizingResult r = sizer.Size(Request(D(1000), D(100), D(50)), KellyStats{});
  EXPECT_NEAR(r.kelly_fraction, 1.0 / 6.0, 1e-15);
  const Decimal risk = Decimal::Div(D(1000), D(12));  // 83.333333333333
  const Decimal qty = QuantityForRisk(risk, D(100), D(50));
  EXPECT_EQ(qty, Dec("1.666666666666"));
  EXPECT_EQ(r.quantity, qty);
  EXPECT_EQ(r.notional, Decimal::Mul(qty, D(100)));
  EXPECT_NE(r.basis.find("prior"), std::string::npos) << r.basis;
}

TEST(PositionSizerTest, KellyMultiplierScalesTheRisk) {
  RiskSettings risk = UncappedKelly();
  risk.kelly_multiplier = 0.25;
  PositionSizer sizer(risk, UncappedPositions());
  const SizingResult r = sizer.Size(Request(D(1200), D(100), D(50)), KellyStats{});
  // 1200 * (1/6) * 0.25 = 50 at risk, twice that as notional.
  EXPECT_EQ(r.quantity, D(1));
  EXPECT_EQ(r.notional, D(100));
}

TEST(PositionSizerTest, RiskPerTradeCapsTheKellyRisk) {
  RiskSettings risk;  // 2% per trade
  PositionSizer sizer(risk, UncappedPositions());
  // Kelly would risk 1000/12; the cap is 20 at a 3% stop: notional 20 / 0.03 = 666.67.
  const SizingResult r = sizer.Size(Request(D(1000), D(100), D(97)), KellyStats{});
  const Decimal qty = QuantityForRisk(D(20), D(100), D(97));
  EXPECT_EQ(qty, Dec("6.666666666666"));
  EXPECT_EQ(r.quantity, qty);
  EXPECT_EQ(r.notional, Dec("666.6666666666"));
  EXPECT_LE(r.notional, Decimal::Div(D(2000), D(3), Rounding::kUp));
  // What is lost at the stop never exceeds 2% of equity.
  EXPECT_LE(Decimal::Mul(r.quantity, D(3)), D(20));
}

TEST(PositionSizerTest, MaxExposureCapsTheNotionalAtSixPercent) {
  PositionSizer sizer(RiskSettings{}, PositionSettings{});
  const SizingResult r = sizer.Size(Request(D(1000), D(100), D(97)), KellyStats{});
  EXPECT_EQ(r.notional, D(60));
  EXPECT_EQ(r.quantity, Dec("0.6"));
  EXPECT_NE(r.basis.find("capped by max exposure"), std::string::npos) << r.basis;
}

TEST(PositionSizerTest, OwnStatisticsReplaceThePriorAfterMinTrades) {
  PositionSizer sizer(UncappedKelly(), UncappedPositions());
  // p = 0.6, b = (240/12) / (80/8) = 2: f = 0.6 - 0.4 / 2 = 0.4.
  const KellyStats nineteen = Stats(11, 220, 8, 80);
  const SizingResult prior = sizer.Size(Request(D(1000), D(100), D(50)), nineteen);
  EXPECT_NEAR(prior.kelly_fraction, 1.0 / 6.0, 1e-15);

  const KellyStats twenty = Stats(12, 240, 8, 80);
  ASSERT_EQ(twenty.trades, 20);
  const SizingResult own = sizer.Size(Request(D(1000), D(100), D(50)), twenty);
  EXPECT_NEAR(own.kelly_fraction, 0.4, 1e-12);
  // Risk 1000 * 0.4 * 0.5 = 200, notional 400.
  EXPECT_EQ(own.quantity, D(4));
  EXPECT_EQ(own.notional, D(400));
  EXPECT_NE(own.basis.find("20 trades"), std::string::npos) << own.basis;
}

TEST(PositionSizerTest, KellyMinTradesIsConfigurable) {
  RiskSettings risk = UncappedKelly();
  risk.kelly_min_trades = 5;
  PositionSizer sizer(risk, UncappedPositions());
  const SizingResult r = sizer.Size(Request(D(1000), D(100), D(50)), Stats(3, 30, 2, 10));
  // p = 0.6, b = 10 / 5 = 2: f = 0.4.
  EXPECT_NEAR(r.kelly_fraction, 0.4, 1e-12);
}

TEST(PositionSizerTest, NegativeEdgeSizesToZero) {
  PositionSizer sizer(RiskSettings{}, PositionSettings{});
  // p = 0.25, b = 1: f = 0.25 - 0.75 = -0.5.
  const SizingResult r = sizer.Size(Request(D(1000), D(100), D(97)), Stats(5, 50, 15, 150));
  EXPECT_LT(r.kelly_fraction, 0);
  EXPECT_NEAR(r.kelly_fraction, -0.5, 1e-12);
  EXPECT_TRUE(r.quantity.IsZero());
  EXPECT_TRUE(r.notional.IsZero());
  EXPECT_NE(r.basis.find("no edge"), std::string::npos) << r.basis;
}

TEST(PositionSizerTest, ZeroEdgeSizesToZero) {
  PositionSizer sizer(RiskSettings{}, PositionSettings{});
  // p = 0.5, b = 1: f = 0.
  const SizingResult r = sizer.Size(Request(D(1000), D(100), D(97)), Stats(10, 100, 10, 100));
  EXPECT_TRUE(r.quantity.IsZero());
  EXPECT_NE(r.basis.find("no edge"), std::string::npos) << r.basis;
}

TEST(PositionSizerTest, EveryTradeLostIsNoEdge) {
  PositionSizer sizer(RiskSettings{}, PositionSettings{});
  const SizingResult r = sizer.Size(Request(D(1000), D(100), D(97)), Stats(0, 0, 20, 100));
  EXPECT_TRUE(r.quantity.IsZero());
  EXPECT_LT(r.kelly_fraction, 0);
  EXPECT_NE(r.basis.find("no edge"), std::string::npos) << r.basis;
}

TEST(PositionSizerTest, FixedFractionIsTwentyPercentOfEquity) {
  RiskSettings risk;
  risk.sizing = SizingMode::kFixedFraction;
  risk.risk_per_trade_percent = D(100);
  PositionSizer sizer(risk, UncappedPositions());
  const SizingResult r = sizer.Size(Request(D(10000), D(250), Dec("242.5")), KellyStats{});
  EXPECT_EQ(r.notional, D(2000));
  EXPECT_EQ(r.quantity, D(8));
  EXPECT_NE(r.basis.find("fixed 20%"), std::string::npos) << r.basis;
  // Statistics do not matter in fixed mode.
  const SizingResult losing =
      sizer.Size(Request(D(10000), D(250), Dec("242.5")), Stats(0, 0, 30, 300));
  EXPECT_EQ(losing.quantity, D(8));
}

TEST(PositionSizerTest, FixedFractionIsStillCappedByExposure) {
  RiskSettings risk;
  risk.sizing = SizingMode::kFixedFraction;
  risk.risk_per_trade_percent = D(100);
  PositionSizer sizer(risk, PositionSettings{});  // 6%
  const SizingResult r = sizer.Size(Request(D(10000), D(250), Dec("242.5")), KellyStats{});
  EXPECT_EQ(r.notional, D(600));
}

TEST(PositionSizerTest, QuantityIsRoundedDownToTheStep) {
  RiskSettings risk;
  risk.sizing = SizingMode::kFixedFraction;
  risk.risk_per_trade_percent = D(100);
  PositionSizer sizer(risk, UncappedPositions());
  SizingRequest req = Request(D(1000), D(300), D(291));
  req.symbol.step_size = Dec("0.001");
  // 200 / 300 = 0.666666666666 -> 0.666
  const SizingResult r = sizer.Size(req, KellyStats{});
  EXPECT_EQ(r.quantity, Dec("0.666"));
  EXPECT_EQ(r.notional, Dec("199.8"));
  // Without symbol filters (reference configuration) the quantity is not rounded to the step.
  req.apply_filters = false;
  EXPECT_EQ(sizer.Size(req, KellyStats{}).quantity, Dec("0.666666666666"));
}

TEST(PositionSizerTest, ReducingFactorHalvesTheNotional) {
  PositionSizer sizer(RiskSettings{}, PositionSettings{});
  SizingRequest req = Request(D(1000), D(100), D(97));
  const SizingResult full = sizer.Size(req, KellyStats{});
  req.size_factor = Dec("0.5");
  const SizingResult half = sizer.Size(req, KellyStats{});
  EXPECT_EQ(full.notional, D(60));
  EXPECT_EQ(half.notional, D(30));
  EXPECT_EQ(half.quantity, Dec("0.3"));
  EXPECT_NE(half.basis.find("REDUCING"), std::string::npos) << half.basis;
}

TEST(PositionSizerTest, StopNotBelowEntrySizesToZeroInKellyMode) {
  PositionSizer sizer(RiskSettings{}, PositionSettings{});
  EXPECT_TRUE(sizer.Size(Request(D(1000), D(100), D(100)), KellyStats{}).quantity.IsZero());
  EXPECT_TRUE(sizer.Size(Request(D(1000), D(100), D(101)), KellyStats{}).quantity.IsZero());
}

TEST(PositionSizerTest, NoEquityOrNoPriceSizesToZero) {
  PositionSizer sizer(RiskSettings{}, PositionSettings{});
  EXPECT_TRUE(sizer.Size(Request(Decimal(), D(100), D(97)), KellyStats{}).quantity.IsZero());
  EXPECT_TRUE(sizer.Size(Request(D(1000), Decimal(), D(97)), KellyStats{}).quantity.IsZero());
}

}  // namespace
}  // namespace osprey
