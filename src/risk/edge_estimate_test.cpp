// EdgeEstimate: the prior with no trades and its weight with few, NO_EDGE entered by a losing
// streak and left by later (shadow) wins, a window that forgets, shadow trades counting like real
// ones, an exact state round trip, and the R-multiple of a trade record.

#include "risk/edge_estimate.hpp"

#include <gtest/gtest.h>

namespace osprey {
namespace {

EdgeEstimate::Params Params(int window = 50, int prior_trades = 20) {
  EdgeEstimate::Params p;
  p.window = window;
  p.prior_trades = prior_trades;
  p.prior_win_rate = 0.5;
  p.prior_payoff = 1.5;
  return p;
}

TEST(EdgeEstimateTest, NoTradesIsThePrior) {
  const EdgeEstimate e(Params());
  EXPECT_DOUBLE_EQ(e.WinRate(), 0.5);
  EXPECT_DOUBLE_EQ(e.Payoff(), 1.5);
  EXPECT_NEAR(e.KellyFraction(), 1.0 / 6.0, 1e-15);
  EXPECT_FALSE(e.NoEdge());
  EXPECT_EQ(e.Describe(), "prior");
  EXPECT_EQ(e.LastTransition(), EdgeTransition::kNone);
}

TEST(EdgeEstimateTest, SettingsGiveTheParameters) {
  RiskSettings risk;
  risk.edge_window_trades = 3;
  risk.edge_prior_trades = 4;
  risk.kelly_prior_win_rate = 0.25;
  risk.kelly_prior_payoff = 2;
  EdgeEstimate e(risk);
  EXPECT_DOUBLE_EQ(e.WinRate(), 0.25);
  EXPECT_DOUBLE_EQ(e.Payoff(), 2);
  for (int i = 0; i < 5; ++i) e.Add(1.0);
  EXPECT_EQ(e.state().r_multiples.size(), 3U);
  EXPECT_DOUBLE_EQ(e.WinRate(), (1.0 + 3.0) / (4.0 + 3.0));
}

TEST(EdgeEstimateTest, ThePriorDominatesWithFewTrades) {
  EdgeEstimate e(Params());
  // Three straight losses: the raw win rate is 0, the estimate is still 10 / 23.
  for (int i = 0; i < 3; ++i) EXPECT_EQ(e.Add(-1.0), EdgeTransition::kNone);
  EXPECT_DOUBLE_EQ(e.WinRate(), 10.0 / 23.0);
  EXPECT_DOUBLE_EQ(e.Payoff(), 1.5);  // the losses were exactly 1 R, as the prior assumes
  EXPECT_GT(e.KellyFraction(), 0);
  EXPECT_FALSE(e.NoEdge());
  // One win of 10 R moves the average win from 1.5 R only to (15 + 10) / 11.
  e.Add(10.0);
  EXPECT_DOUBLE_EQ(e.Payoff(), 25.0 / 11.0);
}

TEST(EdgeEstimateTest, ALosingStreakEntersNoEdgeAndShadowWinsLeaveIt) {
  EdgeEstimate e(Params());
  // Losses of 1.1 R: after 4, f = 10/24 - (14/24) / ((15/10) / (14.4/14)) > 0; the 5th crosses.
  for (int i = 0; i < 4; ++i) EXPECT_EQ(e.Add(-1.1), EdgeTransition::kNone);
  EXPECT_FALSE(e.NoEdge());
  EXPECT_EQ(e.Add(-1.1), EdgeTransition::kEnteredNoEdge);
  EXPECT_EQ(e.LastTransition(), EdgeTransition::kEnteredNoEdge);
  EXPECT_TRUE(e.NoEdge());
  EXPECT_LT(e.KellyFraction(), 0);
  // Staying in NO_EDGE is no transition.
  EXPECT_EQ(e.Add(-1.1), EdgeTransition::kNone);
  EXPECT_EQ(e.LastTransition(), EdgeTransition::kNone);
  // The refused signals, followed as shadow trades: a loss keeps NO_EDGE, a win of 2 R leaves it.
  EXPECT_EQ(e.Add(-1.0, TradeKind::kShadow), EdgeTransition::kNone);
  EXPECT_TRUE(e.NoEdge());
  EXPECT_EQ(e.Add(2.0, TradeKind::kShadow), EdgeTransition::kNone);
  EXPECT_TRUE(e.NoEdge());
  EXPECT_EQ(e.Add(2.0, TradeKind::kShadow), EdgeTransition::kLeftNoEdge);
  EXPECT_EQ(e.LastTransition(), EdgeTransition::kLeftNoEdge);
  EXPECT_FALSE(e.NoEdge());
  EXPECT_GT(e.KellyFraction(), 0);
  EXPECT_EQ(e.state().real_trades, 6);
  EXPECT_EQ(e.state().shadow_trades, 3);
  EXPECT_EQ(e.Describe(), "9 trades in window, 3 shadow of 9 ever");
}

TEST(EdgeEstimateTest, ShadowTradesCountLikeRealOnes) {
  EdgeEstimate real(Params());
  EdgeEstimate shadow(Params());
  for (double r : {-1.0, 2.0, -1.0, -0.5, 3.0}) {
    real.Add(r, TradeKind::kReal);
    shadow.Add(r, TradeKind::kShadow);
  }
  EXPECT_EQ(real.KellyFraction(), shadow.KellyFraction());
  EXPECT_EQ(real.state().r_multiples, shadow.state().r_multiples);
  EXPECT_EQ(real.state().real_trades, 5);
  EXPECT_EQ(real.state().shadow_trades, 0);
  EXPECT_EQ(shadow.state().real_trades, 0);
  EXPECT_EQ(shadow.state().shadow_trades, 5);
}

TEST(EdgeEstimateTest, TheWindowForgetsOldTrades) {
  EdgeEstimate e(Params(10, 20));
  for (int i = 0; i < 10; ++i) e.Add(-1.0);
  EXPECT_TRUE(e.NoEdge());
  for (int i = 0; i < 10; ++i) e.Add(2.0);
  // Only the ten wins remain: the same estimate as one that never saw the losses.
  EXPECT_EQ(e.state().r_multiples, std::vector<double>(10, 2.0));
  EdgeEstimate fresh(Params(10, 20));
  for (int i = 0; i < 10; ++i) fresh.Add(2.0);
  EXPECT_EQ(e.KellyFraction(), fresh.KellyFraction());
  EXPECT_EQ(e.state().real_trades, 20);  // the counters keep every trade
  EXPECT_FALSE(e.NoEdge());
}

TEST(EdgeEstimateTest, AWinningWindowLosesItsEdgeAsLossesReplaceIt) {
  EdgeEstimate e(Params(10, 20));
  for (int i = 0; i < 10; ++i) e.Add(2.0);
  int adds = 0;
  while (!e.NoEdge() && adds < 10) {
    e.Add(-1.0);
    ++adds;
  }
  EXPECT_TRUE(e.NoEdge());
  EXPECT_EQ(e.LastTransition(), EdgeTransition::kEnteredNoEdge);
  EXPECT_LE(adds, 10);
}

TEST(EdgeEstimateTest, TheStateRoundTripsExactly) {
  EdgeEstimate e(Params(5, 20));
  for (double r : {0.1, -1.0, 2.5, -0.3333333333333333, 1e-9, -1.05, 4.0}) e.Add(r);
  e.Add(1.7, TradeKind::kShadow);
  const EdgeState saved = e.state();
  ASSERT_EQ(saved.r_multiples.size(), 5U);

  EdgeEstimate restored(Params(5, 20));
  restored.Restore(saved);
  EXPECT_EQ(restored.state(), saved);
  EXPECT_EQ(restored.KellyFraction(), e.KellyFraction());
  EXPECT_EQ(restored.LastTransition(), EdgeTransition::kNone);
  // Both go on identically.
  EXPECT_EQ(restored.Add(-2.0), e.Add(-2.0));
  EXPECT_EQ(restored.state(), e.state());
}

TEST(EdgeEstimateTest, RestoringMoreThanTheWindowKeepsTheNewest) {
  EdgeEstimate e(Params(3, 20));
  e.Restore(EdgeState{{1.0, 2.0, 3.0, 4.0, 5.0}, 4, 1});
  EXPECT_EQ(e.state().r_multiples, (std::vector<double>{3.0, 4.0, 5.0}));
  EXPECT_EQ(e.state().real_trades, 4);
  EXPECT_EQ(e.state().shadow_trades, 1);
}

TradeRecord Closed(Decimal entry, Decimal stop, Decimal quantity, Decimal fee, Decimal pnl) {
  TradeRecord r;
  r.entry_price = entry;
  r.stop_loss = stop;
  r.quantity = quantity;
  r.entry_fee = fee;
  r.pnl = pnl;
  return r;
}

TEST(RMultipleTest, IsPnlOverTheRiskToTheInitialStopPlusTheEntryFee) {
  // 2 units from 100 to a stop of 97 risk 6, plus 0.2 of entry fee: 6.2 is one R.
  const Decimal two = Decimal::FromInt(2);
  auto loss = RMultiple(Closed(Dec("100"), Dec("97"), two, Dec("0.2"), Dec("-6.2")));
  ASSERT_TRUE(loss.has_value());
  EXPECT_DOUBLE_EQ(*loss, -1.0);
  auto win = RMultiple(Closed(Dec("100"), Dec("97"), two, Dec("0.2"), Dec("12.4")));
  ASSERT_TRUE(win.has_value());
  EXPECT_DOUBLE_EQ(*win, 2.0);
}

TEST(RMultipleTest, NoRiskMeansNoRMultiple) {
  const Decimal two = Decimal::FromInt(2);
  EXPECT_FALSE(RMultiple(Closed(Dec("100"), Dec("100"), two, Dec("0.2"), Dec("1"))).has_value());
  EXPECT_FALSE(RMultiple(Closed(Dec("100"), Dec("101"), two, Dec("0.2"), Dec("1"))).has_value());
  EXPECT_FALSE(
      RMultiple(Closed(Dec("100"), Dec("97"), Decimal(), Dec("0.2"), Dec("1"))).has_value());
}

}  // namespace
}  // namespace osprey

namespace osprey {
namespace {

TEST(EdgeStateText, RoundTripsBitForBit) {
  EdgeState s;
  s.real_trades = 123;
  s.shadow_trades = 7;
  s.r_multiples = {-1.0, 0.1 + 0.2, 2.5e-300, -0.9999999999999999, 1.6180339887498949};
  auto back = DecodeEdgeState(EncodeEdgeState(s));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, s);
  auto empty = DecodeEdgeState(EncodeEdgeState(EdgeState{}));
  ASSERT_TRUE(empty);
  EXPECT_EQ(*empty, EdgeState{});
}

TEST(EdgeStateText, GarbageIsAParseErrorNamingIt) {
  for (const char* text : {"", "1 2", "x 2;1", "1 -2;1", "1 2;1 nan", "1 2;1  2", "1 2;inf"}) {
    auto r = DecodeEdgeState(text);
    ASSERT_FALSE(r) << text;
    EXPECT_EQ(r.error().code, ErrorCode::kParse) << text;
    EXPECT_NE(r.error().message.find("edge state"), std::string::npos);
  }
}

}  // namespace
}  // namespace osprey
