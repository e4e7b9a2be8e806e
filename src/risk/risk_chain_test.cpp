// RunEntryChain: the spec's "Risk Management Flow" in its order (the first failing check decides),
// the balance reduction, and the sizing rejections.

#include "risk/risk_chain.hpp"

#include <gtest/gtest.h>

namespace osprey {
namespace {

const TimeMs kNoon = DaysFromCivil(2024, 3, 10) * kDayMs + 12 * kHourMs;

Decimal D(std::int64_t v) { return Decimal::FromInt(v); }

std::string_view RejectionName(const RiskDecision& d) {
  return d.reason ? RejectionCodeName(*d.reason) : "approved";
}

SymbolInfo TestSymbol() {
  SymbolInfo s;
  s.symbol = "TESTUSDT";
  s.step_size = Dec("0.00001");
  s.min_qty = Dec("0.00001");
  s.min_notional = D(5);
  return s;
}

EntryCandidate Candidate(Decimal entry = D(100), Decimal stop = D(97)) {
  return EntryCandidate{"TESTUSDT", entry, stop, 0.9};
}

PortfolioView Portfolio(Decimal equity = D(1000), Decimal free = D(1000), int open = 0) {
  PortfolioView p;
  p.open_positions = open;
  p.free_quote = free;
  p.equity = equity;
  return p;
}

RiskState StateAt(std::string status, Decimal day_start_equity, Decimal peak) {
  RiskState s;
  s.status = std::move(status);
  if (s.status == "HALTED") s.halt_reason = "CONSECUTIVE_LOSSES";
  s.day_start = DayStart(kNoon);
  s.day_start_equity = day_start_equity;
  s.equity_peak = peak;
  return s;
}

class RiskChainTest : public ::testing::Test {
 protected:
  RiskDecision Run(const EntryCandidate& c, const PortfolioView& p,
                   const EdgeEstimate& edge = EdgeEstimate(RiskSettings{})) {
    CircuitBreakers breakers(settings_.breakers, D(1000), kNoon);
    breakers.Restore(state_);
    PositionSizer sizer(settings_.risk, settings_.positions);
    return RunEntryChain(c, p, breakers, sizer, edge, settings_, symbol_);
  }

