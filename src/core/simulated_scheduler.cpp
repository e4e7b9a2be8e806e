#include "core/simulated_scheduler.hpp"

#include <limits>
#include <utility>

namespace osprey {

Result<TaskId> SimulatedScheduler::AddTask(std::string name, TimeMs period, TimeMs phase,
                                           TaskHandler handler) {
  return tasks_.Add(std::move(name), period, phase, std::move(handler), clock_.Now());
}

void SimulatedScheduler::Post(std::function<void()> fn) { posted_.push_back(std::move(fn)); }

std::uint64_t SimulatedScheduler::SkippedRuns(TaskId id) const { return tasks_.SkippedRuns(id); }

bool SimulatedScheduler::Step(TimeMs end) {
  if (!posted_.empty()) {
    std::function<void()> fn = std::move(posted_.front());
    posted_.pop_front();
    fn();
    return true;
  }
  const std::optional<TimeMs> next = tasks_.NextRunTime(clock_.Now());
  if (!next || *next > end) return false;
  if (*next > clock_.Now()) clock_.AdvanceTo(*next);
  return tasks_.RunNext(clock_.Now());
}

SimulatedScheduler::RunEnd SimulatedScheduler::RunUntil(TimeMs end) {
  while (!stop_requested_) {
    if (!Step(end)) {
      if (end > clock_.Now()) clock_.AdvanceTo(end);
      return RunEnd::kReachedEnd;
    }
  }
  stop_requested_ = false;
  return RunEnd::kStopped;
}

void SimulatedScheduler::Run() {
  while (!stop_requested_) {
    if (!Step(std::numeric_limits<TimeMs>::max())) return;
  }
  stop_requested_ = false;
}

}  // namespace osprey
