#include "core/simulated_scheduler.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace osprey {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr TimeMs kNoon = 1'709'208'000'000;  // 2024-02-29T12:00:00Z
constexpr TimeMs kSecondMs = 1'000;

class RecordingLogger final : public Logger {
 public:
  void Log(LogLevel level, std::string_view message) override {
    lines.push_back({level, std::string(message)});
  }
  bool Enabled(LogLevel) const override { return true; }
  struct Line {
    LogLevel level;
    std::string text;
  };
  std::vector<Line> lines;
};

struct TaskRun {
  std::string task;
  TimeMs scheduled;
  TimeMs clock;
  bool operator==(const TaskRun&) const = default;
};

std::ostream& operator<<(std::ostream& os, const TaskRun& r) {
  return os << r.task << "@" << FormatIsoUtc(r.scheduled) << "(clock " << FormatIsoUtc(r.clock)
            << ")";
}

class SimulatedSchedulerTest : public ::testing::Test {
 protected:
  TaskId Add(const std::string& name, TimeMs period, TimeMs phase) {
    auto id = scheduler.AddTask(name, period, phase, [this, name](TimeMs scheduled) {
      runs.push_back({name, scheduled, clock.Now()});
    });
    EXPECT_TRUE(id.has_value());
    return *id;
  }

  SimulatedClock clock{kNoon};
  RecordingLogger logger;
  SimulatedScheduler scheduler{clock, logger};
  std::vector<TaskRun> runs;
};

TEST(FirstSlotTest, IsTheFirstTimeAtOrAfterWithThePhase) {
  EXPECT_EQ(FirstSlotAtOrAfter(kNoon, kHourMs, 0), kNoon);
  EXPECT_EQ(FirstSlotAtOrAfter(kNoon + 1, kHourMs, 0), kNoon + kHourMs);
  EXPECT_EQ(FirstSlotAtOrAfter(kNoon, kHourMs, 2 * kSecondMs), kNoon + 2 * kSecondMs);
  EXPECT_EQ(FirstSlotAtOrAfter(kNoon + 2 * kSecondMs + 1, kHourMs, 2 * kSecondMs),
            kNoon + kHourMs + 2 * kSecondMs);
  EXPECT_EQ(FirstSlotAtOrAfter(kNoon - 1, kHourMs, kHourMs - 1), kNoon - 1);
  EXPECT_EQ(FirstSlotAtOrAfter(-1, kHourMs, 0), 0);
  EXPECT_EQ(FirstSlotAtOrAfter(-kHourMs - 1, kHourMs, 5), -kHourMs + 5);
  EXPECT_EQ(FirstSlotAtOrAfter(-kHourMs + 5, kHourMs, 5), -kHourMs + 5);
}

TEST_F(SimulatedSchedulerTest, AddTaskRejectsBadSchedulesAndRegistersNothing) {
  auto noop = [](TimeMs) {};
  const auto expect_invalid = [](const Result<TaskId>& r, const std::string& what) {
    ASSERT_FALSE(r.has_value()) << what;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << what;
    EXPECT_THAT(r.error().message, HasSubstr(what));
  };
  expect_invalid(scheduler.AddTask("", kHourMs, 0, noop), "needs a name");
  expect_invalid(scheduler.AddTask("cycle", 0, 0, noop), "'cycle': period 0 ms");
  expect_invalid(scheduler.AddTask("cycle", -kHourMs, 0, noop), "period -3600000 ms");
  expect_invalid(scheduler.AddTask("cycle", kMaxTaskPeriodMs + 1, 0, noop), "is not in (0,");
  expect_invalid(scheduler.AddTask("cycle", kHourMs, -1, noop),
                 "phase -1 ms is not in [0, 3600000)");
  expect_invalid(scheduler.AddTask("cycle", kHourMs, kHourMs, noop), "phase 3600000 ms");
  expect_invalid(scheduler.AddTask("cycle", kHourMs, 0, TaskHandler{}), "'cycle' has no handler");
  auto first = scheduler.AddTask("cycle", kMaxTaskPeriodMs, kMaxTaskPeriodMs - 1, noop);
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(*first, 0u);  // the failed calls registered nothing
  EXPECT_EQ(*scheduler.AddTask("monitor", 1, 0, noop), 1u);
}

