// SummarizeSizing: what `osprey config check` prints, computed by the risk chain itself; the
// figures of docs/sizing.md are this output, line for line.

#include "risk/sizing_summary.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "config/settings_loader.hpp"
#include "risk/circuit_breakers.hpp"
#include "risk/risk_chain.hpp"

namespace osprey {
namespace {

std::string SourcePath(const char* relative) {
  return fmt::format("{}/{}", OSPREY_SOURCE_DIR, relative);
}

Settings ShippedDefault() {
  auto s = LoadSettingsFile(SourcePath("config/osprey.toml"));
  if (!s) ADD_FAILURE() << s.error().message;
  return s ? *s : Settings{};
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

TEST(SizingSummaryTest, TheDefaultConfigAtOneThousand) {
  const Settings settings = ShippedDefault();
  const SizingSummary s = SummarizeSizing(settings);
  EXPECT_EQ(s.equity, Decimal::FromInt(1000));
  EXPECT_EQ(s.stop_price, Decimal::FromInt(97));
  EXPECT_EQ(s.first.quantity, Dec("3.333333333333"));
  EXPECT_EQ(s.first.risk, Dec("9.999999999999"));
  EXPECT_EQ(s.first.notional, Dec("333.3333333333"));
  ASSERT_EQ(s.sequence.size(), 3U);
  EXPECT_EQ(s.sequence_end, "MAX_POSITIONS");
  EXPECT_EQ(s.heat_cap, Decimal::FromInt(60));
  EXPECT_LE(s.heat_reached, s.heat_cap);
  EXPECT_LT(s.sequence[2].notional, s.sequence[0].notional);  // the cash left after two
  ASSERT_TRUE(s.min_equity.has_value());
  EXPECT_EQ(*s.min_equity, Dec("15.47"));
  EXPECT_EQ(s.min_notional, Decimal::FromInt(5));
  EXPECT_EQ(s.stop_outs_daily_loss, 10);
  EXPECT_EQ(s.stop_outs_daily_loss_percent, 10);
}

// The smallest equity is the threshold the chain applies: at it a trade passes the minimum
// notional at the stop, a cent below it is SIZE_TOO_SMALL.
TEST(SizingSummaryTest, TheSmallestEquityIsTheChainsThreshold) {
  const Settings settings = ShippedDefault();
  const SizingSummary s = SummarizeSizing(settings);
  ASSERT_TRUE(s.min_equity.has_value());
  SymbolInfo symbol;
  symbol.symbol = "PROBEUSDT";
  symbol.min_notional = s.min_notional;
  const PositionSizer sizer(settings.risk, settings.positions);
  const EdgeEstimate prior(settings.risk);
  const auto run = [&](Decimal equity) {
    const CircuitBreakers breakers(settings.breakers, equity, 0);
    PortfolioView p;
    p.equity = equity;
    p.free_quote = equity;
    return RunEntryChain(EntryCandidate{"PROBEUSDT", s.entry_price, s.stop_price, 1.0}, p, breakers,
                         sizer, prior, settings, symbol);
  };
  EXPECT_TRUE(run(*s.min_equity).approved);
  const RiskDecision below = run(*s.min_equity - Dec("0.01"));
  ASSERT_TRUE(below.reason.has_value());
  EXPECT_EQ(*below.reason, RejectionCode::kSizeTooSmall);
}

TEST(SizingSummaryTest, StopOutsAreTheFewestThatReachTheLimit) {
  const SizingSummary s = SummarizeSizing(ShippedDefault());
  ASSERT_TRUE(s.stop_outs_daily_loss.has_value());
  const Decimal n = Decimal::FromInt(*s.stop_outs_daily_loss);
  EXPECT_GE(Decimal::Mul(s.stop_out_loss, n), Decimal::FromInt(100));
  EXPECT_LT(Decimal::Mul(s.stop_out_loss, n - Decimal::FromInt(1)), Decimal::FromInt(100));
  // The stop-out loss is the risk plus both fills' fees (0.1% of 333.33 and of 323.33).
  EXPECT_EQ(s.stop_out_loss.ToFixed(2), "10.66");
}

TEST(SizingSummaryTest, LimitsOffAndNoMinimumAreSaid) {
  Settings settings = ShippedDefault();
  settings.breakers.daily_max_loss = Decimal();
  settings.breakers.daily_max_loss_percent = Decimal();
  settings.exchange.apply_symbol_filters = false;
  const SizingSummary s = SummarizeSizing(settings);
  EXPECT_FALSE(s.stop_outs_daily_loss.has_value());
  EXPECT_FALSE(s.stop_outs_daily_loss_percent.has_value());
  EXPECT_FALSE(s.min_equity.has_value());
  const std::string text = FormatSizingSummary(s, settings);
  EXPECT_NE(text.find("daily_max_loss 0 USDT is off"), std::string::npos) << text;
  EXPECT_NE(text.find("no minimum notional applies"), std::string::npos) << text;
}

TEST(SizingSummaryTest, TheReferenceSizesTwentyPercentNotional) {
  auto settings = LoadSettingsFile(SourcePath("config/reference.toml"));
  ASSERT_TRUE(settings.has_value()) << settings.error().message;
  const SizingSummary s = SummarizeSizing(*settings);
  EXPECT_EQ(s.first.notional, Decimal::FromInt(2000));
  EXPECT_EQ(s.first.risk, Decimal::FromInt(60));
  ASSERT_EQ(s.sequence.size(), 1U);
  EXPECT_EQ(s.sequence_end, "MAX_POSITIONS");
}

// Every line docs/sizing.md shows as output is what the code prints for that configuration.
TEST(SizingSummaryTest, TheDocsWorkedExampleIsTheCodesOutput) {
  std::ifstream in(SourcePath("docs/sizing.md"));
  ASSERT_TRUE(in) << "docs/sizing.md";
  std::stringstream doc;
  doc << in.rdbuf();
  const Settings base = ShippedDefault();
  Settings no_share = base;
  no_share.positions.cap_notional_at_equity_share = false;
  Settings wide_stop = no_share;
  wide_stop.exits.stop_loss_percent = Decimal::FromInt(10);
  wide_stop.positions.max_concurrent_positions = 4;
  for (const Settings* settings : std::vector<const Settings*>{&base, &no_share, &wide_stop}) {
    const std::vector<std::string> lines =
        Lines(FormatSizingSummary(SummarizeSizing(*settings), *settings));
    // The wide-stop example shows its first three lines only.
    const std::size_t shown = settings == &wide_stop ? 3 : lines.size();
    for (std::size_t i = settings == &no_share ? 1 : 0; i < shown; ++i) {
      EXPECT_NE(doc.str().find(lines[i] + "\n"), std::string::npos) << lines[i];
    }
  }
}

}  // namespace
}  // namespace osprey
