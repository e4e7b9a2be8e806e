// RunEntryChain: the spec's "Risk Management Flow" in its order (the first failing check decides),
// the balance reduction, and the sizing rejections.

#include "risk/risk_chain.hpp"

#include <gtest/gtest.h>

namespace osprey {
namespace {

const TimeMs kNoon = DaysFromCivil(2024, 3, 10) * kDayMs + 12 * kHourMs;

Decimal D(std::int64_t v) { return Decimal::FromInt(v); }

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
                   const KellyStats& stats = KellyStats{}) {
    CircuitBreakers breakers(settings_.breakers, D(1000), kNoon);
    breakers.Restore(state_);
    PositionSizer sizer(settings_.risk, settings_.positions);
    return RunEntryChain(c, p, breakers, sizer, stats, settings_, symbol_);
  }

  Settings settings_;
  RiskState state_ = StateAt("ACTIVE", D(1000), D(1000));
  SymbolInfo symbol_ = TestSymbol();
};

TEST_F(RiskChainTest, ApprovedCarriesTheSizersResult) {
  const RiskDecision d = Run(Candidate(), Portfolio());
  ASSERT_TRUE(d.approved) << d.reason_code << ": " << d.detail;
  EXPECT_TRUE(d.reason_code.empty());
  // Prior Kelly, capped at 6% exposure.
  EXPECT_EQ(d.size.quantity, Dec("0.6"));
  EXPECT_EQ(d.size.notional, D(60));
  EXPECT_NEAR(d.size.kelly_fraction, 1.0 / 6.0, 1e-15);
  EXPECT_EQ(d.detail, d.size.basis);

  PositionSizer sizer(settings_.risk, settings_.positions);
  SizingRequest req;
  req.equity = D(1000);
  req.entry_price = D(100);
  req.stop_price = D(97);
  req.symbol = symbol_;
  const SizingResult direct = sizer.Size(req, KellyStats{});
  EXPECT_EQ(d.size.quantity, direct.quantity);
  EXPECT_EQ(d.size.basis, direct.basis);
}

TEST_F(RiskChainTest, ReducingBreakersHalveTheSize) {
  state_ = StateAt("REDUCING", D(1000), D(1000));
  const RiskDecision d = Run(Candidate(), Portfolio());
  ASSERT_TRUE(d.approved) << d.reason_code;
  EXPECT_EQ(d.size.notional, D(30));
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
  EntryCandidate c = Candidate(D(100), D(101));

  EXPECT_EQ(Run(c, p).reason_code, "CIRCUIT_BREAKER");
  state_.status = "ACTIVE";
  state_.halt_reason.clear();

  EXPECT_EQ(Run(c, p).reason_code, "MAX_POSITIONS");
  p.open_positions = settings_.positions.max_concurrent_positions - 1;

  EXPECT_EQ(Run(c, p).reason_code, "DAILY_LOSS");
  settings_.breakers.daily_max_loss = D(500);

  EXPECT_EQ(Run(c, p).reason_code, "DAILY_LOSS_PERCENT");
  settings_.breakers.daily_max_loss_percent = D(50);

  EXPECT_EQ(Run(c, p).reason_code, "MAX_DRAWDOWN");
  settings_.breakers.max_drawdown_percent = D(50);

  EXPECT_EQ(Run(c, p).reason_code, "INSUFFICIENT_BALANCE");
  p.free_quote = D(1000);

  EXPECT_EQ(Run(c, p).reason_code, "STOP_NOT_BELOW_ENTRY");
  c.stop_price = D(97);

  const RiskDecision ok = Run(c, p);
  EXPECT_TRUE(ok.approved) << ok.reason_code << ": " << ok.detail;
  EXPECT_TRUE(ok.size.quantity.IsPositive());
}

TEST_P(RiskChainOrderTest, StopEqualToEntryIsRejected) {
  settings_.risk.sizing = GetParam();
  const RiskDecision d = Run(Candidate(D(100), D(100)), Portfolio());
  EXPECT_FALSE(d.approved);
  EXPECT_EQ(d.reason_code, "STOP_NOT_BELOW_ENTRY");
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
  EXPECT_EQ(d.reason_code, "DAILY_LOSS");
}

TEST_F(RiskChainTest, AlreadyHeldSymbolIsRejected) {
  PortfolioView p = Portfolio(D(1000), D(1000), 1);
  p.holds_symbol = true;
  const RiskDecision d = Run(Candidate(), p);
  EXPECT_FALSE(d.approved);
  EXPECT_EQ(d.reason_code, "ALREADY_IN_POSITION");
  // MAX_POSITIONS comes first when both apply.
  p.open_positions = 3;
  EXPECT_EQ(Run(Candidate(), p).reason_code, "MAX_POSITIONS");
}

