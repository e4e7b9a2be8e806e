#include "analysis/analyst.hpp"

#include <array>
#include <string>
#include <utility>

namespace osprey {

std::string_view QuestionName(Question q) {
  switch (q) {
    case Question::kPumpCandidates: return "pump_candidates";
    case Question::kTechnicalConfirmation: return "technical_confirmation";
    case Question::kRiskAssessment: return "risk_assessment";
  }
  return "?";
}

std::span<const Question> AllQuestions() {
  static constexpr std::array<Question, 3> kAll = {
      Question::kPumpCandidates, Question::kTechnicalConfirmation, Question::kRiskAssessment};
  return kAll;
}

void DeliverInline(Result<AnalystReport> report, std::span<const Question> asked,
                   const AnswerCallback& done) {
  for (const Question q : asked) {
    if (!report) {
      done(q, std::unexpected(report.error()));
      continue;
    }
    Answer* found = nullptr;
    for (Answer& a : report->answers) {
      if (a.question == q) found = &a;
    }
    if (found == nullptr) {
      done(q, Fail(ErrorCode::kInvalidArgument,
                   report->analyst + " does not answer " + std::string(QuestionName(q))));
    } else {
      done(q, std::move(*found));
    }
  }
}

}  // namespace osprey
