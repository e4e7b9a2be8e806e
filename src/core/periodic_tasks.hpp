#pragma once
// PeriodicTasks: the task table shared by every Scheduler implementation, so that the slot
// arithmetic, the order of runs and the overrun rule of core/scheduler.hpp are written once and
// behave the same in a backtest and live. It never reads a clock: the scheduler passes `now`.
// Not thread-safe: the scheduler's loop thread owns it.

#include <cstdint>
#include <deque>
#include <optional>
#include <string>

#include "core/logger.hpp"
#include "core/scheduler.hpp"
#include "core/time.hpp"

namespace osprey {

// The first slot of (period, phase) at or after t: the smallest s >= t with s mod period == phase
// (floor modulo, so negative t work too). Requires 0 < period and 0 <= phase < period.
TimeMs FirstSlotAtOrAfter(TimeMs t, TimeMs period, TimeMs phase);

class PeriodicTasks {
 public:
  // Skipped runs are reported to `logger` as warnings; it must outlive the table.
  explicit PeriodicTasks(Logger& logger) : logger_(logger) {}

  // Adds a task whose first slot is FirstSlotAtOrAfter(now, ...). Validation and errors as in
  // Scheduler::AddTask.
  [[nodiscard]] Result<TaskId> Add(std::string name, TimeMs period, TimeMs phase,
                                   TaskHandler handler, TimeMs now);

  // Scheduled time of the run that RunNext(now) would make: the earliest pending slot, or, for a
  // task with several slots due at `now`, its latest due slot. Nullopt when there are no tasks.
  [[nodiscard]] std::optional<TimeMs> NextRunTime(TimeMs now) const;

  // Runs the task NextRunTime(now) names, if that time is <= now (ties: registration order),
  // applying the overrun rule first; returns whether a handler ran. The task's next slot is set
  // before its handler runs, so a handler may add tasks.
  bool RunNext(TimeMs now);

  // Runs skipped by the overrun rule for task `id`; an unknown id aborts.
  [[nodiscard]] std::uint64_t SkippedRuns(TaskId id) const;

  [[nodiscard]] std::size_t size() const { return tasks_.size(); }

 private:
  struct Task {
    std::string name;
    TimeMs period;
    TimeMs phase;
    TaskHandler handler;
    TimeMs pending;  // the earliest slot not yet run or skipped
    std::uint64_t skipped = 0;
  };

  // The slot task `t` would run at `now` (its latest due slot, or its pending slot).
  static TimeMs RunTimeOf(const Task& t, TimeMs now);
  // Index of the task to run next at `now`; requires a non-empty table.
  std::size_t NextIndex(TimeMs now) const;

  Logger& logger_;
  std::deque<Task> tasks_;  // deque: references stay valid while a handler adds tasks
};

}  // namespace osprey