TEST_F(RiskChainTest, InsufficientBalanceFirstReducesTheSize) {
  // The sizer wants 60 (+0.06 fee); 30 free buys 30 / 1.001 / 100 = 0.2997002..., stepped down.
  const RiskDecision d = Run(Candidate(), Portfolio(D(1000), D(30)));
  ASSERT_TRUE(d.approved) << d.reason_code << ": " << d.detail;
  EXPECT_EQ(d.size.quantity, Dec("0.2997"));
  EXPECT_EQ(d.size.notional, Dec("29.97"));
  EXPECT_NE(d.size.basis.find("reduced to the free balance"), std::string::npos) << d.size.basis;
  // Notional plus the entry fee fits the free balance.
  EXPECT_LE(Decimal::Mul(d.size.notional, Dec("1.001"), Rounding::kUp), D(30));
}

TEST_F(RiskChainTest, BalanceJustEnoughIsNotReduced) {
  const RiskDecision d = Run(Candidate(), Portfolio(D(1000), Dec("60.06")));
  ASSERT_TRUE(d.approved) << d.reason_code;
  EXPECT_EQ(d.size.quantity, Dec("0.6"));
}

TEST_F(RiskChainTest, InsufficientBalanceRejectsOnlyWhenNothingIsAffordable) {
  // 0.0005 / 1.001 / 100 = 0.000004995 < one step of 0.00001.
  const RiskDecision d = Run(Candidate(), Portfolio(D(1000), Dec("0.0005")));
  EXPECT_FALSE(d.approved);
  EXPECT_EQ(d.reason_code, "INSUFFICIENT_BALANCE");
  EXPECT_EQ(Run(Candidate(), Portfolio(D(1000), Decimal())).reason_code, "INSUFFICIENT_BALANCE");
}

TEST_F(RiskChainTest, ReducedSizeBelowMinNotionalIsTooSmall) {
  // 3 free affords 0.02997, worth 2.91 at the stop: below the minimum notional of 5.
  const RiskDecision d = Run(Candidate(), Portfolio(D(1000), D(3)));
  EXPECT_EQ(d.reason_code, "SIZE_TOO_SMALL");
}

TEST_F(RiskChainTest, SizeBelowMinNotionalAtTheStopIsTooSmall) {
  state_ = StateAt("ACTIVE", D(100), D(100));
  symbol_.min_notional = Dec("5.9");
  // Equity 100: 6% = 6 of notional (above 5.9) but 0.06 * 97 = 5.82 at the stop (below).
  const RiskDecision d = Run(Candidate(), Portfolio(D(100), D(100)));
  EXPECT_FALSE(d.approved);
  EXPECT_EQ(d.reason_code, "SIZE_TOO_SMALL");
  EXPECT_EQ(d.size.quantity, Dec("0.06"));
  symbol_.min_notional = Dec("5.82");
  EXPECT_TRUE(Run(Candidate(), Portfolio(D(100), D(100))).approved);
}

TEST_F(RiskChainTest, QuantityBelowMinQtyIsTooSmall) {
  symbol_.min_qty = D(1);
  EXPECT_EQ(Run(Candidate(), Portfolio()).reason_code, "SIZE_TOO_SMALL");
}

TEST_F(RiskChainTest, QuantityRoundedToZeroIsTooSmall) {
  symbol_.step_size = D(1);
  symbol_.min_qty = D(1);
  const RiskDecision d = Run(Candidate(), Portfolio());  // 0.6 -> 0
  EXPECT_EQ(d.reason_code, "SIZE_TOO_SMALL");
}

TEST_F(RiskChainTest, NoEdgeInKellyMode) {
  KellyStats losing;
  for (int i = 0; i < 20; ++i) losing.Add(i % 4 == 0 ? 1.0 : -1.0);  // p = 0.25, b = 1
  const RiskDecision d = Run(Candidate(), Portfolio(), losing);
  EXPECT_FALSE(d.approved);
  EXPECT_EQ(d.reason_code, "NO_EDGE");
  EXPECT_LT(d.size.kelly_fraction, 0);
  EXPECT_TRUE(d.size.quantity.IsZero());

  // The balance check comes before sizing.
  EXPECT_EQ(Run(Candidate(), Portfolio(D(1000), Decimal()), losing).reason_code,
            "INSUFFICIENT_BALANCE");

  settings_.risk.sizing = SizingMode::kFixedFraction;
  EXPECT_TRUE(Run(Candidate(), Portfolio(), losing).approved);
}

TEST_F(RiskChainTest, SymbolFiltersOffSkipTheMinimums) {
  settings_.exchange.apply_symbol_filters = false;
  symbol_.min_notional = D(1000);
  const RiskDecision d = Run(Candidate(), Portfolio());
  EXPECT_TRUE(d.approved) << d.reason_code;
}

}  // namespace
}  // namespace osprey
