#pragma once
// Analyst: the port every source of trading opinions implements — the offline technical analyst,
// the reference-strategy rules, and (later, in an adapter library the app links) the LLM
// analysts. Given a market snapshot, an analyst answers the spec's three questions:
//   1. pump candidates        — which coins are about to rise,
//   2. technical confirmation — which of them the chart confirms,
//   3. risk assessment        — which are acceptable to hold,
// each answer a list of coins with a confidence in [0, 1] and the reasons. An analyst never sees
// a candle that has not closed (the snapshot is built from MarketData, which forbids it).
//
// Asking is asynchronous: Ask() starts the work and returns; `done` is called exactly once per
// question asked, with an Answer or an Error, on any thread. An offline analyst answers inline,
// on the caller's thread, before Ask() returns (so backtests stay deterministic). An analyst that
// answers later keeps the snapshot alive through its shared_ptr, should stop early once the
// request's cancel token is cancelled or its deadline has passed (and still call `done`, with an
// error, or not at all if it is being destroyed), and must not touch anything but the request and
// `done`. Ask() is called from the engine thread, once per cycle, with time moving forward; an
// analyst's destructor waits for work it started.

#include <chrono>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/cancel_token.hpp"
#include "analysis/market_snapshot.hpp"
#include "core/error.hpp"

namespace osprey {

enum class Question { kPumpCandidates, kTechnicalConfirmation, kRiskAssessment };
std::string_view QuestionName(Question q);  // "pump_candidates", ...
// The three questions in the spec's order.
std::span<const Question> AllQuestions();

struct CoinOpinion {
  std::string symbol;
  double confidence = 0;  // 0..1
  std::vector<std::string> reasons;
};

struct Answer {
  Question question = Question::kPumpCandidates;
  std::vector<CoinOpinion> coins;
};

// One analyst's answers of a cycle, in question order (a question not answered has no Answer).
struct AnalystReport {
  std::string analyst;
  std::vector<Answer> answers;
};

// What an analyst is asked with. Copyable; every copy shares the snapshot and the token.
struct AnalystRequest {
  std::shared_ptr<const MarketSnapshot> snapshot;  // never null
  // Answers that arrive after this are not used (steady clock: an interval, not a timestamp).
  std::chrono::steady_clock::time_point deadline;
  CancelToken cancel;  // cancelled when the asker stops waiting
};

// Called exactly once per question asked: the answer (its `question` equal to the one asked) or
// the error that prevented it. May run on any thread; must be cheap and must not throw.
using AnswerCallback = std::function<void(Question, Result<Answer>)>;

class Analyst {
 public:
  virtual ~Analyst() = default;
  virtual std::string_view Name() const = 0;
  // The questions this analyst answers (a subset of AllQuestions(), in that order). The asker
  // asks only these; a question left out is not "missing" and casts no vote (nor veto).
  virtual std::span<const Question> Questions() const = 0;
  // Closed hourly candles, counting the latest, that an answer needs in the snapshot's window
  // (the snapshot builder takes the largest over the analysts). At least 1.
  virtual std::size_t HistoryHours() const = 0;
  // Asks `questions` (each one of Questions(), no repeats) about request.snapshot; `done` is
  // called once per question as described above. A question outside Questions() is answered with
  // an kInvalidArgument error.
  virtual void Ask(const AnalystRequest& request, std::span<const Question> questions,
                   AnswerCallback done) = 0;
};

// For offline analysts, which compute every answer at once: calls `done` inline for each question
// of `asked`, in that order, with its Answer from `report` (moved out), or with `report`'s error,
// or with a kInvalidArgument error naming a question the report does not answer.
void DeliverInline(Result<AnalystReport> report, std::span<const Question> asked,
                   const AnswerCallback& done);

}  // namespace osprey
