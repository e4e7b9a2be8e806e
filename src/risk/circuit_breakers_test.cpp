// CircuitBreakers: each breaker trips, pauses and resumes as documented in circuit_breakers.hpp;
// a limit of 0 switches a breaker off; a restored state keeps a tripped breaker tripped.

#include "risk/circuit_breakers.hpp"

#include <gtest/gtest.h>

namespace osprey {
namespace {

// 2024-03-10T00:00Z, a day boundary without offset.
const TimeMs kDay0 = DaysFromCivil(2024, 3, 10) * kDayMs;
const TimeMs kNoon = kDay0 + 12 * kHourMs;

Decimal D(std::int64_t v) { return Decimal::FromInt(v); }

// Only the breaker under test switched on.
CircuitBreakerSettings AllOff() {
  CircuitBreakerSettings s;
  s.max_consecutive_losses = 0;
  s.daily_max_loss = Decimal();
  s.daily_max_loss_percent = Decimal();
  s.max_drawdown_percent = Decimal();
  s.reducing_drawdown_percent = Decimal();
  return s;
}

TEST(CircuitBreakersTest, StartsActiveWithPeakAndDayAtStartingEquity) {
  CircuitBreakers cb(CircuitBreakerSettings{}, D(1000), kNoon);
  EXPECT_EQ(cb.state().status, "ACTIVE");
  EXPECT_FALSE(cb.Halted());
  EXPECT_EQ(cb.state().day_start, kDay0);
  EXPECT_EQ(cb.state().day_start_equity, D(1000));
  EXPECT_EQ(cb.state().equity_peak, D(1000));
  EXPECT_EQ(cb.SizeFactor(), D(1));
}

TEST(CircuitBreakersTest, ThreeConsecutiveLossesHaltUntilThePauseEnds) {
  CircuitBreakers cb(CircuitBreakerSettings{}, D(1000), kNoon);
  EXPECT_TRUE(cb.OnTradeClosed(kNoon + 1 * kMinuteMs, Dec("-5")));
  EXPECT_TRUE(cb.OnTradeClosed(kNoon + 2 * kMinuteMs, Dec("-5")));
  EXPECT_FALSE(cb.Halted());
  EXPECT_EQ(cb.state().consecutive_losses, 2);

  const TimeMs third = kNoon + 3 * kMinuteMs;
  EXPECT_TRUE(cb.OnTradeClosed(third, Dec("-5")));
  EXPECT_TRUE(cb.Halted());
  EXPECT_EQ(cb.state().halt_reason, "CONSECUTIVE_LOSSES");
  EXPECT_EQ(cb.state().halted_until, third + 24 * kHourMs);
  EXPECT_EQ(cb.state().day_realized_loss, D(15));

  // One millisecond before the pause ends: still halted (the day rolled meanwhile).
  cb.OnEquity(third + 24 * kHourMs - 1, D(1000));
  EXPECT_TRUE(cb.Halted());
  EXPECT_EQ(cb.state().halt_reason, "CONSECUTIVE_LOSSES");

  EXPECT_TRUE(cb.OnEquity(third + 24 * kHourMs, D(1000)));
  EXPECT_FALSE(cb.Halted());
  EXPECT_EQ(cb.state().status, "ACTIVE");
  EXPECT_TRUE(cb.state().halt_reason.empty());
  EXPECT_EQ(cb.state().halted_until, 0);
  EXPECT_EQ(cb.state().consecutive_losses, 0);
}

TEST(CircuitBreakersTest, WinResetsTheLossCount) {
  CircuitBreakers cb(CircuitBreakerSettings{}, D(1000), kNoon);
  cb.OnTradeClosed(kNoon, Dec("-5"));
  cb.OnTradeClosed(kNoon, Dec("-5"));
  EXPECT_TRUE(cb.OnTradeClosed(kNoon, Dec("0.01")));
  EXPECT_EQ(cb.state().consecutive_losses, 0);
  cb.OnTradeClosed(kNoon, Dec("-5"));
  cb.OnTradeClosed(kNoon, Dec("-5"));
  EXPECT_FALSE(cb.Halted());
  EXPECT_EQ(cb.state().consecutive_losses, 2);
}

TEST(CircuitBreakersTest, BreakEvenTradeCountsAsALoss) {
  CircuitBreakers cb(CircuitBreakerSettings{}, D(1000), kNoon);
  cb.OnTradeClosed(kNoon, Dec("-5"));
  cb.OnTradeClosed(kNoon, Dec("-5"));
  cb.OnTradeClosed(kNoon, Decimal());
  EXPECT_TRUE(cb.Halted());
  EXPECT_EQ(cb.state().halt_reason, "CONSECUTIVE_LOSSES");
}

TEST(CircuitBreakersTest, ThirdLossDuringAShorterDailyHaltStillPausesAfterIt) {
  // Daily loss halts until midnight; the third loss in a row closes at 23:00 the same day. The
  // consecutive-loss pause (24h from that loss) must not be skipped when the daily halt lifts.
  CircuitBreakers cb(CircuitBreakerSettings{}, D(1000), kNoon);
  cb.OnTradeClosed(kNoon, Dec("-30"));
  cb.OnTradeClosed(kNoon, Dec("-30"));
  cb.OnEquity(kNoon + kHourMs, D(890));
  ASSERT_EQ(cb.state().halt_reason, "DAILY_LOSS");
  ASSERT_EQ(cb.state().halted_until, kDay0 + kDayMs);
  const TimeMs third = kDay0 + 23 * kHourMs;
  cb.OnTradeClosed(third, Dec("-30"));
  cb.OnEquity(kDay0 + kDayMs, D(890));  // the next day starts
  EXPECT_TRUE(cb.Halted());
  EXPECT_EQ(cb.state().halt_reason, "CONSECUTIVE_LOSSES");
  EXPECT_EQ(cb.state().halted_until, third + 24 * kHourMs);
  cb.OnEquity(third + 24 * kHourMs, D(890));
  EXPECT_FALSE(cb.Halted());
  EXPECT_EQ(cb.state().consecutive_losses, 0);
}

TEST(CircuitBreakersTest, DailyLossInCurrencyHaltsUntilTheNextDay) {
  CircuitBreakerSettings s = AllOff();
  s.daily_max_loss = D(100);
  CircuitBreakers cb(s, D(5000), kNoon);
  EXPECT_FALSE(cb.OnEquity(kNoon + kHourMs, D(4901)));
  EXPECT_FALSE(cb.Halted());
  EXPECT_EQ(cb.DayLoss(D(4901)), D(99));

  EXPECT_TRUE(cb.OnEquity(kNoon + 2 * kHourMs, D(4900)));
  EXPECT_TRUE(cb.Halted());
  EXPECT_EQ(cb.state().halt_reason, "DAILY_LOSS");
  EXPECT_EQ(cb.state().halted_until, kDay0 + kDayMs);

  // Recovering within the day does not lift it.
  cb.OnEquity(kDay0 + kDayMs - 1, D(5000));
  EXPECT_TRUE(cb.Halted());

  // The next day's first mark lifts it and restarts the day's counters at that equity.
  EXPECT_TRUE(cb.OnEquity(kDay0 + kDayMs + 5 * kMinuteMs, D(4900)));
  EXPECT_FALSE(cb.Halted());
  EXPECT_EQ(cb.state().status, "ACTIVE");
  EXPECT_EQ(cb.state().day_start, kDay0 + kDayMs);
  EXPECT_EQ(cb.state().day_start_equity, D(4900));
  EXPECT_EQ(cb.state().day_realized_loss, Decimal());
  EXPECT_EQ(cb.DayLoss(D(4900)), Decimal());
}

TEST(CircuitBreakersTest, DailyLossPercentIsOfTheDaysStartingEquity) {
  CircuitBreakerSettings s = AllOff();
  s.daily_max_loss_percent = D(10);
  CircuitBreakers cb(s, D(2000), kNoon);
  // Day 1 loses 5%; day 2 starts at 1900.
  cb.OnEquity(kNoon + kHourMs, D(1900));
  EXPECT_FALSE(cb.Halted());
  const TimeMs day2 = kDay0 + kDayMs;
  cb.OnEquity(day2 + kHourMs, D(1900));
  EXPECT_EQ(cb.state().day_start_equity, D(1900));
  // 189 of 1900 is 9.947%: not yet (it would be 14.45% of the first day's 2000).
  EXPECT_FALSE(cb.OnEquity(day2 + 2 * kHourMs, D(1711)));
  EXPECT_FALSE(cb.Halted());
  EXPECT_TRUE(cb.OnEquity(day2 + 3 * kHourMs, D(1710)));
  EXPECT_TRUE(cb.Halted());
  EXPECT_EQ(cb.state().halt_reason, "DAILY_LOSS_PERCENT");
  EXPECT_EQ(cb.state().halted_until, day2 + kDayMs);
  EXPECT_EQ(cb.DayLossPercent(D(1710)), D(10));

  EXPECT_TRUE(cb.OnEquity(day2 + kDayMs, D(1710)));
  EXPECT_FALSE(cb.Halted());
  EXPECT_EQ(cb.state().day_start_equity, D(1710));
}

TEST(CircuitBreakersTest, DayStartOffsetMovesTheDailyBoundary) {
  CircuitBreakerSettings s = AllOff();
  s.daily_max_loss = D(100);
  s.day_start_offset_minutes = 120;  // the trading day starts at 02:00 UTC
  const TimeMs one_am = kDay0 + kHourMs;
  CircuitBreakers cb(s, D(1000), one_am);
  EXPECT_EQ(cb.state().day_start, kDay0 - kDayMs + 2 * kHourMs);
  cb.OnEquity(one_am + kMinuteMs, D(850));
  ASSERT_TRUE(cb.Halted());
  EXPECT_EQ(cb.state().halted_until, kDay0 + 2 * kHourMs);

  // Midnight UTC is not a new trading day here.
  EXPECT_FALSE(cb.OnEquity(kDay0 + 2 * kHourMs - 1, D(850)));
  EXPECT_TRUE(cb.Halted());
  EXPECT_TRUE(cb.OnEquity(kDay0 + 2 * kHourMs, D(850)));
  EXPECT_FALSE(cb.Halted());
  EXPECT_EQ(cb.state().day_start, kDay0 + 2 * kHourMs);
  EXPECT_EQ(cb.state().day_start_equity, D(850));
}

TEST(CircuitBreakersTest, DrawdownAtTheMaximumHaltsUntilManualReset) {
  CircuitBreakerSettings s = AllOff();
  s.max_drawdown_percent = D(15);
  CircuitBreakers cb(s, D(1000), kNoon);
  EXPECT_TRUE(cb.OnEquity(kNoon + kHourMs, D(1200)));  // new peak
  EXPECT_EQ(cb.state().equity_peak, D(1200));
  cb.OnEquity(kNoon + 2 * kHourMs, D(1021));  // 14.92%
  EXPECT_FALSE(cb.Halted());
  EXPECT_TRUE(cb.OnEquity(kNoon + 3 * kHourMs, D(1020)));  // exactly 15%
  EXPECT_TRUE(cb.Halted());
  EXPECT_EQ(cb.state().halt_reason, "MAX_DRAWDOWN");
  EXPECT_EQ(cb.state().halted_until, 0);

  // Days later, recovered and even above the old peak: still halted.
  for (int day = 1; day <= 5; ++day) {
    cb.OnEquity(kNoon + day * kDayMs, D(1020));
    EXPECT_TRUE(cb.Halted()) << "day " << day;
  }
  cb.OnEquity(kNoon + 6 * kDayMs, D(1300));
  EXPECT_TRUE(cb.Halted());
  EXPECT_EQ(cb.state().halt_reason, "MAX_DRAWDOWN");

  cb.OnTradeClosed(kNoon + 6 * kDayMs, Dec("-1"));
  const TimeMs reset_at = kNoon + 7 * kDayMs;
  cb.Reset(reset_at, D(1000));
  EXPECT_FALSE(cb.Halted());
  EXPECT_EQ(cb.state().status, "ACTIVE");
  EXPECT_TRUE(cb.state().halt_reason.empty());
  EXPECT_EQ(cb.state().consecutive_losses, 0);
  EXPECT_EQ(cb.state().equity_peak, D(1000));
  EXPECT_EQ(cb.state().day_start_equity, D(1000));
  EXPECT_EQ(cb.state().day_start, kDay0 + 7 * kDayMs);
  // The peak restarted at 1000: 1000 is no drawdown now.
  EXPECT_FALSE(cb.OnEquity(reset_at + kHourMs, D(1000)));
  EXPECT_FALSE(cb.Halted());
}

TEST(CircuitBreakersTest, DrawdownHaltOverridesAConsecutiveLossPause) {
  CircuitBreakers cb(CircuitBreakerSettings{}, D(1000), kNoon);
  for (int i = 0; i < 3; ++i) cb.OnTradeClosed(kNoon, Dec("-1"));
  ASSERT_EQ(cb.state().halt_reason, "CONSECUTIVE_LOSSES");
  ASSERT_NE(cb.state().halted_until, 0);
  EXPECT_TRUE(cb.OnEquity(kNoon + kHourMs, D(850)));
  EXPECT_EQ(cb.state().halt_reason, "MAX_DRAWDOWN");
  EXPECT_EQ(cb.state().halted_until, 0);
  // The pause would have ended here; the drawdown halt does not.
  cb.OnEquity(kNoon + 2 * kDayMs, D(1000));
  EXPECT_TRUE(cb.Halted());
  EXPECT_EQ(cb.state().halt_reason, "MAX_DRAWDOWN");
}

TEST(CircuitBreakersTest, DrawdownHaltOverridesADailyLossPause) {
  CircuitBreakers cb(CircuitBreakerSettings{}, D(1000), kNoon);
  cb.OnEquity(kNoon + kHourMs, D(900));  // 100 lost today: DAILY_LOSS
  ASSERT_EQ(cb.state().halt_reason, "DAILY_LOSS");
  EXPECT_TRUE(cb.OnEquity(kNoon + 2 * kHourMs, D(850)));
  EXPECT_EQ(cb.state().halt_reason, "MAX_DRAWDOWN");
  EXPECT_EQ(cb.state().halted_until, 0);
  cb.OnEquity(kDay0 + kDayMs, D(850));  // the daily pause would lift here
  EXPECT_TRUE(cb.Halted());
  EXPECT_EQ(cb.state().halt_reason, "MAX_DRAWDOWN");
}

TEST(CircuitBreakersTest, ReducingBetweenReducingAndMaximumDrawdown) {
  CircuitBreakerSettings s = AllOff();
  s.max_drawdown_percent = D(15);
  s.reducing_drawdown_percent = D(10);
  CircuitBreakers cb(s, D(1000), kNoon);
  cb.OnEquity(kNoon + kHourMs, D(901));  // 9.9%
  EXPECT_EQ(cb.state().status, "ACTIVE");
  EXPECT_EQ(cb.SizeFactor(), D(1));

  EXPECT_TRUE(cb.OnEquity(kNoon + 2 * kHourMs, D(900)));  // 10%
  EXPECT_TRUE(cb.Reducing());
  EXPECT_FALSE(cb.Halted());
  EXPECT_EQ(cb.SizeFactor(), Dec("0.5"));
  cb.OnEquity(kNoon + 3 * kHourMs, D(851));  // 14.9%
  EXPECT_TRUE(cb.Reducing());

  EXPECT_TRUE(cb.OnEquity(kNoon + 4 * kHourMs, D(901)));  // recovered below 10%
  EXPECT_EQ(cb.state().status, "ACTIVE");
  EXPECT_EQ(cb.SizeFactor(), D(1));
}

TEST(CircuitBreakersTest, ZeroConsecutiveLossLimitNeverPauses) {
  CircuitBreakerSettings s;
  s.max_consecutive_losses = 0;
  CircuitBreakers cb(s, D(1000), kNoon);
  for (int i = 0; i < 10; ++i) cb.OnTradeClosed(kNoon, Dec("-1"));
  EXPECT_FALSE(cb.Halted());
  EXPECT_EQ(cb.state().consecutive_losses, 10);
}

TEST(CircuitBreakersTest, ZeroDailyCurrencyLimitLeavesThePercentLimit) {
  CircuitBreakerSettings s = AllOff();
  s.daily_max_loss_percent = D(10);
  CircuitBreakers cb(s, D(10000), kNoon);
  cb.OnEquity(kNoon + kHourMs, D(9001));  // lost 999 (9.99%): far above a currency limit of 100
  EXPECT_FALSE(cb.Halted());
  cb.OnEquity(kNoon + 2 * kHourMs, D(9000));
  EXPECT_EQ(cb.state().halt_reason, "DAILY_LOSS_PERCENT");
}

TEST(CircuitBreakersTest, ZeroDailyPercentLimitLeavesTheCurrencyLimit) {
  CircuitBreakerSettings s = AllOff();
  s.daily_max_loss = D(100);
  CircuitBreakers cb(s, D(500), kNoon);
  cb.OnEquity(kNoon + kHourMs, D(401));  // 19.8%
  EXPECT_FALSE(cb.Halted());
  cb.OnEquity(kNoon + 2 * kHourMs, D(400));
  EXPECT_EQ(cb.state().halt_reason, "DAILY_LOSS");
}

TEST(CircuitBreakersTest, ZeroDrawdownLimitNeverHaltsButStillReduces) {
  CircuitBreakerSettings s = AllOff();
  s.reducing_drawdown_percent = D(10);
  CircuitBreakers cb(s, D(1000), kNoon);
  cb.OnEquity(kNoon + kHourMs, D(100));  // 90% drawdown
  EXPECT_FALSE(cb.Halted());
  EXPECT_TRUE(cb.Reducing());
}

TEST(CircuitBreakersTest, ZeroReducingLevelNeverReduces) {
  CircuitBreakerSettings s = AllOff();
  s.max_drawdown_percent = D(15);
  CircuitBreakers cb(s, D(1000), kNoon);
  cb.OnEquity(kNoon + kHourMs, D(851));
  EXPECT_EQ(cb.state().status, "ACTIVE");
  EXPECT_EQ(cb.SizeFactor(), D(1));
}

TEST(CircuitBreakersTest, AllLimitsZeroNothingTrips) {
  CircuitBreakers cb(AllOff(), D(1000), kNoon);
  for (int i = 0; i < 5; ++i) cb.OnTradeClosed(kNoon, Dec("-100"));
  cb.OnEquity(kNoon + kHourMs, D(1));
  EXPECT_EQ(cb.state().status, "ACTIVE");
}

TEST(CircuitBreakersTest, RestoredDrawdownHaltSurvivesARestart) {
  CircuitBreakers before(CircuitBreakerSettings{}, D(1000), kNoon);
  before.OnEquity(kNoon + kHourMs, D(800));
  ASSERT_EQ(before.state().halt_reason, "MAX_DRAWDOWN");
  const RiskState saved = before.state();

  // The restarted process builds fresh breakers at the current equity, then restores.
  const TimeMs restart = kNoon + 3 * kDayMs;
  CircuitBreakers after(CircuitBreakerSettings{}, D(800), restart);
  ASSERT_FALSE(after.Halted());
  after.Restore(saved);
  EXPECT_TRUE(after.Halted());
  EXPECT_EQ(after.state().halt_reason, "MAX_DRAWDOWN");
  EXPECT_EQ(after.state().equity_peak, D(1000));
  after.OnEquity(restart + kHourMs, D(800));
  EXPECT_TRUE(after.Halted());
  EXPECT_EQ(after.state().halt_reason, "MAX_DRAWDOWN");
}

TEST(CircuitBreakersTest, RestoredTimedPauseLastsUntilItsEnd) {
  CircuitBreakers before(CircuitBreakerSettings{}, D(1000), kNoon);
  for (int i = 0; i < 3; ++i) before.OnTradeClosed(kNoon, Dec("-1"));
  const RiskState saved = before.state();
  ASSERT_EQ(saved.halted_until, kNoon + 24 * kHourMs);

  CircuitBreakers after(CircuitBreakerSettings{}, D(1000), kNoon + kHourMs);
  after.Restore(saved);
  EXPECT_EQ(after.state().consecutive_losses, 3);
  after.OnEquity(kNoon + 2 * kHourMs, D(1000));
  EXPECT_TRUE(after.Halted());
  EXPECT_EQ(after.state().halt_reason, "CONSECUTIVE_LOSSES");
  EXPECT_TRUE(after.OnEquity(kNoon + 24 * kHourMs, D(1000)));
  EXPECT_FALSE(after.Halted());
}

TEST(CircuitBreakersTest, OnEquityReportsExactlyWhenTheStateChanged) {
  CircuitBreakers cb(CircuitBreakerSettings{}, D(1000), kNoon);
  EXPECT_FALSE(cb.OnEquity(kNoon, D(1000)));             // nothing new
  EXPECT_FALSE(cb.OnEquity(kNoon + kMinuteMs, D(990)));  // small loss, no breaker
  EXPECT_EQ(cb.state().updated, kNoon);
  EXPECT_TRUE(cb.OnEquity(kNoon + 2 * kMinuteMs, D(1010)));  // new peak
  EXPECT_EQ(cb.state().updated, kNoon + 2 * kMinuteMs);
  EXPECT_FALSE(cb.OnEquity(kNoon + 3 * kMinuteMs, D(1010)));  // same peak
  EXPECT_TRUE(cb.OnEquity(kDay0 + kDayMs, D(1010)));          // a new trading day
  EXPECT_FALSE(cb.OnEquity(kDay0 + kDayMs + kHourMs, D(1000)));

  // Into REDUCING (10.9% from 1010, 9.1% lost today: no daily breaker) and staying there.
  CircuitBreakerSettings s = AllOff();
  s.max_drawdown_percent = D(15);
  s.reducing_drawdown_percent = D(10);
  CircuitBreakers r(s, D(1000), kNoon);
  EXPECT_TRUE(r.OnEquity(kNoon + kHourMs, D(890)));
  EXPECT_FALSE(r.OnEquity(kNoon + 2 * kHourMs, D(880)));
  EXPECT_TRUE(r.Reducing());
  EXPECT_TRUE(r.OnEquity(kNoon + 3 * kHourMs, D(850)));  // HALTED
  EXPECT_FALSE(r.OnEquity(kNoon + 4 * kHourMs, D(850)));
  EXPECT_FALSE(r.OnEquity(kNoon + 5 * kHourMs, D(990)));  // recovery alone changes nothing
  EXPECT_TRUE(r.Halted());
}

}  // namespace
}  // namespace osprey