  Settings settings_;
  RiskState state_ = StateAt("ACTIVE", D(1000), D(1000));
  SymbolInfo symbol_ = TestSymbol();
};

TEST_F(RiskChainTest, ApprovedCarriesTheSizersResult) {
  const RiskDecision d = Run(Candidate(), Portfolio());
  ASSERT_TRUE(d.approved) << RejectionName(d) << ": " << d.detail;
  EXPECT_FALSE(d.reason.has_value());
  // Prior Kelly, capped at 2% risk, then at a notional of equity / 3, stepped down.
  EXPECT_EQ(d.size.quantity, Dec("3.33333"));
  EXPECT_EQ(d.size.notional, Dec("333.333"));
  EXPECT_EQ(d.size.risk, Dec("9.99999"));
  EXPECT_NEAR(d.size.kelly_fraction, 1.0 / 6.0, 1e-12);
  EXPECT_EQ(d.detail, DescribeSize(d.size, D(1000)));
  EXPECT_NE(d.detail.find("risks 10.00 (1.00% of equity) at the stop, notional 333.33 (33.33% of "
                          "equity)"),
            std::string::npos)
      << d.detail;

  PositionSizer sizer(settings_.risk, settings_.positions);
  SizingRequest req;
  req.equity = D(1000);
  req.entry_price = D(100);
  req.stop_price = D(97);
  req.symbol = symbol_;
  const SizingResult direct = sizer.Size(req, EdgeEstimate(RiskSettings{}));
  EXPECT_EQ(d.size.quantity, direct.quantity);
  EXPECT_EQ(d.size.basis, direct.basis);
}

TEST_F(RiskChainTest, ReducingBreakersHalveTheSize) {
  settings_.positions.cap_notional_at_equity_share = false;
  EXPECT_EQ(Run(Candidate(), Portfolio()).size.quantity, Dec("6.66666"));
  state_ = StateAt("REDUCING", D(1000), D(1000));
  const RiskDecision d = Run(Candidate(), Portfolio());
  ASSERT_TRUE(d.approved) << RejectionName(d);
  EXPECT_EQ(d.size.quantity, Dec("3.33333"));
  EXPECT_EQ(d.size.risk, Dec("9.99999"));
}

// Every check of the chain failing at once, then the failures removed one by one in spec order:
// each step must report the next check. Run in both sizing modes.
class RiskChainOrderTest : public RiskChainTest,
                           public ::testing::WithParamInterface<SizingMode> {};

TEST_P(RiskChainOrderTest, FirstFailingCheckInSpecOrderDecides) {
  settings_.risk.sizing = GetParam();
  // Equity 800 against a day start and a peak of 1000: lost 200 (20%) today, 20% drawdown.
  state_ = StateAt("HALTED", D(1000), D(1000));
  PortfolioView p = Portfolio(D(800), Decimal(), settings_.positions.max_concurrent_positions);
  p.open_risk = D(48);  // the whole heat cap of 6% x 800 taken
  EntryCandidate c = Candidate(D(100), D(101));

  EXPECT_EQ(Run(c, p).reason, RejectionCode::kCircuitBreaker);
  state_.status = "ACTIVE";
  state_.halt_reason.clear();

  EXPECT_EQ(Run(c, p).reason, RejectionCode::kMaxPositions);
  p.open_positions = settings_.positions.max_concurrent_positions - 1;

  EXPECT_EQ(Run(c, p).reason, RejectionCode::kDailyLoss);
  settings_.breakers.daily_max_loss = D(500);

  EXPECT_EQ(Run(c, p).reason, RejectionCode::kDailyLossPercent);
  settings_.breakers.daily_max_loss_percent = D(50);

  EXPECT_EQ(Run(c, p).reason, RejectionCode::kMaxDrawdown);
  settings_.breakers.max_drawdown_percent = D(50);

  EXPECT_EQ(Run(c, p).reason, RejectionCode::kMaxHeat);
  p.open_risk = D(47);  // 1 of the 6% x 800 = 48 of heat left

  EXPECT_EQ(Run(c, p).reason, RejectionCode::kInsufficientBalance);
  p.free_quote = D(1000);

  EXPECT_EQ(Run(c, p).reason, RejectionCode::kStopNotBelowEntry);
  c.stop_price = D(97);

  const RiskDecision ok = Run(c, p);
  EXPECT_TRUE(ok.approved) << RejectionName(ok) << ": " << ok.detail;
  EXPECT_TRUE(ok.size.quantity.IsPositive());
}

TEST_P(RiskChainOrderTest, StopEqualToEntryIsRejected) {
  settings_.risk.sizing = GetParam();
  const RiskDecision d = Run(Candidate(D(100), D(100)), Portfolio());
  EXPECT_FALSE(d.approved);
  EXPECT_EQ(d.reason, RejectionCode::kStopNotBelowEntry);
}

INSTANTIATE_TEST_SUITE_P(BothSizingModes, RiskChainOrderTest,
                         ::testing::Values(SizingMode::kKelly, SizingMode::kFixedFraction),
                         [](const ::testing::TestParamInfo<SizingMode>& param_info) {
                           return param_info.param == SizingMode::kKelly ? "Kelly"
                                                                         : "FixedFraction";
                         });

TEST_F(RiskChainTest, DailyLossAtTheLimitRejects) {
  // Exactly the limit counts (>=).
  const RiskDecision d = Run(Candidate(), Portfolio(D(900), D(900)));
  EXPECT_EQ(d.reason, RejectionCode::kDailyLoss);
}

TEST_F(RiskChainTest, AlreadyHeldSymbolIsRejected) {
  PortfolioView p = Portfolio(D(1000), D(1000), 1);
  p.holds_symbol = true;
  const RiskDecision d = Run(Candidate(), p);
  EXPECT_FALSE(d.approved);
  EXPECT_EQ(d.reason, RejectionCode::kAlreadyInPosition);
  // MAX_POSITIONS comes first when both apply.
  p.open_positions = 3;
  EXPECT_EQ(Run(Candidate(), p).reason, RejectionCode::kMaxPositions);
}

TEST_F(RiskChainTest, InsufficientBalanceFirstReducesTheSize) {
  // The sizer wants 333.333 (+0.1% fee, +0.05% slippage); 30 free buys
  // 30 / (1.001 x 1.0005) / 100 = 0.2995505..., stepped
  // down.
  const RiskDecision d = Run(Candidate(), Portfolio(D(1000), D(30)));
  ASSERT_TRUE(d.approved) << RejectionName(d) << ": " << d.detail;
  EXPECT_EQ(d.size.quantity, Dec("0.29955"));
  EXPECT_EQ(d.size.notional, Dec("29.955"));
  EXPECT_NE(d.size.basis.find("reduced to the free balance"), std::string::npos) << d.size.basis;
  // Notional plus the entry fee, slipped, fits the free balance.
  EXPECT_LE(Decimal::Mul(d.size.notional, Dec("1.0015005"), Rounding::kUp), D(30));
}

TEST_F(RiskChainTest, BalanceOneStepShortIsReduced) {
  const RiskDecision d = Run(Candidate(), Portfolio(D(1000), Dec("333.8331661664")));
  ASSERT_TRUE(d.approved) << RejectionName(d);
  EXPECT_EQ(d.size.quantity, Dec("3.33332"));
}

TEST_F(RiskChainTest, BalanceJustEnoughIsNotReduced) {
  // 333.333 of notional x 1.001 (fee) x 1.0005 (slippage).
  const RiskDecision d = Run(Candidate(), Portfolio(D(1000), Dec("333.8331661665")));
  ASSERT_TRUE(d.approved) << RejectionName(d);
  EXPECT_EQ(d.size.quantity, Dec("3.33333"));
}

TEST_F(RiskChainTest, InsufficientBalanceRejectsOnlyWhenNothingIsAffordable) {
  // 0.0005 / 1.0015005 / 100 = 0.00000499 < one step of 0.00001.
  const RiskDecision d = Run(Candidate(), Portfolio(D(1000), Dec("0.0005")));
  EXPECT_FALSE(d.approved);
  EXPECT_EQ(d.reason, RejectionCode::kInsufficientBalance);
  EXPECT_EQ(Run(Candidate(), Portfolio(D(1000), Decimal())).reason,
            RejectionCode::kInsufficientBalance);
}

TEST_F(RiskChainTest, ReducedSizeBelowMinNotionalIsTooSmall) {
  // 3 free affords 0.02997, worth 2.91 at the stop: below the minimum notional of 5.
  const RiskDecision d = Run(Candidate(), Portfolio(D(1000), D(3)));
  EXPECT_EQ(d.reason, RejectionCode::kSizeTooSmall);
}

TEST_F(RiskChainTest, SizeBelowMinNotionalAtTheStopIsTooSmall) {
  state_ = StateAt("ACTIVE", D(100), D(100));
  symbol_.min_notional = Dec("33");
  // Equity 100: 33.333 of notional (above 33) but 0.33333 * 97 = 32.33301 at the stop (below).
  const RiskDecision d = Run(Candidate(), Portfolio(D(100), D(100)));
  EXPECT_FALSE(d.approved);
  EXPECT_EQ(d.reason, RejectionCode::kSizeTooSmall);
  EXPECT_EQ(d.size.quantity, Dec("0.33333"));
  symbol_.min_notional = Dec("32.33301");
  EXPECT_TRUE(Run(Candidate(), Portfolio(D(100), D(100))).approved);
}

TEST_F(RiskChainTest, QuantityBelowMinQtyIsTooSmall) {
  symbol_.min_qty = D(4);  // the sizer gives 3.33333
  EXPECT_EQ(Run(Candidate(), Portfolio()).reason, RejectionCode::kSizeTooSmall);
}

TEST_F(RiskChainTest, QuantityRoundedToZeroIsTooSmall) {
  symbol_.step_size = D(5);
  symbol_.min_qty = D(5);
  const RiskDecision d = Run(Candidate(), Portfolio());  // 3.33 -> 0 (the balance affords 5)
  EXPECT_EQ(d.reason, RejectionCode::kSizeTooSmall);
}

TEST_F(RiskChainTest, NoEdgeInKellyMode) {
  EdgeEstimate losing(RiskSettings{});
  for (int i = 0; i < 20; ++i) losing.Add(i % 4 == 0 ? 1.0 : -1.0);
  ASSERT_TRUE(losing.NoEdge());
  const RiskDecision d = Run(Candidate(), Portfolio(), losing);
  EXPECT_FALSE(d.approved);
  EXPECT_EQ(d.reason, RejectionCode::kNoEdge);
  EXPECT_LT(d.size.kelly_fraction, 0);
  EXPECT_TRUE(d.size.quantity.IsZero());

  // The balance check comes before sizing.
  EXPECT_EQ(Run(Candidate(), Portfolio(D(1000), Decimal()), losing).reason,
            RejectionCode::kInsufficientBalance);

  settings_.risk.sizing = SizingMode::kFixedFraction;
  EXPECT_TRUE(Run(Candidate(), Portfolio(), losing).approved);
}

TEST_F(RiskChainTest, HeatAtTheCapRefusesAndARoomLeftReducesTheSize) {
  // 6% of 1000 = 60 of heat. Taken in full: refused before the balance and the sizing.
  PortfolioView p = Portfolio(D(1000), Decimal(), 1);
  p.open_risk = D(60);
  const RiskDecision full = Run(Candidate(), p);
  EXPECT_EQ(full.reason, RejectionCode::kMaxHeat);
  EXPECT_EQ(full.detail, "open risk 60.00 at the heat cap 60.00 (6% of equity)");
  // 55 taken: 5 left, so 1.66666 units risking 4.99998 instead of the 1% the share cap allows.
  p.free_quote = D(1000);
  p.open_risk = D(55);
  const RiskDecision reduced = Run(Candidate(), p);
  ASSERT_TRUE(reduced.approved) << RejectionName(reduced);
  EXPECT_EQ(reduced.size.quantity, Dec("1.66666"));
  EXPECT_EQ(reduced.size.risk, Dec("4.99998"));
  EXPECT_LE(reduced.size.risk + p.open_risk, D(60));
}

TEST_F(RiskChainTest, BalanceReductionUpdatesTheRiskInTheDetail) {
  const RiskDecision d = Run(Candidate(), Portfolio(D(1000), D(30)));
  ASSERT_TRUE(d.approved) << RejectionName(d);
  EXPECT_EQ(d.size.risk, PositionRisk(Dec("0.29955"), D(100), D(97)));
  EXPECT_NE(d.detail.find("risks 0.90 (0.09% of equity) at the stop, notional 29.9"),
            std::string::npos)
      << d.detail;
}

TEST_F(RiskChainTest, SymbolFiltersOffSkipTheMinimums) {
  settings_.exchange.apply_symbol_filters = false;
  symbol_.min_notional = D(1000);
  const RiskDecision d = Run(Candidate(), Portfolio());
  EXPECT_TRUE(d.approved) << RejectionName(d);
}

}  // namespace
}  // namespace osprey