TEST_F(SimulatedSchedulerTest, TasksRunAtTheirSlotsInTimeThenRegistrationOrder) {
  Add("cycle", kHourMs, 2 * kSecondMs);
  Add("monitor", 30 * kMinuteMs, 0);
  Add("mark", kHourMs, 2 * kSecondMs);
  EXPECT_EQ(scheduler.RunUntil(kNoon + kHourMs + 2 * kSecondMs),
            SimulatedScheduler::RunEnd::kReachedEnd);
  const TimeMs c1 = kNoon + 2 * kSecondMs;
  const TimeMs c2 = c1 + kHourMs;
  EXPECT_THAT(runs, ElementsAre(TaskRun{"monitor", kNoon, kNoon}, TaskRun{"cycle", c1, c1},
                                TaskRun{"mark", c1, c1},
                                TaskRun{"monitor", kNoon + 30 * kMinuteMs, kNoon + 30 * kMinuteMs},
                                TaskRun{"monitor", kNoon + kHourMs, kNoon + kHourMs},
                                TaskRun{"cycle", c2, c2}, TaskRun{"mark", c2, c2}));
  EXPECT_EQ(scheduler.SkippedRuns(0), 0u);
  EXPECT_TRUE(logger.lines.empty());
}

TEST_F(SimulatedSchedulerTest, TheFirstSlotIsAtOrAfterTheClockWhenTheTaskIsAdded) {
  clock.AdvanceTo(kNoon + 1);
  Add("cycle", kHourMs, 0);
  EXPECT_EQ(scheduler.RunUntil(kNoon + kHourMs - 1), SimulatedScheduler::RunEnd::kReachedEnd);
  EXPECT_TRUE(runs.empty());
  EXPECT_EQ(clock.Now(), kNoon + kHourMs - 1);  // moved to the end
  EXPECT_EQ(scheduler.RunUntil(kNoon + kHourMs), SimulatedScheduler::RunEnd::kReachedEnd);
  EXPECT_THAT(runs, ElementsAre(TaskRun{"cycle", kNoon + kHourMs, kNoon + kHourMs}));
}

TEST_F(SimulatedSchedulerTest, RunUntilIncludesTheEndAndContinuesWhereItLeftOff) {
  Add("cycle", kHourMs, 0);
  EXPECT_EQ(scheduler.RunUntil(kNoon), SimulatedScheduler::RunEnd::kReachedEnd);
  EXPECT_EQ(runs.size(), 1u);
  EXPECT_EQ(scheduler.RunUntil(kNoon), SimulatedScheduler::RunEnd::kReachedEnd);
  EXPECT_EQ(runs.size(), 1u);  // a slot never runs twice
  EXPECT_EQ(scheduler.RunUntil(kNoon + 3 * kHourMs + 5), SimulatedScheduler::RunEnd::kReachedEnd);
  ASSERT_EQ(runs.size(), 4u);
  EXPECT_EQ(runs.back().scheduled, kNoon + 3 * kHourMs);
  EXPECT_EQ(clock.Now(), kNoon + 3 * kHourMs + 5);
}

TEST_F(SimulatedSchedulerTest, AnEndInThePastRunsOnlyWhatIsDueAndLeavesTheClock) {
  Add("cycle", kHourMs, 0);
  int posted = 0;
  scheduler.Post([&] { ++posted; });
  EXPECT_EQ(scheduler.RunUntil(kNoon - kDayMs), SimulatedScheduler::RunEnd::kReachedEnd);
  EXPECT_EQ(posted, 1);
  EXPECT_TRUE(runs.empty());  // the noon slot is after the end
  EXPECT_EQ(clock.Now(), kNoon);
}

TEST_F(SimulatedSchedulerTest, PostedFunctionsRunFirstInOrderAtTheCurrentTime) {
  Add("a", kHourMs, 0);
  Add("b", kHourMs, 0);
  std::vector<std::string> order;
  scheduler.Post([&] { order.emplace_back("post1@" + FormatIsoUtc(clock.Now())); });
  scheduler.Post([&] { order.emplace_back("post2"); });
  ASSERT_TRUE(scheduler
                  .AddTask("poster", kHourMs, 0,
                           [&](TimeMs) {
                             order.emplace_back("poster");
                             scheduler.Post([&] { order.emplace_back("posted by a task"); });
                           })
                  .has_value());
  // c is due at noon too, but the function "poster" posts runs first: a post goes before any
  // task run not already under way.
  ASSERT_TRUE(
      scheduler.AddTask("c", kHourMs, 0, [&](TimeMs) { order.emplace_back("c"); }).has_value());
  EXPECT_EQ(scheduler.RunUntil(kNoon), SimulatedScheduler::RunEnd::kReachedEnd);
  EXPECT_THAT(order, ElementsAre("post1@" + FormatIsoUtc(kNoon), "post2", "poster",
                                 "posted by a task", "c"));
  EXPECT_EQ(runs.size(), 2u);
}

