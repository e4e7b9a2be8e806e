#pragma once
// Scheduler: the port through which the engine gets its timers (hourly cycle, minute monitor,
// heartbeat) and its commands from other threads. Two implementations: SimulatedScheduler
// (core/simulated_scheduler.hpp) drives a SimulatedClock through a backtest deterministically;
// RealtimeScheduler (realtime/realtime_scheduler.hpp, an adapter) waits on Boost.Asio timers.
//
// What every Scheduler promises:
// - A task with period P and phase F runs at the UTC times t with t mod P == F (floor modulo):
//   its "slots". Period 1 h, phase 2 s runs at every hh:00:02.000.
// - The first slot of a task is the first one at or after the clock's time when AddTask() is
//   called. A slot never runs before its time, and never twice.
// - The handler receives the slot's time (its SCHEDULED time), never the clock's reading: a cycle
//   that starts at 12:00:00.347 is told 12:00:00.000. Handlers never read the clock themselves.
// - One thread, one thing at a time: tasks and posted functions all run on the thread that called
//   Run() (the loop thread), never concurrently with each other.
// - Order: runs are taken in order of their scheduled time; tasks whose runs fall on the same time
//   run in registration order. Across all tasks, handlers see non-decreasing scheduled times.
// - Overrun: when a task is about to run and more than one of its slots is already due (a handler,
//   its own or another task's, ran past this task's next slot), only the LATEST due slot runs, at
//   once and late; the earlier slots are skipped, counted in SkippedRuns() and logged as a
//   warning. A handler that overruns its next slot by less than a period therefore delays that
//   run (it starts as soon as the handler returns) without skipping it.
// - Post(fn) runs fn on the loop thread as soon as possible, before any task run that is not
//   already under way; posted functions run in the order they were posted.
// - Stop() makes Run() return once the handler that is running (if any) returns; nothing else
//   runs in that Run(), not even tasks due at the same time. Runs and posts left over are kept for
//   a later Run(). A Stop() while no Run() is under way makes the next Run() return at once.
//
// Thread contract: each implementation says which methods other threads may call (at least
// RealtimeScheduler's Post() and Stop() are callable from any thread).

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "core/error.hpp"
#include "core/time.hpp"

namespace osprey {

// Receives the scheduled time of the run (UTC ms), a slot of its task.
using TaskHandler = std::function<void(TimeMs scheduled)>;

// Registration index of a task: 0 for the first task added to a scheduler, then 1, 2, ...
using TaskId = std::size_t;

// The longest period a task may have (keeps slot arithmetic far from overflow).
inline constexpr TimeMs kMaxTaskPeriodMs = 366 * kDayMs;

class Scheduler {
 public:
  virtual ~Scheduler() = default;

  // Registers a periodic task. Fails with kInvalidArgument, naming the task, when the name is
  // empty, the period is not in (0, kMaxTaskPeriodMs], the phase is not in [0, period) or the
  // handler is empty; nothing is registered then.
  [[nodiscard]] virtual Result<TaskId> AddTask(std::string name, TimeMs period, TimeMs phase,
                                               TaskHandler handler) = 0;

  // Queues fn to run on the loop thread as soon as possible (see above).
  virtual void Post(std::function<void()> fn) = 0;

  // Runs tasks and posted functions on the calling thread until Stop().
  virtual void Run() = 0;

  // Ends Run() (see above). Callable from a task or a posted function.
  virtual void Stop() = 0;

  // How many runs of task `id` were skipped by the overrun rule so far. An unknown id is a
  // programming error and aborts.
  [[nodiscard]] virtual std::uint64_t SkippedRuns(TaskId id) const = 0;
};

}  // namespace osprey
