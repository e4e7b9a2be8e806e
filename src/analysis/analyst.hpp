#pragma once
// Analyst: the port every source of trading opinions implements — the offline technical analyst,
// the reference-strategy rules, and (later) the LLM analysts. Given a market snapshot as of the
// clock's now, an analyst answers the spec's three questions:
//   1. pump candidates        — which coins are about to rise,
//   2. technical confirmation — which of them the chart confirms,
//   3. risk assessment        — which are acceptable to hold,
// each answer a list of coins with a confidence in [0, 1] and the reasons. An analyst never sees
// a candle that has not closed (the snapshot is built from MarketData, which forbids it).
// Analyze() is called from the engine thread, once per cycle, with time moving forward.

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/candle.hpp"
#include "core/error.hpp"
#include "core/time.hpp"

namespace osprey {

enum class Question { kPumpCandidates, kTechnicalConfirmation, kRiskAssessment };
std::string_view QuestionName(Question q);  // "pump_candidates", ...

// One symbol as of now: every closed hourly candle, oldest first (hourly[i] is row i of the
// symbol's series, so hourly.size() - 1 is the index of the candle that just closed).
struct SymbolView {
  std::string_view symbol;  // valid for the duration of the Analyze() call
  std::span<const Candle> hourly;
};

struct MarketSnapshot {
  TimeMs now = 0;
  // Symbols whose latest hourly candle closed exactly at `now` (stale symbols are left out).
  std::vector<SymbolView> symbols;
};

struct CoinOpinion {
  std::string symbol;
  double confidence = 0;  // 0..1
  std::vector<std::string> reasons;
};

struct Answer {
  Question question = Question::kPumpCandidates;
  std::vector<CoinOpinion> coins;
};

struct AnalystReport {
  std::string analyst;
  std::vector<Answer> answers;
};

class Analyst {
 public:
  virtual ~Analyst() = default;
  virtual std::string_view Name() const = 0;
  // Answers the three questions (an analyst may leave a question unanswered: no Answer for it).
  // The report belongs to the analyst and stays valid until its next Analyze() call (so a cycle
  // allocates nothing in the common case). Never null on success. An error (an LLM that timed
  // out or answered garbage) leaves this analyst out of the cycle's consensus; it never stops the
  // cycle.
  [[nodiscard]] virtual Result<const AnalystReport*> Analyze(const MarketSnapshot& snapshot) = 0;
};

}  // namespace osprey
