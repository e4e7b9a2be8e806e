// BuildConsensus: the spec's CONSENSUS CHECK (confidence filter, agreements per analyst and
// question, a pump-candidate vote required, minimum agreements, the risk veto, ranking, top-K).

#include "analysis/consensus.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "config/settings.hpp"

namespace osprey {
namespace {

constexpr Question kPump = Question::kPumpCandidates;
constexpr Question kConfirm = Question::kTechnicalConfirmation;
constexpr Question kRisk = Question::kRiskAssessment;
const ConsensusRules kNoVeto{0.7, 2, 3, false};

// One analyst's report; every answer is (question, {(symbol, confidence)...}).
struct Vote {
  std::string symbol;
  double confidence;
};
AnalystReport Report(std::string analyst,
                     std::vector<std::pair<Question, std::vector<Vote>>> answers) {
  AnalystReport r;
  r.analyst = std::move(analyst);
  for (auto& [question, votes] : answers) {
    Answer a;
    a.question = question;
    for (auto& v : votes) a.coins.push_back({v.symbol, v.confidence, {v.symbol + " reason"}});
    r.answers.push_back(std::move(a));
  }
  return r;
}

std::vector<std::string> Symbols(const std::vector<ConsensusPick>& picks) {
  std::vector<std::string> out;
  out.reserve(picks.size());
  for (const auto& p : picks) out.push_back(p.symbol);
  return out;
}

TEST(ConsensusTest, ConfidenceBelowTheMinimumDoesNotCount) {
  const auto picks = BuildConsensus(
      {Report("a",
              {{kPump, {{"BTC", 0.9}}}, {kConfirm, {{"BTC", 0.69}}}, {kRisk, {{"BTC", 0.7}}}})},
      ConsensusRules{});
  ASSERT_EQ(picks.size(), 1u);
  EXPECT_EQ(picks[0].agreements, 2);  // 0.70 counts, 0.69 does not
  EXPECT_DOUBLE_EQ(picks[0].confidence, (0.9 + 0.7) / 2);
  EXPECT_EQ(picks[0].voters, (std::vector<std::string>{"a:pump_candidates", "a:risk_assessment"}));
}

TEST(ConsensusTest, LowConfidencePumpVoteIsNotAPumpVote) {
  const auto picks = BuildConsensus(
      {Report("a", {{kPump, {{"BTC", 0.5}}}, {kConfirm, {{"BTC", 0.9}}}, {kRisk, {{"BTC", 0.9}}}})},
      ConsensusRules{});
  EXPECT_TRUE(picks.empty());
}

TEST(ConsensusTest, RepeatedCoinInOneAnswerIsOneAgreement) {
  const auto picks = BuildConsensus(
      {Report("a", {{kPump, {{"BTC", 0.9}, {"BTC", 0.9}, {"BTC", 0.8}}}})}, ConsensusRules{});
  EXPECT_TRUE(picks.empty()) << "one (analyst, question) is one agreement, got "
                             << (picks.empty() ? 0 : picks[0].agreements);
}

TEST(ConsensusTest, RepeatedAnswerToOneQuestionIsOneAgreement) {
  const auto picks = BuildConsensus(
      {Report("a", {{kPump, {{"BTC", 0.9}}}, {kPump, {{"BTC", 0.8}}}, {kRisk, {{"BTC", 0.9}}}})},
      ConsensusRules{});
  ASSERT_EQ(picks.size(), 1u);
  EXPECT_EQ(picks[0].agreements, 2);
  EXPECT_EQ(picks[0].voters, (std::vector<std::string>{"a:pump_candidates", "a:risk_assessment"}));
}

TEST(ConsensusTest, SameQuestionFromTwoAnalystsIsTwoAgreements) {
  const auto picks = BuildConsensus(
      {Report("a", {{kPump, {{"BTC", 0.8}}}}), Report("b", {{kPump, {{"BTC", 0.9}}}})},
      ConsensusRules{});
  ASSERT_EQ(picks.size(), 1u);
  EXPECT_EQ(picks[0].agreements, 2);
  EXPECT_EQ(picks[0].voters, (std::vector<std::string>{"a:pump_candidates", "b:pump_candidates"}));
  EXPECT_EQ(picks[0].reasons, (std::vector<std::string>{"BTC reason", "BTC reason"}));
}

TEST(ConsensusTest, CoinWithoutAPumpVoteIsNeverPicked) {
  const auto picks =
      BuildConsensus({Report("a", {{kConfirm, {{"ETH", 1.0}}}, {kRisk, {{"ETH", 1.0}}}}),
                      Report("b", {{kConfirm, {{"ETH", 1.0}}}, {kRisk, {{"ETH", 1.0}}}}),
                      Report("c", {{kPump, {{"BTC", 0.8}}}, {kRisk, {{"BTC", 0.8}}}})},
                     kNoVeto);
  EXPECT_EQ(Symbols(picks), std::vector<std::string>{"BTC"});
}

TEST(ConsensusTest, MinimumAgreementsIsRequired) {
  const std::vector<AnalystReport> reports = {Report("a", {{kPump, {{"BTC", 0.9}}}})};
  EXPECT_TRUE(BuildConsensus(reports, ConsensusRules{0.7, 2, 3}).empty());
  const auto one = BuildConsensus(reports, ConsensusRules{0.7, 1, 3});
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].symbol, "BTC");
  EXPECT_EQ(one[0].agreements, 1);
  EXPECT_DOUBLE_EQ(one[0].confidence, 0.9);
}

