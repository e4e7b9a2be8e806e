// PositionSizer: Kelly from the edge estimate, the risk-per-trade cap, the heat cap on the total
// open risk, the notional bound at equity / max positions, fixed-fraction mode, the REDUCING
// factor and step rounding, in the order the header documents. Expected sizes are computed
// exactly with Decimal.

#include "risk/position_sizer.hpp"

#include <gtest/gtest.h>

namespace osprey {
namespace {

Decimal D(std::int64_t v) { return Decimal::FromInt(v); }

SizingRequest Request(Decimal equity, Decimal entry, Decimal stop, Decimal open_risk = {}) {
  SizingRequest r;
  r.equity = equity;
  r.entry_price = entry;
  r.stop_price = stop;
  r.open_risk = open_risk;
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
  p.cap_notional_at_equity_share = false;
  return p;
}

EdgeEstimate Prior() { return EdgeEstimate(RiskSettings{}); }

// An estimate whose window holds `wins` trades of +win_r and `losses` of -loss_r.
EdgeEstimate Edge(int wins, double win_r, int losses, double loss_r) {
  EdgeEstimate e(RiskSettings{});
  for (int i = 0; i < wins; ++i) e.Add(win_r);
  for (int i = 0; i < losses; ++i) e.Add(-loss_r);
  return e;
}

TEST(PositionRiskTest, IsWhatTheStopLosesAndNeverNegative) {
  EXPECT_EQ(PositionRisk(D(2), D(100), D(97)), D(6));
  EXPECT_TRUE(PositionRisk(D(2), D(100), D(100)).IsZero());  // stop at entry: nothing at risk
  EXPECT_TRUE(PositionRisk(D(2), D(100), D(103)).IsZero());  // trailed above entry: locked gain
  EXPECT_TRUE(PositionRisk(Decimal(), D(100), D(97)).IsZero());
}

TEST(PositionSizerTest, PriorKellyIsOneSixthTimesTheMultiplier) {
  PositionSizer sizer(UncappedKelly(), UncappedPositions());
  // Stop 50% below entry: risk = 1000 * (1/6) * 0.5 = 83.333333333333, quantity = risk / 50.
  const SizingResult r = sizer.Size(Request(D(1000), D(100), D(50)), Prior());
  EXPECT_NEAR(r.kelly_fraction, 1.0 / 6.0, 1e-12);
  EXPECT_EQ(r.quantity, Dec("1.666666666666"));
  EXPECT_EQ(r.notional, Dec("166.6666666666"));
  EXPECT_EQ(r.risk, Dec("83.3333333333"));
  EXPECT_NE(r.basis.find("prior"), std::string::npos) << r.basis;
  EXPECT_NE(r.basis.find("8.33% of equity at risk"), std::string::npos) << r.basis;
}

TEST(PositionSizerTest, KellyMultiplierScalesTheRisk) {
  RiskSettings risk = UncappedKelly();
  risk.kelly_multiplier = 0.25;
  PositionSizer sizer(risk, UncappedPositions());
  const SizingResult r = sizer.Size(Request(D(1200), D(100), D(50)), Prior());
  // 1200 * (1/6) * 0.25 = 50 at risk, one unit at a stop distance of 50.
  EXPECT_EQ(r.quantity, D(1));
  EXPECT_EQ(r.notional, D(100));
  EXPECT_EQ(r.risk, D(50));
}

TEST(PositionSizerTest, RiskPerTradeCapsTheKellyRiskNotTheNotional) {
  PositionSizer sizer(RiskSettings{}, UncappedPositions());  // 2% per trade
  // Kelly would risk 83.33; the cap is 20, lost at a 3% stop by 6.67 units = 666.67 notional.
  const SizingResult r = sizer.Size(Request(D(1000), D(100), D(97)), Prior());
  EXPECT_EQ(r.quantity, Dec("6.666666666666"));
  EXPECT_EQ(r.notional, Dec("666.6666666666"));
  EXPECT_EQ(r.risk, Dec("19.999999999998"));
  EXPECT_LE(r.risk, D(20));
  EXPECT_NE(r.basis.find("capped at 2% risk per trade"), std::string::npos) << r.basis;
}

TEST(PositionSizerTest, HeatCapBoundsTheTotalOpenRisk) {
  PositionSettings positions = UncappedPositions();
  positions.max_position_exposure_percent = D(6);  // 60 of heat at 1000
  PositionSizer sizer(RiskSettings{}, positions);
  // Nothing open: the full 2% fits.
  EXPECT_EQ(sizer.Size(Request(D(1000), D(100), D(97)), Prior()).quantity, Dec("6.666666666666"));
  // 45 already at risk: 15 of room left, so 5 units (risk 15, notional 500).
  const SizingResult r = sizer.Size(Request(D(1000), D(100), D(97), D(45)), Prior());
  EXPECT_EQ(r.quantity, D(5));
  EXPECT_EQ(r.risk, D(15));
  EXPECT_EQ(r.notional, D(500));
  EXPECT_NE(r.basis.find("reduced to the heat room left (15.00 of 60.00)"), std::string::npos)
      << r.basis;
  // At or over the cap there is no room at all.
  EXPECT_TRUE(sizer.Size(Request(D(1000), D(100), D(97), D(60)), Prior()).quantity.IsZero());
  EXPECT_TRUE(sizer.Size(Request(D(1000), D(100), D(97), D(70)), Prior()).quantity.IsZero());
}

TEST(PositionSizerTest, NotionalCappedAtEquityShareWhenConfigured) {
  PositionSizer sizer(RiskSettings{}, PositionSettings{});  // the defaults: cap on, 3 positions
  const SizingResult r = sizer.Size(Request(D(1000), D(100), D(97)), Prior());
  // 2% risk would need 666.67 of notional; 1000 / 3 = 333.333333333333 allows 3.333333333333.
  EXPECT_EQ(r.quantity, Dec("3.333333333333"));
  EXPECT_EQ(r.notional, Dec("333.3333333333"));
  EXPECT_EQ(r.risk, Dec("9.999999999999"));
  EXPECT_NE(r.basis.find("notional capped at equity / 3"), std::string::npos) << r.basis;
}

TEST(PositionSizerTest, WindowStatisticsReplaceThePriorGradually) {
  PositionSizer sizer(UncappedKelly(), UncappedPositions());
  // 24 wins of 2R and 16 losses of 1R over a prior of 20 trades (10 wins of 1.5R, 10 losses of
  // 1R): p = 34/60, average win = 63/34, average loss = 1, so f = 34/60 - (26/60) * 34/63.
  const EdgeEstimate edge = Edge(24, 2.0, 16, 1.0);
  const double f = 34.0 / 60 - (26.0 / 60) * 34.0 / 63;
  const SizingResult r = sizer.Size(Request(D(1000), D(100), D(50)), edge);
  EXPECT_NEAR(r.kelly_fraction, f, 1e-12);
  EXPECT_NE(r.basis.find("40 trades in window"), std::string::npos) << r.basis;
}

TEST(PositionSizerTest, NoEdgeSizesToZero) {
  PositionSizer sizer(RiskSettings{}, PositionSettings{});
  const EdgeEstimate edge = Edge(5, 1.0, 15, 1.0);
  ASSERT_LE(edge.KellyFraction(), 0);
  const SizingResult r = sizer.Size(Request(D(1000), D(100), D(97)), edge);
  EXPECT_LT(r.kelly_fraction, 0);
  EXPECT_TRUE(r.quantity.IsZero());
  EXPECT_TRUE(r.notional.IsZero());
  EXPECT_TRUE(r.risk.IsZero());
  EXPECT_NE(r.basis.find("no edge"), std::string::npos) << r.basis;
}

TEST(PositionSizerTest, FixedFractionIsTwentyPercentOfEquity) {
  RiskSettings risk;
  risk.sizing = SizingMode::kFixedFraction;
  risk.risk_per_trade_percent = D(100);
  PositionSizer sizer(risk, UncappedPositions());
  const SizingResult r = sizer.Size(Request(D(10000), D(250), Dec("242.5")), Prior());
  EXPECT_EQ(r.notional, D(2000));
  EXPECT_EQ(r.quantity, D(8));
  EXPECT_EQ(r.risk, D(60));
  EXPECT_NE(r.basis.find("fixed 20%"), std::string::npos) << r.basis;
  // The edge estimate does not matter in fixed mode.
  const SizingResult losing =
      sizer.Size(Request(D(10000), D(250), Dec("242.5")), Edge(0, 0, 30, 1.0));
  EXPECT_EQ(losing.quantity, D(8));
}

TEST(PositionSizerTest, FixedFractionIsCappedByRiskPerTrade) {
  RiskSettings risk;
  risk.sizing = SizingMode::kFixedFraction;
  risk.risk_per_trade_percent = Dec("0.5");  // 50 of 10000 at a stop 7.5 below entry
  PositionSizer sizer(risk, UncappedPositions());
  const SizingResult r = sizer.Size(Request(D(10000), D(250), Dec("242.5")), Prior());
  EXPECT_EQ(r.quantity, Dec("6.666666666666"));
  EXPECT_LE(r.risk, D(50));
  EXPECT_NE(r.basis.find("capped at 0.5% risk per trade"), std::string::npos) << r.basis;
}

TEST(PositionSizerTest, FixedFractionRespectsTheHeatCap) {
  RiskSettings risk;
  risk.sizing = SizingMode::kFixedFraction;
  risk.risk_per_trade_percent = D(100);
  PositionSettings positions = UncappedPositions();
  positions.max_position_exposure_percent = D(1);  // 100 of heat at 10000
  PositionSizer sizer(risk, positions);
  // 8 units would risk 60; 70 already open leaves 30: 4 units.
  const SizingResult r = sizer.Size(Request(D(10000), D(250), Dec("242.5"), D(70)), Prior());
  EXPECT_EQ(r.quantity, D(4));
  EXPECT_EQ(r.risk, D(30));
}

TEST(PositionSizerTest, QuantityIsRoundedDownToTheStep) {
  RiskSettings risk;
  risk.sizing = SizingMode::kFixedFraction;
  risk.risk_per_trade_percent = D(100);
  PositionSizer sizer(risk, UncappedPositions());
  SizingRequest req = Request(D(1000), D(300), D(291));
  req.symbol.step_size = Dec("0.001");
  // 200 / 300 = 0.666666666666 -> 0.666
  const SizingResult r = sizer.Size(req, Prior());
  EXPECT_EQ(r.quantity, Dec("0.666"));
  EXPECT_EQ(r.notional, Dec("199.8"));
  // Without symbol filters (reference configuration) the quantity is not rounded to the step.
  req.apply_filters = false;
  EXPECT_EQ(sizer.Size(req, Prior()).quantity, Dec("0.666666666666"));
}

TEST(PositionSizerTest, ReducingFactorHalvesTheRisk) {
  PositionSizer sizer(RiskSettings{}, UncappedPositions());
  SizingRequest req = Request(D(1000), D(100), D(97));
  const SizingResult full = sizer.Size(req, Prior());
  req.size_factor = Dec("0.5");
  const SizingResult half = sizer.Size(req, Prior());
  EXPECT_EQ(full.risk, Dec("19.999999999998"));
  EXPECT_EQ(half.quantity, Dec("3.333333333333"));
  EXPECT_EQ(half.risk, Dec("9.999999999999"));
  EXPECT_NE(half.basis.find("REDUCING"), std::string::npos) << half.basis;
}

TEST(PositionSizerTest, StopNotBelowEntrySizesToZero) {
  for (SizingMode mode : {SizingMode::kKelly, SizingMode::kFixedFraction}) {
    RiskSettings risk;
    risk.sizing = mode;
    PositionSizer sizer(risk, PositionSettings{});
    EXPECT_TRUE(sizer.Size(Request(D(1000), D(100), D(100)), Prior()).quantity.IsZero());
    EXPECT_TRUE(sizer.Size(Request(D(1000), D(100), D(101)), Prior()).quantity.IsZero());
  }
}

TEST(PositionSizerTest, NoEquityOrNoPriceSizesToZero) {
  PositionSizer sizer(RiskSettings{}, PositionSettings{});
  EXPECT_TRUE(sizer.Size(Request(Decimal(), D(100), D(97)), Prior()).quantity.IsZero());
  EXPECT_TRUE(sizer.Size(Request(D(1000), Decimal(), D(97)), Prior()).quantity.IsZero());
}

TEST(DescribeSizeTest, SaysWhatIsRiskedAndTheNotional) {
  PositionSizer sizer(RiskSettings{}, PositionSettings{});
  const SizingResult r = sizer.Size(Request(D(1000), D(100), D(97)), Prior());
  EXPECT_EQ(DescribeSize(r, D(1000)),
            "Kelly f=0.1667 (prior) x0.5 = 8.33% of equity at risk, capped at 2% risk per trade, "
            "notional capped at equity / 3; risks 10.00 (1.00% of equity) at the stop, notional "
            "333.33 (33.33% of equity)");
}

}  // namespace
}  // namespace osprey
