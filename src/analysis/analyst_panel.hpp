#pragma once
// AnalystPanel: asks every analyst all its questions at once and gathers what arrived by the
// deadline.
//
// Promises of Gather():
// - Every analyst is asked every question of its Questions() before any wait, in analyst order.
// - It returns when every question is answered or the deadline has passed, whichever is first;
//   when every analyst answered inline (before Ask returned) it never waits, whatever the deadline.
// - Answers come back in a deterministic order: analyst order, then question order (that of
//   Questions()), never arrival order. An analyst with no answer that arrived has no report.
// - Every (analyst, question) pair that failed or did not arrive by the deadline is named in
//   `missing`, in the same order, with the error or "no answer by the deadline".
// - When it returns with answers outstanding it cancels the request's token; an answer arriving
//   afterwards is dropped harmlessly (the shared gathering state outlives the call), and so is a
//   second answer to the same question.
// Thread contract: Gather is called from one thread (the engine's); the callbacks it hands out may
// run on any thread, during or after Gather. The analysts must outlive the panel.

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "analysis/analyst.hpp"

namespace osprey {

struct MissingAnswer {
  std::string analyst;
  Question question = Question::kPumpCandidates;
  std::string reason;  // the analyst's error, or "no answer by the deadline"
};

struct PanelResult {
  std::vector<AnalystReport> reports;  // analyst order; answers in question order
  std::vector<MissingAnswer> missing;  // analyst order, then question order
};

class AnalystPanel {
 public:
  explicit AnalystPanel(std::vector<Analyst*> analysts);

  // The largest HistoryHours() over the analysts (1 with none): the window a snapshot must hold.
  std::size_t HistoryHours() const;
  const std::vector<Analyst*>& analysts() const { return analysts_; }

  [[nodiscard]] PanelResult Gather(std::shared_ptr<const MarketSnapshot> snapshot,
                                   std::chrono::steady_clock::time_point deadline);

 private:
  std::vector<Analyst*> analysts_;
};

}  // namespace osprey