TEST(ConsensusTest, RankedByAgreementsThenMeanConfidenceThenSymbol) {
  const auto picks = BuildConsensus(
      {Report("a", {{kPump, {{"DDD", 0.8}, {"AAA", 0.8}, {"CCC", 0.9}, {"BBB", 0.75}}},
                    {kRisk, {{"DDD", 0.8}, {"AAA", 0.8}, {"CCC", 0.9}, {"BBB", 0.75}}},
                    {kConfirm, {{"BBB", 0.75}}}})},
      ConsensusRules{0.7, 2, 10});
  // BBB: 3 agreements; CCC: 2 at 0.9; AAA and DDD: 2 at 0.8, by symbol.
  EXPECT_EQ(Symbols(picks), (std::vector<std::string>{"BBB", "CCC", "AAA", "DDD"}));
  ASSERT_EQ(picks.size(), 4u);
  EXPECT_EQ(picks[0].agreements, 3);
  EXPECT_DOUBLE_EQ(picks[1].confidence, 0.9);
}

TEST(ConsensusTest, KeepsOnlyTheTopK) {
  const std::vector<AnalystReport> reports = {
      Report("a", {{kPump, {{"E", 0.71}, {"D", 0.72}, {"C", 0.73}, {"B", 0.74}, {"A", 0.75}}}}),
      Report("b", {{kPump, {{"E", 0.71}, {"D", 0.72}, {"C", 0.73}, {"B", 0.74}, {"A", 0.75}}}})};
  EXPECT_EQ(Symbols(BuildConsensus(reports, ConsensusRules{0.7, 2, 3})),
            (std::vector<std::string>{"A", "B", "C"}));
  EXPECT_EQ(BuildConsensus(reports, ConsensusRules{0.7, 2, 5}).size(), 5u);
  EXPECT_EQ(BuildConsensus(reports, ConsensusRules{0.7, 2, 10}).size(), 5u);
  EXPECT_TRUE(BuildConsensus(reports, ConsensusRules{0.7, 2, 0}).empty());
}

TEST(ConsensusTest, NoReportsNoPicks) {
  EXPECT_TRUE(BuildConsensus(std::vector<AnalystReport>{}, ConsensusRules{}).empty());
}

TEST(ConsensusTest, OutputIsDeterministicAndIndependentOfReportOrder) {
  std::vector<AnalystReport> reports = {
      Report("a", {{kPump, {{"SOL", 0.8}, {"BTC", 0.8}, {"ETH", 0.9}}},
                   {kRisk, {{"SOL", 0.8}, {"BTC", 0.8}, {"ETH", 0.9}}}}),
      Report("b", {{kPump, {{"ETH", 0.75}, {"SOL", 0.8}}}, {kConfirm, {{"BTC", 0.8}}}}),
      Report("c", {{kPump, {{"XRP", 0.95}}}, {kRisk, {{"XRP", 0.95}, {"SOL", 0.8}}}})};
  const auto first = BuildConsensus(reports, kNoVeto);
  const auto again = BuildConsensus(reports, kNoVeto);
  std::reverse(reports.begin(), reports.end());
  const auto reversed = BuildConsensus(reports, kNoVeto);

  // SOL 4 agreements; BTC and ETH 3 (ETH at a higher mean); XRP 2 is cut by the top 3.
  EXPECT_EQ(Symbols(first), (std::vector<std::string>{"SOL", "ETH", "BTC"}));
  ASSERT_EQ(again.size(), first.size());
  ASSERT_EQ(reversed.size(), first.size());
  for (std::size_t i = 0; i < first.size(); ++i) {
    EXPECT_EQ(again[i].symbol, first[i].symbol);
    EXPECT_EQ(again[i].voters, first[i].voters);
    EXPECT_EQ(again[i].confidence, first[i].confidence);
    EXPECT_EQ(reversed[i].symbol, first[i].symbol);
    EXPECT_EQ(reversed[i].agreements, first[i].agreements);
    EXPECT_DOUBLE_EQ(reversed[i].confidence, first[i].confidence);
  }
}

