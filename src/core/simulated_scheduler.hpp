#pragma once
// SimulatedScheduler: the Scheduler of backtests and tests. It owns no time of its own: it moves
// the SimulatedClock it is given to each run's scheduled time just before the handler runs (the
// clock then reads exactly the scheduled time), so a backtest is deterministic and as fast as its
// handlers. A handler (a test) may move the clock further itself; the overrun rule of
// core/scheduler.hpp then applies exactly as in real time.
//
// Posted functions run before the next task run, at the clock's current time. Not thread-safe:
// every method, Post() and Stop() included, is for the thread that runs it.

#include <deque>
#include <functional>

#include "core/clock.hpp"
#include "core/logger.hpp"
#include "core/periodic_tasks.hpp"
#include "core/scheduler.hpp"

namespace osprey {

class SimulatedScheduler final : public Scheduler {
 public:
  // clock and logger (which receives overrun warnings) must outlive the scheduler.
  SimulatedScheduler(SimulatedClock& clock, Logger& logger) : clock_(clock), tasks_(logger) {}

  // First slot at or after clock.Now() (core/scheduler.hpp).
  [[nodiscard]] Result<TaskId> AddTask(std::string name, TimeMs period, TimeMs phase,
                                       TaskHandler handler) override;
  void Post(std::function<void()> fn) override;
  // Runs until Stop(), or until nothing could ever run again (no task and no posted function).
  void Run() override;
  void Stop() override { stop_requested_ = true; }
  [[nodiscard]] std::uint64_t SkippedRuns(TaskId id) const override;

  enum class RunEnd { kReachedEnd, kStopped };

  // Runs every posted function and every task run scheduled at or before `end`, in time order
  // (core/scheduler.hpp), then moves the clock to `end` (unless it is already later) and returns
  // kReachedEnd. Returns kStopped, with the clock at the last run's time, when Stop() ended it.
  // May be called again with a later end to continue; an end before clock.Now() runs only what
  // is already due.
  [[nodiscard]] RunEnd RunUntil(TimeMs end);

 private:
  // One step: a posted function, else the next task run if it is at or before `end`. Returns
  // false when there is nothing to do up to `end`.
  bool Step(TimeMs end);

  SimulatedClock& clock_;
  PeriodicTasks tasks_;
  std::deque<std::function<void()>> posted_;
  bool stop_requested_ = false;
};

}  // namespace osprey
