// AnalystPanel: inline analysts never wait, answers come back in analyst and question order,
// failures and late answers are named, the token is cancelled for the late ones, and a late
// callback after Gather returned is harmless (run under the ASan build too). No timed assertion:
// "late" is forced with latches, deadlines are generous where an answer must arrive.

#include "analysis/analyst_panel.hpp"

#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <functional>
#include <latch>
#include <thread>

#include "core/clock.hpp"

namespace osprey {
namespace {

using std::chrono::seconds;
constexpr Question kPump = Question::kPumpCandidates;
constexpr Question kConfirm = Question::kTechnicalConfirmation;
constexpr Question kRisk = Question::kRiskAssessment;

std::shared_ptr<const MarketSnapshot> Snap() {
  auto s = std::make_shared<MarketSnapshot>();
  s->now = 3'600'000;
  return s;
}

Answer Naming(Question q, const std::string& symbol, double confidence) {
  return Answer{q, {CoinOpinion{symbol, confidence, {"because"}}}};
}

// Answers every question inline, in reverse order (so arrival order differs from question
// order), or fails the questions in `fail`.
class InlineAnalyst final : public Analyst {
 public:
  InlineAnalyst(std::string name, std::vector<Question> questions, std::vector<Question> fail = {})
      : name_(std::move(name)), questions_(std::move(questions)), fail_(std::move(fail)) {}
  std::string_view Name() const override { return name_; }
  std::span<const Question> Questions() const override { return questions_; }
  std::size_t HistoryHours() const override { return 5; }
  void Ask(const AnalystRequest& request, std::span<const Question> questions,
           AnswerCallback done) override {
    ++asked;
    EXPECT_NE(request.snapshot, nullptr);
    for (auto it = questions.rbegin(); it != questions.rend(); ++it) {
      if (std::find(fail_.begin(), fail_.end(), *it) != fail_.end()) {
        done(*it, Fail(ErrorCode::kParse, name_ + " answered garbage"));
      } else {
        done(*it, Naming(*it, name_ + "COIN", 0.8));
      }
    }
  }
  int asked = 0;

 private:
  std::string name_;
  std::vector<Question> questions_;
  std::vector<Question> fail_;
};

// Answers on its own thread, running `work` there; joins its threads when destroyed.
class ThreadedAnalyst final : public Analyst {
 public:
  using Work = std::function<void(const AnalystRequest&, Question, const AnswerCallback&)>;
  ThreadedAnalyst(std::string name, Work work) : name_(std::move(name)), work_(std::move(work)) {}
  ~ThreadedAnalyst() override { Join(); }
  std::string_view Name() const override { return name_; }
  std::span<const Question> Questions() const override { return questions_; }
  std::size_t HistoryHours() const override { return 200; }
  void Ask(const AnalystRequest& request, std::span<const Question> questions,
           AnswerCallback done) override {
    for (Question q : questions) {
      threads_.emplace_back([this, request, q, done] { work_(request, q, done); });
    }
  }
  void Join() {
    for (auto& t : threads_) {
      if (t.joinable()) t.join();
    }
  }

