#include "realtime/realtime_scheduler.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "realtime/accelerated_clock.hpp"

namespace osprey {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

constexpr TimeMs kNoon = 1'709'208'000'000;  // 2024-02-29T12:00:00Z
// An hour of clock time per 50 ms of steady time.
constexpr std::int64_t kFactor = 72'000;

// A wall clock the test sets by hand, from any thread: time moves only when the test moves it,
// so runs that depend on it are exact.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimeMs t) : now_(t) {}
  TimeMs Now() const override { return now_.load(); }
  void Set(TimeMs t) { now_.store(t); }

 private:
  std::atomic<TimeMs> now_;
};

class RecordingLogger final : public Logger {
 public:
  void Log(LogLevel level, std::string_view message) override {
    const std::lock_guard lock(mutex_);
    lines_.push_back((level == LogLevel::kWarning ? "WARNING " : "OTHER ") + std::string(message));
  }
  bool Enabled(LogLevel) const override { return true; }
  std::vector<std::string> Lines() const {
    const std::lock_guard lock(mutex_);
    return lines_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> lines_;
};

// Runs scheduler.Run() on a new thread, calls while_running (if any) on this one, and waits for
// Run() to return: at most `limit`, after which the test fails and the scheduler is stopped (a
// broken wait fails the test instead of hanging it). Returns the loop thread's id.
std::thread::id RunOnThread(RealtimeScheduler& scheduler,
                            const std::function<void()>& while_running = {},
                            std::chrono::seconds limit = 60s) {
  std::thread::id loop_id;
  std::promise<void> done;
  std::future<void> finished = done.get_future();
  std::thread loop([&] {
    loop_id = std::this_thread::get_id();
    scheduler.Run();
    done.set_value();
  });
  if (while_running) while_running();
  if (finished.wait_for(limit) != std::future_status::ready) {
    ADD_FAILURE() << "Run() did not return within " << limit.count() << " s";
    scheduler.Stop();
  }
  loop.join();
  return loop_id;
}

struct TaskRun {
  std::size_t task;
  TimeMs scheduled;
  TimeMs clock;
};

TEST(SteadyWaitForTest, DividesTheClockDistanceByTheFactorRoundingUp) {
  EXPECT_EQ(SteadyWaitFor(kHourMs, kFactor, 1s), 50ms);
  EXPECT_EQ(SteadyWaitFor(1, 1, 1s), 1ms);
  EXPECT_EQ(SteadyWaitFor(1, 3, 1s), 333'334ns);
  EXPECT_EQ(SteadyWaitFor(7, 7'000'000, 1s), 1ns);
  EXPECT_EQ(SteadyWaitFor(1, 7'000'000, 1s), 1ns);  // never rounded down to no wait
}

TEST(SteadyWaitForTest, IsZeroForASlotDueAndAtMostMaxWait) {
  EXPECT_EQ(SteadyWaitFor(0, 1, 1s), 0ns);
  EXPECT_EQ(SteadyWaitFor(-kHourMs, kFactor, 1s), 0ns);
  EXPECT_EQ(SteadyWaitFor(1'000, 1, 1s), 1s);
  EXPECT_EQ(SteadyWaitFor(1'001, 1, 1s), 1s);
  EXPECT_EQ(SteadyWaitFor(kHourMs, 1, 1s), 1s);
  EXPECT_EQ(SteadyWaitFor(kMaxTaskPeriodMs, 1, std::chrono::nanoseconds::max()),
            std::chrono::milliseconds(kMaxTaskPeriodMs));  // no overflow
}

TEST(RealtimeSchedulerTest, AcceleratedHourlyTasksRunInOrderAtTheirExactSlots) {
  AcceleratedClock clock(kNoon + 347, kFactor);
  RecordingLogger logger;
  RealtimeScheduler scheduler(clock, logger, {.time_factor = kFactor});
  std::vector<TaskRun> runs;
  const TimeMs stop_at = kNoon + 4 * kHourMs;
  struct Spec {
    const char* name;
    TimeMs period;
    TimeMs phase;
  };
  const std::vector<Spec> specs = {{"monitor", 30 * kMinuteMs, 0},
                                   {"cycle", kHourMs, 2'000},
                                   {"mark", kHourMs, 2'000},
                                   {"stopper", kHourMs, 0}};
  const TimeMs added_from = clock.Now();
  for (std::size_t i = 0; i < specs.size(); ++i) {
    ASSERT_TRUE(scheduler
                    .AddTask(specs[i].name, specs[i].period, specs[i].phase,
                             [&, i](TimeMs scheduled) {
                               runs.push_back({i, scheduled, clock.Now()});
                               if (i == 3 && scheduled >= stop_at) scheduler.Stop();
                             })
                    .has_value());
  }
  const TimeMs added_to = clock.Now();
  const std::thread::id loop_id = RunOnThread(scheduler);
  EXPECT_NE(loop_id, std::this_thread::get_id());

  // Invariants that hold however late the loop was woken: each run is a slot of its task, runs
  // are in (time, registration) order, clock readings are never before the slot, the stopper's
  // run at or after stop_at is the last one, and every slot between two runs of a task was
  // skipped and counted.
  ASSERT_FALSE(runs.empty());
  bool some_reading_later = false;
  std::vector<std::vector<TimeMs>> per_task(specs.size());
  for (std::size_t k = 0; k < runs.size(); ++k) {
    const TaskRun& r = runs[k];
    const Spec& spec = specs[r.task];
    EXPECT_EQ(FloorDiv(r.scheduled - spec.phase, spec.period) * spec.period + spec.phase,
              r.scheduled)
        << spec.name << " ran at " << FormatIsoUtc(r.scheduled) << ", not one of its slots";
    EXPECT_GE(r.clock, r.scheduled) << spec.name << " ran before its slot";
    some_reading_later = some_reading_later || r.clock > r.scheduled;
    if (k > 0) {
      const TaskRun& p = runs[k - 1];
      EXPECT_TRUE(p.scheduled < r.scheduled || (p.scheduled == r.scheduled && p.task < r.task))
          << "run " << k << " out of order";
    }
    per_task[r.task].push_back(r.scheduled);
  }
  EXPECT_TRUE(some_reading_later);  // the handlers got the slot, not the clock's reading
  EXPECT_EQ(runs.back().task, 3u);
  EXPECT_GE(runs.back().scheduled, stop_at);
  std::uint64_t total_skipped = 0;
  bool all_added_in_one_slot = true;
  for (std::size_t i = 0; i < specs.size(); ++i) {
    ASSERT_FALSE(per_task[i].empty()) << specs[i].name;
    const TimeMs first_slot = FirstSlotAtOrAfter(added_from, specs[i].period, specs[i].phase);
    std::uint64_t gaps =
        static_cast<std::uint64_t>((per_task[i][0] - first_slot) / specs[i].period);
    for (std::size_t k = 1; k < per_task[i].size(); ++k) {
      gaps +=
          static_cast<std::uint64_t>((per_task[i][k] - per_task[i][k - 1]) / specs[i].period) - 1;
    }
    const bool added_in_one_slot =
        first_slot == FirstSlotAtOrAfter(added_to, specs[i].period, specs[i].phase);
    if (added_in_one_slot) {
      EXPECT_EQ(gaps, scheduler.SkippedRuns(i)) << specs[i].name;
    }
    all_added_in_one_slot = all_added_in_one_slot && added_in_one_slot;
    total_skipped += scheduler.SkippedRuns(i);
  }
  if (total_skipped == 0 && all_added_in_one_slot) {
    // The usual case: the tasks were added before 12:30 (25 ms of steady time after the clock
    // started) and nothing was skipped, so the runs are exactly these.
    const TimeMs h13 = kNoon + kHourMs;
    const TimeMs h14 = h13 + kHourMs;
    const TimeMs h15 = h14 + kHourMs;
    const TimeMs h16 = h15 + kHourMs;
    std::vector<std::pair<std::size_t, TimeMs>> got;
    for (const TaskRun& r : runs) got.emplace_back(r.task, r.scheduled);
    EXPECT_THAT(got, ElementsAre(std::pair{0u, kNoon + 30 * kMinuteMs}, std::pair{0u, h13},
                                 std::pair{3u, h13}, std::pair{1u, h13 + 2'000},
                                 std::pair{2u, h13 + 2'000}, std::pair{0u, h13 + 30 * kMinuteMs},
                                 std::pair{0u, h14}, std::pair{3u, h14}, std::pair{1u, h14 + 2'000},
                                 std::pair{2u, h14 + 2'000}, std::pair{0u, h14 + 30 * kMinuteMs},
                                 std::pair{0u, h15}, std::pair{3u, h15}, std::pair{1u, h15 + 2'000},
                                 std::pair{2u, h15 + 2'000}, std::pair{0u, h15 + 30 * kMinuteMs},
                                 std::pair{0u, h16}, std::pair{3u, h16}));
  } else {
    std::cerr << "note: the machine was slow: " << total_skipped << " run(s) skipped, tasks "
              << (all_added_in_one_slot ? "" : "not ") << "added before their first slot\n";
  }
}

TEST(RealtimeSchedulerTest, TheHandlerGetsItsSlotWhenTheClockReadsLater) {
  ManualClock clock(kNoon - 5);
  NullLogger logger;
  RealtimeScheduler scheduler(clock, logger);
  std::vector<std::pair<TimeMs, TimeMs>> seen;
  ASSERT_TRUE(scheduler
                  .AddTask("cycle", kHourMs, 0,
                           [&](TimeMs scheduled) {
                             seen.emplace_back(scheduled, clock.Now());
                             scheduler.Stop();
                           })
                  .has_value());
  clock.Set(kNoon + 347);
  RunOnThread(scheduler);
  EXPECT_THAT(seen, ElementsAre(std::pair{kNoon, kNoon + 347}));
}

TEST(RealtimeSchedulerTest, StopFromATaskEndsTheRunAndLeavesTheRestForTheNextRun) {
  ManualClock clock(kNoon);
  NullLogger logger;
  RealtimeScheduler scheduler(clock, logger);
  std::vector<std::string> runs;
  const auto add = [&](const std::string& name, std::function<void(TimeMs)> extra) {
    ASSERT_TRUE(scheduler
                    .AddTask(name, kHourMs, 0,
                             [&runs, name, extra](TimeMs scheduled) {
                               runs.push_back(name + "@" + FormatIsoUtc(scheduled).substr(11, 5));
                               extra(scheduled);
                             })
                    .has_value());
  };
  int stopper_runs = 0;
  add("a", [](TimeMs) {});
  add("stopper", [&](TimeMs) {
    if (++stopper_runs >= 2) scheduler.Stop();
  });
  add("b", [](TimeMs) {});
  add("advance", [&](TimeMs scheduled) { clock.Set(scheduled + kHourMs); });
  RunOnThread(scheduler);
  EXPECT_THAT(runs, ElementsAre("a@12:00", "stopper@12:00", "b@12:00", "advance@12:00", "a@13:00",
                                "stopper@13:00"));
  runs.clear();
  RunOnThread(scheduler);
  EXPECT_THAT(runs, ElementsAre("b@13:00", "advance@13:00", "a@14:00", "stopper@14:00"));
}

TEST(RealtimeSchedulerTest, AStopBeforeRunEndsTheNextRunAtOnce) {
  ManualClock clock(kNoon);
  NullLogger logger;
  RealtimeScheduler scheduler(clock, logger);
  int runs = 0;
  int posted = 0;
  ASSERT_TRUE(scheduler
                  .AddTask("cycle", kHourMs, 0,
                           [&](TimeMs) {
                             ++runs;
                             scheduler.Stop();
                           })
                  .has_value());
  scheduler.Post([&] { ++posted; });
  scheduler.Stop();
  scheduler.Run();  // on this thread: returns at once, nothing runs
  EXPECT_EQ(runs, 0);
  EXPECT_EQ(posted, 0);
  scheduler.Run();  // the stop was consumed: the post and the due task run, the task stops
  EXPECT_EQ(runs, 1);
  EXPECT_EQ(posted, 1);
}

TEST(RealtimeSchedulerTest, StopFromAnotherThreadEndsTheRun) {
  AcceleratedClock clock(kNoon, kFactor);
  NullLogger logger;
  RealtimeScheduler scheduler(clock, logger, {.time_factor = kFactor});
  std::atomic<int> runs{0};
  std::promise<void> two_runs;
  ASSERT_TRUE(scheduler
                  .AddTask("cycle", kHourMs, 0,
                           [&](TimeMs) {
                             if (runs.fetch_add(1) + 1 == 2) two_runs.set_value();
                           })
                  .has_value());
  RunOnThread(scheduler, [&] {
    ASSERT_EQ(two_runs.get_future().wait_for(60s), std::future_status::ready);
    scheduler.Stop();
  });
  EXPECT_GE(runs.load(), 2);
}

TEST(RealtimeSchedulerTest, StopFromAnotherThreadEndsAnIdleRun) {
  ManualClock clock(kNoon);
  NullLogger logger;
  RealtimeScheduler scheduler(clock, logger);
  std::promise<void> running;
  scheduler.Post([&] { running.set_value(); });
  RunOnThread(scheduler, [&] {
    running.get_future().wait();
    scheduler.Stop();  // no task at all: the loop only waits for posts
  });
  SUCCEED();
}

TEST(RealtimeSchedulerTest, PostsFromOtherThreadsRunOnTheLoopThreadNeverBesideATask) {
  AcceleratedClock clock(kNoon, kFactor / 60);  // a minute per 50 ms
  NullLogger logger;
  RealtimeScheduler scheduler(clock, logger, {.time_factor = kFactor / 60});
  constexpr int kPostsPerThread = 300;
  std::atomic<int> inside{0};
  std::atomic<bool> overlapped{false};
  std::atomic<bool> posters_done{false};
  std::vector<std::thread::id> ran_on;  // loop thread only
  std::vector<std::vector<int>> sequence(2);
  int task_runs_after_posters = 0;
  std::size_t task_runs = 0;
  const auto enter = [&] {
    if (inside.fetch_add(1) != 0) overlapped = true;
    std::this_thread::yield();  // widen the window an overlap would need
  };
  const auto leave = [&] { inside.fetch_sub(1); };
  ASSERT_TRUE(scheduler
                  .AddTask("monitor", kMinuteMs / 4, 0,
                           [&](TimeMs) {
                             enter();
                             ran_on.push_back(std::this_thread::get_id());
                             ++task_runs;
                             if (posters_done && ++task_runs_after_posters == 3) scheduler.Stop();
                             leave();
                           })
                  .has_value());
  const std::thread::id loop_id = RunOnThread(scheduler, [&] {
    std::vector<std::thread> posters;
    for (int p = 0; p < 2; ++p) {
      posters.emplace_back([&, p] {
        for (int k = 0; k < kPostsPerThread; ++k) {
          scheduler.Post([&, p, k] {
            enter();
            ran_on.push_back(std::this_thread::get_id());
            sequence[static_cast<std::size_t>(p)].push_back(k);
            leave();
          });
        }
      });
    }
    for (std::thread& t : posters) t.join();
    posters_done = true;
  });
  EXPECT_FALSE(overlapped.load());
  EXPECT_EQ(task_runs_after_posters, 3);
  EXPECT_EQ(ran_on.size(), std::size_t{2} * kPostsPerThread + task_runs);
  for (const std::thread::id id : ran_on) ASSERT_EQ(id, loop_id);
  std::vector<int> in_order(kPostsPerThread);
  for (int k = 0; k < kPostsPerThread; ++k) in_order[static_cast<std::size_t>(k)] = k;
  EXPECT_EQ(sequence[0], in_order);  // every post ran once, in the order it was posted
  EXPECT_EQ(sequence[1], in_order);
}

TEST(RealtimeSchedulerTest, APostMadeBeforeRunRunsBeforeADueTask) {
  ManualClock clock(kNoon);
  NullLogger logger;
  RealtimeScheduler scheduler(clock, logger);
  std::vector<std::string> order;
  ASSERT_TRUE(scheduler
                  .AddTask("cycle", kHourMs, 0,
                           [&](TimeMs) {
                             order.emplace_back("task");
                             scheduler.Stop();
                           })
                  .has_value());
  scheduler.Post([&] { order.emplace_back("post"); });
  RunOnThread(scheduler);
  EXPECT_THAT(order, ElementsAre("post", "task"));
}

TEST(RealtimeSchedulerTest, APostedTaskAddRunsItWithoutWaitingForAnArmedTimer) {
  ManualClock clock(kNoon + 1);
  NullLogger logger;
  // Waits of up to a day: if adding a task did not re-arm the timer, the loop would sleep
  // towards 13:00 and the watchdog would fail the test.
  RealtimeScheduler scheduler(clock, logger, {.max_wait = 24h});
  ASSERT_TRUE(scheduler.AddTask("far", kHourMs, 0, [](TimeMs) {}).has_value());
  std::vector<TimeMs> seen;
  RunOnThread(scheduler, [&] {
    scheduler.Post([&] {
      clock.Set(kNoon + kMinuteMs);
      ASSERT_TRUE(scheduler
                      .AddTask("minute", kMinuteMs, 0,
                               [&](TimeMs scheduled) {
                                 seen.push_back(scheduled);
                                 scheduler.Stop();
                               })
                      .has_value());
    });
  });
  EXPECT_THAT(seen, ElementsAre(kNoon + kMinuteMs));
  EXPECT_EQ(scheduler.SkippedRuns(1), 0u);
}

TEST(RealtimeSchedulerTest, ASteppedClockIsNoticedWithinMaxWait) {
  ManualClock clock(kNoon + 1);
  NullLogger logger;
  // The clock says 13:00 is an hour away; it is then stepped there. A wait longer than max_wait
  // (an hour, factor 1) would outlast the watchdog.
  RealtimeScheduler scheduler(clock, logger, {.max_wait = 5ms});
  std::vector<TimeMs> seen;
  ASSERT_TRUE(scheduler
                  .AddTask("cycle", kHourMs, 0,
                           [&](TimeMs scheduled) {
                             seen.push_back(scheduled);
                             scheduler.Stop();
                           })
                  .has_value());
  std::promise<void> running;
  scheduler.Post([&] { running.set_value(); });
  RunOnThread(scheduler, [&] {
    running.get_future().wait();
    clock.Set(kNoon + kHourMs);
  });
  EXPECT_THAT(seen, ElementsAre(kNoon + kHourMs));
}

TEST(RealtimeSchedulerTest, AnOverrunSkipsTheSlotsItCoveredAndRunsTheLatestLate) {
  ManualClock clock(kNoon);
  RecordingLogger logger;
  RealtimeScheduler scheduler(clock, logger);
  std::vector<std::string> runs;
  ASSERT_TRUE(scheduler
                  .AddTask("cycle", kHourMs, 0,
                           [&](TimeMs scheduled) {
                             runs.push_back("cycle@" + FormatIsoUtc(scheduled) + " clock " +
                                            FormatIsoUtc(clock.Now()));
                             if (runs.size() == 1)
                               clock.Set(scheduled + 2 * kHourMs + 30 * kMinuteMs);
                           })
                  .has_value());
  ASSERT_TRUE(scheduler
                  .AddTask("monitor", kHourMs, 10 * kMinuteMs,
                           [&](TimeMs scheduled) {
                             runs.push_back("monitor@" + FormatIsoUtc(scheduled));
                             scheduler.Stop();
                           })
                  .has_value());
  RunOnThread(scheduler);
  EXPECT_THAT(runs, ElementsAre("cycle@2024-02-29T12:00:00Z clock 2024-02-29T12:00:00Z",
                                "cycle@2024-02-29T14:00:00Z clock 2024-02-29T14:30:00Z",
                                "monitor@2024-02-29T14:10:00Z"));
  EXPECT_EQ(scheduler.SkippedRuns(0), 1u);  // 13:00
  EXPECT_EQ(scheduler.SkippedRuns(1), 2u);  // 12:10 and 13:10
  const std::vector<std::string> lines = logger.Lines();
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0],
            "WARNING scheduler: task 'cycle' overran: skipped 1 run(s) from 2024-02-29T13:00:00Z, "
            "running the 2024-02-29T14:00:00Z run late at 2024-02-29T14:30:00Z");
  EXPECT_THAT(lines[1], HasSubstr("WARNING scheduler: task 'monitor' overran: skipped 2 run(s)"));
}

TEST(RealtimeSchedulerTest, AnOverrunOnAnAcceleratedClockIsSkippedAndCounted) {
  AcceleratedClock clock(kNoon + 347, kFactor);
  RecordingLogger logger;
  RealtimeScheduler scheduler(clock, logger, {.time_factor = kFactor});
  std::vector<TimeMs> slots;
  ASSERT_TRUE(scheduler
                  .AddTask("cycle", kHourMs, 0,
                           [&](TimeMs scheduled) {
                             slots.push_back(scheduled);
                             if (slots.size() == 1) {
                               // Busy for two and a half hours of clock time.
                               while (clock.Now() < scheduled + 2 * kHourMs + 30 * kMinuteMs) {
                                 std::this_thread::yield();
                               }
                             }
                             if (scheduled >= slots.front() + 4 * kHourMs) scheduler.Stop();
                           })
                  .has_value());
  RunOnThread(scheduler);
  ASSERT_GE(slots.size(), 2u);
  EXPECT_GE(slots[1], slots[0] + 2 * kHourMs);  // the slot the handler covered never ran
  std::uint64_t gaps = 0;
  for (std::size_t k = 1; k < slots.size(); ++k) {
    EXPECT_EQ((slots[k] - slots[0]) % kHourMs, 0);
    gaps += static_cast<std::uint64_t>((slots[k] - slots[k - 1]) / kHourMs) - 1;
  }
  EXPECT_GE(scheduler.SkippedRuns(0), 1u);
  EXPECT_EQ(scheduler.SkippedRuns(0), gaps);
  const std::vector<std::string> lines = logger.Lines();
  ASSERT_FALSE(lines.empty());
  EXPECT_THAT(lines[0], HasSubstr("WARNING scheduler: task 'cycle' overran: skipped"));
}

TEST(RealtimeSchedulerTest, AddTaskValidatesLikeEveryScheduler) {
  ManualClock clock(kNoon);
  NullLogger logger;
  RealtimeScheduler scheduler(clock, logger);
  const auto bad = scheduler.AddTask("cycle", kHourMs, kHourMs, [](TimeMs) {});
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(*scheduler.AddTask("cycle", kHourMs, 0, [](TimeMs) {}), 0u);
}

TEST(RealtimeSchedulerDeathTest, MisuseAborts) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  ManualClock clock(kNoon);
  NullLogger logger;
  EXPECT_DEATH(RealtimeScheduler(clock, logger, {.time_factor = 0}), "time factor");
  EXPECT_DEATH(RealtimeScheduler(clock, logger, {.max_wait = 0ns}), "max_wait must be positive");
  EXPECT_DEATH(
      {
        RealtimeScheduler scheduler(clock, logger);
        (void)scheduler.SkippedRuns(0);
      },
      "unknown task id");
  const auto while_running = [&](const std::function<void(RealtimeScheduler&)>& misuse) {
    RealtimeScheduler scheduler(clock, logger);
    std::promise<void> running;
    scheduler.Post([&] { running.set_value(); });
    std::thread loop([&] { scheduler.Run(); });
    running.get_future().wait();
    misuse(scheduler);
    scheduler.Stop();
    loop.join();
  };
  EXPECT_DEATH(while_running([](RealtimeScheduler& s) {
                 (void)s.AddTask("cycle", kHourMs, 0, [](TimeMs) {});
               }),
               "AddTask from another thread while Run\\(\\) is under way");
  EXPECT_DEATH(while_running([](RealtimeScheduler& s) { (void)s.SkippedRuns(0); }),
               "SkippedRuns from another thread");
  EXPECT_DEATH(while_running([](RealtimeScheduler& s) { s.Run(); }),
               "Run\\(\\) while another Run\\(\\) is under way");
}

}  // namespace
}  // namespace osprey
