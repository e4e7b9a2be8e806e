#pragma once
// ScheduleTrading: registers the engine's timers on a Scheduler, the same way for backtest and
// live, so the hourly order exists once:
//   "hourly"    period 1 h, phase 0: TradingEngine::OnHour (candle hook, position monitor,
//               analysis cycle, equity mark), then `on_mark` with the scheduled time and equity;
//   "monitor"   period timing.position_check_seconds (live only): applies the exchange's
//               execution reports between hours (TradingEngine::OnMonitor);
//   "heartbeat" period timing.heartbeat_interval_seconds (live only): TradingEngine::OnHeartbeat.
// A backtest registers only "hourly": the simulated exchange changes nothing between candles.
// Errors: the scheduler refused a task (kInvalidArgument naming it).

#include <functional>

#include "config/settings.hpp"
#include "core/scheduler.hpp"
#include "engine/trading_engine.hpp"

namespace osprey {

struct ScheduleOptions {
  bool monitor_and_heartbeat = false;  // live: also the minute monitor and the heartbeat
  std::function<void(TimeMs scheduled, Decimal equity)> on_mark;  // optional
};

[[nodiscard]] Result<void> ScheduleTrading(Scheduler& scheduler, TradingEngine& engine,
                                           const Settings& settings, ScheduleOptions options);

}  // namespace osprey