TEST(ConsensusTest, VetoIsOnByDefaultAsInTheSettings) {
  EXPECT_TRUE(ConsensusRules{}.risk_veto);
  EXPECT_EQ(ConsensusRules{}.risk_veto, AiSettings{}.risk_veto);
}

TEST(ConsensusTest, RiskAnswerBelowTheMinimumVetoesACoinThatHasTheAgreements) {
  // Pump and confirmation agree (2 agreements); the risk answer names BTC at 0.69.
  const std::vector<AnalystReport> reports = {
      Report("a", {{kPump, {{"BTC", 0.9}}}, {kConfirm, {{"BTC", 0.9}}}, {kRisk, {{"BTC", 0.69}}}})};
  EXPECT_TRUE(BuildConsensus(reports, ConsensusRules{}).empty());
  EXPECT_EQ(Symbols(BuildConsensus(reports, kNoVeto)), std::vector<std::string>{"BTC"});
}

TEST(ConsensusTest, RiskAnswerThatLeavesACoinOutVetoesIt) {
  const std::vector<AnalystReport> reports = {Report("a", {{kPump, {{"BTC", 0.9}, {"ETH", 0.9}}},
                                                           {kConfirm, {{"BTC", 0.9}, {"ETH", 0.9}}},
                                                           {kRisk, {{"ETH", 0.8}}}})};
  EXPECT_EQ(Symbols(BuildConsensus(reports, ConsensusRules{})), std::vector<std::string>{"ETH"});
  EXPECT_EQ(Symbols(BuildConsensus(reports, kNoVeto)),
            (std::vector<std::string>{"ETH", "BTC"}));  // ETH has the risk agreement too
}

TEST(ConsensusTest, AnEmptyRiskAnswerVetoesEveryCoin) {
  const std::vector<AnalystReport> reports = {
      Report("a", {{kPump, {{"BTC", 0.9}}}, {kConfirm, {{"BTC", 0.9}}}, {kRisk, {}}})};
  EXPECT_TRUE(BuildConsensus(reports, ConsensusRules{}).empty());
}

TEST(ConsensusTest, OnlyAnAnalystThatAnsweredTheRiskQuestionCanVeto) {
  // Neither analyst answered the risk question: nothing is vetoed.
  const std::vector<AnalystReport> no_risk = {Report("a", {{kPump, {{"BTC", 0.9}}}}),
                                              Report("b", {{kConfirm, {{"BTC", 0.8}}}})};
  EXPECT_EQ(Symbols(BuildConsensus(no_risk, ConsensusRules{})), std::vector<std::string>{"BTC"});
  // One that did, and passed the coin: still picked; another that did, and rejected it: vetoed.
  const std::vector<AnalystReport> passed = {Report("a", {{kPump, {{"BTC", 0.9}}}}),
                                             Report("b", {{kRisk, {{"BTC", 0.8}}}})};
  EXPECT_EQ(Symbols(BuildConsensus(passed, ConsensusRules{})), std::vector<std::string>{"BTC"});
  const std::vector<AnalystReport> one_veto = {
      Report("a", {{kPump, {{"BTC", 0.9}}}, {kRisk, {{"BTC", 0.9}}}}),
      Report("b", {{kConfirm, {{"BTC", 0.9}}}, {kRisk, {{"BTC", 0.2}}}})};
  EXPECT_TRUE(BuildConsensus(one_veto, ConsensusRules{}).empty());
  EXPECT_EQ(Symbols(BuildConsensus(one_veto, kNoVeto)), std::vector<std::string>{"BTC"});
}

TEST(ConsensusTest, VetoDoesNotCreatePicksOrChangeTheirRanking) {
  const std::vector<AnalystReport> reports = {
      Report("a", {{kPump, {{"AAA", 0.8}, {"BBB", 0.9}}}, {kRisk, {{"AAA", 0.8}, {"BBB", 0.9}}}})};
  const auto with = BuildConsensus(reports, ConsensusRules{});
  const auto without = BuildConsensus(reports, kNoVeto);
  EXPECT_EQ(Symbols(with), (std::vector<std::string>{"BBB", "AAA"}));
  EXPECT_EQ(Symbols(with), Symbols(without));
}

}  // namespace
}  // namespace osprey
