#include "core/periodic_tasks.hpp"

#include <fmt/format.h>

#include <utility>

namespace osprey {

TimeMs FirstSlotAtOrAfter(TimeMs t, TimeMs period, TimeMs phase) {
  OSPREY_CHECK(period > 0 && phase >= 0 && phase < period, "FirstSlotAtOrAfter: bad period/phase");
  const TimeMs slot = FloorDiv(t - phase, period) * period + phase;  // the last slot <= t
  return slot == t ? slot : slot + period;
}

Result<TaskId> PeriodicTasks::Add(std::string name, TimeMs period, TimeMs phase,
                                  TaskHandler handler, TimeMs now) {
  if (name.empty()) return Fail(ErrorCode::kInvalidArgument, "scheduler: a task needs a name");
  if (period <= 0 || period > kMaxTaskPeriodMs) {
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("scheduler: task '{}': period {} ms is not in (0, {}]", name, period,
                            kMaxTaskPeriodMs));
  }
  if (phase < 0 || phase >= period) {
    return Fail(
        ErrorCode::kInvalidArgument,
        fmt::format("scheduler: task '{}': phase {} ms is not in [0, {})", name, phase, period));
  }
  if (!handler) {
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("scheduler: task '{}' has no handler", name));
  }
  const TimeMs first = FirstSlotAtOrAfter(now, period, phase);
  tasks_.push_back(Task{std::move(name), period, phase, std::move(handler), first});
  return tasks_.size() - 1;
}

TimeMs PeriodicTasks::RunTimeOf(const Task& t, TimeMs now) {
  if (t.pending > now) return t.pending;
  return t.pending + (now - t.pending) / t.period * t.period;  // now - pending >= 0
}

std::size_t PeriodicTasks::NextIndex(TimeMs now) const {
  std::size_t best = 0;
  TimeMs best_time = RunTimeOf(tasks_[0], now);
  for (std::size_t i = 1; i < tasks_.size(); ++i) {
    const TimeMs t = RunTimeOf(tasks_[i], now);
    if (t < best_time) {  // strict: on a tie the earlier registration wins
      best = i;
      best_time = t;
    }
  }
  return best;
}

std::optional<TimeMs> PeriodicTasks::NextRunTime(TimeMs now) const {
  if (tasks_.empty()) return std::nullopt;
  return RunTimeOf(tasks_[NextIndex(now)], now);
}

bool PeriodicTasks::RunNext(TimeMs now) {
  if (tasks_.empty()) return false;
  Task& task = tasks_[NextIndex(now)];
  const TimeMs run_time = RunTimeOf(task, now);
  if (run_time > now) return false;
  if (run_time > task.pending) {
    const auto skipped = static_cast<std::uint64_t>((run_time - task.pending) / task.period);
    task.skipped += skipped;
    logger_.Log(LogLevel::kWarning,
                fmt::format("scheduler: task '{}' overran: skipped {} run(s) from {}, running the "
                            "{} run late at {}",
                            task.name, skipped, FormatIsoUtc(task.pending), FormatIsoUtc(run_time),
                            FormatIsoUtc(now)));
  }
  task.pending = run_time + task.period;
  task.handler(run_time);
  return true;
}

std::uint64_t PeriodicTasks::SkippedRuns(TaskId id) const {
  OSPREY_CHECK(id < tasks_.size(), "scheduler: SkippedRuns of an unknown task id");
  return tasks_[id].skipped;
}

}  // namespace osprey