TEST_F(SimulatedSchedulerTest, StopFromATaskEndsTheRunBeforeTasksDueAtTheSameTime) {
  Add("a", kHourMs, 0);
  int stopper_runs = 0;
  ASSERT_TRUE(scheduler
                  .AddTask("stopper", kHourMs, 0,
                           [&](TimeMs) {
                             if (++stopper_runs == 2) scheduler.Stop();
                           })
                  .has_value());
  Add("b", kHourMs, 0);
  EXPECT_EQ(scheduler.RunUntil(kNoon + kDayMs), SimulatedScheduler::RunEnd::kStopped);
  EXPECT_EQ(clock.Now(), kNoon + kHourMs);  // stopped at the second hour, not moved to the end
  EXPECT_THAT(runs, ElementsAre(TaskRun{"a", kNoon, kNoon}, TaskRun{"b", kNoon, kNoon},
                                TaskRun{"a", kNoon + kHourMs, kNoon + kHourMs}));
  // What was left runs in the next call: b's second run first.
  EXPECT_EQ(scheduler.RunUntil(kNoon + kHourMs), SimulatedScheduler::RunEnd::kReachedEnd);
  EXPECT_EQ(runs.back(), (TaskRun{"b", kNoon + kHourMs, kNoon + kHourMs}));
  EXPECT_EQ(runs.size(), 4u);
}

TEST_F(SimulatedSchedulerTest, AStopBeforeTheRunEndsTheNextRunAtOnce) {
  Add("a", kHourMs, 0);
  scheduler.Stop();
  EXPECT_EQ(scheduler.RunUntil(kNoon + kDayMs), SimulatedScheduler::RunEnd::kStopped);
  EXPECT_TRUE(runs.empty());
  EXPECT_EQ(clock.Now(), kNoon);
  EXPECT_EQ(scheduler.RunUntil(kNoon), SimulatedScheduler::RunEnd::kReachedEnd);  // consumed
  EXPECT_EQ(runs.size(), 1u);
}

TEST_F(SimulatedSchedulerTest, RunEndsOnStopOrWhenNothingCanRunAnyMore) {
  scheduler.Run();  // no task, nothing posted: returns
  int posted = 0;
  scheduler.Post([&] { ++posted; });
  scheduler.Run();
  EXPECT_EQ(posted, 1);
  ASSERT_TRUE(scheduler
                  .AddTask("cycle", kHourMs, 0,
                           [&](TimeMs scheduled) {
                             runs.push_back({"cycle", scheduled, clock.Now()});
                             if (runs.size() == 3) scheduler.Post([&] { scheduler.Stop(); });
                           })
                  .has_value());
  scheduler.Run();
  EXPECT_EQ(runs.size(), 3u);
  EXPECT_EQ(clock.Now(), kNoon + 2 * kHourMs);
}

TEST_F(SimulatedSchedulerTest, AnOverrunShorterThanAPeriodDelaysTheNextRunWithoutSkipping) {
  ASSERT_TRUE(scheduler
                  .AddTask("cycle", kHourMs, 0,
                           [&](TimeMs scheduled) {
                             runs.push_back({"cycle", scheduled, clock.Now()});
                             if (runs.size() == 1) clock.AdvanceTo(scheduled + kHourMs + 5);
                           })
                  .has_value());
  EXPECT_EQ(scheduler.RunUntil(kNoon + 2 * kHourMs), SimulatedScheduler::RunEnd::kReachedEnd);
  EXPECT_THAT(runs, ElementsAre(TaskRun{"cycle", kNoon, kNoon},
                                TaskRun{"cycle", kNoon + kHourMs, kNoon + kHourMs + 5},
                                TaskRun{"cycle", kNoon + 2 * kHourMs, kNoon + 2 * kHourMs}));
  EXPECT_EQ(scheduler.SkippedRuns(0), 0u);
  EXPECT_TRUE(logger.lines.empty());
}

TEST_F(SimulatedSchedulerTest, AnOverrunPastSeveralSlotsRunsOnlyTheLatestDueSlotAndCountsTheRest) {
  ASSERT_TRUE(scheduler
                  .AddTask("cycle", kHourMs, 0,
                           [&](TimeMs scheduled) {
                             runs.push_back({"cycle", scheduled, clock.Now()});
                             if (runs.size() == 1)
                               clock.AdvanceTo(scheduled + 2 * kHourMs + 30 * kMinuteMs);
                           })
                  .has_value());
  Add("monitor", kHourMs, 10 * kMinuteMs);  // delayed by the cycle's overrun
  EXPECT_EQ(scheduler.RunUntil(kNoon + 3 * kHourMs), SimulatedScheduler::RunEnd::kReachedEnd);
  const TimeMs late = kNoon + 2 * kHourMs + 30 * kMinuteMs;
  EXPECT_THAT(runs, ElementsAre(TaskRun{"cycle", kNoon, kNoon},
                                // 13:00 skipped; 14:00 runs late, before monitor's 14:10.
                                TaskRun{"cycle", kNoon + 2 * kHourMs, late},
                                // 12:10 and 13:10 skipped.
                                TaskRun{"monitor", kNoon + 2 * kHourMs + 10 * kMinuteMs, late},
                                TaskRun{"cycle", kNoon + 3 * kHourMs, kNoon + 3 * kHourMs}));
  EXPECT_EQ(scheduler.SkippedRuns(0), 1u);
  EXPECT_EQ(scheduler.SkippedRuns(1), 2u);
  ASSERT_EQ(logger.lines.size(), 2u);
  EXPECT_EQ(logger.lines[0].level, LogLevel::kWarning);
  EXPECT_EQ(logger.lines[0].text,
            "scheduler: task 'cycle' overran: skipped 1 run(s) from 2024-02-29T13:00:00Z, "
            "running the 2024-02-29T14:00:00Z run late at 2024-02-29T14:30:00Z");
  EXPECT_THAT(logger.lines[1].text, HasSubstr("task 'monitor' overran: skipped 2 run(s) from "
                                              "2024-02-29T12:10:00Z"));
}