 private:
  std::string name_;
  Work work_;
  std::array<Question, 1> questions_ = {kPump};
  std::vector<std::thread> threads_;
};

TEST(AnalystPanelTest, InlineAnalystsAnswerWithoutAnyWaitEvenPastTheDeadline) {
  InlineAnalyst a("a", {kPump, kConfirm, kRisk});
  InlineAnalyst b("b", {kPump});
  AnalystPanel panel({&a, &b});
  // The deadline has already passed: inline answers are in before Gather would wait.
  const PanelResult r = panel.Gather(Snap(), SteadyNow() - seconds(3600));
  EXPECT_EQ(a.asked, 1);  // all its questions at once
  EXPECT_EQ(b.asked, 1);
  EXPECT_TRUE(r.missing.empty());
  ASSERT_EQ(r.reports.size(), 2u);
  EXPECT_EQ(r.reports[0].analyst, "a");
  EXPECT_EQ(r.reports[1].analyst, "b");
  // Question order, not the (reversed) arrival order.
  ASSERT_EQ(r.reports[0].answers.size(), 3u);
  EXPECT_EQ(r.reports[0].answers[0].question, kPump);
  EXPECT_EQ(r.reports[0].answers[1].question, kConfirm);
  EXPECT_EQ(r.reports[0].answers[2].question, kRisk);
  EXPECT_EQ(r.reports[0].answers[2].coins[0].symbol, "aCOIN");
  ASSERT_EQ(r.reports[1].answers.size(), 1u);
  EXPECT_EQ(r.reports[1].answers[0].question, kPump);
}

TEST(AnalystPanelTest, HistoryHoursIsTheLargestAnalystNeed) {
  InlineAnalyst a("a", {kPump});
  ThreadedAnalyst t("t", [](const AnalystRequest&, Question, const AnswerCallback&) {});
  EXPECT_EQ(AnalystPanel({}).HistoryHours(), 1u);
  EXPECT_EQ(AnalystPanel({&a}).HistoryHours(), 5u);
  EXPECT_EQ(AnalystPanel({&a, &t}).HistoryHours(), 200u);
}

TEST(AnalystPanelTest, AFailedAnswerIsNamedAndTheOthersKept) {
  InlineAnalyst a("a", {kPump, kConfirm, kRisk}, /*fail=*/{kConfirm});
  AnalystPanel panel({&a});
  const PanelResult r = panel.Gather(Snap(), SteadyNow() + seconds(60));
  ASSERT_EQ(r.missing.size(), 1u);
  EXPECT_EQ(r.missing[0].analyst, "a");
  EXPECT_EQ(r.missing[0].question, kConfirm);
  EXPECT_EQ(r.missing[0].reason, "PARSE: a answered garbage");
  ASSERT_EQ(r.reports.size(), 1u);
  ASSERT_EQ(r.reports[0].answers.size(), 2u);
  EXPECT_EQ(r.reports[0].answers[0].question, kPump);
  EXPECT_EQ(r.reports[0].answers[1].question, kRisk);
}

TEST(AnalystPanelTest, AnAnalystWithEveryAnswerFailedHasNoReport) {
  InlineAnalyst a("a", {kPump, kRisk}, /*fail=*/{kPump, kRisk});
  InlineAnalyst b("b", {kPump});
  const PanelResult r = AnalystPanel({&a, &b}).Gather(Snap(), SteadyNow() + seconds(60));
  ASSERT_EQ(r.reports.size(), 1u);
  EXPECT_EQ(r.reports[0].analyst, "b");
  ASSERT_EQ(r.missing.size(), 2u);
  EXPECT_EQ(r.missing[0].question, kPump);  // question order
  EXPECT_EQ(r.missing[1].question, kRisk);
}

TEST(AnalystPanelTest, AnAnswerFromAnotherThreadWithinTheDeadlineIsGathered) {
  ThreadedAnalyst t("llm", [](const AnalystRequest& req, Question q, const AnswerCallback& done) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    EXPECT_FALSE(req.cancel.Cancelled());
    done(q, Naming(q, "BTCUSDT", 0.9));
  });
  AnalystPanel panel({&t});
  // Generous: Gather returns as soon as the answer is in, not at the deadline.
  const PanelResult r = panel.Gather(Snap(), SteadyNow() + seconds(600));
  EXPECT_TRUE(r.missing.empty());
  ASSERT_EQ(r.reports.size(), 1u);
  EXPECT_EQ(r.reports[0].analyst, "llm");
  ASSERT_EQ(r.reports[0].answers.size(), 1u);
  EXPECT_EQ(r.reports[0].answers[0].coins[0].symbol, "BTCUSDT");
}

TEST(AnalystPanelTest, ALateAnswerIsMissingCancelledAndHarmlessWhenItArrives) {
  std::latch gather_returned(1);
  std::atomic<bool> saw_cancel{false};
  std::atomic<bool> late_delivered{false};
  ThreadedAnalyst fast("fast", [](const AnalystRequest&, Question q, const AnswerCallback& done) {
    done(q, Naming(q, "ETHUSDT", 0.9));
  });
  ThreadedAnalyst slow(
      "slow", [&](const AnalystRequest& req, Question q, const AnswerCallback& done) {
        gather_returned.wait();  // answers only after the panel has given up
        saw_cancel = req.cancel.Cancelled();
        EXPECT_EQ(req.snapshot->now, 3'600'000);  // the snapshot outlives the cycle
        done(q, Naming(q, "SOLUSDT", 0.9));
        done(q, Naming(q, "SOLUSDT", 0.9));  // a second answer too: dropped
        late_delivered = true;
      });
  {
    AnalystPanel panel({&slow, &fast});
    const PanelResult r = panel.Gather(Snap(), SteadyNow() + seconds(2));
    gather_returned.count_down();
    ASSERT_EQ(r.reports.size(), 1u);
    EXPECT_EQ(r.reports[0].analyst, "fast");
    ASSERT_EQ(r.missing.size(), 1u);
    EXPECT_EQ(r.missing[0].analyst, "slow");
    EXPECT_EQ(r.missing[0].question, kPump);
    EXPECT_EQ(r.missing[0].reason, "no answer by the deadline");
  }  // the panel and its result are gone before the late answer arrives
  slow.Join();
  EXPECT_TRUE(saw_cancel);
  EXPECT_TRUE(late_delivered);
}

TEST(AnalystPanelTest, AnAnalystObservesTheCancellationAndStops) {
  std::atomic<bool> stopped{false};
  ThreadedAnalyst t("llm", [&](const AnalystRequest& req, Question q, const AnswerCallback& done) {
    while (!req.cancel.Cancelled()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    stopped = true;
    done(q, Fail(ErrorCode::kIo, "cancelled"));
  });
  const PanelResult r =
      AnalystPanel({&t}).Gather(Snap(), SteadyNow() + std::chrono::milliseconds(50));
  ASSERT_EQ(r.missing.size(), 1u);
  EXPECT_EQ(r.missing[0].reason, "no answer by the deadline");
  t.Join();  // ends only because the token was cancelled
  EXPECT_TRUE(stopped);
}

TEST(AnalystPanelTest, AnAnswerToAQuestionNotAskedIsIgnored) {
  ThreadedAnalyst t("t", [](const AnalystRequest&, Question q, const AnswerCallback& done) {
    done(kRisk, Naming(kRisk, "X", 0.9));  // never asked (the fake answers pump only)
    done(q, Naming(q, "Y", 0.9));
  });
  const PanelResult r = AnalystPanel({&t}).Gather(Snap(), SteadyNow() + seconds(600));
  ASSERT_EQ(r.reports.size(), 1u);
  ASSERT_EQ(r.reports[0].answers.size(), 1u);
  EXPECT_EQ(r.reports[0].answers[0].question, kPump);
  EXPECT_EQ(r.reports[0].answers[0].coins[0].symbol, "Y");
}

TEST(CancelTokenTest, CopiesShareTheFlagAndCancelIsSticky) {
  CancelToken a;
  const std::vector<CancelToken> copies{a};  // a copy
  EXPECT_FALSE(copies[0].Cancelled());
  a.Cancel();
  EXPECT_TRUE(copies[0].Cancelled());
  a.Cancel();
  EXPECT_TRUE(a.Cancelled());
  EXPECT_FALSE(CancelToken().Cancelled());  // a new token is a new flag
}

TEST(DeliverInlineTest, AnswersEachAskedQuestionOnceOrNamesTheError) {
  std::vector<std::pair<Question, bool>> got;
  const AnswerCallback record = [&](Question q, Result<Answer> a) {
    got.emplace_back(q, a.has_value());
  };
  const std::array<Question, 2> asked = {kPump, kRisk};
  DeliverInline(AnalystReport{"x", {Answer{kPump, {}}}}, asked, record);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0], std::make_pair(kPump, true));
  EXPECT_EQ(got[1], std::make_pair(kRisk, false));  // not in the report
  got.clear();
  DeliverInline(Fail(ErrorCode::kData, "broken"), asked, record);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_FALSE(got[0].second);
  EXPECT_FALSE(got[1].second);
}

}  // namespace
}  // namespace osprey
