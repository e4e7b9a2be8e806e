#include "analysis/consensus.hpp"

#include <algorithm>
#include <map>

namespace osprey {

std::vector<ConsensusPick> BuildConsensus(const std::vector<AnalystReport>& reports,
                                          const ConsensusRules& rules) {
  std::vector<const AnalystReport*> pointers;
  pointers.reserve(reports.size());
  for (const auto& r : reports) pointers.push_back(&r);
  return BuildConsensus(pointers, rules);
}

std::vector<ConsensusPick> BuildConsensus(const std::vector<const AnalystReport*>& reports,
                                          const ConsensusRules& rules) {
  struct Tally {
    ConsensusPick pick;
    double confidence_sum = 0;
    bool has_pump = false;
  };
  std::map<std::string, Tally> tallies;  // ordered: deterministic ties
  for (const AnalystReport* report_ptr : reports) {
    const AnalystReport& report = *report_ptr;
    for (const auto& answer : report.answers) {
      for (const auto& coin : answer.coins) {
        if (coin.confidence < rules.min_confidence) continue;
        Tally& t = tallies[coin.symbol];
        std::string voter = report.analyst + ":" + std::string(QuestionName(answer.question));
        // One agreement per (analyst, question): a coin named twice for the same question, or in
        // a repeated answer, counts once (the first naming).
        if (std::find(t.pick.voters.begin(), t.pick.voters.end(), voter) != t.pick.voters.end()) {
          continue;
        }
        t.pick.symbol = coin.symbol;
        ++t.pick.agreements;
        t.confidence_sum += coin.confidence;
        t.has_pump = t.has_pump || answer.question == Question::kPumpCandidates;
        t.pick.voters.push_back(std::move(voter));
        for (const auto& r : coin.reasons) t.pick.reasons.push_back(r);
      }
    }
  }
  // A coin every risk answer passes (trivially so when no analyst answered the risk question).
  const auto passes_risk = [&](const std::string& symbol) {
    for (const AnalystReport* report : reports) {
      for (const auto& answer : report->answers) {
        if (answer.question != Question::kRiskAssessment) continue;
        const bool passed =
            std::any_of(answer.coins.begin(), answer.coins.end(), [&](const auto& c) {
              return c.symbol == symbol && c.confidence >= rules.min_confidence;
            });
        if (!passed) return false;
      }
    }
    return true;
  };
  std::vector<ConsensusPick> picks;
  for (auto& [symbol, t] : tallies) {
    if (!t.has_pump || t.pick.agreements < rules.min_agreements) continue;
    if (rules.risk_veto && !passes_risk(symbol)) continue;
    t.pick.confidence = t.confidence_sum / t.pick.agreements;
    picks.push_back(std::move(t.pick));
  }
  std::stable_sort(picks.begin(), picks.end(), [](const ConsensusPick& a, const ConsensusPick& b) {
    if (a.agreements != b.agreements) return a.agreements > b.agreements;
    if (a.confidence != b.confidence) return a.confidence > b.confidence;
    return a.symbol < b.symbol;
  });
  if (picks.size() > static_cast<std::size_t>(std::max(rules.max_candidates, 0))) {
    picks.resize(static_cast<std::size_t>(rules.max_candidates));
  }
  return picks;
}

}  // namespace osprey
