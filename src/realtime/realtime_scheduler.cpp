#include "realtime/realtime_scheduler.hpp"

#include <algorithm>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <optional>
#include <utility>

#include "core/error.hpp"

namespace osprey {

namespace asio = boost::asio;

std::chrono::nanoseconds SteadyWaitFor(TimeMs wall_ms, std::int64_t time_factor,
                                       std::chrono::nanoseconds max_wait) {
  OSPREY_CHECK(time_factor >= 1, "SteadyWaitFor: the time factor must be at least 1");
  if (wall_ms <= 0) return std::chrono::nanoseconds(0);
  // 128 bits: wall_ms may be up to a task period (a year) and 10^6 ns per ms.
  const __int128 wait_ns =
      (static_cast<__int128>(wall_ms) * 1'000'000 + time_factor - 1) / time_factor;
  if (wait_ns >= static_cast<__int128>(max_wait.count())) return max_wait;
  return std::chrono::nanoseconds(static_cast<std::int64_t>(wait_ns));
}

RealtimeScheduler::RealtimeScheduler(const Clock& clock, Logger& logger,
                                     RealtimeSchedulerOptions options)
    : clock_(clock), tasks_(logger), options_(options), timer_(io_) {
  OSPREY_CHECK(options.time_factor >= 1, "RealtimeScheduler: the time factor must be at least 1");
  OSPREY_CHECK(options.max_wait.count() > 0, "RealtimeScheduler: max_wait must be positive");
}

RealtimeScheduler::~RealtimeScheduler() = default;

void RealtimeScheduler::CheckCalledFromOwner(const char* what) const {
  const std::thread::id loop = loop_thread_.load();
  OSPREY_CHECK(loop == std::thread::id() || loop == std::this_thread::get_id(), what);
}

Result<TaskId> RealtimeScheduler::AddTask(std::string name, TimeMs period, TimeMs phase,
                                          TaskHandler handler) {
  CheckCalledFromOwner("RealtimeScheduler: AddTask from another thread while Run() is under way");
  Result<TaskId> id = tasks_.Add(std::move(name), period, phase, std::move(handler), clock_.Now());
  // On the loop thread the timer may be armed for a later slot than the new task's first one.
  if (id && loop_thread_.load() == std::this_thread::get_id()) ScheduleStep();
  return id;
}

std::uint64_t RealtimeScheduler::SkippedRuns(TaskId id) const {
  CheckCalledFromOwner(
      "RealtimeScheduler: SkippedRuns from another thread while Run() is under way");
  return tasks_.SkippedRuns(id);
}

void RealtimeScheduler::Post(std::function<void()> fn) { asio::post(io_, std::move(fn)); }

void RealtimeScheduler::Stop() {
  // The flag first: Run() checks it after restarting the io_context, so a Stop() racing with the
  // start of Run() is not lost whichever way the race goes.
  stop_requested_.store(true);
  io_.stop();
}

void RealtimeScheduler::Run() {
  std::thread::id idle;
  OSPREY_CHECK(loop_thread_.compare_exchange_strong(idle, std::this_thread::get_id()),
               "RealtimeScheduler: Run() while another Run() is under way");
  // Leaves the scheduler ready for another Run() even if a handler throws out of io_.run().
  struct Reset {
    RealtimeScheduler& s;
    ~Reset() {
      ++s.chain_;
      s.timer_.cancel();
      s.stop_requested_.store(false);
      s.loop_thread_.store(std::thread::id());
    }
  } reset{*this};
  io_.restart();
  if (stop_requested_.load()) return;
  auto work = asio::make_work_guard(io_);  // keeps run() waiting for posts while no task is due
  ScheduleStep();
  io_.run();
}

void RealtimeScheduler::ScheduleStep() {
  ++chain_;
  timer_.cancel();
  asio::post(io_, [this, chain = chain_] { Step(chain); });
}

void RealtimeScheduler::Step(std::uint64_t chain) {
  if (chain != chain_ || stop_requested_.load()) return;
  const TimeMs now = clock_.Now();
  if (tasks_.RunNext(now)) {
    // Posted functions queued meanwhile run before the next step (FIFO), as the port promises.
    if (!stop_requested_.load()) ScheduleStep();
    return;
  }
  const std::optional<TimeMs> next = tasks_.NextRunTime(now);
  if (!next) return;  // no task: only posted functions (or AddTask from one) can wake the loop
  timer_.expires_after(SteadyWaitFor(*next - now, options_.time_factor, options_.max_wait));
  timer_.async_wait([this, chain](const boost::system::error_code& ec) {
    if (!ec) Step(chain);
  });
}

}  // namespace osprey
