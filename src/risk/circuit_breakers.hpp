#pragma once
// CircuitBreakers: the spec's four breakers and the ACTIVE / REDUCING / HALTED risk status.
//
// What trips, what it pauses, how trading resumes (new entries only are paused: open positions
// keep their stop-loss and take-profit orders, which is the safe state):
// - MAX_CONSECUTIVE_LOSSES closed losing trades in a row (pnl <= 0): HALTED for
//   consecutive_loss_pause_hours; then ACTIVE again with the loss counter reset to 0.
// - Daily loss, in account currency (DAILY_MAX_LOSS) or percent of the day's starting equity
//   (DAILY_MAX_LOSS_PERCENT), measured mark-to-market (day_start_equity - equity): HALTED until
//   the next trading day starts (00:00 UTC + day_start_offset_minutes), when the day's counters
//   reset.
// - Drawdown from the equity peak >= MAX_DRAWDOWN_PERCENT: HALTED until a person resets it
//   (`osprey risk reset`), which also restarts the peak at the current equity. A drawdown at or
//   above reducing_drawdown_percent (but below the maximum) sets REDUCING: new positions are sized
//   down by reducing_size_factor until the drawdown recovers below that level.
// A limit of 0 switches that breaker off. The whole state is a RiskState, saved by the caller
// whenever a method returns true, and restored at start-up: a restart never resets a breaker.
// Not thread-safe; owned by the engine.

#include "config/settings.hpp"
#include "core/time.hpp"
#include "risk/risk_state.hpp"

namespace osprey {

class CircuitBreakers {
 public:
  CircuitBreakers(const CircuitBreakerSettings& settings, Decimal starting_equity, TimeMs now);

  // Replaces the state with one loaded from the store. A status other than ACTIVE, REDUCING or
  // HALTED (a damaged store) is taken as HALTED: the safe reading.
  void Restore(const RiskState& state);
  const RiskState& state() const { return state_; }

  // At every equity mark: rolls the trading day, lifts an expired pause, updates the peak, and
  // trips the daily-loss and drawdown breakers. Returns true when the state changed.
  bool OnEquity(TimeMs now, Decimal equity);
  // When a trade closes with `pnl`: counts consecutive losses and the day's realized loss.
  bool OnTradeClosed(TimeMs now, Decimal pnl);
  // Manual reset after review: ACTIVE, counters cleared, peak restarted at `equity`.
  void Reset(TimeMs now, Decimal equity);

  bool Halted() const { return status_ == Status::kHalted; }
  bool Reducing() const { return status_ == Status::kReducing; }
  // Multiplier for new position sizes (1, or reducing_size_factor while REDUCING).
  Decimal SizeFactor() const;
  // Current loss of the day (>= 0) and its percent of the day's starting equity.
  Decimal DayLoss(Decimal equity) const;
  Decimal DayLossPercent(Decimal equity) const;
  Decimal DrawdownPercent(Decimal equity) const;
  const CircuitBreakerSettings& settings() const { return settings_; }

 private:
  enum class Status { kActive, kReducing, kHalted };
  void Halt(TimeMs now, const std::string& reason, TimeMs until);
  // Sets status_ and its persisted name in state_.status together.
  void SetStatus(Status status);
  CircuitBreakerSettings settings_;
  RiskState state_;
  Status status_ = Status::kActive;  // mirrors state_.status, without string compares
};

}  // namespace osprey
