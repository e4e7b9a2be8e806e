#pragma once
// Consensus, as the spec's "CONSENSUS CHECK": every (analyst, question) answer that names a coin
// with confidence >= MIN_CONFIDENCE_SCORE is one agreement for that coin. A coin is selected when
// it has at least MIN_CONSENSUS_AGREEMENTS agreements, one of which is a pump-candidate answer
// (the spec's state machine leaves NOT OWNED when "AI identifies pump candidate": confirmation or
// a risk pass alone never starts a trade). With `risk_veto`, every risk-assessment answer that
// names the coin below the minimum, or leaves it out, vetoes it: only an analyst that answered
// the risk question can veto, and one veto is enough. Selected coins are ranked by agreements,
// then mean confidence of the agreeing answers, then symbol, and the top `max_candidates` (3) are
// kept. Pure function; deterministic.

#include <string>
#include <vector>

#include "analysis/analyst.hpp"

namespace osprey {

struct ConsensusRules {
  double min_confidence = 0.70;
  int min_agreements = 2;
  int max_candidates = 3;
  bool risk_veto = true;
};

struct ConsensusPick {
  std::string symbol;
  int agreements = 0;
  double confidence = 0;            // mean confidence of the agreeing answers
  std::vector<std::string> voters;  // "technical:pump_candidates", ...
  std::vector<std::string> reasons;
};

std::vector<ConsensusPick> BuildConsensus(const std::vector<const AnalystReport*>& reports,
                                          const ConsensusRules& rules);
// Convenience for callers holding reports by value (tests, tools).
std::vector<ConsensusPick> BuildConsensus(const std::vector<AnalystReport>& reports,
                                          const ConsensusRules& rules);

}  // namespace osprey
