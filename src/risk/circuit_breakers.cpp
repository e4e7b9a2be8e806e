#include "risk/circuit_breakers.hpp"

namespace osprey {
namespace {
const Decimal kHundred = Decimal::FromInt(100);
}

CircuitBreakers::CircuitBreakers(const CircuitBreakerSettings& settings, Decimal starting_equity,
                                 TimeMs now)
    : settings_(settings) {
  state_.day_start = DayStart(now, settings_.day_start_offset_minutes * kMinuteMs);
  state_.day_start_equity = starting_equity;
  state_.equity_peak = starting_equity;
  state_.updated = now;
}

void CircuitBreakers::SetStatus(Status status) {
  status_ = status;
  switch (status) {
    case Status::kActive: state_.status = "ACTIVE"; break;
    case Status::kReducing: state_.status = "REDUCING"; break;
    case Status::kHalted: state_.status = "HALTED"; break;
  }
}

void CircuitBreakers::Restore(const RiskState& state) {
  state_ = state;
  if (state.status == "ACTIVE") {
    SetStatus(Status::kActive);
  } else if (state.status == "REDUCING") {
    SetStatus(Status::kReducing);
  } else {
    if (state.status != "HALTED") {
      state_.halt_reason = "UNKNOWN_STATUS";
      state_.halted_until = 0;
    }
    SetStatus(Status::kHalted);
  }
}

Decimal CircuitBreakers::SizeFactor() const {
  return Reducing() ? settings_.reducing_size_factor : Decimal::FromInt(1);
}

Decimal CircuitBreakers::DayLoss(Decimal equity) const {
  return Max(Decimal(), state_.day_start_equity - equity);
}

Decimal CircuitBreakers::DayLossPercent(Decimal equity) const {
  if (!state_.day_start_equity.IsPositive()) return Decimal();
  return Decimal::Div(Decimal::Mul(DayLoss(equity), kHundred), state_.day_start_equity);
}

Decimal CircuitBreakers::DrawdownPercent(Decimal equity) const {
  if (!state_.equity_peak.IsPositive() || equity >= state_.equity_peak) return Decimal();
  return Decimal::Div(Decimal::Mul(state_.equity_peak - equity, kHundred), state_.equity_peak);
}

void CircuitBreakers::Halt(TimeMs now, const std::string& reason, TimeMs until) {
  SetStatus(Status::kHalted);
  state_.halt_reason = reason;
  state_.halted_until = until;
  state_.updated = now;
}

bool CircuitBreakers::OnEquity(TimeMs now, Decimal equity) {
  // Called every hour of every backtest: compare cheap fields instead of copying the state.
  bool changed = false;
  const TimeMs day = DayStart(now, settings_.day_start_offset_minutes * kMinuteMs);
  if (day != state_.day_start) {
    state_.day_start = day;
    state_.day_start_equity = equity;
    state_.day_realized_loss = Decimal();
    changed = true;
  }
  // A timed pause ends; a drawdown halt (halted_until == 0) waits for a person.
  if (Halted() && state_.halted_until != 0 && now >= state_.halted_until) {
    if (state_.halt_reason == "CONSECUTIVE_LOSSES") state_.consecutive_losses = 0;
    SetStatus(Status::kActive);
    state_.halt_reason.clear();
    state_.halted_until = 0;
    changed = true;
  }
  if (equity > state_.equity_peak) {
    state_.equity_peak = equity;
    changed = true;
  }
  const bool watch_drawdown = settings_.max_drawdown_percent.IsPositive() ||
                              settings_.reducing_drawdown_percent.IsPositive();
  const Decimal dd = watch_drawdown ? DrawdownPercent(equity) : Decimal();
  const bool drawdown_tripped =
      settings_.max_drawdown_percent.IsPositive() && dd >= settings_.max_drawdown_percent;
  if (drawdown_tripped && state_.halt_reason != "MAX_DRAWDOWN") {
    // The drawdown halt outranks a timed pause: it needs a person.
    Halt(now, "MAX_DRAWDOWN", 0);
    changed = true;
  } else if (!Halted()) {
    if (settings_.daily_max_loss.IsPositive() && DayLoss(equity) >= settings_.daily_max_loss) {
      Halt(now, "DAILY_LOSS", day + kDayMs);
      changed = true;
    } else if (settings_.daily_max_loss_percent.IsPositive() &&
               DayLossPercent(equity) >= settings_.daily_max_loss_percent) {
      Halt(now, "DAILY_LOSS_PERCENT", day + kDayMs);
      changed = true;
    } else if (settings_.reducing_drawdown_percent.IsPositive() &&
               dd >= settings_.reducing_drawdown_percent) {
      if (!Reducing()) {
        SetStatus(Status::kReducing);
        changed = true;
      }
    } else if (status_ != Status::kActive) {
      SetStatus(Status::kActive);
      changed = true;
    }
  }
  if (changed) state_.updated = now;
  return changed;
}

bool CircuitBreakers::OnTradeClosed(TimeMs now, Decimal pnl) {
  state_.updated = now;
  if (pnl.IsPositive()) {
    state_.consecutive_losses = 0;
    return true;
  }
  ++state_.consecutive_losses;
  state_.day_realized_loss += -pnl;
  const TimeMs pause_end = now + settings_.consecutive_loss_pause_hours * kHourMs;
  // A shorter timed pause already in force (a daily-loss halt ending at the next day start) must
  // not swallow this one: the later end wins. A drawdown halt (halted_until 0) stays as it is.
  if (settings_.max_consecutive_losses > 0 &&
      state_.consecutive_losses >= settings_.max_consecutive_losses &&
      (!Halted() || (state_.halted_until != 0 && state_.halted_until < pause_end))) {
    Halt(now, "CONSECUTIVE_LOSSES", pause_end);
  }
  return true;
}

void CircuitBreakers::Reset(TimeMs now, Decimal equity) {
  SetStatus(Status::kActive);
  state_.halt_reason.clear();
  state_.halted_until = 0;
  state_.consecutive_losses = 0;
  state_.equity_peak = equity;
  state_.day_start = DayStart(now, settings_.day_start_offset_minutes * kMinuteMs);
  state_.day_start_equity = equity;
  state_.day_realized_loss = Decimal();
  state_.updated = now;
}

}  // namespace osprey
