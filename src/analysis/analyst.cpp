#include "analysis/analyst.hpp"

namespace osprey {

std::string_view QuestionName(Question q) {
  switch (q) {
    case Question::kPumpCandidates: return "pump_candidates";
    case Question::kTechnicalConfirmation: return "technical_confirmation";
    case Question::kRiskAssessment: return "risk_assessment";
  }
  return "?";
}

}  // namespace osprey
