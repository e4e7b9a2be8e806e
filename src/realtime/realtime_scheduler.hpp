#pragma once
// RealtimeScheduler: the Scheduler of the live modes (core/scheduler.hpp has the promises every
// scheduler keeps: slots, order, overrun rule, Post, Stop). An adapter: it is built on Boost.Asio
// and only the application links it; the engine sees the Scheduler port.
//
// Time: the slots are decided by the UTC wall clock it is given (SystemClock live, an
// AcceleratedClock in tests); the waiting is done on an asio::steady_timer, so an interval is
// measured by the steady clock. A wait for a slot that is w ms of clock time away lasts
// w / time_factor of steady time (see SteadyWaitFor), at most max_wait; after every wait the
// clock is read again and the scheduler waits again if the slot is still ahead. So the clock
// being stepped (NTP) or running faster than the steady clock delays a run by at most max_wait,
// and a run never starts before the clock reads its slot.
//
// Threads: Run() makes the calling thread the loop thread; every task and posted function runs
// there, one at a time. Post() and Stop() may be called from any thread at any time. AddTask()
// and SkippedRuns() may be called before Run(), after it returns, or on the loop thread (from a
// task or a posted function); calling them from another thread while Run() is under way aborts.
// Posted functions left when the scheduler is destroyed are destroyed unrun.

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <thread>

#include "core/clock.hpp"
#include "core/logger.hpp"
#include "core/periodic_tasks.hpp"
#include "core/scheduler.hpp"

namespace osprey {

struct RealtimeSchedulerOptions {
  // How many ms of the clock pass per ms of steady time: 1 for SystemClock, the clock's factor
  // for an AcceleratedClock. Must be >= 1.
  std::int64_t time_factor = 1;
  // The longest single steady wait before the clock is read again. Must be positive.
  std::chrono::nanoseconds max_wait = std::chrono::seconds(1);
};

// The steady time to wait for a slot `wall_ms` ms of clock time ahead: wall_ms / time_factor,
// rounded up to the nanosecond (so one wait never ends before the slot on a clock that keeps
// pace), at most max_wait, and zero when wall_ms <= 0.
std::chrono::nanoseconds SteadyWaitFor(TimeMs wall_ms, std::int64_t time_factor,
                                       std::chrono::nanoseconds max_wait);

class RealtimeScheduler final : public Scheduler {
 public:
  // clock and logger (overrun warnings, from the loop thread) must outlive the scheduler. Bad
  // options (a factor below 1, a non-positive max_wait) abort.
  RealtimeScheduler(const Clock& clock, Logger& logger, RealtimeSchedulerOptions options = {});
  ~RealtimeScheduler() override;
  RealtimeScheduler(const RealtimeScheduler&) = delete;
  RealtimeScheduler& operator=(const RealtimeScheduler&) = delete;

  [[nodiscard]] Result<TaskId> AddTask(std::string name, TimeMs period, TimeMs phase,
                                       TaskHandler handler) override;
  void Post(std::function<void()> fn) override;
  // Blocks the calling thread, running tasks and posted functions, until Stop(). Calling Run()
  // while another Run() is under way aborts.
  void Run() override;
  void Stop() override;
  [[nodiscard]] std::uint64_t SkippedRuns(TaskId id) const override;

 private:
  // Invalidates every outstanding step or timer handler and posts a fresh step.
  void ScheduleStep();
  // Runs one due task (then posts the next step), or arms the timer for the next run.
  void Step(std::uint64_t chain);
  void CheckCalledFromOwner(const char* what) const;

  const Clock& clock_;
  PeriodicTasks tasks_;
  RealtimeSchedulerOptions options_;
  boost::asio::io_context io_;
  boost::asio::steady_timer timer_;
  std::atomic<bool> stop_requested_{false};
  std::atomic<std::thread::id> loop_thread_{};  // default id while no Run() is under way
  // Generation of the one live step/timer handler; older handlers see a mismatch and do
  // nothing. Loop thread only.
  std::uint64_t chain_ = 0;
};

}  // namespace osprey