TEST_F(SimulatedSchedulerTest, ScheduledTimesNeverDecreaseAcrossTasksEvenAfterAnOverrun) {
  // Without ordering by the slot that will run, monitor's pending 12:00:02 would be taken before
  // cycle's 15:00 and run as 15:00:02 first.
  ASSERT_TRUE(scheduler
                  .AddTask("cycle", kHourMs, 0,
                           [&](TimeMs scheduled) {
                             runs.push_back({"cycle", scheduled, clock.Now()});
                             if (runs.size() == 1) clock.AdvanceTo(scheduled + 3 * kHourMs + 5'000);
                           })
                  .has_value());
  Add("monitor", kHourMs, 2 * kSecondMs);
  EXPECT_EQ(scheduler.RunUntil(kNoon + 5 * kHourMs), SimulatedScheduler::RunEnd::kReachedEnd);
  ASSERT_GE(runs.size(), 3u);
  EXPECT_EQ(runs[1], (TaskRun{"cycle", kNoon + 3 * kHourMs, kNoon + 3 * kHourMs + 5'000}));
  EXPECT_EQ(runs[2],
            (TaskRun{"monitor", kNoon + 3 * kHourMs + 2'000, kNoon + 3 * kHourMs + 5'000}));
  for (std::size_t i = 1; i < runs.size(); ++i) {
    EXPECT_LE(runs[i - 1].scheduled, runs[i].scheduled) << i;
  }
}

TEST_F(SimulatedSchedulerTest, ATaskAddedByAHandlerStartsAtTheFirstSlotFromThatTime) {
  ASSERT_TRUE(scheduler
                  .AddTask("starter", kHourMs, 0,
                           [&](TimeMs scheduled) {
                             runs.push_back({"starter", scheduled, clock.Now()});
                             if (runs.size() == 1) {
                               Add("now", kHourMs, 0);
                               Add("later", kHourMs, 1);
                             }
                           })
                  .has_value());
  EXPECT_EQ(scheduler.RunUntil(kNoon + kHourMs), SimulatedScheduler::RunEnd::kReachedEnd);
  EXPECT_THAT(runs, ElementsAre(TaskRun{"starter", kNoon, kNoon}, TaskRun{"now", kNoon, kNoon},
                                TaskRun{"later", kNoon + 1, kNoon + 1},
                                TaskRun{"starter", kNoon + kHourMs, kNoon + kHourMs},
                                TaskRun{"now", kNoon + kHourMs, kNoon + kHourMs}));
}

TEST_F(SimulatedSchedulerTest, TheSameScheduleGivesTheSameRuns) {
  const auto trace = [] {
    SimulatedClock c(kNoon + 123);
    NullLogger null_logger;
    SimulatedScheduler s(c, null_logger);
    std::vector<std::pair<int, TimeMs>> out;
    for (int i = 0; i < 4; ++i) {
      EXPECT_TRUE(s.AddTask("t" + std::to_string(i), static_cast<TimeMs>(i + 1) * 7 * kMinuteMs,
                            static_cast<TimeMs>(i) * kSecondMs,
                            [&out, i](TimeMs t) { out.emplace_back(i, t); })
                      .has_value());
    }
    EXPECT_EQ(s.RunUntil(kNoon + kDayMs), SimulatedScheduler::RunEnd::kReachedEnd);
    return out;
  };
  const auto first = trace();
  EXPECT_EQ(first.size(), 429u);  // counted independently: every slot in [start, end]
  EXPECT_EQ(first, trace());
}

TEST(SimulatedSchedulerDeathTest, SkippedRunsOfAnUnknownTaskAborts) {
  SimulatedClock clock(kNoon);
  NullLogger logger;
  SimulatedScheduler scheduler(clock, logger);
  EXPECT_DEATH((void)scheduler.SkippedRuns(0), "unknown task id");
}

}  // namespace
}  // namespace osprey
