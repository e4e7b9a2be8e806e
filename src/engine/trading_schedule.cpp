#include "engine/trading_schedule.hpp"

namespace osprey {

Result<void> ScheduleTrading(Scheduler& scheduler, TradingEngine& engine, const Settings& settings,
                             ScheduleOptions options) {
  auto on_mark = std::move(options.on_mark);
  auto hourly = scheduler.AddTask("hourly", kHourMs, 0, [&engine, on_mark](TimeMs scheduled) {
    const Decimal equity = engine.OnHour(scheduled);
    if (on_mark) on_mark(scheduled, equity);
  });
  if (!hourly) return std::unexpected(hourly.error());
  if (!options.monitor_and_heartbeat) return {};
  auto monitor = scheduler.AddTask("monitor", settings.timing.position_check_seconds * kSecondMs, 0,
                                   [&engine](TimeMs scheduled) { engine.OnMonitor(scheduled); });
  if (!monitor) return std::unexpected(monitor.error());
  auto heartbeat =
      scheduler.AddTask("heartbeat", settings.timing.heartbeat_interval_seconds * kSecondMs, 0,
                        [&engine](TimeMs scheduled) { engine.OnHeartbeat(scheduled); });
  if (!heartbeat) return std::unexpected(heartbeat.error());
  return {};
}

}  // namespace osprey
